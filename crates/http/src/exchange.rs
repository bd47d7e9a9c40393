//! What goes through the client: a [`Request`], the [`Fetched`] response or a [`BodyStream`], and the
//! [`HttpStats`] of what was sent.

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use futures::Stream;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use url::Url;

/// What the client did, for the run counters.
#[derive(Debug, Default)]
pub struct HttpStats {
    /// Attempts sent (each retry counts).
    pub requests: AtomicU64,
    /// Responses with status 429 (rate limited).
    pub http_429: AtomicU64,
    /// Responses with a 5xx status.
    pub http_5xx: AtomicU64,
}

impl HttpStats {
    /// (requests, http_429, http_5xx) so far.
    pub fn snapshot(&self) -> (u64, u64, u64) {
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        (load(&self.requests), load(&self.http_429), load(&self.http_5xx))
    }
}

/// A body being streamed: its chunks as they arrive.
pub type BodyStream = Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>>;

/// A response read whole (within the cap).
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The final URL, after redirects (links in the body are relative to it).
    pub url: Url,
    /// The HTTP status (2xx, or 304 for a conditional request).
    pub status: u16,
    /// The response headers (validators, Content-Type).
    pub headers: HeaderMap,
    /// The body, at most the client's `max_body` bytes.
    pub body: Bytes,
}

impl Fetched {
    /// The body as text, decoded by the Content-Type charset (UTF-8 when absent or unknown).
    pub fn text(&self) -> String {
        let label = self
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|ct| ct.split(';').find_map(|p| p.trim().strip_prefix("charset=")))
            .map(|c| c.trim_matches('"').to_owned());
        let encoding = label
            .and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()))
            .unwrap_or(encoding_rs::UTF_8);
        encoding.decode(&self.body).0.into_owned()
    }
}

/// A request beyond a plain GET: a method, extra headers (validators, Accept), a JSON body.
#[derive(Debug, Clone)]
pub struct Request {
    /// GET or POST.
    pub method: reqwest::Method,
    /// Where to send it.
    pub url: Url,
    /// Extra headers, sent on every attempt.
    pub headers: Vec<(&'static str, String)>,
    /// A JSON body, for POST APIs (Workday's search).
    pub json: Option<serde_json::Value>,
}

impl Request {
    /// A plain GET of `url`.
    pub fn get(url: Url) -> Self {
        Self {
            method: reqwest::Method::GET,
            url,
            headers: Vec::new(),
            json: None,
        }
    }

    /// A POST with a JSON body (`Content-Type` and `Accept: application/json`).
    pub fn post_json(url: Url, body: serde_json::Value) -> Self {
        let headers = vec![("accept", "application/json".to_owned())];
        Self {
            method: reqwest::Method::POST,
            url,
            headers,
            json: Some(body),
        }
    }

    /// The same request with one more header (`If-None-Match`, `Accept`, ...).
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}
