//! The HTTP core against the simulated world: retries, Retry-After, caps, timeouts, the resolver.

use std::time::{Duration, Instant};

use pipeline_domain::{Backoff, Classify, ErrorClass};
use pipeline_http::{HostOverride, HttpClient, HttpError, HttpSettings, NetworkPolicy, OverrideResolver};
use pipeline_testkit::{Fault, RetryAfter, Target, World, WorldHandle};
use url::Url;

fn world() -> (WorldHandle, String) {
    pipeline_http::install_crypto_provider();
    let world = World::generate(3, 4).start().unwrap();
    let domain = world.truth().companies[0].domain.clone();
    (world, domain)
}

fn client(timeout: Duration) -> HttpClient {
    HttpClient::new(HttpSettings {
        timeout,
        retries: 2,
        max_body: 200_000,
        backoff: Backoff {
            base: Duration::from_millis(1),
            max: Duration::from_millis(5),
            jitter: 0.5,
        },
        resolver: OverrideResolver::new(vec![HostOverride::new("*.test", "127.0.0.1").unwrap()]),
        ..HttpSettings::default()
    })
    .unwrap()
}

fn home(world: &WorldHandle, domain: &str) -> Url {
    Url::parse(&format!("http://{domain}:{}/", world.port())).unwrap()
}

#[tokio::test]
async fn the_resolver_sends_test_domains_to_the_world_with_their_own_host() {
    let (world, domain) = world();
    let page = client(Duration::from_secs(5))
        .get(&home(&world, &domain))
        .await
        .unwrap();
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<html"), "a company home page");
    assert_eq!(world.log().count_tenant("site", &domain), 1);
}

#[tokio::test]
async fn transient_failures_are_retried_then_succeed() {
    let (world, domain) = world();
    world.script_fault(Target::site(&domain), 2, Fault::Status(503));
    let http = client(Duration::from_secs(5));
    assert_eq!(http.get(&home(&world, &domain)).await.unwrap().status, 200);
    assert_eq!(world.log().count_tenant("site", &domain), 3);
    assert_eq!(http.stats().snapshot(), (3, 0, 2));
}

#[tokio::test]
async fn retries_are_bounded_and_the_error_is_transient() {
    let (world, domain) = world();
    world.script_fault(Target::site(&domain), 5, Fault::Status(502));
    let err = client(Duration::from_secs(5))
        .get(&home(&world, &domain))
        .await
        .unwrap_err();
    assert_eq!((err.status(), err.class()), (Some(502), ErrorClass::Transient));
    assert_eq!(world.log().count_tenant("site", &domain), 3, "1 try + 2 retries");
}

#[tokio::test]
async fn a_429_asking_longer_than_max_retry_after_is_not_waited_for_and_carries_its_wait() {
    let (world, domain) = world();
    world.script_fault(
        Target::site(&domain),
        1,
        Fault::TooManyRequests(RetryAfter::Seconds(7)),
    );
    let http = HttpClient::new(HttpSettings {
        max_retry_after: Duration::from_secs(5),
        ..client(Duration::from_secs(5)).settings().clone()
    })
    .unwrap();
    let started = Instant::now();
    let err = http.get(&home(&world, &domain)).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2), "not waited for");
    assert_eq!(
        err.class(),
        ErrorClass::RateLimited {
            wait: Some(Duration::from_secs(7))
        }
    );
    assert_eq!(http.stats().snapshot(), (1, 1, 0));
    world.script_fault(
        Target::site(&domain),
        1,
        Fault::TooManyRequests(RetryAfter::Date(Duration::from_secs(120))),
    );
    match http.get(&home(&world, &domain)).await.unwrap_err().class() {
        ErrorClass::RateLimited { wait: Some(w) } => assert!((100..=121).contains(&w.as_secs()), "{w:?}"),
        other => panic!("{other:?}"),
    }
    // A 429 that does not say how long is not guessed at either.
    world.script_fault(
        Target::site(&domain),
        1,
        Fault::TooManyRequests(RetryAfter::Absent),
    );
    let err = http.get(&home(&world, &domain)).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::RateLimited { wait: None });
    assert_eq!(world.log().count_tenant("site", &domain), 3, "none retried");
}

