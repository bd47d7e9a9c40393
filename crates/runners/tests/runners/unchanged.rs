//! Postings found stored as they are (their item's source hash known, docs/stages.md#ingestion-persistence):
//! counted unchanged without a write, reopened when closed, kept open by a complete fetch while the others
//! close; a posting whose content is equal but whose item is new gets its source recorded; and a new posting
//! beside unchanged ones meets the same boilerplate as if every posting had been read again.

use chrono::Duration;
use pipeline_db::repo::postings;
use pipeline_db::testing::TestDb;
use pipeline_domain::Counter;

use crate::persist::{board, posting, rows, write_with};

const BLURB: &str = "Acme moves money for small businesses across Europe, Latin America and Asia with \
    transparent fees, instant settlement, multi-currency accounts, local payment rails, treasury tools, \
    fraud screening, reconciliation, reporting, compliance, onboarding and support in nine languages.";

fn description(own: &str) -> String {
    format!("{BLURB}\n\n{own}")
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn unchanged_postings_are_counted_reopened_or_closed_without_being_read() {
    let test = TestDb::new();
    let acme = board(&test, "acme.test", "greenhouse:acme");
    let now = super::start();
    let first = vec![
        posting("1", "Backend Engineer", "Rust and payments.", 1),
        posting("2", "Analyst", "Spreadsheets and FX.", 2),
        posting("3", "Designer", "Figma and research.", 3),
    ];
    write_with(&test, acme, first, Vec::new(), true, now);
    let stored = sources(&test, acme.1);
    assert_eq!(stored.len(), 3, "every posting has its source");

    // 2 not listed: closed; 1 and 3 listed as they are.
    let later = now + Duration::hours(1);
    let c = write_with(&test, acme, Vec::new(), ids(&["1", "3"]), true, later);
    assert_eq!(c.get(Counter::PostingsSeen), 2);
    assert_eq!(c.get(Counter::PostingsUnchanged), 2);
    assert_eq!(c.get(Counter::PostingsClosed), 1);
    let closed: Vec<String> = rows(&test, acme.0)
        .into_iter()
        .filter(|r| r.closed_at.is_some())
        .map(|r| r.external_id)
        .collect();
    assert_eq!(closed, ["2"]);

    // 2 back as it was: reopened; an incomplete fetch closes nothing.
    let c = write_with(&test, acme, Vec::new(), ids(&["2"]), false, later);
    assert_eq!(c.get(Counter::PostingsReopened), 1);
    assert_eq!(c.get(Counter::PostingsClosed), 0);
    assert!(rows(&test, acme.0).iter().all(|r| r.closed_at.is_none()));
    let written = [
        Counter::PostingsNew,
        Counter::PostingsUpdated,
        Counter::PostingsClosed,
    ];
    assert!(written.iter().all(|w| c.get(*w) == 0));
}

#[test]
fn an_equal_posting_read_from_another_item_records_that_item() {
    let test = TestDb::new();
    let acme = board(&test, "acme.test", "greenhouse:acme");
    let now = super::start();
    let first = posting("1", "Backend Engineer", "Rust and payments.", 1);
    test.db()
        .write(|c| postings::insert(c, acme.1, acme.0, &first, &content_hash(&first), false, None, now))
        .unwrap();
    assert!(sources(&test, acme.1).is_empty());
    // Read again (no source stored yet): equal content, nothing rewritten but the source.
    let c = write_with(&test, acme, vec![first], Vec::new(), true, now);
    assert_eq!(c.get(Counter::PostingsUnchanged), 1);
    assert_eq!(c.get(Counter::PostingsUpdated), 0);
    let stored = sources(&test, acme.1);
    assert_eq!(stored.len(), 1);
}

/// The board's stored postings that have a source hash, as (source hash, external id).
fn sources(test: &TestDb, board_id: i64) -> Vec<(String, String)> {
    let states = test
        .db()
        .read(|c| postings::states_of_board(c, board_id))
        .unwrap();
    states
        .into_values()
        .filter_map(|s| Some((s.source_hash?, s.external_id)))
        .collect()
}

fn content_hash(p: &pipeline_domain::NormalizedPosting) -> String {
    pipeline_runners::ingestion::content_hash(p)
}

#[test]
fn a_new_posting_beside_unchanged_ones_meets_the_boards_whole_boilerplate() {
    // Three postings share the blurb: it is the board's boilerplate, so a new posting that repeats the blurb
    // but not the rest of any of them is no repost. Were the unchanged postings left out of the board's
    // boilerplate, the blurb would dominate the comparison and make it one.
    let own = [
        "Rust and payments.",
        "Spreadsheets and FX.",
        "Figma and research.",
    ];
    let titles = ["Backend Engineer", "Analyst", "Designer"];
    let newcomer = posting("4", "Support Lead", &description("Zendesk and customers."), 4);
    for read_again in [false, true] {
        let test = TestDb::new();
        let acme = board(&test, "acme.test", "greenhouse:acme");
        let now = super::start();
        let first: Vec<_> = (0..3)
            .map(|i| posting(&(i + 1).to_string(), titles[i], &description(own[i]), i as i64))
            .collect();
        write_with(&test, acme, first.clone(), Vec::new(), true, now);
        let later = now + Duration::hours(1);
        let (fetched, unchanged) = match read_again {
            true => ([first, vec![newcomer.clone()]].concat(), Vec::new()),
            false => (vec![newcomer.clone()], ids(&["1", "2", "3"])),
        };
        let c = write_with(&test, acme, fetched, unchanged, true, later);
        assert_eq!(c.get(Counter::PostingsNew), 1);
        assert_eq!(c.get(Counter::PostingsReposts), 0, "read again: {read_again}");
        assert!(rows(&test, acme.0).iter().all(|r| r.canonical_id.is_none()));
    }
}
