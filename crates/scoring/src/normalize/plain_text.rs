//! What the matcher reads (docs/stages.md#matching-text): decoded plain text with URLs removed, so a link to
//! stripe.com is not a Stripe signal. Providers already decode HTML; this also copes with markup or entities
//! that slipped through.

use std::borrow::Cow;

use super::entities::decode_entities;

/// Decodes HTML entities, strips tags (dropping `<script>`/`<style>` bodies and comments) and removes
/// `http://`, `https://` and `www.` URLs. Removed pieces become spaces so neighbouring words stay apart.
pub fn plain_text_for_matching(text: &str) -> String {
    plain_text(text).into_owned()
}

/// [`plain_text_for_matching`] without copying text that needs no change.
pub(crate) fn plain_text(text: &str) -> Cow<'_, str> {
    let mut text = Cow::Borrowed(text);
    if text.contains('&') {
        text = Cow::Owned(decode_entities(&text));
    }
    if text.contains('<') {
        text = Cow::Owned(strip_tags(&text));
        // Entity-escaped HTML decodes to markup whose text can hold one more level of references.
        if text.contains('&') {
            text = Cow::Owned(decode_entities(&text));
        }
    }
    match remove_urls(&text) {
        Some(removed) => Cow::Owned(removed),
        None => text,
    }
}

/// Inline formatting tags vanish without a trace ("mul<b>ti</b>" stays one word); every other tag is a
/// word break.
const INLINE_TAGS: &[&str] = &[
    "a", "b", "i", "u", "em", "strong", "span", "small", "sub", "sup", "font", "abbr",
];

fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        let at = &rest[pos..];
        let Some(len) = tag_len(at) else {
            out.push('<');
            rest = &at[1..];
            continue;
        };
        let tag = &at[..len];
        let name = tag_name(tag);
        if !INLINE_TAGS.contains(&name.as_str()) {
            out.push(' ');
        }
        rest = &at[len..];
        if (name == "script" || name == "style") && !tag.starts_with("</") {
            let closing = format!("</{name}");
            rest = find_ascii_ci(rest, &closing).map_or("", |i| &rest[i..]);
        }
    }
    out.push_str(rest);
    out
}

/// Length of the tag (or comment) starting at `s[0] == '<'`, or `None` when the `<` is just text.
fn tag_len(s: &str) -> Option<usize> {
    if let Some(body) = s.strip_prefix("<!--") {
        return Some(body.find("-->").map_or(s.len(), |i| 4 + i + 3));
    }
    let next = s[1..].chars().next()?;
    if !(next.is_ascii_alphabetic() || matches!(next, '/' | '!' | '?')) {
        return None;
    }
    s.find('>').map(|i| i + 1)
}

/// Lower-cased element name of a tag such as `</Strong >` → `strong`.
fn tag_name(tag: &str) -> String {
    tag.trim_start_matches(['<', '/'])
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

const URL_STARTS: [&str; 3] = ["http://", "https://", "www."];

/// The text without its URLs, or `None` when it has none.
fn remove_urls(text: &str) -> Option<String> {
    let mut next = Some(next_url(text, 0)?);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    while let Some(start) = next {
        out.push_str(&text[copied..start]);
        out.push(' ');
        copied = url_end(text, start);
        next = next_url(text, copied);
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// The first URL start at or after `from`. Every URL has a `:` (scheme) or a `.` (`www.`) a few bytes after
/// its start, so only those bytes are searched for (with `memchr`), not every `h` and `w` of the text.
fn next_url(text: &str, from: usize) -> Option<usize> {
    let by_scheme = next_anchored(text, from, ':', &[4, 5]);
    let by_host = next_anchored(text, from, '.', &[3]);
    by_scheme.into_iter().chain(by_host).min()
}

/// The first URL start that lies `back` bytes before an `anchor` at or after `from`.
fn next_anchored(text: &str, from: usize, anchor: char, back: &[usize]) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    loop {
        let at = i + text.get(i..)?.find(anchor)?;
        let starts = back
            .iter()
            .filter_map(|&b| at.checked_sub(b))
            .filter(|&start| start >= from);
        if let Some(start) = starts.into_iter().find(|&start| url_starts_at(bytes, start)) {
            return Some(start);
        }
        i = at + 1;
    }
}

fn url_starts_at(bytes: &[u8], i: usize) -> bool {
    if i > 0 && bytes[i - 1].is_ascii_alphanumeric() {
        return false;
    }
    URL_STARTS.iter().any(|start| {
        let end = i + start.len();
        end < bytes.len()
            && bytes[i..end].eq_ignore_ascii_case(start.as_bytes())
            && !bytes[end].is_ascii_whitespace()
    })
}

/// A URL runs until white space, a quote or an angle bracket.
fn url_end(text: &str, start: usize) -> usize {
    text[start..]
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '\u{201c}' | '\u{201d}'))
        .map_or(text.len(), |(offset, _)| start + offset)
}

#[cfg(test)]
mod tests {
    use super::plain_text_for_matching as plain;

    #[test]
    fn removes_scheme_and_www_urls() {
        assert_eq!(
            plain("Apply: https://stripe.com/jobs/apply?id=12345 ."),
            "Apply:   ."
        );
        assert_eq!(plain("see HTTP://Example.com/x, thanks"), "see   thanks");
        assert_eq!(plain("(www.stripe.com)"), "( ");
        assert_eq!(plain("go to www.aws.amazon.com\nnext"), "go to  \nnext");
        assert_eq!(plain("www.a.io x http://b.io y HTTPS://c.io/p?q=1"), "  x   y  ");
        assert_eq!(
            plain("ratio 3:1, http:// alone, www. alone"),
            "ratio 3:1, http:// alone, www. alone"
        );
    }

    #[test]
    fn keeps_words_that_only_look_like_url_starts() {
        assert_eq!(
            plain("awww. http is a protocol, www is the web"),
            "awww. http is a protocol, www is the web"
        );
        assert_eq!(plain("showhttp://x"), "showhttp://x");
    }

    #[test]
    fn strips_tags_and_decodes_entities() {
        assert_eq!(
            plain("<p>Pagos en <strong>USD</strong></p><ul><li>AWS</li></ul>"),
            " Pagos en USD   AWS  "
        );
        assert_eq!(plain("&lt;p&gt;Tom &amp;amp; Jerry&lt;/p&gt;"), " Tom & Jerry ");
        assert_eq!(plain("mul<b>ti</b>divisa"), "multidivisa");
        assert_eq!(plain("<a href=\"https://stripe.com\">apply</a>"), "apply");
        assert_eq!(plain("a<script>var aws = 1;</SCRIPT>b<!-- stripe -->c"), "a  b c");
    }

    #[test]
    fn a_lone_angle_bracket_is_text() {
        assert_eq!(plain("salary < 50k and > 40k"), "salary < 50k and > 40k");
        assert_eq!(plain("3 <5"), "3 <5");
    }
}
