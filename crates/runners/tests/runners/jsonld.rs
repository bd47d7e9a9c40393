//! `jsonld` boards through the real stages: a company publishing its postings as JSON-LD on job pages its
//! careers page links is discovered, ingested and scored; a posting removed from its site, or past its
//! `validThrough`, is closed on the next fetch; a careers page repeating the ATS board's postings adds no
//! board; unreadable JSON-LD is counted, never a failure.

use std::collections::BTreeMap;

use pipeline_db::repo::boards;
use pipeline_db::repo::companies::{self, CompanyFilter};
use pipeline_db::repo::postings;
use pipeline_db::testing::TestDb;
use pipeline_domain::{Counter, RunStatus};
use pipeline_engine::{CycleReport, Engine, RunContext, StageReport};
use pipeline_testkit::{Company, JsonLdKind, JsonLdLayout, World};
use tokio_util::sync::CancellationToken;

use super::discovery::{config_for, engine};

async fn cycle_for(engine: &Engine, domain: &str) -> CycleReport {
    let ctx = RunContext {
        company: Some(domain.to_owned()),
        ..RunContext::default()
    };
    engine.run_cycle(&ctx, &CancellationToken::new()).await.unwrap()
}

fn stage<'r>(report: &'r CycleReport, key: &str) -> &'r StageReport {
    report.stages.iter().find(|s| s.stage == key).unwrap()
}

/// (reference lower case, status) of every stored board of `domain`'s company.
fn stored_boards(test: &TestDb, domain: &str) -> Vec<(String, String)> {
    let db = test.db();
    let rows = db
        .read(|c| companies::list_ranked(c, &CompanyFilter::default()))
        .unwrap();
    let id = rows
        .iter()
        .find(|r| r.website_domain.as_deref() == Some(domain))
        .unwrap()
        .id;
    let stored = db.read(|c| boards::of_companies(c, &[id])).unwrap();
    stored
        .into_values()
        .flat_map(|bs| bs.into_iter().map(|b| (b.reference.to_lowercase(), b.status)))
        .collect()
}

/// external id → open, of `domain`'s company's postings.
fn stored_postings(test: &TestDb, domain: &str) -> BTreeMap<String, bool> {
    let db = test.db();
    let rows = db
        .read(|c| companies::list_ranked(c, &CompanyFilter::default()))
        .unwrap();
    let id = rows
        .iter()
        .find(|r| r.website_domain.as_deref() == Some(domain))
        .unwrap()
        .id;
    let postings = db.read(|c| postings::of_company(c, id)).unwrap();
    postings
        .into_iter()
        .map(|p| (p.external_id, p.closed_at.is_none()))
        .collect()
}

fn first(world: &World, wanted: impl Fn(&Company) -> bool) -> Company {
    world.companies.iter().find(|c| wanted(c)).cloned().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_careers_site_is_discovered_ingested_scored_and_its_removed_or_expired_postings_closed() {
    let world = World::generate(11, 300).start().unwrap();
    let model = world.world();
    let own = first(&model, |c| {
        c.site.jsonld.as_ref().is_some_and(|j| {
            j.layout == JsonLdLayout::JobPages
                && matches!(&j.kind, JsonLdKind::Own(b) if model.board(b).is_some_and(|b| b.postings.len() >= 3))
        })
    });
    let Some(JsonLdKind::Own(reference)) = own.site.jsonld.as_ref().map(|j| j.kind.clone()) else {
        unreachable!()
    };
    let test = TestDb::new();
    let config = config_for(&world, test.dir());
    let engine = engine(&test, &world, &config);

    let report = cycle_for(&engine, &own.domain).await;
    for key in ["discovery", "ingestion", "scoring"] {
        assert_eq!(
            stage(&report, key).status,
            RunStatus::Succeeded,
            "{key}: {:?}",
            stage(&report, key).message
        );
    }
    let reference_text = reference.to_string().to_lowercase();
    assert_eq!(
        stored_boards(&test, &own.domain),
        [(reference_text, "active".to_owned())]
    );
    let board = model.board(&reference).unwrap();
    let stored = stored_postings(&test, &own.domain);
    assert_eq!(stored.len(), board.postings.len());
    assert!(
        board.postings.iter().all(|p| stored.get(&p.id) == Some(&true)),
        "{stored:?}"
    );
    let ingestion = stage(&report, "ingestion");
    assert_eq!(
        ingestion.counters.get(Counter::Requests),
        1 + board.postings.len() as u64,
        "careers page and job pages counted"
    );
    assert!(stage(&report, "scoring").counters.get(Counter::PostingsScored) >= board.postings.len() as u64);

    let (removed, expired) = (board.postings[0].id.clone(), board.postings[1].id.clone());
    world.update(|w| {
        let yesterday = w.now() - chrono::Duration::days(1);
        w.close_posting(&reference, &removed);
        w.modify_posting(&reference, &expired, |p| p.valid_through = Some(yesterday));
    });
    world.clock().advance(chrono::Duration::hours(25));
    let later = cycle_for(&engine, &own.domain).await;
    assert_eq!(
        stage(&later, "ingestion").counters.get(Counter::PostingsClosed),
        2
    );
    let stored = stored_postings(&test, &own.domain);
    assert_eq!((stored[&removed], stored[&expired]), (false, false));
    assert_eq!(
        stored.values().filter(|open| **open).count(),
        board.postings.len() - 2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_ld_repeating_an_ats_board_adds_no_board_and_unreadable_json_ld_is_counted() {
    let world = World::generate(11, 300).start().unwrap();
    let model = world.world();
    let mirror = first(&model, |c| {
        c.site
            .jsonld
            .as_ref()
            .is_some_and(|j| matches!(j.kind, JsonLdKind::MirrorsAts(_)))
    });
    let broken = first(&model, |c| {
        c.site
            .jsonld
            .as_ref()
            .is_some_and(|j| j.kind == JsonLdKind::Broken)
    });
    let test = TestDb::new();
    let config = config_for(&world, test.dir());
    let engine = engine(&test, &world, &config);

    let report = cycle_for(&engine, &mirror.domain).await;
    let discovery = stage(&report, "discovery");
    assert_eq!(
        discovery.counters.skipped("jsonld_duplicate"),
        1,
        "{:?}",
        discovery.counters
    );
    let stored = stored_boards(&test, &mirror.domain);
    assert!(
        !stored.is_empty() && stored.iter().all(|(b, _)| !b.starts_with("jsonld:")),
        "{stored:?}"
    );

    let report = cycle_for(&engine, &broken.domain).await;
    let discovery = stage(&report, "discovery");
    assert_eq!(discovery.status, RunStatus::Succeeded);
    assert!(
        discovery.counters.get(Counter::JsonldMalformed) >= 2,
        "{:?}",
        discovery.counters
    );
    assert!(
        stored_boards(&test, &broken.domain)
            .iter()
            .all(|(b, _)| !b.starts_with("jsonld:"))
    );
}
