//! Company websites and directories: every board of the truth is linked, Greenhouse embeds render in their
//! forms, directory cards and detail pages point at the company sites.

use pipeline_testkit::{CAREER_PATHS, Decoy, DirectoryKind, Provider, WebsiteLink, World};

use crate::support::client;

/// GETs `path` of the site `host` in the world: (status, body).
pub(crate) async fn page(world: &pipeline_testkit::WorldHandle, host: &str, path: &str) -> (u16, String) {
    thread_local! {
        static CLIENT: reqwest::Client = client();
    }
    let response = CLIENT
        .with(Clone::clone)
        .get(format!("{}{path}", world.base_url()))
        .header("host", format!("{host}:{}", world.port()))
        .send()
        .await
        .expect("the world answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a text body"))
}

#[tokio::test]
async fn every_board_of_the_truth_is_linked_from_its_company_site() {
    let world = World::generate(11, 120).start().unwrap();
    let truth = world.truth();
    let snapshot = world.world();
    let mut forms = std::collections::BTreeSet::new();
    for company in &snapshot.companies {
        let mut html = page(&world, &company.domain, "/").await.1;
        let mut paths: Vec<String> = CAREER_PATHS.iter().map(|p| (*p).to_owned()).collect();
        paths.push(company.site.deep_path.clone());
        for path in paths {
            let (status, body) = page(&world, &company.domain, &path).await;
            if status == 200 {
                html.push_str(&body);
            }
        }
        // A `jsonld` board is its careers page's JSON-LD, not a link (`jsonld_sites.rs`).
        let linked = truth.company(&company.domain).unwrap().boards.iter();
        for board in linked.filter(|b| !b.provider.reads_company_sites()) {
            let tenant = &board.tenant;
            assert!(
                html.contains(tenant.as_str()),
                "{} does not link {board}",
                company.domain
            );
        }
        for link in &company.site.links {
            forms.insert(format!("{:?}/{:?}", link.board.provider, link.form));
        }
        if company.site.decoys.contains(&Decoy::BlogMention) {
            let at = html.find("href=\"/blog/").unwrap() + 6;
            let blog = &html[at..at + html[at..].find('"').unwrap()];
            let (status, post) = page(&world, &company.domain, blog).await;
            assert_eq!(status, 200);
            assert!(post.contains("lever.co") && post.contains("greenhouse.io"));
        }
    }
    // The generator draws every link form of Greenhouse in a world this size.
    for form in ["Anchor", "AltAnchor", "Iframe", "Script", "GhJid", "PostingLink"] {
        assert!(
            forms.contains(&format!("{:?}/{form}", Provider::Greenhouse)),
            "greenhouse {form}: {forms:?}"
        );
    }
    // Sites with two ATSes, with none, and with decoys exist.
    assert!(truth.companies.iter().any(|c| c.boards.len() >= 2));
    assert!(truth.companies.iter().any(|c| c.boards.is_empty()));
    assert!(truth.companies.iter().any(|c| !c.decoy_boards.is_empty()));
}

#[tokio::test]
async fn greenhouse_embeds_render_in_their_forms() {
    let world = World::generate(11, 120).start().unwrap();
    let snapshot = world.world();
    let mut html = String::new();
    for company in &snapshot.companies {
        for path in std::iter::once("/".to_owned()).chain(company.site.careers_path.clone()) {
            html.push_str(&page(&world, &company.domain, &path).await.1);
        }
    }
    assert!(html.contains("https://boards.greenhouse.io/embed/job_board?for="));
    assert!(html.contains("<script src=\"https://boards.greenhouse.io/embed/job_board/js?for="));
    assert!(html.contains("<div id=\"grnhse_app\"></div>"));
    assert!(html.contains("?gh_jid="));
}

#[tokio::test]
async fn directories_list_cards_and_detail_pages_point_at_company_sites() {
    let world = World::generate(5, 60).start().unwrap();
    let snapshot = world.world();
    for kind in DirectoryKind::ALL {
        let directory = snapshot.directory(kind).unwrap();
        assert!(!directory.entries.is_empty(), "{kind:?}");
        let host = kind.host();
        let (status, listing) = page(&world, &host, kind.listing_path()).await;
        assert_eq!(status, 200);
        let card = match kind {
            DirectoryKind::Catalonia => "<li class=\"col-md-4 item startup\">",
            DirectoryKind::Madrimasd => "<li class=\"element-list col-sm-6\">",
            DirectoryKind::Lanzadera => "<article class=\"startup-slide swiper-slide\">",
        };
        assert_eq!(listing.matches(card).count(), directory.entries.len(), "{kind:?}");
        for entry in &directory.entries {
            let path = match kind {
                DirectoryKind::Catalonia => {
                    format!("/startup/{}/{}/{}", entry.location, entry.slug, entry.id)
                }
                DirectoryKind::Madrimasd => {
                    format!("/emprendedores/emprendedores-casos-exito/{}", entry.slug)
                }
                DirectoryKind::Lanzadera => format!("/proyecto/{}/", entry.slug),
            };
            assert!(listing.contains(&path), "{kind:?} lists {path}");
            let (status, detail) = page(&world, &host, &path).await;
            assert_eq!(status, 200, "{path}");
            let linkedin = detail.find("linkedin.com").unwrap();
            if let WebsiteLink::Company { domain, path } = &entry.website {
                let website = format!("http://{domain}:{}{path}", world.port());
                let at = detail.find(&format!("href=\"{website}\"")).unwrap();
                assert!(at > linkedin, "socials come first");
            }
        }
    }
    assert_eq!(page(&world, "catalonia.test", "/startup/x/y/1").await.0, 404);
}
