//! Lever's posting JSON (`/v0/postings/{site}?mode=json`) and its mapping to a normalised posting.

use pipeline_domain::{NormalizedPosting, Salary, SalaryPeriod, Workplace};
use serde::Deserialize;

use crate::fields::{distinct, epoch_millis, text};
use crate::html_to_text;

/// One posting. Every field is optional here; the required ones are checked in [`Posting::normalize`].
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Posting {
    id: Option<String>,
    text: Option<String>,
    hosted_url: Option<String>,
    created_at: Option<f64>,
    updated_at: Option<f64>,
    categories: Option<Categories>,
    workplace_type: Option<String>,
    description_plain: Option<String>,
    description: Option<String>,
    lists: Option<Vec<List>>,
    additional_plain: Option<String>,
    additional: Option<String>,
    salary_range: Option<SalaryRange>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Categories {
    location: Option<String>,
    all_locations: Option<Vec<String>>,
    department: Option<String>,
    team: Option<String>,
    commitment: Option<String>,
}

/// A titled list: `content` is HTML (`<li>` items).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct List {
    text: Option<String>,
    content: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SalaryRange {
    min: Option<f64>,
    max: Option<f64>,
    currency: Option<String>,
    interval: Option<String>,
}

impl Posting {
    /// The normalised posting, or the name of the first missing required field.
    pub(super) fn normalize(self) -> Result<NormalizedPosting, &'static str> {
        let external_id = text(self.id.as_deref()).ok_or("id")?;
        let title = text(self.text.as_deref()).ok_or("text")?;
        let url = text(self.hosted_url.as_deref()).ok_or("hostedUrl")?;
        let description = self.description();
        let categories = self.categories.unwrap_or_default();
        let locations = match &categories.all_locations {
            Some(all) if !all.is_empty() => distinct(all.iter().map(|l| Some(l.as_str()))),
            _ => distinct([categories.location.as_deref()]),
        };
        Ok(NormalizedPosting {
            external_id,
            url,
            title,
            description,
            locations,
            department: text(categories.department.as_deref()).or_else(|| text(categories.team.as_deref())),
            employment_type: text(categories.commitment.as_deref()),
            workplace: self.workplace_type.as_deref().and_then(Workplace::parse),
            salary: self.salary_range.and_then(SalaryRange::salary),
            requisition_id: None,
            published_at: epoch_millis(self.created_at),
            updated_at: epoch_millis(self.updated_at),
        })
    }

    /// The intro, then each list as "{text}:\n{items}", then the closing text, as plain text.
    fn description(&self) -> String {
        let plain_or_html = |plain: &Option<String>, html: &Option<String>| {
            text(plain.as_deref()).or_else(|| html.as_deref().map(html_to_text))
        };
        let mut parts: Vec<String> = Vec::new();
        parts.extend(plain_or_html(&self.description_plain, &self.description));
        for list in self.lists.iter().flatten() {
            let heading = list.text.as_deref().map(html_to_text).unwrap_or_default();
            let items = list.content.as_deref().map(html_to_text).unwrap_or_default();
            match (heading.is_empty(), items.is_empty()) {
                (_, true) => parts.extend(text(Some(&heading))),
                (true, false) => parts.push(items),
                (false, false) => parts.push(format!("{heading}:\n{items}")),
            }
        }
        parts.extend(plain_or_html(&self.additional_plain, &self.additional));
        parts.retain(|p| !p.trim().is_empty());
        parts.join("\n\n")
    }
}

