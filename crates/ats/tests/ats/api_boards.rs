//! The API-board clients (Greenhouse, Lever, Ashby) against the simulated world: every generated board read
//! in one fetch (Lever: paged), EU hosts, conditional requests, gone boards, malformed bodies, retries.

use pipeline_ats::{AshbyClient, AtsClient, AtsError, Endpoints, GreenhouseClient, LeverClient, Validators};
use pipeline_domain::{BoardRef, NormalizedPosting, SalaryPeriod, Workplace};
use pipeline_testkit::{Board, Employment, Fault, Posting, Provider, Target, WorldHandle};

/// Seed and size of a world with Greenhouse, Lever and Ashby boards, EU variants and unlisted postings.
const SEED: u64 = 11;
const COMPANIES: usize = 80;

fn start() -> WorldHandle {
    crate::support::world(SEED, COMPANIES)
}

use crate::support::fast_http as http;

fn endpoints(world: &WorldHandle, prefix: &str, eu: bool) -> Endpoints {
    let base = world.base_url();
    Endpoints {
        base_url: format!("{base}/{prefix}"),
        eu_base_url: eu.then(|| format!("{base}/{prefix}-eu")),
        com_base_url: None,
    }
}

fn client(world: &WorldHandle, provider: Provider) -> Box<dyn AtsClient> {
    match provider {
        Provider::Greenhouse => Box::new(GreenhouseClient::new(
            endpoints(world, "greenhouse", true),
            http(),
        )),
        Provider::Lever => Box::new(LeverClient::new(endpoints(world, "lever", true), http())),
        Provider::Ashby => Box::new(AshbyClient::new(endpoints(world, "ashby", false), http())),
        other => panic!("{other} is not an API-board provider"),
    }
}

use crate::support::boards;

use crate::support::reference;

/// Plain text: not empty, no tags, no entities left.
fn assert_plain(board: &Board, p: &NormalizedPosting) {
    let d = &p.description;
    let tag = d
        .char_indices()
        .any(|(i, c)| c == '<' && d[i + 1..].starts_with(|n: char| n.is_ascii_alphabetic() || n == '/'));
    let entity = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#x27;", "&nbsp;"]
        .iter()
        .any(|e| d.contains(e));
    let (board, id) = (&board.reference, &p.external_id);
    assert!(!d.trim().is_empty() && !tag && !entity, "{board}: {id}: {d:?}");
}

/// Fetches every board of `provider` and checks ids, titles, count (listed postings only) and the common
/// fields against the world; returns (board, truth posting, fetched posting) triples for provider checks.
async fn fetch_all(world: &WorldHandle, provider: Provider) -> Vec<(Board, Posting, NormalizedPosting)> {
    let client = client(world, provider);
    let mut pairs = Vec::new();
    for board in boards(world, provider) {
        let fetched = client.fetch_board(&reference(&board), None).await.unwrap();
        assert!(!fetched.not_modified);
        let listed: Vec<&Posting> = board.postings.iter().filter(|p| p.listed).collect();
        let got: Vec<(&str, &str)> = fetched
            .postings
            .iter()
            .map(|p| (p.external_id.as_str(), p.title.as_str()))
            .collect();
        let want: Vec<(&str, &str)> = listed.iter().map(|p| (p.id.as_str(), p.title.as_str())).collect();
        assert_eq!(got, want, "{}", board.reference);
        for (truth, p) in listed.into_iter().zip(&fetched.postings) {
            assert_plain(&board, p);
            assert!(p.url.contains(&truth.id), "{}: url {}", board.reference, p.url);
            assert!(p.locations.iter().any(|l| l.contains(&truth.location.city)));
            assert_eq!(p.department.as_deref(), Some(truth.department.as_str()));
            assert_eq!(p.workplace, Some(workplace(truth)));
            assert_eq!(p.published_at, Some(truth.published_at));
            pairs.push((board.clone(), truth.clone(), p.clone()));
        }
    }
    pairs
}

