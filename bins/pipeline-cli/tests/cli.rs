//! The binary, run as a user runs it, in temporary directories. Nothing here reaches a real host: the
//! built-in directories are pointed at a closed loopback port or disabled.
#![allow(clippy::unwrap_used)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use pipeline_db::Db;
use pipeline_db::repo::{companies, runs};
use pipeline_domain::RunStatus;

const BIN: &str = env!("CARGO_BIN_EXE_pipeline-cli");

/// A port nothing listens on.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn cli(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::null());
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("PIPELINE_")) {
        cmd.env_remove(key);
    }
    cmd
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into(),
        String::from_utf8_lossy(&stderr).into(),
    )
}

fn csv_config(dir: &Path, csv: &str) -> PathBuf {
    std::fs::write(dir.join("companies.csv"), csv).unwrap();
    let config = "[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"list\"\nkind = \"csv\"\npath = \"companies.csv\"\n";
    std::fs::write(dir.join("pipeline.toml"), config).unwrap();
    dir.join("pipeline.toml")
}

fn db(dir: &Path) -> Db {
    Db::open(dir.join("data/pipeline.db").to_str().unwrap()).unwrap()
}

#[test]
fn once_from_an_empty_directory_uses_defaults_and_reports_unreachable_directories() {
    let dir = tempfile::tempdir().unwrap();
    let port = closed_port();
    let (code, out, err) = run(cli(dir.path())
        .args(["once"])
        .env(
            "PIPELINE_DIRECTORY__BUILTIN_URLS__CATALONIA",
            format!("http://127.0.0.1:{port}/list-of-startups"),
        )
        .env(
            "PIPELINE_DIRECTORY__BUILTIN_URLS__MADRIMASD",
            format!("http://127.0.0.1:{port}/m"),
        )
        .env(
            "PIPELINE_DIRECTORY__BUILTIN_URLS__LANZADERA",
            format!("http://127.0.0.1:{port}/proyectos/"),
        )
        .env("PIPELINE_HTTP__RETRIES", "0"));
    assert_eq!(code, 3, "stdout: {out}\nstderr: {err}");
    assert!(dir.path().join("data/pipeline.db").exists());
    assert!(
        out.contains("directory") && out.contains("partial") && out.contains("sources_failed=3"),
        "{out}"
    );
    for source in ["catalonia", "madrimasd", "lanzadera"] {
        assert!(
            out.contains(&format!("{source}: http://127.0.0.1:{port}")),
            "{out}"
        );
    }
}

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
fn the_same_csv_loaded_twice_makes_no_duplicates_and_updates_last_seen() {
    let dir = tempfile::tempdir().unwrap();
    csv_config(
        dir.path(),
        "name,website\nAcme,https://acme.com\nAcme SL,http://www.ACME.com/\nBeta,beta.io\nSolo Name,\n",
    );
    let (code, out, err) = run(cli(dir.path()).arg("once"));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("companies_new=3"), "{out}");
    let first = db(dir.path()).read(|c| companies::entries_of(c, 1)).unwrap()[0].last_seen_at;
    let (code, out, _) = run(cli(dir.path()).arg("once"));
    assert_eq!(code, 0);
    assert!(!out.contains("companies_new"), "{out}");
    let entries = db(dir.path()).read(|c| companies::entries_of(c, 1)).unwrap();
    assert!(entries[0].last_seen_at > first && entries[0].first_seen_at < entries[0].last_seen_at);
    let (_, json, _) = run(cli(dir.path()).args(["companies", "--json"]));
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert_eq!(list[0]["sources"], serde_json::json!(["list"]));
    assert_eq!(list[0]["domain"], "acme.com");
}

#[test]
fn bad_rows_are_reported_with_source_and_line_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    csv_config(
        dir.path(),
        "name,website\nGood,good.es\n,\nBad Url,http://bad url\nToo,many,fields\nAlso Good,also.es\n",
    );
    let (code, out, err) = run(cli(dir.path()).arg("once"));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("rows_bad=3") && out.contains("companies_new=2"),
        "{out}"
    );
    for line in ["line 3", "line 4", "line 5"] {
        assert!(
            err.contains(line) && err.contains("list"),
            "missing {line} in {err}"
        );
    }
}

