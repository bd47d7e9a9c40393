//! The `sheets` and `feedback` stages with the real Google clients against the simulated Google: the first
//! sync (header and every company with its DB resolution), later syncs writing only changed system columns
//! while people's columns, sorts and deletions are respected, a mismatching header writing nothing, failures
//! staying best-effort, and feedback applied once — resolutions with events, model feedback idempotent under
//! row moves, rejected rows recorded.

use pipeline_db::repo::companies::{self, CompanyFilter};
use pipeline_db::repo::{events, feedback};
use pipeline_db::testing::TestDb;
use pipeline_domain::{Counter, Resolution, RunStatus};
use pipeline_engine::{CycleReport, Engine, RunContext};
use pipeline_sheets::layout::{COLUMNS, col};
use pipeline_testkit::{Fault, Target, World, WorldHandle};
use tokio_util::sync::CancellationToken;

use super::discovery::{config_for, cycle, engine};

fn stage<'a>(report: &'a CycleReport, key: &str) -> &'a pipeline_engine::StageReport {
    report.stages.iter().find(|s| s.stage == key).unwrap()
}

async fn only(engine: &Engine, stages: &[&str], force_feedback: bool) -> CycleReport {
    let ctx = RunContext {
        stages: stages.iter().map(|s| (*s).to_owned()).collect(),
        force_feedback,
        ..RunContext::default()
    };
    engine.run_cycle(&ctx, &CancellationToken::new()).await.unwrap()
}

fn tab(world: &WorldHandle) -> Vec<Vec<String>> {
    world.sheet("Companies")
}

/// The row holding company `id` (0-based index into the tab).
fn row_of(rows: &[Vec<String>], id: i64) -> usize {
    rows.iter()
        .position(|r| r.first().map(String::as_str) == Some(&id.to_string()))
        .unwrap()
}

fn cell(rows: &[Vec<String>], r: usize, c: usize) -> &str {
    rows[r].get(c).map_or("", String::as_str)
}