fn workplace(p: &Posting) -> Workplace {
    match p.workplace {
        pipeline_testkit::Workplace::Remote => Workplace::Remote,
        pipeline_testkit::Workplace::Hybrid => Workplace::Hybrid,
        pipeline_testkit::Workplace::OnSite => Workplace::Onsite,
    }
}

fn assert_salary(truth: &Posting, p: &NormalizedPosting) {
    match (&truth.salary, &p.salary) {
        (None, None) => {}
        (Some(t), Some(s)) => {
            assert_eq!((s.min, s.max), (Some(f64::from(t.min)), Some(f64::from(t.max))));
            assert_eq!(s.currency.as_deref(), Some(t.currency.as_str()));
            assert_eq!(s.period, Some(SalaryPeriod::Year));
        }
        (t, s) => panic!("{}: salary {t:?} read as {s:?}", truth.id),
    }
}

#[tokio::test]
async fn every_greenhouse_board_is_read_in_one_request_with_its_content() {
    let world = start();
    let gh = boards(&world, Provider::Greenhouse);
    assert!(
        gh.iter().any(|b| b.reference.is_variant("eu")),
        "the world has an EU Greenhouse board"
    );
    let pairs = fetch_all(&world, Provider::Greenhouse).await;
    assert!(!pairs.is_empty());
    for (board, truth, p) in &pairs {
        assert_eq!(p.requisition_id.as_deref(), Some(truth.requisition_id.as_str()));
        assert_eq!(p.updated_at, Some(truth.updated_at));
        assert!(p.salary.is_none(), "Greenhouse lists no pay");
        let host = if board.reference.is_variant("eu") {
            "job-boards.eu."
        } else {
            "boards."
        };
        assert!(
            p.url.starts_with(&format!("https://{host}greenhouse.io/")),
            "{}",
            p.url
        );
    }
    let log = world.log();
    assert_eq!(
        log.count("greenhouse"),
        gh.len(),
        "one request per board (defect 8, docs/original-system.md#defect-8)"
    );
    assert!(
        log.for_label("greenhouse")
            .all(|e| e.path.ends_with("/jobs?content=true"))
    );
    let client = client(&world, Provider::Greenhouse);
    for board in gh.iter().filter(|b| !b.postings.is_empty()).take(3) {
        let fetched = client.fetch_board(&reference(board), None).await.unwrap();
        assert_eq!(fetched.company_name.as_deref(), Some(board.company_name.as_str()));
        assert_eq!(fetched.requests, 1);
    }
}

#[tokio::test]
async fn every_lever_board_is_read_page_by_page_on_its_host() {
    let world = start();
    let lever = boards(&world, Provider::Lever);
    assert!(
        lever.iter().any(|b| b.reference.is_variant("eu")),
        "the world has an EU Lever board"
    );
    let pairs = fetch_all(&world, Provider::Lever).await;
    assert!(!pairs.is_empty());
    for (board, truth, p) in &pairs {
        assert_eq!(p.employment_type.as_deref(), Some(truth.employment.label()));
        assert_eq!(p.updated_at, Some(truth.updated_at));
        assert_salary(truth, p);
        let host = if board.reference.is_variant("eu") {
            "jobs.eu.lever.co"
        } else {
            "jobs.lever.co"
        };
        assert!(p.url.starts_with(&format!("https://{host}/")), "{}", p.url);
        assert!(
            p.description.contains(":\n- "),
            "lists kept as titled items: {}",
            p.description
        );
    }
    let pages: usize = lever.iter().map(|b| b.postings.len() / 100 + 1).sum();
    assert_eq!(
        world.log().count("lever"),
        pages,
        "pages of 100 until a short one"
    );
}

