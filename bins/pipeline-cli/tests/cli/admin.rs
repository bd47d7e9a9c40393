//! The operator's commands: doctor, pause and resume, database backup.

use expect_test::expect;
use pipeline_db::Db;
use pipeline_db::repo::companies;
use pipeline_db::testing::TestDb;

use crate::{cli, csv_config, normalize, regex, run};

#[test]
fn doctor_reports_pending_migrations_and_fails_on_an_unreadable_source() {
    let test = TestDb::unmigrated();
    csv_config(test.dir(), "name\nA\n");
    std::fs::remove_file(test.dir().join("companies.csv")).unwrap();
    let (code, out, _) = run(cli(test.dir()).arg("doctor").env("DATABASE_URL", test.url()));
    assert_eq!(code, 1, "{out}");
    // Every new migration would change the list: the snapshot shows its shape.
    let out = regex(r"\d+ pending \(\d{14}(, \d{14})*;").replace(&out, "<n> pending (<versions>;");
    expect![[r#"
        ok   config       <dir>/pipeline.toml is valid
        ok   database     <dir>/pipeline.db reachable, integrity ok
        ok   migrations   <n> pending (<versions>; applied by `once` or `db migrate`)
        ok   catalog      built-in catalog: version c061b0b79f2c0374
        FAIL source       list: <dir>/companies.csv: No such file or directory (os error <n>)
        ok   sheets       no spreadsheet configured (sheets and feedback stages are skipped)
    "#]]
    .assert_eq(&normalize(&out, test.dir()));
}

#[test]
fn pause_and_resume_show_in_status() {
    let test = TestDb::new();
    let cli = || {
        let mut cmd = cli(test.dir());
        cmd.env("DATABASE_URL", test.url());
        cmd
    };
    let (code, out, err) = run(cli().args(["pause", "lever", "--for", "2h", "--reason", "too many 429s"]));
    assert_eq!(code, 0, "{err}");
    expect![[r#"
        lever paused until <time> (too many 429s)
    "#]]
    .assert_eq(&normalize(&out, test.dir()));
    let (code, status, err) = run(cli().arg("status"));
    assert_eq!(code, 0, "{err}");
    expect![[r#"
        locks:
        pauses:
          lever            until <time>  too many 429s
        stages:
        last runs:
    "#]]
    .assert_eq(&normalize(&status, test.dir()));
    let (_, status, _) = run(cli().args(["status", "--json"]));
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["pauses"][0]["provider"], "lever");
    assert_eq!(status["pauses"][0]["reason"], "too many 429s");
    assert!(
        status["pauses"][0]["paused_until"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    let (code, _, err) = run(cli().args(["pause", "jobvite"]));
    assert_eq!(code, 2, "{err}");
    expect![[r#"
        error: unknown provider `jobvite` (known: lever, greenhouse, ashby, workable, smartrecruiters, recruitee, personio, teamtailor, workday, jsonld)
    "#]].assert_eq(&err);
    let (code, out, _) = run(cli().args(["resume", "lever"]));
    assert_eq!(code, 0);
    expect![[r#"
        lever resumed
    "#]]
    .assert_eq(&out);
}

#[test]
fn backup_writes_a_usable_copy() {
    let dir = tempfile::tempdir().unwrap();
    csv_config(dir.path(), "name,website\nAcme,acme.com\n");
    assert_eq!(run(cli(dir.path()).args(["once", "--stage", "directory"])).0, 0);
    let (code, out, err) = run(cli(dir.path()).args(["db", "backup", "copy.db"]));
    assert_eq!(code, 0, "{err}");
    expect![[r#"
        backed up <dir>/data/pipeline.db to copy.db
    "#]]
    .assert_eq(&normalize(&out, dir.path()));
    let copy = Db::open(dir.path().join("copy.db").to_str().unwrap()).unwrap();
    assert_eq!(copy.read(companies::count).unwrap(), 1);
}

#[test]
fn status_shows_the_sheet_rows_the_last_feedback_run_rejected() {
    use pipeline_db::repo::feedback::{self, Rejection};
    let test = TestDb::new();
    let rejected = [
        Rejection {
            sheet_row: 7,
            company_id: Some(12),
            value: "MAYBE".into(),
            reason: "unknown resolution".into(),
        },
        Rejection {
            sheet_row: 3,
            company_id: None,
            value: "abc".into(),
            reason: "column A is not a company id".into(),
        },
    ];
    let now = chrono::Utc::now();
    test.db()
        .write(|c| feedback::apply(c, &[], &[], &rejected, None, now))
        .unwrap();
    let (code, out, err) = run(cli(test.dir()).arg("status").env("DATABASE_URL", test.url()));
    assert_eq!(code, 0, "{err}");
    expect![[r#"
        locks:
        pauses:
        stages:
        feedback rows not taken (fix them in the sheet):
          row 3      abc                      column A is not a company id
          row 7      MAYBE                    unknown resolution
        last runs:
    "#]]
    .assert_eq(&normalize(&out, test.dir()));
    let (_, json, _) = run(cli(test.dir())
        .args(["status", "--json"])
        .env("DATABASE_URL", test.url()));
    let status: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        status["rejected_feedback"],
        serde_json::json!([
            {"company_id": null, "row": 3, "value": "abc", "reason": "column A is not a company id"},
            {"company_id": 12, "row": 7, "value": "MAYBE", "reason": "unknown resolution"},
        ])
    );
}

#[test]
fn db_copy_moves_a_sqlite_database_to_postgres_with_every_id_and_refuses_a_second_copy() {
    let Some(target) = TestDb::postgres_unmigrated() else {
        return;
    };
    let source = TestDb::sqlite();
    csv_config(
        source.dir(),
        "name,website\nAcme,acme.test\nZeta,https://www.zeta.test/\nNameOnly,\nQuanta,quanta.test\n",
    );
    let sqlite = |cmd: &mut std::process::Command| {
        cmd.env("DATABASE_URL", source.url());
    };
    let mut once = cli(source.dir());
    sqlite(once.args(["once", "--stage", "directory"]));
    let (code, _, err) = run(&mut once);
    assert_eq!(code, 0, "{err}");
    let companies_json = |url: &str| {
        let (code, out, err) = run(cli(source.dir())
            .args(["companies", "--json"])
            .env("DATABASE_URL", url));
        assert_eq!(code, 0, "{err}");
        out
    };
    let before = companies_json(&source.url());
    assert!(before.contains("\"id\""), "{before}");

    let mut copy = cli(source.dir());
    sqlite(copy.args(["db", "copy", "--to", &target.url()]));
    let (code, out, err) = run(&mut copy);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("companies") && out.contains("4 rows"), "{out}");
    assert_eq!(companies_json(&target.url()), before, "identical, ids included");

    let mut again = cli(source.dir());
    sqlite(again.args(["db", "copy", "--to", &target.url()]));
    let (code, _, err) = run(&mut again);
    assert_eq!(code, 1);
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(
        companies_json(&target.url()),
        before,
        "the refused copy changed nothing"
    );
}
