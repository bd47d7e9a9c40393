//! Repositories: one module per table family. Functions take a connection (so callers choose the
//! transaction) and the current time.

pub mod boards;
pub mod companies;
pub mod discovery;
pub mod events;
pub mod feedback;
pub mod ingestion;
pub mod leases;
pub mod locks;
pub mod pauses;
pub mod postings;
pub mod rate_ledger;
pub mod runs;
pub mod scoring;
pub mod stage_state;

/// The stored names of the resolutions that take a company out of discovery and ingestion.
fn resolved_names() -> Vec<&'static str> {
    pipeline_domain::Resolution::ALL
        .iter()
        .filter(|r| r.is_resolved())
        .map(|r| r.as_str())
        .collect()
}

/// How many rows a due query reads so that `limit` remain once the `leased` ones are left out.
fn due_query_limit(limit: usize, leased: &std::collections::HashSet<String>) -> i64 {
    i64::try_from(limit.saturating_add(leased.len())).unwrap_or(i64::MAX)
}

/// The first `limit` of `rows` whose unit key (`id`) is not in `leased`.
fn unleased<T>(
    mut rows: Vec<T>,
    leased: &std::collections::HashSet<String>,
    limit: usize,
    id: impl Fn(&T) -> i64,
) -> Vec<T> {
    rows.retain(|row| !leased.contains(&id(row).to_string()));
    rows.truncate(limit);
    rows
}
