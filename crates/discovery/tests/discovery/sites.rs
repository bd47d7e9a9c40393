//! ATS discovery's pure part against the world's company sites: candidate pages plus one hop of career links,
//! every page scanned; each linked board is found, in the form it is linked, and nothing else is.

use std::collections::{BTreeMap, BTreeSet};

use pipeline_discovery::{Candidate, How, candidate_pages, career_links, scan_page};
use pipeline_http::{HostOverride, HttpClient, HttpSettings, OverrideResolver};
use pipeline_testkit::{BoardLink, BoardRef, Company, Decoy, LinkForm, Provider, World};
use url::Url;

/// A world whose first 40 sites show every link form, decoy and provider (the test checks that it does).
const SEED: u64 = 2;
const COMPANIES: usize = 40;
/// Career links followed per company, over all its pages (docs/stages.md#discovery-links).
const MAX_FOLLOWED: usize = 5;

fn http() -> HttpClient {
    HttpClient::new(HttpSettings {
        resolver: OverrideResolver::new(vec![HostOverride::new("*.test", "127.0.0.1").unwrap()]),
        ..HttpSettings::default()
    })
    .unwrap()
}

/// What discovery reads of one site: the pages fetched and the candidates found, first evidence per board.
struct Discovered {
    pages: Vec<Url>,
    candidates: Vec<Candidate>,
}

async fn fetch(http: &HttpClient, url: &Url) -> Option<String> {
    let fetched = http.get(url).await.ok()?;
    (fetched.status == 200).then(|| fetched.text())
}

/// The engine's walk, as docs/stages.md#discovery describes it: candidate pages, then up to five career links one hop.
async fn discover(http: &HttpClient, home: &Url) -> Discovered {
    let candidates = candidate_pages(home);
    let mut read: Vec<(Url, String)> = Vec::new();
    for page in &candidates {
        if let Some(html) = fetch(http, page).await {
            read.push((page.clone(), html));
        }
    }
    let mut exclude = candidates.clone();
    let mut followed = Vec::new();
    for (page, html) in &read {
        let more = career_links(page, html, &exclude, MAX_FOLLOWED - followed.len());
        exclude.extend(more.iter().cloned());
        followed.extend(more);
    }
    for page in followed {
        if let Some(html) = fetch(http, &page).await {
            read.push((page, html));
        }
    }
    let mut found: Vec<Candidate> = Vec::new();
    for (page, html) in &read {
        for candidate in scan_page(page, html) {
            if !found.iter().any(|f| f.board == candidate.board) {
                found.push(candidate);
            }
        }
    }
    Discovered {
        pages: read.into_iter().map(|(page, _)| page).collect(),
        candidates: found,
    }
}

fn key(board: &BoardRef) -> String {
    board.to_string().to_ascii_lowercase()
}

/// How a link of the given form must be reported.
fn expected_how(link: &BoardLink) -> How {
    match (link.form, link.board.provider) {
        (LinkForm::Iframe, _) => How::Iframe,
        (LinkForm::Script | LinkForm::GhJid, _) | (LinkForm::AltAnchor, Provider::Lever) => How::Script,
        _ => How::Link,
    }
}

/// The decoys the site actually links: partner boards sit on the home page, a broken board on the careers page
/// (which a site without one does not have).
fn linked_decoys(company: &Company) -> BTreeSet<String> {
    let has_careers = company.site.careers_path.is_some();
    company
        .site
        .decoys
        .iter()
        .filter_map(|d| match d {
            Decoy::OtherCompanyBoard(b) => Some(key(b)),
            Decoy::BrokenBoard(b) if has_careers => Some(key(b)),
            _ => None,
        })
        .collect()
}

/// How many of the sampled sites show each feature: the test must cover them all to mean anything.
fn tally(coverage: &mut BTreeMap<&'static str, usize>, company: &Company) {
    let mut count = |feature: &'static str, present: bool| {
        *coverage.entry(feature).or_default() += usize::from(present);
    };
    let site = &company.site;
    let has_form = |form: LinkForm| site.links.iter().any(|l| l.form == form);
    count(
        "deep page link",
        site.links
            .iter()
            .any(|l| l.page == pipeline_testkit::LinkPage::Deep),
    );
    count("iframe", has_form(LinkForm::Iframe));
    count("script", has_form(LinkForm::Script));
    count("gh_jid listing", has_form(LinkForm::GhJid));
    count("alt anchor", has_form(LinkForm::AltAnchor));
    count("posting link", has_form(LinkForm::PostingLink));
    count(
        "eu/com variant",
        site.links.iter().any(|l| l.board.variant.is_some()),
    );
    count("two boards", site.links.len() > 1);
    count("no board", site.links.is_empty());
    count("blog mention", site.decoys.contains(&Decoy::BlogMention));
    count(
        "reserved segments",
        site.decoys.contains(&Decoy::ReservedSegments),
    );
    count(
        "partner board",
        site.decoys
            .iter()
            .any(|d| matches!(d, Decoy::OtherCompanyBoard(_))),
    );
    count(
        "broken board",
        site.decoys.iter().any(|d| matches!(d, Decoy::BrokenBoard(_))),
    );
}

#[tokio::test]
async fn every_linked_board_is_found_in_its_form_and_nothing_else_is() {
    pipeline_http::install_crypto_provider();
    let world = World::generate(SEED, COMPANIES).start().unwrap();
    let truth = world.truth();
    let model = world.world();
    let http = http();
    let mut coverage = BTreeMap::new();
    let mut providers = BTreeSet::new();
    for expected in &truth.companies {
        let company = model.company(&expected.domain).unwrap();
        tally(&mut coverage, company);
        let home = Url::parse(&world.site_url(&expected.domain)).unwrap();
        let discovered = discover(&http, &home).await;
        let domain = &expected.domain;
        assert!(discovered.pages.contains(&home), "{domain}: home page not read");
        let found: BTreeMap<String, &Candidate> = discovered
            .candidates
            .iter()
            .map(|c| (c.board.to_string().to_ascii_lowercase(), c))
            .collect();

        // `jsonld` boards are named by JSON-LD, not by URLs in the page: `jsonld.rs` tests them.
        let boards: BTreeSet<String> = expected
            .boards
            .iter()
            .filter(|b| !b.provider.reads_company_sites())
            .map(key)
            .collect();
        let decoys = linked_decoys(company);
        let truth_decoys: BTreeSet<String> = expected.decoy_boards.iter().map(key).collect();
        assert!(
            decoys.is_subset(&truth_decoys),
            "{domain}: the truth lists every linked decoy"
        );
        let wanted: BTreeSet<String> = boards.union(&decoys).cloned().collect();
        let got: BTreeSet<String> = found.keys().cloned().collect();
        assert_eq!(
            got, wanted,
            "{domain}: boards found vs. boards and decoys the site links"
        );

        for link in &company.site.links {
            let candidate = found[&key(&link.board)];
            providers.insert(link.board.provider);
            assert_eq!(
                candidate.how,
                expected_how(link),
                "{domain}: {link:?} reported as {candidate:?}"
            );
            assert_eq!(
                candidate.found_on.host_str(),
                home.host_str(),
                "{domain}: {candidate:?}"
            );
        }
    }
    let missing: Vec<_> = coverage
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(f, _)| *f)
        .collect();
    assert!(
        missing.is_empty(),
        "the sample covers no site with {missing:?}; pick another seed"
    );
    assert_eq!(
        providers.len(),
        Provider::ALL.len() - 1,
        "the sample lacks providers of URLs (all but jsonld): {providers:?}"
    );
}
