//! Boards without a known ATS (docs/stages.md#discovery-jsonld): schema.org `JobPosting` JSON-LD on the
//! company's own pages. A page read with postings is a `jsonld` board — unless it holds one posting and a
//! careers page read links it as a job page: then that careers page is the board. When no page read has
//! any, a few job pages the careers pages link are read to see whether they carry postings. A `jsonld`
//! board whose postings all belong to a board found before it (ATS-hosted pages embed the same JSON-LD) is
//! dropped, so that no posting is ingested twice: before its validation when the postings already read
//! show it (no page of it fetched again), else after.

use std::collections::HashSet;

use pipeline_ats::jsonld::{job_links, read_page};
use pipeline_domain::{BoardRef, NormalizedPosting};
use pipeline_http::HttpClient;
use url::Url;

use super::links::page_key;
use super::{Candidate, DetectedBoard, How, Rejection};

/// Job pages read at most per site to find postings the pages already read do not show.
pub const MAX_PROBES: usize = 2;

/// What a site's JSON-LD gave: candidates with the titles of the postings seen for each, and scripts that
/// could not be read.
#[derive(Debug, Default)]
pub(crate) struct SiteJsonLd {
    pub candidates: Vec<(Candidate, Vec<String>)>,
    pub malformed: u32,
}

/// The `jsonld` candidates of the pages `read` (the website first, then its career pages), reading at most
/// [`MAX_PROBES`] more pages (added to `read`, so that they are scanned like the others).
pub(crate) async fn candidates(read: &mut Vec<(Url, String)>, pages: &HttpClient) -> SiteJsonLd {
    let mut site = SiteJsonLd::default();
    let found: Vec<(usize, Vec<String>)> = read
        .iter()
        .map(|(url, html)| {
            let page = read_page(html);
            if page.malformed > 0 {
                tracing::warn!(page = %url, scripts = page.malformed,
                    error = page.first_error.as_deref().unwrap_or_default(), "malformed JSON-LD skipped");
            }
            site.malformed += page.malformed;
            (page.job_postings, page.titles)
        })
        .collect();
    let mut links: Vec<Option<HashSet<String>>> = vec![None; read.len()];
    for (i, (postings, titles)) in found.iter().enumerate().filter(|(_, (n, _))| *n > 0) {
        let postings = *postings;
        let page = &read[i].0;
        let listing = (postings == 1)
            .then(|| {
                (1..read.len()).filter(|&j| j != i).find(|&j| {
                    let linked = links[j].get_or_insert_with(|| {
                        job_links(&read[j].0, &read[j].1).iter().map(page_key).collect()
                    });
                    linked.contains(&page_key(page))
                })
            })
            .flatten();
        let board_page = listing.map_or(page, |j| &read[j].0);
        add(&mut site.candidates, board_page, page, titles);
    }
    if site.candidates.is_empty() {
        probe(read, pages, &mut site).await;
    }
    site
}

/// Reads up to [`MAX_PROBES`] job pages linked from the career pages read (not the website itself); the
/// first that carries a posting makes the page linking it a candidate.
async fn probe(read: &mut Vec<(Url, String)>, pages: &HttpClient, site: &mut SiteJsonLd) {
    let mut seen: HashSet<String> = read.iter().map(|(url, _)| page_key(url)).collect();
    let mut targets: Vec<(Url, Url)> = Vec::new();
    for (url, html) in read.iter().skip(1) {
        for link in job_links(url, html) {
            if targets.len() < MAX_PROBES && seen.insert(page_key(&link)) {
                targets.push((url.clone(), link));
            }
        }
    }
    for (careers, link) in targets {
        let Ok(page) = pages.get(&link).await else {
            continue;
        };
        if page.status != 200 {
            continue;
        }
        let html = page.text();
        let found = read_page(&html);
        site.malformed += found.malformed;
        read.push((page.url.clone(), html));
        if found.job_postings > 0 {
            add(&mut site.candidates, &careers, &page.url, &found.titles);
            return;
        }
    }
}

