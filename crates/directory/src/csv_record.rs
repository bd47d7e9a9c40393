//! CSV records read line by line, so that a broken quote costs one line instead of the rest of the list:
//! fields are split as the `csv` crate reads them (RFC 4180 quoting, a doubled quote inside quotes is a
//! quote, a quote is only special at the start of a field), and a line that ends inside quotes is a bad row
//! unless the source allows line breaks in fields (`multiline_fields`). Lines and records are capped.

use std::io::{self, BufRead};

use super::lines::Lines;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StartOfField,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: its end, or the first of a doubled quote.
    QuoteInQuoted,
}

/// The fields of one record.
#[derive(Debug)]
pub(crate) struct Record {
    delimiter: u8,
    state: State,
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Record {
    pub(crate) fn new(delimiter: u8) -> Self {
        Self {
            delimiter,
            state: State::StartOfField,
            bytes: Vec::new(),
            ends: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.state = State::StartOfField;
        self.bytes.clear();
        self.ends.clear();
    }

    /// Adds one line (ending with `\n`, except a last line); `true` when the record is complete, `false`
    /// when the line ended inside a quoted field.
    fn feed(&mut self, line: &[u8]) -> bool {
        for &b in line {
            let delimiter = b == self.delimiter;
            self.state = match (self.state, b) {
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::Quoted, _) => {
                    self.bytes.push(b);
                    State::Quoted
                }
                (State::StartOfField, b'"') => State::Quoted,
                (State::QuoteInQuoted, b'"') => {
                    self.bytes.push(b'"');
                    State::Quoted
                }
                (_, b'\n') => {
                    self.ends.push(self.bytes.len());
                    return true;
                }
                _ if delimiter => {
                    self.ends.push(self.bytes.len());
                    State::StartOfField
                }
                _ => {
                    self.bytes.push(b);
                    State::Unquoted
                }
            };
        }
        if self.state == State::Quoted {
            return false;
        }
        self.ends.push(self.bytes.len());
        true
    }

    /// The number of fields.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The whole record's text, fields concatenated (for one UTF-8 check).
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Field `index`, as bytes.
    pub(crate) fn field(&self, index: usize) -> Option<&[u8]> {
        let end = *self.ends.get(index)?;
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i]);
        Some(&self.bytes[start..end])
    }
}

/// What [`Records::next`] read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// A record (in [`Records::record`]) starting at this line.
    Record { line: u64 },
    /// A bad row starting at this line; reading resumes at the line after it.
    Bad { line: u64, reason: String },
}

/// The records of a CSV text.
pub(crate) struct Records<R> {
    lines: Lines<R>,
    line: Vec<u8>,
    record: Record,
    multiline: bool,
    max: usize,
    cap_text: String,
}

impl<R: BufRead> Records<R> {
    /// Lines and records of at most `max` bytes (`cap_text` names the cap in messages).
    pub(crate) fn new(inner: R, delimiter: u8, multiline: bool, max: usize, cap_text: String) -> Self {
        Self {
            lines: Lines::new(inner, max),
            line: Vec::new(),
            record: Record::new(delimiter),
            multiline,
            max,
            cap_text,
        }
    }

    /// The record [`Next::Record`] announced.
    pub(crate) fn record(&self) -> &Record {
        &self.record
    }

    /// The next record or bad row, skipping blank lines; `None` at the end.
    pub(crate) fn next(&mut self) -> io::Result<Option<Next>> {
        let first = loop {
            let Some(first) = self.lines.read_into(&mut self.line)? else {
                return Ok(None);
            };
            if first.too_long {
                let reason = format!("line longer than the {} cap", self.cap_text);
                return Ok(Some(Next::Bad {
                    line: first.number,
                    reason,
                }));
            }
            if !matches!(self.line.as_slice(), b"" | b"\n") {
                break first.number;
            }
        };
        self.record.clear();
        let mut size = self.line.len();
        while !self.record.feed(&self.line) {
            let bad = |reason: String| Ok(Some(Next::Bad { line: first, reason }));
            if !self.multiline {
                return bad(UNBALANCED.to_owned());
            }
            match self.lines.read_into(&mut self.line)? {
                None => return bad("a quoted field is never closed".to_owned()),
                Some(next) => {
                    size = size.saturating_add(self.line.len());
                    if next.too_long || size > self.max {
                        return bad(format!("record longer than the {} cap", self.cap_text));
                    }
                }
            }
        }
        Ok(Some(Next::Record { line: first }))
    }
}

