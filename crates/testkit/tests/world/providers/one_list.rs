//! The providers that list a whole board in one response: Ashby, Workable, Recruitee (JSON) and Personio (XML).

use super::get_json;
use crate::support::{client, fixture};

#[tokio::test]
async fn ashby_workable_and_recruitee_shapes() {
    let world = fixture().start().unwrap();
    let base = world.base_url();
    let (status, ashby) = get_json(&format!(
        "{base}/ashby/posting-api/job-board/acme?includeCompensation=true"
    ))
    .await;
    assert_eq!(status, 200);
    let job = &ashby["jobs"][0];
    for field in [
        "id",
        "title",
        "jobUrl",
        "applyUrl",
        "publishedAt",
        "isListed",
        "location",
        "secondaryLocations",
        "address",
        "workplaceType",
        "isRemote",
        "department",
        "team",
        "employmentType",
        "descriptionHtml",
        "descriptionPlain",
        "compensation",
    ] {
        assert!(job.get(field).is_some(), "ashby field {field}");
    }
    let component = &job["compensation"]["compensationTiers"][0]["components"][0];
    assert_eq!(
        (
            component["compensationType"].as_str(),
            component["interval"].as_str()
        ),
        (Some("Salary"), Some("1 YEAR"))
    );
    assert_eq!(component["minValue"], 40000);
    let (_, bare) = get_json(&format!("{base}/ashby/posting-api/job-board/acme")).await;
    assert!(bare["jobs"][0].get("compensation").is_none());

    let (status, workable) = get_json(&format!(
        "{base}/workable/api/v1/widget/accounts/acme?details=true"
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(workable["name"], "Acme S.L.");
    let job = &workable["jobs"][0];
    for field in [
        "shortcode",
        "title",
        "department",
        "published_on",
        "created_at",
        "telecommuting",
        "city",
        "state",
        "country",
        "locations",
        "description",
        "url",
        "application_url",
    ] {
        assert!(job.get(field).is_some(), "workable field {field}");
    }
    let (_, short) = get_json(&format!("{base}/workable/api/v1/widget/accounts/acme")).await;
    assert!(short["jobs"][0].get("description").is_none());

    let (status, recruitee) = get_json(&format!("{base}/recruitee/acme/api/offers/")).await;
    assert_eq!(status, 200);
    let offer = &recruitee["offers"][0];
    for field in [
        "id",
        "slug",
        "title",
        "careers_url",
        "url",
        "location",
        "locations",
        "city",
        "country",
        "remote",
        "department",
        "employment_type_code",
        "published_at",
        "created_at",
        "description",
    ] {
        assert!(offer.get(field).is_some(), "recruitee field {field}");
    }
    assert_eq!(
        get_json(&format!("{base}/recruitee/nobody/api/offers/")).await.0,
        404
    );
}

#[tokio::test]
async fn personio_serves_xml_on_both_hosts() {
    let world = fixture().start().unwrap();
    let base = world.base_url();
    for url in [
        format!("{base}/personio/acme/xml?language=en"),
        format!("{base}/personio-com/acmecom/xml?language=en"),
    ] {
        let response = client().get(&url).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/xml")
        );
        let xml = response.text().await.unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<workzag-jobs>"));
        assert_eq!(xml.matches("<position>").count(), 45);
        assert!(xml.contains("<jobDescription>") && xml.contains("<![CDATA[<p>Hola &amp; adiós</p>]]>"));
        assert!(xml.contains("<createdAt>") && xml.contains("<subcompany>Acme S.L.</subcompany>"));
    }
    assert_eq!(
        client()
            .get(format!("{base}/personio/acmecom/xml"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}
