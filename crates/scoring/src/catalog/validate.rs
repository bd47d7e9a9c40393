//! The validation rules of docs/original-system.md#ref-7 (ids, names, tiers, duplicates, references, aliases
//! and phrases that normalize to tokens) plus those of the scoring section, each problem with the key path
//! it concerns.

use std::collections::HashMap;

use super::{Catalog, ScoringRules, TierWeights};
use crate::normalize::normalize_to_tokens;

/// One step of a key path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(&'static str),
    Index(usize),
}

/// A problem at a path, before it is located in a file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Issue {
    pub path: Vec<Seg>,
    pub reason: String,
}

use Seg::{Index, Key};

#[derive(Default)]
struct Issues(Vec<Issue>);

impl Issues {
    fn push(&mut self, path: &[Seg], reason: impl Into<String>) {
        self.0.push(Issue {
            path: path.to_vec(),
            reason: reason.into(),
        });
    }

    fn non_blank(&mut self, path: &[Seg], value: &str) {
        if value.trim().is_empty() {
            self.push(path, "must be a non-blank string");
        }
    }

    fn tier(&mut self, path: &[Seg], tier: u8) {
        if !(1..=3).contains(&tier) {
            self.push(path, format!("tier must be 1, 2 or 3, not {tier}"));
        }
    }

    /// Records a duplicate id, naming where the first one is.
    fn unique<'a>(
        &mut self,
        seen: &mut HashMap<&'a str, usize>,
        list: &'static str,
        index: usize,
        id: &'a str,
    ) {
        if id.trim().is_empty() {
            return;
        }
        if let Some(first) = seen.insert(id, index) {
            seen.insert(id, first);
            self.push(
                &[Key(list), Index(index), Key("id")],
                format!("duplicate id `{id}` (first at {list}[{first}])"),
            );
        }
    }

    /// A text the matcher can find: non-blank and at least one token after normalization.
    fn matchable(&mut self, path: &[Seg], text: &str) {
        if text.trim().is_empty() {
            self.push(path, "must be a non-blank string");
        } else if normalize_to_tokens(text).is_empty() {
            self.push(
                path,
                format!("`{text}` has no tokens after normalization (only separators)"),
            );
        }
    }

    fn weight(&mut self, path: &[Seg], value: f64) {
        if !(value.is_finite() && value >= 0.0) {
            self.push(path, format!("must be a finite number >= 0, not {value}"));
        }
    }
}

/// Every problem of the catalog, in file order; empty when it is valid.
pub(crate) fn issues(catalog: &Catalog) -> Vec<Issue> {
    let mut issues = Issues::default();
    categories(catalog, &mut issues);
    keywords(catalog, &mut issues);
    phrases(catalog, &mut issues);
    scoring(&catalog.scoring, &mut issues);
    issues.0
}

fn categories(catalog: &Catalog, issues: &mut Issues) {
    if catalog.categories.is_empty() {
        issues.push(&[Key("categories")], "at least one category is required");
    }
    let mut seen = HashMap::new();
    for (i, category) in catalog.categories.iter().enumerate() {
        let at = |field| [Key("categories"), Index(i), Key(field)];
        issues.non_blank(&at("id"), &category.id);
        issues.unique(&mut seen, "categories", i, &category.id);
        issues.non_blank(&at("name"), &category.name);
        issues.tier(&at("tier"), category.tier);
    }
}

fn keywords(catalog: &Catalog, issues: &mut Issues) {
    if catalog.keywords.is_empty() {
        issues.push(&[Key("keywords")], "at least one keyword is required");
    }
    let mut seen = HashMap::new();
    for (i, keyword) in catalog.keywords.iter().enumerate() {
        let at = |field| [Key("keywords"), Index(i), Key(field)];
        issues.non_blank(&at("id"), &keyword.id);
        issues.unique(&mut seen, "keywords", i, &keyword.id);
        issues.non_blank(&at("category_id"), &keyword.category_id);
        let known = catalog.categories.iter().any(|c| c.id == keyword.category_id);
        if !keyword.category_id.trim().is_empty() && !known {
            issues.push(
                &at("category_id"),
                format!("unknown category `{}`", keyword.category_id),
            );
        }
        issues.non_blank(&at("canonical"), &keyword.canonical);
        if keyword.aliases.is_empty() {
            issues.push(&at("aliases"), "at least one alias is required");
        }
        for (j, alias) in keyword.aliases.iter().enumerate() {
            issues.matchable(&[Key("keywords"), Index(i), Key("aliases"), Index(j)], alias);
        }
    }
}

