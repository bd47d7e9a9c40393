//! Usage and configuration errors: an unknown key, a bad value or an unknown stage exits 2 naming it.

use expect_test::expect;

use crate::{cli, run};

#[test]
fn an_unknown_config_key_exits_2_naming_it_and_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pipeline.toml"),
        "[runner]\nlock_ttl = \"60s\"\nlok_ttl = \"5s\"\n",
    )
    .unwrap();
    let (code, out, err) = run(cli(dir.path()).args(["once", "--stage", "directory"]));
    assert_eq!(code, 2, "{err}");
    assert_eq!(out, "");
    expect![[r#"
        error: pipeline.toml:3: unknown key `runner.lok_ttl` (did you mean `lock_ttl`?)
    "#]]
    .assert_eq(&err);
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
    expect![[r#"
        error: pipeline.toml:2: `http.timeout`: `soon` is not a duration like `90s`, `15m`, `6h`, `30d` or `1h30m`
    "#]].assert_eq(&err);
}

#[test]
fn an_unknown_stage_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(cli(dir.path()).args(["once", "--stage", "directroy"]));
    assert_eq!(code, 2, "{err}");
    expect![[r#"
        error: invalid value 'directroy' for '--stage <S>': unknown stage `directroy` (stages: directory, discovery, ingestion, scoring, sheets, feedback)

        For more information, try '--help'.
    "#]].assert_eq(&err);
}
