//! Workable: the widget API, one request per board (`GET /api/v1/widget/accounts/{account}?details=true`).

use std::collections::HashSet;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use pipeline_domain::{BoardRef, NormalizedPosting, Provider, Workplace};
use serde::Deserialize;

use super::{AtsClient, AtsError, BoardFetch, Endpoints, Known, SourceHash, Validators, html_to_text};
use crate::json;
use pipeline_http::{HttpClient, Request};

/// Reads Workable accounts through the public widget API.
#[derive(Debug, Clone)]
pub struct WorkableClient {
    endpoints: Endpoints,
    http: HttpClient,
}

impl WorkableClient {
    /// A Workable client calling the API at `endpoints` through `http` (the provider's throttled client, so
    /// every stage shares its politeness).
    pub fn new(endpoints: Endpoints, http: HttpClient) -> Self {
        Self { endpoints, http }
    }
}

#[async_trait]
impl AtsClient for WorkableClient {
    fn provider(&self) -> Provider {
        Provider::Workable
    }

    async fn fetch_known(
        &self,
        board: &BoardRef,
        _validators: Option<Validators>,
        known: &Known,
    ) -> Result<BoardFetch, AtsError> {
        let account = board.tenant.as_str();
        let path = format!("/api/v1/widget/accounts/{account}?details=true");
        let url = self.endpoints.url(board, account, None, &path)?;
        let fetched = self
            .http
            .fetch(&Request::get(url.clone()))
            .await
            .map_err(|e| AtsError::from_http(board, e))?;
        known.read().await;
        let body: Account<'_> = json::parse(board, &url, &fetched.body)?;
        let mut fetch = BoardFetch {
            company_name: non_empty(body.name.clone()),
            requests: 1,
            ..BoardFetch::default()
        };
        read_jobs(board, body.jobs, known, &mut fetch);
        Ok(fetch)
    }
}

/// The widget answer: the account's name and its published jobs.
#[derive(Debug, Deserialize)]
struct Account<'a> {
    #[serde(default)]
    name: Option<String>,
    #[serde(borrow)]
    jobs: json::RawItems<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Job {
    shortcode: Option<String>,
    title: Option<String>,
    code: Option<String>,
    url: Option<String>,
    description: Option<String>,
    department: Option<String>,
    employment_type: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    telecommuting: Option<bool>,
    workplace: Option<String>,
    published_on: Option<String>,
    created_at: Option<String>,
    city: Option<String>,
    state: Option<String>,
    country: Option<String>,
    locations: Option<Vec<JobLocation>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct JobLocation {
    city: Option<String>,
    region: Option<String>,
    country: Option<String>,
    hidden: Option<bool>,
}

/// Normalises the jobs into `fetch`, skipping those of another shape, without a shortcode or title, and
/// repeated shortcodes; those `known` as they are are named unchanged.
fn read_jobs(board: &BoardRef, jobs: json::RawItems<'_>, known: &Known, fetch: &mut BoardFetch) {
    let mut seen = HashSet::new();
    for raw in jobs {
        let source = SourceHash::of(Provider::Workable, &[raw.get().as_bytes()]);
        if let Some(id) = known.get(&source) {
            if seen.insert(id.to_owned()) {
                fetch.unchanged.push(id.to_owned());
            }
            continue;
        }
        let Some(posting) = json::item::<Job>(board, raw).and_then(|job| posting(&board.tenant, job)) else {
            continue;
        };
        if seen.insert(posting.external_id.clone()) {
            fetch.push_sourced(posting, source);
        }
    }
}

fn posting(account: &str, job: Job) -> Option<NormalizedPosting> {
    let (Some(shortcode), Some(title)) = (non_empty(job.shortcode.clone()), non_empty(job.title.clone()))
    else {
        tracing::debug!(account, shortcode = ?job.shortcode, "workable job without shortcode or title skipped");
        return None;
    };
    let url = non_empty(job.url.clone())
        .unwrap_or_else(|| format!("https://apply.workable.com/{account}/j/{shortcode}/"));
    let workplace = match non_empty(job.workplace.clone()) {
        Some(text) => Workplace::parse(&text),
        None => job.telecommuting.unwrap_or(false).then_some(Workplace::Remote),
    };
    let published_at = [&job.published_on, &job.created_at]
        .into_iter()
        .find_map(|t| t.as_deref().and_then(parse_time));
    Some(NormalizedPosting {
        external_id: shortcode,
        url,
        title,
        description: job.description.as_deref().map(html_to_text).unwrap_or_default(),
        locations: locations(&job),
        department: non_empty(job.department),
        employment_type: non_empty(job.employment_type).or_else(|| non_empty(job.kind)),
        workplace,
        salary: None,
        requisition_id: non_empty(job.code),
        published_at,
        updated_at: None,
    })
}

/// The visible `locations[]` as "city, region, country", else the job's own city/state/country.
fn locations(job: &Job) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in job.locations.iter().flatten().filter(|l| l.hidden != Some(true)) {
        let label = join_place(&[&l.city, &l.region, &l.country]);
        if !label.is_empty() && !out.contains(&label) {
            out.push(label);
        }
    }
    if out.is_empty() {
        let label = join_place(&[&job.city, &job.state, &job.country]);
        if !label.is_empty() {
            out.push(label);
        }
    }
    out
}

