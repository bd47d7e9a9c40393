//! CSV lists: a header row, configurable name/website columns, delimiter and encoding (UTF-8 or
//! Windows-1252), read record by record from a file or a streamed URL.

use std::io::Read;

use async_trait::async_trait;
use pipeline_domain::CompanyInput;
use tokio::sync::mpsc;

use super::input::{self, Location};
use super::{DirectorySource, SourceError, SourceItem};
use pipeline_http::HttpClient;

/// A CSV list of companies.
#[derive(Debug, Clone)]
pub struct CsvSource {
    pub name: String,
    pub location: Location,
    pub name_field: String,
    pub website_field: String,
    pub delimiter: u8,
    /// `None` = UTF-8 (a BOM is skipped); `Some` = transcode from this encoding.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub http: HttpClient,
}

#[async_trait]
impl DirectorySource for CsvSource {
    fn name(&self) -> &str {
        &self.name
    }

    async fn read(&self, sink: mpsc::Sender<SourceItem>) -> Result<(), SourceError> {
        let this = self.clone();
        input::parse_blocking(&self.location, &self.http, move |reader| {
            this.parse(reader, &sink)
        })
        .await
    }
}

impl CsvSource {
    /// Parses `reader` (blocking), sending each row. Malformed lines become bad rows; only an unreadable
    /// header or an I/O failure stops the source.
    pub fn parse(
        &self,
        reader: Box<dyn Read + Send>,
        sink: &mpsc::Sender<SourceItem>,
    ) -> Result<(), SourceError> {
        let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(self.encoding)
            .build(reader);
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(true)
            .from_reader(decoded);
        let (name_col, web_col) = self.columns(&mut csv)?;
        let mut record = csv::StringRecord::new();
        loop {
            let item = match csv.read_record(&mut record) {
                Ok(false) => return Ok(()),
                Ok(true) => row_item(&record, name_col, web_col),
                Err(e) if e.is_io_error() => {
                    return Err(SourceError::Read {
                        location: self.location.to_string(),
                        reason: e.to_string(),
                    });
                }
                Err(e) => SourceItem::Bad {
                    location: line_of(&e),
                    reason: describe(&e),
                },
            };
            sink.blocking_send(item).map_err(|_| SourceError::Stopped)?;
        }
    }

    fn columns<R: Read>(
        &self,
        csv: &mut csv::Reader<R>,
    ) -> Result<(Option<usize>, Option<usize>), SourceError> {
        let location = self.location.to_string();
        let headers = csv.headers().map_err(|e| SourceError::Format {
            location: location.clone(),
            reason: format!("header row: {e}"),
        })?;
        let find = |field: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(field.trim()))
        };
        let (name_col, web_col) = (find(&self.name_field), find(&self.website_field));
        if name_col.is_none() && web_col.is_none() {
            let reason = format!(
                "header has neither a `{}` nor a `{}` column (found: {})",
                self.name_field,
                self.website_field,
                headers.iter().collect::<Vec<_>>().join(", ")
            );
            return Err(SourceError::Format { location, reason });
        }
        Ok((name_col, web_col))
    }
}

fn row_item(record: &csv::StringRecord, name_col: Option<usize>, web_col: Option<usize>) -> SourceItem {
    let location = format!("line {}", record.position().map_or(0, |p| p.line()));
    let name = name_col.and_then(|i| record.get(i));
    let website = web_col.and_then(|i| record.get(i));
    match CompanyInput::from_listing(name, website) {
        Ok(input) => SourceItem::Company { input, location },
        Err(e) => SourceItem::Bad {
            location,
            reason: e.to_string(),
        },
    }
}

fn line_of(e: &csv::Error) -> String {
    format!("line {}", e.position().map_or(0, |p| p.line()))
}

fn describe(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("malformed CSV line: {len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8 (is the source's `encoding` right?)".to_owned(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn source(delimiter: u8, encoding: Option<&'static encoding_rs::Encoding>) -> CsvSource {
        CsvSource {
            name: "test".into(),
            location: Location::File("companies.csv".into()),
            name_field: "name".into(),
            website_field: "website".into(),
            delimiter,
            encoding,
            http: HttpClient::new(Default::default()).unwrap(),
        }
    }

    fn parse(src: &CsvSource, bytes: &[u8]) -> Result<Vec<SourceItem>, SourceError> {
        let (tx, mut rx) = mpsc::channel(1000);
        src.parse(Box::new(std::io::Cursor::new(bytes.to_vec())), &tx)?;
        drop(tx);
        let mut out = Vec::new();
        while let Ok(item) = rx.try_recv() {
            out.push(item);
        }
        Ok(out)
    }

    fn bad(items: &[SourceItem]) -> Vec<(String, String)> {
        items
            .iter()
            .filter_map(|i| match i {
                SourceItem::Bad { location, reason } => Some((location.clone(), reason.clone())),
                SourceItem::Company { .. } => None,
            })
            .collect()
    }

    #[test]
    fn bad_rows_are_reported_with_their_line_and_the_rest_proceeds() {
        pipeline_http::install_crypto_provider();
        let csv = "\u{feff}Name,Website,city\nAcme,acme.com,Madrid\n,,Sevilla\nNameOnly,,\nBadUrl,http://exa mple.com,x\nToo,many,fields,here\nLast,last.es,Bilbao\n";
        let items = parse(&source(b',', None), csv.as_bytes()).unwrap();
        let companies: Vec<_> = items
            .iter()
            .filter_map(|i| match i {
                SourceItem::Company { input, location } => {
                    Some((input.normalized_name.clone().unwrap(), location.clone()))
                }
                SourceItem::Bad { .. } => None,
            })
            .collect();
        assert_eq!(companies[0], ("acme".into(), "line 2".into()));
        assert!(companies.iter().any(|(n, _)| n == "last"));
        let bad = bad(&items);
        assert!(
            bad.contains(&("line 3".into(), "no name and no website".into())),
            "{bad:?}"
        );
        assert!(
            bad.iter().any(|(l, r)| l == "line 6" && r.contains("4 fields")),
            "{bad:?}"
        );
        assert!(bad.iter().any(|(_, r)| r.contains("bad website")), "{bad:?}");
    }

    #[test]
    fn windows_1252_and_semicolons_are_read() {
        pipeline_http::install_crypto_provider();
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("nombre;web\nCafé Ñandú SL;cafe.es\n");
        let mut src = source(b';', Some(encoding_rs::WINDOWS_1252));
        src.name_field = "nombre".into();
        src.website_field = "web".into();
        let items = parse(&src, &bytes).unwrap();
        let SourceItem::Company { input, .. } = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!(input.name_display.as_deref(), Some("Café Ñandú SL"));
        assert_eq!(input.normalized_name.as_deref(), Some("cafe nandu"));
    }

    #[test]
    fn invalid_utf8_in_a_utf8_source_is_a_bad_row() {
        pipeline_http::install_crypto_provider();
        let mut bytes = b"name,website\nGood,good.es\n".to_vec();
        bytes.extend_from_slice(b"Caf\xe9,cafe.es\nAfter,after.es\n");
        let items = parse(&source(b',', None), &bytes).unwrap();
        assert_eq!(items.len(), 3);
        assert!(bad(&items)[0].1.contains("UTF-8"));
    }

    #[test]
    fn a_header_without_the_configured_columns_fails_the_source() {
        pipeline_http::install_crypto_provider();
        let err = parse(&source(b',', None), b"company,url\nA,a.com\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("neither a `name` nor a `website` column"),
            "{err}"
        );
    }
}
