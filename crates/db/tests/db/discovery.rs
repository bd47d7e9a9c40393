//! Discovery's repositories: due-ness (never checked, not found until the recheck, errors with their
//! backoff, resolved companies skipped, leased companies left out), boards found, conflicts and
//! confirmations.

use std::collections::HashSet;

use chrono::Duration;
use pipeline_db::Db;
use pipeline_db::repo::boards::{self, FoundBoard, Recorded};
use pipeline_db::repo::discovery::{self, Checked};
use pipeline_db::repo::leases::Fenced;
use pipeline_db::repo::{companies, events};
use pipeline_db::testing::TestDb;
use pipeline_domain::{BoardRef, BoardStatus, CompanyInput, Resolution};

use crate::repos::{split, t};

fn company(db: &Db, name: &str, web: &str) -> i64 {
    let input = CompanyInput::from_listing(Some(name), Some(web)).expect("a valid listing");
    db.write(|c| companies::upsert_listed(c, &input, "test", None, t("2026-11-01T00:00:00Z")))
        .expect("company stored")
        .company_id
}

fn fenced<T>(db: &Db, id: i64, f: impl FnOnce(&mut Fenced<'_>) -> Result<T, pipeline_db::DbError>) -> T {
    crate::repos::fenced(db, "discovery", id, f)
}

fn due_ids(db: &Db, at: &str) -> Vec<i64> {
    db.read(|c| discovery::due(c, t(at), 100, None, &HashSet::new()))
        .expect("due")
        .into_iter()
        .map(|d| d.id)
        .collect()
}

fn found(board: &str, status: BoardStatus) -> FoundBoard {
    FoundBoard {
        board: board.parse().expect("a board reference"),
        status,
        status_reason: None,
        evidence_url: format!("https://example.com/{board}"),
        found_on: "https://acme.com/careers".into(),
        how: "link".into(),
        job_count: Some(3),
        provider_company_name: Some("Acme".into()),
    }
}

fn never_checked_first_then_not_found_waits_for_the_recheck(test: TestDb) {
    let (_t, db) = split(test);
    let (a, b) = (company(&db, "A", "a.com"), company(&db, "B", "b.com"));
    assert_eq!(due_ids(&db, "2026-12-01T00:00:00Z"), [a, b]);
    fenced(&db, a, |tx| {
        discovery::record_checked(
            tx,
            a,
            Checked::NotFound,
            t("2026-12-31T00:00:00Z"),
            t("2026-12-01T00:00:00Z"),
        )
    });
    assert_eq!(
        due_ids(&db, "2026-12-02T00:00:00Z"),
        [b],
        "not found: not due before the recheck"
    );
    assert_eq!(
        due_ids(&db, "2026-12-31T00:00:00Z"),
        [b, a],
        "never checked before the recheck"
    );
    let leased: HashSet<String> = [b.to_string()].into();
    let due = db
        .read(|c| discovery::due(c, t("2026-12-31T00:00:00Z"), 10, None, &leased))
        .expect("due");
    assert_eq!(
        due.iter().map(|d| d.id).collect::<Vec<_>>(),
        [a],
        "a leased company is not due"
    );
}

fn errors_count_failures_but_snoozes_do_not_and_a_check_resets_them(test: TestDb) {
    let (_t, db) = split(test);
    let a = company(&db, "A", "a.com");
    let now = t("2026-12-01T00:00:00Z");
    fenced(&db, a, |tx| {
        discovery::record_failure(tx, a, "transient", "503", now + Duration::minutes(5), true, now)
    });
    fenced(&db, a, |tx| {
        discovery::record_failure(
            tx,
            a,
            "rate_limited",
            "429",
            now + Duration::minutes(1),
            false,
            now,
        )
    });
    let (outcome, failures, next) = db
        .read(|c| discovery::state_of(c, a))
        .expect("state")
        .expect("a row");
    assert_eq!(
        (outcome.as_str(), failures, next),
        ("error", 1, now + Duration::minutes(1))
    );
    fenced(&db, a, |tx| {
        discovery::record_checked(tx, a, Checked::Found, now + Duration::days(90), now)
    });
    assert_eq!(
        db.read(|c| discovery::state_of(c, a))
            .expect("state")
            .expect("a row")
            .1,
        0
    );
}

fn resolved_companies_and_companies_without_a_website_are_never_due(test: TestDb) {
    let (_t, db) = split(test);
    let a = company(&db, "A", "a.com");
    let input = CompanyInput::from_listing(Some("No Site"), None).expect("a listing");
    db.write(|c| companies::upsert_listed(c, &input, "test", None, t("2026-11-01T00:00:00Z")))
        .expect("stored");
    db.write(|c| companies::set_resolution(c, a, Resolution::Rejected, t("2026-11-02T00:00:00Z")))
        .expect("resolved");
    assert!(due_ids(&db, "2026-12-01T00:00:00Z").is_empty());
}

fn a_board_is_found_updated_and_never_re_pointed_to_another_company(test: TestDb) {
    let (_t, db) = split(test);
    let (a, b) = (
        company(&db, "Acme", "acme.com"),
        company(&db, "Other", "other.com"),
    );
    let now = t("2026-12-01T00:00:00Z");
    let board = found("greenhouse:Acme", BoardStatus::Active);
    assert_eq!(
        fenced(&db, a, |tx| boards::record_found(tx.conn(), a, &board, now)),
        Recorded::Created
    );
    assert_eq!(
        fenced(&db, a, |tx| boards::record_found(tx.conn(), a, &board, now)),
        Recorded::Updated
    );
    let same_lower = found("greenhouse:acme", BoardStatus::Active);
    assert_eq!(
        fenced(&db, b, |tx| boards::record_found(tx.conn(), b, &same_lower, now)),
        Recorded::Conflict { owner: a }
    );
    let rows = db.read(|c| boards::of_companies(c, &[a, b])).expect("boards");
    assert_eq!(rows[&a].len(), 1);
    assert!(!rows.contains_key(&b), "the second company gets nothing");
    assert_eq!(
        rows[&a][0].reference, "greenhouse:Acme",
        "the tenant keeps its case"
    );
    let kinds: Vec<String> = db
        .read(|c| events::recent(c, None, 10))
        .expect("events")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert!(
        kinds.contains(&"board_conflict".to_owned()) && kinds.contains(&"board_found".to_owned()),
        "{kinds:?}"
    );
}

fn a_suspect_board_is_listed_until_confirmed_and_then_stays_active(test: TestDb) {
    let (_t, db) = split(test);
    let a = company(&db, "Acme", "acme.com");
    let now = t("2026-12-01T00:00:00Z");
    let mut suspect = found("lever:acme", BoardStatus::Suspect);
    suspect.status_reason = Some("the API names it `Zeta Corp`".into());
    fenced(&db, a, |tx| boards::record_found(tx.conn(), a, &suspect, now));
    let listed = db.read(|c| boards::suspects(c, 10)).expect("suspects");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].1.as_deref(), Some("acme.com"));
    let board: BoardRef = "lever:acme".parse().expect("a reference");
    assert_eq!(
        db.write(|c| boards::declare(c, a, &board, now))
            .expect("declared"),
        Recorded::Updated
    );
    assert!(db.read(|c| boards::suspects(c, 10)).expect("suspects").is_empty());
    fenced(&db, a, |tx| boards::record_found(tx.conn(), a, &suspect, now));
    let rows = db.read(|c| boards::of_companies(c, &[a])).expect("boards");
    assert_eq!(
        rows[&a][0].status, "active",
        "a confirmed board stays active on rediscovery"
    );
}

