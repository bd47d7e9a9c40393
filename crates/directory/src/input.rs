//! Where a list lives (a file or a URL), how its bytes are opened as a blocking reader for the streaming
//! parsers, and the caps on what is read: one line or record, and the whole source.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

use pipeline_domain::config::ByteSize;
use tokio::sync::mpsc;
use tokio_util::io::{StreamReader, SyncIoBridge};
use url::Url;

use super::{SourceError, SourceItem};
use pipeline_http::HttpClient;

/// A file path or a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A local file (relative paths already resolved against the config file's folder).
    File(PathBuf),
    /// An http(s) URL, fetched through the source's client.
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

/// How much of a list is read (`directory.max_record_size`, `directory.max_source_size`): a longer line or
/// record is a bad row, a longer source fails after the rows read before its cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadCaps {
    /// Bytes of one line (CSV, JSON Lines), record (CSV with `multiline_fields`) or array element.
    pub max_record: usize,
    /// Bytes of the whole source, as read (before transcoding).
    pub max_source: u64,
}

impl Default for ReadCaps {
    fn default() -> Self {
        Self {
            max_record: 1_000_000,
            max_source: 1_000_000_000,
        }
    }
}

impl ReadCaps {
    /// The record cap for a message: `1 MB`.
    pub(crate) fn record_text(&self) -> String {
        size_text(self.max_record as u64)
    }

    /// The source cap for a message: `1 GB`.
    pub(crate) fn source_text(&self) -> String {
        size_text(self.max_source)
    }
}

/// `1000000` → `1 MB`, `1500` → `1500 B`.
fn size_text(bytes: u64) -> String {
    let text = ByteSize(bytes).to_string();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    format!("{} {}", &text[..digits], &text[digits..])
}

/// What a [`Capped`] reader fails with once the source is longer than its cap.
#[derive(Debug, thiserror::Error)]
#[error("the source is over its size cap")]
struct OverSourceCap;

/// A reader that fails with [`OverSourceCap`] when its source holds more than `left` bytes.
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        // One byte more than allowed tells a source of exactly the cap from a longer one.
        let allowed = usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX);
        let len = allowed.min(buf.len());
        let n = self.inner.read(&mut buf[..len])?;
        if n as u64 > self.left {
            return Err(std::io::Error::other(OverSourceCap));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Opens the location as a buffered blocking reader of at most `caps.max_source` bytes. Must be awaited on
/// the runtime; the reader must then be used from a blocking thread (`spawn_blocking`).
pub(crate) async fn open(
    location: &Location,
    http: &HttpClient,
    caps: ReadCaps,
) -> Result<Box<dyn BufRead + Send>, SourceError> {
    let left = caps.max_source;
    match location {
        Location::File(path) => {
            let file = std::fs::File::open(path).map_err(|e| SourceError::Open {
                location: path.display().to_string(),
                reason: e.to_string(),
            })?;
            let inner = Capped { inner: file, left };
            Ok(Box::new(BufReader::with_capacity(256 * 1024, inner)))
        }
        Location::Url(url) => {
            let stream = http.open(url).await?;
            let inner = Capped {
                inner: SyncIoBridge::new(StreamReader::new(stream)),
                left,
            };
            Ok(Box::new(BufReader::with_capacity(256 * 1024, inner)))
        }
    }
}

/// Opens `location` and runs the blocking `parse` over it on a blocking thread (the parsers of CSV and
/// JSON are synchronous; they stream rows into a channel).
pub(crate) async fn parse_blocking<F>(
    location: &Location,
    http: &HttpClient,
    caps: ReadCaps,
    parse: F,
) -> Result<(), SourceError>
where
    F: FnOnce(Box<dyn BufRead + Send>) -> Result<(), SourceError> + Send + 'static,
{
    let reader = open(location, http, caps).await?;
    tokio::task::spawn_blocking(move || parse(reader))
        .await
        .map_err(|e| SourceError::Read {
            location: location.to_string(),
            reason: e.to_string(),
        })?
}

/// The rows of one source on their way into the channel, counted for the messages that end it.
pub(crate) struct Rows<'a> {
    sink: &'a mpsc::Sender<SourceItem>,
    location: &'a Location,
    caps: ReadCaps,
    sent: u64,
}

impl<'a> Rows<'a> {
    pub(crate) fn new(sink: &'a mpsc::Sender<SourceItem>, location: &'a Location, caps: ReadCaps) -> Self {
        Self {
            sink,
            location,
            caps,
            sent: 0,
        }
    }

    /// Sends one row; [`SourceError::Stopped`] once the consumer stopped listening.
    pub(crate) fn send(&mut self, item: SourceItem) -> Result<(), SourceError> {
        self.sink.blocking_send(item).map_err(|_| SourceError::Stopped)?;
        self.sent += 1;
        Ok(())
    }

    /// A bad row at `location`.
    pub(crate) fn bad(&mut self, location: String, reason: impl Into<String>) -> Result<(), SourceError> {
        let reason = pipeline_domain::text::echo(&reason.into()).into_owned();
        self.send(SourceItem::Bad { location, reason })
    }

    /// The source cannot be read on: `reason` (its format).
    pub(crate) fn format_error(&self, reason: impl Into<String>) -> SourceError {
        SourceError::Format {
            location: self.location.to_string(),
            reason: reason.into(),
        }
    }

    /// A read that failed: over the source cap (the rows sent so far are kept), or an I/O error.
    pub(crate) fn read_error(&self, error: std::io::Error) -> SourceError {
        if error.get_ref().is_some_and(|inner| inner.is::<OverSourceCap>()) {
            let rows = if self.sent == 1 { "row" } else { "rows" };
            let reason = format!(
                "source over its {} cap after {} {rows}",
                self.caps.source_text(),
                self.sent
            );
            return self.format_error(reason);
        }
        SourceError::Read {
            location: self.location.to_string(),
            reason: error.to_string(),
        }
    }

    /// The record cap for a message.
    pub(crate) fn record_cap(&self) -> String {
        self.caps.record_text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_of_exactly_its_cap_is_read_and_one_byte_more_fails() {
        let mut exact = Capped {
            inner: std::io::Cursor::new(vec![b'x'; 10]),
            left: 10,
        };
        let mut out = Vec::new();
        assert_eq!(exact.read_to_end(&mut out).unwrap(), 10);
        let mut over = Capped {
            inner: std::io::Cursor::new(vec![b'x'; 11]),
            left: 10,
        };
        let error = over.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(error.get_ref().unwrap().is::<OverSourceCap>());
    }

    #[test]
    fn caps_read_as_sizes_with_a_space() {
        let caps = ReadCaps::default();
        assert_eq!(
            (caps.record_text(), caps.source_text()),
            ("1 MB".into(), "1 GB".into())
        );
        assert_eq!(size_text(1500), "1500 B");
    }
}
