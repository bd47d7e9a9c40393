//! Where a list lives (a file or a URL) and how its bytes are opened as a blocking reader for the
//! streaming parsers.

use std::io::{BufReader, Read};
use std::path::PathBuf;

use tokio_util::io::{StreamReader, SyncIoBridge};
use url::Url;

use super::SourceError;
use pipeline_http::HttpClient;

/// A file path or a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Url(Url),
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Url(u) => write!(f, "{u}"),
        }
    }
}

/// Opens the location as a buffered blocking reader. Must be awaited on the runtime; the reader must then
/// be used from a blocking thread (`spawn_blocking`).
pub(crate) async fn open(
    location: &Location,
    http: &HttpClient,
) -> Result<Box<dyn Read + Send>, SourceError> {
    match location {
        Location::File(path) => {
            let file = std::fs::File::open(path).map_err(|e| SourceError::Open {
                location: path.display().to_string(),
                reason: e.to_string(),
            })?;
            Ok(Box::new(BufReader::with_capacity(256 * 1024, file)))
        }
        Location::Url(url) => {
            let stream = http.open(url).await?;
            let reader = SyncIoBridge::new(StreamReader::new(stream));
            Ok(Box::new(BufReader::with_capacity(256 * 1024, reader)))
        }
    }
}

/// Opens `location` and runs the blocking `parse` over it on a blocking thread (the parsers of CSV and
/// JSON are synchronous; they stream rows into a channel).
pub(crate) async fn parse_blocking<F>(
    location: &Location,
    http: &HttpClient,
    parse: F,
) -> Result<(), SourceError>
where
    F: FnOnce(Box<dyn Read + Send>) -> Result<(), SourceError> + Send + 'static,
{
    let reader = open(location, http).await?;
    tokio::task::spawn_blocking(move || parse(reader))
        .await
        .map_err(|e| SourceError::Read {
            location: location.to_string(),
            reason: e.to_string(),
        })?
}
