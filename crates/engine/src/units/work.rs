//! The contract between the unit runner and a stage that works units.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pipeline_db::repo::leases::Fenced;
use pipeline_db::{Conn, DbError};
use pipeline_domain::{Classify, ErrorClass, RunCounters};

use crate::StageRun;

/// What the runner asks of a stage's due query.
#[derive(Debug, Clone)]
pub struct DueQuery<'a> {
    /// Units due at or before this instant.
    pub now: DateTime<Utc>,
    /// At most this many units.
    pub limit: usize,
    /// `--company DOMAIN`: only that company's units.
    pub company: Option<&'a str>,
    /// Pause keys (providers) under a live pause: their units are not due.
    pub paused: &'a [String],
    /// The lease kind, for leaving out units under a live lease.
    pub kind: &'static str,
}

/// How a unit's work failed, as handed to [`UnitWork::record_failure`].
#[derive(Debug, Clone, PartialEq)]
pub struct UnitFailure {
    /// The failure's class (decides the backoff).
    pub class: ErrorClass,
    /// The error, as text, stored with the unit.
    pub message: String,
    /// When the unit is due again (`None`: only by hand, after a fatal error).
    pub next_due_at: Option<DateTime<Utc>>,
    /// `false` for a rate-limit snooze: the unit's failure count must not grow.
    pub counts_as_attempt: bool,
    /// When it failed.
    pub now: DateTime<Utc>,
}

/// A stage whose work comes in units. The runner calls `due` and the two `record_*` methods inside its own
/// write transactions, and `work` outside any transaction (network I/O; it must not write to the DB).
#[async_trait]
pub trait UnitWork: Send + Sync + 'static {
    /// One unit of work as `due` loads it (a company, a board).
    type Unit: Send + Sync + 'static;
    /// What `work` produced, for `record_success` to write.
    type Output: Send + 'static;
    /// How `work` fails; its class decides the retry.
    type Error: Classify + std::fmt::Display + Send + 'static;

    /// The lease kind of this stage's units (e.g. `discovery`).
    fn kind(&self) -> &'static str;

    /// Up to `query.limit` due units, oldest due first, leaving out paused providers' units and units
    /// under a live lease of kind `query.kind` (a unit another worker holds is not due for us).
    fn due(&self, conn: &mut Conn, query: &DueQuery<'_>) -> Result<Vec<Self::Unit>, DbError>;

    /// The unit's stable key in the lease table.
    fn key(&self, unit: &Self::Unit) -> String;

    /// The provider whose pause holds this unit back, if any.
    fn pause_key(&self, _unit: &Self::Unit) -> Option<String> {
        None
    }

    /// At most this many units of pause key `key` (a provider) in flight at once; `None`: no cap but the
    /// stage's concurrency. Units beyond what a provider can serve at once only wait for it, holding slots
    /// that other providers' units could use.
    fn max_in_flight(&self, _key: &str) -> Option<usize> {
        None
    }

    /// Told when the runner has paused a provider (`key`, a [`pause_key`](Self::pause_key)): a stage can
    /// stop the requests already waiting for that provider.
    fn on_pause(&self, _key: &str) {}

    /// Failures recorded so far (the backoff's attempt number is this + 1).
    fn failures(&self, unit: &Self::Unit) -> u32;

    /// Works one unit. Watching `run.cancel` is not needed: the runner drops the future on cancellation.
    async fn work(&self, unit: &Self::Unit, run: &StageRun) -> Result<Self::Output, Self::Error>;

    /// Writes a success, inside the fenced transaction; returns the counters it adds to the run.
    fn record_success(
        &self,
        tx: &mut Fenced<'_>,
        unit: &Self::Unit,
        output: Self::Output,
        now: DateTime<Utc>,
    ) -> Result<RunCounters, DbError>;

    /// Writes a failure (its class, message and next due time), inside the fenced transaction.
    fn record_failure(
        &self,
        tx: &mut Fenced<'_>,
        unit: &Self::Unit,
        failure: &UnitFailure,
    ) -> Result<(), DbError>;
}
