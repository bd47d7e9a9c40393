//! Scorer tests: the original's scorer cases (docs/original-system.md#ref-12: caps, core gate, guard,
//! synergies, non-stacking, top category) on match results built by hand, plus rounding and catalog-driven
//! constants.

use super::*;
use crate::catalog::{Bucket, Catalog, Category, Keyword, Phrase};
use crate::matcher::{Field, KeywordHit, MatchResult, PhraseHit};

use Field::{Description as D, Title as T};

fn test_catalog() -> Catalog {
    let category = |id: &str, tier| Category {
        id: id.into(),
        name: id.into(),
        tier,
    };
    let phrase = |id: &str, text: &str, tier| Phrase {
        id: id.into(),
        phrase: text.into(),
        tier,
    };
    Catalog {
        label: "0.0.0-test".into(),
        categories: vec![
            category("cat_fx_currency", 3),
            category("cat_fx_payments", 3),
            category("cat_intl_market", 2),
            category("cat_biz_saas", 2),
            category("cat_proxy_cloud", 1),
            category("cat_proxy_growth", 1),
        ],
        keywords: vec![Keyword {
            id: "kw_dummy".into(),
            category_id: "cat_fx_currency".into(),
            canonical: "Dummy".into(),
            aliases: vec!["dummy".into()],
        }],
        phrases: vec![
            phrase("phrase_1", "usd", 3),
            phrase("phrase_2", "intl", 2),
            phrase("phrase_negated", "no", 3),
            phrase("phrase_active", "yes", 2),
        ],
        scoring: ScoringRules::default(),
    }
}

fn compiled(catalog: &Catalog) -> CompiledCatalog {
    CompiledCatalog::new(catalog).unwrap()
}

fn kw(category_id: &str, field: Field, negated: bool) -> KeywordHit {
    KeywordHit {
        keyword_id: format!("kw_{category_id}"),
        category_id: category_id.into(),
        field,
        token_index: 0,
        matched_tokens: vec!["t".into()],
        negated,
    }
}

fn ph(phrase_id: &str, field: Field, negated: bool) -> PhraseHit {
    PhraseHit {
        phrase_id: phrase_id.into(),
        field,
        token_index: 0,
        matched_tokens: vec!["t".into()],
        negated,
    }
}

fn run(keywords: Vec<KeywordHit>, phrases: Vec<PhraseHit>) -> ScoreResult {
    score(&MatchResult::new(keywords, phrases), &compiled(&test_catalog()))
}

fn bucket(result: &ScoreResult, name: &str) -> f64 {
    result.explanation.bucket_scores[name]
}

#[test]
fn no_hits_score_zero_with_the_guard_applied() {
    let result = run(vec![], vec![]);
    assert_eq!(
        (result.score, result.top_category_id.as_deref(), result.strong),
        (0, None, false)
    );
    let e = &result.explanation;
    assert_eq!(e.raw_score, 0.0);
    let buckets: Vec<(&str, f64)> = e.bucket_scores.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        buckets,
        [
            ("business_model", 0.0),
            ("direct_fx", 0.0),
            ("intl_footprint", 0.0),
            ("tech_proxy", 0.0)
        ]
    );
    assert!(!e.fx_core && e.applied_no_fx_guard);
}

#[test]
fn raw_scores_above_the_maximum_clamp_to_ten() {
    let hits = vec![
        kw("cat_fx_currency", T, false),
        kw("cat_intl_market", T, false),
        kw("cat_biz_saas", T, false),
    ];
    let result = run(hits, vec![ph("phrase_1", T, false), ph("phrase_2", T, false)]);
    assert!(result.explanation.raw_score > 10.0);
    assert_eq!(result.score, 10);
    assert!(result.explanation.fx_core && !result.explanation.applied_no_fx_guard);
}

#[test]
fn category_points_are_tier_weight_times_field_weight() {
    let result = run(vec![kw("cat_fx_currency", T, false)], vec![]);
    assert_eq!(result.explanation.categories[0].points, 6.0);
    assert_eq!(result.explanation.categories[0].bucket, "direct_fx");
    assert_eq!(bucket(&result, "direct_fx"), 6.0);
    assert!(result.explanation.fx_core && !result.explanation.applied_no_fx_guard);
    assert_eq!(result.score, 6);
    assert!(result.strong);
}

#[test]
fn hits_of_one_category_do_not_stack() {
    let hits = vec![
        kw("cat_fx_currency", T, false),
        kw("cat_fx_currency", D, false),
        kw("cat_fx_currency", D, false),
    ];
    let result = run(hits, vec![]);
    assert_eq!(result.explanation.categories.len(), 1);
    assert_eq!(
        (
            result.explanation.categories[0].hit_count,
            result.explanation.categories[0].points
        ),
        (3, 6.0)
    );
    assert_eq!(bucket(&result, "direct_fx"), 6.0);
}

