//! Greenhouse job board API: one `GET /v1/boards/{token}/jobs?content=true` per board (descriptions
//! included; defect 8, docs/original-system.md#defect-8), conditional on the board's last validators
//! (docs/ats-apis.md#greenhouse).

mod job;

use async_trait::async_trait;
use pipeline_domain::{BoardRef, Provider};

use self::job::{Job, Jobs};
use super::{AtsClient, AtsError, BoardFetch, Endpoints, Known, SourceHash, Validators};
use crate::conditional::Answer;
use crate::{conditional, fields, json};
use pipeline_http::HttpClient;

/// Reads Greenhouse boards.
#[derive(Debug, Clone)]
pub struct GreenhouseClient {
    endpoints: Endpoints,
    http: HttpClient,
}

impl GreenhouseClient {
    /// A Greenhouse client calling the API at `endpoints` through `http` (the provider's throttled client, so
    /// every stage shares its politeness).
    pub fn new(endpoints: Endpoints, http: HttpClient) -> Self {
        Self { endpoints, http }
    }
}

#[async_trait]
impl AtsClient for GreenhouseClient {
    fn provider(&self) -> Provider {
        Provider::Greenhouse
    }

    async fn fetch_known(
        &self,
        board: &BoardRef,
        validators: Option<Validators>,
        known: &Known,
    ) -> Result<BoardFetch, AtsError> {
        let token = &board.tenant;
        let path = format!("/v1/boards/{token}/jobs?content=true");
        let url = self.endpoints.url(board, token, None, &path)?;
        let (body, fresh) = match conditional::get(&self.http, board, &url, validators.as_ref()).await? {
            Answer::NotModified => return Ok(conditional::not_modified(1, validators)),
            Answer::Fresh { body, validators } => (body, validators),
        };
        known.read().await;
        let jobs: Jobs<'_> = json::parse(board, &url, &body)?;
        let mut fetch = BoardFetch {
            validators: fresh,
            requests: 1,
            ..BoardFetch::default()
        };
        read_jobs(board, jobs, known, &mut fetch);
        Ok(fetch)
    }
}

