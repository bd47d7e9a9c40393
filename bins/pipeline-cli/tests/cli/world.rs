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
