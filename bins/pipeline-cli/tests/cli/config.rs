//! Usage and configuration errors: an unknown key, a bad value or an unknown stage exits 2 naming it.

use crate::{cli, run};

#[test]
fn an_unknown_config_key_exits_2_naming_it_and_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pipeline.toml"),
        "[runner]\nlock_ttl = \"60s\"\nlok_ttl = \"5s\"\n",
    )
    .unwrap();
    let (code, _, err) = run(cli(dir.path()).arg("once"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("pipeline.toml:3") && err.contains("runner.lok_ttl"),
        "{err}"
    );
    assert!(
        !dir.path().join("data").exists(),
        "nothing is done before the config is valid"
    );
}

#[test]
fn a_bad_value_exits_2_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pipeline.toml"), "[http]\ntimeout = \"soon\"\n").unwrap();
    let (code, _, err) = run(cli(dir.path()).arg("status"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("http.timeout"), "{err}");
}

#[test]
fn an_unknown_stage_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(cli(dir.path()).args(["once", "--stage", "directroy"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown stage `directroy`"), "{err}");
}
