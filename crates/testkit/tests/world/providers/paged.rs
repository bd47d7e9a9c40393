//! The providers that page their lists: SmartRecruiters by offset, Teamtailor by page, Workday by POSTed offset.

use serde_json::Value;

use super::get_json;
use crate::support::{client, fixture};

#[tokio::test]
async fn smartrecruiters_pages_by_offset_and_details() {
    let world = fixture().start().unwrap();
    let base = world.base_url();
    let url =
        format!("{base}/smartrecruiters/v1/companies/AcmeGroup/postings?limit=20&offset=40&status=PUBLIC");
    let (status, page) = get_json(&url).await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            page["offset"].as_u64(),
            page["limit"].as_u64(),
            page["totalFound"].as_u64()
        ),
        (Some(40), Some(20), Some(45))
    );
    let item = &page["content"][0];
    assert!(item.get("jobAd").is_none(), "the list has no description");
    for field in [
        "id",
        "name",
        "ref",
        "releasedDate",
        "location",
        "department",
        "typeOfEmployment",
        "experienceLevel",
        "company",
        "function",
    ] {
        assert!(item.get(field).is_some(), "smartrecruiters field {field}");
    }
    let id = item["id"].as_str().unwrap();
    let (status, detail) = get_json(&format!(
        "{base}/smartrecruiters/v1/companies/AcmeGroup/postings/{id}"
    ))
    .await;
    assert_eq!(status, 200);
    assert!(
        detail["jobAd"]["sections"]["jobDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("Pagos en USD")
    );
    assert!(
        detail["postingUrl"]
            .as_str()
            .unwrap()
            .starts_with("https://jobs.smartrecruiters.com/AcmeGroup/")
    );
    // Unknown companies are an empty list, as on the real API.
    let (status, empty) = get_json(&format!(
        "{base}/smartrecruiters/v1/companies/Nobody/postings?limit=100"
    ))
    .await;
    assert_eq!((status, empty["totalFound"].as_u64()), (200, Some(0)));
}

#[tokio::test]
async fn teamtailor_pages() {
    let world = fixture().start().unwrap();
    let base = world.base_url();
    let (status, first) = get_json(&format!("{base}/teamtailor/acme/jobs.json?page=1")).await;
    assert_eq!(status, 200);
    assert_eq!(first["data"].as_array().unwrap().len(), 20);
    assert_eq!(
        (
            first["meta"]["record-count"].as_u64(),
            first["meta"]["page-count"].as_u64()
        ),
        (Some(45), Some(3))
    );
    assert_eq!(first["links"]["next"], "/jobs.json?page=2");
    assert!(first["data"][0]["attributes"]["title"].is_string());
    let (_, last) = get_json(&format!("{base}/teamtailor/acme/jobs.json?page=3")).await;
    assert_eq!(last["data"].as_array().unwrap().len(), 5);
    assert!(last["links"].get("next").is_none());
}

#[tokio::test]
async fn workday_pages_by_20_rejects_empty_bodies_and_probes_pods() {
    let world = fixture().start().unwrap();
    let url = format!(
        "{}/workday/acme/wd3/wday/cxs/acme/External/jobs",
        world.base_url()
    );
    let client = client();
    let empty = client
        .post(&url)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 422);
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let body = serde_json::json!({"appliedFacets": {}, "limit": 20, "offset": offset, "searchText": ""});
        let page: Value = client
            .post(&url)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(page["total"], 45);
        let postings = page["jobPostings"].as_array().unwrap().clone();
        assert!(postings.len() <= 20);
        if postings.is_empty() {
            break;
        }
        seen.extend(postings);
        offset += 20;
    }
    assert_eq!(seen.len(), 45);
    let first = &seen[0];
    assert!(first["postedOn"].as_str().unwrap().starts_with("Posted"));
    let path = first["externalPath"].as_str().unwrap();
    let req_id = path.rsplit('_').next().unwrap();
    assert_eq!(first["bulletFields"][0], req_id);
    let detail: Value = client
        .get(format!(
            "{}/workday/acme/wd3/wday/cxs/acme/External{path}",
            world.base_url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["jobPostingInfo"]["jobReqId"], req_id);
    assert!(
        detail["jobPostingInfo"]["jobDescription"]
            .as_str()
            .unwrap()
            .contains("Pagos en USD")
    );
    let body = serde_json::json!({"appliedFacets": {}, "limit": 20, "offset": 0, "searchText": ""});
    let wrong_site = format!(
        "{}/workday/acme/wd3/wday/cxs/acme/Internal/jobs",
        world.base_url()
    );
    assert_eq!(
        client
            .post(&wrong_site)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let wrong_pod = format!(
        "{}/workday/acme/wd5/wday/cxs/acme/External/jobs",
        world.base_url()
    );
    assert_eq!(
        client.post(&wrong_pod).json(&body).send().await.unwrap().status(),
        422
    );
}
