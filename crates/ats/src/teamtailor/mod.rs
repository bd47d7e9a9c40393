//! Teamtailor: the public jobs feed `GET {base}/jobs.json?page=N` (host per tenant), JSON:API shaped
//! (`data[]{id, attributes, links}`, `meta`, `links.next`), followed page by page.

use std::collections::HashSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pipeline_domain::{BoardRef, NormalizedPosting, Provider, Salary, SalaryPeriod, Workplace};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use url::Url;

use super::{AtsClient, AtsError, BoardFetch, Endpoints, Known, SourceHash, Validators, html_to_text};
use pipeline_http::{HttpClient, Request};

/// A board with more pages than this is refused rather than half read (a partial fetch must not close
/// postings).
const MAX_PAGES: u32 = 100;

/// Client of the Teamtailor public jobs feed.
#[derive(Debug, Clone)]
pub struct TeamtailorClient {
    endpoints: Endpoints,
    http: HttpClient,
}

impl TeamtailorClient {
    /// A Teamtailor client calling the API at `endpoints` through `http` (the provider's throttled client, so
    /// every stage shares its politeness).
    pub fn new(endpoints: Endpoints, http: HttpClient) -> Self {
        Self { endpoints, http }
    }
}

#[async_trait]
impl AtsClient for TeamtailorClient {
    fn provider(&self) -> Provider {
        Provider::Teamtailor
    }

    async fn fetch_known(
        &self,
        board: &BoardRef,
        _validators: Option<Validators>,
        known: &Known,
    ) -> Result<BoardFetch, AtsError> {
        let mut fetch = BoardFetch::default();
        let mut seen: HashSet<String> = HashSet::new();
        let mut page = 1;
        loop {
            let path = format!("/jobs.json?page={page}");
            let url = self.endpoints.url(board, &board.tenant, None, &path)?;
            let fetched = self
                .http
                .fetch(&Request::get(url.clone()).header("accept", "application/vnd.api+json"))
                .await
                .map_err(|e| AtsError::from_http(board, e))?;
            fetch.requests += 1;
            known.read().await;
            let body: Page<'_> = serde_json::from_slice(&fetched.body)
                .map_err(|e| AtsError::parse(board, &url, format!("not a Teamtailor jobs page: {e}")))?;
            for raw in body.data {
                let source = SourceHash::of(Provider::Teamtailor, &[raw.get().as_bytes()]);
                if let Some(id) = known.get(&source) {
                    if seen.insert(id.to_owned()) {
                        fetch.unchanged.push(id.to_owned());
                    }
                    continue;
                }
                if let Some(posting) = normalize(board, raw)
                    && seen.insert(posting.external_id.clone())
                {
                    fetch.push_sourced(posting, source);
                }
            }
            match body.links.and_then(|l| l.next) {
                None => return Ok(fetch),
                Some(_) if page >= MAX_PAGES => {
                    let reason = format!("more than {MAX_PAGES} pages");
                    return Err(AtsError::parse(board, &url, reason));
                }
                Some(next) => page = next_page(&next, page),
            }
        }
    }
}

/// The page number a `links.next` names, or the one after `current` (the link may be relative to the
/// provider's own host, so only its `page` parameter is used); never goes backwards.
fn next_page(next: &str, current: u32) -> u32 {
    let base = Url::parse("https://teamtailor.invalid/").ok();
    let named = base.and_then(|b| b.join(next).ok()).and_then(|u| {
        u.query_pairs()
            .find(|(k, _)| k == "page")
            .and_then(|(_, v)| v.parse::<u32>().ok())
    });
    named.filter(|&n| n > current).unwrap_or(current + 1)
}

#[derive(Debug, Deserialize)]
struct Page<'a> {
    /// Kept raw: one job of an unexpected shape is skipped, not the whole page.
    #[serde(borrow)]
    data: crate::json::RawItems<'a>,
    links: Option<PageLinks>,
}

#[derive(Debug, Deserialize)]
struct PageLinks {
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Job {
    id: Option<Value>,
    attributes: Option<Attributes>,
    links: Option<JobLinks>,
}

#[derive(Debug, Deserialize)]
struct JobLinks {
    #[serde(rename = "careersite-job-url")]
    careersite_job_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Attributes {
    title: Option<String>,
    body: Option<String>,
    status: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    remote_status: Option<String>,
    employment_type: Option<String>,
    department_name: Option<String>,
    location_names: Option<Vec<String>>,
    currency: Option<String>,
    min_salary: Option<f64>,
    max_salary: Option<f64>,
    salary_time_unit: Option<String>,
}

fn normalize(board: &BoardRef, raw: &RawValue) -> Option<NormalizedPosting> {
    let job: Job = match serde_json::from_str(raw.get()) {
        Ok(job) => job,
        Err(e) => {
            tracing::debug!(%board, error = %e, "teamtailor job of an unexpected shape skipped");
            return None;
        }
    };
    let id = match job.id {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            tracing::debug!(%board, "teamtailor job without an id skipped");
            return None;
        }
    };
    let a = job.attributes.unwrap_or_default();
    let Some(title) = nonempty(a.title.as_deref()) else {
        tracing::debug!(%board, %id, "teamtailor job without a title skipped");
        return None;
    };
    if a.status
        .as_deref()
        .is_some_and(|s| !s.eq_ignore_ascii_case("open"))
    {
        tracing::debug!(%board, %id, status = ?a.status, "teamtailor job that is not open skipped");
        return None;
    }
    let url = job.links.and_then(|l| l.careersite_job_url).unwrap_or_else(|| {
        format!(
            "https://{}.teamtailor.com/jobs/{id}",
            board.tenant.to_ascii_lowercase()
        )
    });
    let salary = salary(&a);
    Some(NormalizedPosting {
        url,
        title: title.to_owned(),
        description: html_to_text(a.body.as_deref().unwrap_or_default()),
        locations: a
            .location_names
            .unwrap_or_default()
            .into_iter()
            .filter(|l| !l.trim().is_empty())
            .collect(),
        department: nonempty(a.department_name.as_deref()).map(str::to_owned),
        employment_type: nonempty(a.employment_type.as_deref()).map(str::to_owned),
        workplace: a.remote_status.as_deref().and_then(workplace),
        salary,
        requisition_id: None,
        published_at: a.created_at.as_deref().and_then(parse_time),
        updated_at: a.updated_at.as_deref().and_then(parse_time),
        external_id: id,
    })
}

/// `remote-status`: `none` (on site), `hybrid`, `temporary` (remote for now: not a lasting answer), `fully`.
fn workplace(status: &str) -> Option<Workplace> {
    match status.trim().to_ascii_lowercase().as_str() {
        "fully" => Some(Workplace::Remote),
        "none" => Some(Workplace::Onsite),
        "temporary" => None,
        other => Workplace::parse(other),
    }
}

fn salary(a: &Attributes) -> Option<Salary> {
    if a.min_salary.is_none() && a.max_salary.is_none() {
        return None;
    }
    Some(Salary {
        min: a.min_salary,
        max: a.max_salary,
        currency: nonempty(a.currency.as_deref()).map(str::to_owned),
        period: a.salary_time_unit.as_deref().and_then(SalaryPeriod::parse),
    })
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim()).map(|t| t.to_utc()).ok()
}

