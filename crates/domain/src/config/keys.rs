//! The tree of configuration keys, for code that addresses keys by path rather than through the structs:
//! unknown-key reports with the full dotted key, and `PIPELINE_*` environment overrides. A test in the CLI's
//! loader checks it against the structs' serialized form, so the two cannot drift apart.

/// What a key holds, as far as addressing it by path needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// A string that stays a string (an environment value `123` is the text "123").
    Text,
    /// A single value of another kind: number, boolean, duration text, byte size.
    Scalar,
    /// An array of strings.
    List,
    /// A table of free-form keys to strings (`http.resolve`, `directory.builtin_urls`).
    Map,
    /// A table with the listed keys.
    Table(&'static [Key]),
    /// An array of tables, each with the listed keys (`[[directory.sources]]`, `[[boards]]`).
    TableList(&'static [Key]),
}

/// One key of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key as written in the file (and, upper-cased, in `PIPELINE_*` variables).
    pub name: &'static str,
    /// What its value is: a plain value, a table or a list of tables.
    pub kind: KeyKind,
}

const fn key(name: &'static str, kind: KeyKind) -> Key {
    Key { name, kind }
}

use KeyKind::{List, Map, Scalar, Table, TableList, Text};

const HTTP: &[Key] = &[
    key("timeout", Scalar),
    key("connect_timeout", Scalar),
    key("retries", Scalar),
    key("max_body", Scalar),
    key("resolve", Map),
    key("ca_file", Text),
];

const RUNNER: &[Key] = &[
    key("cycle_sleep_min", Scalar),
    key("cycle_sleep_max", Scalar),
    key("lock_ttl", Scalar),
    key("alert_failure_ratio", Scalar),
    key("failed_cycle_sleep", Scalar),
];

const RETENTION: &[Key] = &[key("runs", Scalar)];

const SOURCE: &[Key] = &[
    key("name", Text),
    key("kind", Text),
    key("path", Text),
    key("url", Text),
    key("name_field", Text),
    key("website_field", Text),
    key("delimiter", Text),
    key("encoding", Text),
    key("multiline_fields", Scalar),
];

const DIRECTORY: &[Key] = &[
    key("builtin", List),
    key("exclude_domains", List),
    key("sources", TableList(SOURCE)),
    key("builtin_urls", Map),
    key("max_detail_pages", Scalar),
    key("max_companies_per_source", Scalar),
    key("max_record_size", Scalar),
    key("max_source_size", Scalar),
];

const DISCOVERY: &[Key] = &[
    key("allow_private_networks", Scalar),
    key("max_links_to_follow", Scalar),
    key("recheck_after", Scalar),
    key("recheck_boards_after", Scalar),
    key("concurrency", Scalar),
];

const BOARD: &[Key] = &[key("company", Text), key("board", Text)];

const INGESTION: &[Key] = &[
    key("refresh_after", Scalar),
    key("max_retry_after", Scalar),
    key("pause_after_429", Scalar),
    key("pause_for", Scalar),
    key("detail_calls_per_cycle", Scalar),
    key("details_refresh_after", Scalar),
    key("jsonld_max_pages", Scalar),
];

const PROVIDER: &[Key] = &[
    key("enabled", Scalar),
    key("base_url", Text),
    key("eu_base_url", Text),
    key("com_base_url", Text),
    key("requests_per_second", Scalar),
    key("max_concurrency", Scalar),
];

const PROVIDERS: &[Key] = &[
    key("lever", Table(PROVIDER)),
    key("greenhouse", Table(PROVIDER)),
    key("ashby", Table(PROVIDER)),
    key("workable", Table(PROVIDER)),
    key("smartrecruiters", Table(PROVIDER)),
    key("recruitee", Table(PROVIDER)),
    key("personio", Table(PROVIDER)),
    key("teamtailor", Table(PROVIDER)),
    key("workday", Table(PROVIDER)),
    key("jsonld", Table(PROVIDER)),
];

const SHEETS: &[Key] = &[
    key("spreadsheet_id", Text),
    key("credentials", Text),
    key("token_uri", Text),
    key("base_url", Text),
    key("tab", Text),
    key("min_score", Scalar),
];

const FEEDBACK: &[Key] = &[key("timezone", Text), key("window", Text)];

/// The keys of the top-level table of a configuration file.
pub const ROOT: &[Key] = &[
    key("database_url", Text),
    key("catalog", Text),
    key("user_agent", Text),
    key("http", Table(HTTP)),
    key("runner", Table(RUNNER)),
    key("retention", Table(RETENTION)),
    key("directory", Table(DIRECTORY)),
    key("discovery", Table(DISCOVERY)),
    key("boards", TableList(BOARD)),
    key("ingestion", Table(INGESTION)),
    key("providers", Table(PROVIDERS)),
    key("sheets", Table(SHEETS)),
    key("feedback", Table(FEEDBACK)),
];

/// The key called `name` among `keys`.
pub fn find(keys: &'static [Key], name: &str) -> Option<&'static Key> {
    keys.iter().find(|key| key.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_keys_are_found_by_name() {
        let Some(Key {
            kind: Table(providers),
            ..
        }) = find(ROOT, "providers")
        else {
            panic!("providers is a table");
        };
        let Some(Key {
            kind: Table(lever), ..
        }) = find(providers, "lever")
        else {
            panic!("providers.lever is a table");
        };
        assert_eq!(find(lever, "base_url").map(|key| key.kind), Some(Text));
        assert_eq!(find(lever, "base_uri"), None);
    }
}
