//! Measuring one `pipeline-cli once --stage ingestion`: wall and CPU time, peak RSS, exit code, and the
//! figures derived from the run's counters and the world's request counts.

use std::path::Path;
use std::time::Duration;

use anyhow::Result;
use serde_json::Value;

use super::DEFAULT_RPS;
use crate::bench::watch::run_cli;

/// What one timed `pipeline-cli once --stage ingestion` gave.
#[derive(Default)]
pub(super) struct Measured {
    pub(super) elapsed: Duration,
    /// User + system time of the pipeline-cli process, and of the world meanwhile.
    pub(super) cpu: Duration,
    pub(super) world_cpu: Duration,
    pub(super) peak_kb: u64,
    pub(super) exit: i32,
    pub(super) counters: Value,
    /// Requests the world answered during the stage, per provider.
    pub(super) calls: Vec<(String, u64)>,
    /// The board that took the most requests (`provider:tenant`, requests), made one after another.
    pub(super) longest: Option<(String, u64)>,
}

impl Measured {
    pub(super) fn counter(&self, name: &str) -> u64 {
        self.counters[name].as_u64().unwrap_or(0)
    }

    /// Posting rows inserted, updated or closed.
    pub(super) fn rows_written(&self) -> u64 {
        let written = ["postings_new", "postings_updated", "postings_closed"];
        written.map(|c| self.counter(c)).iter().sum()
    }

    /// The least time the default limits allow: the busiest provider's requests at its rate.
    pub(super) fn bound(&self) -> Duration {
        let most = self.calls.iter().map(|(_, n)| *n).max().unwrap_or(0);
        Duration::from_secs_f64(most as f64 / DEFAULT_RPS)
    }

    /// The stage's totals, on one line.
    pub(super) fn totals(&self) -> String {
        let api: u64 = self.calls.iter().map(|(_, n)| n).sum();
        let names = ["boards_ok", "postings_seen", "postings_new", "postings_unchanged"];
        let [boards, seen, new, unchanged] = names.map(|c| self.counter(c));
        let [wall, cpu, world] = [self.elapsed, self.cpu, self.world_cpu].map(|d| d.as_secs_f64());
        let (mb, exit) = (self.peak_kb as f64 / 1024.0, self.exit);
        format!(
            "{boards} boards ok, {seen} postings ({new} new, {unchanged} unchanged), {api} API requests, \
             {wall:.2} s wall, {cpu:.2} s CPU (world {world:.2} s), peak RSS {mb:.1} MB, exit {exit}"
        )
    }
}

/// Runs `once --stage ingestion` in `dir` until it exits with 0 or 3 (done, or a board that failed: still
/// a measured run): its time, CPU time, peak RSS and exit code.
pub(super) fn run_stage(cli: &Path, dir: &Path) -> Result<Measured> {
    let args = ["once", "--stage", "ingestion", "-qq"];
    let (done, _) = run_cli(cli, dir, &args, &[0, 3])?;
    Ok(Measured {
        elapsed: done.elapsed,
        cpu: done.cpu,
        peak_kb: done.peak_kb,
        exit: done.exit(),
        ..Measured::default()
    })
}
