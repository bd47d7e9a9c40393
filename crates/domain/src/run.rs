//! Stages, run statuses and the counters every run persists (docs/stages.md#run-history).

use std::fmt;

mod counters;

pub use counters::{Counter, RunCounters};

/// The six stages, in canonical order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// Companies from the directories and the configured lists.
    Directory,
    /// Each company's website read for its job boards, validated through the providers' APIs.
    Discovery,
    /// Every active board's open postings fetched and stored.
    Ingestion,
    /// Postings scored against the catalog, companies' metrics aggregated.
    Scoring,
    /// The ranked companies written to the Google Sheet.
    Sheets,
    /// The sales team's verdicts read back from the sheet.
    Feedback,
}

impl Stage {
    /// Every stage, in the order a cycle runs them.
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

    /// The stage of a [`Stage::key`]; `None` for an unknown name (a usage error in the CLI).
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
    /// The run is under way (or its process died and no one has taken its lock over yet).
    Running,
    /// Finished with all its work done.
    Succeeded,
    /// Finished, but part of the work failed (a source could not be read, units failed).
    Partial,
    /// The stage failed as a whole (its error is recorded with the run).
    Failed,
    /// Not run: another process holds the stage's lock (`forever --shared`).
    Skipped,
    /// Stopped by SIGINT/SIGTERM or a lost lock; what it wrote stays.
    Interrupted,
    /// Its process died; a later run took the lock over and closed the row.
    Abandoned,
}

impl RunStatus {
    /// Every status, for parsing and tests.
    pub const ALL: [RunStatus; 7] = [
        RunStatus::Running,
        RunStatus::Succeeded,
        RunStatus::Partial,
        RunStatus::Failed,
        RunStatus::Skipped,
        RunStatus::Interrupted,
        RunStatus::Abandoned,
    ];

    /// The name stored in the `runs` table and printed by `status`.
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

    /// The status of a stored name; `None` for a name this build does not know.
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
}
