//! Careers pages that carry schema.org `JobPosting` JSON-LD (docs/ats-apis.md#jsonld): whose postings it
//! shows, where on the site, and how cleanly it is written.

use serde::Serialize;

use super::BoardRef;

/// The JSON-LD of a company's careers pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonLdSite {
    pub kind: JsonLdKind,
    pub layout: JsonLdLayout,
    /// Written as sloppy sites write it (inside an HTML comment, trailing commas, raw line breaks in
    /// strings): a lenient reader still reads it.
    pub sloppy: bool,
}

/// Whose postings the JSON-LD shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum JsonLdKind {
    /// The company's own postings, those of the world's `jsonld` board `0` (no ATS behind it).
    Own(BoardRef),
    /// The postings of the company's ATS board `0`, repeated (what pages built on an ATS embed): no board
    /// of their own.
    MirrorsAts(BoardRef),
    /// Scripts nobody can read (cut short, bare quotes inside strings): no board.
    Broken,
}

/// Where the postings' JSON-LD is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum JsonLdLayout {
    /// All of them on the careers page, in one `@graph` beside the page's other schema.org nodes
    /// (WordPress with Yoast).
    Inline,
    /// The careers page links one page per posting (`{careers}/{id}`), each carrying its `JobPosting`
    /// beside a `__NEXT_DATA__` script (Next.js).
    JobPages,
}

impl JsonLdSite {
    /// The board whose postings the JSON-LD shows, if any.
    pub fn shown_board(&self) -> Option<&BoardRef> {
        match &self.kind {
            JsonLdKind::Own(board) | JsonLdKind::MirrorsAts(board) => Some(board),
            JsonLdKind::Broken => None,
        }
    }
}
