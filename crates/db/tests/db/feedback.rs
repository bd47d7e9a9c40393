//! Feedback repository: resolution changes guarded by what was read, with events and aggregation marks;
//! model feedback idempotent per (company, value, notes) whatever row it moves to (defect 2); rejections
//! replaced by each run.

use pipeline_db::repo::companies;
use pipeline_db::repo::feedback::{self, NewFeedback, Rejection, ResolutionChange};
use pipeline_db::repo::{events, scoring};
use pipeline_db::testing::TestDb;
use pipeline_domain::{CompanyInput, Resolution};

use crate::repos::{split, t};

fn company(db: &pipeline_db::Db, domain: &str) -> i64 {
    let input =
        CompanyInput::from_listing(Some(domain), Some(&format!("https://{domain}"))).expect("listing");
    db.write(|c| companies::upsert_listed(c, &input, "test", None, t("2026-12-01T00:00:00Z")))
        .expect("upsert")
        .company_id
}

fn resolution_changes_apply_once_with_an_event_and_mark_the_company_for_aggregation(test: TestDb) {
    let (_t, db) = split(test);
    let (a, b) = (company(&db, "a.test"), company(&db, "b.test"));
    let now = t("2026-12-02T03:10:00Z");
    let known = db.read(|c| feedback::resolutions(c, &[a, b, 999])).unwrap();
    assert_eq!(known.len(), 2);
    assert_eq!(known[&a], Resolution::Pending);
    let changes = [
        ResolutionChange {
            company_id: a,
            row: 2,
            from: Resolution::Pending,
            to: Resolution::Rejected,
        },
        // Read against a stale resolution: the guard skips it.
        ResolutionChange {
            company_id: b,
            row: 3,
            from: Resolution::Accepted,
            to: Resolution::Pending,
        },
    ];
    let applied = db
        .write(|c| feedback::apply(c, &changes, &[], &[], Some(1), now))
        .unwrap();
    assert_eq!(
        (applied.resolutions_changed, applied.resolved, applied.reopened),
        (1, 1, 0)
    );
    let again = db
        .write(|c| feedback::apply(c, &changes, &[], &[], Some(2), now))
        .unwrap();
    assert_eq!(again.resolutions_changed, 0, "already applied");
    let stored = db.read(|c| feedback::resolutions(c, &[a])).unwrap();
    assert_eq!(stored[&a], Resolution::Rejected);
    let events = db
        .read(|c| events::recent(c, Some("resolution_changed"), 10))
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].detail.as_deref(),
        Some("PENDING → REJECTED (sheet row 2)")
    );
    let marked = db.read(|c| scoring::to_aggregate(c, 10)).unwrap();
    assert_eq!(marked, [a]);

    let back = [ResolutionChange {
        company_id: a,
        row: 9,
        from: Resolution::Rejected,
        to: Resolution::InProgress,
    }];
    let applied = db
        .write(|c| feedback::apply(c, &back, &[], &[], Some(3), now))
        .unwrap();
    assert_eq!((applied.resolutions_changed, applied.reopened), (1, 1));
}

fn model_feedback_is_stored_once_per_company_value_and_notes_wherever_the_row_moves(test: TestDb) {
    let (_t, db) = split(test);
    let a = company(&db, "a.test");
    let now = t("2026-12-02T03:10:00Z");
    let item = |row: u32, value: &str, notes: &str| NewFeedback {
        company_id: a,
        row,
        value: value.into(),
        notes: notes.into(),
    };
    let first = db
        .write(|c| feedback::apply(c, &[], &[item(2, "FP", "")], &[], None, now))
        .unwrap();
    assert_eq!(first.feedback_stored, 1);
    // The sheet was sorted: the same feedback on another row is not new.
    let moved = db
        .write(|c| feedback::apply(c, &[], &[item(40, "FP", "")], &[], None, now))
        .unwrap();
    assert_eq!(moved.feedback_stored, 0);
    let noted = db
        .write(|c| feedback::apply(c, &[], &[item(40, "FP", "wrong sector")], &[], None, now))
        .unwrap();
    assert_eq!(noted.feedback_stored, 1);
    let stored = db.read(|c| feedback::of_company(c, a)).unwrap();
    assert_eq!(
        stored,
        [
            ("FP".to_owned(), String::new()),
            ("FP".to_owned(), "wrong sector".to_owned())
        ]
    );
}

fn rejections_are_replaced_by_each_run(test: TestDb) {
    let (_t, db) = split(test);
    let now = t("2026-12-02T03:10:00Z");
    let rejection = |row: i32| Rejection {
        sheet_row: row,
        company_id: None,
        value: "x".into(),
        reason: "column A is not a company id".into(),
    };
    db.write(|c| feedback::apply(c, &[], &[], &[rejection(5), rejection(3)], Some(1), now))
        .unwrap();
    let listed = db.read(|c| feedback::rejections(c, 10)).unwrap();
    assert_eq!(listed.iter().map(|r| r.sheet_row).collect::<Vec<_>>(), [3, 5]);
    db.write(|c| feedback::apply(c, &[], &[], &[rejection(8)], Some(2), now))
        .unwrap();
    let listed = db.read(|c| feedback::rejections(c, 10)).unwrap();
    assert_eq!(listed.iter().map(|r| r.sheet_row).collect::<Vec<_>>(), [8]);
}

crate::on_both_backends!(
    resolution_changes_apply_once_with_an_event_and_mark_the_company_for_aggregation,
    model_feedback_is_stored_once_per_company_value_and_notes_wherever_the_row_moves,
    rejections_are_replaced_by_each_run,
);
