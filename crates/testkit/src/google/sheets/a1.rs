//! A1 notation: parsed ranges (`Tab!A2:A`, `'My tab'!D5:J5`, ...), column names and quoted tab titles.

/// A parsed A1 range; bounds are 0-based and inclusive, None = open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct A1 {
    pub sheet: Option<String>,
    pub start_col: Option<usize>,
    pub start_row: Option<usize>,
    pub end_col: Option<usize>,
    pub end_row: Option<usize>,
}

/// `A1:Z1000` from 0-based bounds.
pub fn a1_text(c0: usize, r0: usize, c1: usize, r1: usize) -> String {
    format!("{}{}:{}{}", column_name(c0), r0 + 1, column_name(c1), r1 + 1)
}

pub fn column_name(mut index: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

impl A1 {
    /// `Tab!A1:B2`, `'My tab'!A:Z`, `Tab!A2:A`, `Tab`, `A1:B2`, `Tab!C5`.
    pub fn parse(text: &str) -> Option<A1> {
        let text = text.trim();
        let (sheet, cells) = match text.rfind('!') {
            Some(i) => (Some(unquote(&text[..i])), &text[i + 1..]),
            None if text.contains(':') || looks_like_cell(text) => (None, text),
            None => (Some(unquote(text)), ""),
        };
        if cells.is_empty() {
            return Some(A1 {
                sheet,
                start_col: None,
                start_row: None,
                end_col: None,
                end_row: None,
            });
        }
        let (start, end) = match cells.split_once(':') {
            Some((s, e)) => (s, Some(e)),
            None => (cells, None),
        };
        let (start_col, start_row) = cell_ref(start)?;
        let (end_col, end_row) = match end {
            Some(e) => cell_ref(e)?,
            None => (start_col, start_row),
        };
        Some(A1 {
            sheet,
            start_col,
            start_row,
            end_col,
            end_row,
        })
    }
}

fn looks_like_cell(text: &str) -> bool {
    let letters = text.chars().take_while(char::is_ascii_uppercase).count();
    letters > 0 && letters <= 3 && text[letters..].chars().all(|c| c.is_ascii_digit()) && text.len() > letters
}

fn unquote(text: &str) -> String {
    match text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        Some(inner) => inner.replace("''", "'"),
        None => text.to_owned(),
    }
}

/// `B12` → (1, 11); `B` → (1, None); `12` → (None, 11).
fn cell_ref(text: &str) -> Option<(Option<usize>, Option<usize>)> {
    let letters: String = text.chars().take_while(char::is_ascii_alphabetic).collect();
    let digits = &text[letters.len()..];
    if !digits.chars().all(|c| c.is_ascii_digit()) || (letters.is_empty() && digits.is_empty()) {
        return None;
    }
    let col = (!letters.is_empty()).then(|| {
        letters
            .to_ascii_uppercase()
            .bytes()
            .fold(0usize, |acc, b| acc * 26 + usize::from(b - b'A' + 1))
            - 1
    });
    let row = if digits.is_empty() {
        None
    } else {
        Some(digits.parse::<usize>().ok()?.checked_sub(1)?)
    };
    Some((col, row))
}

/// A tab title as A1 notation writes it: quoted unless plain.
pub(super) fn quote(title: &str) -> String {
    if title.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        title.to_owned()
    } else {
        format!("'{}'", title.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_ranges_parse() {
        let a = A1::parse("Companies!A2:A").unwrap();
        assert_eq!(
            (a.sheet.as_deref(), a.start_col, a.start_row, a.end_col, a.end_row),
            (Some("Companies"), Some(0), Some(1), Some(0), None)
        );
        let a = A1::parse("'My tab'!D5:J5").unwrap();
        assert_eq!(
            (a.sheet.as_deref(), a.start_col, a.end_col, a.end_row),
            (Some("My tab"), Some(3), Some(9), Some(4))
        );
        assert_eq!(A1::parse("Companies").unwrap().start_col, None);
        assert_eq!(A1::parse("A1:B2").unwrap().sheet, None);
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(a1_text(0, 4, 14, 6), "A5:O7");
    }
}
