//! docs/original-system.md#ref-16: the five original fixtures (title and description as in
//! tests/fixtures/infojobs) scored with the built-in catalog, the fx03 change of docs/stages.md#golden-scores
//! (the URL is not a signal) included. The full results
//! are also kept as a snapshot in `tests/golden/fixtures.json` (`UPDATE_GOLDEN=1` rewrites it).

use std::collections::BTreeMap;

use pipeline_scoring::{CompiledCatalog, ScoreResult, normalize_to_tokens};

const FIXTURES: [(&str, &str, &str); 5] = [
    (
        "fx01_strong_usd_signal",
        "Performance Marketing Manager (Google Ads, Meta) - Remote",
        "We manage large Google Ads and Meta Ads budgets. Experience with AWS (EC2, S3) and payments via Stripe. \
         We invoice in USD and work with international customers.",
    ),
    (
        "fx02_negation_aws",
        "Backend Developer - Node.js",
        "No experience with AWS required. You will work mostly on on-prem systems. Familiarity with Azure is a plus.",
    ),
    (
        "fx03_url_only_stripe",
        "Support Specialist",
        "Apply here: https://stripe.com/jobs/apply?id=12345 . General customer support role. No payments platform \
         experience needed.",
    ),
    (
        "fx04_word_boundary",
        "Awsome Frontend Engineer",
        "We are an awsome team building web apps. No cloud provider mentioned. Great culture and teamwork.",
    ),
    (
        "fx05_phrase_boost_fx",
        "Finance Operations Specialist",
        "Gestion de pagos internacionales y facturacion multidivisa. Coordination with external providers and \
         reporting in foreign exchange contexts.",
    ),
];

/// The score of the fixture `name`.
fn scored(name: &str) -> ScoreResult {
    let (_, title, description) = FIXTURES
        .iter()
        .find(|f| f.0 == name)
        .unwrap_or_else(|| panic!("no fixture {name}"));
    CompiledCatalog::builtin().score_posting(title, description)
}

fn active_keywords(result: &ScoreResult) -> Vec<&str> {
    let hits = result.explanation.keyword_hits.iter().filter(|h| !h.negated);
    hits.map(|h| h.keyword_id.as_str()).collect()
}

fn buckets(result: &ScoreResult) -> [f64; 4] {
    let b = &result.explanation.bucket_scores;
    [
        b["direct_fx"],
        b["intl_footprint"],
        b["business_model"],
        b["tech_proxy"],
    ]
}

#[test]
fn fx01_strong_usd_signal_scores_10() {
    let result = scored("fx01_strong_usd_signal");
    assert_eq!(
        active_keywords(&result),
        [
            "kw_google_ads",
            "kw_google_ads",
            "kw_meta_ads",
            "kw_aws",
            "kw_aws",
            "kw_aws",
            "kw_stripe",
            "kw_usd_currency",
            "kw_international_clients",
        ]
    );
    assert_eq!(buckets(&result), [4.0, 2.5, 0.0, 1.5]);
    let phrases: Vec<&str> = result
        .explanation
        .phrases
        .iter()
        .map(|p| p.phrase_id.as_str())
        .collect();
    assert_eq!(phrases, ["phrase_usd"]);
    assert!(result.explanation.fx_core);
    assert_eq!(
        result.explanation.synergy_breakdown,
        BTreeMap::from([("fx_intl".to_owned(), 1.0)])
    );
    assert_eq!(result.explanation.raw_score, 11.0);
    assert_eq!((result.score, result.strong), (10, true));
    assert_eq!(result.top_category_id.as_deref(), Some("cat_fx_currency_ops"));
}

#[test]
fn fx02_negated_aws_scores_1() {
    let result = scored("fx02_negation_aws");
    let hits: Vec<(&str, bool)> = result
        .explanation
        .keyword_hits
        .iter()
        .map(|h| (h.keyword_id.as_str(), h.negated))
        .collect();
    assert_eq!(hits, [("kw_aws", true), ("kw_azure", false)]);
    assert_eq!(buckets(&result), [0.0, 0.0, 0.0, 1.0]);
    assert!(!result.explanation.fx_core && result.explanation.applied_no_fx_guard);
    assert_eq!((result.explanation.raw_score, result.score), (1.0, 1));
    assert_eq!(result.top_category_id.as_deref(), Some("cat_proxy_cloud_stack"));
}

#[test]
fn fx03_url_only_stripe_scores_0_because_urls_are_removed() {
    let (_, _, description) = FIXTURES[2];
    assert!(
        normalize_to_tokens(description).contains(&"stripe".to_owned()),
        "the original matched the URL"
    );
    let result = scored("fx03_url_only_stripe");
    assert!(result.explanation.keyword_hits.is_empty());
    assert_eq!((result.score, result.top_category_id), (0, None));
}

#[test]
fn fx04_word_boundary_scores_0() {
    let result = scored("fx04_word_boundary");
    assert!(result.explanation.keyword_hits.is_empty() && result.explanation.phrase_hits.is_empty());
    assert_eq!((result.score, result.top_category_id), (0, None));
}

#[test]
fn fx05_phrase_boost_scores_10() {
    let result = scored("fx05_phrase_boost_fx");
    assert_eq!(
        active_keywords(&result),
        ["kw_finance_ops", "kw_international_payments", "kw_divisa"]
    );
    assert_eq!(buckets(&result), [7.0, 0.0, 2.5, 0.0]);
    let phrases: Vec<(&str, f64)> = result
        .explanation
        .phrases
        .iter()
        .map(|p| (p.phrase_id.as_str(), p.points))
        .collect();
    assert_eq!(
        phrases,
        [
            ("phrase_international_payments", 2.0),
            ("phrase_multicurrency", 2.0),
            ("phrase_forex", 2.0)
        ]
    );
    assert!(result.explanation.fx_core);
    assert_eq!(
        result.explanation.synergy_breakdown,
        BTreeMap::from([("fx_biz".to_owned(), 0.8)])
    );
    assert!((result.explanation.raw_score - 16.3).abs() < 1e-9);
    assert_eq!(result.score, 10);
    // 4.0 for both FX categories: the first seen (pagos internacionales, before multidivisa) wins.
    assert_eq!(
        result.top_category_id.as_deref(),
        Some("cat_fx_crossborder_payments")
    );
}

#[test]
fn snapshot_of_all_fixtures() {
    let all: BTreeMap<&str, ScoreResult> = FIXTURES
        .iter()
        .map(|(name, _, _)| (*name, scored(name)))
        .collect();
    let rendered = serde_json::to_string_pretty(&all).unwrap() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/fixtures.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &rendered).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        rendered, expected,
        "rerun with UPDATE_GOLDEN=1 and review the diff"
    );
}
