//! Tests of loading: file errors located at FILE:LINE with the dotted key, which file is read and how its paths
//! resolve, environment overrides, validation. The helpers here write a config file and load it.

mod files;
mod overrides;
mod unknown_keys;
mod validation;

use super::*;

/// A temporary working directory holding `pipeline.toml` with `text`.
fn dir_with_config(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(DEFAULT_FILE_NAME), text).unwrap();
    dir
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

fn load_text(text: &str) -> Result<LoadedConfig, ConfigError> {
    let dir = dir_with_config(text);
    load(None, dir.path(), &[])
}

fn load_error(text: &str) -> String {
    load_text(text)
        .expect_err("the file should be refused")
        .to_string()
}

fn load_env(pairs: &[(&str, &str)]) -> Result<LoadedConfig, ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    load(None, dir.path(), &env(pairs))
}
