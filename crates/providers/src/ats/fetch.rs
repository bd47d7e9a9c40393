//! One JSON GET of a board's API and the field readers the clients share (the conditional-request parts
//! serve Recruitee and Personio too): validators sent as If-None-Match / If-Modified-Since, a 304 recognised, the answer's validators
//! kept, the body parsed strictly as JSON whatever its Content-Type.

use std::collections::HashSet;

use crate::http::header::{ETAG, HeaderMap, LAST_MODIFIED};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use pipeline_domain::BoardRef;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::ats::{AtsError, BoardFetch, Validators};
use crate::http::{HttpClient, Request};

/// What a conditional GET answered.
#[derive(Debug)]
pub(in crate::ats) enum Answer {
    /// 304: nothing changed since the validators sent.
    NotModified,
    Fresh {
        body: Bytes,
        validators: Option<Validators>,
    },
}

/// GET `url`, sending `validators` when given. HTTP failures become [`AtsError::from_http`].
pub(in crate::ats) async fn get(
    http: &HttpClient,
    board: &BoardRef,
    url: &Url,
    validators: Option<&Validators>,
) -> Result<Answer, AtsError> {
    let request = conditional(
        Request::get(url.clone()).header("accept", "application/json"),
        validators,
    );
    let fetched = http
        .fetch(&request)
        .await
        .map_err(|e| AtsError::from_http(board, e))?;
    if fetched.status == 304 {
        return Ok(Answer::NotModified);
    }
    Ok(Answer::Fresh {
        validators: validators_of(&fetched.headers),
        body: fetched.body,
    })
}

/// Adds `If-None-Match` / `If-Modified-Since` from the validators of the last complete fetch.
pub(in crate::ats) fn conditional(mut request: Request, validators: Option<&Validators>) -> Request {
    if let Some(v) = validators {
        if let Some(etag) = &v.etag {
            request = request.header("if-none-match", etag.clone());
        }
        if let Some(since) = &v.last_modified {
            request = request.header("if-modified-since", since.clone());
        }
    }
    request
}

/// The answer to a fetch whose first request was a 304.
pub(in crate::ats) fn not_modified(requests: u32, validators: Option<Validators>) -> BoardFetch {
    BoardFetch {
        not_modified: true,
        validators,
        requests,
        ..BoardFetch::default()
    }
}

/// ETag / Last-Modified of a response, if it has either.
pub(in crate::ats) fn validators_of(headers: &HeaderMap) -> Option<Validators> {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let validators = Validators {
        etag: header(ETAG),
        last_modified: header(LAST_MODIFIED),
    };
    (validators != Validators::default()).then_some(validators)
}

/// Parses the body as the documented top-level shape; anything else is [`AtsError::Parse`].
pub(in crate::ats) fn parse<T: DeserializeOwned>(
    board: &BoardRef,
    url: &Url,
    body: &[u8],
) -> Result<T, AtsError> {
    serde_json::from_slice(body).map_err(|e| AtsError::parse(board, url, e))
}

/// Reads one posting of a list; a posting of the wrong shape is skipped (logged), not fatal for the board.
pub(in crate::ats) fn item<T: DeserializeOwned>(board: &BoardRef, value: Value) -> Option<T> {
    serde_json::from_value(value)
        .map_err(|e| tracing::debug!(%board, error = %e, "posting of unexpected shape skipped"))
        .ok()
}

/// Logs a posting skipped for a missing required field.
pub(in crate::ats) fn skipped(board: &BoardRef, field: &str) {
    tracing::debug!(%board, field, "posting without a required field skipped");
}

/// A trimmed, non-empty string.
pub(in crate::ats) fn text(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

/// An id or code given as a string or a number.
pub(in crate::ats) fn id_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => text(Some(s)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An RFC 3339 time (any offset) in UTC.
pub(in crate::ats) fn rfc3339(value: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value?.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Milliseconds since the epoch in UTC.
pub(in crate::ats) fn epoch_millis(value: Option<f64>) -> Option<DateTime<Utc>> {
    let ms = value.filter(|v| v.is_finite())?;
    // Saturating float-to-int cast; out-of-range times fall out in `from_timestamp_millis`.
    DateTime::from_timestamp_millis(ms as i64)
}

/// Non-empty, trimmed names, first occurrence kept (case-insensitive).
pub(in crate::ats) fn distinct<'a>(names: impl IntoIterator<Item = Option<&'a str>>) -> Vec<String> {
    let mut seen = HashSet::new();
    names
        .into_iter()
        .filter_map(text)
        .filter(|n| seen.insert(n.to_lowercase()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::header::HeaderValue;

    #[test]
    fn readers_tolerate_the_shapes_providers_use() {
        assert_eq!(id_text(Some(&serde_json::json!(4012345))), Some("4012345".into()));
        assert_eq!(id_text(Some(&serde_json::json!("  "))), None);
        assert_eq!(
            rfc3339(Some("2026-01-10T12:00:00-05:00")).map(|t| t.to_rfc3339()),
            Some("2026-01-10T17:00:00+00:00".into())
        );
        assert_eq!(
            epoch_millis(Some(1_767_225_600_000.0)).map(|t| t.to_rfc3339()),
            Some("2026-01-01T00:00:00+00:00".into())
        );
        assert_eq!(
            distinct([Some("Madrid"), None, Some(" "), Some("madrid"), Some("Remote")]),
            vec!["Madrid".to_owned(), "Remote".to_owned()]
        );
        let mut headers = HeaderMap::new();
        assert_eq!(validators_of(&headers), None);
        headers.insert(ETAG, HeaderValue::from_static("\"abc\""));
        assert_eq!(
            validators_of(&headers),
            Some(Validators {
                etag: Some("\"abc\"".into()),
                last_modified: None
            })
        );
    }
}
