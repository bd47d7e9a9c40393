//! schema.org values as sites write them: text that may be a string, a number, an object with a `name` or
//! `value`, or a list; dates with or without a time or an offset; amounts written as numbers or as text.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde_json::Value;

/// The values of a property that may be one value or a list of them.
pub(crate) fn many(value: Option<&Value>) -> Vec<&Value> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(other) => vec![other],
    }
}

/// Trimmed, non-empty text of a string or number; of an object, its `name` (a `Country`, an
/// `Organization`) or `value` (a `PropertyValue`).
pub(crate) fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_owned),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(map) => text(map.get("name")).or_else(|| text(map.get("value"))),
        Value::Array(items) => items.iter().find_map(|item| text(Some(item))),
        _ => None,
    }
}

/// The first text of a property that may be a list.
pub(crate) fn first_text(value: Option<&Value>) -> Option<String> {
    many(value).into_iter().find_map(|v| text(Some(v)))
}

/// A number written as a number or as text (`"45000"`, `"45,000.50"`, `"45.000"` with dots grouping
/// thousands).
pub(crate) fn amount(value: Option<&Value>) -> Option<f64> {
    let number = match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => {
            let s: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
            let grouped_by_dots = {
                let mut groups = s.split('.');
                let head = groups.next().unwrap_or_default();
                let rest: Vec<&str> = groups.collect();
                !rest.is_empty()
                    && (1..=3).contains(&head.len())
                    && rest
                        .iter()
                        .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
            };
            let plain = if grouped_by_dots {
                s.replace('.', "")
            } else {
                s.replace(',', "")
            };
            plain.parse::<f64>().ok()
        }
        _ => None,
    }?;
    number.is_finite().then_some(number)
}

/// Where a date falls when the site gives no time: the start of the day, or (for `validThrough`) its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DayEdge {
    Start,
    End,
}

/// An ISO 8601 date or date-time in UTC: with an offset (`+01:00`, `+0100`, `Z`), without one (taken as
/// UTC), or a bare date (its start or end, UTC).
pub(crate) fn time(value: Option<&Value>, edge: DayEdge) -> Option<DateTime<Utc>> {
    let text = text(value)?;
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc());
        }
    }
    let date = NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    let at = match edge {
        DayEdge::Start => NaiveTime::MIN,
        DayEdge::End => NaiveTime::from_hms_opt(23, 59, 59)?,
    };
    Some(date.and_time(at).and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(value: Value, edge: DayEdge) -> Option<String> {
        time(Some(&value), edge).map(|t| t.to_rfc3339())
    }

    #[test]
    fn dates_in_the_forms_sites_write() {
        let start = DayEdge::Start;
        assert_eq!(
            at(json!("2026-11-03T09:00:00+01:00"), start).as_deref(),
            Some("2026-11-03T08:00:00+00:00")
        );
        assert_eq!(
            at(json!("2026-11-03T09:00:00+0100"), start).as_deref(),
            Some("2026-11-03T08:00:00+00:00")
        );
        assert_eq!(
            at(json!("2026-11-03T09:00:00"), start).as_deref(),
            Some("2026-11-03T09:00:00+00:00")
        );
        assert_eq!(
            at(json!("2026-11-03T09:00"), start).as_deref(),
            Some("2026-11-03T09:00:00+00:00")
        );
        assert_eq!(
            at(json!("2026-11-03"), start).as_deref(),
            Some("2026-11-03T00:00:00+00:00")
        );
        assert_eq!(
            at(json!("2026-11-03"), DayEdge::End).as_deref(),
            Some("2026-11-03T23:59:59+00:00")
        );
        assert_eq!(at(json!("soon"), start), None);
        assert_eq!(at(json!(20261103), start), None);
    }

    #[test]
    fn texts_and_amounts_in_their_many_shapes() {
        assert_eq!(text(Some(&json!("  Acme "))), Some("Acme".into()));
        assert_eq!(
            text(Some(&json!({"@type": "Country", "name": "ES"}))),
            Some("ES".into())
        );
        assert_eq!(
            text(Some(&json!({"@type": "PropertyValue", "value": 42}))),
            Some("42".into())
        );
        assert_eq!(
            first_text(Some(&json!(["", "FULL_TIME"]))),
            Some("FULL_TIME".into())
        );
        assert_eq!(many(Some(&json!(null))).len(), 0);
        assert_eq!(amount(Some(&json!(45000))), Some(45000.0));
        assert_eq!(amount(Some(&json!("45,000.50"))), Some(45000.5));
        assert_eq!(amount(Some(&json!("45.000"))), Some(45000.0));
        assert_eq!(amount(Some(&json!("45.5"))), Some(45.5));
        assert_eq!(amount(Some(&json!("a lot"))), None);
    }
}