fn phrases(catalog: &Catalog, issues: &mut Issues) {
    let mut seen = HashMap::new();
    for (i, phrase) in catalog.phrases.iter().enumerate() {
        let at = |field| [Key("phrases"), Index(i), Key(field)];
        issues.non_blank(&at("id"), &phrase.id);
        issues.unique(&mut seen, "phrases", i, &phrase.id);
        issues.matchable(&at("phrase"), &phrase.phrase);
        issues.tier(&at("tier"), phrase.tier);
    }
}

fn scoring(rules: &ScoringRules, issues: &mut Issues) {
    let at = |field| [Key("scoring"), Key(field)];
    if rules.max_score == 0 {
        issues.push(&at("max_score"), "must be at least 1");
    }
    if rules.strong_threshold > rules.max_score {
        issues.push(
            &at("strong_threshold"),
            format!("must not exceed max_score ({})", rules.max_score),
        );
    }
    tier_weights(issues, "tier_weights", &rules.tier_weights);
    tier_weights(issues, "phrase_tier_weights", &rules.phrase_tier_weights);
    issues.weight(
        &[Key("scoring"), Key("field_weights"), Key("title")],
        rules.field_weights.title,
    );
    issues.weight(
        &[Key("scoring"), Key("field_weights"), Key("description")],
        rules.field_weights.description,
    );
    buckets(rules, issues);
    if rules.bucket_index(&rules.default_bucket).is_none() {
        issues.push(
            &at("default_bucket"),
            format!("no bucket named `{}`", rules.default_bucket),
        );
    }
    let core = |field| [Key("scoring"), Key("core"), Key(field)];
    if rules.bucket_index(&rules.core.bucket).is_none() {
        issues.push(
            &core("bucket"),
            format!("no bucket named `{}`", rules.core.bucket),
        );
    }
    issues.weight(&core("threshold"), rules.core.threshold);
    issues.weight(&core("no_core_max_score"), rules.core.no_core_max_score);
    issues.weight(&at("synergy_max_points"), rules.synergy_max_points);
    synergies(rules, issues);
    negation(rules, issues);
}

fn tier_weights(issues: &mut Issues, table: &'static str, weights: &TierWeights) {
    for (key, value) in [("1", weights.tier1), ("2", weights.tier2), ("3", weights.tier3)] {
        issues.weight(&[Key("scoring"), Key(table), Key(key)], value);
    }
}

fn buckets(rules: &ScoringRules, issues: &mut Issues) {
    if rules.buckets.is_empty() {
        issues.push(
            &[Key("scoring"), Key("buckets")],
            "at least one bucket is required",
        );
    }
    for (i, bucket) in rules.buckets.iter().enumerate() {
        let at = |field| [Key("scoring"), Key("buckets"), Index(i), Key(field)];
        issues.non_blank(&at("name"), &bucket.name);
        if rules.bucket_index(&bucket.name) != Some(i) {
            issues.push(&at("name"), format!("duplicate bucket name `{}`", bucket.name));
        }
        issues.weight(&at("cap"), bucket.cap);
        for (j, prefix) in bucket.category_prefixes.iter().enumerate() {
            let path = [
                Key("scoring"),
                Key("buckets"),
                Index(i),
                Key("category_prefixes"),
                Index(j),
            ];
            issues.non_blank(&path, prefix);
        }
    }
}

fn synergies(rules: &ScoringRules, issues: &mut Issues) {
    for (i, synergy) in rules.synergies.iter().enumerate() {
        let at = |field| [Key("scoring"), Key("synergies"), Index(i), Key(field)];
        issues.non_blank(&at("name"), &synergy.name);
        if rules.synergies.iter().position(|s| s.name == synergy.name) != Some(i) {
            issues.push(&at("name"), format!("duplicate synergy name `{}`", synergy.name));
        }
        if rules.bucket_index(&synergy.bucket).is_none() {
            issues.push(&at("bucket"), format!("no bucket named `{}`", synergy.bucket));
        }
        issues.weight(&at("min_bucket_points"), synergy.min_bucket_points);
        issues.weight(&at("points"), synergy.points);
    }
}

fn negation(rules: &ScoringRules, issues: &mut Issues) {
    for (i, cue) in rules.negation.cues.iter().enumerate() {
        let tokens = normalize_to_tokens(cue);
        if tokens.len() != 1 {
            let path = [Key("scoring"), Key("negation"), Key("cues"), Index(i)];
            issues.push(
                &path,
                format!(
                    "a negation cue must be exactly one token; `{cue}` is {}",
                    tokens.len()
                ),
            );
        }
    }
}
