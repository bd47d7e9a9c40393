//! Writing a board's postings (docs/stages.md#ingestion-persistence) on a real SQLite DB: upsert by
//! (board, external id), unchanged postings write nothing, the repost checklist of
//! docs/original-system.md#ref-12, closing and reopening, and an incomplete fetch closing nothing.

use chrono::{DateTime, Duration, Utc};
use pipeline_ats::SourceHash;
use pipeline_db::repo::postings::{self, PostingRow};
use pipeline_db::repo::{boards, companies};
use pipeline_db::testing::TestDb;
use pipeline_domain::{BoardRef, CompanyInput, Counter, NormalizedPosting, Provider, RunCounters};
use pipeline_runners::ingestion::{BoardPostings, persist};

pub(super) fn posting(id: &str, title: &str, description: &str, day: i64) -> NormalizedPosting {
    NormalizedPosting {
        external_id: id.to_owned(),
        url: format!("https://jobs.example/{id}"),
        title: title.to_owned(),
        description: description.to_owned(),
        locations: vec!["Madrid".to_owned()],
        department: None,
        employment_type: None,
        workplace: None,
        salary: None,
        requisition_id: None,
        published_at: Some(super::start() - Duration::days(30 - day)),
        updated_at: None,
    }
}

/// A company (by domain) with a board; returns (company id, board id).
pub(super) fn board(test: &TestDb, domain: &str, reference: &str) -> (i64, i64) {
    let now = super::start();
    let input = CompanyInput::from_listing(Some(domain), Some(&format!("https://{domain}"))).unwrap();
    let board: BoardRef = reference.parse().unwrap();
    test.db()
        .write(|c| {
            let company = companies::upsert_listed(c, &input, "test", None, now)?.company_id;
            boards::declare(c, company, &board, now)?;
            let id = boards::of_companies(c, &[company])?[&company]
                .iter()
                .find(|b| b.reference == reference)
                .map(|b| b.id)
                .unwrap();
            Ok((company, id))
        })
        .unwrap()
}

/// A second board of `company_id`; returns (company id, board id).
pub(super) fn another_board(test: &TestDb, company_id: i64, reference: &str) -> (i64, i64) {
    let board: BoardRef = reference.parse().expect("a board reference");
    let id = test
        .db()
        .write(|c| {
            boards::declare(c, company_id, &board, super::start())?;
            Ok(boards::of_companies(c, &[company_id])?[&company_id]
                .iter()
                .find(|b| b.reference == reference)
                .map(|b| b.id))
        })
        .expect("declared")
        .expect("stored");
    (company_id, id)
}

pub(super) fn write(
    test: &TestDb,
    board: (i64, i64),
    postings: Vec<NormalizedPosting>,
    complete: bool,
    now: DateTime<Utc>,
) -> RunCounters {
    write_with(test, board, postings, Vec::new(), complete, now)
}

/// Writes `postings` (normalized, each with a source hash of its content) and `unchanged` (external ids
/// found stored as they are) as one fetch of the board.
pub(super) fn write_with(
    test: &TestDb,
    (company_id, board_id): (i64, i64),
    postings: Vec<NormalizedPosting>,
    unchanged: Vec<String>,
    complete: bool,
    now: DateTime<Utc>,
) -> RunCounters {
    let sources = postings
        .iter()
        .map(|p| {
            let json = serde_json::to_string(p).unwrap();
            let source = SourceHash::of(Provider::Greenhouse, &[json.as_bytes()]);
            (p.external_id.clone(), source)
        })
        .collect();
    let board = BoardPostings {
        board_id,
        company_id,
        postings,
        unchanged,
        sources,
        complete,
        details_missing: false,
        stored: None,
    };
    test.db().write(|c| persist(c, board, now)).unwrap()
}

pub(super) fn rows(test: &TestDb, company_id: i64) -> Vec<PostingRow> {
    let mut rows = test.db().read(|c| postings::of_company(c, company_id)).unwrap();
    rows.sort_by_key(|r| r.id);
    rows
}

const ENGINEER: &str =
    "We build payment rails across Europe and Latin America.\n\nYou will own the settlement engine.";

