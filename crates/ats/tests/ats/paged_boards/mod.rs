//! The Personio, Teamtailor and Workday clients against the world: every generated board matches the world's
//! open postings, the Personio `com` variant and validators, Teamtailor and Workday paging, the Workday detail
//! budget, gone boards, malformed bodies and retried 503s.

mod personio;
mod teamtailor;
mod workday;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use pipeline_ats::{
    AtsClient, AtsError, BoardFetch, DetailBudget, Endpoints, PersonioClient, TeamtailorClient, WorkdayClient,
};
use pipeline_domain::{Classify, ErrorClass, ManualClock, NormalizedPosting, Workplace};
use pipeline_http::HttpError;
use pipeline_testkit::{
    Board, Fault, Provider, Target, World, WorldHandle, html_to_plain, render_description,
};

fn start(seed: u64, companies: usize) -> WorldHandle {
    crate::support::world(seed, companies)
}

use crate::support::fast_http as http;

fn personio(world: &WorldHandle) -> PersonioClient {
    let endpoints = Endpoints {
        base_url: format!("{}/personio/{{tenant}}", world.base_url()),
        eu_base_url: None,
        com_base_url: Some(format!("{}/personio-com/{{tenant}}", world.base_url())),
    };
    PersonioClient::new(endpoints, http())
}

fn teamtailor(world: &WorldHandle) -> TeamtailorClient {
    TeamtailorClient::new(
        Endpoints::new(format!("{}/teamtailor/{{tenant}}", world.base_url())),
        http(),
    )
}

/// A Workday client whose clock is the world's (its "Posted N Days Ago" counts from the world's day).
fn workday(world: &WorldHandle, budget: u64) -> WorkdayClient {
    let endpoints = Endpoints::new(format!("{}/workday/{{tenant}}/{{pod}}", world.base_url()));
    let now = world.read(World::now);
    WorkdayClient::new(endpoints, http(), DetailBudget::new(budget))
        .with_clock(Arc::new(ManualClock::new(now)))
}

use crate::support::boards;

use crate::support::reference;

fn board(world: &WorldHandle, provider: Provider, min_postings: usize) -> Board {
    boards(world, provider)
        .into_iter()
        .find(|b| b.postings.len() >= min_postings && b.reference.variant.is_none())
        .unwrap_or_else(|| panic!("the world has a {provider} board with {min_postings}+ postings"))
}

/// Adds `n` postings to a board (in the provider's id style).
fn grow(world: &WorldHandle, board: &Board, n: usize) -> Board {
    let provider = board.reference.provider;
    world.update(|w| {
        for i in 0..n {
            let html =
                format!("<p>Role number {i}: pagos en <b>USD</b> &amp; GBP.</p><ul><li>Rust</li></ul>");
            let posting = w.new_posting_for(provider, &format!("Added Role {i}"), &html);
            assert!(w.add_posting(&board.reference, posting));
        }
        w.board(&board.reference).cloned().unwrap()
    })
}

/// Every open listed posting of the world's board is there, once, with its title and a plain-text
/// description carrying every line of the world's own rendering.
fn assert_matches_world(board: &Board, fetch: &BoardFetch) {
    let listed: Vec<_> = board.postings.iter().filter(|p| p.listed).collect();
    let mut expected: Vec<(String, String)> =
        listed.iter().map(|p| (p.id.clone(), p.title.clone())).collect();
    let mut got: Vec<(String, String)> = fetch
        .postings
        .iter()
        .map(|p| (p.external_id.clone(), p.title.clone()))
        .collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "{}: ids and titles", board.reference);
    for posting in &listed {
        let ours = by_id(fetch, &posting.id);
        let plain = html_to_plain(&render_description(
            &posting.description,
            &posting.title,
            &board.company_name,
        ));
        assert_plain_text_covers(&ours.description, &plain, &board.reference.to_string());
        assert!(
            ours.url.starts_with("https://"),
            "{}: public URL {}",
            board.reference,
            ours.url
        );
    }
}

fn assert_plain_text_covers(ours: &str, world_plain: &str, board: &str) {
    assert!(!ours.trim().is_empty(), "{board}: empty description");
    for markup in ["<p>", "<li>", "</", "<br", "&amp;", "&lt;", "&#39;", "&quot;"] {
        assert!(!ours.contains(markup), "{board}: `{markup}` left in {ours:?}");
    }
    let lines: Vec<&str> = ours.lines().map(str::trim).collect();
    for line in world_plain.lines().map(str::trim).filter(|l| !l.is_empty()) {
        assert!(
            lines.contains(&line),
            "{board}: line {line:?} missing from {ours:?}"
        );
    }
}

fn by_id<'a>(fetch: &'a BoardFetch, id: &str) -> &'a NormalizedPosting {
    fetch
        .postings
        .iter()
        .find(|p| p.external_id == id)
        .unwrap_or_else(|| panic!("posting {id} fetched"))
}

fn detail_calls(world: &WorldHandle, tenant: &str) -> usize {
    world
        .log()
        .for_label("workday")
        .filter(|e| e.tenant.as_deref() == Some(tenant) && e.method == "GET" && e.path.contains("/job/"))
        .count()
}

fn workplace(w: pipeline_testkit::Workplace) -> Workplace {
    match w {
        pipeline_testkit::Workplace::Remote => Workplace::Remote,
        pipeline_testkit::Workplace::Hybrid => Workplace::Hybrid,
        pipeline_testkit::Workplace::OnSite => Workplace::Onsite,
    }
}
