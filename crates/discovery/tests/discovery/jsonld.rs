//! `detect` on the world's careers sites with schema.org `JobPosting` JSON-LD: a company without an ATS
//! gets its `jsonld` board (postings inline in a `@graph`, or on job pages its careers page links, written
//! cleanly or sloppily); a careers page repeating its ATS board's postings gets no second board; JSON-LD
//! nobody can read is counted and names no board; a site without JSON-LD costs no more requests than before.

use std::collections::BTreeMap;
use std::sync::Arc;

use pipeline_ats::AtsClients;
use pipeline_discovery::{Detection, How, Rejection, detect};
use pipeline_domain::config::Config;
use pipeline_domain::{Clock, Provider};
use pipeline_http::{HttpClient, HttpSettings, Throttles};
use pipeline_testkit::{Company, JsonLdKind, JsonLdLayout, World, WorldHandle};
use url::Url;

/// A world whose companies show every kind and layout of JSON-LD site (the test checks that it does).
const SEED: u64 = 11;
const COMPANIES: usize = 300;

struct Discovery {
    pages: HttpClient,
    clients: AtsClients,
    _dir: tempfile::TempDir,
}

fn discovery(world: &WorldHandle) -> Discovery {
    pipeline_http::install_crypto_provider();
    let dir = tempfile::tempdir().unwrap();
    let mut config: Config = toml::from_str(&world.config_toml(dir.path()).unwrap()).unwrap();
    for provider in Provider::ALL {
        config.providers.get_mut(provider).requests_per_second = 500.0;
    }
    let api = HttpClient::new(HttpSettings::from_config(&config).unwrap()).unwrap();
    let pages = HttpClient::new(HttpSettings::for_company_sites(&config).unwrap())
        .unwrap()
        .one_request_per_host();
    let clock: Arc<dyn Clock> = Arc::new(world.clock());
    let throttles = Throttles::from_config(&config);
    let clients = AtsClients::from_config(&config, &api, &pages, 0, &throttles, &clock);
    Discovery {
        pages,
        clients,
        _dir: dir,
    }
}

async fn run(d: &Discovery, world: &WorldHandle, company: &Company) -> Detection {
    let home = Url::parse(&world.site_url(&company.domain)).unwrap();
    detect(&home, &d.pages, 5, &d.clients).await
}

fn boards(detection: &Detection) -> Vec<String> {
    detection
        .boards
        .iter()
        .map(|b| b.candidate.board.to_string())
        .collect()
}

/// The first company of each kind of JSON-LD site, by a short label.
fn samples(world: &World) -> BTreeMap<String, Company> {
    let mut out = BTreeMap::new();
    for company in &world.companies {
        let Some(site) = &company.site.jsonld else {
            continue;
        };
        let kind = match site.kind {
            JsonLdKind::Own(_) => "own",
            JsonLdKind::MirrorsAts(_) => "mirror",
            JsonLdKind::Broken => "broken",
        };
        let layout = match site.layout {
            JsonLdLayout::Inline => "inline",
            JsonLdLayout::JobPages => "pages",
        };
        let sloppy = if site.sloppy { "-sloppy" } else { "" };
        let label = if kind == "broken" {
            kind.to_owned()
        } else {
            format!("{kind}-{layout}{sloppy}")
        };
        out.entry(label).or_insert_with(|| company.clone());
    }
    out
}

