//! The request log (counts, peak concurrency, intervals, injected latency) and keep-alive speed.

use std::time::{Duration, Instant};

use pipeline_testkit::World;

use crate::support::{client, fixture};

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
