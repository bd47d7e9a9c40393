//! What the world's APIs answered, remembered until the world changes: the same request (method, host,
//! path, query, body) is answered with the same reply without rendering it again, and a conditional
//! request gets the 304 that [`Reply::conditional`] would give (same validators, same headers). Only the
//! work is saved: an API's answer is a function of the world and the request. A simulated provider shares
//! the machine with the pipeline it serves; rendering a whole board again (or every page of a paged one)
//! for each request would cost the pipeline's benchmarks CPU that a real API spends on its own machines.

use std::collections::HashMap;

use crate::reply::{Incoming, Reply};

/// Bytes of reply bodies remembered at most; beyond, replies are rendered each time as before.
const MAX_REMEMBERED_BYTES: usize = 768 << 20;

/// The answers of the world as it is, by request.
#[derive(Debug, Default)]
pub struct ReplyMemo {
    answers: HashMap<String, Reply>,
    bytes: usize,
}

/// The request's identity for the memo: method, host, path, query and body.
fn key(request: &Incoming) -> String {
    let body = String::from_utf8_lossy(&request.body);
    format!(
        "{} {}{}?{}\n{body}",
        request.method, request.authority, request.path, request.query
    )
}

impl ReplyMemo {
    /// The remembered reply's answer to `request` ([`Reply::answer`]: a 304 when its validators match).
    pub fn answer(&self, request: &Incoming) -> Option<Reply> {
        let remembered = self.answers.get(&key(request))?;
        Some(remembered.clone().answer(request))
    }

    /// Remembers `reply` (a 200) to `request`, while the memo holds less than its bound.
    pub fn remember(&mut self, request: &Incoming, reply: &Reply) {
        if reply.status != 200 || self.bytes + reply.body.len() > MAX_REMEMBERED_BYTES {
            return;
        }
        self.bytes += reply.body.len();
        if let Some(old) = self.answers.insert(key(request), reply.clone()) {
            self.bytes -= old.body.len();
        }
    }

    /// Forgets everything: the world changed.
    pub fn clear(&mut self) {
        self.answers.clear();
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use axum::http::{HeaderMap, HeaderValue, Method};
    use chrono::{TimeZone, Utc};

    use super::*;

    fn request(etag: Option<&str>) -> Incoming {
        let mut headers = HeaderMap::new();
        if let Some(etag) = etag {
            headers.insert("if-none-match", HeaderValue::from_str(etag).unwrap());
        }
        Incoming {
            method: Method::GET,
            host: "127.0.0.1".into(),
            authority: "127.0.0.1:80".into(),
            path: "/greenhouse/v1/boards/acme/jobs".into(),
            query: "content=true".into(),
            headers,
            body: bytes::Bytes::new(),
        }
    }

    #[test]
    fn a_remembered_reply_answers_as_the_rendered_one_would_until_cleared() {
        let modified = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        let rendered = || Reply::json(200, &serde_json::json!({ "jobs": [] }));
        let fresh = rendered().conditional(&request(None), modified);
        let etag = fresh.header("etag").unwrap().to_owned();
        let mut memo = ReplyMemo::default();
        assert!(memo.answer(&request(Some(&etag))).is_none());
        memo.remember(&request(None), &fresh);
        let expected = rendered().conditional(&request(Some(&etag)), modified);
        let remembered = memo.answer(&request(Some(&etag))).unwrap();
        assert_eq!((remembered.status, &remembered.headers), (304, &expected.headers));
        assert_eq!(expected.status, 304);
        let since = fresh.header("last-modified").unwrap().to_owned();
        let mut since_request = request(None);
        since_request
            .headers
            .insert("if-modified-since", since.parse().unwrap());
        assert_eq!(memo.answer(&since_request).unwrap().status, 304);
        for sent in [Some("\"other\""), None] {
            let again = memo.answer(&request(sent)).unwrap();
            assert_eq!(
                (again.status, &again.headers, &again.body),
                (200, &fresh.headers, &fresh.body)
            );
        }
        // Only 200s are remembered.
        let mut other = request(None);
        other.path = "/greenhouse/v1/boards/gone/jobs".into();
        memo.remember(&other, &Reply::json(404, &serde_json::json!({})));
        assert!(memo.answer(&other).is_none());
        memo.clear();
        assert!(memo.answer(&request(Some(&etag))).is_none());
        assert!(memo.answer(&request(None)).is_none());
    }
}
