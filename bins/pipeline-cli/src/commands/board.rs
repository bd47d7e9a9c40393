//! `board BOARD [--json]`: fetches one board through its provider's client and prints the normalised
//! postings; writes nothing. An incomplete fetch (a detail call that failed; a `jsonld` job page that could
//! not be read, or past the page cap) prints its postings, a warning line on stderr, and exits 3: part of
//! the board could not be fetched.

use pipeline_ats::{BoardFetch, DetailBudget, client_for};
use pipeline_domain::config::Config;
use pipeline_domain::{BoardRef, NormalizedPosting};
use serde_json::{Value, json};

use crate::exit::{CmdResult, Exit, Failure};
use crate::output::{opt_time, print_json};

pub async fn run(config: &Config, board: &str, as_json: bool) -> CmdResult {
    let board: BoardRef = board.parse().map_err(Failure::usage)?;
    let services = pipeline_runners::Services::from_config(config)?;
    let budget = DetailBudget::new(u64::from(config.ingestion.detail_calls_per_cycle));
    // Any provider's board, enabled or not: `board` is for looking.
    let http = services.client_http(board.provider);
    let clock = std::sync::Arc::new(pipeline_domain::SystemClock);
    let client = client_for(board.provider, config, http, budget, clock);
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

/// The `--json` document: the board of docs/interfaces.md#board-json, plus `incomplete`, `details_failed`,
/// and for `jsonld` boards `pages_failed`, `pages_skipped`, `jsonld_malformed` (extensions).
fn board_json(board: &BoardRef, fetched: &BoardFetch) -> Value {
    let postings: Vec<Value> = fetched.postings.iter().map(posting_json).collect();
    json!({
        "board": board.to_string(),
        "provider": board.provider.key(),
        "tenant": board.tenant,
        "variant": board.variant,
        "incomplete": fetched.incomplete,
        "details_failed": fetched.details_failed,
        "pages_failed": fetched.pages_failed,
        "pages_skipped": fetched.pages_skipped,
        "jsonld_malformed": fetched.jsonld_malformed,
        "postings": postings,
    })
}

/// The one stderr line of an incomplete fetch: how many postings lack their description (or, for a
/// `jsonld` board, how many job pages were not read), and why.
fn incomplete_warning(board: &BoardRef, fetched: &BoardFetch) -> Option<String> {
    if !fetched.incomplete {
        return None;
    }
    let plural = |n: u32, one: &'static str, many: &'static str| if n == 1 { one } else { many };
    let mut line = if board.provider.reads_company_sites() {
        let (failed, skipped) = (fetched.pages_failed, fetched.pages_skipped);
        format!(
            "warning: {board}: incomplete: {failed} job {} not read, {skipped} over the page cap (ingestion.jsonld_max_pages)",
            plural(failed, "page", "pages")
        )
    } else {
        let n = fetched.details_failed;
        format!(
            "warning: {board}: incomplete: {n} {} without description",
            plural(n, "posting", "postings")
        )
    };
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
        let jsonld: BoardRef = "jsonld:https://acme.com/careers"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let pages = BoardFetch {
            incomplete: true,
            pages_failed: 1,
            pages_skipped: 12,
            ..BoardFetch::default()
        };
        assert_eq!(
            incomplete_warning(&jsonld, &pages).as_deref(),
            Some(
                "warning: jsonld:https://acme.com/careers: incomplete: 1 job page not read, \
                 12 over the page cap (ingestion.jsonld_max_pages)"
            )
        );
        assert_eq!(board_json(&jsonld, &pages)["pages_skipped"], json!(12));
    }
}