/// Adds the board of `board_page` with the titles seen on `evidence`, or the titles to the candidate that
/// already names that page (`/jobs` and `/jobs/`, or with tracking parameters, are one page: one
/// validation).
fn add(candidates: &mut Vec<(Candidate, Vec<String>)>, board_page: &Url, evidence: &Url, titles: &[String]) {
    let board = BoardRef::careers_page(board_page);
    let key = page_key(board_page);
    match candidates
        .iter_mut()
        .find(|(c, _)| c.board == board || page_key(&c.found_on) == key)
    {
        Some((_, seen)) => seen.extend_from_slice(titles),
        None => candidates.push((
            Candidate {
                board,
                evidence_url: evidence.to_string(),
                found_on: board_page.clone(),
                how: How::JsonLd,
            },
            titles.to_vec(),
        )),
    }
}

/// The candidates to validate, and those whose postings already read are all postings of a validated
/// board: duplicates, rejected without fetching their pages again.
pub(crate) fn seen_duplicates(
    candidates: Vec<(Candidate, Vec<String>)>,
    validated: &[(DetectedBoard, Vec<NormalizedPosting>)],
) -> (Vec<Candidate>, Vec<(Candidate, Rejection)>) {
    let (mut fresh, mut duplicates) = (Vec::new(), Vec::new());
    for (candidate, titles) in candidates {
        let seen = titles.iter().map(|t| (t.as_str(), ""));
        match (titles.is_empty(), covering(validated, seen)) {
            (false, Some(other)) => {
                let reason = format!("its postings are those of {other}: not ingested twice");
                duplicates.push((candidate, Rejection::Duplicate(reason)));
            }
            _ => fresh.push(candidate),
        }
    }
    (fresh, duplicates)
}

/// The validated boards without the `jsonld` ones whose every posting is a posting of a board kept before
/// them (the same title, or the same URL); those go to `rejected` as duplicates.
pub(crate) fn drop_duplicates(
    validated: Vec<(DetectedBoard, Vec<NormalizedPosting>)>,
    rejected: &mut Vec<(Candidate, Rejection)>,
) -> Vec<DetectedBoard> {
    let mut kept: Vec<(DetectedBoard, Vec<NormalizedPosting>)> = Vec::new();
    for (board, postings) in validated {
        let read = postings.iter().map(|p| (p.title.as_str(), p.url.as_str()));
        if board.candidate.board.provider.reads_company_sites()
            && let Some(other) = covering(&kept, read)
        {
            let reason = format!("its postings are those of {other}: not ingested twice");
            tracing::debug!(board = %board.candidate.board, "{reason}");
            rejected.push((board.candidate, Rejection::Duplicate(reason)));
            continue;
        }
        kept.push((board, postings));
    }
    kept.into_iter().map(|(board, _)| board).collect()
}

/// The first kept board, when kept boards hold every one of `postings` (title, URL) — all of them when
/// there are none.
fn covering<'p>(
    kept: &[(DetectedBoard, Vec<NormalizedPosting>)],
    mut postings: impl Iterator<Item = (&'p str, &'p str)>,
) -> Option<String> {
    let first = kept.first()?.0.candidate.board.to_string();
    let titles: HashSet<String> = kept
        .iter()
        .flat_map(|(_, ps)| ps.iter().map(|p| title_key(&p.title)))
        .collect();
    let urls: HashSet<&str> = kept
        .iter()
        .flat_map(|(_, ps)| ps.iter().map(|p| p.url.as_str()))
        .filter(|url| !url.is_empty())
        .collect();
    let covered = |(title, url): (&str, &str)| titles.contains(&title_key(title)) || urls.contains(url);
    postings.all(covered).then_some(first)
}

fn title_key(title: &str) -> String {
    title
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
