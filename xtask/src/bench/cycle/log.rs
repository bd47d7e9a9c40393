//! The world's request log of one cycle, per provider: the requests made before discovery ended (for the
//! bound of the stages one after another), and, over ingestion, how long the provider sat idle — the part of
//! each gap between two of its requests beyond what its rate asks (1 / requests_per_second): time the
//! pipeline kept it waiting, not its limit.

use std::collections::BTreeMap;

use anyhow::Result;
use serde_json::Value;

use crate::e2e::control;
use crate::world::{PROVIDERS, WorldProcess};

/// One provider's requests in a cycle.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct ProviderLog {
    /// Requests that started before the cycle's last discovery run finished (to the second).
    pub(super) discovery: u64,
    /// Requests after it, the time from the first to the last start, and the idle part of it.
    pub(super) ingestion: u64,
    pub(super) span_s: f64,
    pub(super) idle_s: f64,
}

/// Every provider's log of the cycle whose `runs` (`status --json` rows) are given.
pub(super) fn read(world: &WorldProcess, runs: &[Value], rps: f64) -> Result<BTreeMap<String, ProviderLog>> {
    let finished = runs.iter().filter(|r| r["stage"] == "discovery");
    let end = finished
        .filter_map(|r| r["finished_at"].as_str().map(second))
        .max();
    let mut out = BTreeMap::new();
    for provider in PROVIDERS {
        let log: Value = serde_json::from_str(&control(world, "GET", &format!("log?label={provider}"))?)?;
        let starts: Vec<&str> = log
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["started_at"].as_str())
            .collect();
        out.insert(provider.to_owned(), summarize(&starts, end, rps));
    }
    Ok(out)
}

/// A provider's requests (their RFC 3339 start times, any order) split at `discovery_end`, and the idle
/// time of those after it at `rps` requests/s.
fn summarize(starts: &[&str], discovery_end: Option<&str>, rps: f64) -> ProviderLog {
    let after = |t: &&&str| discovery_end.is_none_or(|end| second(t) > end);
    let mut later: Vec<f64> = starts
        .iter()
        .filter(after)
        .filter_map(|t| epoch_seconds(t))
        .collect();
    later.sort_by(f64::total_cmp);
    let gaps = later.windows(2).map(|w| w[1] - w[0]);
    ProviderLog {
        discovery: (starts.len() - later.len()) as u64,
        ingestion: later.len() as u64,
        span_s: later.last().zip(later.first()).map_or(0.0, |(l, f)| l - f),
        idle_s: gaps.map(|gap| (gap - 1.0 / rps).max(0.0)).sum(),
    }
}

/// An RFC 3339 time to the second (`2026-12-02T10:11:12`), for comparing UTC times as text.
fn second(time: &str) -> &str {
    time.get(..19).unwrap_or(time)
}

/// Seconds since 1970 of a UTC RFC 3339 time (`2026-12-02T10:11:12.5+00:00`, `...Z`).
fn epoch_seconds(time: &str) -> Option<f64> {
    let number = |range: std::ops::Range<usize>| time.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute) = (number(11..13)?, number(14..16)?);
    let seconds: f64 = time.get(17..)?.split(['Z', '+', '-']).next()?.parse().ok()?;
    // Days from the civil date (Howard Hinnant's algorithm), March-based years.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Some((days * 86_400 + hour * 3_600 + minute * 60) as f64 + seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_as_seconds_since_1970() {
        assert_eq!(epoch_seconds("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(epoch_seconds("2000-03-01T00:00:01.5+00:00"), Some(951_868_801.5));
        assert_eq!(epoch_seconds("2026-12-02T10:11:12Z"), Some(1_796_206_272.0));
        assert_eq!(epoch_seconds("soon"), None);
    }

    #[test]
    fn requests_split_at_discovery_and_idle_gaps_beyond_the_rate() {
        let starts = [
            "2026-12-02T10:00:00.2+00:00",
            "2026-12-02T10:00:03.0+00:00",
            "2026-12-02T10:00:02.0+00:00",
            "2026-12-02T10:00:05.0+00:00",
            "2026-12-02T10:00:05.5+00:00",
        ];
        let log = summarize(&starts, Some("2026-12-02T10:00:00"), 2.0);
        // After discovery: 2.0, 3.0, 5.0, 5.5 → gaps 1.0, 2.0, 0.5 → beyond 0.5 s: 0.5 + 1.5.
        let expected = ProviderLog {
            discovery: 1,
            ingestion: 4,
            span_s: 3.5,
            idle_s: 2.0,
        };
        assert_eq!(log, expected);
        assert_eq!(summarize(&starts, None, 2.0).discovery, 0);
    }
}
