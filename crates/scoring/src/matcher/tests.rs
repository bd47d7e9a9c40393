//! Matcher tests: the original's keyword, phrase and negation checklist (docs/original-system.md#ref-12) and
//! compilation.

use super::*;
use crate::catalog::{Catalog, NegationRules};

fn builtin() -> CompiledCatalog {
    CompiledCatalog::builtin()
}

/// (keyword id, field, token index, negated) of every keyword hit.
fn hits(result: &MatchResult) -> Vec<(&str, Field, usize, bool)> {
    result
        .keyword_hits
        .iter()
        .map(|h| (h.keyword_id.as_str(), h.field, h.token_index, h.negated))
        .collect()
}

fn keyword_ids(result: &MatchResult) -> Vec<&str> {
    result
        .keyword_hits
        .iter()
        .map(|h| h.keyword_id.as_str())
        .collect()
}

fn negated(tokens: &[&str], start: usize, len: usize) -> bool {
    let rules = NegationRules::default();
    let cues: Vec<bool> = tokens.iter().map(|t| rules.cues.iter().any(|c| c == t)).collect();
    is_negated(&cues, start, len, &rules)
}

#[test]
fn builtin_catalog_compiles_valid() {
    let catalog = builtin();
    assert_eq!(
        CompiledCatalog::new(&Catalog::builtin()).unwrap().version(),
        catalog.version()
    );
    // 34 keywords with 81 aliases, of which "cross-border payments" and "cross border payments" are one.
    assert_eq!(catalog.aliases.len(), 80);
    assert_eq!(catalog.phrases.len(), 14);
    assert_eq!(
        catalog.category_name("cat_fx_trade_ops"),
        Some("International Trade Operations")
    );
}

#[test]
fn invalid_catalog_does_not_compile() {
    let mut catalog = Catalog::builtin();
    catalog.keywords[0].aliases.push("...".into());
    assert!(CompiledCatalog::new(&catalog).is_err());
}

#[test]
fn matches_whole_tokens_only() {
    let catalog = builtin();
    assert!(
        catalog
            .match_posting("Awsome engineer", "an awsome team, awscli, saasy, googleads")
            .keyword_hits
            .is_empty()
    );
    assert_eq!(keyword_ids(&catalog.match_posting("", "AWS")), ["kw_aws"]);
    assert_eq!(keyword_ids(&catalog.match_posting("", "(aws)")), ["kw_aws"]);
}

#[test]
fn multi_token_aliases_need_consecutive_tokens() {
    let catalog = builtin();
    assert!(
        catalog
            .match_posting("", "google the ads; finance and operations")
            .keyword_hits
            .is_empty()
    );
    assert_eq!(
        keyword_ids(&catalog.match_posting("", "Google Ads")),
        ["kw_google_ads"]
    );
    assert_eq!(
        keyword_ids(&catalog.match_posting("", "google\nads")),
        ["kw_google_ads"]
    );
}

#[test]
fn hyphen_and_slash_split_like_spaces_and_duplicate_aliases_hit_once() {
    let catalog = builtin();
    assert_eq!(
        hits(&catalog.match_posting("", "Cross-border payments")),
        [("kw_crossborder_payments", Field::Description, 0, false)]
    );
    assert_eq!(
        keyword_ids(&catalog.match_posting("", "AWS/GCP/Azure")),
        ["kw_aws", "kw_gcp", "kw_azure"]
    );
}

#[test]
fn every_occurrence_and_overlapping_alias_is_kept() {
    let catalog = builtin();
    let result = catalog.match_posting(
        "Stripe",
        "stripe, Stripe payments and google cloud platform; stripe",
    );
    assert_eq!(
        keyword_ids(&result),
        [
            "kw_stripe",
            "kw_stripe",
            "kw_stripe",
            "kw_stripe",
            "kw_gcp",
            "kw_gcp",
            "kw_stripe"
        ]
    );
    assert_eq!(result.keyword_hits[0].field, Field::Title);
    let lengths: Vec<usize> = result
        .keyword_hits
        .iter()
        .map(|h| h.matched_tokens.len())
        .collect();
    assert_eq!(lengths, [1, 1, 1, 2, 2, 3, 1]);
    assert_eq!((result.unique_keywords, result.unique_categories), (2, 2));
}

