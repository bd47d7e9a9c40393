//! A company's metrics from its scored postings (docs/original-system.md#ref-9-2 exactly, over canonical
//! postings only), plus the activity metrics of docs/stages.md#aggregation: open, new and closed in the last
//! 30 days, first and last seen.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// How far back "new" and "closed" look.
pub const RECENT_DAYS: i64 = 30;

/// One posting of the company as aggregation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostingForAggregation {
    /// The posting's id (the last tie-break of the top offer).
    pub id: i64,
    /// The canonical posting this one reposts; `None` for a canonical posting.
    pub canonical_id: Option<i64>,
    /// Reposts pointing at this posting (weighs `offer_count`).
    pub repost_count: u32,
    /// When the provider says it was published: the top offer's tie-break, `last_strong_at`.
    pub published_at: Option<DateTime<Utc>>,
    /// When the provider says it last changed: stands in for `published_at` when that is missing.
    pub updated_at: Option<DateTime<Utc>>,
    /// When the pipeline first saw it (`new_offers_30d`, `first_seen_at`).
    pub first_seen_at: DateTime<Utc>,
    /// When the pipeline last saw it listed (`last_seen_at`).
    pub last_seen_at: DateTime<Utc>,
    /// When it closed; `None` while open (`open_offer_count`, `closed_offers_30d`).
    pub closed_at: Option<DateTime<Utc>>,
    /// `None` when the posting has no match yet: it counts as 0.
    pub score: Option<u8>,
    /// `None` or empty when no category scored.
    pub top_category_id: Option<String>,
}

/// The aggregation columns of a company.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CompanyAggregate {
    /// The best score among canonical postings (0 without any).
    pub max_score: u8,
    /// Σ (1 + repost_count) over canonical postings: activity-weighted.
    pub offer_count: u32,
    /// Canonical postings.
    pub unique_offer_count: u32,
    /// Canonical postings scoring at or above the strong threshold.
    pub strong_offer_count: u32,
    /// Mean of the strong scores (reposts not weighted); `None` without strong postings.
    pub avg_strong_score: Option<f64>,
    /// The top offer's top category (`None` when it has none).
    pub top_category_id: Option<String>,
    /// The best canonical posting: highest score, then latest published (else updated), then lowest id.
    pub top_offer_id: Option<i64>,
    /// Per top category, the best score among canonical postings with that top category (scores > 0).
    pub category_max_scores: BTreeMap<String, u8>,
    /// The latest published (else updated) time of a strong posting.
    pub last_strong_at: Option<DateTime<Utc>>,
    /// Canonical postings open now: the posting or one of its reposts is not closed.
    pub open_offer_count: u32,
    /// Canonical postings first seen (with their reposts) in the last 30 days.
    pub new_offers_30d: u32,
    /// Canonical postings closed, with all their reposts, in the last 30 days.
    pub closed_offers_30d: u32,
    /// The earliest `first_seen_at` of any posting, reposts included.
    pub first_seen_at: Option<DateTime<Utc>>,
    /// The latest `last_seen_at` of any posting, reposts included.
    pub last_seen_at: Option<DateTime<Utc>>,
}

/// Aggregates one company's postings (any order) at `now`. Scores at or above `strong_threshold` are strong.
pub fn aggregate(
    postings: &[PostingForAggregation],
    now: DateTime<Utc>,
    strong_threshold: u8,
) -> CompanyAggregate {
    let mut canonical: Vec<&PostingForAggregation> =
        postings.iter().filter(|p| p.canonical_id.is_none()).collect();
    canonical.sort_by_key(|p| p.id);
    let mut out = CompanyAggregate {
        first_seen_at: postings.iter().map(|p| p.first_seen_at).min(),
        last_seen_at: postings.iter().map(|p| p.last_seen_at).max(),
        ..CompanyAggregate::default()
    };
    if canonical.is_empty() {
        return out;
    }
    scores(&canonical, strong_threshold, &mut out);
    activity(&canonical, postings, now, &mut out);
    out
}

fn score_of(posting: &PostingForAggregation) -> u8 {
    posting.score.unwrap_or(0)
}

fn category_of(posting: &PostingForAggregation) -> Option<&str> {
    posting.top_category_id.as_deref().filter(|c| !c.is_empty())
}

/// The timestamp of the tie-breaks of docs/original-system.md#ref-9-2: published, else updated.
fn timestamp(posting: &PostingForAggregation) -> Option<DateTime<Utc>> {
    posting.published_at.or(posting.updated_at)
}

/// The nine metrics of docs/original-system.md#ref-9-2.
fn scores(canonical: &[&PostingForAggregation], strong_threshold: u8, out: &mut CompanyAggregate) {
    let mut top = canonical[0];
    for &posting in &canonical[1..] {
        let higher = score_of(posting) > score_of(top);
        // `None < Some(_)`: a missing timestamp never wins a tie; equal ones keep the earlier id.
        let later = score_of(posting) == score_of(top) && timestamp(posting) > timestamp(top);
        if higher || later {
            top = posting;
        }
    }
    out.max_score = score_of(top);
    out.top_offer_id = Some(top.id);
    out.top_category_id = category_of(top).map(str::to_owned);
    out.unique_offer_count = count(canonical.len());
    out.offer_count = canonical.iter().fold(0u32, |sum, p| {
        sum.saturating_add(1).saturating_add(p.repost_count)
    });

    let strong: Vec<&PostingForAggregation> = canonical
        .iter()
        .copied()
        .filter(|p| score_of(p) >= strong_threshold)
        .collect();
    out.strong_offer_count = count(strong.len());
    out.avg_strong_score = (!strong.is_empty())
        .then(|| strong.iter().map(|p| f64::from(score_of(p))).sum::<f64>() / strong.len() as f64);
    out.last_strong_at = strong.iter().filter_map(|p| timestamp(p)).max();

    for posting in canonical {
        if let Some(category) = category_of(posting)
            && score_of(posting) > 0
        {
            let best = out.category_max_scores.entry(category.to_owned()).or_insert(0);
            *best = (*best).max(score_of(posting));
        }
    }
}

/// Open / new / closed, per canonical posting together with its reposts.
fn activity(
    canonical: &[&PostingForAggregation],
    postings: &[PostingForAggregation],
    now: DateTime<Utc>,
    out: &mut CompanyAggregate,
) {
    let mut reposts: HashMap<i64, Vec<&PostingForAggregation>> = HashMap::new();
    for posting in postings {
        if let Some(canonical_id) = posting.canonical_id {
            reposts.entry(canonical_id).or_default().push(posting);
        }
    }
    let since = now - TimeDelta::days(RECENT_DAYS);
    for &posting in canonical {
        let group: Vec<&PostingForAggregation> = std::iter::once(posting)
            .chain(reposts.get(&posting.id).into_iter().flatten().copied())
            .collect();
        let open = group.iter().any(|p| p.closed_at.is_none());
        let first_seen = group
            .iter()
            .map(|p| p.first_seen_at)
            .min()
            .unwrap_or(posting.first_seen_at);
        let closed = group.iter().filter_map(|p| p.closed_at).max();
        out.open_offer_count += u32::from(open);
        out.new_offers_30d += u32::from(first_seen >= since && first_seen <= now);
        out.closed_offers_30d += u32::from(!open && closed.is_some_and(|at| at >= since && at <= now));
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
