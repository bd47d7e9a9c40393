//! A `JobPosting` read field by field: schema.org's own example, Google's examples (an on-site contract
//! job, a remote one), and the variants sites write.

use chrono::{DateTime, Utc};
use pipeline_domain::{SalaryPeriod, Workplace};
use serde_json::{Value, json};
use url::Url;

use super::{PagePosting, read};

fn page() -> Url {
    Url::parse("https://careers.example.com/jobs/42").unwrap_or_else(|e| panic!("{e}"))
}

fn fixture(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"))
}

fn time(text: &str) -> Option<DateTime<Utc>> {
    Some(text.parse().unwrap_or_else(|e| panic!("{text}: {e}")))
}

fn read_one(value: &Value) -> PagePosting {
    read(value, &page()).unwrap_or_else(|| panic!("no posting in {value}"))
}

#[test]
fn schema_orgs_example_reads_whole() {
    let p = read_one(&fixture(include_str!("../fixtures/schema_org_example.json")));
    assert_eq!(p.posting.title, "Software Engineer");
    assert_eq!(p.identifier, None);
    assert_eq!(p.url, page(), "no url of its own: the page it is on");
    assert_eq!(p.company.as_deref(), Some("ABC Company Inc."));
    assert_eq!(p.posting.locations, ["Kirkland, WA"]);
    assert_eq!(p.posting.employment_type.as_deref(), Some("Full-time"));
    assert_eq!(p.posting.published_at, time("2011-10-31T00:00:00Z"));
    let salary = p.posting.salary.unwrap_or_else(|| panic!("no salary"));
    assert_eq!((salary.min, salary.max), (Some(100_000.0), Some(100_000.0)));
    assert_eq!((salary.currency.as_deref(), salary.period), (Some("USD"), None));
    assert_eq!(
        p.posting.description,
        "Description: ABC Company Inc. seeks a full-time mid-level software engineer to develop in-house tools.\n\n\
         Design and write specifications for tools for in-house customers Build tools according to specifications\n\n\
         Ability to work in a team environment with members of varying skill levels. Highly motivated. Learns quickly.\n\n\
         Web application development using Java/J2EE Web application development using Python or familiarity with dynamic programming languages\n\n\
         Bachelor's Degree in Computer Science, Information Systems or related fields of study."
    );
}

#[test]
fn googles_examples_on_site_and_remote() {
    let both = fixture(include_str!("../fixtures/google_examples.json"));
    let google = read_one(&both[0]);
    assert_eq!(
        google.identifier.as_deref(),
        Some("1234567"),
        "a PropertyValue's value"
    );
    assert_eq!(google.posting.requisition_id.as_deref(), Some("1234567"));
    assert_eq!(google.company.as_deref(), Some("Google"));
    assert_eq!(google.valid_through, time("2017-03-18T00:00:00Z"));
    assert_eq!(google.posting.locations, ["Mountain View, CA, US"]);
    assert_eq!(google.posting.workplace, None);
    assert!(google.posting.description.starts_with("Google aspires to be"));
    let salary = google.posting.salary.unwrap_or_else(|| panic!("no salary"));
    assert_eq!(
        (salary.min, salary.max, salary.period),
        (Some(40.0), Some(40.0), Some(SalaryPeriod::Hour))
    );

    let remote = read_one(&both[1]);
    assert_eq!(remote.posting.workplace, Some(Workplace::Remote), "TELECOMMUTE");
    assert_eq!(remote.posting.locations, ["Spain", "Portugal"]);
    assert_eq!(
        remote.posting.employment_type.as_deref(),
        Some("FULL_TIME, CONTRACTOR")
    );
    assert_eq!(
        remote.company.as_deref(),
        Some("Acme Pagos S.L."),
        "an organization given as text"
    );
    assert_eq!(remote.posting.published_at, time("2026-11-20T08:30:00Z"));
    assert_eq!(
        remote.valid_through,
        time("2027-01-31T23:59:59Z"),
        "through the end of that day"
    );
    assert_eq!(
        remote.url.as_str(),
        "https://careers.example.com/jobs/remote-data-engineer",
        "its own url, resolved, tracking dropped"
    );
    let salary = remote.posting.salary.unwrap_or_else(|| panic!("no salary"));
    assert_eq!(
        (salary.min, salary.max, salary.currency.as_deref(), salary.period),
        (
            Some(45_000.0),
            Some(60_000.0),
            Some("EUR"),
            Some(SalaryPeriod::Year)
        )
    );
}

#[test]
fn titles_are_required_and_decoded() {
    assert!(read(&json!({"@type": "JobPosting", "description": "x"}), &page()).is_none());
    assert!(read(&json!({"@type": "JobPosting", "title": "  "}), &page()).is_none());
    assert!(read(&json!("JobPosting"), &page()).is_none());
    let named = read_one(&json!({"@type": "JobPosting", "name": "R&amp;D Lead &lt;3"}));
    assert_eq!(named.posting.title, "R&D Lead <3");
}

#[test]
fn odd_but_common_shapes() {
    let p = read_one(&json!({
        "@type": "JobPosting",
        "title": "Contable",
        "description": "&lt;p&gt;Pagos en &lt;b&gt;USD&lt;/b&gt;&lt;/p&gt;",
        "identifier": [{"@type": "PropertyValue", "name": "Acme", "value": 9001}],
        "hiringOrganization": [{"@type": "Organization", "name": "Acme &amp; Co"}],
        "jobLocation": [{"@type": "Place", "name": "Sede central"}, "Bilbao",
                        {"@type": "Place", "address": [{"addressLocality": "Bilbao", "addressCountry": {"name": "Spain"}}]}],
        "jobLocationType": ["TELECOMMUTE"],
        "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR", "value": 2100, "unitText": "MONTH"},
        "datePosted": "not a date",
        "url": "mailto:jobs@acme.es"
    }));
    assert_eq!(p.posting.description, "Pagos en USD", "HTML escaped once more");
    assert_eq!(p.identifier.as_deref(), Some("9001"));
    assert_eq!(p.company.as_deref(), Some("Acme & Co"));
    assert_eq!(p.posting.locations, ["Sede central", "Bilbao", "Bilbao, Spain"]);
    assert_eq!(p.posting.workplace, Some(Workplace::Remote));
    let salary = p.posting.salary.unwrap_or_else(|| panic!("no salary"));
    assert_eq!(
        (salary.min, salary.period),
        (Some(2100.0), Some(SalaryPeriod::Month))
    );
    assert_eq!(p.posting.published_at, None, "an unreadable date is no date");
    assert_eq!(p.url, page(), "a url that is no web page is ignored");
    let bare = read_one(&json!({"@type": "JobPosting", "title": "X", "baseSalary": {"currency": "EUR"}}));
    assert_eq!(bare.posting.salary, None);
    assert!(bare.posting.locations.is_empty() && bare.posting.employment_type.is_none());
}