#[test]
fn empty_title_or_description_is_fine() {
    let catalog = builtin();
    assert_eq!(catalog.match_posting("", ""), MatchResult::default());
    assert_eq!(
        keyword_ids(&catalog.match_posting("Treasury analyst", "")),
        ["kw_treasury"]
    );
    assert_eq!(
        keyword_ids(&catalog.match_posting("", "Treasury analyst")),
        ["kw_treasury"]
    );
}

#[test]
fn unique_counts_include_negated_hits() {
    let catalog = builtin();
    let result = catalog.match_posting(
        "",
        "No AWS. One, two, three, four, five, six: EMEA and LATAM via Stripe.",
    );
    assert_eq!(
        hits(&result),
        [
            ("kw_aws", Field::Description, 1, true),
            ("kw_emea", Field::Description, 8, true),
            ("kw_latam", Field::Description, 10, false),
            ("kw_stripe", Field::Description, 12, false),
        ]
    );
    assert_eq!((result.unique_keywords, result.unique_categories), (4, 3));
}

#[test]
fn phrases_are_matched_separately_from_keywords() {
    let catalog = builtin();
    let result = catalog.match_posting(
        "Expansión internacional",
        "Pagos internacionales, y luego sin ventas internacionales",
    );
    let phrases: Vec<(&str, Field, usize, bool)> = result
        .phrase_hits
        .iter()
        .map(|h| (h.phrase_id.as_str(), h.field, h.token_index, h.negated))
        .collect();
    // "sin" is past the 2-token window after "pagos internacionales", and right before "ventas".
    assert_eq!(
        phrases,
        [
            ("phrase_global_expansion", Field::Title, 0, false),
            ("phrase_international_payments", Field::Description, 0, false),
            ("phrase_international_sales", Field::Description, 5, true),
        ]
    );
    assert_eq!(
        keyword_ids(&result),
        ["kw_international_payments", "kw_ecommerce_international"]
    );
}

#[test]
fn currency_symbols_match_currency_keywords_and_phrases() {
    let catalog = builtin();
    let result = catalog.match_posting("", "Salary $90k, bonus in €");
    assert_eq!(hits(&result), [("kw_usd_currency", Field::Description, 2, false)]);
    assert_eq!(result.keyword_hits[0].matched_tokens, ["usd"]);
    let phrases: Vec<&str> = result.phrase_hits.iter().map(|h| h.phrase_id.as_str()).collect();
    assert_eq!(phrases, ["phrase_usd", "phrase_eur"]);
}

#[test]
fn country_augmentation_feeds_aliases() {
    let catalog = builtin();
    let result = catalog.match_posting("", "Clientes en Latinoamérica");
    assert_eq!(
        hits(&result),
        [
            ("kw_latam", Field::Description, 2, false),
            ("kw_latam", Field::Description, 3, false)
        ]
    );
}

#[test]
fn urls_and_markup_are_not_signals() {
    let catalog = builtin();
    let result = catalog.match_posting("Support", "Apply: https://stripe.com/jobs?id=1 or www.aws.com/x");
    assert!(result.keyword_hits.is_empty());
    let result = catalog.match_posting("", "<p>We use <a href=\"https://adyen.com\">Adyen</a></p>");
    assert_eq!(keyword_ids(&result), ["kw_adyen"]);
    assert_eq!(
        keyword_ids(&catalog.match_posting("", "&lt;li&gt;Tesorer&iacute;a&lt;/li&gt;")),
        ["kw_treasury"]
    );
}

