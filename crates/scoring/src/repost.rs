//! Repost detection within one company (docs/original-system.md#ref-6-1-step-7,
//! docs/stages.md#repost-detection): content fingerprint → identical normalized title → ≥ 0.90 multiset
//! token overlap of the descriptions without the board's boilerplate.
//! Callers feed postings in [`ordering_key`] order, so the earliest posting is always the canonical one.

mod boilerplate;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use boilerplate::{BOILERPLATE_MIN_POSTINGS, boilerplate_paragraphs, strip_boilerplate};

use crate::normalize::normalize_to_tokens;

/// Description overlap at or above which a posting is a repost (the original's DESC_SIM_THRESHOLD).
pub const DESCRIPTION_SIMILARITY_THRESHOLD: f64 = 0.90;

/// SHA-256 hex of the title tokens joined by `\n`, `\n\n`, the description tokens joined by `\n`; `None`
/// when the title or the description is blank or has no tokens.
pub fn fingerprint(title: &str, description: &str) -> Option<String> {
    let title = normalize_to_tokens(title);
    let description = normalize_to_tokens(description);
    if title.is_empty() || description.is_empty() {
        return None;
    }
    let digest = Sha256::new()
        .chain_update(title.join("\n"))
        .chain_update("\n\n")
        .chain_update(description.join("\n"))
        .finalize();
    Some(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// Multiset token overlap: Σ min(count in a, count in b) / max(|a|, |b|); both empty → 1, one empty → 0.
pub fn token_overlap(a: &[String], b: &[String]) -> f64 {
    TokenBag::new(a).overlap(&TokenBag::new(b))
}

/// The order in which a caller must process a board's postings: published time (unpublished last), then
/// external id. Sort by it before detecting reposts so the result does not depend on fetch order.
pub fn ordering_key(published_at: Option<DateTime<Utc>>, external_id: &str) -> OrderingKey<'_> {
    OrderingKey {
        unpublished: published_at.is_none(),
        published_at,
        external_id,
    }
}

/// A posting's place among all its company's postings: [`ordering_key`], then the board's id (two boards
/// of one company may use the same external id).
pub fn company_order(
    published_at: Option<DateTime<Utc>>,
    external_id: &str,
    board_id: i64,
) -> (OrderingKey<'_>, i64) {
    (ordering_key(published_at, external_id), board_id)
}

/// See [`ordering_key`]; compares field by field in declaration order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct OrderingKey<'a> {
    unpublished: bool,
    published_at: Option<DateTime<Utc>>,
    external_id: &'a str,
}

/// A token multiset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct TokenBag {
    counts: HashMap<String, u32>,
    len: usize,
}

impl TokenBag {
    fn new(tokens: &[String]) -> TokenBag {
        let mut counts: HashMap<String, u32> = HashMap::with_capacity(tokens.len());
        for token in tokens {
            *counts.entry(token.clone()).or_default() += 1;
        }
        TokenBag {
            counts,
            len: tokens.len(),
        }
    }

    fn overlap(&self, other: &TokenBag) -> f64 {
        match (self.len, other.len) {
            (0, 0) => return 1.0,
            (0, _) | (_, 0) => return 0.0,
            _ => {}
        }
        let (small, large) = if self.counts.len() <= other.counts.len() {
            (self, other)
        } else {
            (other, self)
        };
        let shared: u32 = small
            .counts
            .iter()
            .map(|(t, &n)| n.min(large.counts.get(t).copied().unwrap_or(0)))
            .sum();
        f64::from(shared) / self.len.max(other.len) as f64
    }
}

/// What repost detection needs of one posting, computed once per posting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepostProfile {
    /// [`fingerprint`] of the full title and description.
    pub fingerprint: Option<String>,
    title_tokens: Vec<String>,
    has_description: bool,
    body: TokenBag,
}

impl RepostProfile {
    /// Profiles a posting of a board whose boilerplate is `boilerplate` ([`boilerplate_paragraphs`]).
    /// When nothing but boilerplate is left, the whole description is compared instead: two postings made
    /// only of shared paragraphs are not thereby identical.
    pub fn new(title: &str, description: &str, boilerplate: &HashSet<String>) -> RepostProfile {
        let full = normalize_to_tokens(description);
        let stripped = normalize_to_tokens(&strip_boilerplate(description, boilerplate));
        let body = if stripped.is_empty() {
            TokenBag::new(&full)
        } else {
            TokenBag::new(&stripped)
        };
        RepostProfile {
            fingerprint: fingerprint(title, description),
            title_tokens: normalize_to_tokens(title),
            has_description: !full.is_empty(),
            body,
        }
    }
}

