//! The `jsonld` client against the world's careers sites: every posting of a company's own board read
//! from its careers page or the job pages it links (clean or sloppy JSON-LD alike); the careers page asked
//! conditionally when it is the whole board; postings past `validThrough` not open; a job page that fails,
//! or the page cap, makes the fetch incomplete; a careers page that is gone is `Gone`.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use pipeline_ats::{AtsClient, AtsError, BoardFetch, JsonLdClient};
use pipeline_domain::{Backoff, BoardRef, Clock};
use pipeline_http::{HostOverride, HttpClient, HttpSettings, OverrideResolver};
use pipeline_testkit::{Board, Company, Fault, JsonLdKind, JsonLdLayout, RetryAfter, Target, WorldHandle};

use super::support::world;

fn site_http() -> HttpClient {
    HttpClient::new(HttpSettings {
        resolver: OverrideResolver::new(vec![HostOverride::new("*.test", "127.0.0.1").unwrap()]),
        backoff: Backoff {
            base: Duration::from_millis(1),
            max: Duration::from_millis(5),
            jitter: 0.5,
        },
        retries: 1,
        ..HttpSettings::default()
    })
    .unwrap()
    .one_request_per_host()
}

fn client(world: &WorldHandle, max_pages: u32) -> JsonLdClient {
    let clock: Arc<dyn Clock> = Arc::new(world.clock());
    JsonLdClient::new(site_http(), max_pages).with_clock(clock)
}

/// The companies publishing their own postings as JSON-LD, with their boards as the world serves them.
fn own_sites(world: &WorldHandle) -> Vec<(Company, Board)> {
    world.read(|w| {
        w.companies
            .iter()
            .filter_map(|c| match &c.site.jsonld.as_ref()?.kind {
                JsonLdKind::Own(board) => Some((c.clone(), w.board(board)?.clone())),
                _ => None,
            })
            .collect()
    })
}

fn site(world: &WorldHandle, layout: JsonLdLayout, min_postings: usize) -> (Company, Board) {
    own_sites(world)
        .into_iter()
        .find(|(c, b)| {
            c.site.jsonld.as_ref().is_some_and(|j| j.layout == layout) && b.postings.len() >= min_postings
        })
        .unwrap_or_else(|| panic!("the world has a {layout:?} site with {min_postings}+ postings"))
}

fn reference(board: &Board) -> BoardRef {
    board.reference.to_string().parse().unwrap()
}

fn ids(fetch: &BoardFetch) -> BTreeSet<String> {
    fetch.postings.iter().map(|p| p.external_id.clone()).collect()
}

fn world_ids(board: &Board) -> BTreeSet<String> {
    board.postings.iter().map(|p| p.id.clone()).collect()
}

#[tokio::test]
async fn every_own_site_is_read_whole_from_its_careers_page_or_its_job_pages() {
    let world = world(11, 300);
    let sites = own_sites(&world);
    assert!(sites.len() >= 4, "{} sites", sites.len());
    let client = client(&world, 200);
    for (company, board) in sites {
        let fetch = client.fetch_board(&reference(&board), None).await.unwrap();
        let layout = company.site.jsonld.as_ref().unwrap().layout;
        assert_eq!(ids(&fetch), world_ids(&board), "{}", company.domain);
        assert!(!fetch.incomplete, "{}", company.domain);
        assert_eq!(
            fetch.jsonld_malformed, 0,
            "{}: sloppy is repaired",
            company.domain
        );
        assert_eq!(fetch.company_name.as_deref(), Some(board.company_name.as_str()));
        let pages = match layout {
            JsonLdLayout::Inline => 1,
            JsonLdLayout::JobPages => 1 + board.postings.len() as u32,
        };
        assert_eq!(fetch.requests, pages, "{}", company.domain);
        let first = board.postings.first().unwrap();
        let read = fetch.postings.iter().find(|p| p.external_id == first.id).unwrap();
        assert_eq!(read.title, first.title);
        assert_eq!(read.published_at, Some(first.published_at));
        assert!(!read.description.is_empty() && !read.description.contains('<'));
        // Locality, region, country; a region repeating the locality (Berlin, Berlin) once.
        let place = read.locations.first().unwrap();
        assert!(
            place.starts_with(&first.location.city) && place.ends_with(&first.location.country_code),
            "{place}"
        );
        let remote = first.workplace == pipeline_testkit::Workplace::Remote;
        assert_eq!(
            read.workplace == Some(pipeline_domain::Workplace::Remote),
            remote,
            "TELECOMMUTE"
        );
    }
}