#[tokio::test]
async fn a_lever_board_past_one_hundred_postings_is_paged_whole() {
    let world = start();
    let board = boards(&world, Provider::Lever)
        .into_iter()
        .find(|b| b.reference.variant.is_none() && b.postings.len() < 100)
        .unwrap();
    world.update(|w| {
        for i in 0..(250 - board.postings.len()) {
            let posting = w.new_posting_for(Provider::Lever, &format!("Role {i}"), "<p>Hola &amp; adiós</p>");
            assert!(w.add_posting(&board.reference, posting));
        }
    });
    world.clear_log();
    let fetched = client(&world, Provider::Lever)
        .fetch_board(&reference(&board), None)
        .await
        .unwrap();
    assert_eq!(fetched.postings.len(), 250);
    assert_eq!(fetched.requests, 3);
    let paths: Vec<String> = world.log().for_label("lever").map(|e| e.path.clone()).collect();
    for (i, path) in paths.iter().enumerate() {
        assert!(
            path.ends_with(&format!("?mode=json&skip={}&limit=100", i * 100)),
            "{path}"
        );
    }
    assert_eq!(paths.len(), 3);
    assert_eq!(
        fetched.validators, None,
        "a first page's ETag does not cover the later pages"
    );
    let ids: std::collections::HashSet<&str> =
        fetched.postings.iter().map(|p| p.external_id.as_str()).collect();
    assert_eq!(ids.len(), 250);
}

#[tokio::test]
async fn every_ashby_board_is_read_without_its_unlisted_postings() {
    let world = start();
    let ashby = boards(&world, Provider::Ashby);
    assert!(
        ashby.iter().flat_map(|b| &b.postings).any(|p| !p.listed),
        "the world has an unlisted Ashby posting"
    );
    let pairs = fetch_all(&world, Provider::Ashby).await;
    assert!(!pairs.is_empty());
    for (_, truth, p) in &pairs {
        let label = match truth.employment {
            Employment::FullTime => "FullTime",
            Employment::PartTime => "PartTime",
            Employment::Contract => "Contract",
            Employment::Internship => "Intern",
        };
        assert_eq!(p.employment_type.as_deref(), Some(label));
        assert_salary(truth, p);
    }
    assert_eq!(world.log().count("ashby"), ashby.len());
}

#[tokio::test]
async fn an_eu_board_is_read_on_the_eu_host_only() {
    let world = start();
    for provider in [Provider::Greenhouse, Provider::Lever] {
        let board = boards(&world, provider)
            .into_iter()
            .find(|b| b.reference.is_variant("eu"))
            .unwrap();
        let eu = reference(&board);
        let fetched = client(&world, provider).fetch_board(&eu, None).await.unwrap();
        assert_eq!(fetched.postings.len(), board.postings.len());
        let global = BoardRef { variant: None, ..eu };
        let err = client(&world, provider)
            .fetch_board(&global, None)
            .await
            .unwrap_err();
        assert!(matches!(err, AtsError::Gone { .. }), "{provider}: {err}");
    }
    let prefixes: Vec<bool> = world
        .log()
        .entries
        .iter()
        .map(|e| e.path.contains("-eu/"))
        .collect();
    assert_eq!(prefixes, [true, false, true, false]);
}

fn listed(board: &Board) -> usize {
    board.postings.iter().filter(|p| p.listed).count()
}

/// A provider's board small enough for one Lever page, with at least one posting.
fn small_board(world: &WorldHandle, provider: Provider) -> Board {
    boards(world, provider)
        .into_iter()
        .find(|b| (1..100).contains(&b.postings.len()))
        .unwrap()
}

