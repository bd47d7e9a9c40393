//! Text shortened for echoing: a value from a list or a request (a name, a URL, a header line) may be
//! megabytes long; logs, error messages and summaries quote at most [`ECHO_CHARS`] characters of it.

use std::borrow::Cow;

/// How many characters of a value logs and messages quote.
pub const ECHO_CHARS: usize = 200;

/// `text` cut to its first `max` characters with "…" appended, or unchanged when it is not longer.
pub fn shorten(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
    }
}

/// `text` cut to [`ECHO_CHARS`] characters for a log line or a message.
pub fn echo(text: &str) -> Cow<'_, str> {
    shorten(text, ECHO_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_values_are_cut_to_200_characters_and_an_ellipsis() {
        let long = "é".repeat(10_000);
        let cut = echo(&long);
        assert_eq!(cut.chars().count(), ECHO_CHARS + 1);
        assert!(cut.ends_with("é…"));
        assert_eq!(echo("short"), "short");
        let exact = "x".repeat(ECHO_CHARS);
        assert_eq!(
            echo(&exact),
            exact.as_str(),
            "a value of exactly the limit is kept whole"
        );
        assert_eq!(shorten("abcdef", 3), "abc…");
        assert_eq!(shorten("", 0), "");
    }
}
