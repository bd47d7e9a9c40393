//! The operator's commands: doctor, pause and resume, database backup.

use pipeline_db::Db;
use pipeline_db::repo::companies;

use crate::{cli, csv_config, run};

#[test]
fn doctor_fails_on_pending_migrations_and_unreadable_sources() {
    let dir = tempfile::tempdir().unwrap();
    csv_config(dir.path(), "name\nA\n");
    std::fs::remove_file(dir.path().join("companies.csv")).unwrap();
    let (code, out, _) = run(cli(dir.path()).arg("doctor"));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAIL migrations") && out.contains("FAIL source"),
        "{out}"
    );
}

#[test]
fn pause_and_resume_show_in_status() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) =
        run(cli(dir.path()).args(["pause", "lever", "--for", "2h", "--reason", "too many 429s"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("lever paused until"), "{out}");
    let (_, status, _) = run(cli(dir.path()).args(["status", "--json"]));
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["pauses"][0]["provider"], "lever");
    assert_eq!(status["pauses"][0]["reason"], "too many 429s");
    assert!(
        status["pauses"][0]["paused_until"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    assert_eq!(run(cli(dir.path()).args(["pause", "jobvite"])).0, 2);
    let (code, out, _) = run(cli(dir.path()).args(["resume", "lever"]));
    assert_eq!((code, out.trim()), (0, "lever resumed"));
}

#[test]
fn backup_writes_a_usable_copy() {
    let dir = tempfile::tempdir().unwrap();
    csv_config(dir.path(), "name,website\nAcme,acme.com\n");
    assert_eq!(run(cli(dir.path()).arg("once")).0, 0);
    let (code, _, err) = run(cli(dir.path()).args(["db", "backup", "copy.db"]));
    assert_eq!(code, 0, "{err}");
    let copy = Db::open(dir.path().join("copy.db").to_str().unwrap()).unwrap();
    assert_eq!(copy.read(companies::count).unwrap(), 1);
}
