//! The one-pass reader gives the text the HTML tree gives: the contract's cases, and generated fragments
//! (blocks closed early, late or never, stray end tags, entities with and without semicolons, comments,
//! raw text, attributes holding `>`) compared with the reading of scraper's tree it replaced.

use scraper::{ElementRef, Html, Node};

use super::walker::BLOCKS;
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

#[test]
fn references_decode_as_the_html_tokenizer_decodes_them() {
    let cases = [
        ("&amp &ampx &notin; &notit; &noti", "& &x ∉ ¬it; ¬i"),
        (
            "&#36;100 &#x20AC;9 &#X41; &#128; &#0; &#xD800; &#1114112;",
            "$100 €9 A € \u{fffd} \u{fffd} \u{fffd}",
        ),
        ("&#; &#x; &unknown; & ;", "&#; &#x; &unknown; & ;"),
        ("a\r\nb\rc", "a\nb\nc"),
    ];
    for (html, text) in cases {
        assert_eq!(decode_entities(html), text, "{html:?}");
    }
}

/// The text the scraper-based reader gave: the fragment's tree walked, blocks on their own lines.
fn tree_text(html: &str) -> String {
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
    let fragment = Html::parse_fragment(html);
    let mut out = String::new();
    walk(fragment.root_element(), &mut out);
    tidy(&out)
}

fn tree_decode(text: &str) -> String {
    Html::parse_fragment(text).root_element().text().collect()
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<ul>",
    "</ul>",
    "<ol>",
    "</ol>",
    "<li>",
    "</li>",
    "<br>",
    "<br/>",
    "</br>",
    "<h2>",
    "</h2>",
    "<h3 class=\"x>y\">",
    "</h3>",
    "<strong>",
    "</strong>",
    "<b>",
    "</b>",
    "<em>",
    "</em>",
    "<span style='a'>",
    "</span>",
    "<a href=\"https://acme.com/jobs?a=1&amp;b=2\">",
    "</a>",
    "<section>",
    "</section>",
    "<blockquote>",
    "</blockquote>",
    "<pre>",
    "<pre>\n",
    "</pre>",
    "<dl>",
    "<dt>",
    "<dd>",
    "</dl>",
    "<table><tr><td>",
    "</td><td>",
    "</td></tr><tr><td>",
    "</td></tr></table>",
    "<hr>",
    "<img src=x.png>",
    "<!-- note -->",
    "<!---->",
    "<!DOCTYPE html>",
    "<script>if (a < b) {}</script>",
    "<style>p{}</style>",
    "<textarea>\nraw &amp; <b>x</b></textarea>",
    "<title>T&amp;C</title>",
    "<noscript><p>n</p></noscript>",
    "<header>",
    "</header>",
    "<footer>",
    "</footer>",
    "<article>",
    "</article>",
    "<h1>",
    "<h4>",
    "</h4>",
    "<P>",
    "</DIV>",
    "<Li >",
    "text",
    "more text",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    "&amp;",
    "&nbsp;",
    "&lt;b&gt;",
    "&eacute;",
    "&copy",
    "&notit;",
    "&#8364;",
    "&#x27;",
    "&#150;",
    "5 < 6",
    "a > b",
    "R&D",
    "&",
    "https://acme.com/x",
    "señor ñandú",
    "Σ",
    "</span >",
    "<p/>",
    "<div/>",
    "< p>",
    "</>",
    "<?php ?>",
    "<span title='>'>",
    "<i>",
    "</i>",
    "<a>",
    "<u>",
    "</u>",
    "<nobr>",
    "<font>",
    "</font>",
    "<button>",
    "</button>",
    "<form>",
    "</form>",
    "<center>",
    "</center>",
    "<select>",
    "</select>",
    "<option>",
];

fn fragment(rng: &mut Rng) -> String {
    (0..1 + rng.below(24))
        .map(|_| PIECES[rng.below(PIECES.len())])
        .collect()
}

#[test]
fn generated_fragments_read_as_their_tree_does() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut differ = Vec::new();
    for _ in 0..30_000 {
        let html = fragment(&mut rng);
        if html_to_text(&html) != tree_text(&html) || decode_entities(&html) != tree_decode(&html) {
            differ.push(html);
        }
    }
    for html in differ.iter().take(3) {
        eprintln!(
            "{html:?}\n  ours: {:?}\n  tree: {:?}",
            html_to_text(html),
            tree_text(html)
        );
        eprintln!(
            "  ours: {:?}\n  tree: {:?}",
            decode_entities(html),
            tree_decode(html)
        );
    }
    assert!(differ.is_empty(), "{} differ", differ.len());
}
