//! Workday against the world: every board with details, paging, the detail budget, gone details,
//! gone / malformed / retried.

use super::*;

#[tokio::test]
async fn workday_every_board_matches_the_world_with_details() {
    let world = start(1, 200);
    let client = workday(&world, 100_000);
    let all = boards(&world, Provider::Workday);
    assert!(all.iter().any(|b| b.postings.len() > 20) && all.iter().any(|b| b.postings.is_empty()));
    for board in &all {
        let fetch = client.fetch_board(&reference(board), None).await.unwrap();
        assert_matches_world(board, &fetch);
        let pages = board.postings.len().div_ceil(20).max(1);
        assert_eq!(
            fetch.requests as usize,
            pages + board.postings.len(),
            "{}",
            board.reference
        );
        assert_eq!(fetch.details_skipped, 0);
        let (pod, site) = board.reference.workday.clone().unwrap();
        for posting in &board.postings {
            let ours = by_id(&fetch, &posting.id);
            let public = format!(
                "https://{}.{pod}.myworkdayjobs.com/{site}/job/",
                board.reference.tenant
            );
            assert!(ours.url.starts_with(&public), "{}", ours.url);
            assert_eq!(ours.requisition_id.as_deref(), Some(posting.id.as_str()));
            assert_eq!(
                ours.published_at.map(|t| t.date_naive()),
                Some(posting.published_at.date_naive())
            );
            assert_eq!(ours.workplace, Some(workplace(posting.workplace)));
            assert_eq!(ours.employment_type.as_deref(), Some(posting.employment.label()));
            assert_eq!(ours.locations, [posting.location.city.as_str()]);
        }
        let company = (!board.postings.is_empty()).then(|| board.company_name.clone());
        assert_eq!(fetch.company_name, company, "hiringOrganization");
    }
}

#[tokio::test]
async fn workday_pages_past_twenty_and_spends_exactly_the_detail_budget() {
    let world = start(42, 120);
    let small = board(&world, Provider::Workday, 1);
    let grown = grow(&world, &small, 30);
    let total = grown.postings.len();
    let budget = DetailBudget::new(7);
    let endpoints = Endpoints::new(format!("{}/workday/{{tenant}}/{{pod}}", world.base_url()));
    let now = world.read(World::now);
    let client =
        WorkdayClient::new(endpoints, http(), budget.clone()).with_clock(Arc::new(ManualClock::new(now)));
    let fetch = client.fetch_board(&reference(&grown), None).await.unwrap();
    let listed: Vec<String> = grown.postings.iter().map(|p| p.id.clone()).collect();
    let mut got: Vec<String> = fetch.postings.iter().map(|p| p.external_id.clone()).collect();
    got.sort();
    let mut want = listed.clone();
    want.sort();
    assert_eq!(got, want, "every posting is kept, with or without its detail");
    assert_eq!(fetch.details_skipped as usize, total - 7);
    assert_eq!(budget.remaining(), 0);
    let tenant = grown.reference.tenant.as_str();
    assert_eq!(
        detail_calls(&world, tenant),
        7,
        "exactly the budget in detail calls"
    );
    let pages = total.div_ceil(20);
    assert!(pages >= 2);
    assert_eq!(world.log().count_tenant("workday", tenant), pages + 7);
    assert_eq!(fetch.requests as usize, pages + 7);
    let described = fetch
        .postings
        .iter()
        .filter(|p| !p.description.is_empty())
        .count();
    assert_eq!(described, 7);
    for posting in &grown.postings {
        let ours = by_id(&fetch, &posting.id);
        assert_eq!(ours.title, posting.title);
        if ours.description.is_empty() {
            assert_posted_on_date(ours.published_at, posting.published_at, now);
        }
    }
}

/// A listing-only posting is dated from "Posted N Days Ago": exact to the day it names (the world counts
/// whole days back from 08:00, so the true date is that day or the one before), none past 30 days.
fn assert_posted_on_date(ours: Option<DateTime<Utc>>, published: DateTime<Utc>, now: DateTime<Utc>) {
    let days = (now - published).num_days();
    if days > 30 {
        assert_eq!(ours, None, "\"Posted 30+ Days Ago\" has no date");
        return;
    }
    let ours = ours.unwrap().date_naive();
    let late = (ours - published.date_naive()).num_days();
    assert!((0..=1).contains(&late), "{ours} for {published}");
}

#[tokio::test]
async fn a_workday_detail_that_is_gone_drops_its_posting_only() {
    let world = start(42, 120);
    let board = board(&world, Provider::Workday, 3);
    let r = reference(&board);
    let (pod, site) = board.reference.workday.clone().unwrap();
    let tenant = board.reference.tenant.clone();
    let detail_prefix = format!("/workday/{tenant}/{pod}/wday/cxs/{tenant}/{site}/job/");
    // A detail that answers 404 (closed since the listing) drops that posting only; other detail failures
    // keep it without description (detail_failures.rs).
    world.script_fault(Target::PathPrefix(detail_prefix), 1, Fault::Status(404));
    let fetch = workday(&world, 1000).fetch_board(&r, None).await.unwrap();
    assert_eq!(fetch.postings.len(), board.postings.len() - 1);
    assert!(!fetch.incomplete && fetch.details_failed == 0);
}

#[tokio::test]
async fn workday_gone_malformed_and_retried() {
    let world = start(42, 120);
    let board = board(&world, Provider::Workday, 3);
    let r = reference(&board);
    let target = Target::tenant(Provider::Workday, &board.reference.tenant);
    world.script_fault(target.clone(), 1, Fault::Status(503));
    let fetch = workday(&world, 1000).fetch_board(&r, None).await.unwrap();
    assert_matches_world(&board, &fetch);
    assert_eq!(world.log().statuses("workday")[..2], [503, 200]);
    world.script_fault(target, 1, Fault::HtmlInsteadOfJson);
    let err = workday(&world, 1000).fetch_board(&r, None).await.unwrap_err();
    assert!(matches!(err, AtsError::Parse { .. }), "{err}");
    // A wrong site of a tenant that is in the pod: 404, the board is gone.
    let mut wrong_site = r.clone();
    wrong_site.tenant = format!(
        "{}/{}/NoSuchSite",
        board.reference.tenant,
        board.reference.workday.clone().unwrap().0
    );
    let err = workday(&world, 1000)
        .fetch_board(&wrong_site, None)
        .await
        .unwrap_err();
    assert!(matches!(err, AtsError::Gone { .. }), "{err}");
    // A removed board leaves no tenant in the pod: Workday answers 422, which says the board is gone.
    world.remove_board(&board.reference);
    let err = workday(&world, 1000).fetch_board(&r, None).await.unwrap_err();
    assert!(
        matches!(
            &err,
            AtsError::Gone {
                source: HttpError::Status { status: 422, .. },
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(err.class(), ErrorClass::Permanent);
}
