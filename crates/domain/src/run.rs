//! Stages, run statuses and the counters every run persists (docs/stages.md#run-history).

use std::collections::BTreeMap;
use std::fmt;

/// The six stages, in canonical order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Directory,
    Discovery,
    Ingestion,
    Scoring,
    Sheets,
    Feedback,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Directory,
        Stage::Discovery,
        Stage::Ingestion,
        Stage::Scoring,
        Stage::Sheets,
        Stage::Feedback,
    ];

    /// The stable key used in the CLI, the DB and logs.
    pub fn key(self) -> &'static str {
        match self {
            Stage::Directory => "directory",
            Stage::Discovery => "discovery",
            Stage::Ingestion => "ingestion",
            Stage::Scoring => "scoring",
            Stage::Sheets => "sheets",
            Stage::Feedback => "feedback",
        }
    }

    pub fn parse(key: &str) -> Option<Stage> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The status of one run row. `Running` is the only mutable state; every other status is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunStatus {
    Running,
    Succeeded,
    /// Finished, but part of the work failed (a source could not be read, units failed).
    Partial,
    Failed,
    Skipped,
    Interrupted,
    Abandoned,
}

impl RunStatus {
    pub const ALL: [RunStatus; 7] = [
        RunStatus::Running,
        RunStatus::Succeeded,
        RunStatus::Partial,
        RunStatus::Failed,
        RunStatus::Skipped,
        RunStatus::Interrupted,
        RunStatus::Abandoned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Succeeded => "succeeded",
            RunStatus::Partial => "partial",
            RunStatus::Failed => "failed",
            RunStatus::Skipped => "skipped",
            RunStatus::Interrupted => "interrupted",
            RunStatus::Abandoned => "abandoned",
        }
    }

    pub fn parse(text: &str) -> Option<RunStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether a cycle that ended a stage in this status needs attention (exit code 3).
    pub fn needs_attention(self) -> bool {
        matches!(self, RunStatus::Partial | RunStatus::Failed)
    }
}

impl fmt::Display for RunStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every counter a run can carry; names are the snake_case keys persisted and printed by `status --json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Counter {
    Requests,
    Http429,
    Http5xx,
    Pages,
    PostingsSeen,
    PostingsNew,
    PostingsUpdated,
    PostingsUnchanged,
    PostingsClosed,
    PostingsReposts,
    CompaniesAggregated,
    CompaniesFailed,
    UnitsOk,
    UnitsFailed,
    UnitsPaused,
    SourcesOk,
    SourcesFailed,
    RowsRead,
    RowsBad,
    CompaniesNew,
    CompaniesUpdated,
    CompaniesExcluded,
    CompaniesChecked,
    BoardsFound,
    BoardsActive,
    BoardsSuspect,
    BoardsInvalid,
    NotFound,
    Errored,
    PausedSkips,
    BoardsOk,
    BoardsFailed,
    BoardsGone,
    BoardsPaused,
    BoardsNotModified,
    PostingsReopened,
    DetailsDeferred,
    PostingsScored,
    RowsUpdated,
    RowsUnchanged,
    RowsAppended,
    ResolutionsChanged,
    FeedbackStored,
    FeedbackRejected,
}

impl Counter {
    pub const ALL: [Counter; 44] = [
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
    ];

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
    pub fn add(&mut self, counter: Counter, n: u64) {
        *self.0.entry(counter.name().to_owned()).or_default() += n;
    }

    /// Counts a unit or row skipped for `reason` (a snake_case word such as `excluded_domain`).
    pub fn add_skipped(&mut self, reason: &str, n: u64) {
        *self.0.entry(format!("skipped_{reason}")).or_default() += n;
    }

    pub fn get(&self, counter: Counter) -> u64 {
        self.0.get(counter.name()).copied().unwrap_or(0)
    }

    pub fn skipped(&self, reason: &str) -> u64 {
        self.0.get(&format!("skipped_{reason}")).copied().unwrap_or(0)
    }

    /// Adds every counter of `other` into `self`.
    pub fn merge(&mut self, other: &RunCounters) {
        for (k, v) in &other.0 {
            *self.0.entry(k.clone()).or_default() += v;
        }
    }

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
    fn stage_keys_round_trip_in_canonical_order() {
        let keys: Vec<_> = Stage::ALL.iter().map(|s| s.key()).collect();
        assert_eq!(
            keys,
            [
                "directory",
                "discovery",
                "ingestion",
                "scoring",
                "sheets",
                "feedback"
            ]
        );
        assert!(Stage::ALL.iter().all(|s| Stage::parse(s.key()) == Some(*s)));
        assert!(
            RunStatus::ALL
                .iter()
                .all(|s| RunStatus::parse(s.as_str()) == Some(*s))
        );
    }

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
