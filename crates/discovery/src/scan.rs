//! Scanning one page, all of it, for board references (docs/stages.md#discovery-scanning): anchors, iframes,
//! scripts (source and inline text) and bare URLs in the text, in document order, first evidence per board wins.
//! Text is only read around an ATS domain, so megabytes of inline script stay cheap.

use std::collections::HashSet;
use std::sync::LazyLock;

use pipeline_domain::BoardRef;
use regex::Regex;
use scraper::node::Element;
use scraper::{Html, Node};
use url::Url;

use super::patterns::{ATS_DOMAINS, board_from_url};
use super::text::ats_urls_in_text;
use super::{Candidate, How};

/// Every board reference the page names, de-duplicated by board (references compare case-insensitively): the
/// first evidence in document order wins, whatever its kind.
pub fn scan_page(page_url: &Url, html: &str) -> Vec<Candidate> {
    let document = Html::parse_document(scanned_part(html));
    let mut found = Found {
        page: page_url,
        seen: HashSet::new(),
        candidates: Vec::new(),
    };
    let mut lower = String::new();
    for node in document.tree.root().descendants() {
        match node.value() {
            Node::Element(element) => found.element(element),
            Node::Text(text) => {
                let parent = node
                    .parent()
                    .and_then(|p| p.value().as_element().map(Element::name));
                let how = match parent {
                    Some("script") => How::Script,
                    Some("style" | "template") => continue,
                    _ => How::Text,
                };
                for url in ats_urls(text, &mut lower) {
                    found.add(url, how);
                }
            }
            _ => {}
        }
    }
    found.candidates
}

/// The part of a page that is scanned: all of it (docs/stages.md#discovery-scanning). The page client's body
/// cap (2 MB, docs/stages.md#discovery-fetching) bounds it; the original's 200 000-character cut missed
/// footer links behind megabytes of inline script.
pub(super) fn scanned_part(html: &str) -> &str {
    html
}

/// Any of the [`ATS_DOMAINS`], searched in lower-cased text (plain literals: a multi-literal search many times
/// faster than a case-insensitive one); only what surrounds a match can name a board.
static ATS_DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = ATS_DOMAINS.iter().map(|domain| regex::escape(domain)).collect();
    Regex::new(&alternatives.join("|")).expect("valid ATS-domain regex")
});

/// Bytes that end every token of text: ASCII delimiters of `ats_urls_in_text` (keep them a subset of
/// `text::is_delimiter`), but not `\`, which JSON escaping pairs with `/`, so a stretch cut at one is read as it
/// would be within the whole text.
fn is_boundary(byte: u8) -> bool {
    byte.is_ascii_whitespace() || b"\"'`<>()[]{}|^,;".contains(&byte)
}

/// What `ats_urls_in_text` finds in `text`, in order, reading only the stretches between boundaries around an
/// ATS domain: megabytes of inline script without one cost one regex pass (docs/stages.md#discovery-scanning).
/// `lower` is a buffer reused from call to call.
pub(super) fn ats_urls(text: &str, lower: &mut String) -> Vec<Url> {
    // ASCII lower-casing keeps every byte offset: positions in `lower` are positions in `text`.
    lower.clear();
    lower.push_str(text);
    lower.make_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut urls = Vec::new();
    let mut from = 0;
    while let Some(found) = ATS_DOMAIN.find_at(lower, from) {
        let start = bytes[..found.start()]
            .iter()
            .rposition(|&b| is_boundary(b))
            .map_or(0, |i| i + 1);
        let end = bytes[found.end()..]
            .iter()
            .position(|&b| is_boundary(b))
            .map_or(text.len(), |i| found.end() + i);
        urls.extend(ats_urls_in_text(&text[start..end]));
        from = end;
    }
    urls
}

/// The candidates found so far on one page.
struct Found<'p> {
    page: &'p Url,
    seen: HashSet<BoardRef>,
    candidates: Vec<Candidate>,
}

impl Found<'_> {
    /// An element that references another document: `<a href>`, `<iframe src>`, `<script src>`.
    fn element(&mut self, element: &Element) {
        let (attributes, how): (&[&str], How) = match element.name() {
            "a" | "area" => (&["href"], How::Link),
            // Lazy-loading embeds keep the real address in `data-src` until scrolled into view.
            "iframe" | "frame" => (&["src", "data-src"], How::Iframe),
            "script" => (&["src", "data-src"], How::Script),
            _ => return,
        };
        for value in attributes.iter().filter_map(|name| element.attr(name)) {
            if let Ok(url) = self.page.join(value.trim()) {
                self.add(url, how);
            }
        }
    }

    fn add(&mut self, url: Url, how: How) {
        let Some(board) = board_from_url(&url) else {
            return;
        };
        if self.seen.insert(board.clone()) {
            self.candidates.push(Candidate {
                board,
                evidence_url: url.into(),
                found_on: self.page.clone(),
                how,
            });
        }
    }
}
