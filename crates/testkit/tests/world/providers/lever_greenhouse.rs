//! Lever and Greenhouse: lists, details, EU hosts, escaped content, and 304s to their validators.

use super::get_json;
use crate::support::{client, fixture};

#[tokio::test]
async fn lever_lists_pages_and_details_on_both_hosts() {
    let world = fixture().start().unwrap();
    let base = world.base_url();
    let (status, all) = get_json(&format!("{base}/lever/v0/postings/acme?mode=json")).await;
    assert_eq!(status, 200);
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 45);
    let first = &all[0];
    for field in [
        "id",
        "text",
        "hostedUrl",
        "applyUrl",
        "createdAt",
        "categories",
        "workplaceType",
        "descriptionPlain",
        "description",
        "lists",
        "additionalPlain",
    ] {
        assert!(first.get(field).is_some(), "lever field {field}");
    }
    assert!(first["createdAt"].is_i64());
    assert_eq!(first["salaryRange"]["interval"], "per-year-salary");
    assert_eq!(first["lists"][0]["text"], "Qué harás");
    assert!(
        first["hostedUrl"]
            .as_str()
            .unwrap()
            .starts_with("https://jobs.lever.co/acme/")
    );
    let (_, page) = get_json(&format!(
        "{base}/lever/v0/postings/acme?mode=json&skip=40&limit=10"
    ))
    .await;
    assert_eq!(page.as_array().unwrap().len(), 5);
    let id = first["id"].as_str().unwrap();
    let (status, one) = get_json(&format!("{base}/lever/v0/postings/acme/{id}")).await;
    assert_eq!((status, one["id"].as_str()), (200, Some(id)));
    let (status, eu) = get_json(&format!("{base}/lever-eu/v0/postings/acmeeu?mode=json")).await;
    assert_eq!(status, 200);
    assert!(
        eu[0]["hostedUrl"]
            .as_str()
            .unwrap()
            .starts_with("https://jobs.eu.lever.co/acmeeu/")
    );
    // An EU board is not on the global host, and an unknown site is 404.
    assert_eq!(
        get_json(&format!("{base}/lever/v0/postings/acmeeu?mode=json"))
            .await
            .0,
        404
    );
    assert_eq!(
        get_json(&format!("{base}/lever/v0/postings/nobody?mode=json"))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn greenhouse_serves_escaped_content_details_and_eu() {
    let world = fixture().start().unwrap();
    let base = world.base_url();
    let (status, body) = get_json(&format!("{base}/greenhouse/v1/boards/acme/jobs?content=true")).await;
    assert_eq!(status, 200);
    assert_eq!(body["meta"]["total"], 45);
    let job = &body["jobs"][0];
    for field in [
        "id",
        "title",
        "absolute_url",
        "updated_at",
        "first_published",
        "requisition_id",
        "company_name",
        "location",
        "offices",
        "departments",
        "metadata",
        "content",
    ] {
        assert!(job.get(field).is_some(), "greenhouse field {field}");
    }
    assert!(job["id"].is_u64());
    assert_eq!(job["location"]["name"], "Madrid, Spain");
    assert_eq!(job["metadata"][0]["name"], "Location Type");
    let content = job["content"].as_str().unwrap();
    assert!(content.starts_with("&lt;p&gt;Hola &amp;amp; adiós"), "{content}");
    let (_, plain) = get_json(&format!("{base}/greenhouse/v1/boards/acme/jobs")).await;
    assert!(plain["jobs"][0].get("content").is_none());
    let id = job["id"].as_u64().unwrap();
    let (status, detail) = get_json(&format!(
        "{base}/greenhouse/v1/boards/acme/jobs/{id}?pay_transparency=true"
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(detail["pay_input_ranges"][0]["min_cents"], 4_000_000);
    let (status, board) = get_json(&format!("{base}/greenhouse/v1/boards/acme")).await;
    assert_eq!((status, board["name"].as_str()), (200, Some("Acme S.L.")));
    let (status, eu) = get_json(&format!(
        "{base}/greenhouse-eu/v1/boards/acmeeu/jobs?content=true"
    ))
    .await;
    assert_eq!(status, 200);
    assert!(
        eu["jobs"][0]["absolute_url"]
            .as_str()
            .unwrap()
            .starts_with("https://job-boards.eu.greenhouse.io/acmeeu/")
    );
    assert_eq!(
        get_json(&format!("{base}/greenhouse/v1/boards/embed/jobs"))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn greenhouse_and_lever_answer_304_to_validators() {
    let world = fixture().start().unwrap();
    let client = client();
    for path in [
        "/greenhouse/v1/boards/acme/jobs?content=true",
        "/lever/v0/postings/acme?mode=json",
    ] {
        let url = format!("{}{path}", world.base_url());
        let first = client.get(&url).send().await.unwrap();
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        let modified = first.headers()["last-modified"].to_str().unwrap().to_owned();
        let again = client
            .get(&url)
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
        let since = client
            .get(&url)
            .header("if-modified-since", &modified)
            .send()
            .await
            .unwrap();
        assert_eq!(since.status(), 304, "{path}");
        // A change makes the validators stale.
        world.update(|w| {
            let reference = pipeline_testkit::BoardRef::new(
                if path.starts_with("/lever") {
                    pipeline_testkit::Provider::Lever
                } else {
                    pipeline_testkit::Provider::Greenhouse
                },
                "acme",
            );
            let posting = w.new_posting("New one", "<p>x</p>");
            w.day += 1;
            w.add_posting(&reference, posting);
        });
        let changed = client
            .get(&url)
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), 200, "{path}");
        let changed = client
            .get(&url)
            .header("if-modified-since", &modified)
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), 200, "{path}");
    }
}
