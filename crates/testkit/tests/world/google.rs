//! Google: the OAuth2 token exchange and a Sheets round trip (values get/update/append/batchUpdate,
//! spreadsheets.batchUpdate), seeded tabs read back trimmed.

use pipeline_testkit::World;
use pipeline_testkit::google::{STATIC_TOKEN, oauth};
use serde_json::{Value, json};

use crate::support::client;

fn grant(assertion: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
        .append_pair("assertion", assertion)
        .finish()
}

#[tokio::test]
async fn token_exchange_then_sheet_round_trip() {
    let world = World::empty(1).start().unwrap();
    let base = format!("{}/google", world.base_url());
    let id = world.spreadsheet_id();
    let client = client();

    let unauthorized = client
        .get(format!("{base}/v4/spreadsheets/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthorized.status(), 401);

    let assertion = oauth::test_assertion(&format!("{base}/token")).unwrap();
    let token: Value = client
        .post(format!("{base}/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(grant(&assertion))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (token["token_type"].as_str(), token["expires_in"].as_u64()),
        (Some("Bearer"), Some(3600))
    );
    let bearer = format!("Bearer {}", token["access_token"].as_str().unwrap());
    let bad = client
        .post(format!("{base}/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(grant("a.b.c"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);

    let meta: Value = client
        .get(format!("{base}/v4/spreadsheets/{id}"))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(meta["sheets"][0]["properties"]["title"], "Companies");
    assert_eq!(meta["sheets"][0]["properties"]["sheetId"], 0);

    let header: Vec<Value> = ["ID Empresa", "Empresa", "Resolución"]
        .iter()
        .map(|h| json!(h))
        .collect();
    let updated: Value = client
        .put(format!(
            "{base}/v4/spreadsheets/{id}/values/Companies!A1:C1?valueInputOption=RAW"
        ))
        .header("authorization", &bearer)
        .json(&json!({ "range": "Companies!A1:C1", "majorDimension": "ROWS", "values": [header] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(updated["updatedRange"], "Companies!A1:C1");

    let rows = json!([
        [
            1,
            "Acme",
            "PENDING",
            7.5,
            1,
            1,
            2,
            "",
            "",
            "",
            "",
            "",
            "http://acme.test/",
            "lever:acme",
            2
        ],
        [2, "Beta", "PENDING"],
        [3, "Gamma", "REJECTED"]
    ]);
    let appended: Value = client
        .post(format!("{base}/v4/spreadsheets/{id}/values/Companies%21A%3AZ:append?valueInputOption=RAW&insertDataOption=INSERT_ROWS"))
        .header("authorization", &bearer)
        .json(&json!({ "values": rows }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(appended["updates"]["updatedRange"], "Companies!A2:O4");
    assert_eq!(appended["updates"]["updatedRows"], 3);

    let batch: Value = client
        .post(format!("{base}/v4/spreadsheets/{id}/values:batchUpdate"))
        .header("authorization", &bearer)
        .json(&json!({ "valueInputOption": "RAW", "data": [
            { "range": "Companies!D3:E3", "values": [["3.0", 0]] },
            { "range": "Companies!D4:E4", "values": [["9.1", 4]] },
        ] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(batch["totalUpdatedCells"], 4);

    let got: Value = client
        .get(format!("{base}/v4/spreadsheets/{id}/values/Companies!A:Z"))
        .header("authorization", format!("Bearer {STATIC_TOKEN}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got["majorDimension"], "ROWS");
    assert_eq!(got["values"][0], json!(["ID Empresa", "Empresa", "Resolución"]));
    assert_eq!(got["values"][1][3], "7.5");
    assert_eq!(got["values"][2], json!(["2", "Beta", "PENDING", "3.0", "0"]));
    let ids: Value = client
        .get(format!("{base}/v4/spreadsheets/{id}/values/Companies!A2:A"))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ids["values"], json!([["1"], ["2"], ["3"]]));

    let requests = json!({ "requests": [
        { "setDataValidation": { "range": { "sheetId": 0, "startRowIndex": 1, "endRowIndex": 1000, "startColumnIndex": 2, "endColumnIndex": 3 }, "rule": { "condition": { "type": "ONE_OF_LIST", "values": [{ "userEnteredValue": "PENDING" }] }, "strict": true, "showCustomUi": true } } },
        { "copyPaste": { "source": { "sheetId": 0 }, "destination": { "sheetId": 0 }, "pasteType": "PASTE_FORMAT" } },
    ] });
    let reply = client
        .post(format!("{base}/v4/spreadsheets/{id}:batchUpdate"))
        .header("authorization", &bearer)
        .json(&requests)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let recorded = world.sheet_requests();
    assert_eq!(recorded.len(), 2);
    assert!(recorded[0].get("setDataValidation").is_some() && recorded[1].get("copyPaste").is_some());

    let sheet = world.sheet("Companies");
    assert_eq!(sheet[3][2], "REJECTED");
    assert_eq!(sheet[1][13], "lever:acme");
    let grants = world.google(|g| g.grants.len());
    assert_eq!(grants, 1);
}

#[tokio::test]
async fn seeded_sheets_read_back_trimmed_and_unknown_tabs_fail() {
    let world = World::empty(1).start().unwrap();
    let rows = vec![
        vec!["ID Empresa".to_owned(), "Empresa".to_owned()],
        vec!["1".to_owned(), "Acme".to_owned(), String::new()],
        vec![],
        vec!["3".to_owned()],
    ];
    world.seed_sheet("Companies", rows);
    let base = format!(
        "{}/google/v4/spreadsheets/{}",
        world.base_url(),
        world.spreadsheet_id()
    );
    let auth = format!("Bearer {STATIC_TOKEN}");
    let got: Value = client()
        .get(format!("{base}/values/Companies!A:Z"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        got["values"],
        json!([["ID Empresa", "Empresa"], ["1", "Acme"], [], ["3"]])
    );
    let header: Value = client()
        .get(format!("{base}/values/Companies!A1:L1"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(header["range"], "Companies!A1:L1");
    let missing = client()
        .get(format!("{base}/values/Nope!A:Z"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 400);
}
