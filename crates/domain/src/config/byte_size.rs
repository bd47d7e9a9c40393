//! A size in bytes written as text: `8MB`, `2 MB`, `512KB`, `1GiB` or bare bytes (`1048576`).
//! KB/MB/GB/TB are decimal (1000^n), KiB/MiB/GiB/TiB binary (1024^n); units are case-insensitive.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// Units in the order [`ByteSize`]'s `Display` prefers them when two texts are equally short.
const UNITS: [(&str, u64); 8] = [
    ("TB", 1_000_000_000_000),
    ("TiB", 1 << 40),
    ("GB", 1_000_000_000),
    ("GiB", 1 << 30),
    ("MB", 1_000_000),
    ("MiB", 1 << 20),
    ("KB", 1_000),
    ("KiB", 1 << 10),
];

/// A number of bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ByteSize(pub u64);

impl ByteSize {
    /// The number of bytes.
    pub fn as_u64(self) -> u64 {
        self.0
    }

    /// The number of bytes as a `usize`, saturating on targets where it does not fit.
    pub fn as_usize(self) -> usize {
        usize::try_from(self.0).unwrap_or(usize::MAX)
    }
}

/// Why a text is not a byte size.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a size: write e.g. \"8MB\", \"512KB\", \"1GiB\" or a number of bytes")]
pub struct ByteSizeError(pub String);

impl FromStr for ByteSize {
    type Err = ByteSizeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let error = || ByteSizeError(trimmed.to_owned());
        let digits_end = trimmed
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(trimmed.len());
        let number: u64 = trimmed[..digits_end].parse().map_err(|_| error())?;
        let unit = trimmed[digits_end..].trim_start();
        let factor = if unit.is_empty() || unit.eq_ignore_ascii_case("b") {
            1
        } else {
            UNITS
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(unit))
                .map(|(_, f)| *f)
                .ok_or_else(error)?
        };
        number.checked_mul(factor).map(ByteSize).ok_or_else(error)
    }
}

impl fmt::Display for ByteSize {
    /// The shortest text that reads back to the same size (`8MB`, `1MiB`, `1500B`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = self.0;
        let plain = format!("{bytes}B");
        let best = UNITS
            .iter()
            .filter(|(_, factor)| bytes != 0 && bytes.is_multiple_of(*factor))
            .map(|(name, factor)| format!("{}{name}", bytes / factor))
            .fold(
                plain,
                |best, text| if text.len() < best.len() { text } else { best },
            );
        f.write_str(&best)
    }
}

impl Serialize for ByteSize {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ByteSizeVisitor)
    }
}

struct ByteSizeVisitor;

impl de::Visitor<'_> for ByteSizeVisitor {
    type Value = ByteSize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a size such as \"8MB\", \"512KB\", \"1GiB\" or a number of bytes")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<ByteSize, E> {
        text.parse().map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, bytes: u64) -> Result<ByteSize, E> {
        Ok(ByteSize(bytes))
    }

    fn visit_i64<E: de::Error>(self, bytes: i64) -> Result<ByteSize, E> {
        u64::try_from(bytes)
            .map(ByteSize)
            .map_err(|_| E::custom(format!("a size cannot be negative ({bytes})")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_form_parses() {
        let cases = [
            ("8MB", 8_000_000),
            ("2 MB", 2_000_000),
            ("512KB", 512_000),
            ("512kb", 512_000),
            ("1GiB", 1 << 30),
            ("1gib", 1 << 30),
            ("3MiB", 3 << 20),
            ("1048576", 1_048_576),
            ("100B", 100),
            ("0", 0),
        ];
        for (text, bytes) in cases {
            assert_eq!(text.parse::<ByteSize>(), Ok(ByteSize(bytes)), "{text}");
        }
    }

    #[test]
    fn bad_sizes_are_refused() {
        for text in ["", "MB", "8XB", "-1", "1.5MB", "99999999999TB"] {
            assert!(text.parse::<ByteSize>().is_err(), "{text}");
        }
    }

    #[test]
    fn displays_the_shortest_text_that_reads_back() {
        let cases = [
            (8_000_000, "8MB"),
            (1 << 20, "1MiB"),
            (1500, "1500B"),
            (0, "0B"),
            (2_048, "2KiB"),
        ];
        for (bytes, text) in cases {
            assert_eq!(ByteSize(bytes).to_string(), text);
            assert_eq!(text.parse::<ByteSize>(), Ok(ByteSize(bytes)));
        }
    }
}