#[tokio::test]
async fn validators_of_a_fetch_make_the_next_one_a_304_until_the_board_changes() {
    let world = start();
    for provider in [Provider::Greenhouse, Provider::Lever] {
        let client = client(&world, provider);
        let board = small_board(&world, provider);
        let first = client.fetch_board(&reference(&board), None).await.unwrap();
        let validators = first.validators.clone().unwrap();
        assert!(validators.etag.is_some() && validators.last_modified.is_some());
        let again = client
            .fetch_board(&reference(&board), Some(validators.clone()))
            .await
            .unwrap();
        assert!(again.not_modified && again.postings.is_empty(), "{provider}");
        assert_eq!(
            (again.requests, again.validators.as_ref()),
            (1, Some(&validators))
        );
        let id = board.postings[0].id.clone();
        assert!(world.modify_posting(&board.reference, &id, |p| p.title = "Changed".into()));
        let changed = client
            .fetch_board(&reference(&board), Some(validators.clone()))
            .await
            .unwrap();
        assert!(!changed.not_modified, "{provider}");
        assert!(changed.postings.iter().any(|p| p.title == "Changed"));
        assert_ne!(changed.validators, Some(validators));
    }
    let sent = world.log().entries.len();
    assert_eq!(sent, 6, "one request per fetch");
}

#[tokio::test]
async fn a_board_the_world_removed_is_gone() {
    let world = start();
    for provider in [Provider::Greenhouse, Provider::Lever, Provider::Ashby] {
        let board = small_board(&world, provider);
        assert!(world.remove_board(&board.reference).is_some());
        let err = client(&world, provider)
            .fetch_board(&reference(&board), Some(Validators::default()))
            .await
            .unwrap_err();
        assert!(matches!(err, AtsError::Gone { .. }), "{provider}: {err}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_the_documented_json_is_a_parse_error() {
    let world = start();
    for provider in [Provider::Greenhouse, Provider::Lever, Provider::Ashby] {
        let board = small_board(&world, provider);
        let tenant = board.reference.tenant.clone();
        for fault in [Fault::HtmlInsteadOfJson, Fault::InvalidUtf8] {
            world.script_fault(Target::tenant(provider, &tenant), 1, fault.clone());
            let err = client(&world, provider)
                .fetch_board(&reference(&board), None)
                .await
                .unwrap_err();
            assert!(
                matches!(err, AtsError::Parse { .. }),
                "{provider} {fault:?}: {err}"
            );
        }
        // The JSON itself is read whatever the Content-Type says.
        world.script_fault(Target::tenant(provider, &tenant), 1, Fault::WrongContentType);
        let fetched = client(&world, provider)
            .fetch_board(&reference(&board), None)
            .await;
        assert_eq!(fetched.unwrap().postings.len(), listed(&board));
    }
}

#[tokio::test]
async fn a_503_once_is_retried_by_the_http_core() {
    let world = start();
    for provider in [Provider::Greenhouse, Provider::Lever, Provider::Ashby] {
        let board = small_board(&world, provider);
        let tenant = board.reference.tenant.clone();
        world.script_fault(Target::tenant(provider, &tenant), 1, Fault::Status(503));
        let fetched = client(&world, provider)
            .fetch_board(&reference(&board), None)
            .await
            .unwrap();
        assert_eq!(fetched.postings.len(), listed(&board));
        assert_eq!(
            fetched.requests, 1,
            "retries are the HTTP core's, not extra requests of the client"
        );
        assert_eq!(world.log().count_tenant(provider.key(), &tenant), 2);
    }
}

#[tokio::test]
async fn a_posting_without_a_title_is_skipped_and_the_board_still_read() {
    let world = start();
    for provider in [Provider::Greenhouse, Provider::Lever, Provider::Ashby] {
        let board = small_board(&world, provider);
        let id = board.postings.iter().find(|p| p.listed).unwrap().id.clone();
        assert!(world.modify_posting(&board.reference, &id, |p| p.title = " ".into()));
        let fetched = client(&world, provider)
            .fetch_board(&reference(&board), None)
            .await
            .unwrap();
        assert_eq!(fetched.postings.len(), listed(&board) - 1, "{provider}");
        assert!(fetched.postings.iter().all(|p| p.external_id != id));
    }
}