impl SalaryRange {
    fn salary(self) -> Option<Salary> {
        if self.min.is_none() && self.max.is_none() {
            return None;
        }
        Some(Salary {
            min: self.min,
            max: self.max,
            currency: text(self.currency.as_deref()),
            period: self.interval.as_deref().and_then(SalaryPeriod::parse),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn normalize(value: serde_json::Value) -> Result<NormalizedPosting, &'static str> {
        serde_json::from_value::<Posting>(value).unwrap().normalize()
    }

    #[test]
    fn a_posting_maps_with_its_lists_and_closing_text() {
        let p = normalize(json!({
            "id": "5ac21346-8e0c-4494-8e7a-3eb92ff77902", "text": "Payments Engineer",
            "hostedUrl": "https://jobs.lever.co/acme/5ac21346", "applyUrl": "https://jobs.lever.co/acme/5ac21346/apply",
            "createdAt": 1_767_225_600_000_i64, "updatedAt": 1_767_312_000_000_i64,
            "categories": { "location": "Madrid", "allLocations": ["Madrid", "Barcelona", "madrid"],
                            "department": "Engineering", "team": "Payments", "commitment": "Full-time" },
            "workplaceType": "on-site", "country": "ES",
            "descriptionPlain": "We move money.\n", "description": "<p>We move money.</p>",
            "lists": [{ "text": "What you'll do", "content": "<li>Build FX &amp; SEPA rails</li><li>On call</li>" },
                      { "text": "Empty", "content": "" }],
            "additional": "<p>Equal &amp; fair.</p>",
            "salaryRange": { "min": 50000, "max": 70000.5, "currency": "EUR", "interval": "per-year-salary" }
        }))
        .unwrap();
        assert_eq!(p.external_id, "5ac21346-8e0c-4494-8e7a-3eb92ff77902");
        assert_eq!(
            (p.title.as_str(), p.url.as_str()),
            ("Payments Engineer", "https://jobs.lever.co/acme/5ac21346")
        );
        assert_eq!(
            p.description,
            "We move money.\n\nWhat you'll do:\n- Build FX & SEPA rails\n\n- On call\n\nEmpty\n\nEqual & fair."
        );
        assert_eq!(p.locations, vec!["Madrid", "Barcelona"]);
        assert_eq!(p.department.as_deref(), Some("Engineering"));
        assert_eq!(p.employment_type.as_deref(), Some("Full-time"));
        assert_eq!(p.workplace, Some(Workplace::Onsite));
        let salary = p.salary.unwrap();
        assert_eq!((salary.min, salary.max), (Some(50000.0), Some(70000.5)));
        assert_eq!(
            (salary.currency.as_deref(), salary.period),
            (Some("EUR"), Some(SalaryPeriod::Year))
        );
        assert_eq!(p.published_at.unwrap().to_rfc3339(), "2026-01-01T00:00:00+00:00");
        assert_eq!(p.updated_at.unwrap().to_rfc3339(), "2026-01-02T00:00:00+00:00");
    }

    #[test]
    fn fallbacks_apply_when_plain_text_or_categories_are_missing() {
        let p = normalize(json!({
            "id": "x", "text": "Analyst", "hostedUrl": "https://jobs.lever.co/acme/x",
            "categories": { "location": "Valencia", "team": "Finance" },
            "description": "<div>Hola&nbsp;<b>mundo</b></div>", "additionalPlain": "Bye",
            "workplaceType": "unspecified", "salaryRange": { "currency": "EUR" }
        }))
        .unwrap();
        assert_eq!(p.description, "Hola mundo\n\nBye");
        assert_eq!(p.locations, vec!["Valencia"]);
        assert_eq!(p.department.as_deref(), Some("Finance"));
        assert!(p.workplace.is_none() && p.salary.is_none() && p.published_at.is_none());
    }

    #[test]
    fn a_posting_missing_id_title_or_url_is_refused() {
        assert_eq!(
            normalize(json!({ "text": "T", "hostedUrl": "u" })).unwrap_err(),
            "id"
        );
        assert_eq!(
            normalize(json!({ "id": "x", "text": " ", "hostedUrl": "u" })).unwrap_err(),
            "text"
        );
        assert_eq!(
            normalize(json!({ "id": "x", "text": "T" })).unwrap_err(),
            "hostedUrl"
        );
    }
}
