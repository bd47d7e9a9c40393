//! JSON lists: one array of objects (streamed element by element), or JSON Lines (one object per line).

use std::fmt;
use std::io::{BufRead, BufReader, Read};

use async_trait::async_trait;
use pipeline_domain::CompanyInput;
use serde::de::{Deserializer, SeqAccess, Visitor};
use serde_json::Value;
use tokio::sync::mpsc;

use super::input::{self, Location};
use super::{DirectorySource, SourceError, SourceItem};
use pipeline_http::HttpClient;

/// A JSON list of companies.
#[derive(Debug, Clone)]
pub struct JsonSource {
    pub name: String,
    pub location: Location,
    pub name_field: String,
    pub website_field: String,
    pub http: HttpClient,
}

#[async_trait]
impl DirectorySource for JsonSource {
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

impl JsonSource {
    /// Parses `reader` (blocking): an array when the first character is `[`, JSON Lines otherwise.
    pub fn parse(
        &self,
        reader: Box<dyn Read + Send>,
        sink: &mpsc::Sender<SourceItem>,
    ) -> Result<(), SourceError> {
        let mut reader = BufReader::new(reader);
        let read_err = |e: std::io::Error| SourceError::Read {
            location: self.location.to_string(),
            reason: e.to_string(),
        };
        let first = loop {
            let buf = reader.fill_buf().map_err(read_err)?;
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
            Some(b'[') => self.parse_array(reader, sink),
            _ => self.parse_lines(reader, sink),
        }
    }

    fn parse_array(&self, reader: impl Read, sink: &mpsc::Sender<SourceItem>) -> Result<(), SourceError> {
        let mut de = serde_json::Deserializer::from_reader(reader);
        let visitor = Elements { source: self, sink };
        let result = de.deserialize_seq(visitor).and_then(|()| de.end());
        match result {
            Ok(()) => Ok(()),
            Err(e) if e.to_string() == STOPPED => Err(SourceError::Stopped),
            Err(e) if e.is_io() => Err(SourceError::Read {
                location: self.location.to_string(),
                reason: e.to_string(),
            }),
            Err(e) => Err(SourceError::Format {
                location: self.location.to_string(),
                reason: e.to_string(),
            }),
        }
    }

    fn parse_lines(&self, reader: impl BufRead, sink: &mpsc::Sender<SourceItem>) -> Result<(), SourceError> {
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| SourceError::Read {
                location: self.location.to_string(),
                reason: e.to_string(),
            })?;
            if line.trim().is_empty() {
                continue;
            }
            if line.trim() == "{" {
                // A pretty-printed document, not one object per line: every line would be a bad row.
                let reason = format!(
                    "line {}: expected one array of objects, or JSON Lines (one object per line); \
                     this looks like a pretty-printed JSON object",
                    i + 1
                );
                return Err(SourceError::Format {
                    location: self.location.to_string(),
                    reason,
                });
            }
            let location = format!("line {}", i + 1);
            let item = match serde_json::from_str::<Value>(&line) {
                Ok(value) => self.item(value, location),
                Err(e) => SourceItem::Bad {
                    location,
                    reason: format!("malformed JSON: {e}"),
                },
            };
            sink.blocking_send(item).map_err(|_| SourceError::Stopped)?;
        }
        Ok(())
    }

    fn item(&self, value: Value, location: String) -> SourceItem {
        let Value::Object(map) = value else {
            return SourceItem::Bad {
                location,
                reason: format!("expected an object, got {}", type_name(&value)),
            };
        };
        let field = |key: &str| -> Result<Option<String>, String> {
            match map.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(format!(
                    "field `{key}` is {}, expected a string",
                    type_name(other)
                )),
            }
        };
        let fields = field(&self.name_field).and_then(|n| Ok((n, field(&self.website_field)?)));
        match fields.and_then(|(n, w)| {
            CompanyInput::from_listing(n.as_deref(), w.as_deref()).map_err(|e| e.to_string())
        }) {
            Ok(input) => SourceItem::Company { input, location },
            Err(reason) => SourceItem::Bad { location, reason },
        }
    }
}

const STOPPED: &str = "directory reader stopped";

struct Elements<'a> {
    source: &'a JsonSource,
    sink: &'a mpsc::Sender<SourceItem>,
}

impl<'de> Visitor<'de> for Elements<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        while let Some(value) = seq.next_element::<Value>()? {
            let item = self.source.item(value, format!("index {index}"));
            self.sink
                .blocking_send(item)
                .map_err(|_| serde::de::Error::custom(STOPPED))?;
            index += 1;
        }
        Ok(())
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn source() -> JsonSource {
        pipeline_http::install_crypto_provider();
        JsonSource {
            name: "j".into(),
            location: Location::File("c.json".into()),
            name_field: "name".into(),
            website_field: "website".into(),
            http: HttpClient::new(Default::default()).unwrap(),
        }
    }

    fn parse(text: &str) -> Result<Vec<SourceItem>, SourceError> {
        let src = source();
        let (tx, mut rx) = mpsc::channel(1000);
        src.parse(Box::new(std::io::Cursor::new(text.as_bytes().to_vec())), &tx)?;
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
    fn arrays_report_bad_elements_by_index() {
        let items = parse(
            r#" [{"name":"Acme","website":"acme.com"}, 42, {"name":7}, {"website":null,"name":"Solo"}, {}]"#,
        )
        .unwrap();
        assert_eq!(items.len(), 5);
        assert_eq!(
            bad(&items),
            vec![
                ("index 1".into(), "expected an object, got a number".into()),
                (
                    "index 2".into(),
                    "field `name` is a number, expected a string".into()
                ),
                ("index 4".into(), "no name and no website".into()),
            ]
        );
    }

    #[test]
    fn json_lines_report_malformed_lines_and_continue() {
        let items =
            parse("{\"name\":\"A\",\"website\":\"a.es\"}\n\n{broken\n[1]\n{\"name\":\"B\"}\n").unwrap();
        let bad = bad(&items);
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].0, "line 3");
        assert!(bad[0].1.starts_with("malformed JSON"));
        assert_eq!(
            bad[1],
            ("line 4".into(), "expected an object, got an array".into())
        );
        assert_eq!(items.len(), 4);
    }

    #[test]
    fn a_truncated_array_fails_the_source_after_the_rows_before_it() {
        let (tx, mut rx) = mpsc::channel(10);
        let src = source();
        let err = src
            .parse(
                Box::new(std::io::Cursor::new(br#"[{"name":"A"}, {"name":"#.to_vec())),
                &tx,
            )
            .unwrap_err();
        assert!(matches!(err, SourceError::Format { .. }), "{err}");
        assert!(matches!(rx.try_recv(), Ok(SourceItem::Company { .. })));
    }

    #[test]
    fn a_pretty_printed_object_fails_the_source_with_a_clear_reason() {
        let err = parse("{\n  \"companies\": []\n}\n").unwrap_err();
        assert!(err.to_string().contains("pretty-printed JSON object"), "{err}");
    }
}
