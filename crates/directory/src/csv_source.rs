//! CSV lists: a header row, configurable name/website columns, delimiter and encoding (UTF-8 or
//! Windows-1252), read record by record from a file or a streamed URL, within the [`ReadCaps`].

use std::io::{BufRead, BufReader};

use async_trait::async_trait;
use pipeline_domain::CompanyInput;
use pipeline_domain::text::echo;
use tokio::sync::mpsc;

use super::csv_record::{Next, Record, Records};
use super::input::{self, Location, ReadCaps, Rows};
use super::{DirectorySource, SourceError, SourceItem};
use pipeline_http::HttpClient;

/// A CSV list of companies.
#[derive(Debug, Clone)]
pub struct CsvSource {
    /// The source's name, recorded with every company it lists.
    pub name: String,
    /// Where the list is: a file or a URL, streamed either way.
    pub location: Location,
    /// The name column; empty = the list has none.
    pub name_field: String,
    /// The website column; empty = the list has none.
    pub website_field: String,
    /// The field separator (`,`, `;`, tab).
    pub delimiter: u8,
    /// `None` = UTF-8 (a BOM is skipped); `Some` = transcode from this encoding.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Quoted fields may hold line breaks; otherwise a line ending inside quotes is a bad row.
    pub multiline_fields: bool,
    /// The record and source size caps.
    pub caps: ReadCaps,
    /// The client a URL is fetched with.
    pub http: HttpClient,
}

#[async_trait]
impl DirectorySource for CsvSource {
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

/// Where the mapped columns are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    count: usize,
    name: Option<usize>,
    website: Option<usize>,
}

impl CsvSource {
    /// Parses `reader` (blocking), sending each row. Malformed lines become bad rows; only a missing or
    /// unusable header, an I/O failure or the source cap stops the source (the rows sent are kept).
    pub fn parse(
        &self,
        reader: Box<dyn BufRead + Send>,
        sink: &mpsc::Sender<SourceItem>,
    ) -> Result<(), SourceError> {
        let mut rows = Rows::new(sink, &self.location, self.caps);
        let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(self.encoding)
            .build(reader);
        let mut records = Records::new(
            BufReader::with_capacity(64 * 1024, decoded),
            self.delimiter,
            self.multiline_fields,
            self.caps.max_record,
            self.caps.record_text(),
        );
        let columns = match records.next().map_err(|e| rows.read_error(e))? {
            None => return Err(rows.format_error("no header row (the list is empty)")),
            Some(Next::Bad { reason, .. }) => return Err(rows.format_error(format!("header row: {reason}"))),
            Some(Next::Record { .. }) => self.columns(records.record(), &rows)?,
        };
        while let Some(next) = records.next().map_err(|e| rows.read_error(e))? {
            match next {
                Next::Record { line } => rows.send(row_item(records.record(), columns, line))?,
                Next::Bad { line, reason } => rows.bad(format!("line {line}"), reason)?,
            }
        }
        Ok(())
    }

    /// Finds the configured columns (trimmed, case-insensitive); one that is configured but absent fails
    /// the source, naming the headers found. A repeated header name is a warning (the first is used).
    fn columns(&self, header: &Record, rows: &Rows<'_>) -> Result<Columns, SourceError> {
        let names: Vec<String> = (0..header.len())
            .map(|i| {
                String::from_utf8_lossy(header.field(i).unwrap_or_default())
                    .trim()
                    .to_owned()
            })
            .collect();
        for warning in repeated_headers(&names) {
            tracing::warn!(source = %self.name, "{warning}");
        }
        let find = |field: &str| -> Result<Option<usize>, SourceError> {
            let field = field.trim();
            if field.is_empty() {
                return Ok(None);
            }
            match names.iter().position(|h| h.eq_ignore_ascii_case(field)) {
                Some(index) => Ok(Some(index)),
                None => Err(rows.format_error(format!(
                    "column `{}` not in header (found: {})",
                    echo(field),
                    echo(&names.join(", "))
                ))),
            }
        };
        Ok(Columns {
            count: names.len(),
            name: find(&self.name_field)?,
            website: find(&self.website_field)?,
        })
    }
}

/// A warning for each header name that repeats an earlier one, naming both positions (1-based).
pub(crate) fn repeated_headers(names: &[String]) -> Vec<String> {
    let mut warnings = Vec::new();
    for (later, name) in names.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        if let Some(first) = names[..later].iter().position(|n| n.eq_ignore_ascii_case(name)) {
            warnings.push(format!(
                "the header names `{}` twice (columns {} and {}); the first is used",
                echo(name),
                first + 1,
                later + 1
            ));
        }
    }
    warnings
}

fn row_item(record: &Record, columns: Columns, line: u64) -> SourceItem {
    let location = format!("line {line}");
    let bad = |reason: String| SourceItem::Bad {
        location: location.clone(),
        reason,
    };
    if record.len() != columns.count {
        return bad(format!(
            "malformed CSV line: {} fields where the header has {}",
            record.len(),
            columns.count
        ));
    }
    if std::str::from_utf8(record.bytes()).is_err() {
        return bad("invalid UTF-8 (is the source's `encoding` right?)".to_owned());
    }
    let text = |column: Option<usize>| {
        column
            .and_then(|i| record.field(i))
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
    };
    match CompanyInput::from_listing(text(columns.name), text(columns.website)) {
        Ok(input) => SourceItem::Company { input, location },
        Err(e) => bad(e.to_string()),
    }
}
