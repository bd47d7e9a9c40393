//! One cycle of the pipeline as processes, each watched (peak RSS, CPU time): with one worker, `once`; with
//! K, `once --stage directory`, then K `forever --shared` workers over discovery and ingestion, each stopped
//! by SIGTERM once it has printed its cycle's summary, then `once` over scoring, sheets and feedback. (Run
//! as workers too, the singleton stages would run in whichever worker got there first, over the postings
//! ingested by then: a worker finding one held skips it for the cycle, docs/stages.md#locks.)

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Result, bail, ensure};

use crate::bench::watch::{Finished, SAMPLE_EVERY, Watched, run_cli};

/// The stages in canonical order, as the summary names them.
pub(super) const STAGES: [&str; 6] = [
    "directory",
    "discovery",
    "ingestion",
    "scoring",
    "sheets",
    "feedback",
];

/// The longest a worker may take over its cycle.
const WORKER_TIMEOUT: Duration = Duration::from_secs(6 * 3600);

/// One CLI process of a cycle: what it was, what it took, its summary.
pub(super) struct Process {
    pub(super) role: String,
    pub(super) done: Finished,
    pub(super) summary: String,
}

/// A cycle's processes and its wall time (for workers, up to the last worker's summary: not the time they
/// then take to stop).
pub(super) struct Ran {
    pub(super) wall: Duration,
    pub(super) processes: Vec<Process>,
}

impl Ran {
    /// Each stage's duration: the longest any process printed for it.
    pub(super) fn stage_seconds(&self) -> BTreeMap<String, f64> {
        let mut out = BTreeMap::new();
        for (stage, seconds) in self.processes.iter().flat_map(|p| stage_seconds(&p.summary)) {
            let longest = out.entry(stage).or_insert(0.0_f64);
            *longest = longest.max(seconds);
        }
        out
    }
}

/// Runs one cycle in `dir` (its `pipeline.toml`) with `workers` processes.
pub(super) fn run_cycle(cli: &Path, dir: &Path, workers: usize) -> Result<Ran> {
    if workers <= 1 {
        let once = once(cli, dir, "once", &[])?;
        return Ok(Ran {
            wall: once.done.elapsed,
            processes: vec![once],
        });
    }
    let directory = once(cli, dir, "directory", &["directory"])?;
    let (shared_wall, mut processes) = shared(cli, dir, workers, &["discovery", "ingestion"])?;
    let singletons = once(
        cli,
        dir,
        "scoring+sheets+feedback",
        &["scoring", "sheets", "feedback"],
    )?;
    let wall = directory.done.elapsed + shared_wall + singletons.done.elapsed;
    processes.insert(0, directory);
    processes.push(singletons);
    Ok(Ran { wall, processes })
}

/// `once -qq [--stage S]...`, done or needing attention (exit 0 or 3).
fn once(cli: &Path, dir: &Path, role: &str, stages: &[&str]) -> Result<Process> {
    let mut args = vec!["once", "-qq"];
    args.extend(stages.iter().flat_map(|s| ["--stage", s]));
    let (done, summary) = run_cli(cli, dir, &args, &[0, 3])?;
    Ok(Process {
        role: role.to_owned(),
        done,
        summary,
    })
}

/// `workers` × `forever --shared -qq --stage S...`, until each has printed the summary of its first cycle;
/// the time that took, and the processes (stopped by SIGTERM, exit 130).
fn shared(cli: &Path, dir: &Path, workers: usize, stages: &[&str]) -> Result<(Duration, Vec<Process>)> {
    let started = Instant::now();
    let last = stages.last().copied().unwrap_or("feedback");
    let mut running = Vec::new();
    for i in 1..=workers {
        let out = dir.join(format!("worker-{i}.txt"));
        let mut command = Command::new(cli);
        command.args(["forever", "--shared", "-qq"]);
        command.args(stages.iter().flat_map(|s| ["--stage", s]));
        command
            .current_dir(dir)
            .stdout(Stdio::from(std::fs::File::create(&out)?));
        running.push((
            format!("worker {i}"),
            out,
            Watched::spawn(command.stderr(Stdio::null()))?,
            None,
        ));
    }
    while running.iter().any(|(_, _, _, done)| done.is_none()) {
        ensure!(
            started.elapsed() < WORKER_TIMEOUT,
            "workers still busy after {WORKER_TIMEOUT:?}"
        );
        for (role, out, watched, done) in &mut running {
            if watched.poll()? {
                bail!(
                    "{role} exited during its cycle:\n{}",
                    std::fs::read_to_string(out)?
                );
            }
            let summary = std::fs::read_to_string(&*out)?;
            if done.is_none() && stage_seconds(&summary).iter().any(|(stage, _)| stage == last) {
                *done = Some((started.elapsed(), summary));
            }
        }
        std::thread::sleep(SAMPLE_EVERY);
    }
    let mut wall = Duration::ZERO;
    let mut processes = Vec::new();
    for (role, _, watched, done) in running {
        let (took, summary) = done.unwrap_or_default();
        wall = wall.max(took);
        watched.signal("TERM")?;
        let done = watched.reap()?;
        ensure!(done.exit() == 130, "{role} stopped by SIGTERM: {}", done.status);
        processes.push(Process { role, done, summary });
    }
    Ok((wall, processes))
}

/// The stage lines of an end-of-run summary (`  ingestion  succeeded  1m05s  boards_ok=...`): each stage and
/// its duration in seconds.
pub(super) fn stage_seconds(summary: &str) -> Vec<(String, f64)> {
    let seconds = |text: &str| -> Option<f64> {
        let text = text.strip_suffix('s')?;
        match text.split_once('m') {
            Some((minutes, secs)) => Some(minutes.parse::<f64>().ok()? * 60.0 + secs.parse::<f64>().ok()?),
            None => text.parse().ok(),
        }
    };
    summary
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let (stage, _status, duration) = (words.next()?, words.next()?, words.next()?);
            STAGES.contains(&stage).then_some(())?;
            Some((stage.to_owned(), seconds(duration)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn stage_durations_are_read_from_a_summary() {
        let summary = "cycle 20261125T182637Z-6379\n  stage      status       duration  counters\n  \
                       directory  partial          0.4s  companies_new=3\n             catalonia: failed\n  \
                       discovery  succeeded     1m05s  pages=4\n  feedback   skipped          0.0s  -\n";
        let read = super::stage_seconds(summary);
        let expected = [("directory", 0.4), ("discovery", 65.0), ("feedback", 0.0)];
        assert_eq!(read, expected.map(|(s, d)| (s.to_owned(), d)));
    }
}
