//! The catalog: categories, keywords, phrases and — docs/stages.md#scoring-rules — the scorer's constants as
//! data, with loading (TOML, or the original's JSON shape), validation and the content hash stored with every
//! match.

mod builtin;
mod error;
mod json;
mod rules;
mod toml_file;
mod validate;

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use error::{CatalogError, CatalogIssue};
pub use rules::{Bucket, CoreGate, FieldWeights, NegationRules, ScoringRules, Synergy, TierWeights};

/// Bumped whenever normalization, matching or scoring changes meaning, so every stored match goes stale even
/// though the catalog file did not change.
const SCORING_REVISION: &str = "pipeline-scoring/1";

/// A whole catalog as written in a file. Build one with [`Catalog::builtin`], [`Catalog::from_toml_str`],
/// [`Catalog::from_json_str`] or [`Catalog::load`]; compile it with [`crate::CompiledCatalog::new`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// The catalog's own label (the original's `"version": "2.0.0"`). Not the content hash: see
    /// [`Catalog::version`].
    #[serde(rename = "version", default)]
    pub label: String,
    /// The signal families, each with its tier.
    pub categories: Vec<Category>,
    /// The signals and their spellings, each in one category.
    pub keywords: Vec<Keyword>,
    /// Phrases that add points on their own.
    #[serde(default)]
    pub phrases: Vec<Phrase>,
    /// The scorer's constants; the original's values when the file has no `[scoring]` section.
    #[serde(default)]
    pub scoring: ScoringRules,
}

/// A signal family; its tier (1..=3) sets the weight of its hits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Stable id (`cat_fx_currency_ops`); its prefix decides its bucket.
    pub id: String,
    /// The name shown as `top_category_name` and in the sheet.
    pub name: String,
    /// 1 (proxy), 2 (business) or 3 (core): picks the tier weight.
    pub tier: u8,
}

/// One signal with the spellings (aliases) that reveal it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyword {
    /// Stable id (`kw_usd_currency`), named in explanations.
    pub id: String,
    /// The category its hits count for.
    #[serde(alias = "categoryId")]
    pub category_id: String,
    /// The signal's usual spelling, for people reading the catalog.
    pub canonical: String,
    /// Every spelling matched, compared after normalization (case and accents do not matter).
    pub aliases: Vec<String>,
}

/// A phrase that adds points on its own, independent of categories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phrase {
    /// Stable id, named in explanations.
    pub id: String,
    /// The words matched in a row, after normalization.
    pub phrase: String,
    /// Picks the phrase tier weight.
    pub tier: u8,
}

/// The file formats a catalog can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogFormat {
    /// The project's format (`catalog/default.toml`), with an optional `[scoring]` section.
    Toml,
    /// The original system's `data/catalog.json` shape (docs/original-system.md#ref-7).
    Json,
}

impl Catalog {
    /// The original v2 catalog (docs/original-system.md#ref-7) with the original scorer constants.
    pub fn builtin() -> Catalog {
        builtin::catalog()
    }

    /// Parses and validates a TOML catalog; errors name the line and the key path.
    pub fn from_toml_str(text: &str) -> Result<Catalog, CatalogError> {
        toml_file::parse(text)
    }

    /// Parses and validates a catalog in the original's JSON shape; errors name the JSON path.
    pub fn from_json_str(text: &str) -> Result<Catalog, CatalogError> {
        json::parse(text)
    }

    /// Parses text in the given format.
    pub fn parse(text: &str, format: CatalogFormat) -> Result<Catalog, CatalogError> {
        match format {
            CatalogFormat::Toml => Catalog::from_toml_str(text),
            CatalogFormat::Json => Catalog::from_json_str(text),
        }
    }

    /// Reads a catalog file: `.json` is the original's shape, `.toml` is TOML, anything else is sniffed
    /// (a document starting with `{` is JSON).
    pub fn load(path: &Path) -> Result<Catalog, CatalogError> {
        let text = std::fs::read_to_string(path).map_err(|source| CatalogError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Catalog::parse(&text, CatalogFormat::detect(path, &text))
    }

    /// Checks the rules of docs/original-system.md#ref-7 and those of the scoring section; the error lists
    /// every problem.
    pub fn validate(&self) -> Result<(), CatalogError> {
        let issues = validate::issues(self);
        if issues.is_empty() {
            return Ok(());
        }
        Err(CatalogError::Invalid {
            issues: issues
                .iter()
                .map(|i| CatalogIssue::unlocated(i, CatalogFormat::Toml))
                .collect(),
        })
    }

    /// A stable hash of the catalog's content (first 16 hex digits of a SHA-256): formatting of the file
    /// does not change it; any id, alias, tier, order or constant does.
    pub fn version(&self) -> String {
        // Serializing plain structs, strings, numbers and string-keyed maps to JSON cannot fail.
        let content = serde_json::to_vec(self).unwrap_or_default();
        let digest = Sha256::new()
            .chain_update(SCORING_REVISION.as_bytes())
            .chain_update(b"\n")
            .chain_update(&content)
            .finalize();
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}

impl CatalogFormat {
    /// By extension, else by content.
    pub fn detect(path: &Path, text: &str) -> CatalogFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => CatalogFormat::Json,
            Some("toml") => CatalogFormat::Toml,
            _ if text.trim_start().starts_with('{') => CatalogFormat::Json,
            _ => CatalogFormat::Toml,
        }
    }
}

#[cfg(test)]
mod tests;
