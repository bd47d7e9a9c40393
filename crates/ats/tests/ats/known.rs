//! Source hashes against the simulated world: a board read twice gives each posting the same source, and a
//! second fetch that knows them reads none of them again (they come back as `unchanged`), while a posting
//! it does not know is normalized as the first fetch normalized it. A board answered 304 never reads the
//! stored postings it is given. SmartRecruiters and Workday recognise a posting by its list item only while
//! the board's details are fresh, and then make no detail call for it; otherwise they read every detail.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use pipeline_ats::{
    AshbyClient, AtsClient, DetailBudget, Endpoints, GreenhouseClient, Known, LeverClient,
    SmartRecruitersClient, TeamtailorClient, WorkableClient, WorkdayClient,
};
use pipeline_testkit::{Provider, WorldHandle};

use crate::support::{boards, fast_http, reference, world};

fn client(world: &WorldHandle, provider: Provider) -> Box<dyn AtsClient> {
    let base = world.base_url();
    let at = |path: &str| Endpoints::new(format!("{base}/{path}"));
    let budget = DetailBudget::new(10_000);
    match provider {
        Provider::Greenhouse => Box::new(GreenhouseClient::new(at("greenhouse"), fast_http())),
        Provider::Lever => Box::new(LeverClient::new(at("lever"), fast_http())),
        Provider::Ashby => Box::new(AshbyClient::new(at("ashby"), fast_http())),
        Provider::Workable => Box::new(WorkableClient::new(at("workable"), fast_http())),
        Provider::SmartRecruiters => Box::new(SmartRecruitersClient::new(
            at("smartrecruiters"),
            fast_http(),
            budget,
        )),
        Provider::Teamtailor => Box::new(TeamtailorClient::new(at("teamtailor/{tenant}"), fast_http())),
        Provider::Workday => Box::new(WorkdayClient::new(
            at("workday/{tenant}/{pod}"),
            fast_http(),
            budget,
        )),
        other => panic!("{other} gives no source hashes"),
    }
}

#[tokio::test]
async fn a_known_posting_is_not_read_again_and_an_unknown_one_reads_as_before() {
    let world = world(31, 120);
    let providers = [
        Provider::Greenhouse,
        Provider::Lever,
        Provider::Ashby,
        Provider::Workable,
        Provider::SmartRecruiters,
        Provider::Teamtailor,
        Provider::Workday,
    ];
    for provider in providers {
        let client = client(&world, provider);
        for board in plain_boards(&world, provider, 2).into_iter().take(3) {
            let r = reference(&board);
            let first = client.fetch_board(&r, None).await.unwrap();
            let ids: BTreeSet<&str> = first.postings.iter().map(|p| p.external_id.as_str()).collect();
            assert_eq!(first.sources.len(), ids.len(), "{r}: a source per posting");
            assert!(first.unchanged.is_empty());
            // Deferred, as the stage gives it: read once the board's answer is in.
            let known = deferred(&first.sources).with_details_fresh(true);
            let again = client.fetch_known(&r, None, &known).await.unwrap();
            assert!(again.postings.is_empty(), "{r}: {:?}", again.postings);
            let unchanged: BTreeSet<&str> = again.unchanged.iter().map(String::as_str).collect();
            assert_eq!(unchanged, ids, "{r}");
            assert_eq!(again.unchanged.len(), ids.len(), "{r}: each once");
            if describes(provider) {
                // No detail call: the list pages only.
                assert_eq!(again.details_reused as usize, ids.len(), "{r}");
                assert_eq!(
                    again.requests as usize,
                    first.requests as usize - ids.len(),
                    "{r}"
                );
            } else {
                assert_eq!((again.details_reused, again.requests), (0, first.requests), "{r}");
            }
            // One posting forgotten: read again, as the first fetch read it.
            let forgotten = &first.postings[0];
            let mut partial = Known::default();
            for (id, source) in first
                .sources
                .iter()
                .filter(|(id, _)| **id != forgotten.external_id)
            {
                partial.insert(*source, id.clone());
            }
            let third = client
                .fetch_known(&r, None, &partial.with_details_fresh(true))
                .await
                .unwrap();
            assert_eq!(third.postings, std::slice::from_ref(forgotten), "{r}");
            assert_eq!(third.unchanged.len(), ids.len() - 1, "{r}");
        }
    }
}

/// The provider's boards on its default host with at least `postings` postings; at least one.
fn plain_boards(world: &WorldHandle, provider: Provider, postings: usize) -> Vec<pipeline_testkit::Board> {
    let plain: Vec<_> = boards(world, provider)
        .into_iter()
        .filter(|b| b.reference.variant.is_none() && b.postings.len() >= postings)
        .collect();
    assert!(!plain.is_empty(), "the world has {provider} boards");
    plain
}

/// The providers with a detail call per posting.
fn describes(provider: Provider) -> bool {
    matches!(provider, Provider::SmartRecruiters | Provider::Workday)
}

/// A deferred set of `sources`.
fn deferred(sources: &std::collections::HashMap<String, pipeline_ats::SourceHash>) -> Known {
    let sources = sources.clone();
    Known::deferred(async move {
        let mut known = Known::default();
        for (id, source) in sources {
            known.insert(source, id);
        }
        known
    })
}

#[tokio::test]
async fn without_fresh_details_every_detail_is_read_and_every_posting_normalized_again() {
    let world = world(33, 120);
    for provider in [Provider::SmartRecruiters, Provider::Workday] {
        let client = client(&world, provider);
        let board = plain_boards(&world, provider, 2).remove(0);
        let r = reference(&board);
        let first = client.fetch_board(&r, None).await.unwrap();
        // Everything known, but the board's details are not fresh: a full description pass.
        let again = client
            .fetch_known(&r, None, &deferred(&first.sources))
            .await
            .unwrap();
        assert_eq!(again.postings, first.postings, "{r}");
        assert_eq!(again.sources, first.sources, "{r}: the list items' sources");
        assert!(again.unchanged.is_empty(), "{r}");
        assert_eq!((again.requests, again.details_reused), (first.requests, 0), "{r}");
    }
}

#[tokio::test]
async fn a_board_answered_304_never_reads_its_stored_postings() {
    let world = world(32, 60);
    for provider in [Provider::Greenhouse, Provider::Lever] {
        let client = client(&world, provider);
        let board = plain_boards(&world, provider, 1).remove(0);
        let r = reference(&board);
        let first = client.fetch_board(&r, None).await.unwrap();
        let validators = first.validators.clone();
        assert!(validators.is_some(), "{r}: validators");
        let read = Arc::new(AtomicBool::new(false));
        let deferred = |read: Arc<AtomicBool>| {
            Known::deferred(async move {
                read.store(true, Ordering::SeqCst);
                Known::default()
            })
        };
        let known = deferred(read.clone());
        let again = client.fetch_known(&r, validators, &known).await.unwrap();
        assert!(again.not_modified, "{r}");
        assert!(!read.load(Ordering::SeqCst), "{r}: read for a 304");
        // Without validators the board is read, and so are its stored postings.
        let known = deferred(read.clone());
        let fresh = client.fetch_known(&r, None, &known).await.unwrap();
        assert!(!fresh.not_modified && read.load(Ordering::SeqCst), "{r}");
    }
}
