//! One schema.org `JobPosting` as a posting (docs/ats-apis.md#jsonld): title, description (HTML to plain
//! text, with `responsibilities`, `qualifications` and `skills` when given apart), dates, employment type,
//! locations and remote work, salary, the hiring organization and the identifier.

use chrono::{DateTime, Utc};
use pipeline_domain::{NormalizedPosting, Salary, SalaryPeriod, Workplace};
use serde_json::{Map, Value};
use url::Url;

use super::values::{DayEdge, amount, first_text, many, text, time};
use crate::{decode_entities, html_to_text};

/// A posting read from a page, before its external id is decided (the board's other postings count).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PagePosting {
    /// Its `identifier`, when it has one.
    pub identifier: Option<String>,
    /// Its own page: `url` when it names an http(s) page, else the page it was read on.
    pub url: Url,
    /// `hiringOrganization.name`.
    pub company: Option<String>,
    /// `validThrough`, when given.
    pub valid_through: Option<DateTime<Utc>>,
    /// Everything else; `external_id` is empty.
    pub posting: NormalizedPosting,
}

/// The posting of a `JobPosting` object read on `page`; `None` without a title.
pub(crate) fn read(job: &Value, page: &Url) -> Option<PagePosting> {
    let map = job.as_object()?;
    let title = text(map.get("title")).or_else(|| text(map.get("name")))?;
    let title = decode_entities(&title).trim().to_owned();
    if title.is_empty() {
        return None;
    }
    let url = text(map.get("url"))
        .and_then(|u| page.join(&u).ok())
        .and_then(|u| pipeline_domain::page_url(&u))
        .unwrap_or_else(|| page.clone());
    let posting = NormalizedPosting {
        external_id: String::new(),
        url: url.to_string(),
        title,
        description: description(map),
        locations: locations(map),
        department: None,
        employment_type: employment_type(map.get("employmentType")),
        workplace: workplace(map.get("jobLocationType")),
        salary: salary(map, "baseSalary").or_else(|| salary(map, "estimatedSalary")),
        requisition_id: identifier(map.get("identifier")),
        published_at: time(map.get("datePosted"), DayEdge::Start),
        updated_at: time(map.get("dateModified"), DayEdge::Start),
    };
    Some(PagePosting {
        identifier: posting.requisition_id.clone(),
        company: organization(map.get("hiringOrganization")),
        valid_through: time(map.get("validThrough"), DayEdge::End),
        url,
        posting,
    })
}

/// `description` as plain text (HTML, or HTML escaped once more), then the parts some sites give apart.
fn description(map: &Map<String, Value>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for key in [
        "description",
        "responsibilities",
        "qualifications",
        "skills",
        "educationRequirements",
    ] {
        let Some(html) = text(map.get(key)) else {
            continue;
        };
        let html = if !html.contains('<') && html.contains("&lt;") {
            decode_entities(&html)
        } else {
            html
        };
        let plain = html_to_text(&html);
        if !plain.is_empty() && !parts.iter().any(|p| p.contains(&plain)) {
            parts.push(plain);
        }
    }
    parts.join("\n\n")
}

/// `identifier`: text, a number, or a `PropertyValue` (its `value`; its `name` is often the company's).
fn identifier(value: Option<&Value>) -> Option<String> {
    many(value).into_iter().find_map(|v| match v {
        Value::Object(map) => text(map.get("value")),
        other => text(Some(other)),
    })
}

/// `hiringOrganization`: an `Organization` (its `name`) or text.
fn organization(value: Option<&Value>) -> Option<String> {
    first_text(value).map(|name| decode_entities(&name).trim().to_owned())
}

/// `employmentType`: one label or several (`FULL_TIME`, `["FULL_TIME", "CONTRACTOR"]`), joined.
fn employment_type(value: Option<&Value>) -> Option<String> {
    let labels: Vec<String> = many(value).into_iter().filter_map(|v| text(Some(v))).collect();
    (!labels.is_empty()).then(|| labels.join(", "))
}

/// `jobLocationType: TELECOMMUTE` is remote work; schema.org has no word for hybrid or on site.
fn workplace(value: Option<&Value>) -> Option<Workplace> {
    many(value)
        .into_iter()
        .filter_map(|v| text(Some(v)))
        .any(|t| t.eq_ignore_ascii_case("TELECOMMUTE"))
        .then_some(Workplace::Remote)
}

/// `jobLocation` (a `Place` or a list: its address's locality, region and country, else its name), then
/// `applicantLocationRequirements` (where a remote worker may live), distinct.
fn locations(map: &Map<String, Value>) -> Vec<String> {
    let mut labels: Vec<Option<String>> = Vec::new();
    for place in many(map.get("jobLocation")) {
        match place {
            Value::Object(place) => {
                let addresses = many(place.get("address"));
                if addresses.is_empty() {
                    labels.push(text(place.get("name")));
                }
                for address in addresses {
                    labels.push(address_label(address));
                }
            }
            other => labels.push(text(Some(other))),
        }
    }
    for area in many(map.get("applicantLocationRequirements")) {
        labels.push(text(Some(area)));
    }
    crate::fields::distinct(labels.iter().map(Option::as_deref))
}

/// A `PostalAddress` as "Locality, Region, Country" (the parts given, repeats dropped), or address text.
fn address_label(address: &Value) -> Option<String> {
    let Value::Object(map) = address else {
        return text(Some(address));
    };
    let mut parts: Vec<String> = Vec::new();
    for key in ["addressLocality", "addressRegion", "addressCountry"] {
        if let Some(part) = text(map.get(key))
            && !parts.iter().any(|p| p.eq_ignore_ascii_case(&part))
        {
            parts.push(part);
        }
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// `baseSalary` (or `estimatedSalary`): a `MonetaryAmount` whose `value` is a number or a
/// `QuantitativeValue` (`value`, or `minValue`/`maxValue`, and `unitText`: `YEAR`, `MONTH`, `WEEK`,
/// `DAY`, `HOUR`); or, as in schema.org's own example, a bare amount with the currency in `salaryCurrency`.
fn salary(job: &Map<String, Value>, key: &str) -> Option<Salary> {
    let given = job.get(key)?;
    let Some(amount_of) = given.as_object() else {
        let single = amount(Some(given))?;
        return Some(Salary {
            min: Some(single),
            max: Some(single),
            currency: text(job.get("salaryCurrency")),
            period: None,
        });
    };
    let currency = text(amount_of.get("currency")).or_else(|| text(job.get("salaryCurrency")));
    let (min, max, unit) = match amount_of.get("value") {
        Some(Value::Object(quantity)) => {
            let single = amount(quantity.get("value"));
            let min = amount(quantity.get("minValue")).or(single);
            let max = amount(quantity.get("maxValue")).or(single);
            let unit = text(quantity.get("unitText")).or_else(|| text(amount_of.get("unitText")));
            (min, max, unit)
        }
        other => {
            let single = amount(other);
            (single, single, text(amount_of.get("unitText")))
        }
    };
    if min.is_none() && max.is_none() {
        return None;
    }
    Some(Salary {
        min,
        max,
        currency,
        period: unit.as_deref().and_then(SalaryPeriod::parse),
    })
}

#[cfg(test)]
mod tests;