fn join_place(parts: &[&Option<String>]) -> String {
    parts
        .iter()
        .filter_map(|p| p.as_deref().map(str::trim).filter(|s| !s.is_empty()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// `published_on` is a date (`2026-11-02`); `created_at` a date or an RFC 3339 time.
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    const SAMPLE: &str = r#"{
        "name": "Acme Pagos",
        "description": "<p>Acme Pagos is hiring.</p>",
        "jobs": [
            {
                "title": "Backend Engineer", "shortcode": "AB12CD34EF", "code": "REQ-7",
                "employment_type": "Full-time", "telecommuting": true, "department": "Engineering",
                "url": "https://apply.workable.com/acme/j/AB12CD34EF/", "published_on": "2026-10-30",
                "created_at": "2026-10-29", "country": "Spain", "city": "Madrid", "state": "Madrid",
                "locations": [
                    {"country": "Spain", "countryCode": "ES", "city": "Madrid", "region": "Madrid", "hidden": false},
                    {"country": "Portugal", "city": "Lisboa", "region": null, "hidden": true}
                ],
                "description": "<p>Pagos &amp; divisas</p><ul><li>Rust</li></ul>",
                "future_field": {"nested": [1, 2]}
            },
            { "title": "Analyst", "shortcode": "ZZ99", "type": "Contract", "city": "Bilbao",
              "country": "Spain", "created_at": "2026-10-01T09:30:00Z", "workplace": "hybrid" },
            { "title": "No shortcode" },
            { "shortcode": "NOTITLE" }
        ]
    }"#;

    #[test]
    fn jobs_are_normalised_and_incomplete_ones_skipped() {
        let account: Account<'_> = serde_json::from_str(SAMPLE).unwrap();
        assert_eq!(account.name.as_deref(), Some("Acme Pagos"));
        let board: BoardRef = "workable:acme".parse().unwrap();
        let mut fetch = BoardFetch::default();
        read_jobs(&board, account.jobs, &Known::default(), &mut fetch);
        let postings = fetch.postings;
        assert_eq!(postings.len(), 2);
        let p = &postings[0];
        assert_eq!(p.external_id, "AB12CD34EF");
        assert_eq!(p.url, "https://apply.workable.com/acme/j/AB12CD34EF/");
        assert_eq!(p.description, "Pagos & divisas\n\n- Rust");
        assert_eq!(p.locations, vec!["Madrid, Madrid, Spain".to_owned()]);
        assert_eq!(p.department.as_deref(), Some("Engineering"));
        assert_eq!(p.employment_type.as_deref(), Some("Full-time"));
        assert_eq!(p.workplace, Some(Workplace::Remote));
        assert_eq!(p.requisition_id.as_deref(), Some("REQ-7"));
        assert_eq!(
            p.published_at,
            Some(Utc.with_ymd_and_hms(2026, 10, 30, 0, 0, 0).unwrap())
        );
        let q = &postings[1];
        assert_eq!(q.url, "https://apply.workable.com/acme/j/ZZ99/");
        assert_eq!(q.locations, vec!["Bilbao, Spain".to_owned()]);
        assert_eq!(q.employment_type.as_deref(), Some("Contract"));
        assert_eq!(q.workplace, Some(Workplace::Hybrid));
        assert_eq!(
            q.published_at,
            Some(Utc.with_ymd_and_hms(2026, 10, 1, 9, 30, 0).unwrap())
        );
        assert_eq!(q.description, "");
    }

    #[test]
    fn a_body_without_jobs_is_not_the_documented_shape() {
        assert!(serde_json::from_str::<Account<'_>>(r#"{"name": "Acme"}"#).is_err());
        assert!(serde_json::from_str::<Account<'_>>(r#"{"jobs": {"a": 1}}"#).is_err());
        assert!(serde_json::from_str::<Account<'_>>(r#"{"jobs": []}"#).is_ok());
    }
}
