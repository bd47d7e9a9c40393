//! The figures of one measured cycle — wall and CPU time, the politeness bound and the ratio to it,
//! requests per provider, postings/s, peak RSS of each process, DB size, sheet API calls — as text beside
//! their targets, or as JSON.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::fleet::{Ran, STAGES};
use super::log::ProviderLog;
use crate::world::PROVIDERS;

/// One cycle as measured.
pub(super) struct Cycle {
    pub(super) name: &'static str,
    pub(super) ran: Ran,
    /// CPU time the world spent serving the cycle.
    pub(super) world_cpu: Duration,
    /// Requests the world answered during the cycle, by label (provider, `site`, `sheets`, `oauth`, ...).
    pub(super) requests: BTreeMap<String, u64>,
    /// Each provider's requests split at the end of discovery, and its idle time over ingestion.
    pub(super) providers: BTreeMap<String, ProviderLog>,
    /// The cycle's rows of `runs` (`status --json`).
    pub(super) runs: Vec<Value>,
    pub(super) db_bytes: u64,
    /// Every provider's rate for the whole fleet, requests/s.
    pub(super) rps: f64,
}

impl Cycle {
    fn provider_requests(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        PROVIDERS
            .iter()
            .map(|p| (*p, self.requests.get(*p).copied().unwrap_or(0)))
    }

    /// The least time the provider limits allow: the busiest provider's requests at its rate.
    pub(super) fn bound(&self) -> f64 {
        self.provider_requests().map(|(_, n)| n).max().unwrap_or(0) as f64 / self.rps
    }

    /// The bound when discovery and ingestion run one after the other: each stage's busiest provider.
    fn sequential_bound(&self) -> f64 {
        let (mut discovery, mut ingestion) = (0, 0);
        for (provider, n) in self.provider_requests() {
            let early = self.providers.get(provider).map_or(0, |log| log.discovery).min(n);
            discovery = discovery.max(early);
            ingestion = ingestion.max(n - early);
        }
        (discovery + ingestion) as f64 / self.rps
    }

    pub(super) fn wall(&self) -> f64 {
        self.ran.wall.as_secs_f64()
    }

    pub(super) fn ratio(&self) -> f64 {
        self.wall() / self.bound()
    }

    fn cpu(&self) -> f64 {
        self.ran.processes.iter().map(|p| p.done.cpu.as_secs_f64()).sum()
    }

    pub(super) fn peak_mb(&self) -> f64 {
        self.ran
            .processes
            .iter()
            .map(|p| p.done.peak_mb())
            .fold(0.0, f64::max)
    }

