//! `once` through ingestion and scoring against a simulated world, and `offers`: a company's stored
//! postings with their scores.

use serde_json::Value;

use crate::{cli, run};

#[test]
fn once_stores_the_postings_and_offers_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let world = pipeline_testkit::World::generate(19, 8)
        .start()
        .expect("the world starts");
    std::fs::write(dir.path().join("companies.csv"), world.companies_csv()).unwrap();
    let config = world.config_toml(dir.path()).unwrap()
        + "\n[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"world\"\nkind = \"csv\"\npath = \"companies.csv\"\n";
    std::fs::write(dir.path().join("pipeline.toml"), config).unwrap();
    let (code, out, err) = run(cli(dir.path()).arg("once"));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("ingestion"), "{out}");

    let truth = world.truth();
    let company = truth
        .companies
        .iter()
        .filter(|c| c.boards.len() == 1)
        .max_by_key(|c| c.open_postings)
        .expect("a company with one board");
    let (code, json, err) = run(cli(dir.path()).args(["offers", "--company", &company.domain, "--json"]));
    assert_eq!(code, 0, "{err}");
    let offers: Vec<Value> = serde_json::from_str(&json).unwrap();
    let listed = world.read(|w| {
        let reference = company.boards[0].to_string().to_lowercase();
        w.boards
            .values()
            .find(|b| b.reference.to_string().to_lowercase() == reference)
            .map(|b| b.postings.iter().filter(|p| p.listed).count())
            .unwrap_or_default()
    });
    assert_eq!(offers.len(), listed, "{json}");
    for offer in &offers {
        for key in [
            "id",
            "board",
            "provider",
            "external_id",
            "url",
            "title",
            "published_at",
            "repost_count",
        ] {
            assert!(!offer[key].is_null(), "{key} missing in {offer}");
        }
        assert!(offer["closed_at"].is_null(), "{offer}");
        let score = offer["score"]
            .as_u64()
            .expect("scored by the cycle's scoring stage");
        assert!(score <= 10, "{offer}");
    }
    let (code, table, _) = run(cli(dir.path()).args(["offers", "--company", &company.domain]));
    assert_eq!(code, 0);
    assert_eq!(
        table.lines().count(),
        offers.len() + 1 + usize::from(table.contains("* a repost")),
        "{table}"
    );

    let (code, _, err) = run(cli(dir.path()).args(["offers", "--company", "nobody.test"]));
    assert_eq!(code, 2, "{err}");

    // Ranked companies name their top category and link their top offer.
    let (_, json, _) = run(cli(dir.path()).args(["companies", "--json"]));
    let companies: Vec<Value> = serde_json::from_str(&json).unwrap();
    let top = &companies[0];
    assert!(top["max_score"].as_f64().unwrap() > 0.0, "{top}");
    assert!(
        top["top_category_name"].is_string() && top["top_offer_url"].is_string(),
        "{top}"
    );
}

#[test]
fn the_providers_apis_over_https_are_trusted_through_http_ca_file() {
    let dir = tempfile::tempdir().unwrap();
    let world = pipeline_testkit::World::generate(19, 8)
        .start_with_tls()
        .expect("the world starts");
    std::fs::write(dir.path().join("companies.csv"), world.companies_csv()).unwrap();
    let config = world.config_toml(dir.path()).unwrap()
        + "\n[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"world\"\nkind = \"csv\"\npath = \"companies.csv\"\n";
    assert!(
        config.contains("ca_file = ") && config.contains("base_url = \"https://"),
        "{config}"
    );
    // Loopback: no need for the default 2 requests/s.
    let config = config.replace(
        "\nbase_url = \"https://",
        "\nrequests_per_second = 200.0\nbase_url = \"https://",
    );
    std::fs::write(dir.path().join("pipeline.toml"), &config).unwrap();
    let (code, out, err) = run(cli(dir.path()).arg("once"));
    assert_eq!(code, 0, "{out}\n{err}");
    let (_, json, _) = run(cli(dir.path()).args(["status", "--json"]));
    let status: Value = serde_json::from_str(&json).unwrap();
    let ingestion = status["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["stage"] == "ingestion")
        .unwrap();
    assert!(
        ingestion["counters"]["postings_new"].as_u64().unwrap() > 0,
        "{ingestion}"
    );

    // Without the CA the same APIs are refused: no board validates.
    let untrusting: String = config
        .lines()
        .filter(|l| !l.starts_with("ca_file"))
        .collect::<Vec<_>>()
        .join("\n");
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("companies.csv"), world.companies_csv()).unwrap();
    std::fs::write(other.path().join("pipeline.toml"), untrusting).unwrap();
    run(cli(other.path()).args(["once", "--stage", "directory", "--stage", "discovery"]));
    let (_, json, _) = run(cli(other.path()).args(["status", "--json"]));
    let status: Value = serde_json::from_str(&json).unwrap();
    let runs = status["runs"].as_array().unwrap();
    let discovery = runs.iter().find(|r| r["stage"] == "discovery").unwrap();
    assert_eq!(discovery["counters"]["boards_active"], 0, "{discovery}");
    assert!(
        discovery["counters"]["companies_checked"].as_u64().unwrap() > 0,
        "{discovery}"
    );
}
