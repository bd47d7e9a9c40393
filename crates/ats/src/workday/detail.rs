//! The cxs detail (`GET .../wday/cxs/{tenant}/{site}{externalPath}` → `jobPostingInfo`) and the normalised
//! posting built from a listing item and, when the budget allowed the call, its detail.

use chrono::{DateTime, Days, NaiveDate, Utc};
use pipeline_domain::{NormalizedPosting, Workplace};
use serde::Deserialize;
use serde_json::Value;

use super::listing::{ListItem, nonempty, req_id};
use crate::html_to_text;

/// A detail answer: the posting and the company that hires.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DetailBody {
    pub job_posting_info: JobPostingInfo,
    pub hiring_organization: Option<HiringOrganization>,
}

#[derive(Debug, Deserialize)]
pub(super) struct HiringOrganization {
    pub name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct JobPostingInfo {
    pub title: Option<String>,
    pub job_description: Option<String>,
    pub location: Option<String>,
    pub additional_locations: Option<Vec<Value>>,
    pub remote_type: Option<String>,
    pub time_type: Option<String>,
    pub job_req_id: Option<Value>,
    pub external_url: Option<String>,
    pub start_date: Option<String>,
    pub posted_on: Option<String>,
}

/// Where a board's postings live publicly: `https://{tenant}.{pod}.myworkdayjobs.com/{site}`.
#[derive(Debug, Clone, Copy)]
pub(super) struct PublicSite<'a> {
    pub tenant: &'a str,
    pub pod: &'a str,
    pub site: &'a str,
}

impl PublicSite<'_> {
    fn url(&self, external_path: &str) -> String {
        let tenant = self.tenant.to_ascii_lowercase();
        format!(
            "https://{tenant}.{}.myworkdayjobs.com/{}{external_path}",
            self.pod, self.site
        )
    }
}

/// The posting from its listing item and, when fetched, its detail (which wins where both say something).
/// `today` dates the listing's relative "Posted N Days Ago" when the detail gives no start date.
pub(super) fn posting(
    site: PublicSite<'_>,
    item: &ListItem,
    external_id: String,
    detail: Option<JobPostingInfo>,
    today: NaiveDate,
) -> NormalizedPosting {
    let path = nonempty(&item.external_path).unwrap_or_default();
    let info = detail.unwrap_or_default();
    let title = nonempty(&info.title)
        .or(nonempty(&item.title))
        .unwrap_or_default();
    let remote = nonempty(&info.remote_type).or(nonempty(&item.remote_type));
    let published = info
        .start_date
        .as_deref()
        .and_then(start_date)
        .or_else(|| nonempty(&info.posted_on).and_then(|p| posted_on(p, today)))
        .or_else(|| nonempty(&item.posted_on).and_then(|p| posted_on(p, today)));
    let requisition_id = info
        .job_req_id
        .as_ref()
        .and_then(scalar_text)
        .or_else(|| req_id(path).map(str::to_owned));
    NormalizedPosting {
        external_id,
        url: nonempty(&info.external_url).map_or_else(|| site.url(path), str::to_owned),
        title: title.to_owned(),
        description: html_to_text(info.job_description.as_deref().unwrap_or_default()),
        locations: locations(&info, item),
        department: None,
        employment_type: nonempty(&info.time_type).map(str::to_owned),
        workplace: remote.and_then(Workplace::parse),
        salary: None,
        requisition_id,
        published_at: published
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc()),
        updated_at: None,
    }
}

/// The detail's location and additional locations; without a detail, the listing's `locationsText` unless
/// it only counts them ("3 Locations").
fn locations(info: &JobPostingInfo, item: &ListItem) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let additional = info
        .additional_locations
        .iter()
        .flatten()
        .filter_map(Value::as_str);
    for location in nonempty(&info.location).into_iter().chain(additional) {
        let location = location.trim();
        if !location.is_empty() && !out.iter().any(|l| l == location) {
            out.push(location.to_owned());
        }
    }
    if out.is_empty()
        && let Some(text) = nonempty(&item.locations_text)
        && !is_location_count(text)
    {
        out.push(text.to_owned());
    }
    out
}

