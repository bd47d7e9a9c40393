//! The generator: deterministic per seed, a realistic ATS mix and posting sizes, and `advance_day` doing
//! what its report says.

use pipeline_domain::Clock;
use pipeline_testkit::{ATS_MIX, BoardRef, Provider, World};

use crate::support::client;

#[test]
fn same_seed_same_world_other_seed_other_world() {
    let a = World::generate(42, 300);
    assert_eq!(a, World::generate(42, 300));
    assert_ne!(a, World::generate(43, 300));
    assert_eq!(a.companies.len(), 300);
    let mut domains: Vec<&str> = a.companies.iter().map(|c| c.domain.as_str()).collect();
    domains.sort_unstable();
    domains.dedup();
    assert_eq!(domains.len(), 300);
    assert!(a.companies.iter().all(|c| c.domain.ends_with(".test")));
}

#[test]
fn mix_long_tail_fx_and_reposts_are_realistic() {
    let world = World::generate(42, 1000);
    let truth = world.truth();
    for (provider, share) in ATS_MIX {
        let with = truth
            .companies
            .iter()
            .filter(|c| c.boards.iter().any(|b| b.provider == *provider))
            .count();
        let expected = share * 1000.0;
        assert!(
            (with as f64) > expected * 0.6 && (with as f64) < expected * 1.5 + 10.0,
            "{provider}: {with}"
        );
    }
    let without = truth.companies.iter().filter(|c| c.boards.is_empty()).count();
    assert!(without > 10, "{without}");
    assert!(
        world
            .boards
            .values()
            .any(|b| b.reference.is_variant("eu") && b.reference.provider == Provider::Lever)
    );
    let sizes: Vec<usize> = world.boards.values().map(|b| b.postings.len()).collect();
    let small = sizes.iter().filter(|n| (1..=20).contains(*n)).count();
    assert!(small * 2 > sizes.len(), "most boards have 1-20 postings");
    assert!(sizes.iter().any(|n| *n >= 500), "a few boards have 500+");
    let postings: Vec<_> = world.boards.values().flat_map(|b| &b.postings).collect();
    let fx = postings.iter().filter(|p| p.fx).count() as f64 / postings.len() as f64;
    assert!((0.05..0.30).contains(&fx), "fx share {fx}");
    assert!(postings.iter().any(|p| p.repost_of.is_some()));
    let titles: Vec<&str> = postings.iter().map(|p| p.title.as_str()).collect();
    assert!(
        titles
            .iter()
            .any(|t| t.contains("Ingeniero") || t.contains("Desarrollador"))
    );
    assert!(titles.iter().any(|t| t.contains("Engineer")));
}

#[tokio::test]
async fn advance_day_changes_what_it_says() {
    let world = World::generate(8, 150).start().unwrap();
    // As served: the references of `jsonld` boards name the port.
    let before = world.world();
    let mut expected = before.clone();
    let report = expected.advance_day();
    let clock = world.clock();
    assert_eq!(clock.now(), before.now(), "the clock starts at the world's time");
    let served = world.advance_day();
    assert_eq!(report, served, "deterministic");
    assert_eq!(
        clock.now() - before.now(),
        chrono::Duration::days(1),
        "the shared clock moved a day"
    );
    assert_eq!(world.world(), expected);
    assert!(!report.closed.is_empty() && !report.opened.is_empty() && !report.moved.is_empty());
    let now = world.world();
    // A board that moved the same day is gone, the postings opened on it with it; a posting opened and
    // reposted the same day may have been closed for its repost.
    let moved = |board: &BoardRef| report.moved.iter().any(|m| &m.from == board);
    let kept = |opened: &&(BoardRef, String)| !moved(&opened.0) && !report.closed.contains(opened);
    for (board, id) in report.opened.iter().filter(kept) {
        assert!(now.board(board).unwrap().postings.iter().any(|p| &p.id == id));
    }
    for (board, id) in &report.closed {
        assert!(
            now.board(board)
                .is_none_or(|b| !b.postings.iter().any(|p| &p.id == id))
        );
    }
    for (board, id, of) in &report.reposted {
        let posting = now
            .board(board)
            .unwrap()
            .postings
            .iter()
            .find(|p| &p.id == id)
            .unwrap();
        assert!(posting.repost_of.is_some(), "{of}");
    }
    let truth = world.truth();
    for moved in &report.moved {
        assert!(now.board(&moved.from).is_none());
        let company = truth.company(&moved.domain).unwrap();
        assert!(company.boards.contains(&moved.to) && !company.boards.contains(&moved.from));
    }
    // The old board of a moved company answers 404 now.
    let moved = &report.moved[0];
    if moved.from.provider == Provider::Greenhouse && moved.from.variant.is_none() {
        let url = format!(
            "{}/greenhouse/v1/boards/{}/jobs",
            world.base_url(),
            moved.from.tenant
        );
        assert_eq!(client().get(url).send().await.unwrap().status(), 404);
    }
}
