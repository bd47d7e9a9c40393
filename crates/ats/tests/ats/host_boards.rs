//! The Workable, SmartRecruiters and Recruitee clients against the simulated world: every generated board
//! read back as the world serves it, paging, the detail budget, demo offers, validators and failures.

use pipeline_ats::{
    AtsClient, AtsError, BoardFetch, DetailBudget, Endpoints, RecruiteeClient, SmartRecruitersClient,
    WorkableClient,
};
use pipeline_domain::{Classify, ErrorClass, Provider, Salary, SalaryPeriod, Workplace};
use pipeline_testkit::{Board, Fault, Target, WorldHandle, html_to_plain, render_description};

const SEED: u64 = 11;
const COMPANIES: usize = 80;
const AMPLE: u64 = 1_000_000;

fn start() -> WorldHandle {
    crate::support::world(SEED, COMPANIES)
}

use crate::support::fast_http as http;

fn client(world: &WorldHandle, provider: Provider, budget: &DetailBudget) -> Box<dyn AtsClient> {
    let base = world.base_url();
    match provider {
        Provider::Workable => Box::new(WorkableClient::new(
            Endpoints::new(format!("{base}/workable")),
            http(),
        )),
        Provider::SmartRecruiters => Box::new(SmartRecruitersClient::new(
            Endpoints::new(format!("{base}/smartrecruiters")),
            http(),
            budget.clone(),
        )),
        Provider::Recruitee => Box::new(RecruiteeClient::new(
            Endpoints::new(format!("{base}/recruitee/{{tenant}}")),
            http(),
        )),
        other => panic!("not a provider of this file: {other}"),
    }
}

/// The world's boards of `provider`, with at least `min_postings` postings.
fn boards(world: &WorldHandle, provider: Provider, min_postings: usize) -> Vec<Board> {
    world.read(|w| {
        w.boards
            .values()
            .filter(|b| b.reference.provider == provider && b.postings.len() >= min_postings)
            .cloned()
            .collect()
    })
}

use crate::support::reference;

async fn fetch(world: &WorldHandle, board: &Board, budget: u64) -> Result<BoardFetch, AtsError> {
    let budget = DetailBudget::new(budget);
    client(world, board.reference.provider, &budget)
        .fetch_board(&reference(board), None)
        .await
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect()
}

/// The non-empty lines, squashed and sorted, without SmartRecruiters' section titles.
fn lines(text: &str) -> Vec<String> {
    const TITLES: [&str; 4] = [
        "Company Description",
        "Job Description",
        "Qualifications",
        "Additional Information",
    ];
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !TITLES.contains(&l.trim()))
        .map(squash)
        .filter(|l| !l.is_empty())
        .collect();
    lines.sort_unstable();
    lines
}

/// The fetch holds exactly the board's open listed postings, each as the world describes it.
fn assert_matches(fetch: &BoardFetch, board: &Board) {
    let provider = board.reference.provider;
    let listed: Vec<_> = board.postings.iter().filter(|p| p.listed).collect();
    let mut got: Vec<(&str, &str)> = fetch
        .postings
        .iter()
        .map(|p| (p.external_id.as_str(), p.title.as_str()))
        .collect();
    let mut want: Vec<(&str, &str)> = listed.iter().map(|p| (p.id.as_str(), p.title.as_str())).collect();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want, "{}: ids and titles", board.reference);
    if !listed.is_empty() || provider == Provider::Workable {
        assert_eq!(fetch.company_name.as_deref(), Some(board.company_name.as_str()));
    }
    for p in &fetch.postings {
        let truth = listed.iter().find(|t| t.id == p.external_id).unwrap();
        let plain = html_to_plain(&render_description(
            &truth.description,
            &truth.title,
            &board.company_name,
        ));
        let text = &p.description;
        assert!(
            !text.is_empty() && !text.contains("</") && !text.contains("&amp;"),
            "{text:?}"
        );
        if provider == Provider::Workable {
            assert_eq!(squash(&p.description), squash(&plain), "{}", p.external_id);
        } else {
            // Recruitee splits the text into description + requirements and SmartRecruiters into titled
            // sections, both moving the text between lists to the end: compare the lines.
            assert_eq!(lines(&p.description), lines(&plain), "{}", p.external_id);
        }
        let url_names_it = match provider {
            Provider::Recruitee => p.url.starts_with("https://") && p.url.contains("/o/"),
            _ => p.url.starts_with("https://") && p.url.contains(&p.external_id),
        };
        assert!(url_names_it, "{}", p.url);
        assert_eq!(p.locations.len(), 1, "{:?}", p.locations);
        assert!(p.locations[0].contains(&truth.location.city));
        assert_eq!(p.department.as_deref(), Some(truth.department.as_str()));
        assert_fields(provider, p, truth);
    }
}

