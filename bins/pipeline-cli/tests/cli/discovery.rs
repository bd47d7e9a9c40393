//! `once --stage discovery` as a user runs it against a simulated world: `[[boards]]` entries (a company
//! the DB does not know is a configuration error; a declared board is validated but kept whatever its API
//! says), `--dry-run` (detects and reports, writes nothing), and the boards column of `companies`.

use std::path::Path;

use pipeline_db::repo::companies::{self, CompanyFilter};
use pipeline_db::repo::{boards, discovery};
use pipeline_testkit::WorldHandle;

use crate::{cli, db, run};

/// A world of `companies` companies, its companies as the one directory source, and `extra` appended to
/// the configuration; the directory already loaded.
fn loaded_world(dir: &Path, companies: usize, extra: &str) -> WorldHandle {
    let world = pipeline_testkit::World::generate(11, companies)
        .start()
        .expect("the world starts");
    std::fs::write(dir.join("companies.csv"), world.companies_csv()).expect("companies.csv written");
    let config = world.config_toml(dir).expect("the world's config")
        + "\n[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"world\"\nkind = \"csv\"\npath = \"companies.csv\"\n"
        + extra;
    std::fs::write(dir.join("pipeline.toml"), config).expect("pipeline.toml written");
    let (code, _, err) = run(cli(dir).args(["once", "--stage", "directory"]));
    assert_eq!(code, 0, "{err}");
    world
}

/// Every stored board of every company: (domain, reference, status, job count).
fn stored_boards(dir: &Path) -> Vec<(String, String, String, Option<i32>)> {
    let db = db(dir);
    let rows = db
        .read(|c| companies::list_ranked(c, &CompanyFilter::default()))
        .expect("companies");
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let by_company = db.read(|c| boards::of_companies(c, &ids)).expect("boards");
    let mut out = Vec::new();
    for row in &rows {
        for b in by_company.get(&row.id).into_iter().flatten() {
            let domain = row.website_domain.clone().unwrap_or_default();
            out.push((domain, b.reference.clone(), b.status.clone(), b.job_count));
        }
    }
    out
}

#[test]
fn a_boards_entry_naming_an_unknown_company_stops_the_run_with_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let _world = loaded_world(
        dir.path(),
        5,
        "\n[[boards]]\ncompany = \"nobody.test\"\nboard = \"lever:nobody\"\n",
    );
    let (code, out, err) = run(cli(dir.path()).args(["once", "--stage", "discovery"]));
    assert_eq!(code, 2, "{out}\n{err}");
    let lines = std::fs::read_to_string(dir.path().join("pipeline.toml")).unwrap();
    let line = lines.lines().position(|l| l == "[[boards]]").unwrap() + 2;
    let expected =
        format!("pipeline.toml:{line}: boards[0].company: no company `nobody.test` in the database");
    assert!(out.contains(&expected), "{out}");
    assert!(stored_boards(dir.path()).is_empty(), "nothing is applied");
}

#[test]
fn a_declared_board_is_validated_and_kept_active_even_when_its_api_does_not_answer() {
    let dir = tempfile::tempdir().unwrap();
    let world = pipeline_testkit::World::generate(11, 5)
        .start()
        .expect("the world starts");
    let truth = world.truth();
    let company = truth
        .companies
        .iter()
        .find(|c| !c.boards.is_empty())
        .expect("a company with a board");
    let (domain, board) = (company.domain.clone(), company.boards[0].to_string());
    let other = truth
        .companies
        .iter()
        .find(|c| c.domain != domain)
        .expect("another company");
    drop(world);
    let extra = format!(
        "\n[[boards]]\ncompany = \"{domain}\"\nboard = \"{board}\"\n\n[[boards]]\ncompany = \"{}\"\nboard = \"greenhouse:no-such-board-anywhere\"\n",
        other.domain
    );
    let _world = loaded_world(dir.path(), 5, &extra);
    let (code, out, err) = run(cli(dir.path()).args(["once", "--stage", "discovery", "--company", &domain]));
    assert_eq!(
        code, 3,
        "an entry the API does not confirm needs attention\n{out}\n{err}"
    );
    assert!(out.contains("not validated now"), "{out}");
    let stored = stored_boards(dir.path());
    let declared = stored.iter().find(|b| b.1 == board).expect("the declared board");
    assert_eq!(declared.2, "active");
    assert!(declared.3.is_some(), "validated: its job count is stored");
    let unconfirmed = stored
        .iter()
        .find(|b| b.1 == "greenhouse:no-such-board-anywhere")
        .expect("kept");
    assert_eq!((unconfirmed.2.as_str(), unconfirmed.3), ("active", None));
}

#[test]
fn a_dry_run_detects_and_reports_but_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let world = loaded_world(dir.path(), 12, "");
    let (code, out, err) = run(cli(dir.path()).args(["once", "--stage", "discovery", "--dry-run"]));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(err.contains("dry run: would store"), "{err}");
    assert!(out.contains("companies_checked=12"), "{out}");
    assert!(stored_boards(dir.path()).is_empty(), "no board written");
    let db = db(dir.path());
    let rows = db
        .read(|c| companies::list_ranked(c, &CompanyFilter::default()))
        .unwrap();
    for row in &rows {
        assert_eq!(db.read(|c| discovery::state_of(c, row.id)).unwrap(), None);
    }
    assert!(world.log().count("site") > 0, "the sites were read");

    let (code, out, err) = run(cli(dir.path()).args(["once", "--stage", "discovery"]));
    assert_eq!(code, 0, "{out}\n{err}");
    let stored = stored_boards(dir.path());
    let active = stored
        .iter()
        .find(|b| b.2 == "active")
        .expect("the real run writes");
    let (code, table, _) = run(cli(dir.path()).arg("companies"));
    assert_eq!(code, 0);
    let line = table
        .lines()
        .find(|l| l.contains(&active.0))
        .expect("the company's row");
    assert!(line.contains(&active.1), "its boards are listed: {line}");
}
