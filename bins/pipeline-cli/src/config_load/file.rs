//! Reading a configuration file, reporting each problem at `FILE:LINE` with the full dotted key: syntax
//! errors, keys the configuration does not have (checked against the key tree), and values of the wrong shape.

use std::path::{Path, PathBuf};

use pipeline_domain::config::Config;
use pipeline_domain::config::keys::{self, Key, KeyKind};
use toml::de::{DeTable, DeValue};

use super::{ConfigError, UnknownKey};

/// A configuration file that parsed and whose values all deserialize.
#[derive(Debug)]
pub(super) struct ParsedFile {
    /// The path as shown to the user.
    shown: PathBuf,
    text: String,
    /// The file's values, before environment overrides.
    pub(super) table: toml::Table,
}

impl ParsedFile {
    /// Reads and checks `path`; `shown` is how errors name it.
    pub(super) fn read(shown: &Path, path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: shown.to_path_buf(),
            source,
        })?;
        let file = ParsedFile {
            shown: shown.to_path_buf(),
            table: toml::Table::new(),
            text,
        };
        let table = file.check()?;
        Ok(ParsedFile { table, ..file })
    }

    fn check(&self) -> Result<toml::Table, ConfigError> {
        let spanned = DeTable::parse(&self.text).map_err(|error| self.syntax(&error))?;
        let mut unknown = Vec::new();
        self.find_unknown(spanned.get_ref(), keys::ROOT, "", &mut unknown);
        if !unknown.is_empty() {
            unknown.sort_by_key(|(position, _)| *position);
            return Err(ConfigError::UnknownKeys {
                keys: unknown.into_iter().map(|(_, key)| key).collect(),
            });
        }
        if let Err(error) = toml::from_str::<Config>(&self.text) {
            let position = error.span().map_or(0, |span| span.start);
            let key = key_at(spanned.get_ref(), position, "").unwrap_or_else(|| "?".to_owned());
            return Err(ConfigError::BadValue {
                at: self.at(position),
                key,
                reason: error.message().to_owned(),
            });
        }
        self.text
            .parse::<toml::Table>()
            .map_err(|error| self.syntax(&error))
    }

    fn syntax(&self, error: &toml::de::Error) -> ConfigError {
        let position = error.span().map_or(0, |span| span.start);
        ConfigError::Syntax {
            at: self.at(position),
            message: error.message().to_owned(),
        }
    }

    /// `FILE:LINE` of a byte position in the text.
    fn at(&self, position: usize) -> String {
        let before = self
            .text
            .as_bytes()
            .get(..position)
            .unwrap_or(self.text.as_bytes());
        let line = before.iter().filter(|byte| **byte == b'\n').count() + 1;
        format!("{}:{line}", self.shown.display())
    }

    /// Collects the keys of `table` missing from `known`, descending into known tables and arrays of tables.
    fn find_unknown(
        &self,
        table: &DeTable<'_>,
        known: &'static [Key],
        prefix: &str,
        out: &mut Vec<(usize, UnknownKey)>,
    ) {
        for (name, value) in table {
            let dotted = join(prefix, name.get_ref());
            let Some(key) = keys::find(known, name.get_ref()) else {
                let position = name.span().start;
                let suggestion = closest(name.get_ref(), known);
                out.push((
                    position,
                    UnknownKey {
                        at: self.at(position),
                        key: dotted,
                        suggestion,
                    },
                ));
                continue;
            };
            match (key.kind, value.get_ref()) {
                (KeyKind::Table(children), DeValue::Table(inner)) => {
                    self.find_unknown(inner, children, &dotted, out)
                }
                (KeyKind::TableList(children), DeValue::Array(items)) => {
                    for item in items.iter() {
                        if let DeValue::Table(inner) = item.get_ref() {
                            self.find_unknown(inner, children, &dotted, out);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// `FILE:LINE` of a key given as a dotted path with indexes (`directory.sources[1].url`): the deepest
    /// part of it written in the file, or `None` when none of it is. A map's key may hold dots itself
    /// (`http.resolve.api.test`): when a part is not a key, the rest of the path is tried as one.
    pub(super) fn locate(&self, dotted: &str) -> Option<String> {
        let spanned = DeTable::parse(&self.text).ok()?;
        let mut table = spanned.get_ref();
        let mut found = None;
        let parts: Vec<&str> = dotted.split('.').collect();
        for (at, part) in parts.iter().enumerate() {
            let (name, index) = split_index(part);
            let Some((key, mut value)) = table.iter().find(|(key, _)| key.get_ref() == name) else {
                let rest = parts[at..].join(".");
                if let Some((key, _)) = table.iter().find(|(key, _)| *key.get_ref() == rest) {
                    found = Some(key.span().start);
                }
                break;
            };
            found = Some(key.span().start);
            if let (Some(index), DeValue::Array(items)) = (index, value.get_ref()) {
                let Some(item) = items.get(index) else { break };
                found = Some(item.span().start);
                value = item;
            }
            let DeValue::Table(inner) = value.get_ref() else {
                break;
            };
            table = inner;
        }
        found.map(|position| self.at(position))
    }
}

/// `sources[1]` → (`sources`, Some(1)); `url` → (`url`, None).
fn split_index(part: &str) -> (&str, Option<usize>) {
    match part.split_once('[') {
        Some((name, rest)) => (name, rest.trim_end_matches(']').parse().ok()),
        None => (part, None),
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// The dotted key (no indexes) whose key or value holds byte `position`, the deepest one.
fn key_at(table: &DeTable<'_>, position: usize, prefix: &str) -> Option<String> {
    for (name, value) in table {
        let dotted = join(prefix, name.get_ref());
        let deeper = match value.get_ref() {
            DeValue::Table(inner) => key_at(inner, position, &dotted),
            DeValue::Array(items) => items.iter().find_map(|item| match item.get_ref() {
                DeValue::Table(inner) => key_at(inner, position, &dotted),
                _ => None,
            }),
            _ => None,
        };
        if deeper.is_some() {
            return deeper;
        }
        if value.span().contains(&position) || name.span().contains(&position) {
            return Some(dotted);
        }
    }
    None
}

/// The known key nearest to a misspelt one, when it is near enough to be what was meant.
fn closest(name: &str, known: &'static [Key]) -> Option<String> {
    known
        .iter()
        .map(|key| (edit_distance(name, key.name), key.name))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate.to_owned())
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}
