//! Careers sites with schema.org `JobPosting` JSON-LD: drawn in every kind and layout, named by their
//! careers page's URL with the port the world is served on, the postings of their board in the JSON-LD of
//! the careers page or of the job pages it links, the careers page answering conditionally.

use pipeline_testkit::{JsonLdKind, JsonLdLayout, Provider, World};

use crate::sites::page;
use crate::support::client;

#[test]
fn the_generator_draws_every_kind_of_json_ld_site() {
    let world = World::generate(11, 300);
    let sites: Vec<_> = world
        .companies
        .iter()
        .filter_map(|c| c.site.jsonld.as_ref())
        .collect();
    for kind in ["Own", "MirrorsAts", "Broken"] {
        assert!(
            sites.iter().any(|s| format!("{:?}", s.kind).starts_with(kind)),
            "{kind}"
        );
    }
    for company in world.companies.iter().filter(|c| c.site.jsonld.is_some()) {
        let site = company.site.jsonld.as_ref().unwrap();
        let careers = company.site.careers_path.as_deref().unwrap();
        match &site.kind {
            JsonLdKind::Own(board) => {
                assert!(company.site.links.is_empty(), "no ATS behind its own JSON-LD");
                assert_eq!(board.provider, Provider::JsonLd);
                assert_eq!(board.tenant, world.careers_url(&company.domain, careers));
                assert!(!world.board(board).unwrap().postings.is_empty());
            }
            JsonLdKind::MirrorsAts(ats) => assert!(company.site.links.iter().any(|l| &l.board == ats)),
            JsonLdKind::Broken => {}
        }
    }
}

#[tokio::test]
async fn careers_and_job_pages_carry_the_boards_postings_as_json_ld() {
    let world = World::generate(11, 300).start().unwrap();
    let port = world.port();
    let model = world.world();
    let truth = world.truth();
    let mut layouts = std::collections::BTreeSet::new();
    for company in &model.companies {
        let Some(site) = &company.site.jsonld else {
            continue;
        };
        let Some(board) = site.shown_board().and_then(|b| model.board(b)) else {
            continue;
        };
        if let JsonLdKind::Own(own) = &site.kind {
            assert!(own.tenant.contains(&format!(":{port}/")), "{own}");
            assert!(truth.company(&company.domain).unwrap().boards.contains(own));
        }
        let careers = company.site.careers_path.clone().unwrap();
        let (status, html) = page(&world, &company.domain, &careers).await;
        assert_eq!(status, 200);
        layouts.insert(format!("{:?}", site.layout));
        for posting in board.postings.iter().filter(|p| p.listed) {
            match site.layout {
                JsonLdLayout::Inline => {
                    assert!(
                        html.contains("application/ld+json") && html.contains(&posting.id),
                        "{}",
                        company.domain
                    );
                }
                JsonLdLayout::JobPages => {
                    let path = format!("{}/{}", careers.trim_end_matches('/'), posting.id);
                    assert!(html.contains(&format!("href=\"{path}\"")), "{}", company.domain);
                    let (status, job) = page(&world, &company.domain, &path).await;
                    assert_eq!(status, 200);
                    assert!(job.contains("application/ld+json") && job.contains("__NEXT_DATA__"));
                    assert!(job.contains(&format!("\"identifier\":\"{}\"", posting.id)) || site.sloppy);
                }
            }
        }
    }
    assert_eq!(layouts.len(), 2, "{layouts:?}");
}

#[tokio::test]
async fn a_careers_page_with_json_ld_answers_conditionally() {
    let world = World::generate(11, 300).start().unwrap();
    let model = world.world();
    let company = model
        .companies
        .iter()
        .find(|c| {
            c.site
                .jsonld
                .as_ref()
                .is_some_and(|j| matches!(j.kind, JsonLdKind::Own(_)))
        })
        .unwrap();
    let url = format!(
        "{}{}",
        world.base_url(),
        company.site.careers_path.as_deref().unwrap()
    );
    let host = format!("{}:{}", company.domain, world.port());
    let first = client().get(&url).header("host", &host).send().await.unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let again = client()
        .get(&url)
        .header("host", &host)
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 304);
}
