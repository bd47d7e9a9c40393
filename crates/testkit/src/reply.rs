//! The request as the world's handlers see it and the reply they build, with conditional-request support.

use axum::http::{HeaderMap, Method, header};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A fully read request.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub method: Method,
    /// Host without port, lower case (`acme.test`, `127.0.0.1`).
    pub host: String,
    /// The Host header as sent (`acme.test:8080`).
    pub authority: String,
    /// The path, still percent-encoded.
    pub path: String,
    pub query: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Incoming {
    /// The path's segments, percent-decoded; an empty trailing segment (trailing slash) is dropped.
    pub fn segments(&self) -> Vec<String> {
        let mut segments: Vec<String> = self.path.split('/').skip(1).map(percent_decode).collect();
        if segments.last().is_some_and(String::is_empty) {
            segments.pop();
        }
        segments
    }

    pub fn query_params(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .into_owned()
            .collect()
    }

    pub fn param(&self, name: &str) -> Option<String> {
        self.query_params()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    pub fn params(&self, name: &str) -> Vec<String> {
        self.query_params()
            .into_iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v)
            .collect()
    }

    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Decodes `%XX` escapes (invalid escapes are kept as they are).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// A response before faults are applied.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            headers: vec![(header::CONTENT_TYPE.to_string(), content_type.to_owned())],
            body: body.into(),
        }
    }

    pub fn json(status: u16, value: &Value) -> Reply {
        Reply::new(status, "application/json; charset=utf-8", value.to_string())
    }

    pub fn html(status: u16, html: String) -> Reply {
        Reply::new(status, "text/html; charset=utf-8", html)
    }

    pub fn xml(status: u16, xml: String) -> Reply {
        Reply::new(status, "text/xml; charset=UTF-8", xml)
    }

    pub fn text(status: u16, text: &str) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", text.to_owned())
    }

    pub fn not_found() -> Reply {
        Reply::html(
            404,
            "<!doctype html><html><body><h1>404 Not Found</h1></body></html>".to_owned(),
        )
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("application/octet-stream")
    }

    /// Adds `ETag` and `Last-Modified` to a 200 and answers 304 when the request's validators match.
    pub fn conditional(self, request: &Incoming, last_modified: DateTime<Utc>) -> Reply {
        if self.status != 200 {
            return self;
        }
        let digest = Sha256::digest(&self.body);
        let etag: String = format!(
            "\"{}\"",
            digest
                .iter()
                .take(10)
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        self.with_header("etag", etag)
            .with_header("last-modified", http_date(last_modified))
            .answer(request)
    }

    /// This reply's answer to `request`: a 304 (its headers but the content type, no body) when it is a 200
    /// whose `ETag` the request's `If-None-Match` names or, without one, whose `Last-Modified` is not after
    /// the request's `If-Modified-Since`; itself otherwise.
    pub fn answer(self, request: &Incoming) -> Reply {
        if self.status != 200 {
            return self;
        }
        let sent = request.header("if-none-match");
        let etag_matches = sent.zip(self.header("etag")).is_some_and(|(sent, etag)| {
            sent.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == etag || t.trim() == "*")
        });
        let since = request.header("if-modified-since").and_then(parse_http_date);
        let modified = self.header("last-modified").and_then(parse_http_date);
        let not_modified_since = sent.is_none()
            && since
                .zip(modified)
                .is_some_and(|(since, modified)| modified.timestamp() <= since.timestamp());
        if etag_matches || not_modified_since {
            let mut headers = self.headers;
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
            return Reply {
                status: 304,
                headers,
                body: Bytes::new(),
            };
        }
        self
    }
}

/// RFC 7231 IMF-fixdate.
pub fn http_date(time: DateTime<Utc>) -> String {
    time.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

pub fn parse_http_date(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(&text.trim().replace("GMT", "+0000"))
        .ok()
        .map(|d| d.with_timezone(&Utc))
}
