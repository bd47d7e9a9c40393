//! The control API under `/__world`: faults, stats, log, sheets, advance-day, truth, latency over HTTP.

use serde_json::Value;

use crate::support::{client, fixture};

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