#[tokio::test]
async fn a_429_with_a_short_retry_after_is_waited_out_then_retried() {
    let (world, domain) = world();
    let retry_after_one = Fault::TooManyRequests(RetryAfter::Seconds(1));
    world.script_fault(Target::site(&domain), 1, retry_after_one.clone());
    let http = client(Duration::from_secs(5));
    let started = Instant::now();
    assert_eq!(http.get(&home(&world, &domain)).await.unwrap().status, 200);
    assert!(started.elapsed() >= Duration::from_secs(1), "waited as told");
    assert_eq!(http.stats().snapshot(), (2, 1, 0));
}

#[tokio::test]
async fn short_429_waits_are_bounded_per_request() {
    let (world, domain) = world();
    world.script_fault(
        Target::site(&domain),
        10,
        Fault::TooManyRequests(RetryAfter::Seconds(0)),
    );
    let http = HttpClient::new(HttpSettings {
        rate_limit_retries: 2,
        ..client(Duration::from_secs(5)).settings().clone()
    })
    .unwrap();
    let err = http.get(&home(&world, &domain)).await.unwrap_err();
    assert_eq!(
        err.class(),
        ErrorClass::RateLimited {
            wait: Some(Duration::ZERO)
        }
    );
    assert_eq!(world.log().count_tenant("site", &domain), 3, "1 try + 2 waits");
}

#[tokio::test]
async fn gone_pages_are_permanent() {
    let (world, domain) = world();
    world.script_fault(Target::site(&domain), 1, Fault::Status(410));
    let err = client(Duration::from_secs(5))
        .get(&home(&world, &domain))
        .await
        .unwrap_err();
    assert!(err.is_gone());
    assert_eq!(err.class(), ErrorClass::Permanent);
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused() {
    let (world, domain) = world();
    world.script_fault(Target::site(&domain), 3, Fault::Oversized(1_000_000));
    let err = client(Duration::from_secs(5))
        .get(&home(&world, &domain))
        .await
        .unwrap_err();
    assert!(matches!(err, HttpError::TooLarge { limit: 200_000, .. }), "{err}");
}

#[tokio::test]
async fn stalls_time_out_and_resets_are_transient() {
    let (world, domain) = world();
    world.script_fault(Target::site(&domain), 3, Fault::Stall(Duration::from_secs(5)));
    let err = client(Duration::from_millis(200))
        .get(&home(&world, &domain))
        .await
        .unwrap_err();
    assert!(matches!(err, HttpError::Timeout { .. }), "{err}");
    world.clear_faults();
    world.script_fault(Target::site(&domain), 3, Fault::Reset);
    let err = client(Duration::from_secs(5))
        .get(&home(&world, &domain))
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Transient, "{err}");
}

#[tokio::test]
async fn a_truncated_body_is_a_transient_error() {
    let (world, domain) = world();
    world.script_fault(Target::site(&domain), 3, Fault::Truncate);
    let err = client(Duration::from_secs(5))
        .get(&home(&world, &domain))
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Transient, "{err}");
}

fn guarded() -> HttpClient {
    HttpClient::new(HttpSettings {
        policy: NetworkPolicy::PublicOnly,
        resolver: OverrideResolver::new(vec![HostOverride::new("*.test", "127.0.0.1").unwrap()]),
        ..HttpSettings::default()
    })
    .unwrap()
}

#[tokio::test]
async fn the_ssrf_guard_refuses_loopback_literals_and_names_that_resolve_to_it() {
    let (world, domain) = world();
    for url in [
        format!("http://127.0.0.1:{}/", world.port()),
        format!("http://2130706433:{}/", world.port()),
        format!("http://[::ffff:127.0.0.1]:{}/", world.port()),
        format!("http://{domain}:{}/", world.port()),
    ] {
        let err = guarded().get(&Url::parse(&url).unwrap()).await.unwrap_err();
        assert!(matches!(err, HttpError::Refused { .. }), "{url}: {err}");
        assert_eq!(err.class(), ErrorClass::Permanent);
    }
    assert_eq!(
        world.log().count_tenant("site", &domain),
        0,
        "nothing reached the world"
    );
}

#[tokio::test]
async fn redirect_loops_stop_after_five_hops() {
    let (world, domain) = world();
    world.script_fault(Target::site(&domain), 1, Fault::RedirectLoop);
    let err = client(Duration::from_secs(5))
        .get(&home(&world, &domain))
        .await
        .unwrap_err();
    assert!(matches!(err, HttpError::Redirect { .. }), "{err}");
    assert_eq!(err.class(), ErrorClass::Permanent);
}
