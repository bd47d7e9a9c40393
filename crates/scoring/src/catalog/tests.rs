//! Catalog tests: the built-in data, both file formats, defaults, the version hash and located errors.

use pipeline_domain::{Classify, ErrorClass};

use super::*;

const DEFAULT_TOML: &str = include_str!("../../catalog/default.toml");
const ORIGINAL_JSON: &str = include_str!("../../tests/fixtures/catalog-v2.json");

const SMALL: &str = r#"
version = "t"

[[categories]]
id = "cat_fx_a"
name = "A"
tier = 3

[[keywords]]
id = "kw_a"
category_id = "cat_fx_a"
canonical = "A"
aliases = ["alpha", "beta gamma"]
"#;

fn issues(err: CatalogError) -> Vec<CatalogIssue> {
    match err {
        CatalogError::Invalid { issues } => issues,
        other => panic!("expected validation issues, got {other}"),
    }
}

#[test]
fn builtin_is_the_original_v2_catalog() {
    let catalog = Catalog::builtin();
    assert_eq!(
        (
            catalog.categories.len(),
            catalog.keywords.len(),
            catalog.phrases.len()
        ),
        (10, 34, 14)
    );
    assert_eq!(catalog.label, "2.0.0");
    assert_eq!(catalog.scoring, ScoringRules::default());
    catalog.validate().unwrap();
    assert_eq!(Catalog::from_json_str(ORIGINAL_JSON).unwrap(), catalog);
}

#[test]
fn default_toml_file_is_the_builtin_catalog() {
    assert_eq!(Catalog::from_toml_str(DEFAULT_TOML).unwrap(), Catalog::builtin());
    assert_eq!(
        Catalog::from_toml_str(DEFAULT_TOML).unwrap().version(),
        Catalog::builtin().version()
    );
}

#[test]
fn default_constants_are_the_originals() {
    let rules = ScoringRules::default();
    assert_eq!((rules.max_score, rules.strong_threshold), (10, 6));
    assert_eq!(
        rules.tier_weights,
        TierWeights {
            tier1: 1.0,
            tier2: 2.5,
            tier3: 4.0
        }
    );
    assert_eq!(
        rules.phrase_tier_weights,
        TierWeights {
            tier1: 0.6,
            tier2: 1.2,
            tier3: 2.0
        }
    );
    assert_eq!(
        (rules.field_weights.title, rules.field_weights.description),
        (1.5, 1.0)
    );
    let caps: Vec<(&str, f64)> = rules.buckets.iter().map(|b| (b.name.as_str(), b.cap)).collect();
    assert_eq!(
        caps,
        [
            ("direct_fx", 7.0),
            ("intl_footprint", 3.0),
            ("business_model", 2.5),
            ("tech_proxy", 1.5)
        ]
    );
    assert_eq!(
        rules.core,
        CoreGate {
            bucket: "direct_fx".into(),
            threshold: 2.0,
            no_core_max_score: 5.0
        }
    );
    assert_eq!(rules.synergy_max_points, 1.8);
    let synergies: Vec<(&str, f64, f64)> = rules
        .synergies
        .iter()
        .map(|s| (s.bucket.as_str(), s.min_bucket_points, s.points))
        .collect();
    assert_eq!(
        synergies,
        [("intl_footprint", 1.0, 1.0), ("business_model", 1.0, 0.8)]
    );
    assert_eq!(rules.negation.cues, ["no", "sin", "not", "without"]);
    assert_eq!(
        (rules.negation.window_before, rules.negation.window_after),
        (8, 2)
    );
}

#[test]
fn buckets_by_longest_prefix_else_default() {
    let mut rules = ScoringRules::default();
    assert_eq!(rules.bucket_of("cat_fx_trade_ops"), Some(0));
    assert_eq!(rules.bucket_of("cat_other"), Some(3));
    rules.buckets[1].category_prefixes.push("cat_fx_trade".into());
    assert_eq!(rules.bucket_of("cat_fx_trade_ops"), Some(1));
    assert_eq!(rules.bucket_of("cat_fx_currency_ops"), Some(0));
}

#[test]
fn toml_without_scoring_gets_defaults_and_partial_scoring_overrides_one_constant() {
    let plain = Catalog::from_toml_str(SMALL).unwrap();
    assert_eq!(plain.scoring, ScoringRules::default());
    assert!(plain.phrases.is_empty());
    let tuned = Catalog::from_toml_str(&format!(
        "{SMALL}\n[scoring]\nstrong_threshold = 7\n[scoring.core]\nthreshold = 3.5\n"
    ))
    .unwrap();
    assert_eq!(tuned.scoring.strong_threshold, 7);
    assert_eq!(tuned.scoring.core.threshold, 3.5);
    assert_eq!(tuned.scoring.core.no_core_max_score, 5.0);
    assert_eq!(tuned.scoring.buckets, ScoringRules::default().buckets);
}

#[test]
fn version_ignores_formatting_but_not_content() {
    let base = Catalog::from_toml_str(SMALL).unwrap().version();
    assert_eq!(base.len(), 16);
    assert!(base.chars().all(|c| c.is_ascii_hexdigit()));
    let reformatted = SMALL.replace(" = ", "=").replace('\n', "\n\n# comment\n");
    assert_eq!(Catalog::from_toml_str(&reformatted).unwrap().version(), base);
    let alias = SMALL.replace("\"alpha\"", "\"alpha2\"");
    assert_ne!(Catalog::from_toml_str(&alias).unwrap().version(), base);
    let constant = format!("{SMALL}\n[scoring]\nmax_score = 10\nsynergy_max_points = 1.7\n");
    assert_ne!(Catalog::from_toml_str(&constant).unwrap().version(), base);
    let same_constants = format!("{SMALL}\n[scoring]\nmax_score = 10\n");
    assert_eq!(Catalog::from_toml_str(&same_constants).unwrap().version(), base);
}

