//! What the world's APIs answered with validators, remembered until the world changes: a conditional
//! request whose `If-None-Match` names the remembered ETag is answered 304 without rendering the body
//! again. The answer is exactly the one [`Reply::conditional`] would give (same ETag, same headers); only
//! the work is saved. A simulated provider shares the machine with the pipeline it serves, so rendering
//! a whole board only to find it unchanged would cost the pipeline's benchmarks CPU a real API does not.

use std::collections::HashMap;

use crate::reply::{Incoming, Reply};

/// The validated answers of the world as it is, by request.
#[derive(Debug, Default)]
pub struct ValidatorMemo {
    answers: HashMap<String, Remembered>,
}

#[derive(Debug)]
struct Remembered {
    etag: String,
    /// The headers of the 304: the 200's without its Content-Type.
    headers: Vec<(String, String)>,
}

/// The request's identity for the memo: method, host, path, query and body.
fn key(request: &Incoming) -> String {
    let body = String::from_utf8_lossy(&request.body);
    format!(
        "{} {}{}?{}\n{body}",
        request.method, request.authority, request.path, request.query
    )
}

impl ValidatorMemo {
    /// The 304 `request` gets when its `If-None-Match` names the ETag remembered for it.
    pub fn not_modified(&self, request: &Incoming) -> Option<Reply> {
        let sent = request.header("if-none-match")?;
        let remembered = self.answers.get(&key(request))?;
        let matches = sent
            .split(',')
            .any(|t| t.trim().trim_start_matches("W/") == remembered.etag || t.trim() == "*");
        matches.then(|| Reply {
            status: 304,
            headers: remembered.headers.clone(),
            body: bytes::Bytes::new(),
        })
    }

    /// Remembers the validators of `reply` (a 200 with an ETag) to `request`.
    pub fn remember(&mut self, request: &Incoming, reply: &Reply) {
        let Some(etag) = reply.header("etag").filter(|_| reply.status == 200) else {
            return;
        };
        let headers = reply
            .headers
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("content-type"))
            .cloned()
            .collect();
        let etag = etag.to_owned();
        self.answers.insert(key(request), Remembered { etag, headers });
    }

    /// Forgets everything: the world changed.
    pub fn clear(&mut self) {
        self.answers.clear();
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
    fn a_remembered_etag_answers_as_the_rendered_reply_would_until_cleared() {
        let modified = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        let rendered = || Reply::json(200, &serde_json::json!({ "jobs": [] }));
        let fresh = rendered().conditional(&request(None), modified);
        let etag = fresh.header("etag").unwrap().to_owned();
        let mut memo = ValidatorMemo::default();
        assert!(memo.not_modified(&request(Some(&etag))).is_none());
        memo.remember(&request(None), &fresh);
        let expected = rendered().conditional(&request(Some(&etag)), modified);
        let remembered = memo.not_modified(&request(Some(&etag))).unwrap();
        assert_eq!((remembered.status, &remembered.headers), (304, &expected.headers));
        assert_eq!(expected.status, 304);
        assert!(memo.not_modified(&request(Some("\"other\""))).is_none());
        assert!(memo.not_modified(&request(None)).is_none());
        memo.clear();
        assert!(memo.not_modified(&request(Some(&etag))).is_none());
    }
}