fn a_company_whose_board_went_gone_is_due_again_at_once(test: TestDb) {
    let (_t, db) = split(test);
    let a = company(&db, "A", "a.com");
    let now = t("2026-12-01T00:00:00Z");
    fenced(&db, a, |tx| {
        discovery::record_checked(tx, a, Checked::Found, now + Duration::days(90), now)
    });
    assert!(due_ids(&db, "2026-12-02T00:00:00Z").is_empty());
    db.write(|c| discovery::make_due(c, a, t("2026-12-02T00:00:00Z")))
        .expect("made due");
    assert_eq!(due_ids(&db, "2026-12-02T00:00:00Z"), [a]);
}

fn a_board_held_only_as_suspect_goes_to_the_company_it_validates_for(test: TestDb) {
    let (_t, db) = split(test);
    let (partner, owner) = (
        company(&db, "Vertex", "vertex.com"),
        company(&db, "Duna", "duna.com"),
    );
    let now = t("2026-12-01T00:00:00Z");
    let linked = found("lever:duna", BoardStatus::Suspect);
    fenced(&db, partner, |tx| {
        boards::record_found(tx.conn(), partner, &linked, now)
    });
    let own = found("lever:duna", BoardStatus::Active);
    assert_eq!(
        fenced(&db, owner, |tx| boards::record_found(tx.conn(), owner, &own, now)),
        Recorded::Created
    );
    let rows = db
        .read(|c| boards::of_companies(c, &[partner, owner]))
        .expect("boards");
    assert!(!rows.contains_key(&partner));
    assert_eq!(rows[&owner][0].status, "active");
    let kinds: Vec<String> = db
        .read(|c| events::recent(c, None, 10))
        .expect("events")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert!(kinds.contains(&"board_reassigned".to_owned()), "{kinds:?}");
}

crate::on_both_backends!(
    never_checked_first_then_not_found_waits_for_the_recheck,
    errors_count_failures_but_snoozes_do_not_and_a_check_resets_them,
    resolved_companies_and_companies_without_a_website_are_never_due,
    a_board_is_found_updated_and_never_re_pointed_to_another_company,
    a_suspect_board_is_listed_until_confirmed_and_then_stays_active,
    a_company_whose_board_went_gone_is_due_again_at_once,
    a_board_held_only_as_suspect_goes_to_the_company_it_validates_for,
);
