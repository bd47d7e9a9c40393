//! `companies [--json|--csv]`: companies ranked by max_score, strong offers, id.

use pipeline_db::repo::boards::{self, BoardRow};
use pipeline_db::repo::companies::{self, CompanyFilter, CompanyRow};
use pipeline_domain::config::Config;
use pipeline_domain::{BoardRef, BoardStatus};
use serde_json::{Value, json};

use crate::exit::{CmdResult, Exit, Failure};
use crate::output::{opt_time, print_json};
use crate::wiring;

/// The scalar columns of `--csv`, in the order of docs/interfaces.md#companies-json (`boards` and `sources`
/// joined with `;`).
const CSV_COLUMNS: [&str; 17] = [
    "id",
    "name",
    "domain",
    "website",
    "resolution",
    "boards",
    "max_score",
    "offer_count",
    "unique_offer_count",
    "strong_offer_count",
    "open_offer_count",
    "avg_strong_score",
    "top_category",
    "top_category_name",
    "top_offer_url",
    "last_strong_at",
    "sources",
];

pub async fn run(
    config: &Config,
    as_json: bool,
    as_csv: bool,
    limit: Option<i64>,
    min_score: Option<f64>,
) -> CmdResult {
    // Category names for `top_category_name`; a catalog that does not load only leaves them out.
    let names: std::collections::HashMap<String, String> = wiring::catalog(config)
        .map(|(compiled, _)| {
            compiled
                .catalog()
                .categories
                .iter()
                .map(|c| (c.id.clone(), c.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let config = config.clone();
    let rows = super::blocking(move || {
        let Some(db) = wiring::open_db_read_only(&config)? else {
            return Ok(Vec::new());
        };
        let filter = CompanyFilter {
            limit,
            min_score,
            domain: None,
        };
        let rows = db.read(|c| companies::list_ranked(c, &filter))?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let sources = db.read(|c| companies::sources_of(c, &ids))?;
        let boards = db.read(|c| boards::of_companies(c, &ids))?;
        let top_ids: Vec<i64> = rows.iter().filter_map(|r| r.top_offer_id).collect();
        let urls = db.read(|c| pipeline_db::repo::postings::urls_of(c, &top_ids))?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let s = sources.get(&r.id).cloned().unwrap_or_default();
                let b = boards.get(&r.id).map(Vec::as_slice).unwrap_or_default();
                let top_url = r.top_offer_id.and_then(|id| urls.get(&id)).cloned();
                let mut row = to_json(&r, &s, b, top_url);
                if let Some(name) = r.top_category_id.as_ref().and_then(|id| names.get(id)) {
                    row["top_category_name"] = Value::String(name.clone());
                }
                row
            })
            .collect::<Vec<_>>())
    })
    .await?;
    if as_json {
        print_json(&Value::Array(rows));
    } else if as_csv {
        write_csv(&rows)?;
    } else {
        print_table(&rows);
    }
    Ok(Exit::Ok)
}

/// A stored board as `companies --json` shows it (docs/interfaces.md#companies-json); invalid evidence is
/// not a board and is left out.
fn board_json(b: &BoardRow) -> Option<Value> {
    let board: BoardRef = b.reference.parse().ok()?;
    (b.status != BoardStatus::Invalid.as_str()).then(|| {
        json!({
            "board": b.reference,
            "provider": board.provider.key(),
            "tenant": board.tenant,
            "variant": board.variant,
            "status": b.status,
        })
    })
}

fn to_json(r: &CompanyRow, sources: &[String], boards: &[BoardRow], top_offer_url: Option<String>) -> Value {
    json!({
        "id": r.id,
        "name": r.display_name(),
        "domain": r.website_domain,
        "website": r.website_url,
        "resolution": r.resolution,
        "boards": boards.iter().filter_map(board_json).collect::<Vec<_>>(),
        "max_score": r.max_score,
        "offer_count": r.offer_count,
        "unique_offer_count": r.unique_offer_count,
        "strong_offer_count": r.strong_offer_count,
        "open_offer_count": r.open_offer_count,
        "avg_strong_score": r.avg_strong_score,
        "top_category": r.top_category_id,
        "top_category_name": Value::Null,
        "top_offer_url": top_offer_url,
        "last_strong_at": opt_time(r.last_strong_at),
        "sources": sources,
    })
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| i.get("board").unwrap_or(i))
            .map(cell)
            .collect::<Vec<_>>()
            .join(";"),
        other => other.to_string(),
    }
}

fn write_csv(rows: &[Value]) -> Result<(), Failure> {
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    let io = |e: csv::Error| Failure::fatal(format!("writing CSV: {e}"));
    out.write_record(CSV_COLUMNS).map_err(io)?;
    for row in rows {
        out.write_record(
            CSV_COLUMNS
                .iter()
                .map(|c| crate::output::csv_text(&cell(&row[*c]))),
        )
        .map_err(io)?;
    }
    out.flush()
        .map_err(|e| Failure::fatal(format!("writing CSV: {e}")))
}

fn print_table(rows: &[Value]) {
    println!(
        "{:>6}  {:<32} {:<28} {:>5} {:>6}  {:<14} {:<34} sources",
        "id", "name", "domain", "score", "strong", "resolution", "boards"
    );
    for r in rows {
        let name: String = cell(&r["name"]).chars().take(32).collect();
        println!(
            "{:>6}  {:<32} {:<28} {:>5.1} {:>6}  {:<14} {:<34} {}",
            r["id"].as_i64().unwrap_or_default(),
            name,
            cell(&r["domain"]),
            r["max_score"].as_f64().unwrap_or(0.0),
            r["strong_offer_count"].as_i64().unwrap_or_default(),
            cell(&r["resolution"]),
            boards_cell(&r["boards"]),
            cell(&r["sources"])
        );
    }
}

/// The boards column: references, a suspect one marked `(suspect)`, gone ones left out; `-` for none.
fn boards_cell(boards: &Value) -> String {
    let shown: Vec<String> = boards
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["status"] != "gone")
        .filter_map(|b| {
            let reference = b["board"].as_str()?;
            Some(match b["status"].as_str() {
                Some("suspect") => format!("{reference} (suspect)"),
                _ => reference.to_owned(),
            })
        })
        .collect();
    if shown.is_empty() {
        "-".to_owned()
    } else {
        shown.join(", ")
    }
}
