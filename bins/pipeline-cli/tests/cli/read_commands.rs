//! Snapshots (insta) of the read commands' output on a fixture database: `companies` as a table, `--json` and
//! `--csv`; `offers` as a table and `--json`; `export` as CSV and JSON. The fixture is written through the
//! db crate's repositories with fixed times, then scored by `once --stage scoring`: what the commands print
//! depends on neither the day nor the machine. After a deliberate change of the output,
//! `INSTA_UPDATE=always cargo test -p pipeline-cli read_commands` rewrites the snapshots in
//! `tests/cli/snapshots/`: review them in the diff.

use std::path::Path;

use chrono::{DateTime, Utc};
use pipeline_db::Db;
use pipeline_db::repo::boards::{self, FoundBoard};
use pipeline_db::repo::{companies, postings};
use pipeline_domain::{BoardRef, BoardStatus, CompanyInput, NormalizedPosting, Resolution};

use crate::{cli, run};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .expect("a valid RFC 3339 instant")
}

fn posting(id: &str, title: &str, description: &str, published: &str) -> NormalizedPosting {
    NormalizedPosting {
        external_id: id.to_owned(),
        url: format!("https://jobs.example.com/{id}"),
        title: title.to_owned(),
        description: description.to_owned(),
        locations: vec!["Madrid".to_owned()],
        department: None,
        employment_type: None,
        workplace: None,
        salary: None,
        requisition_id: None,
        published_at: Some(at(published)),
        updated_at: None,
    }
}

/// A company listed by `sources`, with its board `reference` declared; returns (company id, board id).
fn company(
    db: &Db,
    name: &str,
    website: Option<&str>,
    sources: &[&str],
    reference: Option<&str>,
) -> (i64, i64) {
    let now = at("2026-11-01T08:00:00Z");
    let input = CompanyInput::from_listing(Some(name), website).expect("a valid listing");
    db.write(|c| {
        let mut id = 0;
        for source in sources {
            id = companies::upsert_listed(c, &input, source, None, now)?.company_id;
        }
        let Some(reference) = reference else {
            return Ok((id, 0));
        };
        let board: BoardRef = reference.parse().expect("a board reference");
        boards::declare(c, id, &board, now)?;
        Ok((id, boards::of_companies(c, &[id])?[&id][0].id))
    })
    .expect("company written")
}

/// Three companies: one hiring for foreign-exchange work (a strong posting, its repost, a closed posting, a
/// suspect second board), one whose name looks like a spreadsheet formula, one known by name only.
fn seed(dir: &Path) {
    std::fs::create_dir_all(dir.join("data")).expect("data/ created");
    let db = Db::open(&dir.join("data/pipeline.db").display().to_string()).expect("the database opens");
    db.migrate().expect("migrated");
    let now = at("2026-11-20T10:00:00Z");
    let (ionic, board) = company(
        &db,
        "Ionic Finance S.L.",
        Some("https://www.ionicfinance.test/"),
        &["catalonia", "world-list"],
        Some("workable:ionicfinance"),
    );
    db.write(|c| {
        let treasury = posting(
            "ionic-1",
            "Treasury Analyst",
            "Gestionarás pagos internacionales y cuentas multidivisa en USD; experiencia en foreign exchange.",
            "2026-11-10T09:00:00Z",
        );
        let first = postings::insert(c, board, ionic, &treasury, "h1", false, None, now)?;
        let backend = posting(
            "ionic-2",
            "Backend Engineer",
            "Python and AWS; our customers are all over Europe.",
            "2026-11-12T09:00:00Z",
        );
        postings::insert(c, board, ionic, &backend, "h2", false, None, now)?;
        let repost = posting("ionic-3", "Treasury Analyst", &treasury.description, "2026-11-15T09:00:00Z");
        postings::insert(c, board, ionic, &repost, "h3", false, Some(first), now)?;
        let office = posting(
            "ionic-4",
            "Office Manager",
            "Gestión de la oficina de Madrid.",
            "2026-10-01T09:00:00Z",
        );
        let closed = postings::insert(c, board, ionic, &office, "h4", false, None, now)?;
        postings::close(c, &[closed], at("2026-11-18T10:00:00Z"))?;
        let suspect = FoundBoard {
            board: "lever:ionic-fin@eu".parse().expect("a board reference"),
            status: BoardStatus::Suspect,
            status_reason: Some("the provider names another company".to_owned()),
            evidence_url: "https://jobs.eu.lever.co/ionic-fin".to_owned(),
            found_on: "https://www.ionicfinance.test/careers".to_owned(),
            how: "link".to_owned(),
            job_count: Some(0),
            provider_company_name: Some("Ionic Fintech".to_owned()),
        };
        boards::record_found(c, ionic, &suspect, now)?;
        Ok(())
    })
    .expect("postings written");
    let (formula, board) = company(
        &db,
        "=HYPERLINK(\"https://evil.test\")",
        Some("https://formula.test"),
        &["world-list"],
        Some("lever:formula"),
    );
    db.write(|c| {
        let sales = posting(
            "formula-1",
            "+Sales Lead LATAM",
            "Vender nuestro SaaS a clientes en LATAM y EEUU, cobros con Stripe.",
            "2026-11-05T09:00:00Z",
        );
        postings::insert(c, board, formula, &sales, "f1", false, None, now)?;
        companies::set_resolution(c, formula, Resolution::InProgress, now)?;
        Ok(())
    })
    .expect("postings written");
    company(&db, "Cierzo Studio", None, &["madrimasd"], None);
}

/// stdout of a successful command; trailing spaces of table rows dropped.
fn output(dir: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(cli(dir).args(args));
    assert_eq!(code, 0, "{args:?}: {err}");
    out.lines()
        .map(|line| line.trim_end().to_owned() + "\n")
        .collect()
}

#[test]
fn companies_offers_and_export_print_what_the_fixture_holds() {
    let dir = tempfile::tempdir().unwrap();
    let config = "[directory]\nbuiltin = []\n\n[sheets]\nmin_score = 1.0\n";
    std::fs::write(dir.path().join("pipeline.toml"), config).unwrap();
    seed(dir.path());
    let (code, out, err) = run(cli(dir.path()).args(["once", "--stage", "scoring"]));
    assert_eq!(code, 0, "{out}\n{err}");

    let dir = dir.path();
    insta::assert_snapshot!("companies_text", output(dir, &["companies"]));
    insta::assert_snapshot!("companies_json", output(dir, &["companies", "--json"]));
    insta::assert_snapshot!("companies_csv", output(dir, &["companies", "--csv"]));
    let ionic = ["offers", "--company", "ionicfinance.test"];
    insta::assert_snapshot!("offers_text", output(dir, &ionic));
    insta::assert_snapshot!("offers_json", output(dir, &[&ionic[..], &["--json"]].concat()));
    insta::assert_snapshot!("export_csv", output(dir, &["export", "--format", "csv"]));
    insta::assert_snapshot!("export_json", output(dir, &["export", "--format", "json"]));
}