#[test]
fn categories_add_up_in_their_buckets() {
    let hits = vec![
        kw("cat_fx_currency", T, false),
        kw("cat_intl_market", D, false),
        kw("cat_proxy_cloud", D, false),
    ];
    let result = run(hits, vec![]);
    assert_eq!(result.explanation.categories.len(), 3);
    assert_eq!(
        (bucket(&result, "direct_fx"), bucket(&result, "intl_footprint")),
        (6.0, 2.5)
    );
    assert_eq!(
        (bucket(&result, "tech_proxy"), bucket(&result, "business_model")),
        (1.0, 0.0)
    );
    // 6 + 2.5 + 1 + synergy fx_intl 1.0 = 10.5 → clamp 10.
    assert_eq!(result.explanation.raw_score, 10.5);
}

#[test]
fn a_phrase_counts_once_with_its_best_field() {
    let result = run(
        vec![],
        vec![
            ph("phrase_1", T, false),
            ph("phrase_1", D, false),
            ph("phrase_1", D, false),
        ],
    );
    assert_eq!(result.explanation.phrases.len(), 1);
    assert_eq!(
        (
            result.explanation.phrases[0].hit_count,
            result.explanation.phrases[0].points
        ),
        (3, 3.0)
    );
    assert_eq!(result.score, 3);
}

#[test]
fn different_phrases_add_up() {
    let result = run(vec![], vec![ph("phrase_1", D, false), ph("phrase_2", D, false)]);
    assert_eq!(result.explanation.phrases.len(), 2);
    assert_eq!(result.explanation.raw_score, 2.0 + 1.2);
    assert_eq!(result.score, 3);
}

#[test]
fn negated_keyword_and_phrase_hits_score_nothing() {
    let keywords = vec![kw("cat_fx_currency", T, true), kw("cat_intl_market", D, false)];
    let phrases = vec![ph("phrase_negated", D, true), ph("phrase_active", D, false)];
    let result = run(keywords, phrases);
    let e = &result.explanation;
    assert_eq!((e.negated_keyword_hits, e.negated_phrase_hits), (1, 1));
    assert_eq!(e.categories.len(), 1);
    assert_eq!(e.categories[0].category_id, "cat_intl_market");
    assert_eq!(e.phrases.len(), 1);
    assert_eq!(result.score, 4); // 2.5 + 1.2 = 3.7
    assert!(!e.fx_core && e.applied_no_fx_guard);
    assert_eq!((e.unique_categories, e.keyword_hits.len()), (2, 2));
}

#[test]
fn top_category_has_the_most_points() {
    let result = run(
        vec![kw("cat_proxy_cloud", D, false), kw("cat_fx_currency", T, false)],
        vec![],
    );
    assert_eq!(result.top_category_id.as_deref(), Some("cat_fx_currency"));
}

#[test]
fn top_category_ties_go_to_the_first_seen() {
    let hits = vec![
        kw("cat_biz_saas", T, false),
        kw("cat_fx_payments", D, false),
        kw("cat_fx_currency", D, false),
    ];
    let result = run(hits, vec![]);
    let order: Vec<&str> = result
        .explanation
        .categories
        .iter()
        .map(|c| c.category_id.as_str())
        .collect();
    assert_eq!(order, ["cat_fx_payments", "cat_fx_currency", "cat_biz_saas"]);
    assert_eq!(result.top_category_id.as_deref(), Some("cat_fx_payments"));
}

#[test]
fn buckets_are_capped_after_the_core_check() {
    let result = run(
        vec![kw("cat_fx_currency", T, false), kw("cat_fx_payments", T, false)],
        vec![],
    );
    assert_eq!(bucket(&result, "direct_fx"), 7.0);
    assert!(result.explanation.fx_core);
    let proxies = run(
        vec![kw("cat_proxy_cloud", T, false), kw("cat_proxy_growth", T, false)],
        vec![],
    );
    assert_eq!(bucket(&proxies, "tech_proxy"), 1.5);
}

#[test]
fn core_needs_the_core_bucket_to_reach_the_threshold() {
    let result = run(vec![kw("cat_fx_currency", D, false)], vec![]);
    assert_eq!(bucket(&result, "direct_fx"), 4.0);
    assert!(result.explanation.fx_core && !result.explanation.applied_no_fx_guard);
    let without = run(vec![kw("cat_intl_market", T, false)], vec![]);
    assert_eq!(bucket(&without, "direct_fx"), 0.0);
    assert!(!without.explanation.fx_core && without.explanation.applied_no_fx_guard);
    assert!(without.score <= 5);
}

#[test]
fn phrases_do_not_make_the_core() {
    let result = run(
        vec![],
        vec![
            ph("phrase_1", T, false),
            ph("phrase_2", T, false),
            ph("phrase_active", T, false),
        ],
    );
    assert!(!result.explanation.fx_core);
    assert_eq!(result.explanation.raw_score, 5.0);
    assert_eq!(result.score, 5);
}

