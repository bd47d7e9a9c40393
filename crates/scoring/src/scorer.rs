//! Turning a match into a 0–10 score (docs/original-system.md#ref-8-3, "Scoring V2"), with the buckets, core
//! gate and synergies taken from the catalog (docs/stages.md#scorer): the built-in catalog reproduces the
//! original exactly.

mod explanation;

use std::collections::{BTreeMap, HashMap};

pub use explanation::{CategoryContribution, Explanation, PhraseContribution, ScoreResult};

use crate::catalog::ScoringRules;
use crate::matcher::{CompiledCatalog, Field, KeywordHit, MatchResult, PhraseHit};

/// Scores a match against the catalog it was matched with.
pub fn score(matched: &MatchResult, catalog: &CompiledCatalog) -> ScoreResult {
    let rules = catalog.rules();
    let active_keywords: Vec<&KeywordHit> = matched.keyword_hits.iter().filter(|h| !h.negated).collect();
    let active_phrases: Vec<&PhraseHit> = matched.phrase_hits.iter().filter(|h| !h.negated).collect();
    let categories = category_contributions(&active_keywords, catalog);
    let phrases = phrase_contributions(&active_phrases, catalog);

    let mut uncapped = vec![0.0; rules.buckets.len()];
    for contribution in &categories {
        if let Some(bucket) = rules.bucket_index(&contribution.bucket) {
            uncapped[bucket] += contribution.points;
        }
    }
    let fx_core = rules
        .bucket_index(&rules.core.bucket)
        .is_some_and(|b| uncapped[b] >= rules.core.threshold);
    let capped: Vec<f64> = uncapped
        .iter()
        .zip(&rules.buckets)
        .map(|(points, b)| points.min(b.cap))
        .collect();
    let (synergy_points, synergy_breakdown) = synergies(fx_core, &capped, rules);

    let bucket_total: f64 = capped.iter().sum();
    let phrase_total: f64 = phrases.iter().map(|p| p.points).sum();
    let mut raw_score = bucket_total + phrase_total + synergy_points;
    let applied_no_fx_guard = !fx_core;
    if applied_no_fx_guard {
        raw_score = raw_score.min(rules.core.no_core_max_score);
    }
    let final_score = round_half_up(raw_score.clamp(0.0, f64::from(rules.max_score)));

    let explanation = Explanation {
        raw_score,
        final_score,
        keyword_hits: matched.keyword_hits.clone(),
        phrase_hits: matched.phrase_hits.clone(),
        unique_categories: matched.unique_categories,
        unique_keywords: matched.unique_keywords,
        negated_keyword_hits: matched.keyword_hits.len() - active_keywords.len(),
        negated_phrase_hits: matched.phrase_hits.len() - active_phrases.len(),
        bucket_scores: rules
            .buckets
            .iter()
            .zip(&capped)
            .map(|(b, &p)| (b.name.clone(), p))
            .collect(),
        fx_core,
        applied_no_fx_guard,
        synergy_points,
        synergy_breakdown,
        categories,
        phrases,
    };
    ScoreResult {
        score: final_score,
        strong: final_score >= rules.strong_threshold,
        top_category_id: explanation.categories.first().map(|c| c.category_id.clone()),
        explanation,
    }
}

/// JavaScript's `Math.round` on a non-negative number: halves round up.
fn round_half_up(value: f64) -> u8 {
    // For x >= 0, `f64::round` (half away from zero) is exactly Math.round; the input is clamped to
    // 0..=max_score (a u8), so the cast cannot truncate.
    value.round() as u8
}

fn field_weight(field: Field, rules: &ScoringRules) -> f64 {
    match field {
        Field::Title => rules.field_weights.title,
        Field::Description => rules.field_weights.description,
    }
}

/// Per category: the best active hit's tier weight × field weight, and the number of active hits; sorted by
/// points, highest first, keeping first-seen order on ties. Hits of unknown categories are ignored.
fn category_contributions(hits: &[&KeywordHit], catalog: &CompiledCatalog) -> Vec<CategoryContribution> {
    let rules = catalog.rules();
    let mut out: Vec<CategoryContribution> = Vec::new();
    let mut position: HashMap<&str, usize> = HashMap::new();
    for hit in hits {
        let Some((index, category)) = catalog.category(&hit.category_id) else {
            continue;
        };
        let points = rules.tier_weights.get(category.tier) * field_weight(hit.field, rules);
        match position.get(hit.category_id.as_str()) {
            Some(&i) => {
                out[i].hit_count += 1;
                out[i].points = out[i].points.max(points);
            }
            None => {
                position.insert(&hit.category_id, out.len());
                let bucket = catalog
                    .bucket_of_category(index)
                    .map(|b| rules.buckets[b].name.clone());
                out.push(CategoryContribution {
                    category_id: hit.category_id.clone(),
                    bucket: bucket.unwrap_or_default(),
                    hit_count: 1,
                    points,
                });
            }
        }
    }
    // A stable sort: equal points keep first-seen order (title hits before description hits).
    out.sort_by(|a, b| b.points.total_cmp(&a.points));
    out
}

/// Per phrase: its best active hit's phrase tier weight × field weight; a phrase counts once.
fn phrase_contributions(hits: &[&PhraseHit], catalog: &CompiledCatalog) -> Vec<PhraseContribution> {
    let rules = catalog.rules();
    let mut out: Vec<PhraseContribution> = Vec::new();
    for hit in hits {
        let Some(phrase) = catalog.phrase(&hit.phrase_id) else {
            continue;
        };
        let points = rules.phrase_tier_weights.get(phrase.tier) * field_weight(hit.field, rules);
        match out.iter_mut().find(|c| c.phrase_id == hit.phrase_id) {
            Some(existing) => {
                existing.hit_count += 1;
                existing.points = existing.points.max(points);
            }
            None => out.push(PhraseContribution {
                phrase_id: hit.phrase_id.clone(),
                hit_count: 1,
                points,
            }),
        }
    }
    out
}

/// Synergies apply only with the core signal; each needs its capped bucket to reach its minimum, and their
/// total is capped.
fn synergies(fx_core: bool, capped: &[f64], rules: &ScoringRules) -> (f64, BTreeMap<String, f64>) {
    let mut breakdown = BTreeMap::new();
    if !fx_core {
        return (0.0, breakdown);
    }
    let mut total = 0.0;
    for synergy in &rules.synergies {
        let reached = rules
            .bucket_index(&synergy.bucket)
            .is_some_and(|b| capped[b] >= synergy.min_bucket_points);
        if reached {
            total += synergy.points;
            breakdown.insert(synergy.name.clone(), synergy.points);
        }
    }
    (total.min(rules.synergy_max_points), breakdown)
}

#[cfg(test)]
mod tests;
