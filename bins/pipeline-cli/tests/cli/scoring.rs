//! Scoring from the command line: `score` on a posting, and a bad catalog refused by `once` and `catalog check`.

use std::path::{Path, PathBuf};

use expect_test::expect;

use crate::{cli, normalize, run};

#[test]
fn score_prints_the_golden_scores_and_their_explanation() {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("fx05.txt");
    std::fs::write(
        &post,
        "Gestionarás pagos internacionales y cuentas multidivisa; experiencia en foreign exchange.",
    )
    .unwrap();
    let (code, out, err) = run(cli(dir.path())
        .args(["score", "--title", "Finance Operations Specialist", "--json"])
        .arg(&post));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["score"].as_u64(), v["strong"].as_bool()),
        (Some(10), Some(true))
    );
    assert_eq!(v["top_category"], "cat_fx_crossborder_payments");
    assert!(v["explanation"]["fx_core"].as_bool().unwrap());
    let (code, text, err) = run(cli(dir.path())
        .args(["score", "--title", "Finance Operations Specialist"])
        .arg(&post));
    assert_eq!(code, 0, "{err}");
    expect![[r#"
        score 10/10 (strong)
        top category: Cross-Border Payments (cat_fx_crossborder_payments)
          cat_fx_crossborder_payments       4.00 points, 1 hit(s)
          cat_fx_currency_ops               4.00 points, 1 hit(s)
          cat_biz_finance_ops               3.75 points, 1 hit(s)
          phrase_international_payments     2.00 points (phrase)
          phrase_multicurrency              2.00 points (phrase)
          phrase_forex                      2.00 points (phrase)
          raw 16.30, core true, synergy 0.8, negated hits 0
    "#]]
    .assert_eq(&text);
    let (_, out, _) = run(cli(dir.path())
        .args(["score", "--title", "Support Specialist", "--json"])
        .arg(post_with(
            dir.path(),
            "Apply at https://stripe.com/jobs/apply?id=12345",
        )));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["score"], 0, "a link to stripe.com is not a Stripe signal");
}

/// `post.txt` in `dir` holding `text`.
fn post_with(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("post.txt");
    std::fs::write(&path, text).expect("post.txt written");
    path
}

#[test]
fn a_bad_catalog_stops_once_before_any_work_and_catalog_check_names_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = "version = \"1\"\n\n[[categories]]\nid = \"cat_fx_x\"\nname = \"X\"\ntier = 9\n\n[[keywords]]\nid = \"kw\"\ncategory_id = \"cat_fx_x\"\ncanonical = \"x\"\naliases = [\"usd\"]\n";
    std::fs::write(dir.path().join("catalog.toml"), catalog).unwrap();
    std::fs::write(dir.path().join("pipeline.toml"), "catalog = \"catalog.toml\"\n").unwrap();
    let (code, _, err) = run(cli(dir.path()).args(["once", "--stage", "directory"]));
    assert_eq!(code, 2, "{err}");
    expect![[r#"
        error: catalog <dir>/catalog.toml: invalid catalog (1 problem(s)):
          - line 6, categories[0].tier: tier must be 1, 2 or 3, not 9
    "#]]
    .assert_eq(&normalize(&err, dir.path()));
    assert!(!dir.path().join("data").exists(), "nothing was done");
    let (code, _, err) = run(cli(dir.path()).args(["catalog", "check"]));
    assert_eq!(code, 2);
    expect![[r#"
        error: catalog <dir>/catalog.toml: invalid catalog (1 problem(s)):
          - line 6, categories[0].tier: tier must be 1, 2 or 3, not 9
    "#]]
    .assert_eq(&normalize(&err, dir.path()));
    let (code, out, err) = run(cli(dir.path()).args(["catalog", "check", "missing.toml"]));
    assert_eq!(code, 2, "{out}");
    expect![[r#"
        error: catalog missing.toml: cannot read catalog file missing.toml: No such file or directory (os error <n>)
    "#]].assert_eq(&normalize(&err, dir.path()));
    std::fs::write(dir.path().join("pipeline.toml"), "").unwrap();
    let (code, out, _) = run(cli(dir.path()).args(["catalog", "check"]));
    assert_eq!(code, 0);
    expect![[r#"
        ok: built-in catalog: version c061b0b79f2c0374 (10 categories, 34 keywords, 14 phrases)
    "#]]
    .assert_eq(&out);
}