#[tokio::test]
async fn careers_pages_with_job_postings_become_jsonld_boards_once() {
    let world = World::generate(SEED, COMPANIES).start().unwrap();
    let model = world.world();
    let samples = samples(&model);
    for wanted in [
        "own-inline",
        "own-inline-sloppy",
        "own-pages",
        "own-pages-sloppy",
        "mirror-inline",
        "mirror-pages",
        "broken",
    ] {
        assert!(
            samples.contains_key(wanted),
            "no {wanted} site in the sample: pick another seed ({:?})",
            samples.keys()
        );
    }
    let d = discovery(&world);
    for (label, company) in &samples {
        let detection = run(&d, &world, company).await;
        let site = company.site.jsonld.as_ref().unwrap();
        let found = boards(&detection);
        let jsonld: Vec<&String> = found.iter().filter(|b| b.starts_with("jsonld:")).collect();
        match &site.kind {
            JsonLdKind::Own(board) => {
                assert_eq!(
                    jsonld,
                    [&board.to_string()],
                    "{label} {}: {detection:?}",
                    company.domain
                );
                let detected = detection
                    .boards
                    .iter()
                    .find(|b| b.candidate.board.to_string() == board.to_string())
                    .unwrap();
                assert_eq!(detected.candidate.how, How::JsonLd);
                let listed = model.board(board).unwrap().postings.len();
                assert_eq!(detected.job_count, listed, "{label}");
                assert_eq!(
                    detected.company_name.as_deref(),
                    Some(model.board(board).unwrap().company_name.as_str())
                );
                assert_eq!(detection.jsonld_malformed, 0, "{label}: sloppy is not malformed");
            }
            JsonLdKind::MirrorsAts(ats) => {
                assert!(jsonld.is_empty(), "{label}: the ATS's postings again: {found:?}");
                assert!(found.contains(&ats.to_string()), "{label}: {found:?}");
                assert!(
                    detection
                        .rejected
                        .iter()
                        .any(|(c, r)| c.board.provider == Provider::JsonLd
                            && matches!(r, Rejection::Duplicate(m) if m.contains(&ats.to_string()))),
                    "{label}: {:?}",
                    detection.rejected
                );
            }
            JsonLdKind::Broken => {
                assert!(jsonld.is_empty(), "{label}: {found:?}");
                assert!(
                    detection.jsonld_malformed >= 2,
                    "{label}: {}",
                    detection.jsonld_malformed
                );
            }
        }
    }
}

#[tokio::test]
async fn sites_without_json_ld_get_no_more_requests_than_before() {
    let world = World::generate(SEED, COMPANIES).start().unwrap();
    let model = world.world();
    let d = discovery(&world);
    let plain: Vec<&Company> = model
        .companies
        .iter()
        .filter(|c| c.site.jsonld.is_none() && c.site.careers_path.is_some())
        .take(12)
        .collect();
    for company in plain {
        let home = Url::parse(&world.site_url(&company.domain)).unwrap();
        world.clear_log();
        let before = walk(&d.pages, &home).await;
        let walked = world.log().count("site");
        world.clear_log();
        let detection = run(&d, &world, company).await;
        assert!(boards(&detection).iter().all(|b| !b.starts_with("jsonld:")));
        assert_eq!(detection.jsonld_malformed, 0);
        assert_eq!(detection.pages_fetched, before, "{}", company.domain);
        assert_eq!(world.log().count("site"), walked, "{}: no probe", company.domain);
    }
}

/// Discovery's walk without JSON-LD: the candidate pages, then five career links one hop; the pages read.
async fn walk(pages: &HttpClient, home: &Url) -> usize {
    let mut read: Vec<(Url, String)> = Vec::new();
    for url in pipeline_discovery::candidate_pages(home) {
        if let Ok(page) = pages.get(&url).await
            && page.status == 200
        {
            read.push((page.url.clone(), page.text()));
        }
    }
    let mut seen: Vec<Url> = read.iter().map(|(u, _)| u.clone()).collect();
    let mut links = Vec::new();
    for (url, html) in &read {
        for link in pipeline_discovery::career_links(url, html, &seen, 5 - links.len()) {
            seen.push(link.clone());
            links.push(link);
        }
    }
    let mut count = read.len();
    for link in links {
        if pages.get(&link).await.is_ok_and(|p| p.status == 200) {
            count += 1;
        }
    }
    count
}
