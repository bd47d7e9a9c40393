//! Tests of `candidate_pages`: every career path (defect 14, docs/original-system.md#defect-14), at the
//! origin's root, de-duplicated.

#![allow(clippy::unwrap_used)]

use url::Url;

use super::{CAREER_PATHS, candidate_pages};

fn pages(website: &str) -> Vec<String> {
    candidate_pages(&Url::parse(website).unwrap())
        .into_iter()
        .map(String::from)
        .collect()
}

#[test]
fn the_website_comes_first_then_every_career_path_including_job_openings() {
    assert_eq!(
        pages("https://acme.com/"),
        [
            "https://acme.com/",
            "https://acme.com/careers",
            "https://acme.com/jobs",
            "https://acme.com/join-us",
            "https://acme.com/work-with-us",
            "https://acme.com/careers/jobs",
            "https://acme.com/empleo",
            "https://acme.com/trabaja-con-nosotros",
            "https://acme.com/job-opportunities",
            "https://acme.com/job-openings",
            "https://acme.com/jobs/",
        ]
    );
    assert_eq!(CAREER_PATHS.len(), 10);
}

#[test]
fn a_base_without_trailing_slash_or_with_a_port_joins_cleanly() {
    let pages = pages("http://acme.test:8080");
    assert_eq!(pages[0], "http://acme.test:8080/");
    assert_eq!(pages[1], "http://acme.test:8080/careers");
    assert_eq!(pages.len(), 11);
    assert!(
        pages
            .iter()
            .all(|p| !p.contains("//careers") && !p.contains("8080//"))
    );
}

#[test]
fn career_paths_hang_from_the_root_of_a_deep_link_and_drop_its_query() {
    let pages = pages("https://acme.com/es/inicio?utm_source=dir#top");
    assert_eq!(pages[0], "https://acme.com/es/inicio?utm_source=dir");
    assert_eq!(pages[1], "https://acme.com/careers");
    assert_eq!(pages[10], "https://acme.com/jobs/");
}

#[test]
fn a_website_that_is_a_career_path_is_not_fetched_twice() {
    let pages = pages("https://acme.com/careers");
    assert_eq!(pages.len(), 10);
    assert_eq!(
        pages.iter().filter(|p| *p == "https://acme.com/careers").count(),
        1
    );
    assert!(pages.contains(&"https://acme.com/job-openings".to_owned()));
}

#[test]
fn a_url_that_is_not_a_website_yields_no_pages() {
    assert!(pages("mailto:jobs@acme.com").is_empty());
    assert!(pages("ftp://acme.com/").is_empty());
}
