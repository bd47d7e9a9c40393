//! Tests of `career_links`: same site, keywords, no files or non-web links, length, ATS hosts, max, exclude.

#![allow(clippy::unwrap_used)]

use url::Url;

use super::{MAX_LINK_LEN, career_links};

const HOME_LINKS: &str = include_str!("../tests/fixtures/home_links.html");
const GH_JID_LISTING: &str = include_str!("../tests/fixtures/gh_jid_listing.html");

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

fn links(page: &str, html: &str, exclude: &[&str], max: usize) -> Vec<String> {
    let exclude: Vec<Url> = exclude.iter().map(|u| url(u)).collect();
    career_links(&url(page), html, &exclude, max)
        .into_iter()
        .map(String::from)
        .collect()
}

#[test]
fn only_same_site_career_pages_are_followed_once_each_in_document_order() {
    // Excluded: the page itself, mailto/tel/javascript/#/empty, files, ATS boards, other hosts, non-web
    // schemes, links without a keyword; repeats that differ by slash, www., fragment or utm_* are one page.
    assert_eq!(
        links("https://acme.test/", HOME_LINKS, &[], 100),
        [
            "https://acme.test/careers",
            "https://acme.test/company/open-positions-jobs",
            "https://acme.test/equipo/join",
            "https://acme.test/trabaja-con-nosotros",
            "https://acme.test/es/empleo",
            "https://acme.test/people/opportunities",
            "https://acme.test/vacantes/",
        ]
    );
}

#[test]
fn www_is_ignored_when_comparing_hosts() {
    let html =
        r#"<a href="https://www.acme.test/careers">a</a><a href="https://blog.acme.test/careers">b</a>"#;
    assert_eq!(
        links("https://acme.test/", html, &[], 5),
        ["https://www.acme.test/careers"]
    );
    let html = r#"<a href="https://acme.test/jobs">a</a>"#;
    assert_eq!(
        links("https://www.acme.test/", html, &[], 5),
        ["https://acme.test/jobs"]
    );
}

#[test]
fn pages_already_fetched_are_excluded() {
    let exclude = [
        "https://acme.test/careers",
        "https://acme.test/trabaja-con-nosotros",
    ];
    let found = links("https://acme.test/", HOME_LINKS, &exclude, 3);
    assert_eq!(
        found,
        [
            "https://acme.test/company/open-positions-jobs",
            "https://acme.test/equipo/join",
            "https://acme.test/es/empleo",
        ]
    );
}

#[test]
fn at_most_max_links_are_returned() {
    assert_eq!(links("https://acme.test/", HOME_LINKS, &[], 2).len(), 2);
    assert!(links("https://acme.test/", HOME_LINKS, &[], 0).is_empty());
}

#[test]
fn job_id_links_of_a_greenhouse_listing_are_the_listing_itself() {
    // The page's fifty `?gh_jid=` links must not use up the links to follow.
    assert_eq!(
        links("https://acme.test/careers", GH_JID_LISTING, &[], 5),
        ["https://acme.test/sobre-nosotros/vacantes"]
    );
}

#[test]
fn keywords_are_read_in_the_path_and_query_not_the_domain() {
    let html = r#"<a href="/about">About</a><a href="/index.php?page=careers">Careers</a>"#;
    assert_eq!(
        links("https://jobsforall.test/", html, &[], 5),
        ["https://jobsforall.test/index.php?page=careers"]
    );
}

#[test]
fn links_longer_than_the_limit_are_skipped() {
    let long = format!("/careers/{}", "a".repeat(MAX_LINK_LEN));
    let fits = format!(
        "/careers/{}",
        "b".repeat(MAX_LINK_LEN - "https://acme.test/careers/".len())
    );
    let html = format!(r#"<a href="{long}">long</a><a href="{fits}">fits</a>"#);
    let found = links("https://acme.test/", &html, &[], 5);
    assert_eq!(found, [format!("https://acme.test{fits}")]);
    assert_eq!(found[0].len(), MAX_LINK_LEN);
}

#[test]
fn a_page_on_an_ats_host_offers_no_links_to_follow() {
    let html = r#"<a href="/acme/jobs">jobs</a><a href="https://jobs.lever.co/careers-page">careers</a>"#;
    assert!(links("https://jobs.lever.co/acme", html, &[], 5).is_empty());
}