#[test]
fn without_core_the_raw_score_is_capped_at_five() {
    let hits = vec![
        kw("cat_proxy_cloud", T, false),
        kw("cat_intl_market", T, false),
        kw("cat_biz_saas", T, false),
    ];
    let result = run(hits, vec![]);
    // Uncapped 1.5 + 3.75 + 3.75; capped 1.5 + 3.0 + 2.5 = 7.0; guarded to 5.0; no synergy without core.
    assert_eq!(result.explanation.raw_score, 5.0);
    assert_eq!((result.score, result.explanation.synergy_points), (5, 0.0));
    assert!(result.explanation.synergy_breakdown.is_empty());
}

#[test]
fn with_core_the_score_can_pass_five() {
    let result = run(
        vec![kw("cat_fx_currency", T, false), kw("cat_intl_market", T, false)],
        vec![ph("phrase_1", T, false)],
    );
    assert!(result.explanation.fx_core && !result.explanation.applied_no_fx_guard);
    assert!(result.score > 5);
}

#[test]
fn synergies_add_with_core_and_round_half_up() {
    let result = run(
        vec![kw("cat_fx_currency", D, false), kw("cat_intl_market", D, false)],
        vec![],
    );
    // 4.0 + 2.5 + fx_intl 1.0 = 7.5, and Math.round(7.5) = 8.
    assert_eq!(result.explanation.raw_score, 7.5);
    assert_eq!(result.explanation.synergy_breakdown.get("fx_intl"), Some(&1.0));
    assert_eq!(result.score, 8);
    let biz = run(
        vec![kw("cat_fx_currency", D, false), kw("cat_biz_saas", D, false)],
        vec![],
    );
    assert_eq!(biz.explanation.synergy_points, 0.8);
    assert_eq!(biz.explanation.raw_score, 4.0 + 2.5 + 0.8);
    assert_eq!(biz.score, 7);
}

#[test]
fn synergies_are_capped_in_total() {
    let hits = vec![
        kw("cat_fx_currency", D, false),
        kw("cat_intl_market", D, false),
        kw("cat_biz_saas", D, false),
    ];
    let result = run(hits.clone(), vec![]);
    assert_eq!(result.explanation.synergy_points, 1.8);
    assert_eq!(result.explanation.synergy_breakdown.len(), 2);
    let mut catalog = test_catalog();
    catalog.scoring.synergy_max_points = 1.5;
    let capped = score(&MatchResult::new(hits, vec![]), &compiled(&catalog));
    assert_eq!(capped.explanation.synergy_points, 1.5);
    assert_eq!(capped.explanation.synergy_breakdown.values().sum::<f64>(), 1.8);
}

#[test]
fn a_synergy_needs_its_bucket_minimum() {
    let mut catalog = test_catalog();
    catalog.scoring.synergies[0].min_bucket_points = 3.0;
    let hits = vec![kw("cat_fx_currency", D, false), kw("cat_intl_market", D, false)];
    let result = score(&MatchResult::new(hits, vec![]), &compiled(&catalog));
    assert_eq!(result.explanation.synergy_points, 0.0);
    assert_eq!(result.score, 7); // 6.5 rounds up
}

#[test]
fn hits_of_unknown_categories_and_phrases_are_ignored() {
    let result = run(
        vec![kw("cat_unknown", T, false)],
        vec![ph("phrase_unknown", T, false)],
    );
    assert!(result.explanation.categories.is_empty() && result.explanation.phrases.is_empty());
    assert_eq!(result.score, 0);
}

#[test]
fn constants_and_buckets_come_from_the_catalog() {
    let mut catalog = test_catalog();
    catalog.scoring.buckets = vec![
        Bucket {
            name: "core".into(),
            cap: 3.0,
            category_prefixes: vec!["cat_proxy_".into()],
        },
        Bucket {
            name: "rest".into(),
            cap: 10.0,
            category_prefixes: vec![],
        },
    ];
    catalog.scoring.default_bucket = "rest".into();
    catalog.scoring.core.bucket = "core".into();
    catalog.scoring.core.threshold = 1.0;
    catalog.scoring.synergies.clear();
    catalog.scoring.strong_threshold = 9;
    let hits = vec![kw("cat_proxy_cloud", T, false), kw("cat_fx_currency", T, false)];
    let result = score(&MatchResult::new(hits, vec![]), &compiled(&catalog));
    assert!(result.explanation.fx_core);
    assert_eq!((bucket(&result, "core"), bucket(&result, "rest")), (1.5, 6.0));
    assert_eq!((result.score, result.strong), (8, false));
}

#[test]
fn explanation_round_trips_through_json() {
    let result = run(
        vec![kw("cat_fx_currency", D, false)],
        vec![ph("phrase_1", T, true)],
    );
    let json = serde_json::to_string(&result).unwrap();
    assert!(json.contains("\"applied_no_fx_guard\":false"));
    assert_eq!(serde_json::from_str::<ScoreResult>(&json).unwrap(), result);
}
