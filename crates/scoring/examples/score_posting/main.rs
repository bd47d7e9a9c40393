//! Scoring a posting with your own catalog, from code: no CLI, no database. Reads a catalog file (TOML, or
//! the original's JSON shape) and a posting file (first line the title, the rest the description), and
//! prints the score, its top category and the explanation.
//!
//! ```sh
//! cargo run -p pipeline-scoring --example score_posting -- \
//!     crates/scoring/examples/score_posting/catalog.toml crates/scoring/examples/score_posting/posting.txt
//! ```

use std::path::Path;
use std::process::ExitCode;

use pipeline_scoring::{Catalog, CompiledCatalog};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [catalog, posting] = args.as_slice() else {
        eprintln!("usage: score_posting CATALOG POSTING (the posting's first line is its title)");
        return ExitCode::from(2);
    };
    match run(Path::new(catalog), Path::new(posting)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(catalog: &Path, posting: &Path) -> Result<(), Box<dyn std::error::Error>> {
    // Loading validates: a bad catalog is an error naming the line and key of each problem.
    let compiled = CompiledCatalog::new(&Catalog::load(catalog)?)?;
    let text = std::fs::read_to_string(posting)?;
    let (title, description) = text.split_once('\n').unwrap_or((text.as_str(), ""));

    let result = compiled.score_posting(title.trim(), description);
    let strong = if result.strong { " (strong)" } else { "" };
    println!("catalog {} (version {})", catalog.display(), compiled.version());
    println!("posting: {}", title.trim());
    println!("score {}/{}{strong}", result.score, compiled.rules().max_score);
    match &result.top_category_id {
        Some(id) => println!(
            "top category: {} ({id})",
            compiled.category_name(id).unwrap_or("?")
        ),
        None => println!("top category: none"),
    }
    let explanation = &result.explanation;
    for c in &explanation.categories {
        println!(
            "  {:<24} {:>5.2} points in bucket {}, {} hit(s)",
            c.category_id, c.points, c.bucket, c.hit_count
        );
    }
    for p in &explanation.phrases {
        println!("  {:<24} {:>5.2} points (phrase)", p.phrase_id, p.points);
    }
    let negated: Vec<String> = explanation
        .keyword_hits
        .iter()
        .filter(|h| h.negated)
        .map(|h| format!("{} ({})", h.keyword_id, h.matched_tokens.join(" ")))
        .collect();
    if !negated.is_empty() {
        println!("  negated: {}", negated.join(", "));
    }
    println!(
        "  raw {:.2}, core {}, synergy {:.1}",
        explanation.raw_score, explanation.fx_core, explanation.synergy_points
    );
    // What the scoring stage stores with the posting, next to compiled.version().
    println!(
        "explanation JSON: {} bytes",
        serde_json::to_string(explanation)?.len()
    );
    Ok(())
}
