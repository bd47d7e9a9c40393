//! Scanning one page for board references: anchors, iframes, scripts (source and inline text) and bare URLs in
//! the text, in document order, first evidence per board wins.

use std::collections::HashSet;

use pipeline_domain::BoardRef;
use scraper::node::Element;
use scraper::{Html, Node};
use url::Url;

use super::patterns::board_from_url;
use super::text::ats_urls_in_text;
use super::{Candidate, How};

/// The part of a page that is scanned (docs/original-system.md#ref-4-phase-1: the first 200 000 characters).
pub const MAX_SCANNED_CHARS: usize = 200_000;

/// Every board reference the page names, de-duplicated by board (references compare case-insensitively): the
/// first evidence in document order wins, whatever its kind.
pub fn scan_page(page_url: &Url, html: &str) -> Vec<Candidate> {
    let document = Html::parse_document(scanned_part(html));
    let mut found = Found {
        page: page_url,
        seen: HashSet::new(),
        candidates: Vec::new(),
    };
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
                for url in ats_urls_in_text(text) {
                    found.add(url, how);
                }
            }
            _ => {}
        }
    }
    found.candidates
}

/// The first [`MAX_SCANNED_CHARS`] characters of `html`.
pub(super) fn scanned_part(html: &str) -> &str {
    match html.char_indices().nth(MAX_SCANNED_CHARS) {
        Some((end, _)) => &html[..end],
        None => html,
    }
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
