//! What sloppy JSON-LD is turned into before it is read a second time: not a parser (serde_json reads
//! the result), one pass that knows only whether it is inside a string. Outside strings it drops HTML
//! comment and CDATA markers (`<!--`, `-->`, `<![CDATA[`, `]]>`), JavaScript comments and trailing commas
//! before `}` or `]`; inside strings it escapes raw control characters (line breaks, tabs) and drops the
//! backslash of an escape JSON does not have (`\'`). A script whose JSON was HTML-escaped as a whole
//! (`{&quot;@type&quot;: ...}`) is unescaped first.

use crate::text::decode_entities;

/// The repaired text of a JSON-LD script.
pub(crate) fn repair(text: &str) -> String {
    let unescaped;
    let text = if !text.contains('"') && text.contains("&quot;") {
        unescaped = decode_entities(text);
        unescaped.as_str()
    } else {
        text
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut in_string = false;
    while let Some(c) = rest.chars().next() {
        let mut step = c.len_utf8();
        if in_string {
            match c {
                '"' => {
                    in_string = false;
                    out.push(c);
                }
                '\\' => {
                    let next = rest[1..].chars().next();
                    match next {
                        Some(n @ ('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' | 'u')) => {
                            out.push('\\');
                            out.push(n);
                            step += n.len_utf8();
                        }
                        // An escape JSON does not have: the character stands for itself.
                        Some(_) => {}
                        None => out.push_str("\\\\"),
                    }
                }
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() && u32::from(c) < 0x20 => {
                    out.push_str(&format!("\\u{:04x}", u32::from(c)));
                }
                c => out.push(c),
            }
        } else if let Some(skip) = skipped_outside(rest) {
            step = skip;
        } else {
            match c {
                '"' => {
                    in_string = true;
                    out.push(c);
                }
                ',' if closes_next(&rest[1..]) => {}
                c => out.push(c),
            }
        }
        rest = &rest[step..];
    }
    out
}

/// How many bytes at the start of `rest` (outside a string) are not JSON and are dropped: a marker or a
/// comment; `None` when `rest` starts with JSON.
fn skipped_outside(rest: &str) -> Option<usize> {
    for marker in ["<!--", "-->", "<![CDATA[", "]]>"] {
        if rest.starts_with(marker) {
            return Some(marker.len());
        }
    }
    if rest.starts_with("//") {
        return Some(rest.find('\n').unwrap_or(rest.len()));
    }
    if let Some(body) = rest.strip_prefix("/*") {
        return Some(body.find("*/").map_or(rest.len(), |end| end + 4));
    }
    None
}

/// Whether the next thing after a comma (white space and comments skipped) closes an object or array:
/// the comma is a trailing one.
fn closes_next(mut rest: &str) -> bool {
    loop {
        rest = rest.trim_start();
        match skipped_outside(rest) {
            Some(n) if n > 0 => rest = &rest[n..],
            _ => return rest.starts_with('}') || rest.starts_with(']'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::repair;
    use serde_json::{Value, json};

    fn read(text: &str) -> Value {
        serde_json::from_str(&repair(text)).unwrap_or_else(|e| panic!("{e}: {}", repair(text)))
    }

    #[test]
    fn trailing_commas_and_comments_go() {
        assert_eq!(
            read("{\"a\": [1, 2, ], \"b\": {\"c\": 3,},\n}"),
            json!({"a": [1, 2], "b": {"c": 3}})
        );
        assert_eq!(
            read("<!--\n{\"@type\": \"JobPosting\", /* draft */ \"title\": \"x\" // note\n}\n-->"),
            json!({"@type": "JobPosting", "title": "x"})
        );
        assert_eq!(
            read("//<![CDATA[\n{\"a\": \"<!-- kept -->, ]\"}\n//]]>"),
            json!({"a": "<!-- kept -->, ]"})
        );
        assert_eq!(read("{\"a\": 1, /* x */ }"), json!({"a": 1}));
    }

    #[test]
    fn control_characters_inside_strings_are_escaped() {
        assert_eq!(
            read("{\"description\": \"line one\n\tline two\r\n\u{1}end\", \"url\": \"https:\\/\\/a.b\\/\"}"),
            json!({"description": "line one\n\tline two\r\n\u{1}end", "url": "https://a.b/"})
        );
        assert_eq!(read("{\"t\": \"it\\'s\"}"), json!({"t": "it's"}));
        assert_eq!(read("{\"t\": \"caf\u{e9} \\u00e9\"}"), json!({"t": "café é"}));
    }

    #[test]
    fn json_escaped_as_html_is_unescaped() {
        assert_eq!(
            read("{&quot;@type&quot;: &quot;JobPosting&quot;, &quot;title&quot;: &quot;A &amp;amp; B&quot;}"),
            json!({"@type": "JobPosting", "title": "A &amp; B"})
        );
    }
}
