//! JSON lists: one array of objects (streamed element by element), or JSON Lines (one object per line),
//! within the [`ReadCaps`]. Only the two mapped fields of each object are read (see `json_fields`).

use std::io::BufRead;

use async_trait::async_trait;
use pipeline_domain::CompanyInput;
use tokio::sync::mpsc;

use super::input::{self, Location, ReadCaps, Rows};
use super::json_array::{ArrayError, Elements};
use super::json_fields::mapped_fields;
use super::lines::Lines;
use super::{DirectorySource, SourceError, SourceItem};
use pipeline_http::HttpClient;

/// A JSON list of companies.
#[derive(Debug, Clone)]
pub struct JsonSource {
    /// The source's name, recorded with every company it lists.
    pub name: String,
    /// Where the list is: a file or a URL, streamed either way.
    pub location: Location,
    /// The member holding the company's name; empty = the objects have none.
    pub name_field: String,
    /// The member holding the company's website; empty = the objects have none.
    pub website_field: String,
    /// The record and source size caps.
    pub caps: ReadCaps,
    /// The client a URL is fetched with.
    pub http: HttpClient,
}

#[async_trait]
impl DirectorySource for JsonSource {
    fn name(&self) -> &str {
        &self.name
    }

    async fn read(&self, sink: mpsc::Sender<SourceItem>) -> Result<(), SourceError> {
        let this = self.clone();
        input::parse_blocking(&self.location, &self.http, self.caps, move |reader| {
            this.parse(reader, &sink)
        })
        .await
    }
}

impl JsonSource {
    /// Parses `reader` (blocking): an array when the first character is `[`, JSON Lines otherwise.
    pub fn parse(
        &self,
        mut reader: Box<dyn BufRead + Send>,
        sink: &mpsc::Sender<SourceItem>,
    ) -> Result<(), SourceError> {
        let mut rows = Rows::new(sink, &self.location, self.caps);
        let first = loop {
            let buf = reader.fill_buf().map_err(|e| rows.read_error(e))?;
            let skip = buf
                .iter()
                .take_while(|b| b.is_ascii_whitespace() || matches!(b, 0xEF | 0xBB | 0xBF))
                .count();
            if skip == 0 || buf.is_empty() {
                break buf.first().copied();
            }
            reader.consume(skip);
        };
        match first {
            Some(b'[') => self.parse_array(reader, &mut rows),
            _ => self.parse_lines(reader, &mut rows),
        }
    }

    fn parse_array(&self, reader: impl BufRead, rows: &mut Rows<'_>) -> Result<(), SourceError> {
        let mut elements = Elements::new(reader, self.caps.max_record);
        let (mut buf, mut index) = (Vec::new(), 0u64);
        loop {
            match elements.read_into(&mut buf) {
                Ok(false) => return Ok(()),
                Ok(true) if buf.trim_ascii().is_empty() => {
                    rows.bad(format!("index {index}"), "empty element (a stray comma?)")?;
                }
                Ok(true) => rows.send(self.item(&buf, format!("index {index}")))?,
                Err(ArrayError::Io(e)) => return Err(rows.read_error(e)),
                Err(ArrayError::TooLong) => {
                    let reason = format!(
                        "element {index} is longer than the {} cap; the rest of the array cannot be read \
                         reliably after it",
                        rows.record_cap()
                    );
                    return Err(rows.format_error(reason));
                }
                Err(ArrayError::Truncated) => {
                    let reason =
                        format!("the array ends before its closing `]` (truncated?) after {index} elements");
                    return Err(rows.format_error(reason));
                }
                Err(ArrayError::Trailing) => {
                    return Err(rows.format_error("characters after the array's closing `]`"));
                }
            }
            index += 1;
        }
    }

    fn parse_lines(&self, reader: impl BufRead, rows: &mut Rows<'_>) -> Result<(), SourceError> {
        let mut lines = Lines::new(reader, self.caps.max_record);
        let mut buf = Vec::new();
        while let Some(line) = lines.read_into(&mut buf).map_err(|e| rows.read_error(e))? {
            let location = format!("line {}", line.number);
            if line.too_long {
                let reason = format!("line longer than the {} cap", rows.record_cap());
                rows.bad(location, reason)?;
                continue;
            }
            let text = buf.trim_ascii();
            if text.is_empty() {
                continue;
            }
            if text == b"{" {
                // A pretty-printed document, not one object per line: every line would be a bad row.
                let reason = format!(
                    "line {}: expected one array of objects, or JSON Lines (one object per line); \
                     this looks like a pretty-printed JSON object",
                    line.number
                );
                return Err(rows.format_error(reason));
            }
            rows.send(self.item(text, location))?;
        }
        Ok(())
    }

    fn item(&self, text: &[u8], location: String) -> SourceItem {
        let company =
            mapped_fields(text, &self.name_field, &self.website_field).and_then(|(name, website)| {
                CompanyInput::from_listing(name.as_deref(), website.as_deref()).map_err(|e| e.to_string())
            });
        match company {
            Ok(input) => SourceItem::Company { input, location },
            Err(reason) => SourceItem::Bad {
                location,
                reason: pipeline_domain::text::echo(&reason).into_owned(),
            },
        }
    }
}