#[tokio::test]
async fn a_one_page_board_is_asked_conditionally_and_an_expiring_one_is_not() {
    let world = world(11, 300);
    let (company, board) = site(&world, JsonLdLayout::Inline, 2);
    let client = client(&world, 200);
    let reference = reference(&board);
    let first = client.fetch_board(&reference, None).await.unwrap();
    let validators = first.validators.clone().expect("validators of a one-page board");
    let again = client
        .fetch_board(&reference, Some(validators.clone()))
        .await
        .unwrap();
    assert!(
        again.not_modified && again.postings.is_empty(),
        "{}",
        company.domain
    );

    let expired = board.postings[0].id.clone();
    let yesterday = world.read(|w| w.now()) - chrono::Duration::days(1);
    world.update(|w| w.modify_posting(&board.reference, &expired, |p| p.valid_through = Some(yesterday)));
    let changed = client.fetch_board(&reference, Some(validators)).await.unwrap();
    assert!(!changed.not_modified);
    assert!(
        !ids(&changed).contains(&expired),
        "past its validThrough: not open"
    );
    assert_eq!(changed.postings.len(), board.postings.len() - 1);
    assert!(
        changed.validators.is_none(),
        "a board whose postings expire is read whole every time"
    );
}

#[tokio::test]
async fn a_failed_job_page_or_the_page_cap_leaves_the_fetch_incomplete() {
    let world = world(11, 300);
    let (_, board) = site(&world, JsonLdLayout::JobPages, 3);
    let reference = reference(&board);
    let capped = client(&world, 2).fetch_board(&reference, None).await.unwrap();
    assert!(capped.incomplete);
    assert_eq!(capped.postings.len(), 1);
    assert_eq!(capped.pages_skipped as usize, board.postings.len() - 1);

    let careers = url::Url::parse(&board.reference.tenant).unwrap();
    let job = |i: usize| format!("{}/{}", careers.path(), board.postings[i].id);
    world.script_fault(Target::PathPrefix(job(0)), 10, Fault::Status(503));
    world.script_fault(Target::PathPrefix(job(1)), 10, Fault::Status(404));
    let fetch = client(&world, 200).fetch_board(&reference, None).await.unwrap();
    world.clear_faults();
    assert!(fetch.incomplete && fetch.pages_failed == 1, "{fetch:?}");
    assert!(fetch.detail_error.as_deref().is_some_and(|e| e.contains("503")));
    assert_eq!(
        fetch.postings.len(),
        board.postings.len() - 2,
        "a gone job page holds no posting"
    );

    world.script_fault(
        Target::PathPrefix(job(0)),
        10,
        Fault::TooManyRequests(RetryAfter::Seconds(3600)),
    );
    let limited = client(&world, 200).fetch_board(&reference, None).await.unwrap();
    world.clear_faults();
    assert!(limited.rate_limited.is_some() && limited.incomplete);
    assert_eq!(
        limited.pages_failed as usize,
        board.postings.len(),
        "the rest are not asked for"
    );
}

#[tokio::test]
async fn a_careers_page_that_is_gone_makes_the_board_gone() {
    let world = world(11, 300);
    let (company, board) = site(&world, JsonLdLayout::Inline, 1);
    world.update(|w| {
        if let Some(c) = w.company_mut(&company.domain) {
            c.site.careers_path = None;
        }
    });
    let error = client(&world, 200)
        .fetch_board(&reference(&board), None)
        .await
        .unwrap_err();
    assert!(
        matches!(error, AtsError::Gone { .. }) && error.is_gone(),
        "{error}"
    );
}
