//! Recruitee: the careers API of each company's own host (`GET /api/offers/`), one conditional request per
//! board; "(Sample)" demo offers are dropped.

use std::collections::HashSet;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDateTime, Utc};
use pipeline_domain::{BoardRef, NormalizedPosting, Provider, Salary, SalaryPeriod, Workplace};
use serde::Deserialize;

use super::{AtsClient, AtsError, BoardFetch, Endpoints, Known, Validators, html_to_text};
use crate::fields::text as non_empty;
use crate::{conditional, validators};
use pipeline_http::{HttpClient, Request};

/// The marker Recruitee puts in the titles of the demo offers of a new account.
const SAMPLE_MARKER: &str = "(Sample)";

/// Reads Recruitee companies; the base URL is a `{tenant}` template.
#[derive(Debug, Clone)]
pub struct RecruiteeClient {
    endpoints: Endpoints,
    http: HttpClient,
}

impl RecruiteeClient {
    /// A Recruitee client calling the API at `endpoints` through `http` (the provider's throttled client, so
    /// every stage shares its politeness).
    pub fn new(endpoints: Endpoints, http: HttpClient) -> Self {
        Self { endpoints, http }
    }
}

#[async_trait]
impl AtsClient for RecruiteeClient {
    fn provider(&self) -> Provider {
        Provider::Recruitee
    }

    async fn fetch_known(
        &self,
        board: &BoardRef,
        validators: Option<Validators>,
        _known: &Known,
    ) -> Result<BoardFetch, AtsError> {
        let tenant = board.tenant.as_str();
        let url = self.endpoints.url(board, tenant, None, "/api/offers/")?;
        let request = conditional::conditional(Request::get(url.clone()), validators.as_ref());
        let fetched = self
            .http
            .fetch(&request)
            .await
            .map_err(|e| AtsError::from_http(board, e))?;
        let received = validators::validators_of(&fetched.headers);
        if fetched.status == 304 {
            return Ok(BoardFetch {
                not_modified: true,
                validators: received.or(validators),
                requests: 1,
                ..BoardFetch::default()
            });
        }
        let body: Offers =
            serde_json::from_slice(&fetched.body).map_err(|e| AtsError::parse(board, &url, e))?;
        let company_name = body
            .offers
            .iter()
            .find_map(|o| non_empty(o.company_name.as_deref()));
        Ok(BoardFetch {
            postings: postings(tenant, body.offers),
            company_name,
            validators: received,
            requests: 1,
            ..BoardFetch::default()
        })
    }
}

