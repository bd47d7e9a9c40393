//! `detect URL [--json]`: runs discovery on one website — the same page fetcher, SSRF guard, scanners and
//! validation as the stage — and prints the boards found with their evidence; writes nothing.

use pipeline_ats::{AtsClients, DetailBudget};
use pipeline_discovery::{Detection, detect};
use pipeline_domain::config::Config;
use serde_json::{Value, json};
use url::Url;

use crate::exit::{CmdResult, Exit, Failure};
use crate::output::print_json;

pub async fn run(config: &Config, url: &str, as_json: bool) -> CmdResult {
    let website = parse(url)?;
    let services = pipeline_runners::Services::from_config(config)?;
    // Validation needs no posting's details: a budget of 0.
    let clients = AtsClients::from_config(config, services.http.clone(), DetailBudget::new(0));
    let detection = detect(
        &website,
        &services.pages,
        config.discovery.max_links_to_follow as usize,
        &clients,
    )
    .await;
    if as_json {
        print_json(&to_json(&detection));
    } else {
        print_text(&detection);
    }
    // A site that cannot be read, or a board its provider could not confirm right now: needs attention.
    Ok(
        if detection.error.is_some() || detection.has_transient_rejection() {
            Exit::Attention
        } else {
            Exit::Ok
        },
    )
}

/// `acme.com` is read as `https://acme.com`.
fn parse(url: &str) -> Result<Url, Failure> {
    let url = url.trim();
    let parsed = if url.contains("://") {
        Url::parse(url)
    } else {
        Url::parse(&format!("https://{url}"))
    };
    parsed.map_err(|e| Failure::usage(format!("`{url}` is not a URL: {e}")))
}

fn to_json(d: &Detection) -> Value {
    let boards: Vec<Value> = d
        .boards
        .iter()
        .map(|b| {
            let c = &b.candidate;
            json!({
                "board": c.board.to_string(),
                "provider": c.board.provider.key(),
                "tenant": c.board.tenant,
                "variant": c.board.variant,
                "evidence_url": c.evidence_url,
                "found_on": c.found_on.as_str(),
                "how": c.how.as_str(),
                "job_count": b.job_count,
                "company_name": b.company_name,
            })
        })
        .collect();
    let unconfirmed: Vec<Value> = d
        .rejected
        .iter()
        .map(|(c, reason)| {
            json!({
                "board": c.board.to_string(),
                "evidence_url": c.evidence_url,
                "found_on": c.found_on.as_str(),
                "how": c.how.as_str(),
                "reason": reason.kind(),
                "message": reason.to_string(),
            })
        })
        .collect();
    json!({
        "url": d.url.as_str(),
        "boards": boards,
        "unconfirmed": unconfirmed,
        "pages_fetched": d.pages_fetched,
        "error": d.error.as_ref().map(ToString::to_string),
    })
}

fn print_text(d: &Detection) {
    if let Some(error) = &d.error {
        println!("{}: could not be read: {error}", d.url);
        return;
    }
    println!(
        "{}: {} page(s) read, {} board(s) found",
        d.url,
        d.pages_fetched,
        d.boards.len()
    );
    for b in &d.boards {
        let c = &b.candidate;
        let name = b.company_name.as_deref().unwrap_or("-");
        println!(
            "  {:<36} {:>4} jobs  {:<6} {}  (on {}; API name: {name})",
            c.board.to_string(),
            b.job_count,
            c.how.as_str(),
            c.evidence_url,
            c.found_on
        );
    }
    for (c, reason) in &d.rejected {
        println!("  not confirmed: {} ({}): {reason}", c.board, c.evidence_url);
    }
}
