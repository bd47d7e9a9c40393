//! `export [--format csv|json] [--output FILE]`: the company table as the sheet shows it (docs/interfaces.md
//! §4 columns A–O, companies at or above `sheets.min_score`, ranked), without touching Google. CSV carries the
//! sheet's headers, JSON the column ids; formula-looking text is neutralized in CSV.

use std::io::Write;
use std::path::Path;

use pipeline_domain::config::Config;
use pipeline_runners::sheets::company_rows;
use pipeline_sheets::CompanyRow;
use pipeline_sheets::layout::{COLUMNS, col};
use serde_json::{Map, Value, json};

use crate::exit::{CmdResult, Exit, Failure};
use crate::output::csv_text;
use crate::wiring;

pub async fn run(config: &Config, format: &str, output: Option<&Path>) -> CmdResult {
    let (catalog, _) = wiring::catalog(config)?;
    let names: std::collections::HashMap<String, String> = catalog
        .catalog()
        .categories
        .iter()
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    let config = config.clone();
    let rows: Vec<Vec<Value>> = super::blocking(move || {
        let Some(db) = wiring::open_db_read_only(&config)? else {
            return Ok(Vec::new());
        };
        let rows = db.read(|c| company_rows(c, Some(config.sheets.min_score), &names))?;
        Ok(rows.iter().map(export_cells).collect())
    })
    .await?;
    let text = match format {
        "json" => to_json(&rows),
        _ => to_csv(&rows)?,
    };
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Failure::fatal(format!("cannot write {}: {e}", path.display())))?,
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| Failure::fatal(format!("writing the export: {e}")))?,
    }
    Ok(Exit::Ok)
}

/// A company's cells as exported: the sheet's, with the score as text with one decimal (`7.0`).
fn export_cells(row: &CompanyRow) -> Vec<Value> {
    let mut cells = row.cells();
    cells[col::METRICS] = json!(format!("{:.1}", row.max_score));
    cells
}

fn to_json(rows: &[Vec<Value>]) -> String {
    let objects: Vec<Value> = rows
        .iter()
        .map(|row| {
            let map: Map<String, Value> = COLUMNS
                .iter()
                .zip(row)
                .map(|((_, id), v)| ((*id).to_owned(), v.clone()))
                .collect();
            Value::Object(map)
        })
        .collect();
    serde_json::to_string_pretty(&objects).unwrap_or_else(|_| "[]".to_owned()) + "\n"
}

fn to_csv(rows: &[Vec<Value>]) -> Result<String, Failure> {
    let io = |e: csv::Error| Failure::fatal(format!("writing CSV: {e}"));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(COLUMNS.iter().map(|(header, _)| *header))
        .map_err(io)?;
    for row in rows {
        out.write_record(row.iter().map(|v| match v {
            Value::String(s) => csv_text(s),
            other => other.to_string(),
        }))
        .map_err(io)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| Failure::fatal(format!("writing CSV: {e}")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