#[test]
fn postings_are_upserted_by_board_and_external_id_and_unchanged_ones_write_nothing() {
    let test = TestDb::new();
    let acme = board(&test, "acme.test", "greenhouse:acme");
    let other = board(&test, "other.test", "lever:other");
    let now = super::start();
    let first = write(
        &test,
        acme,
        vec![posting("1", "Backend Engineer", ENGINEER, 1)],
        true,
        now,
    );
    assert_eq!(first.get(Counter::PostingsNew), 1);
    // The same external id on another board is another posting.
    write(
        &test,
        other,
        vec![posting("1", "Backend Engineer", ENGINEER, 1)],
        true,
        now,
    );
    assert_eq!(test.db().read(postings::count).unwrap(), 2);

    let later = now + Duration::days(1);
    let again = write(
        &test,
        acme,
        vec![posting("1", "Backend Engineer", ENGINEER, 1)],
        true,
        later,
    );
    assert_eq!(
        (
            again.get(Counter::PostingsUnchanged),
            again.get(Counter::PostingsNew)
        ),
        (1, 0)
    );
    assert_eq!(rows(&test, acme.0)[0].first_seen_at, now, "nothing rewritten");

    let changed = posting("1", "Senior Backend Engineer", ENGINEER, 1);
    let updated = write(&test, acme, vec![changed], true, later);
    assert_eq!(updated.get(Counter::PostingsUpdated), 1);
    assert_eq!(rows(&test, acme.0)[0].title, "Senior Backend Engineer");
}

#[test]
fn reposts_point_to_the_earliest_posting_of_the_company_and_are_counted_once() {
    let test = TestDb::new();
    let acme = board(&test, "acme.test", "greenhouse:acme");
    let acme_too = another_board(&test, acme.0, "lever:acme");
    let other = board(&test, "other.test", "ashby:other");
    let now = super::start();
    let similar = format!("{ENGINEER} Apply.");
    let batch = vec![
        // Fetched out of order: the earliest published (day 1) is canonical whatever the order.
        posting("3", "Data Analyst", "Dashboards for the finance team.", 3),
        posting("2", "Backend Engineer (Madrid)", &similar, 2),
        posting("1", "Backend Engineer", ENGINEER, 1),
        posting("4", "Data Analyst", "Other words entirely, nothing alike.", 4),
    ];
    let counters = write(&test, acme, batch, true, now);
    assert_eq!(counters.get(Counter::PostingsNew), 4);
    assert_eq!(counters.get(Counter::PostingsReposts), 2, "{counters:?}");
    // The same posting on the company's other board is a repost; at another company it never is.
    write(
        &test,
        acme_too,
        vec![posting("x", "Backend Engineer", ENGINEER, 5)],
        true,
        now,
    );
    write(
        &test,
        other,
        vec![posting("y", "Backend Engineer", ENGINEER, 5)],
        true,
        now,
    );
    let acme_rows = rows(&test, acme.0);
    let by_external = |id: &str| acme_rows.iter().find(|r| r.external_id == id).unwrap();
    let engineer = by_external("1");
    assert_eq!(engineer.canonical_id, None);
    assert_eq!(
        by_external("2").canonical_id,
        Some(engineer.id),
        "≥ 0.90 similar description"
    );
    assert_eq!(
        by_external("x").canonical_id,
        Some(engineer.id),
        "same fingerprint, other board"
    );
    assert_eq!(
        by_external("4").canonical_id,
        Some(by_external("3").id),
        "same title"
    );
    assert_eq!(engineer.repost_count, 2);
    assert_eq!(
        rows(&test, other.0)[0].canonical_id,
        None,
        "never across companies"
    );

    // A re-run counts nothing again.
    let batch = vec![
        posting("1", "Backend Engineer", ENGINEER, 1),
        posting("2", "Backend Engineer (Madrid)", &similar, 2),
        posting("3", "Data Analyst", "Dashboards for the finance team.", 3),
        posting("4", "Data Analyst", "Other words entirely, nothing alike.", 4),
    ];
    let rerun = write(&test, acme, batch, true, now + Duration::days(1));
    assert_eq!(rerun.get(Counter::PostingsReposts), 0);
    assert_eq!(
        rows(&test, acme.0)
            .iter()
            .find(|r| r.external_id == "1")
            .unwrap()
            .repost_count,
        2
    );
}

