//! The score of a posting and its explanation, stored as JSON with every match (docs/stages.md#scorer).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::matcher::{KeywordHit, PhraseHit};

/// A posting's integer score, whether it is strong, its top category and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreResult {
    /// 0..=max_score (10 by default).
    pub score: u8,
    /// `score >= strong_threshold`.
    pub strong: bool,
    /// The category with the most points (first seen on a tie); `None` when no category scored.
    pub top_category_id: Option<String>,
    /// Why: stored as JSON with the posting's score.
    pub explanation: Explanation,
}

/// Everything the score was computed from (docs/original-system.md#ref-8-3 `reasons`, with buckets
/// generalized).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// After the no-core guard, before clamping and rounding.
    pub raw_score: f64,
    /// The score: `raw_score` clamped to 0..=max_score and rounded half up.
    pub final_score: u8,
    /// All keyword hits, negated ones included.
    pub keyword_hits: Vec<KeywordHit>,
    /// All phrase hits, negated ones included.
    pub phrase_hits: Vec<PhraseHit>,
    /// Per category, highest points first (ties: first seen).
    pub categories: Vec<CategoryContribution>,
    /// Per phrase, in order of first hit.
    pub phrases: Vec<PhraseContribution>,
    /// Distinct categories among the keyword hits, negated ones included.
    pub unique_categories: usize,
    /// Distinct keywords among the keyword hits, negated ones included.
    pub unique_keywords: usize,
    /// Keyword hits a cue negated.
    pub negated_keyword_hits: usize,
    /// Phrase hits a cue negated.
    pub negated_phrase_hits: usize,
    /// Capped points of every bucket of the catalog (zero when empty).
    pub bucket_scores: BTreeMap<String, f64>,
    /// Whether the core bucket's uncapped points reached the core threshold.
    pub fx_core: bool,
    /// Set whenever `fx_core` is false, even when the raw score was already under the cap.
    pub applied_no_fx_guard: bool,
    /// Total synergy points after the synergy cap.
    pub synergy_points: f64,
    /// Each synergy that applied, with its points before the total cap.
    pub synergy_breakdown: BTreeMap<String, f64>,
}

/// What one category added: the best of its active hits (hits never stack within a category).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryContribution {
    /// The category.
    pub category_id: String,
    /// The bucket its points went to.
    pub bucket: String,
    /// Active hits of the category.
    pub hit_count: usize,
    /// Its best hit's points (tier weight × field weight).
    pub points: f64,
}

/// What one phrase added: its best active hit (a phrase counts once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhraseContribution {
    /// The phrase.
    pub phrase_id: String,
    /// Its active hits.
    pub hit_count: usize,
    /// Its best hit's points (phrase tier weight × field weight).
    pub points: f64,
}
