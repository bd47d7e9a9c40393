//! Personio against the world: every board on both hosts, validators, gone / malformed / retried.

use super::*;

#[tokio::test]
async fn personio_every_board_matches_the_world_on_both_hosts() {
    let world = start(1, 200);
    let client = personio(&world);
    let all = boards(&world, Provider::Personio);
    assert!(
        all.iter().any(|b| b.reference.is_variant("com")),
        "the world has a com board"
    );
    assert!(
        all.iter().any(|b| b.postings.is_empty()),
        "the world has an empty board"
    );
    for board in &all {
        let fetch = client.fetch_board(&reference(board), None).await.unwrap();
        assert_matches_world(board, &fetch);
        assert_eq!(fetch.requests, 1);
        let tld = if board.reference.is_variant("com") {
            "com"
        } else {
            "de"
        };
        for (posting, ours) in board.postings.iter().map(|p| (p, by_id(&fetch, &p.id))) {
            let url = format!(
                "https://{}.jobs.personio.{tld}/job/{}",
                board.reference.tenant, posting.id
            );
            assert_eq!(ours.url, url);
            assert_eq!(ours.published_at, Some(posting.published_at));
            assert_eq!(ours.locations, [posting.location.city.as_str()]);
            assert_eq!(ours.department.as_deref(), Some(posting.department.as_str()));
            assert!(ours.employment_type.is_some());
        }
        let company = (!board.postings.is_empty()).then(|| board.company_name.clone());
        assert_eq!(fetch.company_name, company, "subcompany");
    }
}

#[tokio::test]
async fn personio_com_boards_live_only_on_the_com_host() {
    let world = start(1, 120);
    let com = boards(&world, Provider::Personio)
        .into_iter()
        .find(|b| b.reference.is_variant("com") && !b.postings.is_empty())
        .unwrap();
    let client = personio(&world);
    let fetch = client.fetch_board(&reference(&com), None).await.unwrap();
    assert_matches_world(&com, &fetch);
    assert!(
        fetch
            .postings
            .iter()
            .all(|p| p.url.contains(".jobs.personio.com/job/"))
    );
    let mut on_de = reference(&com);
    on_de.variant = None;
    let err = client.fetch_board(&on_de, None).await.unwrap_err();
    assert!(matches!(err, AtsError::Gone { .. }), "{err}");
    let without_com_base = PersonioClient::new(
        Endpoints::new(format!("{}/personio/{{tenant}}", world.base_url())),
        http(),
    );
    let err = without_com_base
        .fetch_board(&reference(&com), None)
        .await
        .unwrap_err();
    assert!(matches!(err, AtsError::Endpoint { .. }), "{err}");
}

#[tokio::test]
async fn personio_validators_give_not_modified_until_the_board_changes() {
    let world = start(1, 120);
    let board = board(&world, Provider::Personio, 1);
    let (client, r) = (personio(&world), reference(&board));
    let first = client.fetch_board(&r, None).await.unwrap();
    let validators = first.validators.clone().unwrap();
    assert!(validators.etag.is_some() && validators.last_modified.is_some());
    let again = client.fetch_board(&r, Some(validators.clone())).await.unwrap();
    assert!(again.not_modified && again.postings.is_empty());
    assert_eq!(
        (again.requests, again.validators.as_ref()),
        (1, Some(&validators))
    );
    assert_eq!(world.log().statuses("personio"), [200, 304]);
    let grown = grow(&world, &board, 1);
    let changed = client.fetch_board(&r, Some(validators.clone())).await.unwrap();
    assert!(!changed.not_modified);
    assert_matches_world(&grown, &changed);
    assert_ne!(changed.validators, Some(validators));
}

#[tokio::test]
async fn personio_gone_malformed_and_retried() {
    let world = start(1, 120);
    let board = board(&world, Provider::Personio, 1);
    let (client, r) = (personio(&world), reference(&board));
    let tenant = Target::tenant(Provider::Personio, &board.reference.tenant);
    world.script_fault(tenant.clone(), 1, Fault::Status(503));
    let fetch = client.fetch_board(&r, None).await.unwrap();
    assert_matches_world(&board, &fetch);
    assert_eq!(world.log().statuses("personio"), [503, 200]);
    world.script_fault(tenant.clone(), 1, Fault::HtmlInsteadOfJson);
    let err = client.fetch_board(&r, None).await.unwrap_err();
    assert!(matches!(err, AtsError::Parse { .. }), "{err}");
    world.remove_board(&board.reference);
    let err = client.fetch_board(&r, None).await.unwrap_err();
    assert!(matches!(err, AtsError::Gone { .. }), "{err}");
    assert_eq!(err.class(), ErrorClass::Permanent);
}