#[test]
fn a_complete_fetch_closes_what_is_gone_and_reopens_what_returns_but_an_incomplete_one_closes_nothing() {
    let test = TestDb::new();
    let acme = board(&test, "acme.test", "workday:acme/wd3/External");
    let now = super::start();
    let both = || {
        vec![
            posting("1", "Backend Engineer", ENGINEER, 1),
            posting("2", "Designer", "Figma.", 2),
        ]
    };
    write(&test, acme, both(), true, now);
    let only_one = vec![posting("1", "Backend Engineer", ENGINEER, 1)];
    let incomplete = write(&test, acme, only_one.clone(), false, now + Duration::days(1));
    assert_eq!(incomplete.get(Counter::PostingsClosed), 0);
    assert!(rows(&test, acme.0).iter().all(|r| r.closed_at.is_none()));

    let complete = write(&test, acme, only_one, true, now + Duration::days(2));
    assert_eq!(complete.get(Counter::PostingsClosed), 1);
    let closed = rows(&test, acme.0);
    assert_eq!(closed[1].closed_at, Some(now + Duration::days(2)));

    let back = write(&test, acme, both(), true, now + Duration::days(3));
    assert_eq!(back.get(Counter::PostingsReopened), 1);
    assert!(rows(&test, acme.0).iter().all(|r| r.closed_at.is_none()));
}

#[test]
fn a_description_not_fetched_now_never_replaces_the_stored_one() {
    let test = TestDb::new();
    let acme = board(&test, "acme.test", "smartrecruiters:acme");
    let now = super::start();
    write(
        &test,
        acme,
        vec![posting("1", "Backend Engineer", ENGINEER, 1)],
        true,
        now,
    );
    let board = BoardPostings {
        board_id: acme.1,
        company_id: acme.0,
        postings: vec![posting("1", "Backend Engineer", "", 1)],
        unchanged: Vec::new(),
        sources: Default::default(),
        complete: false,
        details_missing: true,
        stored: None,
    };
    let counters = test
        .db()
        .write(|c| persist(c, board, now + Duration::days(1)))
        .unwrap();
    assert_eq!(counters.get(Counter::DetailsDeferred), 1);
    assert_eq!(counters.get(Counter::PostingsUnchanged), 1, "{counters:?}");
    let stored = test
        .db()
        .read(|c| postings::of_board(c, acme.1))
        .unwrap()
        .remove("1")
        .unwrap();
    assert_eq!(stored.description, ENGINEER);
}

#[test]
fn the_earliest_posting_of_a_group_is_canonical_whichever_board_is_written_first() {
    let canonical_external_id = |first_board: usize| {
        let test = TestDb::new();
        let acme = board(&test, "acme.test", "greenhouse:acme");
        let lever: BoardRef = "lever:acme".parse().unwrap();
        let second = test
            .db()
            .write(|c| {
                boards::declare(c, acme.0, &lever, super::start())?;
                Ok(boards::of_companies(c, &[acme.0])?[&acme.0]
                    .iter()
                    .find(|b| b.reference == "lever:acme")
                    .map(|b| b.id)
                    .unwrap())
            })
            .unwrap();
        let boards = [
            (acme, posting("late", "Backend Engineer", ENGINEER, 5)),
            (
                (acme.0, second),
                posting("early", "Backend Engineer", ENGINEER, 1),
            ),
        ];
        let order = if first_board == 0 { [0, 1] } else { [1, 0] };
        for i in order {
            let (ids, p) = boards[i].clone();
            write(&test, ids, vec![p], true, super::start());
        }
        let rows = rows(&test, acme.0);
        let canonical = rows.iter().find(|r| r.canonical_id.is_none()).unwrap();
        let repost = rows.iter().find(|r| r.canonical_id.is_some()).unwrap();
        assert_eq!(repost.canonical_id, Some(canonical.id));
        assert_eq!((canonical.repost_count, repost.repost_count), (1, 0));
        canonical.external_id.clone()
    };
    assert_eq!(canonical_external_id(0), "early");
    assert_eq!(canonical_external_id(1), "early");
}
