//! The request log: every request the world answered, and the statistics tests ask of it.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;

/// One answered (or dropped) request.
#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    pub method: String,
    /// Host without port.
    pub host: String,
    /// Path and query as sent.
    pub path: String,
    /// 0 when the connection was dropped without a response.
    pub status: u16,
    /// Provider key (`lever` for both Lever hosts, ...), `sheets`, `oauth`, `site`, `catalonia`, ..., `unknown`.
    pub label: String,
    pub tenant: Option<String>,
    /// The injected fault, if one fired.
    pub fault: Option<String>,
    pub started_at: DateTime<Utc>,
    #[serde(skip)]
    pub started: Instant,
    #[serde(skip)]
    pub ended: Instant,
}

impl LoggedRequest {
    pub fn duration(&self) -> Duration {
        self.ended.saturating_duration_since(self.started)
    }
}

/// A snapshot of the log (or the live log inside the world).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RequestLog {
    pub entries: Vec<LoggedRequest>,
}

impl RequestLog {
    pub fn push(&mut self, entry: LoggedRequest) {
        self.entries.push(entry);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Requests with this label.
    pub fn for_label<'a>(&'a self, label: &'a str) -> impl Iterator<Item = &'a LoggedRequest> + 'a {
        self.entries.iter().filter(move |e| e.label == label)
    }

    pub fn count(&self, label: &str) -> usize {
        self.for_label(label).count()
    }

    /// Requests with this label and tenant (case-insensitive).
    pub fn count_tenant(&self, label: &str, tenant: &str) -> usize {
        self.for_label(label)
            .filter(|e| {
                e.tenant
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case(tenant))
            })
            .count()
    }

    /// Request counts per label, sorted by label.
    pub fn counts(&self) -> Vec<(String, usize)> {
        let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        for e in &self.entries {
            *counts.entry(e.label.clone()).or_default() += 1;
        }
        counts.into_iter().collect()
    }

    /// The most requests with this label that were in flight at once.
    pub fn peak_concurrency(&self, label: &str) -> usize {
        let mut events: Vec<(Instant, i32)> = Vec::new();
        for e in self.for_label(label) {
            events.push((e.started, 1));
            events.push((e.ended, -1));
        }
        // Ends sort before starts at the same instant: back-to-back requests are not concurrent.
        events.sort();
        let (mut now, mut peak) = (0i32, 0i32);
        for (_, delta) in events {
            now += delta;
            peak = peak.max(now);
        }
        usize::try_from(peak).unwrap_or(0)
    }

    /// The smallest gap between the starts of two requests with this label (None with fewer than two).
    pub fn min_interval(&self, label: &str) -> Option<Duration> {
        let mut starts: Vec<Instant> = self.for_label(label).map(|e| e.started).collect();
        starts.sort();
        starts
            .windows(2)
            .map(|w| w[1].saturating_duration_since(w[0]))
            .min()
    }

    /// Statuses of the requests with this label, in order.
    pub fn statuses(&self, label: &str) -> Vec<u16> {
        self.for_label(label).map(|e| e.status).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(label: &str, start_ms: u64, end_ms: u64, base: Instant) -> LoggedRequest {
        LoggedRequest {
            method: "GET".into(),
            host: "127.0.0.1".into(),
            path: "/".into(),
            status: 200,
            label: label.into(),
            tenant: None,
            fault: None,
            started_at: Utc::now(),
            started: base + Duration::from_millis(start_ms),
            ended: base + Duration::from_millis(end_ms),
        }
    }

    #[test]
    fn peak_and_interval() {
        let base = Instant::now();
        let log = RequestLog {
            entries: vec![
                entry("lever", 0, 10, base),
                entry("lever", 5, 20, base),
                entry("lever", 10, 30, base),
                entry("lever", 12, 14, base),
                entry("ashby", 0, 100, base),
            ],
        };
        assert_eq!(log.peak_concurrency("lever"), 3);
        assert_eq!(log.min_interval("lever"), Some(Duration::from_millis(2)));
        assert_eq!(log.count("lever"), 4);
        assert_eq!(log.min_interval("ashby"), None);
        assert_eq!(
            log.counts(),
            vec![("ashby".to_owned(), 1), ("lever".to_owned(), 4)]
        );
    }
}