/// The board's postings into `fetch` (jobs missing a required field skipped, those `known` as they are
/// named unchanged) and the company name the jobs carry.
fn read_jobs(board: &BoardRef, jobs: Jobs<'_>, known: &Known, fetch: &mut BoardFetch) {
    fetch.postings.reserve(jobs.jobs.len());
    for raw in jobs.jobs {
        let source = SourceHash::of(Provider::Greenhouse, &[raw.get().as_bytes()]);
        if fetch.is_known(known, source) {
            continue;
        }
        let Some(job) = json::item::<Job>(board, raw) else {
            continue;
        };
        if fetch.company_name.is_none() {
            fetch.company_name = fields::text(job.company_name.as_deref());
        }
        match job.normalize() {
            Ok(posting) => fetch.push_sourced(posting, source),
            Err(field) => json::skipped(board, field),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use pipeline_domain::{NormalizedPosting, Workplace};
    use serde_json::json;

    fn read(body: serde_json::Value) -> (Vec<NormalizedPosting>, Option<String>) {
        let board: BoardRef = "greenhouse:acme".parse().unwrap();
        let text = body.to_string();
        let mut fetch = BoardFetch::default();
        read_jobs(
            &board,
            serde_json::from_str(&text).unwrap(),
            &Known::default(),
            &mut fetch,
        );
        (fetch.postings, fetch.company_name)
    }

    #[test]
    fn a_job_maps_with_its_escaped_content_decoded() {
        let (postings, company) = read(json!({ "jobs": [{
            "id": 4012345, "title": "Treasury Analyst", "absolute_url": "https://boards.greenhouse.io/acme/jobs/4012345",
            "updated_at": "2026-01-10T12:00:00-05:00", "first_published": "2026-01-02T09:00:00Z",
            "requisition_id": "R-77", "company_name": "Acme S.L.",
            "location": { "name": "Madrid, Spain" },
            "offices": [{ "name": "Madrid", "location": "Madrid, Spain" }, { "name": "Remote EU", "location": null }],
            "departments": [{ "name": "Finance" }, { "name": "Ops" }],
            "metadata": [{ "name": "Location Type", "value": "On-site" }, { "name": "Employment Type", "value": "Full-time" }],
            "content": "&lt;h2&gt;About&lt;/h2&gt;&lt;p&gt;Pagos &amp;amp; divisas&amp;nbsp;USD&lt;/p&gt;&lt;ul&gt;&lt;li&gt;FX&lt;/li&gt;&lt;/ul&gt;",
            "data_compliance": [{ "type": "gdpr" }]
        }], "meta": { "total": 1 } }));
        assert_eq!(company.as_deref(), Some("Acme S.L."));
        let p = &postings[0];
        assert_eq!(
            (p.external_id.as_str(), p.title.as_str()),
            ("4012345", "Treasury Analyst")
        );
        assert_eq!(p.url, "https://boards.greenhouse.io/acme/jobs/4012345");
        assert_eq!(p.description, "About\n\nPagos & divisas USD\n\n- FX");
        assert_eq!(p.locations, vec!["Madrid, Spain", "Remote EU"]);
        assert_eq!(p.department.as_deref(), Some("Finance"));
        assert_eq!(p.employment_type.as_deref(), Some("Full-time"));
        assert_eq!(p.workplace, Some(Workplace::Onsite));
        assert_eq!(
            (p.salary.clone(), p.requisition_id.as_deref()),
            (None, Some("R-77"))
        );
        assert_eq!(p.published_at.unwrap().to_rfc3339(), "2026-01-02T09:00:00+00:00");
        assert_eq!(p.updated_at.unwrap().to_rfc3339(), "2026-01-10T17:00:00+00:00");
    }

    #[test]
    fn jobs_missing_a_required_field_or_of_another_shape_are_skipped() {
        let url = "https://boards.greenhouse.io/acme/jobs/";
        let (postings, company) = read(json!({ "jobs": [
            { "title": "No id", "absolute_url": url },
            { "id": 1, "absolute_url": url },
            { "id": 2, "title": "No URL" },
            { "id": 3, "title": "Odd location", "absolute_url": url, "location": "Madrid" },
            { "id": 4, "title": "Bare", "absolute_url": url, "metadata": null, "offices": null,
              "departments": null, "location": null, "first_published": null },
        ] }));
        assert_eq!(company, None);
        assert_eq!(postings.len(), 1);
        let p = &postings[0];
        assert_eq!((p.external_id.as_str(), p.description.as_str()), ("4", ""));
        assert!(p.locations.is_empty() && p.workplace.is_none() && p.published_at.is_none());
    }

    #[test]
    fn workplace_comes_from_remote_like_fields_too() {
        let job = |name: &str, value: serde_json::Value| json!({ "id": 1, "title": "T", "absolute_url": "u", "metadata": [{ "name": name, "value": value }] });
        let workplace = |name, value| read(json!({ "jobs": [job(name, value)] })).0[0].workplace;
        assert_eq!(
            workplace("Workplace Type", json!("Hybrid")),
            Some(Workplace::Hybrid)
        );
        assert_eq!(workplace("Remote", json!(true)), Some(Workplace::Remote));
        assert_eq!(workplace("Remote?", json!("Yes")), Some(Workplace::Remote));
        assert_eq!(workplace("Remote", json!(false)), None);
        assert_eq!(
            workplace("Location Type", json!(["Remote"])),
            Some(Workplace::Remote)
        );
        assert_eq!(workplace("Cost Center", json!("Remote")), None);
    }

    #[test]
    fn content_already_in_html_is_read_as_html() {
        let (postings, _) = read(json!({ "jobs": [{ "id": 9, "title": "T", "absolute_url": "u",
            "content": "<p>Hola &amp; adiós</p><p>Bye</p>" }] }));
        assert_eq!(postings[0].description, "Hola & adiós\n\nBye");
    }
}
