//! `pipeline-discovery`: ATS discovery (docs/stages.md#discovery): which pages of a company's site to read, which
//! career-looking links to follow one hop, which board references a page names (pure functions), and
//! [`detect`], which fetches the pages and validates the candidates through the providers' APIs.
//! Architecture invariant: no DB; pure scanning functions plus one async [`detect`].
#![warn(missing_docs)]

mod candidates;
mod detect;
mod host_tenants;
mod jsonld;
mod links;
mod owner;
mod patterns;
mod rejection;
mod scan;
mod text;

#[cfg(test)]
mod candidates_tests;
#[cfg(test)]
mod jsonld_tests;
#[cfg(test)]
mod links_tests;
#[cfg(test)]
mod patterns_tests;
#[cfg(test)]
mod scan_tests;

use std::fmt;

use pipeline_domain::BoardRef;
use url::Url;

pub use candidates::{CAREER_PATHS, candidate_pages};
pub use detect::{ClientLookup, DetectedBoard, Detection, detect};
pub use jsonld::MAX_PROBES;
pub use links::{LINK_KEYWORDS, MAX_LINK_LEN, career_links};
pub use owner::{answers_unknown_tenants, check_owner};
pub use patterns::{ATS_DOMAINS, board_from_url, is_ats_host};
pub use rejection::{Rejection, SiteFailure};
pub use scan::scan_page;

/// How a candidate was found (docs/interfaces.md#detect-json, `how`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// An `<a href>` (or `<area href>`).
    Link,
    /// An `<iframe src>`.
    Iframe,
    /// A `<script src>` or a URL inside an inline script.
    Script,
    /// A bare URL in the page's text.
    Text,
    /// schema.org `JobPosting` JSON-LD on the page (or on a job page it links): a `jsonld` board.
    JsonLd,
}

impl How {
    /// The stable name stored as the board's `how` and shown by `detect --json`.
    pub fn as_str(self) -> &'static str {
        match self {
            How::Link => "link",
            How::Iframe => "iframe",
            How::Script => "script",
            How::Text => "text",
            How::JsonLd => "jsonld",
        }
    }
}

impl fmt::Display for How {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A board reference a page names, with its evidence (docs/stages.md#discovery-evidence). Not validated yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The board the URL names.
    pub board: BoardRef,
    /// The ATS URL as found (resolved against the page when relative); for a `jsonld` board, the page
    /// carrying the `JobPosting` JSON-LD.
    pub evidence_url: String,
    /// The page it was found on; for a `jsonld` board, its careers page.
    pub found_on: Url,
    /// Where in the page the URL was.
    pub how: How,
}