const UNBALANCED: &str = "a quoted field runs past the end of the line (an unbalanced quote?); \
                          set `multiline_fields = true` if this list's fields hold line breaks";

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> (bool, Vec<String>) {
        let mut record = Record::new(b',');
        let complete = record.feed(line.as_bytes());
        let fields = (0..record.len())
            .map(|i| String::from_utf8(record.field(i).unwrap().to_vec()).unwrap())
            .collect();
        (complete, fields)
    }

    #[test]
    fn fields_split_like_the_csv_crate_reads_them() {
        let cases: [(&str, &[&str]); 7] = [
            ("a,b,c\n", &["a", "b", "c"]),
            ("a,,\n", &["a", "", ""]),
            ("\"a,b\",\"say \"\"hi\"\"\"\n", &["a,b", "say \"hi\""]),
            ("5\" floppy,x\n", &["5\" floppy", "x"]),
            ("\"ab\"cd,e", &["abcd", "e"]),
            ("\"\"\n", &[""]),
            (" a , b \n", &[" a ", " b "]),
        ];
        for (line, want) in cases {
            assert_eq!(
                fields(line),
                (true, want.iter().map(|s| (*s).to_owned()).collect()),
                "{line:?}"
            );
        }
        assert!(
            !fields("\"open,x\n").0,
            "a line ending inside quotes is not a complete record"
        );
    }

    /// A record (first line, fields) or a bad row (line, reason).
    type Read = Result<(u64, Vec<String>), (u64, String)>;

    fn read_all(text: &str, multiline: bool) -> Vec<Read> {
        let mut records = Records::new(text.as_bytes(), b',', multiline, 40, "40 B".into());
        let mut out = Vec::new();
        while let Some(next) = records.next().unwrap() {
            out.push(match next {
                Next::Record { line } => {
                    let record = records.record();
                    let fields = (0..record.len())
                        .map(|i| String::from_utf8_lossy(record.field(i).unwrap()).into_owned())
                        .collect();
                    Ok((line, fields))
                }
                Next::Bad { line, reason } => Err((line, reason)),
            });
        }
        out
    }

    #[test]
    fn an_unbalanced_quote_is_one_bad_line_and_reading_resumes_at_the_next() {
        let got = read_all("\"Unbal,unbal.example\nA,a.es\n\nB,b.es\r\nC,c.es", false);
        assert!(
            matches!(&got[0], Err((1, reason)) if reason.contains("unbalanced quote")),
            "{got:?}"
        );
        let names: Vec<_> = got[1..].iter().map(|r| r.as_ref().unwrap().clone()).collect();
        assert_eq!(
            names,
            [
                (2, vec!["A".to_owned(), "a.es".to_owned()]),
                (4, vec!["B".to_owned(), "b.es".to_owned()]),
                (5, vec!["C".to_owned(), "c.es".to_owned()]),
            ]
        );
    }

    #[test]
    fn multiline_fields_join_lines_until_the_quote_closes_within_the_cap() {
        let got = read_all("\"Two\nlines\",x\nA,a\n\"never closed\n", true);
        assert_eq!(got[0], Ok((1, vec!["Two\nlines".to_owned(), "x".to_owned()])));
        assert_eq!(got[1], Ok((3, vec!["A".to_owned(), "a".to_owned()])));
        assert_eq!(got[2], Err((4, "a quoted field is never closed".to_owned())));
        let long = format!(
            "\"{}\n{}\n{}\",x\nB,b\n",
            "a".repeat(15),
            "b".repeat(15),
            "c".repeat(15)
        );
        let got = read_all(&long, true);
        assert_eq!(got[0], Err((1, "record longer than the 40 B cap".to_owned())));
        assert!(
            got.contains(&Ok((4, vec!["B".to_owned(), "b".to_owned()]))),
            "{got:?}"
        );
    }
}
