//! The counters every run persists (docs/stages.md#run-history): one named counter per thing a stage counts,
//! zero until touched, plus `skipped_<reason>` counts.

use std::collections::BTreeMap;

/// Every counter a run can carry; names are the snake_case keys persisted and printed by `status --json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Counter {
    /// HTTP requests sent (each retry counts).
    Requests,
    /// Responses with status 429 (rate limited).
    Http429,
    /// Responses with a 5xx status.
    Http5xx,
    /// Website pages discovery read.
    Pages,
    /// Postings the boards listed this run.
    PostingsSeen,
    /// Postings stored for the first time.
    PostingsNew,
    /// Stored postings whose content changed.
    PostingsUpdated,
    /// Postings listed again with the same content (nothing written).
    PostingsUnchanged,
    /// Postings a complete board fetch no longer listed.
    PostingsClosed,
    /// New postings found to repeat an earlier one of the company (linked to its canonical).
    PostingsReposts,
    /// Companies whose metrics the scoring stage computed again.
    CompaniesAggregated,
    /// Companies whose work failed (kept for the contract; no stage counts it yet).
    CompaniesFailed,
    /// Units (companies, boards) done.
    UnitsOk,
    /// Units that failed; with `units_ok`, the failure ratio of `runner.alert_failure_ratio`.
    UnitsFailed,
    /// Units put back because their provider was paused.
    UnitsPaused,
    /// Directory sources read to the end.
    SourcesOk,
    /// Directory sources that could not be read.
    SourcesFailed,
    /// Directory rows read (good and bad).
    RowsRead,
    /// Directory rows skipped as bad (logged with their source and line).
    RowsBad,
    /// Companies the directory created.
    CompaniesNew,
    /// Known companies a directory row changed.
    CompaniesUpdated,
    /// Directory rows dropped by `directory.exclude_domains`.
    CompaniesExcluded,
    /// Companies whose website discovery read.
    CompaniesChecked,
    /// Boards discovery stored for the first time.
    BoardsFound,
    /// Boards discovery validated as active.
    BoardsActive,
    /// Boards validated but doubtful (the provider names another company).
    BoardsSuspect,
    /// Candidates the provider did not confirm.
    BoardsInvalid,
    /// Companies on whose website discovery found no board.
    NotFound,
    /// Companies whose discovery failed (site unreachable, provider unavailable).
    Errored,
    /// Candidates not validated because their provider was paused.
    PausedSkips,
    /// Boards ingestion fetched and stored.
    BoardsOk,
    /// Boards whose fetch failed (retried later with backoff).
    BoardsFailed,
    /// Boards the provider says no longer exist (404/410).
    BoardsGone,
    /// Boards not fetched because their provider was paused.
    BoardsPaused,
    /// Boards that answered 304 Not Modified to their validators.
    BoardsNotModified,
    /// Closed postings listed again.
    PostingsReopened,
    /// Postings stored without description: the detail-call budget was spent.
    DetailsDeferred,
    /// Postings the scoring stage scored (and stored, unless dry run).
    PostingsScored,
    /// Sheet rows whose system columns the sheets stage wrote.
    RowsUpdated,
    /// Sheet rows already in step with the DB.
    RowsUnchanged,
    /// Companies appended to the sheet.
    RowsAppended,
    /// Resolutions the feedback stage changed in the DB.
    ResolutionsChanged,
    /// Model feedback stored for the first time.
    FeedbackStored,
    /// Sheet rows or cells the feedback stage could not take (shown by `status`).
    FeedbackRejected,
    /// `<script type="application/ld+json">` blocks that could not be read even leniently (discovery's
    /// pages, `jsonld` boards' pages): skipped with a warning.
    JsonldMalformed,
}