/// What each provider says of employment, workplace, time and salary.
fn assert_fields(provider: Provider, p: &pipeline_domain::NormalizedPosting, t: &pipeline_testkit::Posting) {
    use pipeline_testkit::Workplace as W;
    let (remote, hybrid) = (t.workplace == W::Remote, t.workplace == W::Hybrid);
    let workplace = match provider {
        Provider::Workable => remote.then_some(Workplace::Remote),
        Provider::SmartRecruiters if hybrid => Some(Workplace::Hybrid),
        Provider::SmartRecruiters => remote.then_some(Workplace::Remote),
        _ => Some(match t.workplace {
            W::Remote => Workplace::Remote,
            W::Hybrid => Workplace::Hybrid,
            W::OnSite => Workplace::Onsite,
        }),
    };
    assert_eq!(p.workplace, workplace, "{}", p.external_id);
    let published = p.published_at.unwrap();
    if provider == Provider::Workable {
        assert_eq!(published.date_naive(), t.published_at.date_naive());
        assert_eq!(p.employment_type.as_deref(), Some(t.employment.label()));
        assert_eq!(p.requisition_id.as_deref(), Some(t.requisition_id.as_str()));
    } else {
        assert_eq!(published.timestamp(), t.published_at.timestamp());
    }
    if provider == Provider::SmartRecruiters {
        assert_eq!(p.employment_type.as_deref(), Some(t.employment.label()));
        assert_eq!(p.requisition_id.as_deref(), Some(t.requisition_id.as_str()));
    }
    if provider == Provider::Recruitee {
        assert!(
            p.employment_type
                .as_deref()
                .is_some_and(|e| e.contains('_') || e == "internship")
        );
        let want = t.salary.as_ref().map(|s| Salary {
            min: Some(f64::from(s.min)),
            max: Some(f64::from(s.max)),
            currency: Some(s.currency.clone()),
            period: SalaryPeriod::parse(&s.period),
        });
        assert_eq!(p.salary, want);
    }
}

async fn every_board_matches(provider: Provider) {
    let world = start();
    let all = boards(&world, provider, 0);
    assert!(all.len() >= 3, "the world has {} {provider} boards", all.len());
    assert!(all.iter().any(|b| !b.postings.is_empty()));
    for board in &all {
        let fetch = fetch(&world, board, AMPLE).await.unwrap();
        assert_matches(&fetch, board);
        assert_eq!(fetch.details_skipped, 0);
    }
}

#[tokio::test]
async fn every_workable_board_matches_the_world() {
    every_board_matches(Provider::Workable).await;
}

#[tokio::test]
async fn every_smartrecruiters_board_matches_the_world() {
    every_board_matches(Provider::SmartRecruiters).await;
}

#[tokio::test]
async fn every_recruitee_board_matches_the_world() {
    every_board_matches(Provider::Recruitee).await;
}

#[tokio::test]
async fn recruitee_demo_offers_are_dropped() {
    let world = start();
    let board = boards(&world, Provider::Recruitee, 1).remove(0);
    let reference = board.reference.clone();
    world.update(|w| {
        let mut sample = w.new_posting_for(Provider::Recruitee, "Customer Success (Sample)", "<p>Demo</p>");
        sample.listed = false;
        assert!(w.add_posting(&reference, sample));
    });
    let board = world.read(|w| w.board(&reference).cloned()).unwrap();
    let fetch = fetch(&world, &board, 0).await.unwrap();
    let listed = board.postings.iter().filter(|p| p.listed).count();
    assert!(board.postings.len() > listed, "the world serves a demo offer");
    assert_eq!(fetch.postings.len(), listed);
    assert!(fetch.postings.iter().all(|p| !p.title.contains("(Sample)")));
    assert_matches(&fetch, &board);
}

#[tokio::test]
async fn smartrecruiters_pages_past_a_hundred_postings() {
    let world = start();
    let board = boards(&world, Provider::SmartRecruiters, 1).remove(0);
    let reference = board.reference.clone();
    world.update(|w| {
        for i in 0..(230 - board.postings.len()) {
            let p = w.new_posting_for(
                Provider::SmartRecruiters,
                &format!("Analista {i}"),
                "<p>Pagos</p>",
            );
            assert!(w.add_posting(&reference, p));
        }
    });
    let board = world.read(|w| w.board(&reference).cloned()).unwrap();
    world.clear_log();
    let fetch = fetch(&world, &board, AMPLE).await.unwrap();
    assert_eq!(fetch.postings.len(), 230);
    assert_matches(&fetch, &board);
    let log = world.log();
    let pages: Vec<&str> = log
        .for_label("smartrecruiters")
        .filter(|e| e.path.contains("/postings?"))
        .map(|e| e.path.as_str())
        .collect();
    assert_eq!(pages.len(), 3, "{pages:?}");
    for (page, offset) in pages.iter().zip([0, 100, 200]) {
        assert!(
            page.contains(&format!("limit=100&offset={offset}&status=PUBLIC")),
            "{page}"
        );
    }
    assert_eq!(fetch.requests, 3 + 230);
}

fn detail_calls(world: &WorldHandle) -> usize {
    world
        .log()
        .for_label("smartrecruiters")
        .filter(|e| e.path.contains("/postings/"))
        .count()
}

