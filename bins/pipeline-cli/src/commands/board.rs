//! `board BOARD [--json]`: fetches one board through its provider's client and prints the normalised
//! postings; writes nothing.

use pipeline_ats::{DetailBudget, Endpoints, client_for};
use pipeline_domain::config::Config;
use pipeline_domain::{BoardRef, NormalizedPosting};
use serde_json::{Value, json};

use crate::exit::{CmdResult, Exit, Failure};
use crate::output::{opt_time, print_json};

pub async fn run(config: &Config, board: &str, as_json: bool) -> CmdResult {
    let board: BoardRef = board.parse().map_err(Failure::usage)?;
    let services = pipeline_runners::Services::from_config(config)?;
    let endpoints = Endpoints::from_config(config, board.provider);
    let budget = DetailBudget::new(u64::from(config.ingestion.detail_calls_per_cycle));
    // Any provider's board, enabled or not: `board` is for looking.
    let client = client_for(board.provider, endpoints, services.http, budget);
    let fetched = match client.fetch_board(&board, None).await {
        Ok(fetched) => fetched,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(Exit::Attention);
        }
    };
    if as_json {
        let postings: Vec<Value> = fetched.postings.iter().map(posting_json).collect();
        print_json(&json!({
            "board": board.to_string(),
            "provider": board.provider.key(),
            "tenant": board.tenant,
            "variant": board.variant,
            "postings": postings,
        }));
    } else {
        print_table(&board, &fetched.postings);
    }
    Ok(Exit::Ok)
}

fn posting_json(p: &NormalizedPosting) -> Value {
    json!({
        "external_id": p.external_id,
        "url": p.url,
        "title": p.title,
        "description": p.description,
        "locations": p.locations,
        "department": p.department,
        "employment_type": p.employment_type,
        "workplace": p.workplace,
        "salary": p.salary,
        "requisition_id": p.requisition_id,
        "published_at": opt_time(p.published_at),
        "updated_at": opt_time(p.updated_at),
    })
}

fn print_table(board: &BoardRef, postings: &[NormalizedPosting]) {
    println!("{board}: {} open postings", postings.len());
    for p in postings {
        let title: String = p.title.chars().take(60).collect();
        let published = p
            .published_at
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        println!(
            "  {:<24} {:<60} {:<10} {}",
            p.external_id,
            title,
            published,
            p.locations.join("; ")
        );
    }
}
