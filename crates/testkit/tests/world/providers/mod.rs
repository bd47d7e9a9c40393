//! Every provider's API as the world serves it: fields, paging, details, hosts and variants, validators.

mod lever_greenhouse;
mod one_list;
mod paged;

use pipeline_testkit::World;
use serde_json::Value;

use crate::support::client;

/// GETs `url` and reads its JSON (`Null` when the body is not JSON).
async fn get_json(url: &str) -> (u16, Value) {
    let response = client().get(url).send().await.expect("the world answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn unknown_routes_and_hosts_are_404() {
    let world = World::empty(1).start().unwrap();
    let client = client();
    for path in ["/", "/nothing", "/lever", "/google/v5/x", "/workday/x"] {
        let status = client
            .get(format!("{}{path}", world.base_url()))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 404, "{path}");
    }
    let status = client
        .get(format!("{}/", world.base_url()))
        .header("host", format!("nobody.test:{}", world.port()))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 404);
}
