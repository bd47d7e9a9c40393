//! Personio: the public XML feed `GET {base}/xml?language=en` (host per tenant, `.jobs.personio.de` or the
//! `com` variant's `.jobs.personio.com`), one request per board, with ETag / Last-Modified validators.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDateTime, Utc};
use pipeline_domain::{BoardRef, NormalizedPosting, Provider};
use quick_xml::events::Event;
use serde::Deserialize;

use super::{AtsClient, AtsError, BoardFetch, Endpoints, Known, Validators, html_to_text};
use crate::{conditional, validators};
use pipeline_http::{HttpClient, Request};

/// The feed's root element: anything else (an HTML page, another feed) is not a Personio answer.
const ROOT: &[u8] = b"workzag-jobs";

/// Client of the Personio XML feed.
#[derive(Debug, Clone)]
pub struct PersonioClient {
    endpoints: Endpoints,
    http: HttpClient,
}

impl PersonioClient {
    /// A Personio client calling the API at `endpoints` through `http` (the provider's throttled client, so
    /// every stage shares its politeness).
    pub fn new(endpoints: Endpoints, http: HttpClient) -> Self {
        Self { endpoints, http }
    }
}

#[async_trait]
impl AtsClient for PersonioClient {
    fn provider(&self) -> Provider {
        Provider::Personio
    }

    async fn fetch_known(
        &self,
        board: &BoardRef,
        validators: Option<Validators>,
        _known: &Known,
    ) -> Result<BoardFetch, AtsError> {
        let url = self
            .endpoints
            .url(board, &board.tenant, None, "/xml?language=en")?;
        let request = conditional::conditional(Request::get(url.clone()), validators.as_ref());
        let fetched = self
            .http
            .fetch(&request)
            .await
            .map_err(|e| AtsError::from_http(board, e))?;
        if fetched.status == 304 {
            return Ok(BoardFetch {
                not_modified: true,
                validators: validators::validators_of(&fetched.headers).or(validators),
                requests: 1,
                ..BoardFetch::default()
            });
        }
        let positions = parse_feed(&fetched.text()).map_err(|reason| AtsError::parse(board, &url, reason))?;
        let company_name = positions
            .iter()
            .find_map(|p| nonempty(p.subcompany.as_deref()))
            .map(str::to_owned);
        let postings = positions.into_iter().filter_map(|p| p.normalize(board)).collect();
        Ok(BoardFetch {
            postings,
            company_name,
            validators: validators::validators_of(&fetched.headers),
            requests: 1,
            ..BoardFetch::default()
        })
    }
}

#[derive(Debug, Deserialize)]
struct Feed {
    #[serde(default, rename = "position")]
    positions: Vec<Position>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Position {
    id: Option<String>,
    subcompany: Option<String>,
    office: Option<String>,
    additional_offices: Option<Offices>,
    department: Option<String>,
    name: Option<String>,
    job_descriptions: Option<Sections>,
    employment_type: Option<String>,
    created_at: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Offices {
    #[serde(default, rename = "office")]
    offices: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Sections {
    #[serde(default, rename = "jobDescription")]
    sections: Vec<Section>,
}

#[derive(Debug, Default, Deserialize)]
struct Section {
    name: Option<String>,
    value: Option<String>,
}

/// The positions of a feed; `Err` when the text is not a `<workzag-jobs>` document.
fn parse_feed(xml: &str) -> Result<Vec<Position>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.name().as_ref() == ROOT => break,
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                return Err(format!("root element <{name}>, expected <workzag-jobs>"));
            }
            Ok(Event::Eof) => return Err("no XML element in the body".to_owned()),
            Ok(_) => {}
            Err(e) => return Err(format!("not XML: {e}")),
        }
    }
    let feed: Feed = quick_xml::de::from_str(xml).map_err(|e| format!("not a Personio feed: {e}"))?;
    Ok(feed.positions)
}

impl Position {
    fn normalize(self, board: &BoardRef) -> Option<NormalizedPosting> {
        let (Some(id), Some(title)) = (nonempty(self.id.as_deref()), nonempty(self.name.as_deref())) else {
            tracing::debug!(%board, id = ?self.id, "personio position without id or name skipped");
            return None;
        };
        let mut locations: Vec<String> = Vec::new();
        let additional = self.additional_offices.map(|o| o.offices).unwrap_or_default();
        for office in self.office.into_iter().chain(additional) {
            let office = office.trim();
            if !office.is_empty() && !locations.iter().any(|l| l == office) {
                locations.push(office.to_owned());
            }
        }
        Some(NormalizedPosting {
            external_id: id.to_owned(),
            url: public_url(board, id),
            title: title.to_owned(),
            description: description(self.job_descriptions.map(|s| s.sections).unwrap_or_default()),
            locations,
            department: nonempty(self.department.as_deref()).map(str::to_owned),
            employment_type: nonempty(self.employment_type.as_deref()).map(str::to_owned),
            workplace: None,
            salary: None,
            requisition_id: None,
            published_at: self.created_at.as_deref().and_then(parse_time),
            updated_at: None,
        })
    }
}

