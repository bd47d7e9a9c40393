//! The world's own tests: provider shapes, sites, directories, faults, generator, sheets, log, binary.
#![allow(clippy::unwrap_used)]

mod support {
    use std::sync::Once;

    use pipeline_testkit::{Board, BoardRef, Provider, Salary, World};

    static PROVIDER: Once = Once::new();

    pub fn client() -> reqwest::Client {
        PROVIDER.call_once(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        reqwest::Client::builder().no_proxy().build().unwrap()
    }

    pub fn client_with(
        builder: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
    ) -> reqwest::Client {
        PROVIDER.call_once(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        builder(reqwest::Client::builder().no_proxy()).build().unwrap()
    }

    pub fn boards() -> Vec<BoardRef> {
        vec![
            BoardRef::new(Provider::Lever, "acme"),
            BoardRef::new(Provider::Lever, "acmeeu").with_variant("eu"),
            BoardRef::new(Provider::Greenhouse, "acme"),
            BoardRef::new(Provider::Greenhouse, "acmeeu").with_variant("eu"),
            BoardRef::new(Provider::Ashby, "acme"),
            BoardRef::new(Provider::Workable, "acme"),
            BoardRef::new(Provider::SmartRecruiters, "AcmeGroup"),
            BoardRef::new(Provider::Recruitee, "acme"),
            BoardRef::new(Provider::Personio, "acme"),
            BoardRef::new(Provider::Personio, "acmecom").with_variant("com"),
            BoardRef::new(Provider::Teamtailor, "acme"),
            BoardRef::workday("acme", "wd3", "External"),
        ]
    }

    /// One board per provider and variant, 45 postings each, the first with a salary.
    pub fn fixture() -> World {
        let mut world = World::empty(1);
        for reference in boards() {
            let mut board = Board {
                reference,
                company_name: "Acme S.L.".into(),
                postings: Vec::new(),
                updated_at: world.now(),
            };
            for i in 0..45 {
                let mut p = world.new_posting(
                    &format!("Engineer {i}"),
                    "<p>Hola &amp; adiós</p><h3>Qué harás</h3><ul><li>Pagos en USD</li></ul><p>Fin</p>",
                );
                if i == 0 {
                    p.salary = Some(Salary {
                        min: 40000,
                        max: 50000,
                        currency: "EUR".into(),
                        period: "year".into(),
                    });
                }
                board.postings.push(p);
            }
            world.add_board(board);
        }
        world
    }
}

mod providers {
    use pipeline_testkit::World;
    use serde_json::Value;

    use super::support::{client, fixture};

    async fn get_json(url: &str) -> (u16, Value) {
        let response = client().get(url).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    #[tokio::test]
    async fn lever_lists_pages_and_details_on_both_hosts() {
        let world = fixture().start().unwrap();
        let base = world.base_url();
        let (status, all) = get_json(&format!("{base}/lever/v0/postings/acme?mode=json")).await;
        assert_eq!(status, 200);
        let all = all.as_array().unwrap();
        assert_eq!(all.len(), 45);
        let first = &all[0];
        for field in [
            "id",
            "text",
            "hostedUrl",
            "applyUrl",
            "createdAt",
            "categories",
            "workplaceType",
            "descriptionPlain",
            "description",
            "lists",
            "additionalPlain",
        ] {
            assert!(first.get(field).is_some(), "lever field {field}");
        }
        assert!(first["createdAt"].is_i64());
        assert_eq!(first["salaryRange"]["interval"], "per-year-salary");
        assert_eq!(first["lists"][0]["text"], "Qué harás");
        assert!(
            first["hostedUrl"]
                .as_str()
                .unwrap()
                .starts_with("https://jobs.lever.co/acme/")
        );
        let (_, page) = get_json(&format!(
            "{base}/lever/v0/postings/acme?mode=json&skip=40&limit=10"
        ))
        .await;
        assert_eq!(page.as_array().unwrap().len(), 5);
        let id = first["id"].as_str().unwrap();
        let (status, one) = get_json(&format!("{base}/lever/v0/postings/acme/{id}")).await;
        assert_eq!((status, one["id"].as_str()), (200, Some(id)));
        let (status, eu) = get_json(&format!("{base}/lever-eu/v0/postings/acmeeu?mode=json")).await;
        assert_eq!(status, 200);
        assert!(
            eu[0]["hostedUrl"]
                .as_str()
                .unwrap()
                .starts_with("https://jobs.eu.lever.co/acmeeu/")
        );
        // An EU board is not on the global host, and an unknown site is 404.
        assert_eq!(
            get_json(&format!("{base}/lever/v0/postings/acmeeu?mode=json"))
                .await
                .0,
            404
        );
        assert_eq!(
            get_json(&format!("{base}/lever/v0/postings/nobody?mode=json"))
                .await
                .0,
            404
        );
    }

    #[tokio::test]
    async fn greenhouse_serves_escaped_content_details_and_eu() {
        let world = fixture().start().unwrap();
        let base = world.base_url();
        let (status, body) = get_json(&format!("{base}/greenhouse/v1/boards/acme/jobs?content=true")).await;
        assert_eq!(status, 200);
        assert_eq!(body["meta"]["total"], 45);
        let job = &body["jobs"][0];
        for field in [
            "id",
            "title",
            "absolute_url",
            "updated_at",
            "first_published",
            "requisition_id",
            "company_name",
            "location",
            "offices",
            "departments",
            "metadata",
            "content",
        ] {
            assert!(job.get(field).is_some(), "greenhouse field {field}");
        }
        assert!(job["id"].is_u64());
        assert_eq!(job["location"]["name"], "Madrid, Spain");
        assert_eq!(job["metadata"][0]["name"], "Location Type");
        let content = job["content"].as_str().unwrap();
        assert!(content.starts_with("&lt;p&gt;Hola &amp;amp; adiós"), "{content}");
        let (_, plain) = get_json(&format!("{base}/greenhouse/v1/boards/acme/jobs")).await;
        assert!(plain["jobs"][0].get("content").is_none());
        let id = job["id"].as_u64().unwrap();
        let (status, detail) = get_json(&format!(
            "{base}/greenhouse/v1/boards/acme/jobs/{id}?pay_transparency=true"
        ))
        .await;
        assert_eq!(status, 200);
        assert_eq!(detail["pay_input_ranges"][0]["min_cents"], 4_000_000);
        let (status, board) = get_json(&format!("{base}/greenhouse/v1/boards/acme")).await;
        assert_eq!((status, board["name"].as_str()), (200, Some("Acme S.L.")));
        let (status, eu) = get_json(&format!(
            "{base}/greenhouse-eu/v1/boards/acmeeu/jobs?content=true"
        ))
        .await;
        assert_eq!(status, 200);
        assert!(
            eu["jobs"][0]["absolute_url"]
                .as_str()
                .unwrap()
                .starts_with("https://job-boards.eu.greenhouse.io/acmeeu/")
        );
        assert_eq!(
            get_json(&format!("{base}/greenhouse/v1/boards/embed/jobs"))
                .await
                .0,
            404
        );
    }

    #[tokio::test]
    async fn greenhouse_and_lever_answer_304_to_validators() {
        let world = fixture().start().unwrap();
        let client = client();
        for path in [
            "/greenhouse/v1/boards/acme/jobs?content=true",
            "/lever/v0/postings/acme?mode=json",
        ] {
            let url = format!("{}{path}", world.base_url());
            let first = client.get(&url).send().await.unwrap();
            let etag = first.headers()["etag"].to_str().unwrap().to_owned();
            let modified = first.headers()["last-modified"].to_str().unwrap().to_owned();
            let again = client
                .get(&url)
                .header("if-none-match", &etag)
                .send()
                .await
                .unwrap();
            assert_eq!(again.status(), 304, "{path}");
            let since = client
                .get(&url)
                .header("if-modified-since", &modified)
                .send()
                .await
                .unwrap();
            assert_eq!(since.status(), 304, "{path}");
            // A change makes the validators stale.
            world.update(|w| {
                let reference = pipeline_testkit::BoardRef::new(
                    if path.starts_with("/lever") {
                        pipeline_testkit::Provider::Lever
                    } else {
                        pipeline_testkit::Provider::Greenhouse
                    },
                    "acme",
                );
                let posting = w.new_posting("New one", "<p>x</p>");
                w.day += 1;
                w.add_posting(&reference, posting);
            });
            let changed = client
                .get(&url)
                .header("if-none-match", &etag)
                .send()
                .await
                .unwrap();
            assert_eq!(changed.status(), 200, "{path}");
            let changed = client
                .get(&url)
                .header("if-modified-since", &modified)
                .send()
                .await
                .unwrap();
            assert_eq!(changed.status(), 200, "{path}");
        }
    }

    #[tokio::test]
    async fn ashby_workable_and_recruitee_shapes() {
        let world = fixture().start().unwrap();
        let base = world.base_url();
        let (status, ashby) = get_json(&format!(
            "{base}/ashby/posting-api/job-board/acme?includeCompensation=true"
        ))
        .await;
        assert_eq!(status, 200);
        let job = &ashby["jobs"][0];
        for field in [
            "id",
            "title",
            "jobUrl",
            "applyUrl",
            "publishedAt",
            "isListed",
            "location",
            "secondaryLocations",
            "address",
            "workplaceType",
            "isRemote",
            "department",
            "team",
            "employmentType",
            "descriptionHtml",
            "descriptionPlain",
            "compensation",
        ] {
            assert!(job.get(field).is_some(), "ashby field {field}");
        }
        let component = &job["compensation"]["compensationTiers"][0]["components"][0];
        assert_eq!(
            (
                component["compensationType"].as_str(),
                component["interval"].as_str()
            ),
            (Some("Salary"), Some("1 YEAR"))
        );
        assert_eq!(component["minValue"], 40000);
        let (_, bare) = get_json(&format!("{base}/ashby/posting-api/job-board/acme")).await;
        assert!(bare["jobs"][0].get("compensation").is_none());

        let (status, workable) = get_json(&format!(
            "{base}/workable/api/v1/widget/accounts/acme?details=true"
        ))
        .await;
        assert_eq!(status, 200);
        assert_eq!(workable["name"], "Acme S.L.");
        let job = &workable["jobs"][0];
        for field in [
            "shortcode",
            "title",
            "department",
            "published_on",
            "created_at",
            "telecommuting",
            "city",
            "state",
            "country",
            "locations",
            "description",
            "url",
            "application_url",
        ] {
            assert!(job.get(field).is_some(), "workable field {field}");
        }
        let (_, short) = get_json(&format!("{base}/workable/api/v1/widget/accounts/acme")).await;
        assert!(short["jobs"][0].get("description").is_none());

        let (status, recruitee) = get_json(&format!("{base}/recruitee/acme/api/offers/")).await;
        assert_eq!(status, 200);
        let offer = &recruitee["offers"][0];
        for field in [
            "id",
            "slug",
            "title",
            "careers_url",
            "url",
            "location",
            "locations",
            "city",
            "country",
            "remote",
            "department",
            "employment_type_code",
            "published_at",
            "created_at",
            "description",
        ] {
            assert!(offer.get(field).is_some(), "recruitee field {field}");
        }
        assert_eq!(
            get_json(&format!("{base}/recruitee/nobody/api/offers/")).await.0,
            404
        );
    }

    #[tokio::test]
    async fn smartrecruiters_pages_by_offset_and_details() {
        let world = fixture().start().unwrap();
        let base = world.base_url();
        let url = format!(
            "{base}/smartrecruiters/v1/companies/AcmeGroup/postings?limit=20&offset=40&status=PUBLIC"
        );
        let (status, page) = get_json(&url).await;
        assert_eq!(status, 200);
        assert_eq!(
            (
                page["offset"].as_u64(),
                page["limit"].as_u64(),
                page["totalFound"].as_u64()
            ),
            (Some(40), Some(20), Some(45))
        );
        let item = &page["content"][0];
        assert!(item.get("jobAd").is_none(), "the list has no description");
        for field in [
            "id",
            "name",
            "ref",
            "releasedDate",
            "location",
            "department",
            "typeOfEmployment",
            "experienceLevel",
            "company",
            "function",
        ] {
            assert!(item.get(field).is_some(), "smartrecruiters field {field}");
        }
        let id = item["id"].as_str().unwrap();
        let (status, detail) = get_json(&format!(
            "{base}/smartrecruiters/v1/companies/AcmeGroup/postings/{id}"
        ))
        .await;
        assert_eq!(status, 200);
        assert!(
            detail["jobAd"]["sections"]["jobDescription"]["text"]
                .as_str()
                .unwrap()
                .contains("Pagos en USD")
        );
        assert!(
            detail["postingUrl"]
                .as_str()
                .unwrap()
                .starts_with("https://jobs.smartrecruiters.com/AcmeGroup/")
        );
        // Unknown companies are an empty list, as on the real API.
        let (status, empty) = get_json(&format!(
            "{base}/smartrecruiters/v1/companies/Nobody/postings?limit=100"
        ))
        .await;
        assert_eq!((status, empty["totalFound"].as_u64()), (200, Some(0)));
    }

    #[tokio::test]
    async fn personio_serves_xml_on_both_hosts() {
        let world = fixture().start().unwrap();
        let base = world.base_url();
        for url in [
            format!("{base}/personio/acme/xml?language=en"),
            format!("{base}/personio-com/acmecom/xml?language=en"),
        ] {
            let response = super::support::client().get(&url).send().await.unwrap();
            assert_eq!(response.status(), 200);
            assert!(
                response.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/xml")
            );
            let xml = response.text().await.unwrap();
            assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<workzag-jobs>"));
            assert_eq!(xml.matches("<position>").count(), 45);
            assert!(xml.contains("<jobDescription>") && xml.contains("<![CDATA[<p>Hola &amp; adiós</p>]]>"));
            assert!(xml.contains("<createdAt>") && xml.contains("<subcompany>Acme S.L.</subcompany>"));
        }
        assert_eq!(
            super::support::client()
                .get(format!("{base}/personio/acmecom/xml"))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
    }

    #[tokio::test]
    async fn teamtailor_pages() {
        let world = fixture().start().unwrap();
        let base = world.base_url();
        let (status, first) = get_json(&format!("{base}/teamtailor/acme/jobs.json?page=1")).await;
        assert_eq!(status, 200);
        assert_eq!(first["data"].as_array().unwrap().len(), 20);
        assert_eq!(
            (
                first["meta"]["record-count"].as_u64(),
                first["meta"]["page-count"].as_u64()
            ),
            (Some(45), Some(3))
        );
        assert_eq!(first["links"]["next"], "/jobs.json?page=2");
        assert!(first["data"][0]["attributes"]["title"].is_string());
        let (_, last) = get_json(&format!("{base}/teamtailor/acme/jobs.json?page=3")).await;
        assert_eq!(last["data"].as_array().unwrap().len(), 5);
        assert!(last["links"].get("next").is_none());
    }

    #[tokio::test]
    async fn workday_pages_by_20_rejects_empty_bodies_and_probes_pods() {
        let world = fixture().start().unwrap();
        let url = format!(
            "{}/workday/acme/wd3/wday/cxs/acme/External/jobs",
            world.base_url()
        );
        let client = client();
        let empty = client
            .post(&url)
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(empty.status(), 422);
        let mut seen = Vec::new();
        let mut offset = 0;
        loop {
            let body =
                serde_json::json!({"appliedFacets": {}, "limit": 20, "offset": offset, "searchText": ""});
            let page: Value = client
                .post(&url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(page["total"], 45);
            let postings = page["jobPostings"].as_array().unwrap().clone();
            assert!(postings.len() <= 20);
            if postings.is_empty() {
                break;
            }
            seen.extend(postings);
            offset += 20;
        }
        assert_eq!(seen.len(), 45);
        let first = &seen[0];
        assert!(first["postedOn"].as_str().unwrap().starts_with("Posted"));
        let path = first["externalPath"].as_str().unwrap();
        let req_id = path.rsplit('_').next().unwrap();
        assert_eq!(first["bulletFields"][0], req_id);
        let detail: Value = client
            .get(format!(
                "{}/workday/acme/wd3/wday/cxs/acme/External{path}",
                world.base_url()
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(detail["jobPostingInfo"]["jobReqId"], req_id);
        assert!(
            detail["jobPostingInfo"]["jobDescription"]
                .as_str()
                .unwrap()
                .contains("Pagos en USD")
        );
        let body = serde_json::json!({"appliedFacets": {}, "limit": 20, "offset": 0, "searchText": ""});
        let wrong_site = format!(
            "{}/workday/acme/wd3/wday/cxs/acme/Internal/jobs",
            world.base_url()
        );
        assert_eq!(
            client
                .post(&wrong_site)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        let wrong_pod = format!(
            "{}/workday/acme/wd5/wday/cxs/acme/External/jobs",
            world.base_url()
        );
        assert_eq!(
            client.post(&wrong_pod).json(&body).send().await.unwrap().status(),
            422
        );
    }

    #[tokio::test]
    async fn unknown_routes_and_hosts_are_404() {
        let world = World::empty(1).start().unwrap();
        let client = client();
        for path in ["/", "/nothing", "/lever", "/google/v5/x", "/workday/x"] {
            let status = client
                .get(format!("{}{path}", world.base_url()))
                .send()
                .await
                .unwrap()
                .status();
            assert_eq!(status, 404, "{path}");
        }
        let status = client
            .get(format!("{}/", world.base_url()))
            .header("host", format!("nobody.test:{}", world.port()))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 404);
    }
}

mod sites {
    use pipeline_testkit::{CAREER_PATHS, Decoy, DirectoryKind, Provider, WebsiteLink, World};

    use super::support::client;

    async fn page(world: &pipeline_testkit::WorldHandle, host: &str, path: &str) -> (u16, String) {
        thread_local! {
            static CLIENT: reqwest::Client = client();
        }
        let response = CLIENT
            .with(Clone::clone)
            .get(format!("{}{path}", world.base_url()))
            .header("host", format!("{host}:{}", world.port()))
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
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
            for board in &truth.company(&company.domain).unwrap().boards {
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
}

mod faults {
    use std::time::Duration;

    use pipeline_testkit::{Fault, Provider, RetryAfter, Target, World};

    use super::support::{client, client_with, fixture};

    #[tokio::test]
    async fn scripted_faults_fire_in_order_then_stop() {
        let world = fixture().start().unwrap();
        let lever = Target::provider(Provider::Lever);
        world.script_fault(lever.clone(), 2, Fault::Status(503));
        world.script_fault(lever.clone(), 1, Fault::TooManyRequests(RetryAfter::Seconds(7)));
        world.script_fault(
            lever,
            1,
            Fault::TooManyRequests(RetryAfter::Date(Duration::from_secs(120))),
        );
        let url = format!("{}/lever/v0/postings/acme?mode=json", world.base_url());
        let client = client();
        let mut statuses = Vec::new();
        let mut retry_after = Vec::new();
        for _ in 0..5 {
            let response = client.get(&url).send().await.unwrap();
            statuses.push(response.status().as_u16());
            if let Some(v) = response.headers().get("retry-after") {
                retry_after.push(v.to_str().unwrap().to_owned());
            }
        }
        assert_eq!(statuses, vec![503, 503, 429, 429, 200]);
        assert_eq!(retry_after[0], "7");
        assert!(retry_after[1].ends_with(" GMT"), "{}", retry_after[1]);
        // Other providers were never affected.
        let gh = client
            .get(format!("{}/greenhouse/v1/boards/acme/jobs", world.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(gh.status(), 200);
        assert_eq!(world.log().statuses("lever"), vec![503, 503, 429, 429, 200]);
    }

    #[tokio::test]
    async fn tenant_faults_hit_only_that_tenant() {
        let world = fixture().start().unwrap();
        world.script_fault(Target::tenant(Provider::Personio, "acme"), 1, Fault::Status(410));
        let client = client();
        let other = client
            .get(format!("{}/personio-com/acmecom/xml", world.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), 200);
        let hit = client
            .get(format!("{}/personio/acme/xml", world.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(hit.status(), 410);
    }

    #[tokio::test]
    async fn connection_faults() {
        let world = fixture().start().unwrap();
        let url = format!("{}/greenhouse/v1/boards/acme/jobs?content=true", world.base_url());
        let gh = Target::provider(Provider::Greenhouse);

        world.script_fault(gh.clone(), 1, Fault::Reset);
        assert!(client().get(&url).send().await.is_err(), "reset");

        world.script_fault(gh.clone(), 1, Fault::Truncate);
        let response = client().get(&url).send().await.unwrap();
        assert!(response.bytes().await.is_err(), "truncated body");

        world.script_fault(gh.clone(), 1, Fault::Stall(Duration::from_secs(3)));
        let quick = client_with(|b| b.timeout(Duration::from_millis(300)));
        let error = quick.get(&url).send().await.unwrap_err();
        assert!(error.is_timeout());

        world.script_fault(gh.clone(), 1, Fault::Oversized(3 * 1024 * 1024));
        let body = client().get(&url).send().await.unwrap().bytes().await.unwrap();
        assert_eq!(body.len(), 3 * 1024 * 1024);

        world.script_fault(gh.clone(), 1, Fault::InvalidUtf8);
        let body = client().get(&url).send().await.unwrap().bytes().await.unwrap();
        assert!(std::str::from_utf8(&body).is_err());

        world.script_fault(gh.clone(), 1, Fault::WrongContentType);
        let response = client().get(&url).send().await.unwrap();
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );

        world.script_fault(gh.clone(), 1, Fault::RedirectLoop);
        let error = client().get(&url).send().await.unwrap_err();
        assert!(error.is_redirect(), "{error}");

        world.script_fault(gh, 1, Fault::RedirectPrivate);
        let no_follow = client_with(|b| b.redirect(reqwest::redirect::Policy::none()));
        let response = no_follow.get(&url).send().await.unwrap();
        assert_eq!(response.status(), 302);
        assert_eq!(
            response.headers()["location"],
            pipeline_testkit::PRIVATE_REDIRECT_TARGET
        );

        // After the scripts the board answers normally on a fresh connection.
        assert_eq!(client().get(&url).send().await.unwrap().status(), 200);
        let log = world.log();
        assert_eq!(
            log.statuses("greenhouse")[0],
            0,
            "a reset is logged with status 0"
        );
    }

    #[tokio::test]
    async fn probabilistic_faults_follow_the_seed() {
        async fn run(seed: u64) -> Vec<u16> {
            let world = World::empty(seed).start().unwrap();
            world.random_fault(Target::Any, 0.5, Fault::Status(500));
            let client = client();
            let mut out = Vec::new();
            for _ in 0..40 {
                out.push(
                    client
                        .get(format!("{}/lever/v0/postings/nobody?mode=json", world.base_url()))
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16(),
                );
            }
            out
        }
        let a = run(9).await;
        assert_eq!(a, run(9).await);
        assert!(a.iter().all(|s| *s == 500 || *s == 404));
        let failures = a.iter().filter(|s| **s == 500).count();
        assert!((8..=32).contains(&failures), "{failures}");
    }
}

mod generator {
    use pipeline_testkit::{ATS_MIX, Provider, World};

    use super::support::client;

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
        let mut expected = World::generate(8, 150);
        let before = expected.clone();
        let report = expected.advance_day();
        let world = before.clone().start().unwrap();
        let served = world.advance_day();
        assert_eq!(report, served, "deterministic");
        assert_eq!(world.world(), expected);
        assert!(!report.closed.is_empty() && !report.opened.is_empty() && !report.moved.is_empty());
        let now = world.world();
        for (board, id) in &report.opened {
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
}

mod google {
    use pipeline_testkit::World;
    use pipeline_testkit::google::{STATIC_TOKEN, oauth};
    use serde_json::{Value, json};

    use super::support::client;

    fn grant(assertion: &str) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
            .append_pair("assertion", assertion)
            .finish()
    }

    #[tokio::test]
    async fn token_exchange_then_sheet_round_trip() {
        let world = World::empty(1).start().unwrap();
        let base = format!("{}/google", world.base_url());
        let id = world.spreadsheet_id();
        let client = client();

        let unauthorized = client
            .get(format!("{base}/v4/spreadsheets/{id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(unauthorized.status(), 401);

        let assertion = oauth::test_assertion(&format!("{base}/token")).unwrap();
        let token: Value = client
            .post(format!("{base}/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(grant(&assertion))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            (token["token_type"].as_str(), token["expires_in"].as_u64()),
            (Some("Bearer"), Some(3600))
        );
        let bearer = format!("Bearer {}", token["access_token"].as_str().unwrap());
        let bad = client
            .post(format!("{base}/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(grant("a.b.c"))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 400);

        let meta: Value = client
            .get(format!("{base}/v4/spreadsheets/{id}"))
            .header("authorization", &bearer)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(meta["sheets"][0]["properties"]["title"], "Companies");
        assert_eq!(meta["sheets"][0]["properties"]["sheetId"], 0);

        let header: Vec<Value> = ["ID Empresa", "Empresa", "Resolución"]
            .iter()
            .map(|h| json!(h))
            .collect();
        let updated: Value = client
            .put(format!(
                "{base}/v4/spreadsheets/{id}/values/Companies!A1:C1?valueInputOption=RAW"
            ))
            .header("authorization", &bearer)
            .json(&json!({ "range": "Companies!A1:C1", "majorDimension": "ROWS", "values": [header] }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(updated["updatedRange"], "Companies!A1:C1");

        let rows = json!([
            [
                1,
                "Acme",
                "PENDING",
                7.5,
                1,
                1,
                2,
                "",
                "",
                "",
                "",
                "",
                "http://acme.test/",
                "lever:acme",
                2
            ],
            [2, "Beta", "PENDING"],
            [3, "Gamma", "REJECTED"]
        ]);
        let appended: Value = client
            .post(format!("{base}/v4/spreadsheets/{id}/values/Companies%21A%3AZ:append?valueInputOption=RAW&insertDataOption=INSERT_ROWS"))
            .header("authorization", &bearer)
            .json(&json!({ "values": rows }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(appended["updates"]["updatedRange"], "Companies!A2:O4");
        assert_eq!(appended["updates"]["updatedRows"], 3);

        let batch: Value = client
            .post(format!("{base}/v4/spreadsheets/{id}/values:batchUpdate"))
            .header("authorization", &bearer)
            .json(&json!({ "valueInputOption": "RAW", "data": [
                { "range": "Companies!D3:E3", "values": [["3.0", 0]] },
                { "range": "Companies!D4:E4", "values": [["9.1", 4]] },
            ] }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(batch["totalUpdatedCells"], 4);

        let got: Value = client
            .get(format!("{base}/v4/spreadsheets/{id}/values/Companies!A:Z"))
            .header("authorization", format!("Bearer {STATIC_TOKEN}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(got["majorDimension"], "ROWS");
        assert_eq!(got["values"][0], json!(["ID Empresa", "Empresa", "Resolución"]));
        assert_eq!(got["values"][1][3], "7.5");
        assert_eq!(got["values"][2], json!(["2", "Beta", "PENDING", "3.0", "0"]));
        let ids: Value = client
            .get(format!("{base}/v4/spreadsheets/{id}/values/Companies!A2:A"))
            .header("authorization", &bearer)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(ids["values"], json!([["1"], ["2"], ["3"]]));

        let requests = json!({ "requests": [
            { "setDataValidation": { "range": { "sheetId": 0, "startRowIndex": 1, "endRowIndex": 1000, "startColumnIndex": 2, "endColumnIndex": 3 }, "rule": { "condition": { "type": "ONE_OF_LIST", "values": [{ "userEnteredValue": "PENDING" }] }, "strict": true, "showCustomUi": true } } },
            { "copyPaste": { "source": { "sheetId": 0 }, "destination": { "sheetId": 0 }, "pasteType": "PASTE_FORMAT" } },
        ] });
        let reply = client
            .post(format!("{base}/v4/spreadsheets/{id}:batchUpdate"))
            .header("authorization", &bearer)
            .json(&requests)
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 200);
        let recorded = world.sheet_requests();
        assert_eq!(recorded.len(), 2);
        assert!(recorded[0].get("setDataValidation").is_some() && recorded[1].get("copyPaste").is_some());

        let sheet = world.sheet("Companies");
        assert_eq!(sheet[3][2], "REJECTED");
        assert_eq!(sheet[1][13], "lever:acme");
        let grants = world.google(|g| g.grants.len());
        assert_eq!(grants, 1);
    }

    #[tokio::test]
    async fn seeded_sheets_read_back_trimmed_and_unknown_tabs_fail() {
        let world = World::empty(1).start().unwrap();
        let rows = vec![
            vec!["ID Empresa".to_owned(), "Empresa".to_owned()],
            vec!["1".to_owned(), "Acme".to_owned(), String::new()],
            vec![],
            vec!["3".to_owned()],
        ];
        world.seed_sheet("Companies", rows);
        let base = format!(
            "{}/google/v4/spreadsheets/{}",
            world.base_url(),
            world.spreadsheet_id()
        );
        let auth = format!("Bearer {STATIC_TOKEN}");
        let got: Value = client()
            .get(format!("{base}/values/Companies!A:Z"))
            .header("authorization", &auth)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            got["values"],
            json!([["ID Empresa", "Empresa"], ["1", "Acme"], [], ["3"]])
        );
        let header: Value = client()
            .get(format!("{base}/values/Companies!A1:L1"))
            .header("authorization", &auth)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(header["range"], "Companies!A1:L1");
        let missing = client()
            .get(format!("{base}/values/Nope!A:Z"))
            .header("authorization", &auth)
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 400);
    }
}

mod log_and_speed {
    use std::time::{Duration, Instant};

    use pipeline_testkit::World;

    use super::support::{client, fixture};

    #[tokio::test]
    async fn log_counts_peak_concurrency_and_min_interval() {
        let world = fixture().start().unwrap();
        world.set_latency_for("lever", Duration::from_millis(200));
        let client = client();
        let url = format!("{}/lever/v0/postings/acme?mode=json", world.base_url());
        let requests = (0..4).map(|_| client.get(&url).send());
        for response in futures::future::join_all(requests).await {
            assert_eq!(response.unwrap().status(), 200);
        }
        client
            .get(format!("{}/ashby/posting-api/job-board/acme", world.base_url()))
            .send()
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(30)).await;
        client
            .get(format!("{}/ashby/posting-api/job-board/acme", world.base_url()))
            .send()
            .await
            .unwrap();
        let log = world.log();
        assert_eq!(log.count("lever"), 4);
        assert_eq!(log.count_tenant("lever", "ACME"), 4);
        assert_eq!(log.peak_concurrency("lever"), 4);
        assert_eq!(log.peak_concurrency("ashby"), 1);
        assert!(log.min_interval("ashby").unwrap() >= Duration::from_millis(30));
        assert!(log.entries.iter().all(|e| e.duration() < Duration::from_secs(5)));
        assert!(
            log.for_label("lever")
                .all(|e| e.duration() >= Duration::from_millis(200))
        );
        assert_eq!(log.entries[0].host, "127.0.0.1");
        world.clear_log();
        assert!(world.log().is_empty());
    }

    #[tokio::test]
    async fn keep_alive_requests_add_no_latency() {
        let world = World::empty(1).start().unwrap();
        let client = client();
        let url = format!("{}/__world/health", world.base_url());
        client.get(&url).send().await.unwrap();
        let started = Instant::now();
        for _ in 0..100 {
            let response = client.get(&url).send().await.unwrap();
            assert_eq!(response.text().await.unwrap(), "ok");
        }
        // With Nagle + delayed ACK this would take ~4 s.
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
    }
}

mod binary {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    #[test]
    fn pipeline_world_prints_ready_writes_files_and_stops_when_stdin_closes() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_pipeline-world"))
            .args(["--seed", "3", "--companies", "20", "--dir"])
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let parts: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(&parts[..2], ["WORLD", "READY"], "{line}");
        assert!(parts[2].starts_with("http://127.0.0.1:"));
        assert_eq!(parts[3], dir.path().display().to_string());
        let config = std::fs::read_to_string(dir.path().join("pipeline.toml")).unwrap();
        assert!(config.contains(&format!("base_url = \"{}/lever\"", parts[2])));
        let csv = std::fs::read_to_string(dir.path().join("companies.csv")).unwrap();
        assert_eq!(csv.lines().count(), 21);
        let key = std::fs::read_to_string(dir.path().join("service-account.json")).unwrap();
        assert!(key.contains("\"type\": \"service_account\""));
        drop(child.stdin.take());
        let started = Instant::now();
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the world did not stop"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

mod control {
    use serde_json::Value;

    use super::support::{client, fixture};

    #[tokio::test]
    async fn the_control_api_does_over_http_what_the_handle_does() {
        let world = fixture().start().unwrap();
        let base = world.base_url();
        let client = client();
        let ok = |r: reqwest::Response| {
            assert!(r.status().is_success(), "{}", r.status());
            r
        };
        ok(client
            .post(format!(
                "{base}/__world/faults?fault=status:503&count=2&label=lever&tenant=acme"
            ))
            .send()
            .await
            .unwrap());
        let url = format!("{base}/lever/v0/postings/acme?mode=json");
        let mut statuses = Vec::new();
        for _ in 0..3 {
            statuses.push(client.get(&url).send().await.unwrap().status().as_u16());
        }
        assert_eq!(statuses, [503, 503, 200]);
        let bad = client
            .post(format!("{base}/__world/faults?fault=nope"))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 400);

        let stats: Value = client
            .get(format!("{base}/__world/stats"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(stats["lever"]["count"], 3);
        assert!(stats.get("world").is_none(), "control calls are not logged");
        let log: Value = client
            .get(format!("{base}/__world/log?label=lever"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(log.as_array().unwrap().len(), 3);
        assert_eq!(log[0]["status"], 503);
        ok(client.delete(format!("{base}/__world/log")).send().await.unwrap());
        assert!(world.log().is_empty());

        ok(client
            .put(format!("{base}/__world/sheets/Companies"))
            .body(r#"[["ID Empresa"],["1"]]"#)
            .send()
            .await
            .unwrap());
        let rows: Value = client
            .get(format!("{base}/__world/sheets/Companies"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(rows, serde_json::json!([["ID Empresa"], ["1"]]));
        assert_eq!(world.sheet("Companies")[1][0], "1");

        let day: Value = client
            .post(format!("{base}/__world/advance-day"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(day["day"], 1);
        assert_eq!(world.read(|w| w.day), 1);
        let truth: Value = client
            .get(format!("{base}/__world/truth"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(truth["companies"].is_array());
        ok(client
            .put(format!("{base}/__world/latency?delay=10ms&label=ashby"))
            .send()
            .await
            .unwrap());
        ok(client
            .delete(format!("{base}/__world/faults"))
            .send()
            .await
            .unwrap());
        assert_eq!(world.faults(|f| f.pending()), 0);
    }
}
