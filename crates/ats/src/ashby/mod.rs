//! Ashby posting API: one `GET /posting-api/job-board/{board}?includeCompensation=true` per board;
//! unlisted postings (`isListed: false`) are dropped.

use async_trait::async_trait;
use pipeline_domain::{BoardRef, NormalizedPosting, Provider, Salary, SalaryPeriod, Workplace};
use serde::Deserialize;

use super::{AtsClient, AtsError, BoardFetch, Endpoints, Known, SourceHash, Validators, html_to_text};
use crate::conditional::Answer;
use crate::fields::{distinct, rfc3339, text};
use crate::{conditional, json};
use pipeline_http::HttpClient;

/// Reads Ashby job boards.
#[derive(Debug, Clone)]
pub struct AshbyClient {
    endpoints: Endpoints,
    http: HttpClient,
}

impl AshbyClient {
    /// A Ashby client calling the API at `endpoints` through `http` (the provider's throttled client, so
    /// every stage shares its politeness).
    pub fn new(endpoints: Endpoints, http: HttpClient) -> Self {
        Self { endpoints, http }
    }
}

#[async_trait]
impl AtsClient for AshbyClient {
    fn provider(&self) -> Provider {
        Provider::Ashby
    }

    async fn fetch_known(
        &self,
        board: &BoardRef,
        validators: Option<Validators>,
        known: &Known,
    ) -> Result<BoardFetch, AtsError> {
        let name = &board.tenant;
        let path = format!("/posting-api/job-board/{name}?includeCompensation=true");
        let url = self.endpoints.url(board, name, None, &path)?;
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

/// The listed postings of a board into `fetch` (those `known` as they are named unchanged); postings
/// missing a required field are skipped.
fn read_jobs(board: &BoardRef, jobs: Jobs<'_>, known: &Known, fetch: &mut BoardFetch) {
    for raw in jobs.jobs {
        let source = SourceHash::of(Provider::Ashby, &[raw.get().as_bytes()]);
        if fetch.is_known(known, source) {
            continue;
        }
        let Some(job) = json::item::<Job>(board, raw).filter(|job| job.is_listed != Some(false)) else {
            continue;
        };
        match job.normalize() {
            Ok(posting) => fetch.push_sourced(posting, source),
            Err(field) => json::skipped(board, field),
        }
    }
}

/// The answer. `jobs` is required: without it the body is not the documented shape.
#[derive(Debug, Deserialize)]
struct Jobs<'a> {
    #[serde(borrow)]
    jobs: json::RawItems<'a>,
}

/// One job. Every field is optional here; the required ones are checked in [`Job::normalize`].
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Job {
    id: Option<String>,
    title: Option<String>,
    job_url: Option<String>,
    published_at: Option<String>,
    updated_at: Option<String>,
    is_listed: Option<bool>,
    location: Option<String>,
    secondary_locations: Option<Vec<Secondary>>,
    workplace_type: Option<String>,
    is_remote: Option<bool>,
    department: Option<String>,
    team: Option<String>,
    employment_type: Option<String>,
    description_html: Option<String>,
    description_plain: Option<String>,
    compensation: Option<Compensation>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Secondary {
    location: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Compensation {
    compensation_tiers: Option<Vec<Tier>>,
    summary_components: Option<Vec<Component>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Tier {
    components: Option<Vec<Component>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Component {
    compensation_type: Option<String>,
    interval: Option<String>,
    currency_code: Option<String>,
    min_value: Option<f64>,
    max_value: Option<f64>,
}

impl Job {
    /// The normalised posting, or the name of the first missing required field.
    fn normalize(self) -> Result<NormalizedPosting, &'static str> {
        let external_id = text(self.id.as_deref()).ok_or("id")?;
        let title = text(self.title.as_deref()).ok_or("title")?;
        let url = text(self.job_url.as_deref()).ok_or("jobUrl")?;
        let description = text(self.description_plain.as_deref())
            .or_else(|| self.description_html.as_deref().map(html_to_text))
            .unwrap_or_default();
        let secondary = self.secondary_locations.iter().flatten();
        let locations = distinct(
            std::iter::once(self.location.as_deref()).chain(secondary.map(|s| s.location.as_deref())),
        );
        let workplace = match self.workplace_type.as_deref().and_then(Workplace::parse) {
            None if self.is_remote == Some(true) => Some(Workplace::Remote),
            parsed => parsed,
        };
        Ok(NormalizedPosting {
            external_id,
            url,
            title,
            description,
            locations,
            department: text(self.department.as_deref()).or_else(|| text(self.team.as_deref())),
            employment_type: text(self.employment_type.as_deref()),
            workplace,
            salary: self.compensation.and_then(Compensation::salary),
            requisition_id: None,
            published_at: rfc3339(self.published_at.as_deref()),
            updated_at: rfc3339(self.updated_at.as_deref()),
        })
    }
}

impl Compensation {
    /// The first "Salary" component of the tiers (else of the summary components).
    fn salary(self) -> Option<Salary> {
        let tiers = self.compensation_tiers.into_iter().flatten();
        let components = tiers.flat_map(|t| t.components.into_iter().flatten());
        let component = components
            .chain(self.summary_components.into_iter().flatten())
            .filter(|c| c.min_value.is_some() || c.max_value.is_some())
            .find(|c| {
                c.compensation_type
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case("salary"))
            })?;
        Some(Salary {
            min: component.min_value,
            max: component.max_value,
            currency: text(component.currency_code.as_deref()),
            period: component.interval.as_deref().and_then(SalaryPeriod::parse),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::{Value, json};

    fn read(body: Value) -> Vec<NormalizedPosting> {
        let board: BoardRef = "ashby:acme".parse().unwrap();
        let text = body.to_string();
        let mut fetch = BoardFetch::default();
        read_jobs(
            &board,
            serde_json::from_str(&text).unwrap(),
            &Known::default(),
            &mut fetch,
        );
        fetch.postings
    }

    fn job(id: &str) -> Value {
        json!({ "id": id, "title": "Treasury Lead", "jobUrl": format!("https://jobs.ashbyhq.com/acme/{id}") })
    }

    #[test]
    fn a_listed_job_maps_with_its_salary() {
        let mut full = job("a1");
        full.as_object_mut().unwrap().extend(
            json!({
                "department": "Finance", "team": "Treasury", "employmentType": "FullTime",
                "location": "Madrid", "secondaryLocations": [{ "location": "Lisbon" }, { "location": "Madrid" }],
                "publishedAt": "2026-01-05T10:00:00.000+00:00", "isListed": true, "isRemote": false,
                "workplaceType": "Hybrid", "address": { "postalAddress": { "addressCountry": "Spain" } },
                "descriptionHtml": "<p>ignored</p>", "descriptionPlain": "Hedge FX & pay suppliers.",
                "compensation": { "compensationTiers": [{ "components": [
                    { "compensationType": "EquityPercentage", "minValue": 0.1, "maxValue": 0.2 },
                    { "compensationType": "Salary", "interval": "1 YEAR", "currencyCode": "EUR",
                      "minValue": 60000, "maxValue": 80000 }] }],
                    "scrapeableCompensationSalarySummary": "€60K – €80K" }
            })
            .as_object()
            .unwrap()
            .clone(),
        );
        let postings = read(json!({ "apiVersion": "1", "jobs": [full] }));
        let p = &postings[0];
        assert_eq!(
            (p.external_id.as_str(), p.title.as_str()),
            ("a1", "Treasury Lead")
        );
        assert_eq!(p.url, "https://jobs.ashbyhq.com/acme/a1");
        assert_eq!(p.description, "Hedge FX & pay suppliers.");
        assert_eq!(p.locations, vec!["Madrid", "Lisbon"]);
        assert_eq!(p.department.as_deref(), Some("Finance"));
        assert_eq!(p.employment_type.as_deref(), Some("FullTime"));
        assert_eq!(p.workplace, Some(Workplace::Hybrid));
        let salary = p.salary.clone().unwrap();
        assert_eq!((salary.min, salary.max), (Some(60000.0), Some(80000.0)));
        assert_eq!(
            (salary.currency.as_deref(), salary.period),
            (Some("EUR"), Some(SalaryPeriod::Year))
        );
        assert_eq!(p.published_at.unwrap().to_rfc3339(), "2026-01-05T10:00:00+00:00");
    }

    #[test]
    fn unlisted_and_incomplete_jobs_are_dropped_and_fallbacks_apply() {
        let mut unlisted = job("hidden");
        unlisted["isListed"] = json!(false);
        let mut fallback = job("b2");
        let extra = json!({ "team": "Ops", "isRemote": true, "descriptionHtml": "<p>Uno &amp; dos</p><ul><li>tres</li></ul>",
                            "compensation": { "compensationTiers": [], "summaryComponents": [] } });
        fallback
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let postings = read(json!({ "jobs": [
            unlisted, fallback, { "id": "c3", "title": "No URL" }, { "title": "No id", "jobUrl": "u" }, "junk"
        ] }));
        assert_eq!(postings.len(), 1);
        let p = &postings[0];
        assert_eq!(p.external_id, "b2");
        assert_eq!(p.description, "Uno & dos\n\n- tres");
        assert_eq!(p.department.as_deref(), Some("Ops"));
        assert_eq!(p.workplace, Some(Workplace::Remote));
        assert!(p.salary.is_none() && p.locations.is_empty());
    }
}
