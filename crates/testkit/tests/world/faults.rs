//! Fault injection over HTTP: scripted faults in order, per tenant, connection-level faults, and seeded
//! probabilistic faults.

use std::time::Duration;

use pipeline_testkit::{Fault, Provider, RetryAfter, Target, World};

use crate::support::{client, client_with, fixture};

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
