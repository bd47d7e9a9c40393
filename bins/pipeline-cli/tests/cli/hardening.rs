//! Regression tests from the hardening probes (issues 2½/8 and 2¾/8): read-only commands create and write
//! nothing; a database that cannot be used fails at once with one clear line; usage errors come before
//! the database is touched; `board` and `detect` answer SIGINT with exit 130 while the network stalls.

use crate::{cli, run};

fn no_database_created(dir: &std::path::Path) {
    assert!(!dir.join("data").exists(), "nothing created in {}", dir.display());
}

fn disabled_builtins(dir: &std::path::Path) {
    std::fs::write(dir.join("pipeline.toml"), "[directory]\nbuiltin = []\n").expect("config written");
}

#[test]
fn doctor_in_a_fresh_directory_creates_nothing_and_reports_migrations_as_pending() {
    let dir = tempfile::tempdir().expect("temp dir");
    disabled_builtins(dir.path());
    let (code, out, err) = run(cli(dir.path()).arg("doctor"));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("ok   migrations") && out.contains("pending"),
        "{out}"
    );
    assert!(out.contains("does not exist yet"), "{out}");
    no_database_created(dir.path());
}

#[test]
fn status_and_companies_in_a_fresh_directory_create_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, out, err) = run(cli(dir.path()).args(["status", "--json"]));
    assert_eq!(code, 0, "{err}");
    let status: serde_json::Value = serde_json::from_str(&out).expect("status JSON");
    assert_eq!(status["runs"], serde_json::json!([]));
    let (code, out, err) = run(cli(dir.path()).args(["companies", "--json"]));
    assert_eq!((code, out.trim()), (0, "[]"), "{err}");
    no_database_created(dir.path());
}

/// One line on stderr names the path and the cause; no retrying for a minute.
fn fails_at_once(dir: &std::path::Path, url: &str, cause: &str) {
    for command in [&["once"][..], &["status"], &["db", "migrate"]] {
        let started = std::time::Instant::now();
        let (code, _, err) = run(cli(dir).arg("--database-url").arg(url).args(command));
        assert_eq!(code, 1, "{command:?}: {err}");
        assert!(err.contains(cause), "{command:?}: {err}");
        let naming = err.lines().filter(|l| l.contains(cause)).count();
        assert_eq!(naming, 1, "one line, not a retry loop: {err}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{command:?} took too long"
        );
    }
}

#[test]
fn a_directory_as_database_fails_at_once_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("a-dir.db")).expect("dir");
    fails_at_once(dir.path(), "a-dir.db", "is a directory");
}

#[test]
fn a_file_of_random_bytes_fails_at_once_as_not_a_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let noise: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    std::fs::write(dir.path().join("noise.db"), noise).expect("noise written");
    fails_at_once(dir.path(), "noise.db", "not a database");
}

#[test]
fn a_mysql_url_is_a_usage_error_and_creates_no_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, err) = run(cli(dir.path()).args(["--database-url", "mysql://u:secret@h/db", "once"]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("unknown scheme `mysql`") && !err.contains("secret"),
        "{err}"
    );
    assert!(!dir.path().join("mysql:").exists());
}

#[test]
fn a_database_from_a_newer_binary_is_refused_by_once_migrate_and_doctor() {
    let dir = tempfile::tempdir().expect("temp dir");
    disabled_builtins(dir.path());
    assert_eq!(run(cli(dir.path()).args(["db", "migrate"])).0, 0);
    pipeline_db::testing::pretend_migration_applied(&crate::db(dir.path()), "20991231000000");
    let words = "the database schema (version 20991231000000) is newer than this binary";
    for command in [&["once"][..], &["db", "migrate"]] {
        let (code, _, err) = run(cli(dir.path()).args(command));
        assert_eq!(code, 1, "{command:?}");
        assert!(err.contains(words), "{command:?}: {err}");
    }
    let (code, out, _) = run(cli(dir.path()).arg("doctor"));
    assert_eq!(code, 1);
    assert!(out.contains("FAIL migrations") && out.contains(words), "{out}");
    let runs = crate::db(dir.path())
        .read(|c| pipeline_db::repo::runs::latest(c, 10))
        .expect("runs");
    assert!(runs.is_empty(), "once wrote nothing");
}

#[test]
fn the_sheet_stages_without_a_spreadsheet_are_skipped_and_say_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, out, err) = run(cli(dir.path()).args(["once", "--stage", "sheets", "--stage", "feedback"]));
    assert_eq!(code, 0, "{err}");
    for stage in ["sheets", "feedback"] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(stage))
            .unwrap_or_default();
        assert!(line.contains("skipped"), "{out}");
    }
    assert!(out.contains("no sheets.spreadsheet_id configured"), "{out}");
}

#[test]
fn a_spreadsheet_without_a_key_is_a_configuration_error_before_any_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("pipeline.toml"),
        "[sheets]\nspreadsheet_id = \"abc\"\n",
    )
    .expect("config");
    let (code, _, err) = run(cli(dir.path())
        .args(["once"])
        .env_remove("GOOGLE_SERVICE_ACCOUNT_EMAIL"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("sheets.spreadsheet_id is set but no service-account key"),
        "{err}"
    );
    no_database_created(dir.path());
}

/// A server that accepts connections and never answers.
fn stalled_api() -> (std::net::TcpListener, u16) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().expect("bound").port();
    (listener, port)
}

#[test]
fn board_and_detect_exit_130_on_sigint_while_the_api_stalls() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (listener, port) = stalled_api();
    let held = std::thread::spawn(move || {
        listener
            .incoming()
            .take(4)
            .filter_map(Result::ok)
            .collect::<Vec<_>>()
    });
    let config = format!(
        "[http]\ntimeout = \"60s\"\n\n[providers.greenhouse]\nbase_url = \"http://127.0.0.1:{port}\"\n\n\
         [discovery]\nallow_private_networks = true\n"
    );
    std::fs::write(dir.path().join("pipeline.toml"), config).expect("config written");
    for args in [
        &["board", "greenhouse:acme"][..],
        &["detect", &format!("http://127.0.0.1:{port}/")],
    ] {
        let mut child = cli(dir.path())
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawned");
        std::thread::sleep(std::time::Duration::from_millis(700));
        let started = std::time::Instant::now();
        crate::signal(&child, "-INT");
        let status = child.wait().expect("exits");
        assert_eq!(status.code(), Some(130), "{args:?}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{args:?}: exited promptly"
        );
    }
    drop(held);
}
