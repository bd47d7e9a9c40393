//! A child process watched through `/proc`: its peak resident set (VmHWM) sampled while it runs, its user +
//! system time read once it has exited and before it is reaped (a zombie keeps its totals), its wall time.

use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};

/// How often a watched process is sampled.
pub(super) const SAMPLE_EVERY: Duration = Duration::from_millis(5);

/// A running child under watch.
pub(super) struct Watched {
    child: Child,
    started: Instant,
    peak_kb: u64,
    /// Wall and CPU time, once it has exited.
    exited: Option<(Duration, Duration)>,
}

/// What a watched process took.
#[derive(Debug, Clone, Copy)]
pub(super) struct Finished {
    pub(super) elapsed: Duration,
    /// User + system time.
    pub(super) cpu: Duration,
    pub(super) peak_kb: u64,
    pub(super) status: ExitStatus,
}

impl Finished {
    pub(super) fn exit(&self) -> i32 {
        self.status.code().unwrap_or(-1)
    }

    pub(super) fn peak_mb(&self) -> f64 {
        self.peak_kb as f64 / 1024.0
    }
}

impl Watched {
    pub(super) fn spawn(command: &mut Command) -> Result<Watched> {
        let started = Instant::now();
        let child = command
            .spawn()
            .with_context(|| format!("cannot start {:?}", command.get_program()))?;
        Ok(Watched {
            child,
            started,
            peak_kb: 0,
            exited: None,
        })
    }

    /// Samples the process; true once it has exited (its times are then kept).
    pub(super) fn poll(&mut self) -> Result<bool> {
        if self.exited.is_some() {
            return Ok(true);
        }
        let pid = self.child.id();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        self.peak_kb = vm_hwm_kb(&status).unwrap_or(0).max(self.peak_kb);
        match proc_stat(pid) {
            Some(('Z', cpu)) => {
                self.exited = Some((self.started.elapsed(), cpu));
                Ok(true)
            }
            Some(_) => Ok(false),
            None => bail!("/proc/{pid}/stat unreadable before the process was reaped"),
        }
    }

    /// Samples until the process exits, then reaps it.
    pub(super) fn wait(mut self) -> Result<Finished> {
        while !self.poll()? {
            std::thread::sleep(SAMPLE_EVERY);
        }
        self.reap()
    }

    /// Sends `signal` (`TERM`, `KILL`, ...) to the process.
    pub(super) fn signal(&self, signal: &str) -> Result<()> {
        let pid = self.child.id().to_string();
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()?;
        ensure!(status.success(), "kill -{signal} {pid}: {status}");
        Ok(())
    }

    /// Reaps a process [`Watched::poll`] saw exit (waiting for it first if it did not yet).
    pub(super) fn reap(mut self) -> Result<Finished> {
        while !self.poll()? {
            std::thread::sleep(SAMPLE_EVERY);
        }
        let (elapsed, cpu) = self.exited.unwrap_or_default();
        let status = self.child.wait()?;
        Ok(Finished {
            elapsed,
            cpu,
            peak_kb: self.peak_kb,
            status,
        })
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs `pipeline-cli ARGS` in `dir`, its standard output to `dir/stdout.txt` and its standard error
/// dropped, watched until it exits with one of `codes`; what it took and its standard output.
pub(super) fn run_cli(cli: &Path, dir: &Path, args: &[&str], codes: &[i32]) -> Result<(Finished, String)> {
    let stdout = std::fs::File::create(dir.join("stdout.txt"))?;
    let mut command = Command::new(cli);
    command
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::null());
    let done = Watched::spawn(&mut command)?.wait()?;
    let out = std::fs::read_to_string(dir.join("stdout.txt"))?;
    let shown = args.join(" ");
    ensure!(
        codes.contains(&done.exit()),
        "pipeline-cli {shown}: {}, expected {codes:?}\n{out}",
        done.status
    );
    Ok((done, out))
}

pub(super) fn vm_hwm_kb(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A process's state letter and user + system time from `/proc/PID/stat` (a zombie keeps its totals).
pub(super) fn proc_stat(pid: u32) -> Option<(char, Duration)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_figures_are_read() {
        assert_eq!(
            vm_hwm_kb("Name:\tx\nVmHWM:\t  51234 kB\nVmRSS:\t1 kB\n"),
            Some(51234)
        );
        let own = std::fs::read_to_string("/proc/self/status").unwrap();
        assert!(vm_hwm_kb(&own).unwrap() > 0);
        let stat = "42 (pipe line) Z 1 2 3 4 5 6 7 8 9 10 250 37 0 0 20 0 1 0";
        assert_eq!(parse_stat(stat), Some(('Z', Duration::from_millis(2870))));
        assert!(proc_stat(std::process::id()).is_some_and(|(state, _)| state != 'Z'));
    }

    #[test]
    fn a_watched_process_is_timed_until_it_exits_or_is_signalled() {
        let done = Watched::spawn(Command::new("true").arg("x"))
            .unwrap()
            .wait()
            .unwrap();
        assert_eq!(done.exit(), 0);
        let mut sleeper = Watched::spawn(Command::new("sleep").arg("30")).unwrap();
        assert!(!sleeper.poll().unwrap());
        assert!(sleeper.peak_kb > 0);
        sleeper.signal("TERM").unwrap();
        let done = sleeper.reap().unwrap();
        assert!(done.exit() == -1 && done.elapsed < Duration::from_secs(20));
    }
}
