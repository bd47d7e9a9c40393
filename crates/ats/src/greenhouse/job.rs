//! Greenhouse's job JSON (`/v1/boards/{token}/jobs?content=true`) and its mapping to a normalised posting.

use pipeline_domain::{NormalizedPosting, Workplace};
use serde::Deserialize;
use serde_json::Value;

use crate::fields::{distinct, id_text, rfc3339, text};
use crate::{decode_entities, html_to_text};

/// The list answer. `jobs` is required: without it the body is not the documented shape.
#[derive(Debug, Deserialize)]
pub(super) struct Jobs<'a> {
    #[serde(borrow)]
    pub jobs: crate::json::RawItems<'a>,
}

/// One job. Every field is optional here; the required ones are checked in [`Job::normalize`].
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Job {
    id: Option<Value>,
    title: Option<String>,
    absolute_url: Option<String>,
    updated_at: Option<String>,
    first_published: Option<String>,
    requisition_id: Option<Value>,
    pub company_name: Option<String>,
    location: Option<Named>,
    offices: Option<Vec<Office>>,
    departments: Option<Vec<Named>>,
    metadata: Option<Vec<Metadata>>,
    content: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Named {
    name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Office {
    name: Option<String>,
    location: Option<String>,
}

/// A custom field: `value` is a string, a list (multi-select), a boolean (yes/no) or null.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Metadata {
    name: Option<String>,
    value: Option<Value>,
}

impl Job {
    /// The normalised posting, or the name of the first missing required field.
    pub(super) fn normalize(self) -> Result<NormalizedPosting, &'static str> {
        let external_id = id_text(self.id.as_ref()).ok_or("id")?;
        let title = text(self.title.as_deref()).ok_or("title")?;
        let url = text(self.absolute_url.as_deref()).ok_or("absolute_url")?;
        let metadata = self.metadata.unwrap_or_default();
        let offices = self.offices.unwrap_or_default();
        let office_names = offices
            .iter()
            .map(|o| text(o.location.as_deref()).or_else(|| text(o.name.as_deref())));
        let mut locations = vec![self.location.and_then(|l| l.name)];
        locations.extend(office_names);
        Ok(NormalizedPosting {
            external_id,
            url,
            title,
            description: self.content.as_deref().map(description).unwrap_or_default(),
            locations: distinct(locations.iter().map(Option::as_deref)),
            department: self
                .departments
                .unwrap_or_default()
                .into_iter()
                .find_map(|d| text(d.name.as_deref())),
            employment_type: metadata.iter().find_map(employment_type),
            workplace: metadata.iter().find_map(workplace),
            salary: None,
            requisition_id: id_text(self.requisition_id.as_ref()),
            published_at: rfc3339(self.first_published.as_deref()),
            updated_at: rfc3339(self.updated_at.as_deref()),
        })
    }
}

/// `content` is entity-escaped HTML (`&lt;p&gt;`); content that already carries tags is read as HTML.
fn description(content: &str) -> String {
    if content.contains('<') {
        html_to_text(content)
    } else {
        html_to_text(&decode_entities(content))
    }
}

/// A field name folded to lower-case letters and digits (`Location Type` → `locationtype`).
fn folded(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The first string of a metadata value (a select's value or a multi-select's first).
fn value_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => text(Some(s)),
        Value::Array(items) => items.iter().find_map(|v| value_text(Some(v))),
        _ => None,
    }
}

/// From "Location Type" / "Workplace Type" / "Remote"-like fields: a workplace label, or a yes/no "Remote".
fn workplace(field: &Metadata) -> Option<Workplace> {
    let name = folded(field.name.as_deref()?);
    let remote_flag = name.contains("remote");
    if !(remote_flag || name.contains("workplace") || name == "locationtype") {
        return None;
    }
    if let Some(Value::Bool(flag)) = &field.value {
        return (remote_flag && *flag).then_some(Workplace::Remote);
    }
    let value = value_text(field.value.as_ref())?;
    Workplace::parse(&value).or_else(|| {
        let yes = matches!(value.to_ascii_lowercase().as_str(), "yes" | "true");
        (remote_flag && yes).then_some(Workplace::Remote)
    })
}

/// From an "Employment Type"-like field: the label as given.
fn employment_type(field: &Metadata) -> Option<String> {
    let name = folded(field.name.as_deref()?);
    if name.contains("employment") || name == "jobtype" {
        value_text(field.value.as_ref())
    } else {
        None
    }
}
