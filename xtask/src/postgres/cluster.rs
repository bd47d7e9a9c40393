//! A throwaway PostgreSQL cluster for the test suites when no server is running: `initdb` into a temporary
//! directory (trust authentication, no fsync), `pg_ctl start` on a free loopback port, and [`stop`] at the
//! end of xtask (stop immediately, delete the directory). PostgreSQL refuses to run as root, so under root
//! the cluster belongs to the `postgres` user (`runuser`), as Debian's own clusters do.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use anyhow::{Context, Result, ensure};

use super::program;

/// The running cluster, stopped by [`stop`].
static RUNNING: Mutex<Option<Cluster>> = Mutex::new(None);

struct Cluster {
    pg_ctl: PathBuf,
    dir: PathBuf,
    user: Option<&'static str>,
}

/// Starts a cluster when `initdb` and `pg_ctl` are installed; `Ok(None)` when they are not. The URL names
/// the cluster's `postgres` database as user `postgres`.
pub(super) fn start() -> Result<Option<String>> {
    let (Some(initdb), Some(pg_ctl)) = (program("initdb"), program("pg_ctl")) else {
        return Ok(None);
    };
    let user = is_root()?.then_some("postgres");
    let dir = std::env::temp_dir().join(format!("xtask-postgres-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    if let Some(user) = user {
        run(Command::new("chown").args(["-R", user]).arg(&dir), "chown")?;
    }
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let data = dir.join("data");
    eprintln!(
        "xtask: no PostgreSQL server; starting a throwaway cluster in {} on port {port}",
        dir.display()
    );
    run(
        as_user(user, &initdb)
            .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "-D"])
            .arg(&data),
        "initdb",
    )?;
    let options = format!(
        "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c full_page_writes=off",
        dir.display()
    );
    run(
        as_user(user, &pg_ctl)
            .args(["-w", "-D"])
            .arg(&data)
            .arg("-l")
            .arg(dir.join("server.log"))
            .args(["-o", &options, "start"]),
        "pg_ctl start",
    )?;
    *RUNNING.lock().unwrap_or_else(|e| e.into_inner()) = Some(Cluster { pg_ctl, dir, user });
    Ok(Some(format!("postgres://postgres@127.0.0.1:{port}/postgres")))
}

/// Stops the throwaway cluster, if one was started, and deletes it.
pub fn stop() {
    let Some(cluster) = RUNNING.lock().unwrap_or_else(|e| e.into_inner()).take() else {
        return;
    };
    let _ = as_user(cluster.user, &cluster.pg_ctl)
        .args(["-m", "immediate", "-D"])
        .arg(cluster.dir.join("data"))
        .arg("stop")
        .stdout(Stdio::null())
        .status();
    let _ = std::fs::remove_dir_all(&cluster.dir);
}

fn as_user(user: Option<&str>, program: &Path) -> Command {
    match user {
        Some(user) => {
            let mut command = Command::new("runuser");
            command.args(["-u", user, "--"]).arg(program);
            command
        }
        None => Command::new(program),
    }
}

fn is_root() -> Result<bool> {
    let out = Command::new("id").arg("-u").output().context("run id -u")?;
    Ok(String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn run(command: &mut Command, what: &str) -> Result<()> {
    let out = command
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("run {what}"))?;
    ensure!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout).trim(),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok(())
}
