//! The PostgreSQL server the test suites run against (docs/ARCHITECTURE.md#two-database-backends):
//! `TEST_POSTGRES_URL` when set, else a server answering on 127.0.0.1:5432 (database `test`). Without one,
//! the PostgreSQL half of the suites is skipped, said loudly, unless `TEST_POSTGRES_REQUIRED=1` (`.ci/run`
//! sets it), which makes its absence a failure: CI never skips it silently. [`Server::simple_query`] runs one
//! statement on it (a database created and dropped by a benchmark) without any client library.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::{Context, Result, bail};

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

/// A `postgres://[user[:password]@]host[:port]/database[?...]` URL's parts (the user defaults to the login
/// name, as libpq's does).
#[derive(Debug, PartialEq)]
pub struct Server {
    pub user: String,
    pub password: Option<String>,
    pub host: String,
    pub port: u16,
    pub database: String,
    /// `?...` as given, or empty.
    pub query: String,
}

impl Server {
    pub fn parse(url: &str) -> Result<Server> {
        let Some(rest) = url
            .strip_prefix("postgres://")
            .or_else(|| url.strip_prefix("postgresql://"))
        else {
            bail!("not a postgres:// URL: {url}");
        };
        let (rest, query) = rest.split_at(rest.find('?').unwrap_or(rest.len()));
        let (authority, database) = rest.split_once('/').unwrap_or((rest, ""));
        let (credentials, address) = match authority.rsplit_once('@') {
            Some((credentials, address)) => (Some(credentials), address),
            None => (None, authority),
        };
        let (user, password) = match credentials.map(|c| c.split_once(':').unwrap_or((c, ""))) {
            Some((user, password)) => (
                user.to_owned(),
                Some(password.to_owned()).filter(|p| !p.is_empty()),
            ),
            None => (login_name(), None),
        };
        let (host, port) = match address.rsplit_once(':') {
            Some((host, port)) => (host, port.parse().with_context(|| format!("port in {url}"))?),
            None => (address, 5432),
        };
        Ok(Server {
            user,
            password,
            host: host.to_owned(),
            port,
            database: database.to_owned(),
            query: query.to_owned(),
        })
    }

    /// The URL of another database on the same server, as this one's user.
    pub fn url_of(&self, database: &str) -> String {
        let password = self
            .password
            .as_ref()
            .map(|p| format!(":{p}"))
            .unwrap_or_default();
        let (user, host, port, query) = (&self.user, &self.host, self.port, &self.query);
        format!("postgres://{user}{password}@{host}:{port}/{database}{query}")
    }

    /// Runs one statement in its own session (the simple query protocol, trust or cleartext password
    /// authentication: enough for a test server without any client library); the first column of each row
    /// it returns, as text.
    pub fn simple_query(&self, sql: &str) -> Result<Vec<String>> {
        let mut stream = TcpStream::connect((self.host.as_str(), self.port))
            .with_context(|| format!("cannot reach PostgreSQL at {}:{}", self.host, self.port))?;
        let mut startup = 196_608_i32.to_be_bytes().to_vec();
        for (key, value) in [("user", &self.user), ("database", &self.database)] {
            startup.extend([key.as_bytes(), b"\0", value.as_bytes(), b"\0"].concat());
        }
        startup.push(0);
        send(&mut stream, None, &startup)?;
        let mut rows = Vec::new();
        let mut query = Some(sql);
        loop {
            let (kind, body) = receive(&mut stream)?;
            match kind {
                b'R' => match body
                    .get(..4)
                    .map(|c| i32::from_be_bytes([c[0], c[1], c[2], c[3]]))
                {
                    Some(0) => {}
                    Some(3) if self.password.is_some() => {
                        let password = self.password.clone().unwrap_or_default() + "\0";
                        send(&mut stream, Some(b'p'), password.as_bytes())?;
                    }
                    code => bail!(
                        "PostgreSQL asks for authentication {code:?}: only trust and cleartext are spoken here"
                    ),
                },
                b'E' => bail!("PostgreSQL: {}", error_message(&body)),
                b'D' => rows.push(first_column(&body)),
                b'Z' => match query.take() {
                    Some(sql) => send(&mut stream, Some(b'Q'), format!("{sql}\0").as_bytes())?,
                    None => break,
                },
                _ => {}
            }
        }
        send(&mut stream, Some(b'X'), &[])?;
        Ok(rows)
    }
}

fn login_name() -> String {
    ["PGUSER", "USER", "LOGNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "postgres".to_owned())
}

/// One frontend message: its type byte (none for the startup message), length, body.
fn send(stream: &mut TcpStream, kind: Option<u8>, body: &[u8]) -> Result<()> {
    let length = i32::try_from(body.len() + 4)?;
    let mut message: Vec<u8> = kind.into_iter().collect();
    message.extend(length.to_be_bytes());
    message.extend(body);
    Ok(stream.write_all(&message)?)
}

fn receive(stream: &mut TcpStream) -> Result<(u8, Vec<u8>)> {
    let mut head = [0; 5];
    stream
        .read_exact(&mut head)
        .context("PostgreSQL closed the connection")?;
    let length = i32::from_be_bytes([head[1], head[2], head[3], head[4]]);
    let mut body = vec![0; usize::try_from(length - 4).context("a message length")?];
    stream.read_exact(&mut body)?;
    Ok((head[0], body))
}

/// The `M` field of an ErrorResponse.
fn error_message(body: &[u8]) -> String {
    body.split(|b| *b == 0)
        .find_map(|field| field.strip_prefix(b"M"))
        .map(|m| String::from_utf8_lossy(m).into_owned())
        .unwrap_or_else(|| "an error without a message".to_owned())
}

/// A DataRow's first column as text (empty when NULL).
fn first_column(body: &[u8]) -> String {
    let Some(&[a, b, c, d]) = body.get(2..6) else {
        return String::new();
    };
    let length = i32::from_be_bytes([a, b, c, d]);
    let end = 6 + usize::try_from(length).unwrap_or(0);
    body.get(6..end)
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_taken_apart_and_put_back_together() {
        let server = Server::parse("postgres://bench:secret@db.local:6543/test?sslmode=disable").unwrap();
        assert_eq!(
            (server.user.as_str(), server.password.as_deref()),
            ("bench", Some("secret"))
        );
        assert_eq!(
            (server.host.as_str(), server.port, server.database.as_str()),
            ("db.local", 6543, "test")
        );
        assert_eq!(
            server.url_of("other"),
            "postgres://bench:secret@db.local:6543/other?sslmode=disable"
        );
        let plain = Server::parse("postgres://127.0.0.1:5432/test").unwrap();
        assert!(plain.password.is_none() && plain.query.is_empty() && !plain.user.is_empty());
        assert_eq!(Server::parse("postgresql://h/d").unwrap().port, 5432);
        assert!(Server::parse("sqlite://x.db").is_err());
    }

    #[test]
    fn the_test_server_answers_a_query_when_there_is_one() {
        let Ok(Some(url)) = server() else { return };
        let server = Server::parse(&url).unwrap();
        assert_eq!(server.simple_query("SELECT 40 + 2").unwrap(), ["42"]);
        let error = server.simple_query("SELECT nothing_at_all").unwrap_err();
        assert!(error.to_string().contains("nothing_at_all"), "{error}");
    }
}
