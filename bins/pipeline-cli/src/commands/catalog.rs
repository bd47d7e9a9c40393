//! `catalog check [FILE]` and `score [--title TEXT] [FILE|-] [--json]`.

use std::io::Read;
use std::path::Path;

use pipeline_domain::config::Config;
use pipeline_scoring::{Catalog, CompiledCatalog, ScoreResult};
use serde_json::json;

use crate::exit::{CmdResult, Exit, Failure};
use crate::output::print_json;
use crate::wiring;

pub fn check(config: &Config, file: Option<&Path>) -> CmdResult {
    let (compiled, shown) = match file {
        Some(path) => (compile(Catalog::load(path), path)?, path.display().to_string()),
        None => wiring::catalog(config)?,
    };
    let catalog = compiled.catalog();
    println!(
        "ok: {shown}: version {} ({} categories, {} keywords, {} phrases)",
        compiled.version(),
        catalog.categories.len(),
        catalog.keywords.len(),
        catalog.phrases.len()
    );
    Ok(Exit::Ok)
}

fn compile(
    loaded: Result<Catalog, pipeline_scoring::CatalogError>,
    path: &Path,
) -> Result<CompiledCatalog, Failure> {
    let shown =
        |e: pipeline_scoring::CatalogError| Failure::usage(format!("catalog {}: {e}", path.display()));
    CompiledCatalog::new(&loaded.map_err(shown)?).map_err(shown)
}

pub fn score(config: &Config, title: &str, file: Option<&Path>, as_json: bool) -> CmdResult {
    let (compiled, _) = wiring::catalog(config)?;
    let description = read_description(file)?;
    let result = compiled.score_posting(title, &description);
    if as_json {
        print_json(&json!({
            "score": result.score,
            "strong": result.strong,
            "top_category": result.top_category_id,
            "catalog_version": compiled.version(),
            "explanation": result.explanation,
        }));
    } else {
        print_text(&compiled, &result);
    }
    Ok(Exit::Ok)
}

fn read_description(file: Option<&Path>) -> Result<String, Failure> {
    let mut text = String::new();
    match file {
        None => {}
        Some(path) if path == Path::new("-") => {
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Failure::usage(format!("stdin: {e}")))?;
        }
        Some(path) => {
            let bytes =
                std::fs::read(path).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
    }
    Ok(text)
}

fn print_text(compiled: &CompiledCatalog, result: &ScoreResult) {
    let strong = if result.strong { " (strong)" } else { "" };
    println!("score {}/{}{strong}", result.score, compiled.rules().max_score);
    if let Some(top) = &result.top_category_id {
        println!(
            "top category: {} ({top})",
            compiled.category_name(top).unwrap_or("?")
        );
    }
    let e = &result.explanation;
    for c in &e.categories {
        println!(
            "  {:<32} {:>5.2} points, {} hit(s)",
            c.category_id, c.points, c.hit_count
        );
    }
    for p in &e.phrases {
        println!("  {:<32} {:>5.2} points (phrase)", p.phrase_id, p.points);
    }
    let negated = e.negated_keyword_hits + e.negated_phrase_hits;
    println!(
        "  raw {:.2}, core {}, synergy {:.1}, negated hits {negated}",
        e.raw_score, e.fx_core, e.synergy_points
    );
}