    /// Every counter of `stage`, summed over the cycle's runs of it.
    fn counters(&self, stage: &str) -> Map<String, Value> {
        let mut sums: BTreeMap<String, u64> = BTreeMap::new();
        let of_stage = self.runs.iter().filter(|r| r["stage"] == stage);
        for (name, value) in of_stage.filter_map(|r| r["counters"].as_object()).flatten() {
            *sums.entry(name.clone()).or_default() += value.as_u64().unwrap_or(0);
        }
        sums.into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| (k, n.into()))
            .collect()
    }

    fn counter(&self, stage: &str, name: &str) -> u64 {
        self.counters(stage)
            .get(name)
            .and_then(Value::as_u64)
            .unwrap_or(0)
    }

    /// Postings the ingestion stage read per second of its time.
    fn postings_per_s(&self) -> f64 {
        let seconds = self.ran.stage_seconds().get("ingestion").copied().unwrap_or(0.0);
        let seen = self.counter("ingestion", "postings_seen") as f64;
        if seconds > 0.0 { seen / seconds } else { 0.0 }
    }

    fn label(&self, label: &str) -> u64 {
        self.requests.get(label).copied().unwrap_or(0)
    }

    pub(super) fn json(&self) -> Value {
        let stage_seconds = self.ran.stage_seconds();
        let stages: Map<String, Value> = STAGES
            .iter()
            .filter_map(|s| {
                let seconds = stage_seconds.get(*s)?;
                Some((
                    s.to_string(),
                    json!({"seconds": seconds, "counters": self.counters(s)}),
                ))
            })
            .collect();
        let processes: Vec<Value> = self
            .ran
            .processes
            .iter()
            .map(|p| {
                json!({"role": p.role, "wall_s": p.done.elapsed.as_secs_f64(), "cpu_s": p.done.cpu.as_secs_f64(),
                       "peak_rss_mb": p.done.peak_mb(), "exit": p.done.exit()})
            })
            .collect();
        let bound = self.bound();
        json!({
            "wall_s": self.wall(), "cpu_s": self.cpu(), "world_cpu_s": self.world_cpu.as_secs_f64(),
            "bound_s": bound, "ratio": (bound > 0.0).then(|| self.ratio()),
            "sequential_bound_s": self.sequential_bound(), "requests": self.requests,
            "ingestion_idle_s": self.providers.iter().map(|(p, log)| (p.clone(), json!({
                "requests": log.ingestion, "span_s": log.span_s, "idle_s": log.idle_s}))).collect::<Map<String, Value>>(),
            "postings_seen": self.counter("ingestion", "postings_seen"),
            "postings_new": self.counter("ingestion", "postings_new"), "postings_per_s": self.postings_per_s(),
            "sheet_calls": self.label("sheets"), "token_calls": self.label("oauth"),
            "peak_rss_mb": self.peak_mb(), "db_bytes": self.db_bytes, "stages": stages, "processes": processes,
        })
    }

    /// The cycle's figures as text lines under its name.
    pub(super) fn print(&self) {
        println!("{}:", self.name);
        let (wall, cpu, world) = (self.wall(), self.cpu(), self.world_cpu.as_secs_f64());
        let bound = self.bound();
        note!("wall {wall:.1} s, CPU {cpu:.1} s (pipeline-cli, all processes; the world {world:.1} s)");
        let busiest = self
            .provider_requests()
            .max_by_key(|(_, n)| *n)
            .unwrap_or(("-", 0));
        note!(
            "bound {bound:.1} s = the busiest provider's requests / {} requests/s ({} {}); stages one after \
             another: {:.1} s",
            self.rps,
            busiest.0,
            busiest.1,
            self.sequential_bound()
        );
        if let Some((provider, log)) = self.providers.iter().max_by_key(|(_, log)| log.ingestion)
            && log.ingestion > 1
        {
            let (n, span, idle) = (log.ingestion, log.span_s, log.idle_s);
            note!(
                "busiest in ingestion: {provider}, {n} requests over {span:.1} s ({:.2}/s), idle {idle:.1} s \
                 (gaps beyond 1/rate)",
                (n - 1) as f64 / span.max(f64::EPSILON)
            );
        }
        let stage_seconds = self.ran.stage_seconds();
        let stages: Vec<String> = stage_seconds
            .iter()
            .map(|(s, d)| format!("{s} {d:.1} s"))
            .collect();
        note!("stages: {}", sorted_by_stage(stages));
        let mut labels: Vec<(&String, &u64)> = self.requests.iter().collect();
        labels.sort_by_key(|(label, n)| (std::cmp::Reverse(**n), label.to_string()));
        let labels: Vec<String> = labels.iter().map(|(l, n)| format!("{l} {n}")).collect();
        note!("requests: {}", labels.join(", "));
        for p in &self.ran.processes {
            let (wall, cpu) = (p.done.elapsed.as_secs_f64(), p.done.cpu.as_secs_f64());
            let (peak, exit) = (p.done.peak_mb(), p.done.exit());
            note!(
                "process {}: peak RSS {peak:.1} MB, {wall:.1} s wall, {cpu:.1} s CPU, exit {exit}",
                p.role
            );
        }
        let (seen, new) = (
            self.counter("ingestion", "postings_seen"),
            self.counter("ingestion", "postings_new"),
        );
        let (scored, boards) = (
            self.counter("scoring", "postings_scored"),
            self.counter("ingestion", "boards_ok"),
        );
        note!(
            "{boards} boards, {seen} postings read ({new} new, {:.0} postings/s of ingestion), {scored} scored",
            self.postings_per_s()
        );
        let appended = self.counter("sheets", "rows_appended");
        let updated = self.counter("sheets", "rows_updated");
        let mb = self.db_bytes as f64 / 1_048_576.0;
        note!(
            "sheet API calls {} (+{} token), {appended} rows appended, {updated} updated; DB {mb:.1} MB",
            self.label("sheets"),
            self.label("oauth")
        );
    }
}

/// `stage seconds` items in canonical stage order.
fn sorted_by_stage(mut items: Vec<String>) -> String {
    let rank = |item: &String| {
        STAGES
            .iter()
            .position(|s| item.starts_with(s))
            .unwrap_or(STAGES.len())
    };
    items.sort_by_key(rank);
    items.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::cycle::fleet::Ran;

    #[test]
    fn the_bound_counters_and_rates_of_a_cycle() {
        let requests = [("greenhouse", 100), ("lever", 60), ("site", 5000), ("sheets", 4)];
        let cycle = Cycle {
            name: "first",
            ran: Ran {
                wall: Duration::from_secs(60),
                processes: Vec::new(),
            },
            world_cpu: Duration::ZERO,
            requests: requests.iter().map(|(l, n)| (l.to_string(), *n)).collect(),
            providers: [("greenhouse", 30), ("lever", 50)]
                .iter()
                .map(|(l, n)| {
                    let log = ProviderLog {
                        discovery: *n,
                        ..ProviderLog::default()
                    };
                    (l.to_string(), log)
                })
                .collect(),
            runs: vec![
                json!({"stage": "ingestion", "counters": {"postings_seen": 10, "boards_ok": 0}}),
                json!({"stage": "ingestion", "counters": {"postings_seen": 5}}),
                json!({"stage": "scoring", "counters": {"postings_seen": 99}}),
            ],
            db_bytes: 0,
            rps: 2.0,
        };
        assert_eq!(cycle.bound(), 50.0);
        assert_eq!(cycle.ratio(), 1.2);
        // Discovery: lever's 50 at most; ingestion: greenhouse's 70.
        assert_eq!(cycle.sequential_bound(), 60.0);
        assert_eq!(cycle.counter("ingestion", "postings_seen"), 15);
        assert!(!cycle.counters("ingestion").contains_key("boards_ok"));
        assert_eq!(cycle.json()["sheet_calls"], 4);
        let items = ["sheets 1", "directory 2", "ingestion 3"]
            .map(String::from)
            .to_vec();
        assert_eq!(sorted_by_stage(items), "directory 2, ingestion 3, sheets 1");
    }
}
