//! Loading the configuration once, at start-up: the file (`--config`, else `./pipeline.toml`, else none),
//! `PIPELINE_*` environment overrides, path resolution and validation. Every failure is a [`ConfigError`]
//! whose `Display` is the whole message for the user; the CLI exits 2 on any of them.

mod env;
mod file;

use std::fmt;
use std::path::{Path, PathBuf};

use pipeline_domain::config::{Config, ConfigIssue};
use serde::Deserialize;

use env::Override;
use file::ParsedFile;

/// The configuration file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE_NAME: &str = "pipeline.toml";

/// A loaded, path-resolved, validated configuration.
#[derive(Debug)]
pub struct LoadedConfig {
    pub config: Config,
    /// The file read (absolute), or `None` when the built-in defaults were used.
    pub source: Option<PathBuf>,
    /// Things worth telling the user that do not stop the run (e.g. a `PIPELINE_*` variable naming no key).
    pub warnings: Vec<String>,
}

/// Why the configuration could not be loaded; `Display` is the user-facing message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("config file {} does not exist", .path.display())]
    Missing { path: PathBuf },
    #[error("cannot read config file {}: {source}", .path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{at}: {message}")]
    Syntax { at: String, message: String },
    #[error("{}", unknown_key_lines(.keys))]
    UnknownKeys { keys: Vec<UnknownKey> },
    #[error("{at}: `{key}`: {reason}")]
    BadValue { at: String, key: String, reason: String },
    #[error("environment variable {var}: {reason}")]
    BadEnv { var: String, reason: String },
    #[error("invalid configuration:\n{}", .issues.join("\n"))]
    Invalid { issues: Vec<String> },
}

/// A key of the file that the configuration does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// `FILE:LINE`.
    pub at: String,
    /// The full dotted key, e.g. `runner.lok_ttl`.
    pub key: String,
    /// A known key of the same table that looks alike.
    pub suggestion: Option<String>,
}

impl fmt::Display for UnknownKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: unknown key `{}`", self.at, self.key)?;
        match &self.suggestion {
            Some(name) => write!(f, " (did you mean `{name}`?)"),
            None => Ok(()),
        }
    }
}

fn unknown_key_lines(keys: &[UnknownKey]) -> String {
    keys.iter()
        .map(UnknownKey::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Loads the configuration: `explicit` (relative to `cwd`), else `cwd/pipeline.toml` if it exists, else the
/// built-in defaults; then `env` overrides, relative paths resolved against the file's directory (or `cwd`),
/// and validation.
pub fn load(
    explicit: Option<&Path>,
    cwd: &Path,
    env: &[(String, String)],
) -> Result<LoadedConfig, ConfigError> {
    let located = locate(explicit, cwd)?;
    let parsed = match &located {
        Some((shown, path)) => Some(ParsedFile::read(shown, path)?),
        None => None,
    };
    let mut warnings = Vec::new();
    let overrides = env::overrides(env, &mut warnings);
    let table = parsed.as_ref().map(|file| file.table.clone()).unwrap_or_default();
    let mut config = apply_overrides(table, &overrides)?;
    // The original's variable, when the configuration names no spreadsheet.
    if config.sheets.spreadsheet_id.trim().is_empty()
        && let Some((_, id)) = env
            .iter()
            .find(|(name, _)| name == "GOOGLE_SHEETS_SPREADSHEET_ID")
    {
        config.sheets.spreadsheet_id = id.trim().to_owned();
    }
    let base_dir = located
        .as_ref()
        .and_then(|(_, path)| path.parent())
        .unwrap_or(cwd)
        .to_path_buf();
    config.resolve_paths(&base_dir);
    if let Some(file) = &parsed {
        for (index, decl) in config.boards.iter_mut().enumerate() {
            decl.at = file.locate(&format!("boards[{index}].company"));
        }
    }
    if let Err(issues) = config.validate() {
        let issues = issues
            .iter()
            .map(|issue| describe_issue(issue, parsed.as_ref(), &overrides))
            .collect();
        return Err(ConfigError::Invalid { issues });
    }
    Ok(LoadedConfig {
        config,
        source: located.map(|(_, path)| path),
        warnings,
    })
}

/// The file to read as (path shown to the user, path to open), or `None` for the built-in defaults. Only a
/// file that is not there is "missing" (and, for `./pipeline.toml`, means the defaults); any other failure to
/// look at it (permission denied, a parent that is not a directory, a symlink loop) is reported as it is, with
/// the path, instead of being taken for an absent file.
fn locate(explicit: Option<&Path>, cwd: &Path) -> Result<Option<(PathBuf, PathBuf)>, ConfigError> {
    let (shown, required) = match explicit {
        Some(given) => (given.to_path_buf(), true),
        None => (PathBuf::from(DEFAULT_FILE_NAME), false),
    };
    let path = cwd.join(&shown);
    match std::fs::metadata(&path) {
        Ok(_) => Ok(Some((shown, path))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && required => {
            Err(ConfigError::Missing { path: shown })
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ConfigError::Read { path: shown, source }),
    }
}

/// Deserializes the file's table with the overrides put in; a failure is blamed on the first variable
/// whose value cannot be read.
fn apply_overrides(table: toml::Table, overrides: &[Override]) -> Result<Config, ConfigError> {
    let mut merged = table.clone();
    for item in overrides {
        item.apply_to(&mut merged);
    }
    Config::deserialize(merged).map_err(|error| blame(table, overrides, &error))
}

fn blame(mut table: toml::Table, overrides: &[Override], error: &toml::de::Error) -> ConfigError {
    for item in overrides {
        item.apply_to(&mut table);
        if let Err(error) = Config::deserialize(table.clone()) {
            return ConfigError::BadEnv {
                var: item.var.clone(),
                reason: error.message().to_owned(),
            };
        }
    }
    // Only reached if the file alone fails when its text deserialized fine; report the reason as is.
    ConfigError::Invalid {
        issues: vec![format!("  {}", error.message())],
    }
}

/// One line of the `Invalid` message: located in the file, or attributed to the variable that set it.
fn describe_issue(issue: &ConfigIssue, parsed: Option<&ParsedFile>, overrides: &[Override]) -> String {
    let names: Vec<&str> = issue
        .key
        .split('.')
        .map(|part| part.split('[').next().unwrap_or(part))
        .collect();
    let setter = overrides.iter().rev().find(|item| item.covers(&names));
    match (setter, parsed.and_then(|file| file.locate(&issue.key))) {
        (Some(item), _) => format!("  {issue} (set by {})", item.var),
        (None, Some(at)) => format!("  {at}: {issue}"),
        (None, None) => format!("  {issue}"),
    }
}

#[cfg(test)]
mod tests;
