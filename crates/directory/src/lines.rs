//! Physical lines of a list, with a cap on their length: a line longer than the cap is not kept (memory
//! stays flat on an endless line), it is reported as too long and reading resumes after its end. Lines end
//! at `\n`, `\r\n` or a lone `\r` (old Mac spreadsheets).

use std::io::{self, BufRead};

/// One line read by [`Lines::read_into`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    /// 1-based line number.
    pub number: u64,
    /// Longer than the cap: the buffer is empty, the line was skipped.
    pub too_long: bool,
}

/// The lines of a buffered reader.
pub(crate) struct Lines<R> {
    inner: R,
    max: usize,
    number: u64,
    /// The last line ended with `\r`: a `\n` right after it belongs to that line.
    after_cr: bool,
}

impl<R: BufRead> Lines<R> {
    /// Lines of at most `max` bytes (terminator not counted).
    pub(crate) fn new(inner: R, max: usize) -> Self {
        Self {
            inner,
            max,
            number: 0,
            after_cr: false,
        }
    }

    /// Reads the next line into `buf` (cleared first), its terminator written as one `\n` (none on a last
    /// line without one); `None` at the end of the input.
    pub(crate) fn read_into(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Line>> {
        buf.clear();
        let (mut length, mut started, mut too_long) = (0usize, false, false);
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if std::mem::take(&mut self.after_cr) && chunk.first() == Some(&b'\n') {
                self.inner.consume(1);
                continue;
            }
            if chunk.is_empty() {
                return Ok(started.then(|| self.line(too_long)));
            }
            started = true;
            let end = chunk.iter().position(|&b| b == b'\n' || b == b'\r');
            let content = end.unwrap_or(chunk.len());
            length = length.saturating_add(content);
            if length > self.max && !too_long {
                too_long = true;
                buf.clear();
            }
            if !too_long {
                buf.extend_from_slice(&chunk[..content]);
            }
            let Some(end) = end else {
                self.inner.consume(content);
                continue;
            };
            self.after_cr = chunk[end] == b'\r';
            self.inner.consume(end + 1);
            if !too_long {
                buf.push(b'\n');
            }
            return Ok(Some(self.line(too_long)));
        }
    }

    fn line(&mut self, too_long: bool) -> Line {
        self.number += 1;
        Line {
            number: self.number,
            too_long,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize, capacity: usize) -> Vec<(u64, bool, String)> {
        let reader = io::BufReader::with_capacity(capacity, input);
        let mut lines = Lines::new(reader, max);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while let Some(line) = lines.read_into(&mut buf).unwrap() {
            out.push((
                line.number,
                line.too_long,
                String::from_utf8(buf.clone()).unwrap(),
            ));
        }
        out
    }

    #[test]
    fn every_line_ending_counts_once_and_a_last_line_may_lack_one() {
        for capacity in [1, 2, 3, 64] {
            let got = lines(b"a\nb\r\nc\rd\n\ne", 10, capacity);
            let want = [
                (1, false, "a\n"),
                (2, false, "b\n"),
                (3, false, "c\n"),
                (4, false, "d\n"),
                (5, false, "\n"),
                (6, false, "e"),
            ];
            let want: Vec<_> = want.iter().map(|(n, t, s)| (*n, *t, (*s).to_owned())).collect();
            assert_eq!(got, want, "buffer of {capacity}");
        }
        assert!(lines(b"", 10, 8).is_empty());
    }

    #[test]
    fn a_line_over_the_cap_is_skipped_to_its_end_and_the_next_lines_are_read() {
        for capacity in [1, 4, 64] {
            let got = lines(b"12345\n123456789\nok\n", 5, capacity);
            assert_eq!(
                got,
                [
                    (1, false, "12345\n".to_owned()),
                    (2, true, String::new()),
                    (3, false, "ok\n".to_owned())
                ],
                "buffer of {capacity}"
            );
        }
    }
}
