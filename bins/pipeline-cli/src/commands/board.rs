//! `board BOARD [--json]`: fetches one board through its provider's client and prints the normalised
//! postings; writes nothing. An incomplete fetch (a detail call that failed) prints its postings, a warning
//! line on stderr, and exits 3: part of the board could not be fetched.

use pipeline_ats::{BoardFetch, DetailBudget, Endpoints, client_for};
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
    let http = services.http.throttled(services.throttles.get(board.provider));
    let clock = std::sync::Arc::new(pipeline_domain::SystemClock);
    let client = client_for(board.provider, endpoints, http, budget, clock);
    let fetched = match client.fetch_board(&board, None).await {
        Ok(fetched) => fetched,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(Exit::Attention);
        }
    };
    if as_json {
        print_json(&board_json(&board, &fetched));
    } else {
        print_table(&board, &fetched.postings);
    }
    match incomplete_warning(&board, &fetched) {
        Some(warning) => {
            eprintln!("{warning}");
            Ok(Exit::Attention)
        }
        None => Ok(Exit::Ok),
    }
}

/// The `--json` document: CONTRACT §3's board, plus `incomplete` and `details_failed` (an extension).
fn board_json(board: &BoardRef, fetched: &BoardFetch) -> Value {
    let postings: Vec<Value> = fetched.postings.iter().map(posting_json).collect();
    json!({
        "board": board.to_string(),
        "provider": board.provider.key(),
        "tenant": board.tenant,
        "variant": board.variant,
        "incomplete": fetched.incomplete,
        "details_failed": fetched.details_failed,
        "postings": postings,
    })
}

/// The one stderr line of an incomplete fetch: how many postings lack their description, and why.
fn incomplete_warning(board: &BoardRef, fetched: &BoardFetch) -> Option<String> {
    if !fetched.incomplete {
        return None;
    }
    let n = fetched.details_failed;
    let postings = if n == 1 { "posting" } else { "postings" };
    let mut line = format!("warning: {board}: incomplete: {n} {postings} without description");
    if let Some(pipeline_domain::ErrorClass::RateLimited { wait }) = fetched.rate_limited {
        line.push_str(" (rate limited");
        if let Some(wait) = wait {
            line.push_str(&format!(", retry after {}s", wait.as_secs()));
        }
        line.push(')');
    }
    if let Some(error) = &fetched.detail_error {
        let error: String = error.chars().take(200).collect();
        line.push_str(&format!("; first failure: {error}"));
    }
    Some(line)
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use pipeline_domain::ErrorClass;

    use super::*;

    fn board() -> BoardRef {
        "smartrecruiters:Acme".parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn an_incomplete_board_gets_a_warning_line_and_its_json_says_so() {
        let complete = BoardFetch::default();
        assert_eq!(incomplete_warning(&board(), &complete), None);
        let json = board_json(&board(), &complete);
        assert_eq!(
            (&json["incomplete"], &json["details_failed"]),
            (&json!(false), &json!(0))
        );
        let incomplete = BoardFetch {
            incomplete: true,
            details_failed: 2,
            detail_error: Some("http://api.test/x: HTTP 503".into()),
            rate_limited: Some(ErrorClass::RateLimited {
                wait: Some(Duration::from_secs(3600)),
            }),
            ..BoardFetch::default()
        };
        assert_eq!(
            incomplete_warning(&board(), &incomplete).as_deref(),
            Some(
                "warning: smartrecruiters:Acme: incomplete: 2 postings without description \
                 (rate limited, retry after 3600s); first failure: http://api.test/x: HTTP 503"
            )
        );
        let json = board_json(&board(), &incomplete);
        assert_eq!(
            (&json["incomplete"], &json["details_failed"]),
            (&json!(true), &json!(2))
        );
    }
}