#[test]
fn negation_window_before_is_eight_tokens() {
    assert!(negated(&["no", "aws", "experience"], 1, 1));
    assert!(negated(&["sin", "experiencia", "aws"], 2, 1));
    assert!(negated(
        &["no", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "aws"],
        8,
        1
    ));
    assert!(!negated(
        &["no", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "aws"],
        9,
        1
    ));
}

#[test]
fn negation_window_after_is_two_tokens() {
    assert!(negated(&["aws", "not", "required"], 0, 1));
    assert!(negated(&["aws", "t1", "not"], 0, 1));
    assert!(!negated(&["aws", "t1", "t2", "not"], 0, 1));
}

#[test]
fn negation_spans_multi_token_matches_and_excludes_their_own_tokens() {
    assert!(negated(&["no", "full", "stack", "experience"], 1, 2));
    assert!(negated(&["full", "stack", "not", "required"], 0, 2));
    assert!(!negated(&["aws", "no", "experience"], 1, 2));
    assert!(!negated(&["aws"], 0, 1));
    assert!(!negated(&["experience", "aws"], 1, 1));
    for cue in ["no", "sin", "not", "without"] {
        assert!(negated(&[cue, "aws"], 1, 1), "{cue}");
    }
}

#[test]
fn list_negation_reaches_every_item_in_the_window() {
    let result = builtin().match_posting("", "No AWS, GCP or Azure required");
    assert!(result.keyword_hits.iter().all(|h| h.negated));
    assert_eq!(result.keyword_hits.len(), 3);
}

#[test]
fn negation_cues_and_windows_come_from_the_catalog() {
    let mut catalog = Catalog::builtin();
    catalog.scoring.negation = NegationRules {
        cues: vec!["Nada".into()],
        window_before: 1,
        window_after: 0,
    };
    let compiled = CompiledCatalog::new(&catalog).unwrap();
    let result = compiled.match_posting("", "no aws; nada gcp; nada x azure; adyen nada");
    assert_eq!(
        hits(&result),
        [
            ("kw_aws", Field::Description, 1, false),
            ("kw_gcp", Field::Description, 3, true),
            ("kw_azure", Field::Description, 6, false),
            ("kw_adyen", Field::Description, 7, false),
        ]
    );
}

#[test]
fn entries_sharing_first_words_are_all_found_in_catalog_order() {
    let mut catalog = Catalog::builtin();
    let keyword = |id: &str, aliases: &[&str]| crate::catalog::Keyword {
        id: id.into(),
        category_id: "cat_fx_currency_ops".into(),
        canonical: id.into(),
        aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
    };
    catalog.keywords.push(keyword(
        "kw_data_x",
        &["data", "data platform team", "data platform"],
    ));
    catalog
        .keywords
        .push(keyword("kw_data_y", &["data platform", "data lake"]));
    catalog.phrases.push(crate::catalog::Phrase {
        id: "phrase_data_platform".into(),
        phrase: "data platform".into(),
        tier: 1,
    });
    let compiled = CompiledCatalog::new(&catalog).unwrap();
    let result = compiled.match_posting("", "our data platform team, data lake and data");
    let found: Vec<(&str, usize, usize)> = result
        .keyword_hits
        .iter()
        .map(|h| (h.keyword_id.as_str(), h.token_index, h.matched_tokens.len()))
        .collect();
    assert_eq!(
        found,
        [
            ("kw_data_x", 1, 1),
            ("kw_data_x", 1, 3),
            ("kw_data_x", 1, 2),
            ("kw_data_y", 1, 2),
            ("kw_data_x", 4, 1),
            ("kw_data_y", 4, 2),
            ("kw_data_x", 7, 1),
        ]
    );
    let phrases: Vec<(&str, usize)> = result
        .phrase_hits
        .iter()
        .map(|h| (h.phrase_id.as_str(), h.token_index))
        .collect();
    assert_eq!(phrases, [("phrase_data_platform", 1)]);
}
