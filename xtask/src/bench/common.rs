//! What the benches of the release binaries share: a figure printed beside its target, and the edits they
//! make to the world's generated `pipeline.toml`.

use anyhow::{Context, Result};
use toml::{Table, Value as Toml};

/// One figure beside its target (`sign` is `<=` or `>=`), `ok` or `MISSED`.
pub(super) fn figure(name: &str, value: f64, unit: &str, sign: &str, limit: f64) {
    let ok = (sign == "<=" && value <= limit) || (sign == ">=" && value >= limit);
    let whole = value.abs() >= 100.0 || value.fract() == 0.0;
    let shown = format!("{value:.*}", if whole { 0 } else { 2 });
    let (target, verdict) = (format!("{sign} {limit} {unit}"), if ok { "ok" } else { "MISSED" });
    println!("  {name:<13}{shown:>8} {unit:<11} target {target:<22} {verdict}");
}

/// The table under `key`, created when missing.
pub(super) fn section<'a>(table: &'a mut Table, key: &str) -> Result<&'a mut Table> {
    let entry = table.entry(key).or_insert_with(|| Toml::Table(Table::new()));
    entry
        .as_table_mut()
        .with_context(|| format!("`{key}` is not a table"))
}
