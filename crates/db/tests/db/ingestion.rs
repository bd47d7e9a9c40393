//! Ingestion's repositories: which boards are due (active ones of companies not resolved, paused
//! providers and leased boards left out, never fetched first), what a fetch records (validators kept only
//! from a complete read, failures counted unless snoozed), and a gone board sending its company back to
//! discovery.

use std::collections::HashSet;

use chrono::Duration;
use pipeline_db::Db;
use pipeline_db::repo::boards::{self, FoundBoard};
use pipeline_db::repo::discovery::{self, Checked};
use pipeline_db::repo::ingestion::{self, Fetched};
use pipeline_db::repo::leases::Fenced;
use pipeline_db::repo::{companies, events};
use pipeline_db::testing::TestDb;
use pipeline_domain::{BoardStatus, CompanyInput, Resolution};

use crate::repos::{split, t};

/// A company with one board of `status`; returns (company id, board id).
fn company_with_board(db: &Db, domain: &str, board: &str, status: BoardStatus) -> (i64, i64) {
    let now = t("2026-11-01T00:00:00Z");
    let input = CompanyInput::from_listing(Some(domain), Some(domain)).expect("a valid listing");
    let found = FoundBoard {
        board: board.parse().expect("a board reference"),
        status,
        status_reason: None,
        evidence_url: format!("https://{domain}/jobs"),
        found_on: format!("https://{domain}/careers"),
        how: "link".into(),
        job_count: Some(1),
        provider_company_name: None,
    };
    db.write(|c| {
        let id = companies::upsert_listed(c, &input, "test", None, now)?.company_id;
        boards::record_found(c, id, &found, now)?;
        let board_id = boards::of_companies(c, &[id])?[&id][0].id;
        Ok((id, board_id))
    })
    .expect("stored")
}

