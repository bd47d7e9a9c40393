//! HTML descriptions to plain text: entities decoded, markup stripped, block structure kept as line
//! breaks, list items as "- " lines, URLs kept as text (docs/interfaces.md#board-json,
//! docs/stages.md#html-to-text).

use scraper::{ElementRef, Html, Node};

/// Block elements: their content starts on a new line.
const BLOCKS: [&str; 22] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "dd",
    "dt",
];

/// Decodes HTML entities of a text that is itself escaped HTML (Greenhouse's `content`): `&lt;p&gt;` → `<p>`.
pub fn decode_entities(text: &str) -> String {
    let fragment = Html::parse_fragment(text);
    fragment.root_element().text().collect()
}

/// Plain text of an HTML fragment.
pub fn html_to_text(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut out = String::with_capacity(html.len());
    walk(fragment.root_element(), &mut out);
    tidy(&out)
}

fn walk(element: ElementRef<'_>, out: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(e) => {
                let name = e.name();
                if matches!(name, "script" | "style" | "head") {
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    out.push('\n');
                }
                if name == "li" {
                    out.push_str("- ");
                }
                if let Some(inner) = ElementRef::wrap(child) {
                    walk(inner, out);
                }
                if block {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
}

/// Collapses runs of spaces inside lines, trims lines, and keeps at most one blank line between blocks.
fn tidy(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() && lines.last().is_none_or(String::is_empty) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_lines_and_entities_are_decoded() {
        let html = "<h2>About&nbsp;us</h2><p>We pay in <b>USD</b> &amp; EUR.<br>See https://acme.com/jobs</p>\
                    <ul><li>Remote</li><li>Travel</li></ul><script>var x = 1;</script>";
        assert_eq!(
            html_to_text(html),
            "About us\n\nWe pay in USD & EUR.\n\nSee https://acme.com/jobs\n\n- Remote\n\n- Travel"
        );
    }

    #[test]
    fn escaped_html_is_decoded_first() {
        let escaped = "&lt;p&gt;Pagos &amp;amp; divisas&lt;/p&gt;";
        assert_eq!(html_to_text(&decode_entities(escaped)), "Pagos & divisas");
    }
}
