//! Unknown keys, bad values and syntax errors in the file: each named at FILE:LINE with its dotted key.

use super::*;

#[test]
fn an_unknown_key_names_file_line_and_dotted_key() {
    let message = load_error("# pipeline\n[runner]\nlok_ttl = \"60s\"\n");
    assert_eq!(
        message,
        "pipeline.toml:3: unknown key `runner.lok_ttl` (did you mean `lock_ttl`?)"
    );
    let message = load_error("database_url = \"x.db\"\ncatalogue = \"c.toml\"\n");
    assert!(
        message.starts_with("pipeline.toml:2: unknown key `catalogue`"),
        "{message}"
    );
    let message = load_error("runner.lock_ttl = \"60s\"\nhttp.timeot = \"1s\"\n");
    assert!(
        message.starts_with("pipeline.toml:2: unknown key `http.timeot`"),
        "{message}"
    );
}

#[test]
fn unknown_keys_in_provider_tables_and_unknown_providers_are_located() {
    let message = load_error("[providers.lever]\nenabled = true\nbase_uri = \"http://x.test\"\n");
    assert!(
        message.starts_with("pipeline.toml:3: unknown key `providers.lever.base_uri`"),
        "{message}"
    );
    let message = load_error("[http]\nretries = 1\n\n[providers.jobvite]\nenabled = false\n");
    assert_eq!(message, "pipeline.toml:4: unknown key `providers.jobvite`");
}

#[test]
fn unknown_keys_in_arrays_of_tables_are_located() {
    let text = "[[directory.sources]]\nname = \"a\"\nkind = \"csv\"\npath = \"a.csv\"\n\n\
                [[directory.sources]]\nnmae = \"b\"\nkind = \"csv\"\n";
    let message = load_error(text);
    assert!(
        message.starts_with("pipeline.toml:7: unknown key `directory.sources.nmae`"),
        "{message}"
    );
    let message = load_error("[[boards]]\ncompany = \"acme.com\"\nboard = \"lever:acme\"\nnote = \"x\"\n");
    assert_eq!(message, "pipeline.toml:4: unknown key `boards.note`");
}

#[test]
fn every_unknown_key_is_listed_in_file_order() {
    let message = load_error("zeta = 1\n[runner]\nalpha = 2\n");
    assert_eq!(
        message,
        "pipeline.toml:1: unknown key `zeta`\npipeline.toml:3: unknown key `runner.alpha`"
    );
}

#[test]
fn a_bad_value_names_file_line_key_and_reason() {
    let message = load_error("[http]\nretries = 1\ntimeout = 15\n");
    assert!(
        message.starts_with("pipeline.toml:3: `http.timeout`: "),
        "{message}"
    );
    assert!(message.contains("write a unit"), "{message}");
    let message = load_error("[ingestion]\npause_for = \"6x\"\n");
    assert!(
        message.starts_with("pipeline.toml:2: `ingestion.pause_for`: "),
        "{message}"
    );
    assert!(message.contains("unknown unit"), "{message}");
    let message = load_error("[http]\nmax_body = \"8 parsecs\"\n");
    assert!(
        message.starts_with("pipeline.toml:2: `http.max_body`: "),
        "{message}"
    );
    let message = load_error("[providers.greenhouse]\nmax_concurrency = \"two\"\n");
    assert!(
        message.starts_with("pipeline.toml:2: `providers.greenhouse.max_concurrency`: "),
        "{message}"
    );
    let message = load_error("[[directory.sources]]\nname = \"a\"\nkind = \"xml\"\n");
    assert!(
        message.starts_with("pipeline.toml:3: `directory.sources.kind`: "),
        "{message}"
    );
}

#[test]
fn a_syntax_error_names_file_and_line() {
    let message = load_error("[http]\ntimeout = \"15s\"\nretries = = 2\n");
    assert!(message.starts_with("pipeline.toml:3: "), "{message}");
}
