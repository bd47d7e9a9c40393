//! The real gateway (google-sheets4 + yup-oauth2) against the simulated Google: a real RS256 JWT grant at the
//! key's token endpoint, the values operations round trip, RAW writes, retries of 429/5xx with the request
//! log as witness, and credential failures that say what is wrong without showing the key.

use std::path::Path;
use std::time::Duration;

use pipeline_domain::{Classify, ErrorClass};
use pipeline_sheets::{
    GoogleSettings, GoogleSheets, KeySource, Provisioning, RangeValues, SheetsError, SheetsGateway,
};
use pipeline_testkit::google::oauth::{CLIENT_EMAIL, TEST_PRIVATE_KEY_PEM};
use pipeline_testkit::{Fault, RetryAfter, Target};
use pipeline_testkit::{World, WorldHandle};
use serde_json::json;

fn settings(world: &WorldHandle, key: KeySource) -> GoogleSettings {
    GoogleSettings {
        spreadsheet_id: world.spreadsheet_id(),
        base_url: format!("{}/google/", world.base_url()),
        key,
        user_agent: "pipeline-test".into(),
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        retries: 2,
        backoff: Duration::from_millis(10),
        ca_file: None,
    }
}

fn key_file(world: &WorldHandle, dir: &Path) -> KeySource {
    let path = dir.join("key.json");
    std::fs::write(&path, pipeline_testkit::service_account_json(&world.base_url()))
        .expect("key file written");
    KeySource::File(path)
}

async fn gateway(world: &WorldHandle, dir: &Path) -> GoogleSheets {
    GoogleSheets::connect(settings(world, key_file(world, dir)))
        .await
        .expect("the gateway connects")
}

#[tokio::test]
async fn a_real_jwt_grant_then_values_round_trip_raw() {
    let world = World::empty(1).start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sheets = gateway(&world, dir.path()).await;
    sheets.authenticate().await.unwrap();
    assert_eq!(world.google(|g| g.grants.len()), 1);

    assert_eq!(sheets.tab_id("Companies").await.unwrap(), Some(0));
    assert_eq!(sheets.tab_id("Nope").await.unwrap(), None);
    let id = sheets.add_tab("Other").await.unwrap();
    assert_eq!(sheets.tab_id("Other").await.unwrap(), Some(id));

    sheets
        .write(vec![RangeValues {
            range: "'Companies'!A1:C1".into(),
            rows: vec![vec![json!("ID Empresa"), json!("Empresa"), json!("Resolución")]],
        }])
        .await
        .unwrap();
    sheets
        .append(
            "'Companies'!A:O",
            vec![
                vec![
                    json!(1),
                    json!("=IMPORTXML(\"http://x\",\"//a\")"),
                    json!("PENDING"),
                ],
                vec![json!(2), json!(null), json!("ACCEPTED")],
            ],
        )
        .await
        .unwrap();
    let grid = sheets.read("'Companies'!A1:O").await.unwrap();
    assert_eq!(grid.len(), 3);
    assert_eq!(grid[1][1], json!("=IMPORTXML(\"http://x\",\"//a\")"));
    // A null is written as "": the resolution did not shift left into B.
    assert_eq!(grid[2][2], json!("ACCEPTED"));
    let log = world.log();
    assert!(
        log.for_label("sheets")
            .all(|r| !r.path.contains("valueInputOption") || r.path.contains("valueInputOption=RAW"))
    );

    sheets
        .provision(Provisioning {
            tab_id: 0,
            dropdowns: vec![(2, vec!["PENDING".into()])],
            one_decimal: vec![3],
        })
        .await
        .unwrap();
    let requests = world.sheet_requests();
    assert!(
        requests.iter().any(|r| r.get("setDataValidation").is_some()),
        "{requests:?}"
    );

    let stats = sheets.stats();
    assert_eq!(stats.requests as usize, world.log().count("sheets"));
    assert_eq!(stats.values_calls, 3);
    // One token for every call.
    assert_eq!(world.google(|g| g.grants.len()), 1);
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_then_reported_with_their_class() {
    let world = World::empty(1).start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sheets = gateway(&world, dir.path()).await;
    world.script_fault(
        Target::Label("sheets".into()),
        2,
        Fault::TooManyRequests(RetryAfter::Seconds(1)),
    );
    let started = std::time::Instant::now();
    sheets.read("'Companies'!A1:O").await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "Retry-After waited: {:?}",
        started.elapsed()
    );
    assert_eq!(world.log().statuses("sheets"), [429, 429, 200]);

    world.clear_log();
    world.script_fault(Target::Label("sheets".into()), 10, Fault::Status(500));
    let error = sheets.read("'Companies'!A1:O").await.unwrap_err();
    assert!(matches!(error, SheetsError::Api { status: 500, .. }), "{error}");
    assert_eq!(error.class(), ErrorClass::Transient);
    assert_eq!(
        world.log().statuses("sheets"),
        [500, 500, 500],
        "the first try and two retries"
    );
    let stats = sheets.stats();
    assert_eq!((stats.http_429, stats.http_5xx), (2, 3));

    world.clear_faults();
    world.clear_log();
    let error = sheets.read("'Nope'!A1:O").await.unwrap_err();
    assert!(matches!(error, SheetsError::Api { status: 400, .. }), "{error}");
    assert_eq!(world.log().count("sheets"), 1, "a 400 is not retried");
}

#[tokio::test]
async fn keys_from_the_environment_work_and_bad_keys_say_what_is_wrong_without_the_key() {
    let world = World::empty(1).start().unwrap();
    let inline = KeySource::Inline {
        email: CLIENT_EMAIL.into(),
        private_key: format!("\"{}\"", TEST_PRIVATE_KEY_PEM.replace('\n', "\\n")),
        token_uri: format!("{}/google/token", world.base_url()),
    };
    let sheets = GoogleSheets::connect(settings(&world, inline)).await.unwrap();
    sheets.authenticate().await.unwrap();

    let refused = KeySource::Inline {
        email: CLIENT_EMAIL.into(),
        private_key: TEST_PRIVATE_KEY_PEM.into(),
        token_uri: format!("{}/google/no-such-endpoint", world.base_url()),
    };
    let sheets = GoogleSheets::connect(settings(&world, refused)).await.unwrap();
    let error = sheets.authenticate().await.unwrap_err();
    assert!(matches!(error, SheetsError::Token { .. }), "{error}");
    assert!(error.to_string().contains("no-such-endpoint"), "{error}");
    let error = sheets.read("'Companies'!A1:O").await.unwrap_err();
    assert_eq!(error.class(), ErrorClass::Permanent, "{error}");
    assert!(!error.to_string().contains("PRIVATE KEY"), "{error}");

    let broken = KeySource::Inline {
        email: CLIENT_EMAIL.into(),
        private_key: "not a key".into(),
        token_uri: format!("{}/google/token", world.base_url()),
    };
    let error = GoogleSheets::connect(settings(&world, broken))
        .await
        .err()
        .unwrap();
    assert!(matches!(error, SheetsError::Credentials(_)), "{error}");
    assert_eq!(error.class(), ErrorClass::Fatal);
}
