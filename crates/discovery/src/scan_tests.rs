//! Tests of `scan_page` on hand-written pages: every kind of evidence, first evidence wins, decoys, the limit.

#![allow(clippy::unwrap_used)]

use url::Url;

use super::{Candidate, How, MAX_SCANNED_CHARS, scan_page};

const CAREERS_MIXED: &str = include_str!("../tests/fixtures/careers_mixed.html");
const DECOYS: &str = include_str!("../tests/fixtures/decoys.html");
const GH_JID_LISTING: &str = include_str!("../tests/fixtures/gh_jid_listing.html");

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

/// (board, evidence, how) of each candidate, in order.
fn summary(candidates: &[Candidate]) -> Vec<(String, String, How)> {
    candidates
        .iter()
        .map(|c| (c.board.to_string(), c.evidence_url.clone(), c.how))
        .collect()
}

fn row(board: &str, evidence: &str, how: How) -> (String, String, How) {
    (board.to_owned(), evidence.to_owned(), how)
}

#[test]
fn a_page_with_every_kind_of_evidence_yields_each_board_once_in_document_order() {
    let page = url("https://acme.test/careers");
    let candidates = scan_page(&page, CAREERS_MIXED);
    assert_eq!(
        summary(&candidates),
        vec![
            row(
                "lever:acme-labs",
                "https://jobs.lever.co/acme-labs/0b5f3a1c-2d4e-4f60-a1b2-c3d4e5f60718",
                How::Link
            ),
            row(
                "greenhouse:acmegh",
                "https://boards.greenhouse.io/embed/job_board?for=acmegh&b=https%3A%2F%2Facme.test",
                How::Iframe
            ),
            row(
                "ashby:AcmeAshby",
                "https://jobs.ashbyhq.com/AcmeAshby/embed?version=2",
                How::Script
            ),
            row(
                "greenhouse:acmeeu@eu",
                "https://boards.eu.greenhouse.io/embed/job_board/js?for=acmeeu",
                How::Script
            ),
            row("personio:acme", "https://acme.jobs.personio.de/", How::Script),
            row("recruitee:acme", "https://acme.recruitee.com/", How::Text),
            row(
                "smartrecruiters:AcmeGroup",
                "https://careers.smartrecruiters.com/AcmeGroup",
                How::Text
            ),
            row(
                "workday:acme/wd3/External",
                "https://acme.wd3.myworkdayjobs.com/en-US/External",
                How::Iframe
            ),
        ]
    );
    assert!(candidates.iter().all(|c| c.found_on == page));
}

#[test]
fn decoys_name_no_board() {
    // Blog mentions of bare ATS domains, reserved segments, API roots, an e-mail address on an ATS host, asset
    // CDNs, a Workday locale without a site, `?gh_jid=` links and a non-web scheme.
    let candidates = scan_page(&url("https://acme.test/blog/como-elegimos-nuestro-ats"), DECOYS);
    assert_eq!(summary(&candidates), vec![]);
}

#[test]
fn a_custom_greenhouse_listing_is_found_by_its_inline_api_call() {
    let candidates = scan_page(&url("https://acme.test/careers"), GH_JID_LISTING);
    assert_eq!(
        summary(&candidates),
        vec![row(
            "greenhouse:AcmeCo",
            "https://boards-api.greenhouse.io/v1/boards/AcmeCo/jobs",
            How::Script
        )]
    );
}

#[test]
fn relative_and_protocol_relative_references_are_resolved_against_the_page() {
    let html = r#"<a href="acme">Acme</a><iframe src="//jobs.ashbyhq.com/beta/embed"></iframe>
        <script src="/embed/job_board/js?for=gamma"></script>"#;
    let on_lever = scan_page(&url("https://jobs.lever.co/"), html);
    // On Lever's host the Greenhouse-shaped path is `jobs.lever.co/embed/...`: a reserved segment, no board.
    assert_eq!(
        summary(&on_lever),
        vec![
            row("lever:acme", "https://jobs.lever.co/acme", How::Link),
            row("ashby:beta", "https://jobs.ashbyhq.com/beta/embed", How::Iframe),
        ]
    );
    let on_greenhouse = scan_page(&url("http://boards.greenhouse.io/page"), html);
    assert_eq!(
        summary(&on_greenhouse),
        vec![
            row("greenhouse:acme", "http://boards.greenhouse.io/acme", How::Link),
            row("ashby:beta", "http://jobs.ashbyhq.com/beta/embed", How::Iframe),
            row(
                "greenhouse:gamma",
                "http://boards.greenhouse.io/embed/job_board/js?for=gamma",
                How::Script
            ),
        ]
    );
}

#[test]
fn the_first_evidence_of_a_board_wins_whatever_its_kind() {
    let html = r#"<p>Apply at jobs.lever.co/acme.</p>
        <a href="https://jobs.lever.co/ACME">Jobs</a>
        <iframe src="https://jobs.lever.co/acme"></iframe>"#;
    let candidates = scan_page(&url("https://acme.test/"), html);
    assert_eq!(
        summary(&candidates),
        vec![row("lever:acme", "https://jobs.lever.co/acme", How::Text)]
    );
    let html = r#"<a href="https://jobs.lever.co/ACME">Jobs</a><p>jobs.lever.co/acme</p>"#;
    let candidates = scan_page(&url("https://acme.test/"), html);
    assert_eq!(
        summary(&candidates),
        vec![row("lever:ACME", "https://jobs.lever.co/ACME", How::Link)]
    );
}

#[test]
fn variants_are_different_boards() {
    let html = r#"<a href="https://jobs.lever.co/acme">US</a><a href="https://jobs.eu.lever.co/acme">EU</a>"#;
    let boards: Vec<String> = scan_page(&url("https://acme.test/"), html)
        .iter()
        .map(|c| c.board.to_string())
        .collect();
    assert_eq!(boards, ["lever:acme", "lever:acme@eu"]);
}

#[test]
fn json_escaped_urls_in_scripts_are_read() {
    let html = r#"<script>window.__DATA__ = {"jobs":"https:\/\/jobs.lever.co\/acme"};</script>"#;
    let candidates = scan_page(&url("https://acme.test/"), html);
    assert_eq!(
        summary(&candidates),
        vec![row("lever:acme", "https://jobs.lever.co/acme", How::Script)]
    );
}

#[test]
fn only_the_first_200_000_characters_are_scanned() {
    // Multi-byte padding: the limit counts characters, not bytes.
    let padding = "ñ".repeat(MAX_SCANNED_CHARS - 100);
    let inside = format!("<p>{padding}</p><a href=\"https://jobs.lever.co/early\">x</a>");
    assert!(inside.chars().count() < MAX_SCANNED_CHARS);
    let html = format!(
        "{inside}{}<a href=\"https://jobs.lever.co/late\">y</a>",
        " ".repeat(200)
    );
    let boards: Vec<String> = scan_page(&url("https://acme.test/"), &html)
        .iter()
        .map(|c| c.board.to_string())
        .collect();
    assert_eq!(boards, ["lever:early"]);
}

#[test]
fn how_prints_as_the_contract_names_it() {
    let names: Vec<&str> = [How::Link, How::Iframe, How::Script, How::Text]
        .into_iter()
        .map(How::as_str)
        .collect();
    assert_eq!(names, ["link", "iframe", "script", "text"]);
    assert_eq!(serde_json::to_string(&How::Iframe).unwrap(), "\"iframe\"");
    assert_eq!(How::Text.to_string(), "text");
}
