//! Where the `JobPosting`s of a JSON-LD document are: the document itself, an array of them, an `@graph`,
//! or nested in another type (`ItemList.itemListElement[].item`, `WebPage.mainEntity`, ...). `@type` may be
//! a string or a list, with or without the schema.org prefix.

use serde_json::Value;

/// Every `JobPosting` object in `value`, in document order. A posting's own properties are not searched
/// for postings.
pub(crate) fn job_postings<'v>(value: &'v Value, out: &mut Vec<&'v Value>) {
    match value {
        Value::Array(items) => {
            for item in items {
                job_postings(item, out);
            }
        }
        Value::Object(map) => {
            if map.get("@type").is_some_and(names_job_posting) {
                out.push(value);
                return;
            }
            for child in map.values() {
                job_postings(child, out);
            }
        }
        _ => {}
    }
}

/// Whether an `@type` (a string or a list of strings) names `JobPosting`: `JobPosting`,
/// `schema:JobPosting`, `https://schema.org/JobPosting`, any case.
fn names_job_posting(kind: &Value) -> bool {
    match kind {
        Value::String(name) => is_job_posting(name),
        Value::Array(names) => names.iter().any(|n| n.as_str().is_some_and(is_job_posting)),
        _ => false,
    }
}

fn is_job_posting(name: &str) -> bool {
    let local = name.trim().rsplit(['/', ':', '#']).next().unwrap_or_default();
    local.eq_ignore_ascii_case("JobPosting")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn titles(value: &Value) -> Vec<&str> {
        let mut found = Vec::new();
        job_postings(value, &mut found);
        found.iter().filter_map(|p| p["title"].as_str()).collect()
    }

    #[test]
    fn postings_are_found_in_every_shape() {
        assert_eq!(titles(&json!({"@type": "JobPosting", "title": "A"})), ["A"]);
        assert_eq!(
            titles(
                &json!([{"@type": "JobPosting", "title": "A"}, {"@type": ["Thing", "JobPosting"], "title": "B"}])
            ),
            ["A", "B"]
        );
        let yoast = json!({
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebPage", "@id": "https://acme.com/careers/#webpage"},
                {"@type": "Organization", "name": "Acme"},
                {"@type": "http://schema.org/JobPosting", "title": "C"},
                {"@type": "schema:JobPosting", "title": "D"}
            ]
        });
        assert_eq!(titles(&yoast), ["C", "D"]);
        let list = json!({
            "@type": "ItemList",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "item": {"@type": "jobposting", "title": "E"}},
                {"@type": "ListItem", "position": 2, "item": {"@type": "Event", "name": "F"}}
            ]
        });
        assert_eq!(titles(&list), ["E"]);
        let page = json!({"@type": "WebPage", "mainEntity": {"@type": "JobPosting", "title": "G",
            "hiringOrganization": {"@type": "Organization", "name": "Acme"}}});
        assert_eq!(titles(&page), ["G"]);
        assert!(titles(&json!({"@type": "JobPostingDraft", "title": "H"})).is_empty());
        assert!(titles(&json!({"@type": 5, "title": "I"})).is_empty());
    }
}
