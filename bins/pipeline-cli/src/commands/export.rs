//! `export [--format csv|json] [--output FILE]`: the company table as the sheet shows it (docs/interfaces.md
//! §4 columns A–O, companies at or above `sheets.min_score`, ranked), without touching Google. CSV carries the
//! sheet's headers, JSON the column ids; formula-looking text is neutralized in CSV.

use std::io::Write;
use std::path::Path;

use pipeline_db::repo::boards;
use pipeline_db::repo::companies::{self, CompanyFilter};
use pipeline_domain::config::Config;
use serde_json::{Map, Value, json};

use crate::exit::{CmdResult, Exit, Failure};
use crate::output::csv_text;
use crate::wiring;

/// The sheet's columns A–O: (header, JSON id).
const COLUMNS: [(&str, &str); 15] = [
    ("ID Empresa", "company_id"),
    ("Empresa", "company_name"),
    ("Resolución", "resolution"),
    ("Score máx.", "max_score"),
    ("Ofertas fuertes", "strong_offers"),
    ("Ofertas únicas", "unique_offers"),
    ("Actividad publicaciones", "posting_activity"),
    ("URL Oferta Top", "top_offer_url"),
    ("Categoría top", "top_category"),
    ("Última señal fuerte", "last_strong_at"),
    ("Feedback Modelo", "model_feedback"),
    ("Notas Modelo", "model_notes"),
    ("Web", "website"),
    ("ATS", "ats"),
    ("Ofertas abiertas", "open_offers"),
];

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
        let filter = CompanyFilter {
            min_score: Some(config.sheets.min_score),
            ..CompanyFilter::default()
        };
        let list = db.read(|c| companies::list_ranked(c, &filter))?;
        let ids: Vec<i64> = list.iter().map(|r| r.id).collect();
        let boards = db.read(|c| boards::of_companies(c, &ids))?;
        let top: Vec<i64> = list.iter().filter_map(|r| r.top_offer_id).collect();
        let urls = db.read(|c| pipeline_db::repo::postings::urls_of(c, &top))?;
        Ok(list
            .iter()
            .map(|r| {
                let ats: Vec<&str> = boards
                    .get(&r.id)
                    .into_iter()
                    .flatten()
                    .filter(|b| b.status == "active")
                    .map(|b| b.reference.as_str())
                    .collect();
                vec![
                    json!(r.id),
                    json!(r.display_name()),
                    json!(r.resolution),
                    json!(format!("{:.1}", r.max_score)),
                    json!(r.strong_offer_count),
                    json!(r.unique_offer_count),
                    json!(r.offer_count),
                    json!(
                        r.top_offer_id
                            .and_then(|id| urls.get(&id))
                            .cloned()
                            .unwrap_or_default()
                    ),
                    json!(
                        r.top_category_id
                            .as_ref()
                            .and_then(|id| names.get(id))
                            .cloned()
                            .unwrap_or_default()
                    ),
                    json!(
                        r.last_strong_at
                            .map(|t| t.format("%Y-%m-%d").to_string())
                            .unwrap_or_default()
                    ),
                    json!(""),
                    json!(""),
                    json!(r.website_url.clone().unwrap_or_default()),
                    json!(ats.join(";")),
                    json!(r.open_offer_count),
                ]
            })
            .collect())
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
