//! Several processes and signals: the run lock held and taken over, SIGTERM and kill -9, concurrent
//! migrations, `forever` woken from its sleep.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use pipeline_db::repo::{companies, runs};
use pipeline_domain::RunStatus;

use crate::{cli, csv_config, db, run, signal, wait_for};

/// A server that accepts connections and never answers: a run that reads from it holds its lock.
fn stalling_server() -> (u16, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback listener");
    let port = listener.local_addr().expect("its address").port();
    let handle = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(4) {
            held.push(stream);
        }
        std::thread::sleep(Duration::from_secs(60));
    });
    (port, handle)
}

/// `pipeline.toml` whose only directory is the stalling server on `port`.
fn stalled_config(dir: &Path, port: u16) {
    let config = format!(
        "[http]\ntimeout = \"60s\"\nretries = 0\n\n[directory]\nbuiltin = [\"catalonia\"]\n\n[directory.builtin_urls]\ncatalonia = \"http://127.0.0.1:{port}/list-of-startups\"\n"
    );
    std::fs::write(dir.join("pipeline.toml"), config).expect("pipeline.toml written");
}

/// How many runs in `dir` are marked running.
fn running_runs(dir: &Path) -> usize {
    if !dir.join("data/pipeline.db").exists() {
        return 0;
    }
    db(dir)
        .read(|c| runs::latest(c, 10))
        .map(|r| r.iter().filter(|r| r.status == RunStatus::Running).count())
        .unwrap_or(0)
}

#[test]
fn a_second_once_exits_75_naming_the_holder_and_sigterm_interrupts_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let (port, _server) = stalling_server();
    stalled_config(dir.path(), port);
    let first = cli(dir.path())
        .arg("once")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(|| running_runs(dir.path()) == 1);
    let (code, _, err) = run(cli(dir.path()).arg("once"));
    assert_eq!(code, 75, "{err}");
    assert!(
        err.contains(&format!(":{}:", first.id())) && err.contains("until"),
        "holder not named: {err}"
    );
    signal(&first, "-TERM");
    let out = first.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let latest = db(dir.path()).read(|c| runs::latest(c, 1)).unwrap();
    assert_eq!(latest[0].status, RunStatus::Interrupted);
    let (_, status, _) = run(cli(dir.path()).args(["status", "--json"]));
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["locks"], serde_json::json!([]), "lock released");
}

#[test]
fn kill_9_in_the_middle_of_a_large_csv_then_once_again_takes_over_and_completes() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("name,website\n");
    for i in 0..60_000 {
        csv.push_str(&format!("Company {i},https://c{i}.example.com\n"));
    }
    csv_config(dir.path(), &csv);
    let mut first = cli(dir.path())
        .arg("once")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(|| {
        dir.path().join("data/pipeline.db").exists()
            && db(dir.path()).read(companies::count).unwrap_or(0) > 2000
    });
    first.kill().unwrap();
    first.wait().unwrap();
    let (code, out, err) = run(cli(dir.path()).arg("once"));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("took over a stale lock"), "{out}");
    let db = db(dir.path());
    assert_eq!(db.integrity_check().unwrap(), "ok");
    assert_eq!(db.read(companies::count).unwrap(), 60_000);
    let statuses: Vec<RunStatus> = db
        .read(|c| runs::latest(c, 2))
        .unwrap()
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [RunStatus::Succeeded, RunStatus::Abandoned]);
}

#[test]
fn processes_migrating_a_fresh_database_together_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<Child> = (0..4)
        .map(|_| {
            cli(dir.path())
                .args(["db", "migrate"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let (code, out, _) = run(cli(dir.path()).arg("doctor"));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("migrations") && out.contains("current"), "{out}");
}

#[test]
fn forever_cycles_sleeps_and_exits_130_on_sigterm_without_waiting_out_the_sleep() {
    let dir = tempfile::tempdir().unwrap();
    csv_config(dir.path(), "name,website\nAcme,acme.com\n");
    let config = std::fs::read_to_string(dir.path().join("pipeline.toml")).unwrap();
    let config = format!("[runner]\ncycle_sleep_min = \"1h\"\ncycle_sleep_max = \"2h\"\n\n{config}");
    std::fs::write(dir.path().join("pipeline.toml"), config).unwrap();
    let child = cli(dir.path())
        .arg("forever")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(|| {
        dir.path().join("data/pipeline.db").exists()
            && db(dir.path())
                .read(|c| runs::latest(c, 1))
                .unwrap_or_default()
                .first()
                .is_some_and(|r| r.status == RunStatus::Succeeded)
    });
    let asked = Instant::now();
    signal(&child, "-TERM");
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        asked.elapsed() < Duration::from_secs(10),
        "woke from its sleep on the signal"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("companies_new=1"));
}
