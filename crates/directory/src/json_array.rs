//! The elements of one JSON array, cut out of the stream as text without parsing them: only strings,
//! escapes and bracket depth are followed, so one element that does not parse (an out-of-range number, a
//! syntax error inside it) costs that element only. An element is capped; past the cap the element's end
//! cannot be found reliably without holding it, so the array stops there.

use std::io::{self, BufRead};

/// Why the array cannot be read on.
#[derive(Debug)]
pub(crate) enum ArrayError {
    Io(io::Error),
    /// An element longer than the cap.
    TooLong,
    /// The input ended before the array's closing `]`.
    Truncated,
    /// Something other than whitespace after the closing `]`.
    Trailing,
}

impl From<io::Error> for ArrayError {
    fn from(e: io::Error) -> Self {
        ArrayError::Io(e)
    }
}

/// The elements of the array a reader is positioned on (its next byte is the `[`).
pub(crate) struct Elements<R> {
    inner: R,
    max: usize,
    opened: bool,
    closed: bool,
}

impl<R: BufRead> Elements<R> {
    /// Elements of at most `max` bytes.
    pub(crate) fn new(inner: R, max: usize) -> Self {
        Self {
            inner,
            max,
            opened: false,
            closed: false,
        }
    }

    /// Reads the next element's text into `buf` (cleared first): `true` for an element (possibly blank
    /// text: `[1,,2]`), `false` after the closing `]` and the whitespace after it.
    pub(crate) fn read_into(&mut self, buf: &mut Vec<u8>) -> Result<bool, ArrayError> {
        buf.clear();
        if self.closed {
            self.rest_is_whitespace()?;
            return Ok(false);
        }
        let first = !std::mem::replace(&mut self.opened, true);
        if first && fill(&mut self.inner)?.first() == Some(&b'[') {
            self.inner.consume(1);
        }
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        loop {
            let chunk = fill(&mut self.inner)?;
            if chunk.is_empty() {
                return Err(ArrayError::Truncated);
            }
            let mut end = None;
            for (i, &b) in chunk.iter().enumerate() {
                if in_string {
                    match b {
                        _ if escaped => escaped = false,
                        b'\\' => escaped = true,
                        b'"' => in_string = false,
                        _ => {}
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth > 0 => depth -= 1,
                    b']' | b',' if depth == 0 => {
                        end = Some((i, b == b']'));
                        break;
                    }
                    _ => {}
                }
            }
            let taken = end.map_or(chunk.len(), |(i, _)| i);
            if buf.len().saturating_add(taken) > self.max {
                return Err(ArrayError::TooLong);
            }
            buf.extend_from_slice(&chunk[..taken]);
            let Some((i, last)) = end else {
                self.inner.consume(taken);
                continue;
            };
            self.inner.consume(i + 1);
            self.closed = last;
            if last && first && buf.trim_ascii().is_empty() {
                // `[]`: no element at all.
                self.rest_is_whitespace()?;
                return Ok(false);
            }
            return Ok(true);
        }
    }

    fn rest_is_whitespace(&mut self) -> Result<(), ArrayError> {
        loop {
            let chunk = fill(&mut self.inner)?;
            if chunk.is_empty() {
                return Ok(());
            }
            if !chunk.iter().all(u8::is_ascii_whitespace) {
                return Err(ArrayError::Trailing);
            }
            let n = chunk.len();
            self.inner.consume(n);
        }
    }
}

/// The buffered bytes, retrying an interrupted read. (Once filled, the second `fill_buf` only hands back
/// the buffer: returning the first call's borrow from inside the loop does not pass the borrow checker.)
fn fill<R: BufRead>(inner: &mut R) -> io::Result<&[u8]> {
    loop {
        match inner.fill_buf() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
            Ok(_) => return inner.fill_buf(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(text: &str, max: usize, capacity: usize) -> (Vec<String>, Option<ArrayError>) {
        let reader = io::BufReader::with_capacity(capacity, text.as_bytes());
        let mut elements = Elements::new(reader, max);
        let (mut out, mut buf) = (Vec::new(), Vec::new());
        loop {
            match elements.read_into(&mut buf) {
                Ok(true) => out.push(String::from_utf8(buf.trim_ascii().to_vec()).unwrap()),
                Ok(false) => return (out, None),
                Err(e) => return (out, Some(e)),
            }
        }
    }

    #[test]
    fn elements_are_cut_at_top_level_commas_outside_strings() {
        for capacity in [1, 3, 64] {
            let text = r#"[ {"a":"x,]\"}"}, [1,[2]] ,1e400, "s" ,{"n":{"m":[]}} ]  "#;
            let (got, error) = elements(text, 100, capacity);
            assert!(error.is_none(), "{error:?}");
            assert_eq!(
                got,
                [
                    r#"{"a":"x,]\"}"}"#,
                    "[1,[2]]",
                    "1e400",
                    r#""s""#,
                    r#"{"n":{"m":[]}}"#
                ],
                "buffer of {capacity}"
            );
        }
        assert_eq!(elements("[]", 10, 8).0, Vec::<String>::new());
        assert_eq!(elements("[ \n ]\n", 10, 8).0, Vec::<String>::new());
        assert_eq!(elements("[1,,2,]", 10, 8).0, ["1", "", "2", ""]);
    }

    #[test]
    fn an_element_over_the_cap_or_a_missing_end_stops_the_array_after_the_elements_before() {
        let (got, error) = elements(&format!("[1, \"{}\", 3]", "x".repeat(50)), 20, 8);
        assert_eq!(got, ["1"]);
        assert!(matches!(error, Some(ArrayError::TooLong)), "{error:?}");
        let (got, error) = elements("[1, {\"a\":", 20, 8);
        assert_eq!(got, ["1"]);
        assert!(matches!(error, Some(ArrayError::Truncated)), "{error:?}");
        let (got, error) = elements("[1, 2] x", 20, 8);
        assert_eq!(got, ["1", "2"]);
        assert!(matches!(error, Some(ArrayError::Trailing)), "{error:?}");
    }
}
