//! Measuring one `pipeline-cli once --stage ingestion`: wall and CPU time, peak RSS, exit code, and the
//! figures derived from the run's counters and the world's request counts.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Result, bail, ensure};
use serde_json::Value;

use super::DEFAULT_RPS;

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
/// a measured run), sampling its peak resident set (VmHWM); its CPU time is read from `/proc/PID/stat` once
/// it has exited and before it is reaped. Its time, CPU time, peak RSS and exit code.
pub(super) fn run_stage(cli: &Path, dir: &Path) -> Result<Measured> {
    let start = Instant::now();
    let stdout = std::fs::File::create(dir.join("stdout.txt"))?;
    let mut child = Command::new(cli)
        .args(["once", "--stage", "ingestion", "-qq"])
        .current_dir(dir)
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::null())
        .spawn()?;
    let pid = child.id();
    let mut peak_kb = 0;
    let cpu = loop {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        peak_kb = super::super::vm_hwm_kb(&status).unwrap_or(0).max(peak_kb);
        match proc_stat(pid) {
            Some(('Z', cpu)) => break cpu,
            Some(_) => std::thread::sleep(Duration::from_millis(5)),
            None => bail!("/proc/{pid}/stat unreadable before pipeline-cli was reaped"),
        }
    };
    let elapsed = start.elapsed();
    let status = child.wait()?;
    let exit = status.code().unwrap_or(-1);
    let out = std::fs::read_to_string(dir.join("stdout.txt"))?;
    ensure!(exit == 0 || exit == 3, "once --stage ingestion: {status}\n{out}");
    Ok(Measured {
        elapsed,
        cpu,
        peak_kb,
        exit,
        ..Measured::default()
    })
}

/// A process's state letter and user + system time from `/proc/PID/stat` (a zombie keeps its totals).
pub(in crate::bench) fn proc_stat(pid: u32) -> Option<(char, Duration)> {
    parse_stat(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

pub(super) fn parse_stat(stat: &str) -> Option<(char, Duration)> {
    // The command name in parentheses may hold spaces: the fields start after its last `)`.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let state = fields.first()?.chars().next()?;
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // In clock ticks of `USER_HZ`: 100 a second on Linux, whatever the kernel's own tick.
    Some((state, Duration::from_millis(ticks * 10)))
}
