//! Field readers the clients share: trimmed non-empty text, ids given as strings or numbers, times in the
//! forms providers use, and distinct names.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde_json::Value;

/// A trimmed, non-empty string.
pub(crate) fn text(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

/// An id or code given as a string or a number.
pub(crate) fn id_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => text(Some(s)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An RFC 3339 time (any offset) in UTC.
pub(crate) fn rfc3339(value: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value?.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Milliseconds since the epoch in UTC.
pub(crate) fn epoch_millis(value: Option<f64>) -> Option<DateTime<Utc>> {
    let ms = value.filter(|v| v.is_finite())?;
    // Saturating float-to-int cast; out-of-range times fall out in `from_timestamp_millis`.
    DateTime::from_timestamp_millis(ms as i64)
}

/// Non-empty, trimmed names, first occurrence kept (case-insensitive).
pub(crate) fn distinct<'a>(names: impl IntoIterator<Item = Option<&'a str>>) -> Vec<String> {
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

    #[test]
    fn readers_tolerate_the_shapes_providers_use() {
        assert_eq!(text(Some("  Madrid ")), Some("Madrid".into()));
        assert_eq!(text(Some("  ")), None);
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
    }
}
