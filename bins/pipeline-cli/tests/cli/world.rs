//! `board` and `detect` against a simulated world on loopback.

use std::path::Path;

use expect_test::expect;

use crate::{cli, normalize, run};

/// A world on loopback and a config file pointing at it.
fn world_config(dir: &Path, seed: u64, companies: usize) -> pipeline_testkit::WorldHandle {
    let world = pipeline_testkit::World::generate(seed, companies)
        .start()
        .expect("the world starts");
    let config = world.config_toml(dir).expect("the world's config") + "\n[directory]\nbuiltin = []\n";
    std::fs::write(dir.join("pipeline.toml"), config).expect("pipeline.toml written");
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
    expect![[r#"
        error: board greenhouse:no-such-board is gone: http://127.0.0.1:<port>/greenhouse/v1/boards/no-such-board/jobs?content=true: HTTP 404: {"error":"Not Found","status":404}
    "#]].assert_eq(&normalize(&err, dir.path()));
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

#[test]
fn doctor_obtains_a_token_and_checks_the_header_of_the_world_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let world = world_config(dir.path(), 32, 2);
    let (code, out, err) = run(cli(dir.path()).arg("doctor"));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ok   credentials  access token obtained"), "{out}");
    assert!(
        out.contains("ok   sheet        tab `Companies` is empty; the sheets stage writes the header"),
        "{out}"
    );
    assert_eq!(world.google(|g| g.grants.len()), 1, "a real JWT grant");

    world.seed_sheet(
        "Companies",
        vec![vec!["Id".into(), "Name".into()], vec!["1".into()]],
    );
    let (code, out, _) = run(cli(dir.path()).arg("doctor"));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAIL sheet        tab `Companies`: the header row does not match"),
        "{out}"
    );
    assert!(
        out.contains("column A: expected `ID Empresa`, found `Id`"),
        "{out}"
    );

    // The original's environment variables instead of a key file; the private key never printed.
    let config = std::fs::read_to_string(dir.path().join("pipeline.toml")).unwrap();
    let without_key: String = config
        .lines()
        .filter(|l| !l.starts_with("credentials"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("pipeline.toml"), without_key).unwrap();
    let pem = pipeline_testkit::google::oauth::TEST_PRIVATE_KEY_PEM.replace('\n', "\\n");
    let (code, out, err) = run(cli(dir.path())
        .arg("doctor")
        .env(
            "GOOGLE_SERVICE_ACCOUNT_EMAIL",
            pipeline_testkit::google::oauth::CLIENT_EMAIL,
        )
        .env("GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY", format!("\"{pem}\"")));
    assert!(
        out.contains("ok   credentials  access token obtained"),
        "{code} {out}{err}"
    );
    assert!(
        !out.contains("PRIVATE KEY") && !err.contains("PRIVATE KEY"),
        "{out}{err}"
    );
    let (code, out, _) = run(cli(dir.path())
        .arg("doctor")
        .env(
            "GOOGLE_SERVICE_ACCOUNT_EMAIL",
            pipeline_testkit::google::oauth::CLIENT_EMAIL,
        )
        .env("GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY", "not a key"));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL credentials  Google credentials: GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY is not a PEM private key"), "{out}");
}
