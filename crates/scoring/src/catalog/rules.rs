//! The scorer's constants as catalog data (docs/stages.md#scoring-rules), defaulting to the original's values
//! (docs/original-system.md#ref-8-2 and #ref-8-3). Every field may be omitted from a `[scoring]` section and
//! keeps its default.

use serde::{Deserialize, Serialize};

/// How hits become a 0..=`max_score` score: weights, buckets, the core gate, synergies, negation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScoringRules {
    /// The top of the integer score scale (10).
    pub max_score: u8,
    /// Scores at or above this are "strong" (6).
    pub strong_threshold: u8,
    /// Points of a keyword hit by its category's tier, before the field weight.
    pub tier_weights: TierWeights,
    /// Points of a phrase hit by the phrase's tier, before the field weight.
    pub phrase_tier_weights: TierWeights,
    /// Multiplier by the field a hit was found in.
    pub field_weights: FieldWeights,
    /// Buckets, each summing its categories' points up to a cap. Declaration order is summation order.
    pub buckets: Vec<Bucket>,
    /// The bucket of categories that no bucket's prefixes claim.
    pub default_bucket: String,
    /// The core signal: without it the score is capped and no synergy applies.
    pub core: CoreGate,
    /// Cap on the sum of all synergy points.
    pub synergy_max_points: f64,
    /// Bonuses for a core signal seen together with another bucket.
    pub synergies: Vec<Synergy>,
    /// Which words near a hit negate it.
    pub negation: NegationRules,
}

/// Weights for tiers 1, 2 and 3 (TOML keys `1`, `2`, `3`; a table given must name all three).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierWeights {
    /// Tier 1 (proxy signals).
    #[serde(rename = "1")]
    pub tier1: f64,
    /// Tier 2 (business signals).
    #[serde(rename = "2")]
    pub tier2: f64,
    /// Tier 3 (core signals).
    #[serde(rename = "3")]
    pub tier3: f64,
}

/// Field multipliers: a signal in the title counts more than in the description.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FieldWeights {
    /// Multiplier of a hit in the title.
    pub title: f64,
    /// Multiplier of a hit in the description.
    pub description: f64,
}

/// A named group of categories whose points add up to at most `cap`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bucket {
    /// The name explanations and synergies use.
    pub name: String,
    /// The most its categories' points add up to.
    pub cap: f64,
    /// A category belongs to the bucket with the longest prefix of its id (first declared on a tie).
    #[serde(default)]
    pub category_prefixes: Vec<String>,
}

/// The core gate: the uncapped points of `bucket` must reach `threshold` (phrases do not count), else the
/// raw score is capped at `no_core_max_score`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CoreGate {
    /// The core bucket's name.
    pub bucket: String,
    /// The uncapped points the core bucket must reach.
    pub threshold: f64,
    /// The raw score's cap without the core signal.
    pub no_core_max_score: f64,
}

/// `points` added when the core gate passes and the capped `bucket` reaches `min_bucket_points`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Synergy {
    /// The name shown in the explanation's synergy breakdown.
    pub name: String,
    /// The bucket seen together with the core signal.
    pub bucket: String,
    /// The capped points that bucket must reach.
    pub min_bucket_points: f64,
    /// The points added.
    pub points: f64,
}

/// A hit is negated when a cue token occurs within `window_before` tokens before it or `window_after`
/// tokens after it (the hit's own tokens excluded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NegationRules {
    /// The negating words (`no`, `sin`, `not`, `without`, ...); single-token cues only are used.
    pub cues: Vec<String>,
    /// Tokens looked at before the hit.
    pub window_before: usize,
    /// Tokens looked at after the hit.
    pub window_after: usize,
}

impl TierWeights {
    /// The weight of a tier; tiers outside 1..=3 (rejected by validation) weigh nothing.
    pub fn get(&self, tier: u8) -> f64 {
        match tier {
            1 => self.tier1,
            2 => self.tier2,
            3 => self.tier3,
            _ => 0.0,
        }
    }

    fn keyword_defaults() -> TierWeights {
        TierWeights {
            tier1: 1.0,
            tier2: 2.5,
            tier3: 4.0,
        }
    }

    fn phrase_defaults() -> TierWeights {
        TierWeights {
            tier1: 0.6,
            tier2: 1.2,
            tier3: 2.0,
        }
    }
}

impl Default for FieldWeights {
    fn default() -> Self {
        FieldWeights {
            title: 1.5,
            description: 1.0,
        }
    }
}

impl Default for CoreGate {
    fn default() -> Self {
        CoreGate {
            bucket: "direct_fx".into(),
            threshold: 2.0,
            no_core_max_score: 5.0,
        }
    }
}

impl Default for NegationRules {
    fn default() -> Self {
        NegationRules {
            cues: ["no", "sin", "not", "without"].map(String::from).to_vec(),
            window_before: 8,
            window_after: 2,
        }
    }
}

impl Default for ScoringRules {
    fn default() -> Self {
        let bucket = |name: &str, cap: f64, prefix: &str| Bucket {
            name: name.into(),
            cap,
            category_prefixes: vec![prefix.into()],
        };
        let synergy = |name: &str, bucket: &str, points: f64| Synergy {
            name: name.into(),
            bucket: bucket.into(),
            min_bucket_points: 1.0,
            points,
        };
        ScoringRules {
            max_score: 10,
            strong_threshold: 6,
            tier_weights: TierWeights::keyword_defaults(),
            phrase_tier_weights: TierWeights::phrase_defaults(),
            field_weights: FieldWeights::default(),
            buckets: vec![
                bucket("direct_fx", 7.0, "cat_fx_"),
                bucket("intl_footprint", 3.0, "cat_intl_"),
                bucket("business_model", 2.5, "cat_biz_"),
                bucket("tech_proxy", 1.5, "cat_proxy_"),
            ],
            default_bucket: "tech_proxy".into(),
            core: CoreGate::default(),
            synergy_max_points: 1.8,
            synergies: vec![
                synergy("fx_intl", "intl_footprint", 1.0),
                synergy("fx_biz", "business_model", 0.8),
            ],
            negation: NegationRules::default(),
        }
    }
}

impl ScoringRules {
    /// Index of the bucket a category id belongs to: longest matching prefix, else the default bucket.
    pub fn bucket_of(&self, category_id: &str) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for (index, bucket) in self.buckets.iter().enumerate() {
            for prefix in &bucket.category_prefixes {
                let longer = best.is_none_or(|(_, len)| prefix.len() > len);
                if category_id.starts_with(prefix.as_str()) && longer {
                    best = Some((index, prefix.len()));
                }
            }
        }
        best.map(|(index, _)| index)
            .or_else(|| self.bucket_index(&self.default_bucket))
    }

    /// Index of the bucket with this name.
    pub fn bucket_index(&self, name: &str) -> Option<usize> {
        self.buckets.iter().position(|b| b.name == name)
    }
}
