//! The built-in scrapers against the world's three directories.

use std::collections::BTreeSet;

use pipeline_directory::builtin::BuiltinDirectory;
use pipeline_directory::{BuiltinSource, DirectorySource, ScraperCaps, SourceItem};
use pipeline_http::{HostOverride, HttpClient, HttpSettings, OverrideResolver};
use pipeline_testkit::{DirectoryKind, World};
use tokio::sync::mpsc;
use url::Url;

fn http() -> HttpClient {
    HttpClient::new(HttpSettings {
        resolver: OverrideResolver::new(vec![HostOverride::new("*.test", "127.0.0.1").unwrap()]),
        ..HttpSettings::default()
    })
    .unwrap()
}

async fn scrape(source: &BuiltinSource) -> Vec<SourceItem> {
    let (tx, mut rx) = mpsc::channel(1000);
    source.read(tx).await.unwrap();
    let mut items = Vec::new();
    while let Some(item) = rx.recv().await {
        items.push(item);
    }
    items
}

#[tokio::test]
async fn each_directory_yields_the_companies_the_world_lists_there() {
    pipeline_http::install_crypto_provider();
    let world = World::generate(21, 60).start().unwrap();
    let truth = world.truth();
    for (directory, kind) in [
        (BuiltinDirectory::Catalonia, DirectoryKind::Catalonia),
        (BuiltinDirectory::Madrimasd, DirectoryKind::Madrimasd),
        (BuiltinDirectory::Lanzadera, DirectoryKind::Lanzadera),
    ] {
        let listing_url = Url::parse(&world.directory_url(kind)).unwrap();
        let caps = ScraperCaps {
            max_detail_pages: 500,
            max_companies: 500,
        };
        let source = BuiltinSource {
            directory,
            listing_url,
            caps,
            http: http(),
        };
        let items = scrape(&source).await;
        let found: BTreeSet<String> = items
            .iter()
            .filter_map(|i| match i {
                SourceItem::Company { input, .. } => input.website_domain.clone(),
                SourceItem::Bad { .. } => None,
            })
            .collect();
        let expected: BTreeSet<String> = truth
            .companies
            .iter()
            .filter(|c| c.directories.contains(&kind))
            .map(|c| c.domain.clone())
            .collect();
        assert!(!expected.is_empty(), "{directory:?} lists nobody");
        assert_eq!(found, expected, "{directory:?}");
    }
}

#[tokio::test]
async fn caps_bound_the_detail_pages_fetched() {
    pipeline_http::install_crypto_provider();
    let world = World::generate(22, 80).start().unwrap();
    let listing_url = Url::parse(&world.directory_url(DirectoryKind::Catalonia)).unwrap();
    let caps = ScraperCaps {
        max_detail_pages: 3,
        max_companies: 2,
    };
    let source = BuiltinSource {
        directory: BuiltinDirectory::Catalonia,
        listing_url,
        caps,
        http: http(),
    };
    let items = scrape(&source).await;
    assert!(items.len() <= 3, "{items:?}");
    let companies = items
        .iter()
        .filter(|i| matches!(i, SourceItem::Company { .. }))
        .count();
    assert!(companies <= 2);
    assert!(
        world.log().count("catalonia") <= 4,
        "listing + at most 3 detail pages"
    );
}