/// A server that accepts connections and never answers: a run that reads from it holds its lock.
fn stalling_server() -> (u16, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(4) {
            held.push(stream);
        }
        std::thread::sleep(Duration::from_secs(60));
    });
    (port, handle)
}

fn stalled_config(dir: &Path, port: u16) {
    let config = format!(
        "[http]\ntimeout = \"60s\"\nretries = 0\n\n[directory]\nbuiltin = [\"catalonia\"]\n\n[directory.builtin_urls]\ncatalonia = \"http://127.0.0.1:{port}/list-of-startups\"\n"
    );
    std::fs::write(dir.join("pipeline.toml"), config).unwrap();
}

fn wait_for(mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < Duration::from_secs(30), "timed out waiting");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn running_runs(dir: &Path) -> usize {
    if !dir.join("data/pipeline.db").exists() {
        return 0;
    }
    db(dir)
        .read(|c| runs::latest(c, 10))
        .map(|r| r.iter().filter(|r| r.status == RunStatus::Running).count())
        .unwrap_or(0)
}

fn signal(child: &Child, sig: &str) {
    Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
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

#[test]
fn companies_csv_has_the_contract_columns() {
    let dir = tempfile::tempdir().unwrap();
    csv_config(dir.path(), "name,website\nAcme,acme.com\n");
    assert_eq!(run(cli(dir.path()).arg("once")).0, 0);
    let (_, out, _) = run(cli(dir.path()).args(["companies", "--csv"]));
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,name,domain,website,resolution,boards,max_score,offer_count,unique_offer_count,strong_offer_count,open_offer_count,avg_strong_score,top_category,top_category_name,top_offer_url,last_strong_at,sources"
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("1,Acme,acme.com,https://acme.com/,PENDING,,0.0,0,0,0,0,"),
        "{out}"
    );
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

#[test]
fn json_logs_are_one_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    csv_config(dir.path(), "name,website\n,\nAcme,acme.com\n");
    let (code, _, err) = run(cli(dir.path()).args(["once", "--log-format", "json"]));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = err.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let bad = lines.iter().find(|l| l["message"] == "bad row skipped").unwrap();
    assert_eq!(
        (bad["source"].as_str(), bad["location"].as_str()),
        (Some("list"), Some("line 2"))
    );
}

#[test]
fn an_unknown_stage_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(cli(dir.path()).args(["once", "--stage", "directroy"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown stage `directroy`"), "{err}");
}

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
    let (_, out, _) = run(cli(dir.path())
        .args(["score", "--title", "Support Specialist", "--json"])
        .arg(post_with(
            dir.path(),
            "Apply at https://stripe.com/jobs/apply?id=12345",
        )));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["score"], 0, "a link to stripe.com is not a Stripe signal");
}