fn fenced<T>(db: &Db, id: i64, f: impl FnOnce(&mut Fenced<'_>) -> Result<T, pipeline_db::DbError>) -> T {
    crate::repos::fenced(db, "ingestion", id, f)
}

fn due(db: &Db, at: &str, paused: &[&str]) -> Vec<i64> {
    let paused: Vec<String> = paused.iter().map(|p| (*p).to_owned()).collect();
    db.read(|c| ingestion::due(c, t(at), 100, None, &paused, &HashSet::new()))
        .expect("due")
        .into_iter()
        .map(|b| b.id)
        .collect()
}

fn active_boards_of_open_companies_are_due_never_fetched_first_and_paused_providers_wait(test: TestDb) {
    let (_t, db) = split(test);
    let (_, a) = company_with_board(&db, "a.com", "greenhouse:a", BoardStatus::Active);
    let (_, b) = company_with_board(&db, "b.com", "lever:b", BoardStatus::Active);
    let (_, _suspect) = company_with_board(&db, "c.com", "ashby:c", BoardStatus::Suspect);
    let (resolved, _) = company_with_board(&db, "d.com", "workable:d", BoardStatus::Active);
    db.write(|c| companies::set_resolution(c, resolved, Resolution::Rejected, t("2026-11-02T00:00:00Z")))
        .expect("resolved");
    assert_eq!(due(&db, "2026-12-01T00:00:00Z", &[]), [a, b]);
    assert_eq!(
        due(&db, "2026-12-01T00:00:00Z", &["lever"]),
        [a],
        "a paused provider's boards wait"
    );

    let now = t("2026-12-01T00:00:00Z");
    let validators = Some((Some("\"v1\"".to_owned()), None));
    fenced(&db, a, |tx| {
        ingestion::record_fetched(
            tx,
            a,
            Fetched::Complete,
            validators,
            now + Duration::hours(24),
            now,
        )
    });
    assert_eq!(
        due(&db, "2026-12-01T12:00:00Z", &[]),
        [b],
        "fetched: due again after refresh_after"
    );
    assert_eq!(
        due(&db, "2026-12-02T01:00:00Z", &[]),
        [b, a],
        "never fetched first, then oldest due"
    );
    let row = db
        .read(|c| {
            ingestion::due(
                c,
                t("2026-12-02T01:00:00Z"),
                10,
                Some("a.com"),
                &[],
                &HashSet::new(),
            )
        })
        .unwrap();
    assert_eq!(row[0].etag.as_deref(), Some("\"v1\""));

    // A 304 keeps the validators it was sent with.
    let sent = Some((row[0].etag.clone(), row[0].last_modified.clone()));
    fenced(&db, a, |tx| {
        ingestion::record_fetched(tx, a, Fetched::NotModified, sent, now, now)
    });
    let row = db
        .read(|c| ingestion::due(c, now, 10, Some("a.com"), &[], &HashSet::new()))
        .unwrap();
    assert_eq!(row[0].etag.as_deref(), Some("\"v1\""));

    // An incomplete read must be read whole again: its validators are not kept.
    fenced(&db, a, |tx| {
        ingestion::record_fetched(
            tx,
            a,
            Fetched::Incomplete,
            Some((Some("\"v2\"".into()), None)),
            now,
            now,
        )
    });
    let row = db
        .read(|c| ingestion::due(c, now, 10, Some("a.com"), &[], &HashSet::new()))
        .unwrap();
    assert_eq!(row[0].etag, None);
}

fn failures_count_but_snoozes_do_not_and_a_fetch_resets_them(test: TestDb) {
    let (_t, db) = split(test);
    let (_, a) = company_with_board(&db, "a.com", "greenhouse:a", BoardStatus::Active);
    let now = t("2026-12-01T00:00:00Z");
    fenced(&db, a, |tx| {
        ingestion::record_failure(tx, a, "transient", "HTTP 503", now, true)
    });
    fenced(&db, a, |tx| {
        ingestion::record_failure(tx, a, "rate_limited", "HTTP 429", now, false)
    });
    fenced(&db, a, |tx| {
        ingestion::record_failure(tx, a, "transient", "timed out", now, true)
    });
    let (outcome, failures, _) = db.read(|c| ingestion::state_of(c, a)).unwrap().unwrap();
    assert_eq!((outcome.as_str(), failures), ("error", 2));
    fenced(&db, a, |tx| {
        ingestion::record_fetched(tx, a, Fetched::NotModified, None, now, now)
    });
    let (outcome, failures, _) = db.read(|c| ingestion::state_of(c, a)).unwrap().unwrap();
    assert_eq!((outcome.as_str(), failures), ("not_modified", 0));
}

fn a_gone_board_is_no_longer_due_and_its_company_is_looked_at_again_at_once(test: TestDb) {
    let (_t, db) = split(test);
    let (company, a) = company_with_board(&db, "a.com", "greenhouse:a", BoardStatus::Active);
    let now = t("2026-12-01T00:00:00Z");
    crate::repos::fenced(&db, "discovery", company, |tx| {
        discovery::record_checked(tx, company, Checked::Found, now + Duration::days(90), now)
    });
    fenced(&db, a, |tx| ingestion::mark_gone(tx, a, "HTTP 404", now));
    assert!(due(&db, "2026-12-03T00:00:00Z", &[]).is_empty());
    let board = db.read(|c| boards::of_companies(c, &[company])).unwrap()[&company][0].clone();
    assert_eq!(board.status, "gone");
    let (_, _, next) = db.read(|c| discovery::state_of(c, company)).unwrap().unwrap();
    assert_eq!(next, now, "discovery due at once");
    let gone = db.read(|c| events::recent(c, Some("board_gone"), 10)).unwrap();
    assert_eq!(gone.len(), 1);
}

crate::on_both_backends!(
    active_boards_of_open_companies_are_due_never_fetched_first_and_paused_providers_wait,
    failures_count_but_snoozes_do_not_and_a_fetch_resets_them,
    a_gone_board_is_no_longer_due_and_its_company_is_looked_at_again_at_once,
);
