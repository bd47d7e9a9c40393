//! The `pipeline-world` binary: prints READY, writes its files and stops when stdin closes.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn pipeline_world_prints_ready_writes_files_and_stops_when_stdin_closes() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pipeline-world"))
        .args(["--seed", "3", "--companies", "20", "--dir"])
        .arg(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let parts: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(&parts[..2], ["WORLD", "READY"], "{line}");
    assert!(parts[2].starts_with("http://127.0.0.1:"));
    assert_eq!(parts[3], dir.path().display().to_string());
    let config = std::fs::read_to_string(dir.path().join("pipeline.toml")).unwrap();
    assert!(config.contains(&format!("base_url = \"{}/lever\"", parts[2])));
    let csv = std::fs::read_to_string(dir.path().join("companies.csv")).unwrap();
    assert_eq!(csv.lines().count(), 21);
    let key = std::fs::read_to_string(dir.path().join("service-account.json")).unwrap();
    assert!(key.contains("\"type\": \"service_account\""));
    drop(child.stdin.take());
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the world did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
