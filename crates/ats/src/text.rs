//! HTML descriptions to plain text: entities decoded, markup stripped, block structure kept as line
//! breaks, list items as "- " lines, URLs kept as text (docs/interfaces.md#board-json,
//! docs/stages.md#html-to-text).
//!
//! One pass, no tree: the tokenizer's data states ([`scan`]) feed a stack of open elements that follows
//! the tree builder's "in body" rules where they decide where a block starts and ends (a `<p>` closed by
//! the next block, `</p>` without a `<p>`, list items closing each other, end tags of elements not open
//! ignored, table rows inside tables only), which is what the lines of the text depend on.

mod attributes;
pub(crate) mod scan;
mod walker;

use scan::{Scanner, Token};
use walker::Walker;

/// Decodes HTML entities of a text that is itself escaped HTML (Greenhouse's `content`): `&lt;p&gt;` → `<p>`.
/// Any markup in it is dropped, its text kept.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skip_newline = false;
    for token in Scanner::new(text) {
        match token {
            Token::Text(t) => {
                let t = if skip_newline {
                    t.strip_prefix('\n').unwrap_or(&t)
                } else {
                    &t
                };
                out.push_str(t);
                skip_newline = false;
            }
            Token::Start(tag) => skip_newline = matches!(&*tag.name, "pre" | "listing" | "textarea"),
            Token::End(_) | Token::Other => skip_newline = false,
        }
    }
    out
}

/// Plain text of an HTML fragment.
pub fn html_to_text(html: &str) -> String {
    let mut walker = Walker::new(html.len());
    let mut skip_newline = false;
    // The text after a raw text element's start tag is its content: dropped (`script`, `style`) or kept
    // as it is, in no formatting element.
    let mut raw: Option<bool> = None;
    for token in Scanner::new(html) {
        match token {
            Token::Text(text) => {
                let text = if skip_newline {
                    text.strip_prefix('\n').unwrap_or(&text)
                } else {
                    &text
                };
                match raw {
                    Some(true) => {}
                    Some(false) => walker.out.push_str(text),
                    None => walker.text(text),
                }
            }
            Token::Start(tag) => {
                raw = scan::is_raw(&tag.name).then(|| matches!(&*tag.name, "script" | "style"));
                skip_newline = matches!(&*tag.name, "pre" | "listing" | "textarea");
                walker.start(tag.name);
                continue;
            }
            Token::End(tag) => walker.end(&tag.name),
            Token::Other => {}
        }
        (skip_newline, raw) = (false, None);
    }
    tidy(&walker.out)
}

/// Collapses runs of spaces inside lines, trims lines, and keeps at most one blank line between blocks.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.split('\n') {
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else {
            blank = !out.is_empty();
            continue;
        };
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        out.push_str(first);
        for word in words {
            out.push(' ');
            out.push_str(word);
        }
        blank = false;
    }
    out
}

#[cfg(test)]
mod tests;
