//! Environment overrides (docs/interfaces.md#2-configuration): `PIPELINE_` + the key's path in upper case
//! with `__` between levels (`PIPELINE_PROVIDERS__LEVER__BASE_URL`), plus `DATABASE_URL`. A variable naming
//! no key is a warning.

use pipeline_domain::config::keys::{self, KeyKind};

const PREFIX: &str = "PIPELINE_";

/// One variable's value, addressed to a key of the configuration table.
#[derive(Debug, Clone)]
pub(super) struct Override {
    /// The variable, to name it in messages.
    pub(super) var: String,
    /// The key's path: table names, then the key (a map's key last for `http.resolve.*`).
    pub(super) path: Vec<String>,
    value: toml::Value,
}

impl Override {
    /// Sets the value in `table`, creating (or replacing non-table values with) the tables on the way.
    pub(super) fn apply_to(&self, table: &mut toml::Table) {
        let Some((last, parents)) = self.path.split_last() else {
            return;
        };
        let mut current = table;
        for name in parents {
            let entry = current
                .entry(name.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if !entry.is_table() {
                *entry = toml::Value::Table(toml::Table::new());
            }
            let toml::Value::Table(next) = entry else { return }; // a table, made so just above
            current = next;
        }
        current.insert(last.clone(), self.value.clone());
    }

    /// Whether this override set the key with these names, or a table holding it.
    pub(super) fn covers(&self, names: &[&str]) -> bool {
        self.path.len() <= names.len() && self.path.iter().zip(names).all(|(mine, theirs)| mine == theirs)
    }
}

/// The overrides found in `env`, in the order they apply: `DATABASE_URL`, then `PIPELINE_*` by name (so a
/// whole table comes before its keys, and `PIPELINE_DATABASE_URL` wins over `DATABASE_URL`).
pub(super) fn overrides(env: &[(String, String)], warnings: &mut Vec<String>) -> Vec<Override> {
    let mut found: Vec<Override> = env
        .iter()
        .filter(|(name, _)| name == "DATABASE_URL")
        .map(|(name, value)| Override {
            var: name.clone(),
            path: vec!["database_url".to_owned()],
            value: toml::Value::String(value.clone()),
        })
        .collect();
    let mut prefixed: Vec<&(String, String)> =
        env.iter().filter(|(name, _)| name.starts_with(PREFIX)).collect();
    prefixed.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, value) in prefixed {
        match key_path(&name[PREFIX.len()..]) {
            Some((path, kind)) => found.push(Override {
                var: name.clone(),
                path,
                value: typed(value, kind),
            }),
            None => warnings.push(format!(
                "environment variable {name} names no configuration key; ignored"
            )),
        }
    }
    found
}

/// The path and kind of the key a variable name (without the prefix) addresses.
fn key_path(name: &str) -> Option<(Vec<String>, KeyKind)> {
    let segments: Vec<String> = name.split("__").map(str::to_ascii_lowercase).collect();
    let mut known = keys::ROOT;
    let mut path = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        let key = keys::find(known, segment)?;
        path.push(segment.clone());
        let rest = &segments[index + 1..];
        if rest.is_empty() {
            return Some((path, key.kind));
        }
        match key.kind {
            KeyKind::Table(children) => known = children,
            KeyKind::Map => {
                let map_key = rest.join("__");
                path.push(map_key);
                return path
                    .last()
                    .is_some_and(|k| !k.is_empty())
                    .then_some((path, KeyKind::Text));
            }
            _ => return None,
        }
    }
    None
}

/// A variable's text as a TOML value: kept as a string for string keys, otherwise read as a TOML value
/// (number, boolean, array, inline table) when it is one, else a string (durations, sizes).
fn typed(text: &str, kind: KeyKind) -> toml::Value {
    match kind {
        KeyKind::Text => toml::Value::String(text.to_owned()),
        _ => text
            .parse::<toml::Value>()
            .unwrap_or_else(|_| toml::Value::String(text.to_owned())),
    }
}