fn is_location_count(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let counted = words.next().is_some_and(|n| n.parse::<u32>().is_ok());
    counted && words.next().is_some_and(|w| w.eq_ignore_ascii_case("locations")) && words.next().is_none()
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `2026-10-01` (or the date part of a longer timestamp).
fn start_date(text: &str) -> Option<NaiveDate> {
    let day = text.trim().get(..10)?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// The date a relative "Posted ..." text names, only when it is exact: "Posted Today", "Posted Yesterday",
/// "Posted 3 Days Ago". "Posted 30+ Days Ago" and anything else give `None`.
pub(super) fn posted_on(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let lower = text.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("posted")
        .map_or(lower.as_str(), str::trim_start);
    let days = match rest {
        "today" => 0,
        "yesterday" => 1,
        _ => {
            let n = rest
                .strip_suffix("days ago")
                .or_else(|| rest.strip_suffix("day ago"))?;
            n.trim().parse::<u64>().ok()?
        }
    };
    today.checked_sub_days(Days::new(days))
}

/// The UTC date of `now`.
pub(super) fn today(now: DateTime<Utc>) -> NaiveDate {
    now.date_naive()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn item() -> ListItem {
        serde_json::from_value(json!({
            "title": "Analista de Tesorería", "externalPath": "/job/Madrid/Analista-De-Tesoreria_R-000123",
            "locationsText": "2 Locations", "postedOn": "Posted 3 Days Ago", "remoteType": "Hybrid",
            "bulletFields": ["R-000123"]
        }))
        .unwrap()
    }

    const SITE: PublicSite<'static> = PublicSite {
        tenant: "Acme",
        pod: "wd3",
        site: "External",
    };

    #[test]
    fn relative_posting_dates_convert_only_when_exact() {
        let today = date("2026-11-25");
        assert_eq!(posted_on("Posted Today", today), Some(today));
        assert_eq!(posted_on("Posted Yesterday", today), Some(date("2026-11-24")));
        assert_eq!(posted_on("Posted 3 Days Ago", today), Some(date("2026-11-22")));
        assert_eq!(posted_on("posted 1 day ago", today), Some(date("2026-11-24")));
        assert_eq!(posted_on("Posted 30+ Days Ago", today), None);
        assert_eq!(posted_on("Posted recently", today), None);
    }

    #[test]
    fn without_a_detail_the_listing_fills_what_it_can() {
        let p = posting(SITE, &item(), "R-000123".into(), None, date("2026-11-25"));
        assert_eq!(
            p.url,
            "https://acme.wd3.myworkdayjobs.com/External/job/Madrid/Analista-De-Tesoreria_R-000123"
        );
        assert_eq!(p.title, "Analista de Tesorería");
        assert_eq!(p.description, "");
        assert!(p.locations.is_empty(), "\"2 Locations\" is a count, not a place");
        assert_eq!(p.workplace, Some(Workplace::Hybrid));
        assert_eq!(p.requisition_id.as_deref(), Some("R-000123"));
        assert_eq!(p.published_at.unwrap().to_rfc3339(), "2026-11-22T00:00:00+00:00");
    }

    #[test]
    fn the_detail_wins_where_it_speaks() {
        let body: DetailBody = serde_json::from_value(json!({
            "jobPostingInfo": {
                "title": "Analista de Tesorería", "jobDescription": "<p>Cobros en <b>USD</b> &amp; GBP</p>",
                "location": "Madrid", "additionalLocations": ["Barcelona", "Madrid", 3],
                "remoteType": "Fully Remote", "timeType": "Full time", "jobReqId": "R-000123",
                "externalUrl": "https://acme.wd3.myworkdayjobs.com/External/job/x_R-000123",
                "startDate": "2026-10-30", "postedOn": "Posted 30+ Days Ago", "canApply": true
            },
            "hiringOrganization": { "name": "Acme S.L." }
        }))
        .unwrap();
        assert_eq!(
            body.hiring_organization.unwrap().name.as_deref(),
            Some("Acme S.L.")
        );
        let p = posting(
            SITE,
            &item(),
            "R-000123".into(),
            Some(body.job_posting_info),
            date("2026-11-25"),
        );
        assert_eq!(p.description, "Cobros en USD & GBP");
        assert_eq!(p.locations, ["Madrid", "Barcelona"]);
        assert_eq!(p.workplace, Some(Workplace::Remote));
        assert_eq!(p.employment_type.as_deref(), Some("Full time"));
        assert_eq!(
            p.url,
            "https://acme.wd3.myworkdayjobs.com/External/job/x_R-000123"
        );
        assert_eq!(p.published_at.unwrap().to_rfc3339(), "2026-10-30T00:00:00+00:00");
        assert!(serde_json::from_value::<DetailBody>(json!({ "errorCode": "X" })).is_err());
    }
}
