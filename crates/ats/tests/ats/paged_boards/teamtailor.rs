//! Teamtailor against the world: every board page by page, next links, gone / malformed / retried.

use super::*;

#[tokio::test]
async fn teamtailor_every_board_matches_the_world_page_by_page() {
    let world = start(1, 200);
    let client = teamtailor(&world);
    let all = boards(&world, Provider::Teamtailor);
    assert!(all.iter().any(|b| b.postings.len() > 40), "a board of 3+ pages");
    for board in &all {
        let fetch = client.fetch_board(&reference(board), None).await.unwrap();
        assert_matches_world(board, &fetch);
        let pages = board.postings.len().div_ceil(20).max(1);
        assert_eq!(fetch.requests as usize, pages, "{}", board.reference);
        for posting in &board.postings {
            let ours = by_id(&fetch, &posting.id);
            assert!(ours.url.starts_with(&format!(
                "https://{}.teamtailor.com/jobs/{}-",
                board.reference.tenant, posting.id
            )));
            assert_eq!(ours.published_at, Some(posting.published_at));
            assert_eq!(ours.updated_at, Some(posting.updated_at));
            assert_eq!(ours.workplace, Some(workplace(posting.workplace)));
            assert_eq!(ours.locations, [posting.location.city.as_str()]);
            assert_eq!(
                ours.salary.as_ref().map(|s| s.min),
                posting.salary.as_ref().map(|s| Some(f64::from(s.min)))
            );
        }
    }
}

#[tokio::test]
async fn teamtailor_follows_next_links_to_the_last_page() {
    let world = start(42, 120);
    let small = board(&world, Provider::Teamtailor, 1);
    let grown = grow(&world, &small, 41);
    let pages = grown.postings.len().div_ceil(20);
    assert!(pages >= 3);
    let fetch = teamtailor(&world)
        .fetch_board(&reference(&grown), None)
        .await
        .unwrap();
    assert_matches_world(&grown, &fetch);
    assert_eq!(fetch.requests as usize, pages);
    let paths: Vec<String> = world
        .log()
        .for_label("teamtailor")
        .map(|e| e.path.clone())
        .collect();
    let wanted: Vec<String> = (1..=pages)
        .map(|n| format!("/teamtailor/{}/jobs.json?page={n}", grown.reference.tenant))
        .collect();
    assert_eq!(paths, wanted);
}

#[tokio::test]
async fn teamtailor_gone_malformed_and_retried() {
    let world = start(42, 120);
    let board = board(&world, Provider::Teamtailor, 21);
    let (client, r) = (teamtailor(&world), reference(&board));
    let tenant = Target::tenant(Provider::Teamtailor, &board.reference.tenant);
    world.script_fault(tenant.clone(), 1, Fault::Status(503));
    let fetch = client.fetch_board(&r, None).await.unwrap();
    assert_matches_world(&board, &fetch);
    assert_eq!(world.log().statuses("teamtailor")[..2], [503, 200]);
    world.script_fault(tenant, 1, Fault::HtmlInsteadOfJson);
    let err = client.fetch_board(&r, None).await.unwrap_err();
    assert!(matches!(err, AtsError::Parse { .. }), "{err}");
    world.remove_board(&board.reference);
    let err = client.fetch_board(&r, None).await.unwrap_err();
    assert!(matches!(err, AtsError::Gone { .. }), "{err}");
}
