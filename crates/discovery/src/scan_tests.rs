//! Tests of `scan_page` on hand-written pages: every kind of evidence, first evidence wins, decoys, a 2 MB page
//! read to its footer, the domain prefilter reading text as a whole-text read does.

#![allow(clippy::unwrap_used)]

use url::Url;

use super::scan::ats_urls;
use super::text::ats_urls_in_text;
use super::{Candidate, How, career_links, scan_page};

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

/// About 2 MB: markup, then inline scripts (multi-byte strings, URLs, JSON-escaped slashes, no ATS), then a
/// footer with a careers link and a board link.
fn two_megabyte_page() -> String {
    let mut html = String::from("<html><head><title>Acme</title></head><body><main>");
    html.push_str(&"<p>Nuestro equipo diseña <a href=\"/producto\">producto</a>.</p>\n".repeat(500));
    html.push_str("</main>");
    let chunk = r#"function f(e){return e.fetch("https://cdn.acme.test/v1/track?id="+e.id,{t:'añadir → cesta'})}
var d={"href":"https:\/\/www.acme.test\/blog\/","img":"//static.acme.test/i/1.png"};if(a<b&&c){d.n++}
"#;
    let script = format!("<script>{}</script>\n", chunk.repeat(500));
    while html.len() + script.len() + 200 < 2_000_000 {
        html.push_str(&script);
    }
    html.push_str(
        "<footer><a href=\"/careers\">Careers</a> <a href=\"https://boards.greenhouse.io/acme\">Jobs</a></footer>",
    );
    html.push_str("</body></html>");
    html
}

#[test]
fn the_whole_page_is_scanned_so_a_footer_link_after_megabytes_of_script_is_found() {
    let html = two_megabyte_page();
    assert!((1_900_000..=2_000_000).contains(&html.len()), "{}", html.len());
    let page = url("https://acme.test/");
    assert_eq!(
        summary(&scan_page(&page, &html)),
        vec![row(
            "greenhouse:acme",
            "https://boards.greenhouse.io/acme",
            How::Link
        )]
    );
    assert_eq!(
        career_links(&page, &html, &[], 5),
        [url("https://acme.test/careers")]
    );
}

#[test]
fn the_domain_prefilter_reads_text_as_a_whole_text_read_does() {
    let texts = [
        "",
        "no ATS here, just https://cdn.acme.test/app.js and lever co",
        "Apply at JOBS.LEVER.CO/Acme, or jobs.lever.co/beta.",
        r#"x={"a":"https:\/\/jobs.lever.co\/acme","b":"https:\/\/boards.greenhouse.io\/gamma"}"#,
        "go https://acme.test/out?to=https://jobs.ashbyhq.com/delta&x=1 now",
        "https://acme.test/a\u{a0}acme.recruitee.com/x\u{3000}beta.recruitee.com (greenhouse.io) [lever.co]",
        "f('//boards.greenhouse.io/embed/job_board/js?for=eps');g(`${a}acme.teamtailor.com`)",
        "mail jobs@acme.personio.de or visit acme.jobs.personio.de; ACME.WD3.MYWORKDAYJOBS.COM/External",
        "señor→https://jobs.smartrecruiters.com/ñandú x greenhouse.iogreenhouse.io|careers.smartrecruiters.com/Z",
    ];
    for text in texts {
        let strings = |urls: Vec<Url>| urls.into_iter().map(String::from).collect::<Vec<_>>();
        assert_eq!(
            strings(ats_urls(text, &mut String::from("STALE"))),
            strings(ats_urls_in_text(text)),
            "{text}"
        );
    }
    assert_eq!(
        ats_urls("Apply at JOBS.LEVER.CO/Acme.", &mut String::new())
            .iter()
            .map(Url::as_str)
            .collect::<Vec<_>>(),
        ["https://jobs.lever.co/Acme"]
    );
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
