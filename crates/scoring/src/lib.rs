//! Catalog loading and validation, text normalization, the matcher, the scorer, repost detection and company
//! aggregation (docs/stages.md#repost-detection and #scoring; docs/original-system.md#ref-6-1 and #ref-7 to
//! #ref-9). Architecture invariant: pure, deterministic functions; depends on `pipeline-domain` only; the
//! only I/O is reading a catalog file in [`Catalog::load`].
//!
//! ```
//! use pipeline_scoring::{Catalog, CompiledCatalog};
//!
//! let catalog = CompiledCatalog::new(&Catalog::builtin())?; // or Catalog::load(path)?
//! let result = catalog.score_posting("Treasury analyst", "Pagos internacionales en USD. https://stripe.com");
//! assert_eq!((result.score, result.strong), (10, true));
//! assert_eq!(result.top_category_id.as_deref(), Some("cat_fx_crossborder_payments"));
//! let stored = serde_json::to_string(&result.explanation)?; // kept with the match, with catalog.version()
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

pub mod aggregate;
pub mod catalog;
pub mod matcher;
pub mod normalize;
pub mod repost;
pub mod scorer;

pub use aggregate::{CompanyAggregate, PostingForAggregation, aggregate};
pub use catalog::{Catalog, CatalogError, CatalogFormat, CatalogIssue, ScoringRules};
pub use matcher::{CompiledCatalog, Field, KeywordHit, MatchResult, PhraseHit};
pub use normalize::{normalize_to_tokens, plain_text_for_matching, with_tokens};
pub use repost::{
    CanonicalPosting, OrderingKey, RepostMatch, RepostProfile, RepostReason, boilerplate_paragraphs,
    company_order, detect_repost, find_canonical, fingerprint, ordering_key, strip_boilerplate,
    token_overlap,
};
pub use scorer::{Explanation, ScoreResult, score};

impl CompiledCatalog {
    /// Matches and scores one posting.
    pub fn score_posting(&self, title: &str, description: &str) -> ScoreResult {
        score(&self.match_posting(title, description), self)
    }
}
