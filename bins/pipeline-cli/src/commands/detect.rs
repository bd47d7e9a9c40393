//! `detect URL [--json]`: runs discovery on one website — the same page fetcher, SSRF guard, scanners and
//! validation as the stage — and prints the boards found with their evidence; writes nothing.

use pipeline_ats::AtsClients;
use pipeline_discovery::{Detection, detect};
use pipeline_domain::company::MAX_WEBSITE_CHARS;
use pipeline_domain::config::Config;
use pipeline_domain::text::echo;
use serde_json::{Value, json};
use url::Url;

use crate::exit::{CmdResult, Exit, Failure};
use crate::output::print_json;

pub async fn run(config: &Config, url: &str, as_json: bool) -> CmdResult {
    let website = parse(url)?;
    let services = pipeline_runners::Services::from_config(config)?;
    // Validation needs no posting's details: a budget of 0.
    let clients = AtsClients::from_config(
        config,
        &services.http,
        &services.pages,
        0,
        &services.throttles,
        &services.clock,
    );
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

/// The website to run discovery on: an http(s) URL with a host, of at most [`MAX_WEBSITE_CHARS`] characters;
/// one without a scheme (`acme.com`, `acme.com:8443/jobs`) is read as `https://…`. Any other scheme — `ftp://`,
/// `file:`, `data:`, `javascript:`, `mailto:` — is a usage error (exit 2). Messages quote the URL cut to
/// 200 characters.
fn parse(url: &str) -> Result<Url, Failure> {
    let url = url.trim();
    let shown = echo(url);
    if url.chars().nth(MAX_WEBSITE_CHARS).is_some() {
        let length = url.chars().count();
        return Err(Failure::usage(format!(
            "`{shown}` is {length} characters long: a website URL has at most {MAX_WEBSITE_CHARS}"
        )));
    }
    let text = if has_scheme(url) {
        url.to_owned()
    } else {
        format!("https://{url}")
    };
    let parsed = Url::parse(&text).map_err(|e| Failure::usage(format!("`{shown}` is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Failure::usage(format!(
            "`{shown}`: only http(s) URLs can be detected, not `{}:`",
            echo(parsed.scheme())
        )));
    }
    if parsed.host().is_none() {
        return Err(Failure::usage(format!("`{shown}` is not a URL: no host")));
    }
    Ok(parsed)
}

/// Whether `text` starts with a scheme: `x://…`, or `x:…` unless a port number follows the colon
/// (`acme.com:8443` is a host and a port).
fn has_scheme(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let scheme_like = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    scheme_like && (rest.starts_with("//") || !rest.starts_with(|c: char| c.is_ascii_digit()))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str) -> String {
        let failure = parse(url).expect_err(url);
        assert_eq!(failure.exit as i32, 2, "{url}");
        failure.message
    }

    #[test]
    fn detect_takes_only_http_urls() {
        for (given, read) in [
            ("acme.com", "https://acme.com/"),
            ("acme.com:8443/jobs", "https://acme.com:8443/jobs"),
            ("127.0.0.1:8080", "https://127.0.0.1:8080/"),
            ("http://Acme.com/careers", "http://acme.com/careers"),
        ] {
            assert_eq!(
                parse(given).map(String::from).ok().as_deref(),
                Some(read),
                "{given}"
            );
        }
        for url in [
            "ftp://acme.com/",
            "file:///etc/passwd",
            "file:/etc/passwd",
            "data:text/html,<a href=x>",
            "javascript:alert(1)",
            "mailto:jobs@acme.com",
        ] {
            assert!(refused(url).contains("only http(s) URLs"), "{url}");
        }
        assert!(refused("https://").contains("not a URL"));
    }

    #[test]
    fn detect_quotes_a_huge_url_cut_short() {
        let message = refused(&format!("https://acme.com/{}", "a".repeat(100_000)));
        assert!(message.len() < 400, "{message}");
        assert!(message.contains("…` is 100017 characters long"), "{message}");
    }
}