#[derive(Debug, Deserialize)]
struct Offers {
    offers: Vec<Offer>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Offer {
    id: Option<Id>,
    slug: Option<String>,
    title: Option<String>,
    careers_url: Option<String>,
    url: Option<String>,
    description: Option<String>,
    requirements: Option<String>,
    locations: Option<Vec<OfferLocation>>,
    city: Option<String>,
    country: Option<String>,
    remote: Option<bool>,
    hybrid: Option<bool>,
    on_site: Option<bool>,
    workplace: Option<String>,
    department: Option<String>,
    employment_type_code: Option<String>,
    published_at: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    salary: Option<OfferSalary>,
    company_name: Option<String>,
}

/// Recruitee ids are integers; a string is read too.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Id {
    Number(u64),
    Text(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OfferLocation {
    name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OfferSalary {
    min: Option<Amount>,
    max: Option<Amount>,
    currency: Option<String>,
    period: Option<String>,
}

/// Salary figures come as strings (`"40000"`) or numbers.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Amount {
    Number(f64),
    Text(String),
}

impl Amount {
    fn value(&self) -> Option<f64> {
        match self {
            Amount::Number(n) => Some(*n),
            Amount::Text(t) => t.trim().parse().ok(),
        }
    }
}

/// Normalises the offers, dropping demo offers, those without id or title, and repeated ids.
fn postings(tenant: &str, offers: Vec<Offer>) -> Vec<NormalizedPosting> {
    let mut seen = HashSet::new();
    offers
        .into_iter()
        .filter_map(|offer| posting(tenant, offer))
        .filter(|p| seen.insert(p.external_id.clone()))
        .collect()
}

fn posting(tenant: &str, offer: Offer) -> Option<NormalizedPosting> {
    let id = match &offer.id {
        Some(Id::Number(n)) => Some(n.to_string()),
        Some(Id::Text(t)) => non_empty(Some(t)),
        None => None,
    };
    let (Some(id), Some(title)) = (id, non_empty(offer.title.as_deref())) else {
        tracing::debug!(tenant, id = ?offer.id, "recruitee offer without id or title skipped");
        return None;
    };
    if title.contains(SAMPLE_MARKER) {
        tracing::debug!(tenant, id, "recruitee demo offer dropped");
        return None;
    }
    let url = non_empty(offer.careers_url.as_deref())
        .or_else(|| non_empty(offer.url.as_deref()))
        .unwrap_or_else(|| match non_empty(offer.slug.as_deref()) {
            Some(slug) => format!("https://{tenant}.recruitee.com/o/{slug}"),
            None => format!("https://{tenant}.recruitee.com/"),
        });
    let published_at = [&offer.published_at, &offer.created_at]
        .into_iter()
        .find_map(|t| t.as_deref().and_then(parse_time));
    Some(NormalizedPosting {
        external_id: id,
        url,
        title,
        description: description(&offer),
        locations: locations(&offer),
        department: non_empty(offer.department.as_deref()),
        employment_type: non_empty(offer.employment_type_code.as_deref()),
        workplace: workplace(&offer),
        salary: offer.salary.as_ref().and_then(salary),
        requisition_id: None,
        published_at,
        updated_at: offer.updated_at.as_deref().and_then(parse_time),
    })
}

/// The description, then the requirements when there are any, as plain text.
fn description(offer: &Offer) -> String {
    [&offer.description, &offer.requirements]
        .into_iter()
        .filter_map(|html| html.as_deref().map(html_to_text))
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `locations[].name`, else "city, country".
fn locations(offer: &Offer) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in offer
        .locations
        .iter()
        .flatten()
        .filter_map(|l| non_empty(l.name.as_deref()))
    {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    if out.is_empty() {
        let parts: Vec<String> = [&offer.city, &offer.country]
            .into_iter()
            .filter_map(|p| non_empty(p.as_deref()))
            .collect();
        if !parts.is_empty() {
            out.push(parts.join(", "));
        }
    }
    out
}

fn workplace(offer: &Offer) -> Option<Workplace> {
    if let Some(text) = non_empty(offer.workplace.as_deref()) {
        return Workplace::parse(&text);
    }
    let flag = |f: Option<bool>| f == Some(true);
    if flag(offer.remote) {
        Some(Workplace::Remote)
    } else if flag(offer.hybrid) {
        Some(Workplace::Hybrid)
    } else if flag(offer.on_site) {
        Some(Workplace::Onsite)
    } else {
        None
    }
}

fn salary(s: &OfferSalary) -> Option<Salary> {
    let min = s.min.as_ref().and_then(Amount::value);
    let max = s.max.as_ref().and_then(Amount::value);
    if min.is_none() && max.is_none() {
        return None;
    }
    Some(Salary {
        min,
        max,
        currency: non_empty(s.currency.as_deref()),
        period: s.period.as_deref().and_then(SalaryPeriod::parse),
    })
}

/// Recruitee writes times as `2026-11-02 10:00:00 UTC`; RFC 3339 is read too.
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    let bare = text.strip_suffix("UTC").unwrap_or(text).trim_end();
    NaiveDateTime::parse_from_str(bare, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;
    use pipeline_http::header::{ETAG, HeaderMap};

    const SAMPLE: &str = r#"{"offers": [
        {
            "id": 1870123, "slug": "analista-de-pagos", "title": "Analista de Pagos",
            "careers_url": "https://acme.recruitee.com/o/analista-de-pagos",
            "url": "https://acme.recruitee.com/o/analista-de-pagos-x",
            "location": "Madrid, Spain",
            "locations": [{"id": 1, "name": "Madrid", "city": "Madrid", "country": "Spain"}],
            "city": "Madrid", "country": "Spain", "remote": false, "hybrid": true, "on_site": false,
            "department": "Finance", "employment_type_code": "fulltime_permanent",
            "published_at": "2026-11-02 10:00:00 UTC", "created_at": "2026-11-01 09:00:00 UTC",
            "updated_at": "2026-11-03T08:00:00Z",
            "description": "<p>Pagos &amp; divisas</p>", "requirements": "<ul><li>SQL</li></ul>",
            "salary": {"min": "40000", "max": 52000.5, "currency": "EUR", "period": "year"},
            "company_name": "Acme", "tags": []
        },
        {"id": "99", "title": "Backend Engineer", "url": "https://acme.recruitee.com/o/backend",
         "city": "Valencia", "country": "Spain", "remote": true, "description": "<p>Rust</p>",
         "created_at": "2026-10-01T12:00:00+02:00", "salary": {"currency": "EUR"}},
        {"id": 3, "title": "Product Designer (Sample)", "description": "<p>demo</p>"},
        {"id": 4, "title": ""},
        {"title": "No id"}
    ]}"#;

    #[test]
    fn offers_are_normalised_and_demo_and_incomplete_ones_dropped() {
        let body: Offers = serde_json::from_str(SAMPLE).unwrap();
        let postings = postings("acme", body.offers);
        assert_eq!(postings.len(), 2);
        let p = &postings[0];
        assert_eq!(p.external_id, "1870123");
        assert_eq!(p.url, "https://acme.recruitee.com/o/analista-de-pagos");
        assert_eq!(p.description, "Pagos & divisas\n\n- SQL");
        assert_eq!(p.locations, vec!["Madrid".to_owned()]);
        assert_eq!(p.workplace, Some(Workplace::Hybrid));
        assert_eq!(p.employment_type.as_deref(), Some("fulltime_permanent"));
        assert_eq!(
            p.published_at,
            Some(Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap())
        );
        assert_eq!(
            p.updated_at,
            Some(Utc.with_ymd_and_hms(2026, 11, 3, 8, 0, 0).unwrap())
        );
        let salary = p.salary.clone().unwrap();
        assert_eq!((salary.min, salary.max), (Some(40000.0), Some(52000.5)));
        assert_eq!(salary.currency.as_deref(), Some("EUR"));
        assert_eq!(salary.period, Some(SalaryPeriod::Year));
        let q = &postings[1];
        assert_eq!(q.external_id, "99");
        assert_eq!(q.url, "https://acme.recruitee.com/o/backend");
        assert_eq!(q.locations, vec!["Valencia, Spain".to_owned()]);
        assert_eq!(q.workplace, Some(Workplace::Remote));
        assert_eq!(
            q.published_at,
            Some(Utc.with_ymd_and_hms(2026, 10, 1, 10, 0, 0).unwrap())
        );
        assert_eq!(q.salary, None);
    }

    #[test]
    fn a_body_without_offers_is_not_the_documented_shape() {
        assert!(serde_json::from_str::<Offers>(r#"{"offer": {}}"#).is_err());
        assert!(serde_json::from_str::<Offers>("[]").is_err());
        assert!(serde_json::from_str::<Offers>(r#"{"offers": []}"#).is_ok());
    }

    #[test]
    fn validators_come_from_the_response_headers() {
        let mut headers = HeaderMap::new();
        assert_eq!(validators::validators_of(&headers), None);
        headers.insert(ETAG, "\"abc\"".parse().unwrap());
        let v = validators::validators_of(&headers).unwrap();
        assert_eq!(v.etag.as_deref(), Some("\"abc\""));
        assert_eq!(v.last_modified, None);
    }
}
