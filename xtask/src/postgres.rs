//! The PostgreSQL server the test suites run against (docs/ARCHITECTURE.md#two-database-backends):
//! `TEST_POSTGRES_URL` when set, else a server answering on 127.0.0.1:5432 (database `test`). Without one,
//! the PostgreSQL half of the suites is skipped, said loudly, unless `TEST_POSTGRES_REQUIRED=1` (`.ci/run`
//! sets it), which makes its absence a failure: CI never skips it silently.

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::{Result, bail};

/// The default server of the machine kind this project is developed on.
const DEFAULT_URL: &str = "postgres://127.0.0.1:5432/test";

/// The URL of the server to test against, or `None` (said on stderr) when the suite is skipped.
pub fn server() -> Result<Option<String>> {
    let required = std::env::var("TEST_POSTGRES_REQUIRED").is_ok_and(|v| v == "1");
    if let Ok(url) = std::env::var("TEST_POSTGRES_URL")
        && !url.trim().is_empty()
    {
        return Ok(Some(url));
    }
    let addr = SocketAddr::from(([127, 0, 0, 1], 5432));
    if TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok() {
        return Ok(Some(DEFAULT_URL.to_owned()));
    }
    if required {
        bail!(
            "TEST_POSTGRES_REQUIRED=1 but no PostgreSQL server: set TEST_POSTGRES_URL or start one on 127.0.0.1:5432"
        );
    }
    eprintln!("{}", "!".repeat(100));
    eprintln!(
        "!!! PostgreSQL suite SKIPPED: no server on 127.0.0.1:5432 and TEST_POSTGRES_URL is not set.\n\
         !!! The SQLite half ran; set TEST_POSTGRES_URL=postgres://... to run the PostgreSQL half."
    );
    eprintln!("{}", "!".repeat(100));
    Ok(None)
}
