//! `once` through ingestion against a simulated world, and `offers`: a company's stored postings.

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
        assert!(
            offer["score"].is_null() && offer["closed_at"].is_null(),
            "{offer}"
        );
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
}