impl Counter {
    /// Every counter, in the order `status` prints them.
    pub const ALL: [Counter; 45] = [
        Counter::Requests,
        Counter::Http429,
        Counter::Http5xx,
        Counter::Pages,
        Counter::PostingsSeen,
        Counter::PostingsNew,
        Counter::PostingsUpdated,
        Counter::PostingsUnchanged,
        Counter::PostingsClosed,
        Counter::PostingsReposts,
        Counter::CompaniesAggregated,
        Counter::CompaniesFailed,
        Counter::UnitsOk,
        Counter::UnitsFailed,
        Counter::UnitsPaused,
        Counter::SourcesOk,
        Counter::SourcesFailed,
        Counter::RowsRead,
        Counter::RowsBad,
        Counter::CompaniesNew,
        Counter::CompaniesUpdated,
        Counter::CompaniesExcluded,
        Counter::CompaniesChecked,
        Counter::BoardsFound,
        Counter::BoardsActive,
        Counter::BoardsSuspect,
        Counter::BoardsInvalid,
        Counter::NotFound,
        Counter::Errored,
        Counter::PausedSkips,
        Counter::BoardsOk,
        Counter::BoardsFailed,
        Counter::BoardsGone,
        Counter::BoardsPaused,
        Counter::BoardsNotModified,
        Counter::PostingsReopened,
        Counter::DetailsDeferred,
        Counter::PostingsScored,
        Counter::RowsUpdated,
        Counter::RowsUnchanged,
        Counter::RowsAppended,
        Counter::ResolutionsChanged,
        Counter::FeedbackStored,
        Counter::FeedbackRejected,
        Counter::JsonldMalformed,
    ];

    /// The snake_case key persisted in the run's counters and printed by `status --json`.
    pub fn name(self) -> &'static str {
        match self {
            Counter::Requests => "requests",
            Counter::Http429 => "http_429",
            Counter::Http5xx => "http_5xx",
            Counter::Pages => "pages",
            Counter::PostingsSeen => "postings_seen",
            Counter::PostingsNew => "postings_new",
            Counter::PostingsUpdated => "postings_updated",
            Counter::PostingsUnchanged => "postings_unchanged",
            Counter::PostingsClosed => "postings_closed",
            Counter::PostingsReposts => "postings_reposts",
            Counter::CompaniesAggregated => "companies_aggregated",
            Counter::CompaniesFailed => "companies_failed",
            Counter::UnitsOk => "units_ok",
            Counter::UnitsFailed => "units_failed",
            Counter::UnitsPaused => "units_paused",
            Counter::SourcesOk => "sources_ok",
            Counter::SourcesFailed => "sources_failed",
            Counter::RowsRead => "rows_read",
            Counter::RowsBad => "rows_bad",
            Counter::CompaniesNew => "companies_new",
            Counter::CompaniesUpdated => "companies_updated",
            Counter::CompaniesExcluded => "companies_excluded",
            Counter::CompaniesChecked => "companies_checked",
            Counter::BoardsFound => "boards_found",
            Counter::BoardsActive => "boards_active",
            Counter::BoardsSuspect => "boards_suspect",
            Counter::BoardsInvalid => "boards_invalid",
            Counter::NotFound => "not_found",
            Counter::Errored => "errored",
            Counter::PausedSkips => "paused_skips",
            Counter::BoardsOk => "boards_ok",
            Counter::BoardsFailed => "boards_failed",
            Counter::BoardsGone => "boards_gone",
            Counter::BoardsPaused => "boards_paused",
            Counter::BoardsNotModified => "boards_not_modified",
            Counter::PostingsReopened => "postings_reopened",
            Counter::DetailsDeferred => "details_deferred",
            Counter::PostingsScored => "postings_scored",
            Counter::RowsUpdated => "rows_updated",
            Counter::RowsUnchanged => "rows_unchanged",
            Counter::RowsAppended => "rows_appended",
            Counter::ResolutionsChanged => "resolutions_changed",
            Counter::FeedbackStored => "feedback_stored",
            Counter::FeedbackRejected => "feedback_rejected",
            Counter::JsonldMalformed => "jsonld_malformed",
        }
    }
}