fn nonempty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn board() -> BoardRef {
        "teamtailor:acme".parse().unwrap()
    }

    fn raw(job: Value) -> Box<RawValue> {
        serde_json::value::to_raw_value(&job).unwrap()
    }

    #[test]
    fn jobs_become_postings() {
        let job = json!({
            "id": "123456", "type": "jobs",
            "links": { "careersite-job-url": "https://acme.teamtailor.com/jobs/123456-backend-engineer" },
            "attributes": {
                "title": "Backend Engineer", "body": "<p>Pagos en <b>USD</b> &amp; EUR</p><ul><li>Rust</li></ul>",
                "status": "open", "created-at": "2026-10-01T08:00:00+02:00", "updated-at": "2026-10-02T08:00:00Z",
                "remote-status": "hybrid", "employment-type": "fulltime", "department-name": "Engineering",
                "location-names": ["Madrid"], "currency": "EUR", "min-salary": 40000, "max-salary": 55000,
                "salary-time-unit": "year", "some-new-field": {"x": 1}
            }
        });
        let p = normalize(&board(), &raw(job)).unwrap();
        assert_eq!(p.external_id, "123456");
        assert_eq!(p.url, "https://acme.teamtailor.com/jobs/123456-backend-engineer");
        assert_eq!(p.description, "Pagos en USD & EUR\n\n- Rust");
        assert_eq!(p.workplace, Some(Workplace::Hybrid));
        assert_eq!(p.employment_type.as_deref(), Some("fulltime"));
        assert_eq!(p.locations, ["Madrid"]);
        let salary = p.salary.unwrap();
        assert_eq!((salary.min, salary.max), (Some(40000.0), Some(55000.0)));
        assert_eq!(salary.period, Some(SalaryPeriod::Year));
        assert_eq!(p.published_at.unwrap().to_rfc3339(), "2026-10-01T06:00:00+00:00");
    }

    #[test]
    fn jobs_without_id_or_title_or_not_open_are_skipped() {
        let minimal = json!({ "id": 7, "attributes": { "title": "Ops", "salary-time-unit": null } });
        let p = normalize(&board(), &raw(minimal)).unwrap();
        assert_eq!((p.external_id.as_str(), p.salary.clone()), ("7", None));
        assert_eq!(p.url, "https://acme.teamtailor.com/jobs/7");
        for skipped in [
            json!({ "attributes": { "title": "No id" } }),
            json!({ "id": "1", "attributes": { "title": " " } }),
            json!({ "id": "1", "attributes": { "title": "Draft", "status": "draft" } }),
            json!({ "id": "1", "attributes": { "title": 5 } }),
            json!("not an object"),
        ] {
            assert!(normalize(&board(), &raw(skipped)).is_none());
        }
    }

    #[test]
    fn remote_status_spellings() {
        assert_eq!(workplace("fully"), Some(Workplace::Remote));
        assert_eq!(workplace("none"), Some(Workplace::Onsite));
        assert_eq!(workplace("hybrid"), Some(Workplace::Hybrid));
        assert_eq!(workplace("temporary"), None);
    }

    #[test]
    fn next_links_name_the_page_relative_or_absolute() {
        assert_eq!(next_page("/jobs.json?page=3", 2), 3);
        assert_eq!(
            next_page("https://acme.teamtailor.com/jobs.json?page=9&x=1", 2),
            9
        );
        assert_eq!(next_page("/jobs.json?page=1", 2), 3, "never backwards");
        assert_eq!(next_page("garbage", 4), 5);
    }

    #[test]
    fn a_page_needs_a_data_array() {
        let page: Page<'_> = serde_json::from_str(r#"{"data": [], "meta": {"page-count": 1}}"#).unwrap();
        assert!(page.data.is_empty() && page.links.is_none());
        assert!(serde_json::from_str::<Page<'_>>(r#"{"errors": []}"#).is_err());
        assert!(serde_json::from_str::<Page<'_>>("<html></html>").is_err());
    }
}
