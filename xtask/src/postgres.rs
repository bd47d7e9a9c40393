//! The PostgreSQL server the test suites run against (docs/ARCHITECTURE.md#two-database-backends):
//! `TEST_POSTGRES_URL` when set, else a server answering on 127.0.0.1:5432 (database `test`), else a
//! throwaway cluster started here with `initdb`/`pg_ctl` when they are installed (`cluster.rs`; stopped and
//! deleted when xtask exits). Without any, the PostgreSQL half of the suites is skipped, said loudly, unless
//! `TEST_POSTGRES_REQUIRED=1` (`.ci/run` sets it), which makes its absence a failure: CI never skips it
//! silently (`XTASK_POSTGRES_THROWAWAY=1` takes the throwaway cluster even when a server runs). [`Schema`] gives a scenario a schema of its own on that server (with `psql`).

use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};

mod cluster;

pub use cluster::stop as stop_cluster;

/// The default server of the machine kind this project is developed on.
const DEFAULT_URL: &str = "postgres://127.0.0.1:5432/test";

/// The server found (or started) once per xtask process.
static SERVER: OnceLock<Option<String>> = OnceLock::new();

/// The URL of the server to test against, or `None` (said on stderr) when the suite is skipped.
pub fn server() -> Result<Option<String>> {
    if let Some(found) = SERVER.get() {
        return Ok(found.clone());
    }
    let found = find()?;
    Ok(SERVER.get_or_init(|| found).clone())
}

/// Whether a missing server is a failure (`TEST_POSTGRES_REQUIRED=1`).
pub fn required() -> bool {
    std::env::var("TEST_POSTGRES_REQUIRED").is_ok_and(|v| v == "1")
}

fn find() -> Result<Option<String>> {
    // A throwaway cluster even where a server runs (to try that path).
    if std::env::var("XTASK_POSTGRES_THROWAWAY").is_ok_and(|v| v == "1") {
        return cluster::start()?
            .context("XTASK_POSTGRES_THROWAWAY=1 but initdb/pg_ctl are not installed")
            .map(Some);
    }
    if let Ok(url) = std::env::var("TEST_POSTGRES_URL")
        && !url.trim().is_empty()
    {
        return Ok(Some(url));
    }
    let addr = SocketAddr::from(([127, 0, 0, 1], 5432));
    if TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok() {
        return Ok(Some(DEFAULT_URL.to_owned()));
    }
    match cluster::start() {
        Ok(Some(url)) => return Ok(Some(url)),
        Ok(None) => {}
        Err(e) if required() => return Err(e.context("starting a throwaway PostgreSQL cluster")),
        Err(e) => eprintln!("xtask: no throwaway PostgreSQL cluster: {e:#}"),
    }
    if required() {
        bail!(
            "TEST_POSTGRES_REQUIRED=1 but no PostgreSQL server: set TEST_POSTGRES_URL, start one on 127.0.0.1:5432, or install PostgreSQL's server (initdb, pg_ctl)"
        );
    }
    eprintln!("{}", "!".repeat(100));
    eprintln!(
        "!!! PostgreSQL suite SKIPPED: no server on 127.0.0.1:5432, TEST_POSTGRES_URL is not set and no\n\
         !!! initdb/pg_ctl to start one. The SQLite half ran; set TEST_POSTGRES_URL=postgres://... to run the rest."
    );
    eprintln!("{}", "!".repeat(100));
    Ok(None)
}

/// A program of PostgreSQL's: on the PATH, else in Debian's `/usr/lib/postgresql/VERSION/bin` (newest).
fn program(name: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").into_iter().flat_map(|p| {
        std::env::split_paths(&p)
            .map(|dir| dir.join(name))
            .collect::<Vec<_>>()
    });
    let mut debian: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|version| version.path().join("bin").join(name))
        .collect();
    debian.sort_by_key(|p| {
        let version = p
            .components()
            .nth(4)
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        version.and_then(|v| v.parse::<u32>().ok()).unwrap_or(0)
    });
    on_path.chain(debian.into_iter().rev()).find(|p| p.is_file())
}

/// A schema of its own on the test server, created fresh and dropped (with everything in it) when this is
/// dropped; [`url`](Self::url) reaches it through libpq's `options=-csearch_path=...`.
pub struct Schema {
    server: String,
    name: String,
    /// The URL of the schema: the server's, with the search path set to the schema.
    pub url: String,
}

impl Schema {
    /// Creates schema `name` on `server` (dropping an older one of that name first).
    pub fn create(server: &str, name: &str) -> Result<Schema> {
        ensure!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "schema name {name:?}: lower-case letters, digits and `_` only"
        );
        psql(
            server,
            &format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"),
        )?;
        let separator = if server.contains('?') { '&' } else { '?' };
        Ok(Schema {
            server: server.to_owned(),
            name: name.to_owned(),
            url: format!("{server}{separator}options=-csearch_path%3D{name}"),
        })
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let _ = psql(
            &self.server,
            &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
        );
    }
}

/// Runs `sql` on `url` with `psql`, stopping at the first error.
fn psql(url: &str, sql: &str) -> Result<()> {
    query(url, sql).map(drop)
}

/// Runs `sql` on `url` with `psql` (stopping at the first error) and returns the rows it printed, one
/// line each, columns separated by `|`.
pub fn query(url: &str, sql: &str) -> Result<Vec<String>> {
    let psql = program("psql").context("psql is not installed (PostgreSQL's client)")?;
    let out = Command::new(psql)
        .args([url, "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .stdin(Stdio::null())
        .output()
        .context("run psql")?;
    ensure!(
        out.status.success(),
        "psql {sql:?}: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}

/// The URL of database `name` on the server of `url` (same user, host, port and options).
pub fn database_url(url: &str, name: &str) -> Result<String> {
    let (scheme, rest) = url.split_once("://").context("a postgres:// URL")?;
    let (address, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let options = tail.find('?').map_or("", |i| &tail[i..]);
    Ok(format!("{scheme}://{address}/{name}{options}"))
}

#[cfg(test)]
mod tests {
    use super::database_url;

    #[test]
    fn another_database_keeps_user_host_port_and_options() {
        assert_eq!(
            database_url("postgres://u:p@h:5433/test?sslmode=disable", "bench").unwrap(),
            "postgres://u:p@h:5433/bench?sslmode=disable"
        );
        assert_eq!(
            database_url("postgres://127.0.0.1:5432", "bench").unwrap(),
            "postgres://127.0.0.1:5432/bench"
        );
    }
}
