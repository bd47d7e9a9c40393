//! A run's HTTP counters (`requests`, `http_429`, `http_5xx`): how far a client's stats moved while a stage
//! ran. Clients are shared by stages and commands, so a stage counts the difference, not the totals.

use pipeline_domain::Counter;
use pipeline_engine::StageRun;

/// Adds to `run` what the stats moved by between `before` and `now` (each `HttpStats::snapshot`).
pub(crate) fn count_http(run: &StageRun, now: (u64, u64, u64), before: (u64, u64, u64)) {
    run.count(Counter::Requests, now.0.saturating_sub(before.0));
    run.count(Counter::Http429, now.1.saturating_sub(before.1));
    run.count(Counter::Http5xx, now.2.saturating_sub(before.2));
}
