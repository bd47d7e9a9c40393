//! Durations written as text (`90s`, `15m`, `6h`, `30d`, `500ms`, `1h30m`): parsing, formatting, and the
//! serde adapter used by every duration field of the configuration (`#[serde(with = "duration_text")]`).

use std::fmt;
use std::time::Duration;

use serde::{Deserializer, Serializer, de};

/// The units a duration may be written in, largest first, with their length in milliseconds.
const UNITS: [(&str, u64); 5] = [
    ("d", 86_400_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

/// Why a text is not a duration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DurationError {
    /// Nothing but white space.
    #[error("empty duration: write a number with a unit, e.g. `90s`")]
    Empty,
    /// A bare number (`90`): seconds or minutes would be a guess.
    #[error("`{0}` has no unit: write a unit, e.g. `{0}s` (units: ms, s, m, h, d)")]
    MissingUnit(String),
    /// A unit other than ms, s, m, h, d.
    #[error("`{text}` has an unknown unit `{unit}` (units: ms, s, m, h, d)")]
    UnknownUnit {
        /// The whole text.
        text: String,
        /// The unit found.
        unit: String,
    },
    /// Not numbers with units at all.
    #[error("`{0}` is not a duration like `90s`, `15m`, `6h`, `30d` or `1h30m`")]
    Malformed(String),
    /// More than a `Duration` holds.
    #[error("`{0}` is too long a duration")]
    Overflow(String),
}

/// Parses `90s`, `15m`, `6h`, `30d`, `500ms` or a sum of them (`1h30m`, `1h 30m`).
pub fn parse(text: &str) -> Result<Duration, DurationError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(DurationError::Empty);
    }
    if trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DurationError::MissingUnit(trimmed.to_owned()));
    }
    let mut rest = trimmed;
    let mut total_ms: u64 = 0;
    while !rest.is_empty() {
        let (ms, tail) = parse_component(rest, trimmed)?;
        total_ms = total_ms
            .checked_add(ms)
            .ok_or_else(|| DurationError::Overflow(trimmed.to_owned()))?;
        rest = tail.trim_start();
    }
    Ok(Duration::from_millis(total_ms))
}

/// Parses one `NUMBER UNIT` component at the start of `rest`; returns its milliseconds and what follows.
fn parse_component<'t>(rest: &'t str, whole: &str) -> Result<(u64, &'t str), DurationError> {
    let digits_end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    if digits_end == 0 {
        return Err(DurationError::Malformed(whole.to_owned()));
    }
    let after_digits = &rest[digits_end..];
    let unit_end = after_digits
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(after_digits.len());
    let unit = &after_digits[..unit_end];
    if unit.is_empty() {
        return Err(DurationError::Malformed(whole.to_owned()));
    }
    let factor = UNITS
        .iter()
        .find(|(name, _)| *name == unit)
        .map(|(_, ms)| *ms)
        .ok_or_else(|| DurationError::UnknownUnit {
            text: whole.to_owned(),
            unit: unit.to_owned(),
        })?;
    let overflow = || DurationError::Overflow(whole.to_owned());
    let number: u64 = rest[..digits_end].parse().map_err(|_| overflow())?;
    let ms = number.checked_mul(factor).ok_or_else(overflow)?;
    Ok((ms, &after_digits[unit_end..]))
}

/// Writes a duration in the shortest text [`parse`] reads back; below a millisecond is dropped.
pub fn format(duration: Duration) -> String {
    let total_ms = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
    if total_ms == 0 {
        return "0s".to_owned();
    }
    let whole_units = UNITS
        .iter()
        .filter(|(_, ms)| total_ms.is_multiple_of(*ms))
        .map(|(name, ms)| format!("{}{name}", total_ms / ms));
    std::iter::once(compound(total_ms))
        .chain(whole_units)
        .min_by_key(String::len)
        .unwrap_or_else(|| format!("{total_ms}ms"))
}

/// `1d2h3m4s5ms`-style text: each unit once, largest first, zero parts left out.
fn compound(mut total_ms: u64) -> String {
    let mut text = String::new();
    for (name, ms) in UNITS {
        let count = total_ms / ms;
        if count > 0 {
            text.push_str(&format!("{count}{name}"));
            total_ms %= ms;
        }
    }
    text
}

/// Serde adapter: serializes with [`format()`].
pub fn serialize<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format(*duration))
}

/// Serde adapter: deserializes with [`parse`]; a bare number is refused with a hint to write a unit.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    deserializer.deserialize_any(DurationVisitor)
}

struct DurationVisitor;

impl de::Visitor<'_> for DurationVisitor {
    type Value = Duration;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a duration string such as \"90s\", \"15m\", \"6h\" or \"30d\"")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Duration, E> {
        parse(text).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Duration, E> {
        Err(E::custom(bare_number(number)))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Duration, E> {
        Err(E::custom(bare_number(number)))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Duration, E> {
        Err(E::custom(bare_number(number)))
    }
}

fn bare_number(number: impl fmt::Display) -> String {
    format!(
        "a bare number `{number}` is not a duration: write a unit, e.g. \"{number}s\" (units: ms, s, m, h, d)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_and_sums_parse() {
        let cases = [
            ("500ms", 500),
            ("90s", 90_000),
            ("15m", 900_000),
            ("6h", 21_600_000),
            ("30d", 2_592_000_000),
            ("1h30m", 5_400_000),
            ("1h 30m", 5_400_000),
            (" 2m5s ", 125_000),
            ("0s", 0),
        ];
        for (text, ms) in cases {
            assert_eq!(parse(text), Ok(Duration::from_millis(ms)), "{text}");
        }
    }

    #[test]
    fn bad_texts_say_why() {
        assert_eq!(parse(""), Err(DurationError::Empty));
        assert_eq!(parse("90"), Err(DurationError::MissingUnit("90".into())));
        assert!(matches!(parse("5y"), Err(DurationError::UnknownUnit { .. })));
        assert!(matches!(parse("m5"), Err(DurationError::Malformed(_))));
        assert!(matches!(parse("1.5h"), Err(DurationError::Malformed(_))));
        assert!(matches!(
            parse("99999999999999999999d"),
            Err(DurationError::Overflow(_))
        ));
        assert!(parse("90").unwrap_err().to_string().contains("write a unit"));
    }

    #[test]
    fn formats_to_the_shortest_text_that_reads_back() {
        let cases = [
            (90_000, "90s"),
            (300_000, "5m"),
            (60_000, "1m"),
            (5_400_000, "90m"),
            (129_600_000, "36h"),
            (180 * 86_400_000, "180d"),
            (500, "500ms"),
            (3_723_000, "3723s"),
            (86_401_000, "1d1s"),
            (0, "0s"),
        ];
        for (ms, text) in cases {
            let duration = Duration::from_millis(ms);
            assert_eq!(format(duration), text);
            assert_eq!(parse(text), Ok(duration));
        }
    }
}
