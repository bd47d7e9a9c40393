//! A tag's attributes read as the tokenizer reads them (WHATWG HTML §13.2.5.32–39): names lower-cased,
//! values double-quoted, single-quoted or unquoted, character references in values decoded, the first of
//! two attributes with one name winning.

use std::borrow::Cow;

use super::scan::{Tag, decode};

impl<'a> Tag<'a> {
    /// The value of the attribute called `wanted` (lower case), if the tag has it; an attribute without a
    /// value has the empty string.
    pub(crate) fn attribute(&self, wanted: &str) -> Option<Cow<'a, str>> {
        let text = self.attributes;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
                i += 1;
            }
            let start = i;
            // `=` first is part of the name.
            i += usize::from(bytes.get(i) == Some(&b'='));
            while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'=') {
                i += 1;
            }
            let name = &text[start..i];
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            let value = if bytes.get(i) == Some(&b'=') {
                i += 1;
                while i < bytes.len() && is_space(bytes[i]) {
                    i += 1;
                }
                let (value, next) = value_at(text, i);
                i = next;
                Some(value)
            } else {
                None
            };
            if !name.is_empty() && name.eq_ignore_ascii_case(wanted) {
                return Some(value.map_or(Cow::Borrowed(""), |v| decode(v, true)));
            }
        }
        None
    }
}

/// The value starting at `i` (after `=` and spaces) and where reading goes on.
fn value_at(text: &str, i: usize) -> (&str, usize) {
    let bytes = text.as_bytes();
    match bytes.get(i) {
        Some(&quote @ (b'"' | b'\'')) => {
            let end = text[i + 1..]
                .find(quote as char)
                .map_or(text.len(), |n| i + 1 + n);
            (&text[i + 1..end], (end + 1).min(text.len()))
        }
        Some(_) => {
            let end = bytes[i..]
                .iter()
                .position(|&b| is_space(b))
                .map_or(text.len(), |n| i + n);
            (&text[i..end], end)
        }
        None => ("", i),
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

#[cfg(test)]
mod tests {
    use super::super::scan::{Scanner, Token};

    fn attribute(html: &str, name: &str) -> Option<String> {
        Scanner::new(html).find_map(|token| match token {
            Token::Start(tag) => Some(tag.attribute(name).map(|v| v.into_owned())),
            _ => None,
        })?
    }

    #[test]
    fn quoted_unquoted_and_bare_attributes() {
        let html = r#"<script async TYPE = "application/ld+json" data-x='a>b' id=main defer>"#;
        assert_eq!(attribute(html, "type").as_deref(), Some("application/ld+json"));
        assert_eq!(attribute(html, "data-x").as_deref(), Some("a>b"));
        assert_eq!(attribute(html, "id").as_deref(), Some("main"));
        assert_eq!(attribute(html, "async").as_deref(), Some(""));
        assert_eq!(attribute(html, "defer").as_deref(), Some(""));
        assert_eq!(attribute(html, "src"), None);
        assert_eq!(
            attribute(r#"<a href="/jobs?a=1&amp;b=2" href="/other">"#, "href").as_deref(),
            Some("/jobs?a=1&b=2"),
            "entities decoded, the first one wins"
        );
        assert_eq!(attribute("<br/>", "x"), None);
        assert_eq!(attribute(r#"<a href="/x/">"#, "href").as_deref(), Some("/x/"));
        assert_eq!(attribute("<a href=/x/ >", "href").as_deref(), Some("/x/"));
    }
}