fn post_with(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("post.txt");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_bad_catalog_stops_once_before_any_work_and_catalog_check_names_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = "version = \"1\"\n\n[[categories]]\nid = \"cat_fx_x\"\nname = \"X\"\ntier = 9\n\n[[keywords]]\nid = \"kw\"\ncategory_id = \"cat_fx_x\"\ncanonical = \"x\"\naliases = [\"usd\"]\n";
    std::fs::write(dir.path().join("catalog.toml"), catalog).unwrap();
    std::fs::write(dir.path().join("pipeline.toml"), "catalog = \"catalog.toml\"\n").unwrap();
    let (code, _, err) = run(cli(dir.path()).arg("once"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("catalog.toml") && err.contains("tier"), "{err}");
    assert!(!dir.path().join("data").exists(), "nothing was done");
    let (code, _, err) = run(cli(dir.path()).args(["catalog", "check"]));
    assert_eq!(code, 2);
    assert!(err.contains("line"), "the line is named: {err}");
    let (code, out, _) = run(cli(dir.path()).args(["catalog", "check", "missing.toml"]));
    assert_eq!(code, 2, "{out}");
    std::fs::write(dir.path().join("pipeline.toml"), "").unwrap();
    let (code, out, _) = run(cli(dir.path()).args(["catalog", "check"]));
    assert_eq!(code, 0);
    assert!(out.contains("10 categories, 34 keywords, 14 phrases"), "{out}");
}

/// A world on loopback and a config file pointing at it.
fn world_config(dir: &Path, seed: u64, companies: usize) -> pipeline_testkit::WorldHandle {
    let world = pipeline_testkit::World::generate(seed, companies)
        .start()
        .unwrap();
    let config = world.config_toml(dir).unwrap() + "\n[directory]\nbuiltin = []\n";
    std::fs::write(dir.join("pipeline.toml"), config).unwrap();
    world
}

#[test]
fn board_prints_the_normalised_postings_of_every_provider() {
    let dir = tempfile::tempdir().unwrap();
    let world = world_config(dir.path(), 31, 60);
    let boards: Vec<(String, usize)> = world.read(|w| {
        w.boards
            .values()
            .map(|b| (b.reference.to_string(), b.postings.len()))
            .collect()
    });
    let providers = [
        "greenhouse",
        "lever",
        "ashby",
        "workable",
        "smartrecruiters",
        "recruitee",
        "personio",
        "teamtailor",
        "workday",
    ];
    for provider in providers {
        // The smallest non-empty board of the provider keeps the test quick.
        let of_provider = boards
            .iter()
            .filter(|(b, n)| b.starts_with(&format!("{provider}:")) && *n > 0);
        let Some((board, _)) = of_provider.min_by_key(|(_, n)| *n) else {
            continue;
        };
        let (code, out, err) = run(cli(dir.path()).args(["board", board, "--json"]));
        assert_eq!(code, 0, "{board}: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["board"].as_str().unwrap().to_lowercase(), board.to_lowercase());
        for p in v["postings"].as_array().unwrap() {
            assert!(p["title"].as_str().is_some_and(|t| !t.is_empty()), "{board}: {p}");
            assert!(
                !p["description"].as_str().unwrap_or("").contains("</"),
                "{board}: markup left: {p}"
            );
            if let Some(t) = p["published_at"].as_str() {
                assert!(t.ends_with('Z') && t.len() == 20, "{board}: {t}");
            }
        }
    }
    let (code, _, err) = run(cli(dir.path()).args(["board", "greenhouse:no-such-board", "--json"]));
    assert_eq!(code, 3, "a gone board exits 3: {err}");
    assert!(err.contains("gone"), "{err}");
    assert_eq!(run(cli(dir.path()).args(["board", "nonsense"])).0, 2);
}

#[test]
fn detect_finds_and_validates_a_sites_boards() {
    let dir = tempfile::tempdir().unwrap();
    let world = world_config(dir.path(), 32, 30);
    let truth = world.truth();
    let company = truth.companies.iter().find(|c| !c.boards.is_empty()).unwrap();
    let (code, out, err) = run(cli(dir.path()).args(["detect", &world.site_url(&company.domain), "--json"]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let found: Vec<String> = v["boards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["board"].as_str().unwrap().to_lowercase())
        .collect();
    for board in &company.boards {
        assert!(
            found.contains(&board.to_string().to_lowercase()),
            "{board} not in {found:?}"
        );
    }
    assert!(v["pages_fetched"].as_u64().unwrap() >= 1);
    assert!(v["error"].is_null());
    let (code, out, _) = run(cli(dir.path()).args(["detect", "http://127.0.0.1:9/", "--json"]));
    assert_eq!(code, 3, "{out}");
}

#[test]
fn detect_refuses_loopback_when_the_ssrf_guard_is_on() {
    let dir = tempfile::tempdir().unwrap();
    let world = world_config(dir.path(), 33, 5);
    let config = std::fs::read_to_string(dir.path().join("pipeline.toml")).unwrap();
    let guarded = config.replace("allow_private_networks = true", "allow_private_networks = false");
    std::fs::write(dir.path().join("pipeline.toml"), guarded).unwrap();
    let domain = world.truth().companies[0].domain.clone();
    let (code, out, _) = run(cli(dir.path()).args(["detect", &world.site_url(&domain), "--json"]));
    assert_eq!(code, 3, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["error"].as_str().unwrap().contains("SSRF"), "{v}");
    assert_eq!(
        world.log().count_tenant("site", &domain),
        0,
        "nothing reached the site"
    );
}