/// The counters of one run: every named counter (zero until touched, so each is always persisted and
/// printed) plus `skipped_<reason>` counts. Serialized as one flat JSON object `{name: int}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(from = "BTreeMap<String, u64>", into = "BTreeMap<String, u64>")]
pub struct RunCounters(BTreeMap<String, u64>);

impl Default for RunCounters {
    fn default() -> Self {
        Self(Counter::ALL.iter().map(|c| (c.name().to_owned(), 0)).collect())
    }
}

impl From<BTreeMap<String, u64>> for RunCounters {
    /// Stored counters over a zeroed set: rows written before a counter existed read back with it at 0.
    fn from(stored: BTreeMap<String, u64>) -> Self {
        let mut counters = RunCounters::default();
        counters.0.extend(stored);
        counters
    }
}

impl From<RunCounters> for BTreeMap<String, u64> {
    fn from(counters: RunCounters) -> Self {
        counters.0
    }
}

impl RunCounters {
    /// Adds `n` to `counter`.
    pub fn add(&mut self, counter: Counter, n: u64) {
        *self.0.entry(counter.name().to_owned()).or_default() += n;
    }

    /// Counts a unit or row skipped for `reason` (a snake_case word such as `excluded_domain`).
    pub fn add_skipped(&mut self, reason: &str, n: u64) {
        *self.0.entry(format!("skipped_{reason}")).or_default() += n;
    }

    /// The value of `counter` (0 when untouched).
    pub fn get(&self, counter: Counter) -> u64 {
        self.0.get(counter.name()).copied().unwrap_or(0)
    }

    /// How many were skipped for `reason` (0 when none).
    pub fn skipped(&self, reason: &str) -> u64 {
        self.0.get(&format!("skipped_{reason}")).copied().unwrap_or(0)
    }

    /// Adds every counter of `other` into `self`.
    pub fn merge(&mut self, other: &RunCounters) {
        for (k, v) in &other.0 {
            *self.0.entry(k.clone()).or_default() += v;
        }
    }

    /// Every (name, value), named counters and `skipped_*` alike, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.0.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// Whether no counter has been touched.
    pub fn is_zero(&self) -> bool {
        self.0.values().all(|v| *v == 0)
    }

    /// Failed units over all attempted units, for `runner.alert_failure_ratio`.
    pub fn failure_ratio(&self) -> f64 {
        let failed = self.get(Counter::UnitsFailed) as f64;
        let total = failed + self.get(Counter::UnitsOk) as f64;
        if total == 0.0 { 0.0 } else { failed / total }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_have_unique_names_and_merge() {
        let mut names: Vec<_> = Counter::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Counter::ALL.len());
        let mut a = RunCounters::default();
        a.add(Counter::UnitsOk, 9);
        a.add_skipped("bad_row", 2);
        let mut b = RunCounters::default();
        b.add(Counter::UnitsFailed, 1);
        b.merge(&a);
        assert_eq!(b.skipped("bad_row"), 2);
        assert!((b.failure_ratio() - 0.1).abs() < 1e-9);
    }

    #[test]
    fn every_counter_is_present_and_old_rows_read_back_with_zeros() {
        let fresh = RunCounters::default();
        assert!(fresh.is_zero());
        assert_eq!(fresh.iter().count(), Counter::ALL.len());
        let stored: BTreeMap<String, u64> =
            [("rows_read".to_owned(), 4), ("skipped_bad".to_owned(), 1)].into();
        let read = RunCounters::from(stored);
        assert_eq!(
            (
                read.get(Counter::RowsRead),
                read.get(Counter::Http429),
                read.skipped("bad")
            ),
            (4, 0, 1)
        );
        assert_eq!(read.iter().count(), Counter::ALL.len() + 1);
    }
}