#[tokio::test]
async fn the_detail_budget_caps_smartrecruiters_detail_calls() {
    let world = start();
    let board = boards(&world, Provider::SmartRecruiters, 5).remove(0);
    let n = board.postings.len();
    let budget = DetailBudget::new(3);
    let sr = client(&world, Provider::SmartRecruiters, &budget);
    let fetch = sr.fetch_board(&reference(&board), None).await.unwrap();
    assert_eq!(fetch.postings.len(), n, "postings past the budget are kept");
    assert_eq!(fetch.details_skipped as usize, n - 3);
    assert_eq!(detail_calls(&world), 3);
    let described = fetch
        .postings
        .iter()
        .filter(|p| !p.description.is_empty())
        .count();
    assert_eq!(described, 3);
    assert!(
        fetch
            .postings
            .iter()
            .all(|p| p.url.starts_with("https://jobs.smartrecruiters.com/"))
    );
    let again = sr.fetch_board(&reference(&board), None).await.unwrap();
    assert_eq!(
        (again.details_skipped as usize, detail_calls(&world)),
        (n, 3),
        "the budget is shared"
    );
}

fn detail_prefix(board: &Board) -> Target {
    Target::PathPrefix(format!(
        "/smartrecruiters/v1/companies/{}/postings/",
        board.reference.tenant
    ))
}

#[tokio::test]
async fn a_smartrecruiters_detail_that_is_gone_skips_its_posting() {
    let world = start();
    let board = boards(&world, Provider::SmartRecruiters, 2).remove(0);
    world.script_fault(detail_prefix(&board), 1, Fault::Status(404));
    let fetch = fetch(&world, &board, AMPLE).await.unwrap();
    assert_eq!(fetch.postings.len(), board.postings.len() - 1);
    assert!(!fetch.incomplete, "other detail failures: detail_failures.rs");
}

#[tokio::test]
async fn removed_boards_are_gone_and_an_unknown_smartrecruiters_company_lists_nothing() {
    let world = start();
    for provider in [Provider::Workable, Provider::Recruitee, Provider::SmartRecruiters] {
        let board = boards(&world, provider, 1).remove(0);
        world.remove_board(&board.reference).unwrap();
        let result = fetch(&world, &board, AMPLE).await;
        if provider == Provider::SmartRecruiters {
            let fetch = result.unwrap();
            assert!(fetch.postings.is_empty() && fetch.company_name.is_none());
        } else {
            let error = result.unwrap_err();
            assert!(matches!(error, AtsError::Gone { .. }), "{provider}: {error}");
            assert_eq!(error.class(), ErrorClass::Permanent);
        }
    }
}

#[tokio::test]
async fn a_malformed_body_is_a_parse_error() {
    let world = start();
    for provider in [Provider::Workable, Provider::Recruitee, Provider::SmartRecruiters] {
        let board = boards(&world, provider, 1).remove(0);
        let target = Target::tenant(provider, &board.reference.tenant);
        world.script_fault(target, 1, Fault::HtmlInsteadOfJson);
        let error = fetch(&world, &board, AMPLE).await.unwrap_err();
        assert!(matches!(error, AtsError::Parse { .. }), "{provider}: {error}");
    }
}

#[tokio::test]
async fn a_503_once_is_retried_and_the_board_read() {
    let world = start();
    for provider in [Provider::Workable, Provider::Recruitee, Provider::SmartRecruiters] {
        let board = boards(&world, provider, 1).remove(0);
        let tenant = board.reference.tenant.clone();
        world.script_fault(Target::tenant(provider, &tenant), 1, Fault::Status(503));
        world.clear_log();
        let fetch = fetch(&world, &board, AMPLE).await.unwrap();
        assert_matches(&fetch, &board);
        let sent = world.log().count_tenant(provider.key(), &tenant);
        assert_eq!(sent, fetch.requests as usize + 1, "{provider}: one retry");
    }
}

#[tokio::test]
async fn recruitee_answers_not_modified_to_its_validators() {
    let world = start();
    let board = boards(&world, Provider::Recruitee, 1).remove(0);
    let reference = reference(&board);
    let recruitee = client(&world, Provider::Recruitee, &DetailBudget::new(0));
    let first = recruitee.fetch_board(&reference, None).await.unwrap();
    let validators = first.validators.clone().unwrap();
    assert!(validators.etag.is_some() && validators.last_modified.is_some());
    let second = recruitee
        .fetch_board(&reference, Some(validators.clone()))
        .await
        .unwrap();
    assert!(second.not_modified && second.postings.is_empty());
    assert_eq!(second.validators.as_ref(), Some(&validators));
    let id = board.postings[0].id.clone();
    assert!(world.modify_posting(&board.reference, &id, |p| p.title = "Tesorero".into()));
    let third = recruitee
        .fetch_board(&reference, Some(validators.clone()))
        .await
        .unwrap();
    assert!(!third.not_modified);
    assert!(
        third
            .postings
            .iter()
            .any(|p| p.external_id == id && p.title == "Tesorero")
    );
    assert_ne!(third.validators, Some(validators));
}
