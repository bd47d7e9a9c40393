//! SmartRecruiters answers (a list page, a posting's detail) and how a listed posting and its detail become a
//! normalised posting.

use chrono::{DateTime, Utc};
use pipeline_domain::{NormalizedPosting, Workplace};
use serde::Deserialize;

use crate::fields::text as non_empty;
use crate::html_to_text;

/// One page of `GET /v1/companies/{company}/postings`; each posting kept raw (one of another shape is
/// skipped, and its text is part of its source hash).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Page<'a> {
    #[serde(default)]
    pub total_found: Option<u64>,
    #[serde(borrow)]
    pub content: crate::json::RawItems<'a>,
}

/// A posting as the list gives it (no description).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Summary {
    id: Option<String>,
    name: Option<String>,
    ref_number: Option<String>,
    released_date: Option<String>,
    location: Option<Location>,
    department: Option<Label>,
    function: Option<Label>,
    type_of_employment: Option<Label>,
    company: Option<Company>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Location {
    city: Option<String>,
    region: Option<String>,
    country: Option<String>,
    remote: Option<bool>,
    hybrid: Option<bool>,
    full_location: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Label {
    label: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Company {
    name: Option<String>,
}

/// `GET /v1/companies/{company}/postings/{id}`: the summary's fields plus the job ad and public URLs.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Detail {
    posting_url: Option<String>,
    apply_url: Option<String>,
    job_ad: Option<JobAd>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct JobAd {
    sections: Option<Sections>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Sections {
    company_description: Option<Section>,
    job_description: Option<Section>,
    qualifications: Option<Section>,
    additional_information: Option<Section>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Section {
    title: Option<String>,
    text: Option<String>,
}

/// A listed posting that has the required id and title.
#[derive(Debug)]
pub(super) struct Listed {
    pub id: String,
    title: String,
    summary: Summary,
    /// The list item's JSON text, the first part of the posting's source hash.
    pub raw: Box<str>,
}

impl Summary {
    pub(super) fn company_name(&self) -> Option<String> {
        non_empty(self.company.as_ref().and_then(|c| c.name.as_deref()))
    }

    /// The posting, when it has an id and a title; `raw` is the list item's text.
    pub(super) fn listed(self, raw: &str) -> Option<Listed> {
        match (non_empty(self.id.as_deref()), non_empty(self.name.as_deref())) {
            (Some(id), Some(title)) => Some(Listed {
                id,
                title,
                summary: self,
                raw: raw.into(),
            }),
            _ => {
                tracing::debug!(id = ?self.id, "smartrecruiters posting without id or name skipped");
                None
            }
        }
    }
}

impl Listed {
    /// The normalised posting; without a detail (budget spent) its description is empty.
    pub(super) fn into_posting(self, company: &str, detail: Option<&Detail>) -> NormalizedPosting {
        let s = self.summary;
        let url = detail
            .and_then(|d| non_empty(d.posting_url.as_deref()).or_else(|| non_empty(d.apply_url.as_deref())))
            .unwrap_or_else(|| public_url(company, &self.id, &self.title));
        let label = |l: &Option<Label>| non_empty(l.as_ref().and_then(|l| l.label.as_deref()));
        let location = s.location.unwrap_or_default();
        let workplace = if location.remote == Some(true) {
            Some(Workplace::Remote)
        } else if location.hybrid == Some(true) {
            Some(Workplace::Hybrid)
        } else {
            None
        };
        NormalizedPosting {
            url,
            description: detail.map(description).unwrap_or_default(),
            locations: locations(&location),
            department: label(&s.department).or_else(|| label(&s.function)),
            employment_type: label(&s.type_of_employment),
            workplace,
            salary: None,
            requisition_id: non_empty(s.ref_number.as_deref()),
            published_at: s.released_date.as_deref().and_then(parse_time),
            updated_at: None,
            external_id: self.id,
            title: self.title,
        }
    }
}

/// The job ad's sections as plain text, each under its title, separated by blank lines.
fn description(detail: &Detail) -> String {
    let Some(s) = detail.job_ad.as_ref().and_then(|a| a.sections.as_ref()) else {
        return String::new();
    };
    [
        &s.company_description,
        &s.job_description,
        &s.qualifications,
        &s.additional_information,
    ]
    .into_iter()
    .flatten()
    .filter_map(|section| {
        let text = html_to_text(section.text.as_deref().unwrap_or_default());
        if text.is_empty() {
            return None;
        }
        Some(match non_empty(section.title.as_deref()) {
            Some(title) => format!("{title}\n\n{text}"),
            None => text,
        })
    })
    .collect::<Vec<_>>()
    .join("\n\n")
}

fn locations(l: &Location) -> Vec<String> {
    if let Some(full) = non_empty(l.full_location.as_deref()) {
        return vec![full];
    }
    let parts: Vec<String> = [&l.city, &l.region, &l.country]
        .into_iter()
        .filter_map(|p| non_empty(p.as_deref()))
        .collect();
    if parts.is_empty() {
        Vec::new()
    } else {
        vec![parts.join(", ")]
    }
}

/// `https://jobs.smartrecruiters.com/{company}/{id}-{title-slug}` (the list's `ref` is an API URL whose
/// `/postings/` path 404s on the public site).
fn public_url(company: &str, id: &str, title: &str) -> String {
    let slug = slug(title);
    if slug.is_empty() {
        format!("https://jobs.smartrecruiters.com/{company}/{id}")
    } else {
        format!("https://jobs.smartrecruiters.com/{company}/{id}-{slug}")
    }
}

/// Lower-case ASCII slug, common Latin accents folded, other runs of characters as one `-`.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        let folded = match c {
            'á' | 'à' | 'ä' | 'â' | 'Á' | 'À' => 'a',
            'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' => 'e',
            'í' | 'ì' | 'ï' | 'î' | 'Í' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'Ó' | 'Ò' => 'o',
            'ú' | 'ù' | 'ü' | 'û' | 'Ú' => 'u',
            'ñ' | 'Ñ' => 'n',
            'ç' | 'Ç' => 'c',
            c => c,
        };
        if folded.is_ascii_alphanumeric() {
            out.push(folded.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    const PAGE: &str = r#"{
        "offset": 0, "limit": 100, "totalFound": 3,
        "content": [
            {
                "id": "744000012345678", "name": "Analista de Tesorería", "refNumber": "REQ-1",
                "uuid": "x", "releasedDate": "2026-10-30T09:15:00.000Z",
                "company": {"identifier": "AcmeGroup", "name": "Acme Group"},
                "location": {"city": "Madrid", "region": "Comunidad de Madrid", "country": "es",
                             "remote": true, "hybrid": false, "fullLocation": "Madrid, Comunidad de Madrid, Spain"},
                "department": {"id": "1", "label": "Finance"},
                "function": {"id": "f", "label": "Accounting"},
                "typeOfEmployment": {"id": "permanent", "label": "Full-time"},
                "ref": "https://api.smartrecruiters.com/v1/companies/AcmeGroup/postings/744000012345678"
            },
            {
                "id": "744000012345679", "name": "Data Engineer",
                "location": {"city": "Bilbao", "country": "es", "hybrid": true},
                "function": {"label": "Engineering"}
            },
            {"id": "744000012345680"}
        ]
    }"#;

    const DETAIL: &str = r#"{
        "id": "744000012345678", "name": "Analista de Tesorería",
        "postingUrl": "https://jobs.smartrecruiters.com/AcmeGroup/744000012345678-analista-de-tesoreria",
        "applyUrl": "https://jobs.smartrecruiters.com/oneclick-ui/company/AcmeGroup/publication/x?dcr_ci=AcmeGroup",
        "jobAd": {"sections": {
            "companyDescription": {"title": "Company Description", "text": "<p>Pagos &amp; divisas.</p>"},
            "jobDescription": {"title": "Job Description", "text": "<ul><li>Conciliar</li></ul>"},
            "qualifications": {"title": "Qualifications", "text": ""},
            "additionalInformation": {"text": "<p>Madrid</p>"}
        }}
    }"#;

    fn listed() -> Vec<Listed> {
        let page: Page<'_> = serde_json::from_str(PAGE).unwrap();
        assert_eq!(page.total_found, Some(3));
        let summary = |raw: &str| serde_json::from_str::<Summary>(raw).ok()?.listed(raw);
        page.content
            .into_iter()
            .filter_map(|raw| summary(raw.get()))
            .collect()
    }

    #[test]
    fn a_listed_posting_with_its_detail() {
        let mut all = listed();
        assert_eq!(all.len(), 2, "the posting without a name is skipped");
        let detail: Detail = serde_json::from_str(DETAIL).unwrap();
        let p = all.remove(0).into_posting("AcmeGroup", Some(&detail));
        assert_eq!(p.external_id, "744000012345678");
        assert_eq!(p.title, "Analista de Tesorería");
        assert_eq!(
            p.url,
            "https://jobs.smartrecruiters.com/AcmeGroup/744000012345678-analista-de-tesoreria"
        );
        assert_eq!(
            p.description,
            "Company Description\n\nPagos & divisas.\n\nJob Description\n\n- Conciliar\n\nMadrid"
        );
        assert_eq!(p.locations, vec!["Madrid, Comunidad de Madrid, Spain".to_owned()]);
        assert_eq!(p.workplace, Some(Workplace::Remote));
        assert_eq!(p.department.as_deref(), Some("Finance"));
        assert_eq!(p.employment_type.as_deref(), Some("Full-time"));
        assert_eq!(p.requisition_id.as_deref(), Some("REQ-1"));
        assert_eq!(
            p.published_at,
            Some(Utc.with_ymd_and_hms(2026, 10, 30, 9, 15, 0).unwrap())
        );
    }

    #[test]
    fn without_a_detail_the_url_is_built_and_the_description_empty() {
        let mut all = listed();
        let p = all.remove(0).into_posting("AcmeGroup", None);
        assert_eq!(
            p.url,
            "https://jobs.smartrecruiters.com/AcmeGroup/744000012345678-analista-de-tesoreria"
        );
        assert!(p.description.is_empty());
        let q = all.remove(0).into_posting("AcmeGroup", None);
        assert_eq!(q.locations, vec!["Bilbao, es".to_owned()]);
        assert_eq!(q.workplace, Some(Workplace::Hybrid));
        assert_eq!(
            q.department.as_deref(),
            Some("Engineering"),
            "function when no department"
        );
        assert_eq!(q.employment_type, None);
    }

    #[test]
    fn a_page_without_content_is_not_the_documented_shape() {
        assert!(serde_json::from_str::<Page<'_>>(r#"{"totalFound": 0}"#).is_err());
        assert!(serde_json::from_str::<Page<'_>>(r#"{"content": []}"#).is_ok());
        assert_eq!(slug("  Senior Engineer (Rust) — Ñu "), "senior-engineer-rust-nu");
    }
}
