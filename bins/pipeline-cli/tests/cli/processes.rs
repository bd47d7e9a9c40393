//! Several processes and signals: the run lock held and taken over, SIGTERM and kill -9, concurrent
//! migrations, `forever` woken from its sleep.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use expect_test::expect;
use pipeline_db::repo::{companies, runs};
use pipeline_domain::RunStatus;

use crate::{cli, csv_config, db, normalize, regex, run, signal, wait_for};

/// A server that accepts connections and never answers: a run that reads from it holds its lock. Returns its
/// port and how many connections it has accepted.
fn stalling_server() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback listener");
    let port = listener.local_addr().expect("its address").port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(4) {
            held.push(stream);
            counter.fetch_add(1, Ordering::SeqCst);
        }
        std::thread::sleep(Duration::from_secs(60));
    });
    (port, accepted)
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
    let (port, accepted) = stalling_server();
    stalled_config(dir.path(), port);
    let first = cli(dir.path())
        .args(["once", "--stage", "directory"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Its one request is sent (and counted) before the server accepts it.
    wait_for(|| running_runs(dir.path()) == 1 && accepted.load(Ordering::SeqCst) == 1);
    let (code, _, err) = run(cli(dir.path()).args(["once", "--stage", "directory"]));
    assert_eq!(code, 75, "{err}");
    assert!(
        err.contains(&format!(":{}:", first.id())) && err.contains("until"),
        "holder not named: {err}"
    );
    let (code, status, err) = run(cli(dir.path()).arg("status"));
    assert_eq!(code, 0, "{err}");
    expect![[r#"
        locks:
          cycle      held by <owner> until <time>
        pauses:
        stages:
          directory  running     last success never  failures in a row 0
        last runs:
          #1 directory  running     <time>
    "#]]
    .assert_eq(&normalize(&status, dir.path()));
    signal(&first, "-TERM");
    let out = first.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    expect![[r#"
        cycle <cycle>
          stage      status       duration  counters
          directory  interrupted     <dur>  requests=1
                     interrupted
          interrupted: in-flight work released, runs marked interrupted
    "#]]
    .assert_eq(&normalize(&String::from_utf8_lossy(&out.stdout), dir.path()));
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
        .args(["once", "--stage", "directory"])
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
    let (code, out, err) = run(cli(dir.path()).args(["once", "--stage", "directory"]));
    assert_eq!(code, 0, "{out}\n{err}");
    // How many rows the killed run had loaded varies: the split between new and updated is not shown.
    let out = regex(r"companies_(new|updated)=\d+").replace_all(&out, "companies_$1=<n>");
    expect![[r#"
        cycle <cycle>
          took over a stale lock from <owner>; its runs were marked abandoned
          stage      status       duration  counters
          directory  succeeded       <dur>  companies_new=<n> rows_read=60000 sources_ok=1
    "#]]
    .assert_eq(&normalize(&out, dir.path()));
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
    expect![[r#"
        ok   config       built-in defaults is valid
        ok   database     <dir>/data/pipeline.db reachable, integrity ok
        ok   migrations   current
        ok   catalog      built-in catalog: version c061b0b79f2c0374
        ok   sheets       no spreadsheet configured (sheets and feedback stages are skipped)
    "#]]
    .assert_eq(&normalize(&out, dir.path()));
}

#[test]
fn forever_cycles_sleeps_and_exits_130_on_sigterm_without_waiting_out_the_sleep() {
    let dir = tempfile::tempdir().unwrap();
    csv_config(dir.path(), "name,website\nAcme,acme.com\n");
    let config = std::fs::read_to_string(dir.path().join("pipeline.toml")).unwrap();
    let config = format!("[runner]\ncycle_sleep_min = \"1h\"\ncycle_sleep_max = \"2h\"\n\n{config}");
    std::fs::write(dir.path().join("pipeline.toml"), config).unwrap();
    let child = cli(dir.path())
        .args(["forever", "--stage", "directory"])
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
    expect![[r#"
        cycle <cycle>
          stage      status       duration  counters
          directory  succeeded       <dur>  companies_new=1 rows_read=1 sources_ok=1
    "#]]
    .assert_eq(&normalize(&String::from_utf8_lossy(&out.stdout), dir.path()));
}
