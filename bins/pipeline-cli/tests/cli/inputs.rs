//! Regression tests of bad input to the binary (issue 2¾/8, #14, #15, #17): configuration values that must
//! stop the run before any work with exit 2 naming the key, `companies --min-score` out of range, `detect` on
//! URLs that are not http(s) or are absurdly long, `score` on input that is not UTF-8.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::{cli, run};

/// `pipeline.toml` in `dir` with the built-in directories disabled and `extra` after it.
fn config(dir: &Path, extra: &str) {
    let text = format!("[directory]\nbuiltin = []\n\n{extra}");
    std::fs::write(dir.join("pipeline.toml"), text).expect("pipeline.toml written");
}

/// Runs `args` in `dir`: exit 2 before any work (no database), one stderr line holding `needle`; the stderr.
fn usage_error(dir: &Path, args: &[&str], needle: &str) -> String {
    let (code, out, err) = run(cli(dir).args(args));
    assert_eq!(code, 2, "{args:?}: {out}{err}");
    let lines = err.lines().filter(|line| line.contains(needle)).count();
    assert_eq!(lines, 1, "{args:?}: one stderr line holds `{needle}`:\n{err}");
    assert!(!dir.join("data").exists(), "{args:?} created the database");
    err
}

#[test]
fn a_user_agent_with_a_newline_exits_2_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pipeline.toml"),
        "user_agent = \"bot/1\\nX-Injected: yes\"\n[directory]\nbuiltin = []\n",
    )
    .unwrap();
    for command in ["once", "doctor"] {
        let err = usage_error(dir.path(), &[command], "pipeline.toml:1: user_agent:");
        assert!(err.contains("control characters"), "{err}");
    }
}

#[test]
fn a_resolve_entry_that_is_not_an_address_fails_doctor_like_once() {
    let dir = tempfile::tempdir().unwrap();
    config(dir.path(), "[http.resolve]\n\"api.test\" = \"localhost\"\n");
    let needle = "pipeline.toml:5: http.resolve.api.test: `localhost` is not an IP address";
    let once = usage_error(dir.path(), &["once"], needle);
    let doctor = usage_error(dir.path(), &["doctor"], needle);
    assert_eq!(once, doctor, "doctor reports the error the run would meet");
}

#[test]
fn an_unknown_feedback_timezone_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    config(dir.path(), "[feedback]\ntimezone = \"Mars/Olympus\"\n");
    usage_error(
        dir.path(),
        &["once"],
        "feedback.timezone: `Mars/Olympus` is not a time zone",
    );
}

#[test]
fn a_config_file_that_cannot_be_read_reports_its_io_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plain"), "").unwrap();
    let args = ["--config", "plain/pipeline.toml", "status"];
    let err = usage_error(dir.path(), &args, "plain/pipeline.toml: Not a directory");
    assert!(!err.contains("does not exist"), "{err}");
}

#[test]
fn companies_min_score_must_be_a_number_from_0_to_10() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["nan", "inf", "-1", "11"] {
        usage_error(dir.path(), &["companies", "--min-score", bad], "--min-score");
    }
    let (code, out, err) = run(cli(dir.path()).args(["companies", "--json", "--min-score", "7.5"]));
    assert_eq!((code, out.trim()), (0, "[]"), "{err}");
}

#[test]
fn detect_refuses_urls_that_are_not_http_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    for url in [
        "ftp://acme.com/",
        "file:///etc/passwd",
        "file:/etc/passwd",
        "data:text/html,<a href=https://boards.greenhouse.io/acme>",
        "javascript:alert(1)",
    ] {
        usage_error(dir.path(), &["detect", url], "only http(s) URLs");
    }
    assert!(started.elapsed() < Duration::from_secs(20), "nothing was fetched");
}

#[test]
fn detect_quotes_a_100000_char_url_cut_short() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("https://acme.com/{}", "a".repeat(100_000));
    let err = usage_error(dir.path(), &["detect", &url], "characters long");
    assert!(
        err.len() < 600,
        "stderr is short, not the URL echoed: {} bytes",
        err.len()
    );
    assert!(err.contains("aaa…`"), "{err}");
}

#[test]
fn score_refuses_input_that_is_not_utf8_and_reads_utf16_with_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Gestionarás pagos internacionales y cuentas multidivisa; experiencia en foreign exchange.";
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let latin1: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    std::fs::write(dir.path().join("utf8.txt"), text).unwrap();
    std::fs::write(dir.path().join("utf16.txt"), utf16).unwrap();
    std::fs::write(dir.path().join("latin1.txt"), &latin1).unwrap();
    let score = |file: &str| run(cli(dir.path()).args(["score", "--title", "Finance Ops", "--json", file]));
    let (code, utf8_out, err) = score("utf8.txt");
    assert_eq!(code, 0, "{err}");
    assert_eq!(score("utf16.txt"), (0, utf8_out, String::new()));
    let needle = "latin1.txt: not UTF-8 text (byte 0xE1 at offset 9)";
    usage_error(dir.path(), &["score", "latin1.txt"], needle);
    let mut child = cli(dir.path())
        .args(["score", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &latin1).unwrap();
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("stdin: not UTF-8 text"), "{err}");
}