/// The posting's public page, on the variant's public host (not the API base, which may be a proxy).
fn public_url(board: &BoardRef, id: &str) -> String {
    let tld = if board.variant.as_deref() == Some("com") {
        "com"
    } else {
        "de"
    };
    let tenant = board.tenant.to_ascii_lowercase();
    format!("https://{tenant}.jobs.personio.{tld}/job/{id}")
}

/// "{name}\n{text}" per section, a blank line between sections.
fn description(sections: Vec<Section>) -> String {
    let parts: Vec<String> = sections
        .into_iter()
        .filter_map(|s| {
            let text = html_to_text(s.value.as_deref().unwrap_or_default());
            let name = s.name.as_deref().map(str::trim).unwrap_or_default();
            match (name.is_empty(), text.is_empty()) {
                (_, true) => None,
                (true, false) => Some(text),
                (false, false) => Some(format!("{name}\n{text}")),
            }
        })
        .collect();
    parts.join("\n\n")
}

/// `2026-10-01T12:00:00+00:00` (the feed's format), or a zone-less `2026-10-01 12:00:00` read as UTC.
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|t| t.and_utc())
        })
}

fn nonempty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<workzag-jobs>
  <position>
    <id>1234567</id>
    <subcompany>Acme &amp; Co GmbH</subcompany>
    <office>Berlin</office>
    <additionalOffices><office>Madrid</office><office>Berlin</office></additionalOffices>
    <department>Finance</department>
    <recruitingCategory>Finance</recruitingCategory>
    <name>Treasury Analyst (m/f/d)</name>
    <jobDescriptions>
      <jobDescription>
        <name>About us</name>
        <value><![CDATA[<p>We move money &amp; pay in <b>USD</b>.</p>]]></value>
      </jobDescription>
      <jobDescription>
        <name>Your tasks</name>
        <value><![CDATA[<ul><li>FX hedging</li><li>Cash</li></ul>]]></value>
      </jobDescription>
      <jobDescription><name>Empty</name><value><![CDATA[]]></value></jobDescription>
    </jobDescriptions>
    <employmentType>permanent</employmentType>
    <seniority>experienced</seniority>
    <schedule>full-time</schedule>
    <unknownField><nested>1</nested></unknownField>
    <createdAt>2026-10-01T12:30:00+02:00</createdAt>
  </position>
  <position>
    <id>42</id>
    <additionalOffices></additionalOffices>
    <name></name>
  </position>
  <position><id>43</id><name>Minimal</name></position>
</workzag-jobs>
"#;

    #[test]
    fn positions_become_postings_with_sectioned_plain_text() {
        let board: BoardRef = "personio:Acme".parse().unwrap();
        let postings: Vec<_> = parse_feed(FEED)
            .unwrap()
            .into_iter()
            .filter_map(|p| p.normalize(&board))
            .collect();
        assert_eq!(postings.len(), 2, "the position without a name is skipped");
        let p = &postings[0];
        assert_eq!(p.external_id, "1234567");
        assert_eq!(p.title, "Treasury Analyst (m/f/d)");
        assert_eq!(p.url, "https://acme.jobs.personio.de/job/1234567");
        assert_eq!(
            p.description,
            "About us\nWe move money & pay in USD.\n\nYour tasks\n- FX hedging\n\n- Cash"
        );
        assert_eq!(p.locations, ["Berlin", "Madrid"]);
        assert_eq!(p.department.as_deref(), Some("Finance"));
        assert_eq!(p.employment_type.as_deref(), Some("permanent"));
        assert_eq!(p.published_at.unwrap().to_rfc3339(), "2026-10-01T10:30:00+00:00");
        let minimal = &postings[1];
        assert_eq!((minimal.description.as_str(), minimal.locations.len()), ("", 0));
        assert_eq!(minimal.published_at, None);
    }

    #[test]
    fn the_com_variant_links_to_the_com_host() {
        let board: BoardRef = "personio:acme@com".parse().unwrap();
        assert_eq!(public_url(&board, "7"), "https://acme.jobs.personio.com/job/7");
    }

    #[test]
    fn an_empty_feed_is_an_empty_board_and_other_documents_are_refused() {
        assert!(parse_feed("<workzag-jobs/>").unwrap().is_empty());
        assert!(
            parse_feed("<?xml version=\"1.0\"?>\n<workzag-jobs>\n</workzag-jobs>")
                .unwrap()
                .is_empty()
        );
        let html = "<!doctype html><html><body><h1>Maintenance</h1></body></html>";
        assert!(parse_feed(html).unwrap_err().contains("<html>"));
        assert!(parse_feed("").is_err());
        assert!(parse_feed("{\"jobs\": []}").is_err());
        assert!(parse_feed("<workzag-jobs><position><id>1</position>").is_err());
    }

    #[test]
    fn zone_less_times_are_read_as_utc() {
        assert_eq!(
            parse_time("2026-10-01 08:00:00").unwrap().to_rfc3339(),
            "2026-10-01T08:00:00+00:00"
        );
        assert_eq!(parse_time("yesterday"), None);
    }
}