fn values_calls(world: &WorldHandle) -> usize {
    world
        .log()
        .for_label("sheets")
        .filter(|r| r.path.contains("/values"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sheet_follows_the_db_and_never_overwrites_what_people_typed() {
    let world = World::generate(21, 16).start().unwrap();
    let test = TestDb::new();
    let config = config_for(&world, test.dir());
    let engine = engine(&test, &world, &config);
    world.clear_log();
    let report = cycle(&engine).await;
    let sheets = stage(&report, "sheets");
    assert_eq!(sheets.status, RunStatus::Succeeded, "{:?}", sheets.message);
    assert_eq!(
        stage(&report, "feedback").status,
        RunStatus::Skipped,
        "09:00 UTC is outside the window"
    );

    let db = test.db();
    let ranked = db
        .read(|c| companies::list_ranked(c, &CompanyFilter::default()))
        .unwrap();
    let rows = tab(&world);
    let header: Vec<&str> = COLUMNS.iter().map(|(h, _)| *h).collect();
    assert_eq!(rows[0], header);
    assert_eq!(rows.len(), ranked.len() + 1);
    assert_eq!(sheets.counters.get(Counter::RowsAppended), ranked.len() as u64);
    let ids: Vec<i64> = rows[1..].iter().map(|r| r[0].parse().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "appended in id order");
    let top = &ranked[0];
    let r = row_of(&rows, top.id);
    assert_eq!(cell(&rows, r, col::RESOLUTION), top.resolution);
    assert_eq!(
        cell(&rows, r, col::METRICS).parse::<f64>().unwrap(),
        top.max_score
    );
    assert!(values_calls(&world) <= 3, "{} values calls", values_calls(&world));
    let validations = world.sheet_requests();
    assert!(
        validations
            .iter()
            .filter(|r| r.get("setDataValidation").is_some())
            .count()
            >= 2
    );

    // People work the sheet: a resolution, feedback and notes typed, the rows sorted backwards, one row
    // deleted, a system cell overwritten by mistake.
    let (kept, deleted) = (ranked[0].id, ranked[1].id);
    let mut rows = tab(&world);
    let r = row_of(&rows, kept);
    rows[r].resize(15, String::new());
    rows[r][col::RESOLUTION] = "IN_PROGRESS".into();
    rows[r][col::FEEDBACK] = "OK".into();
    rows[r][col::NOTES] = "called them".into();
    rows[r][col::METRICS] = "0.5".into();
    let gone = row_of(&rows, deleted);
    rows.remove(gone);
    rows[1..].reverse();
    world.seed_sheet("Companies", rows);
    world.clear_log();

    let report = only(&engine, &["sheets"], false).await;
    let sheets = stage(&report, "sheets");
    assert_eq!(sheets.status, RunStatus::Succeeded, "{:?}", sheets.message);
    assert_eq!(sheets.counters.get(Counter::RowsUpdated), 1);
    assert_eq!(sheets.counters.get(Counter::RowsAppended), 1);
    let rows = tab(&world);
    assert_eq!(rows.len(), ranked.len() + 1);
    let r = row_of(&rows, kept);
    assert_eq!(cell(&rows, r, col::RESOLUTION), "IN_PROGRESS");
    assert_eq!(
        (cell(&rows, r, col::FEEDBACK), cell(&rows, r, col::NOTES)),
        ("OK", "called them")
    );
    assert_eq!(
        cell(&rows, r, col::METRICS).parse::<f64>().unwrap(),
        ranked[0].max_score
    );
    let back = row_of(&rows, deleted);
    assert_eq!(back, rows.len() - 1, "the deleted row is appended again");
    assert_eq!(cell(&rows, back, col::RESOLUTION), ranked[1].resolution);
    // In step: one read, no write.
    world.clear_log();
    let report = only(&engine, &["sheets"], false).await;
    assert_eq!(
        stage(&report, "sheets").counters.get(Counter::RowsUnchanged),
        ranked.len() as u64
    );
    assert_eq!(values_calls(&world), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mismatching_header_or_a_failing_api_writes_nothing_and_only_needs_attention() {
    let world = World::generate(22, 6).start().unwrap();
    let test = TestDb::new();
    let config = config_for(&world, test.dir());
    let engine = engine(&test, &world, &config);
    let mut header: Vec<String> = COLUMNS.iter().map(|(h, _)| (*h).to_owned()).collect();
    header[2] = "Estado".into();
    world.seed_sheet(
        "Companies",
        vec![header.clone(), vec!["999".into(), "Kept".into()]],
    );
    let report = cycle(&engine).await;
    let sheets = stage(&report, "sheets");
    assert_eq!(sheets.status, RunStatus::Failed);
    let message = sheets.message.clone().unwrap_or_default();
    assert!(
        message.contains("column C: expected `Resolución`, found `Estado`"),
        "{message}"
    );
    assert!(report.needs_attention(config.runner.alert_failure_ratio));
    assert_eq!(
        tab(&world),
        vec![header, vec!["999".to_owned(), "Kept".to_owned()]]
    );

    world.seed_sheet("Companies", Vec::new());
    world.script_fault(Target::Label("sheets".into()), 100, Fault::Status(500));
    let report = only(&engine, &["sheets", "feedback"], true).await;
    assert_eq!(stage(&report, "sheets").status, RunStatus::Failed);
    assert_eq!(stage(&report, "feedback").status, RunStatus::Failed);
    assert!(
        stage(&report, "sheets").counters.get(Counter::Http5xx) >= 3,
        "retried"
    );
    assert!(tab(&world).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feedback_applies_resolutions_once_and_model_feedback_idempotently() {
    let world = World::generate(23, 8).start().unwrap();
    let test = TestDb::new();
    let config = config_for(&world, test.dir());
    let engine = engine(&test, &world, &config);
    cycle(&engine).await;
    let db = test.db();
    let ranked = db
        .read(|c| companies::list_ranked(c, &CompanyFilter::default()))
        .unwrap();
    let (a, b) = (ranked[0].id, ranked[1].id);

    let mut rows = tab(&world);
    for row in rows.iter_mut().skip(1) {
        row.resize(15, String::new());
    }
    let ra = row_of(&rows, a);
    rows[ra][col::RESOLUTION] = "rejected".into();
    rows[ra][col::FEEDBACK] = "fp".into();
    rows[ra][col::NOTES] = "  not international ".into();
    let rb = row_of(&rows, b);
    rows[rb][col::RESOLUTION] = "MAYBE".into();
    rows.push(vec!["abc".into(), "typed by hand".into()]);
    world.seed_sheet("Companies", rows.clone());

    let report = only(&engine, &["feedback"], true).await;
    let fb = stage(&report, "feedback");
    assert_eq!(fb.status, RunStatus::Succeeded, "{:?}", fb.message);
    assert_eq!(fb.counters.get(Counter::ResolutionsChanged), 1);
    assert_eq!(fb.counters.get(Counter::FeedbackStored), 1);
    assert_eq!(fb.counters.get(Counter::FeedbackRejected), 2);
    assert_eq!(
        fb.counters.get(Counter::CompaniesAggregated),
        1,
        "the resolved company, at once"
    );
    let stored = db.read(|c| feedback::resolutions(c, &[a, b])).unwrap();
    assert_eq!(
        (stored[&a], stored[&b]),
        (Resolution::Rejected, Resolution::Pending)
    );
    assert_eq!(
        db.read(|c| feedback::of_company(c, a)).unwrap(),
        [("FP".to_owned(), "not international".to_owned())]
    );
    let rejected = db.read(|c| feedback::rejections(c, 10)).unwrap();
    let reasons: Vec<(i32, &str)> = rejected.iter().map(|r| (r.sheet_row, r.value.as_str())).collect();
    assert_eq!(reasons, [(rb as i32 + 1, "MAYBE"), (rows.len() as i32, "abc")]);
    assert_eq!(
        db.read(|c| events::recent(c, Some("resolution_changed"), 10))
            .unwrap()
            .len(),
        1
    );

    // Sorted by a person, applied again: nothing new.
    rows[1..].reverse();
    world.seed_sheet("Companies", rows);
    let report = only(&engine, &["feedback"], true).await;
    let fb = stage(&report, "feedback");
    assert_eq!(
        (
            fb.counters.get(Counter::ResolutionsChanged),
            fb.counters.get(Counter::FeedbackStored)
        ),
        (0, 0)
    );
    // Without --force-feedback, outside the window: skipped, no call.
    world.clear_log();
    let report = only(&engine, &["feedback"], false).await;
    assert_eq!(stage(&report, "feedback").status, RunStatus::Skipped);
    assert_eq!(world.log().count("sheets"), 0);
}
