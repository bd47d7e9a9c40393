//! The configuration (docs/interfaces.md#2-configuration), declared once: one typed struct per section with
//! the contract's defaults, the value types it is written in (durations, byte sizes), validation, and path
//! resolution. Loading (file, environment overrides, error reports with lines) lives in the CLI; library
//! crates receive these values.

mod byte_size;
mod directory;
pub mod duration_text;
pub mod keys;
mod paths;
mod providers;
mod sections;
mod validate;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use byte_size::{ByteSize, ByteSizeError};
pub use directory::{
    BUILTIN_DIRECTORIES, DirectoryConfig, DirectorySourceConfig, SourceEncoding, SourceKind,
};
pub use duration_text::DurationError;
pub use providers::{ProviderConfig, ProvidersConfig};
pub use sections::{
    BoardDecl, DiscoveryConfig, FeedbackConfig, FeedbackWindow, HttpConfig, IngestionConfig, RetentionConfig,
    RunnerConfig, SheetsConfig,
};

/// The whole configuration file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// A SQLite path or `sqlite://` URL; `postgres://...` selects PostgreSQL.
    pub database_url: String,
    /// Path to a catalog file (TOML, or the original's JSON); empty = the built-in catalog.
    pub catalog: String,
    /// User-Agent of every request; empty = `pipeline/<version> (+<repository url>)`.
    pub user_agent: String,
    /// `[http]`: the shared HTTP client.
    pub http: HttpConfig,
    /// `[runner]`: cycles, locks, the attention threshold.
    pub runner: RunnerConfig,
    /// `[retention]`: pruning of old runs and events.
    pub retention: RetentionConfig,
    /// `[directory]`: where companies come from.
    pub directory: DirectoryConfig,
    /// `[discovery]`: finding boards on company websites.
    pub discovery: DiscoveryConfig,
    /// `[[boards]]`: boards declared by hand, added or confirmed (a suspect board becomes active).
    pub boards: Vec<BoardDecl>,
    /// `[ingestion]`: fetching postings.
    pub ingestion: IngestionConfig,
    /// `[providers.*]`: per-provider URLs and limits.
    pub providers: ProvidersConfig,
    /// `[sheets]`: the Google Sheets export.
    pub sheets: SheetsConfig,
    /// `[feedback]`: when feedback is read back from the sheet.
    pub feedback: FeedbackConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "data/pipeline.db".to_owned(),
            catalog: String::new(),
            user_agent: String::new(),
            http: HttpConfig::default(),
            runner: RunnerConfig::default(),
            retention: RetentionConfig::default(),
            directory: DirectoryConfig::default(),
            discovery: DiscoveryConfig::default(),
            boards: Vec::new(),
            ingestion: IngestionConfig::default(),
            providers: ProvidersConfig::default(),
            sheets: SheetsConfig::default(),
            feedback: FeedbackConfig::default(),
        }
    }
}

/// One thing wrong with a configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigIssue {
    /// Dotted path of the key, with indexes into arrays: `runner.lock_ttl`, `directory.sources[1].url`.
    pub key: String,
    /// What is wrong, for a person to read.
    pub reason: String,
}

impl ConfigIssue {
    /// An issue of the key at dotted path `key`.
    pub fn new(key: impl Into<String>, reason: impl Into<String>) -> Self {
        ConfigIssue {
            key: key.into(),
            reason: reason.into(),
        }
    }

    /// The same issue with its key placed under `prefix` (`delimiter` → `directory.sources[0].delimiter`).
    pub fn under(self, prefix: &str) -> Self {
        ConfigIssue {
            key: format!("{prefix}.{}", self.key),
            reason: self.reason,
        }
    }
}

impl fmt::Display for ConfigIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.reason)
    }
}

#[cfg(test)]
mod tests;