#[test]
fn toml_validation_errors_name_line_path_and_reason() {
    let text = format!(
        "{SMALL}\n[[keywords]]\nid = \"kw_a\"\ncategory_id = \"cat_missing\"\ncanonical = \" \"\naliases = [\"ok\", \"--\"]\n"
    );
    let found = issues(Catalog::from_toml_str(&text).unwrap_err());
    let summary: Vec<(Option<usize>, &str)> = found.iter().map(|i| (i.line, i.path.as_str())).collect();
    assert_eq!(
        summary,
        [
            (Some(16), "keywords[1].id"),
            (Some(17), "keywords[1].category_id"),
            (Some(18), "keywords[1].canonical"),
            (Some(19), "keywords[1].aliases[1]"),
        ]
    );
    assert!(
        found[0]
            .reason
            .contains("duplicate id `kw_a` (first at keywords[0])")
    );
    assert!(found[1].reason.contains("unknown category `cat_missing`"));
    assert!(found[3].reason.contains("no tokens"));
    assert_eq!(
        found[3].to_string(),
        "line 19, keywords[1].aliases[1]: `--` has no tokens after normalization (only separators)"
    );
}

#[test]
fn toml_tier_blank_name_and_empty_aliases_are_rejected() {
    let text = SMALL
        .replace("tier = 3", "tier = 4")
        .replace("name = \"A\"", "name = \"\"")
        .replace("aliases = [\"alpha\", \"beta gamma\"]", "aliases = []");
    let found = issues(Catalog::from_toml_str(&text).unwrap_err());
    let paths: Vec<&str> = found.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        paths,
        ["categories[0].name", "categories[0].tier", "keywords[0].aliases"]
    );
    assert_eq!(found[1].line, Some(7));
}

#[test]
fn toml_syntax_and_type_errors_name_the_line() {
    let err = Catalog::from_toml_str("version = \"x\"\n[[categories]\n").unwrap_err();
    assert!(matches!(err, CatalogError::Syntax { line: Some(2), .. }), "{err}");
    let err = Catalog::from_toml_str(&SMALL.replace("tier = 3", "tier = \"3\"")).unwrap_err();
    assert!(matches!(err, CatalogError::Syntax { line: Some(7), .. }), "{err}");
    let err = Catalog::from_toml_str(&format!("{SMALL}\n[scoring]\nstrong_treshold = 5\n")).unwrap_err();
    assert!(err.to_string().contains("strong_treshold"), "{err}");
}

#[test]
fn scoring_section_is_validated() {
    let text = format!(
        "{SMALL}\n[scoring]\nstrong_threshold = 11\ndefault_bucket = \"nope\"\n[scoring.core]\nbucket = \"x\"\n\
         [scoring.negation]\ncues = [\"no\", \"not at all\"]\n[[scoring.synergies]]\nname = \"s\"\nbucket = \"y\"\n\
         min_bucket_points = -1.0\npoints = 1.0\n"
    );
    let found = issues(Catalog::from_toml_str(&text).unwrap_err());
    let paths: Vec<&str> = found.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "scoring.strong_threshold",
            "scoring.default_bucket",
            "scoring.core.bucket",
            "scoring.synergies[0].bucket",
            "scoring.synergies[0].min_bucket_points",
            "scoring.negation.cues[1]",
        ]
    );
    assert!(found.iter().all(|i| i.line.is_some()));
}

#[test]
fn json_errors_name_the_json_path() {
    let mut doc: serde_json::Value = serde_json::from_str(ORIGINAL_JSON).unwrap();
    doc["keywords"][3]["aliases"][0] = serde_json::json!(7);
    doc["categories"][2]["tier"] = serde_json::json!("3");
    let found = issues(Catalog::from_json_str(&doc.to_string()).unwrap_err());
    let paths: Vec<&str> = found.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["categories[2].tier", "keywords[3].aliases[0]"]);

    let mut doc: serde_json::Value = serde_json::from_str(ORIGINAL_JSON).unwrap();
    doc["keywords"][5]["categoryId"] = serde_json::json!("cat_nope");
    doc["version"] = serde_json::json!("");
    let found = issues(Catalog::from_json_str(&doc.to_string()).unwrap_err());
    let shown: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "version: must be a non-blank string",
            "keywords[5].categoryId: unknown category `cat_nope`"
        ]
    );
}

#[test]
fn json_shape_errors() {
    assert!(matches!(
        Catalog::from_json_str("{\n  \"version\": ").unwrap_err(),
        CatalogError::Syntax { line: Some(2), .. }
    ));
    let found = issues(Catalog::from_json_str("[1]").unwrap_err());
    assert_eq!(found[0].path, "(root)");
    let found =
        issues(Catalog::from_json_str(r#"{"version":"1","categories":[],"keywords":[]}"#).unwrap_err());
    assert_eq!(found[0].to_string(), "phrases: must be an array");
}

#[test]
fn load_picks_the_format_by_extension_then_content() {
    let dir = std::env::temp_dir().join(format!("pipeline-scoring-catalog-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in [
        ("a.json", ORIGINAL_JSON),
        ("b.toml", DEFAULT_TOML),
        ("c.cat", ORIGINAL_JSON),
        ("d", DEFAULT_TOML),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        assert_eq!(Catalog::load(&path).unwrap(), Catalog::builtin(), "{name}");
    }
    let missing = Catalog::load(&dir.join("missing.toml")).unwrap_err();
    assert!(matches!(missing, CatalogError::Read { .. }));
    assert_eq!(missing.class(), ErrorClass::Fatal);
    std::fs::remove_dir_all(&dir).unwrap();
}