/// An existing canonical posting of the same company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalPosting {
    /// The posting's id (lower ids win ties).
    pub id: i64,
    /// What it is compared by.
    pub profile: RepostProfile,
    /// When it was last seen: the first of the recency tie-breaks.
    pub last_seen_at: Option<DateTime<Utc>>,
    /// When it was published: the second.
    pub published_at: Option<DateTime<Utc>>,
    /// When it last changed at the provider: the third.
    pub updated_at: Option<DateTime<Utc>>,
}

/// Which rule found the canonical posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepostReason {
    /// Same fingerprint of title and description.
    Fingerprint,
    /// Same title tokens.
    ExactTitle,
    /// Description overlap at or above [`DESCRIPTION_SIMILARITY_THRESHOLD`], boilerplate left out.
    DescriptionSimilarity,
}

/// A repost decision: the canonical posting, why, and the overlap when that was the reason.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RepostMatch {
    /// The posting this one reposts.
    pub canonical_id: i64,
    /// Which rule found it.
    pub reason: RepostReason,
    /// The description overlap (0–1), for [`RepostReason::DescriptionSimilarity`] only.
    pub similarity: Option<f64>,
}

/// The id of the canonical posting `candidate` reposts, if any ([`detect_repost`]).
pub fn find_canonical(candidate: &RepostProfile, canonicals: &[CanonicalPosting]) -> Option<i64> {
    detect_repost(candidate, canonicals).map(|m| m.canonical_id)
}

/// docs/original-system.md#ref-6-1-step-7: the lowest-id canonical with the same fingerprint; else the
/// lowest-id one with the same (non-empty) title tokens; else, when the candidate has a description, the
/// canonical with the highest overlap (ties: most recent of last seen / published / updated, having one beats
/// none; then lowest id), if that overlap is at least [`DESCRIPTION_SIMILARITY_THRESHOLD`].
pub fn detect_repost(candidate: &RepostProfile, canonicals: &[CanonicalPosting]) -> Option<RepostMatch> {
    let mut by_id: Vec<&CanonicalPosting> = canonicals.iter().collect();
    by_id.sort_by_key(|c| c.id);
    let found = |canonical: &CanonicalPosting, reason| RepostMatch {
        canonical_id: canonical.id,
        reason,
        similarity: None,
    };
    if let Some(print) = &candidate.fingerprint
        && let Some(c) = by_id
            .iter()
            .find(|c| c.profile.fingerprint.as_ref() == Some(print))
    {
        return Some(found(c, RepostReason::Fingerprint));
    }
    if !candidate.title_tokens.is_empty()
        && let Some(c) = by_id
            .iter()
            .find(|c| c.profile.title_tokens == candidate.title_tokens)
    {
        return Some(found(c, RepostReason::ExactTitle));
    }
    if !candidate.has_description {
        return None;
    }
    let mut best: Option<(&CanonicalPosting, f64)> = None;
    for canonical in by_id.into_iter().filter(|c| c.profile.has_description) {
        let similarity = candidate.body.overlap(&canonical.profile.body);
        let better = match best {
            None => similarity > 0.0,
            Some((current, best_similarity)) => {
                similarity > best_similarity
                    || (similarity == best_similarity && is_preferred(canonical, current))
            }
        };
        if better {
            best = Some((canonical, similarity));
        }
    }
    let (canonical, similarity) = best.filter(|&(_, s)| s >= DESCRIPTION_SIMILARITY_THRESHOLD)?;
    Some(RepostMatch {
        canonical_id: canonical.id,
        reason: RepostReason::DescriptionSimilarity,
        similarity: Some(similarity),
    })
}

/// Tie-break between equally similar canonicals: the more recent one, then the lower id.
fn is_preferred(a: &CanonicalPosting, b: &CanonicalPosting) -> bool {
    let seen = |c: &CanonicalPosting| c.last_seen_at.or(c.published_at).or(c.updated_at);
    match (seen(a), seen(b)) {
        (Some(x), Some(y)) if x != y => x > y,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        _ => a.id < b.id,
    }
}

#[cfg(test)]
mod tests;
