//! A `jsonld` board's postings from the postings of its pages (docs/ats-apis.md#jsonld): each posting's
//! external id (its `identifier` when that names this posting alone, else its page's URL), one posting per
//! id (a job page's copy replacing the careers page's summary of it), postings past their `validThrough`
//! dropped, and the company name most postings give.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pipeline_domain::NormalizedPosting;

use super::links::page_key;
use super::posting::PagePosting;

/// The open postings of a board and the name of its hiring organization, from every posting read, in
/// page order (the careers page first).
pub(crate) fn assemble(
    read: Vec<PagePosting>,
    now: DateTime<Utc>,
) -> (Vec<NormalizedPosting>, Option<String>) {
    let ids = external_ids(&read);
    let mut order: Vec<String> = Vec::new();
    let mut by_id: HashMap<String, PagePosting> = HashMap::new();
    for (posting, id) in read.into_iter().zip(ids) {
        if by_id.insert(id.clone(), posting).is_none() {
            order.push(id);
        }
    }
    let open: Vec<PagePosting> = order
        .into_iter()
        .filter_map(|id| {
            let mut posting = by_id.remove(&id)?;
            posting.posting.external_id = id;
            Some(posting)
        })
        .filter(|p| p.valid_through.is_none_or(|until| until >= now))
        .collect();
    let company = most_given(open.iter().filter_map(|p| p.company.as_deref()));
    (open.into_iter().map(|p| p.posting).collect(), company)
}

/// The external id of each posting: its `identifier` when every posting carrying that identifier has one
/// title (some sites put one company-wide identifier on every posting), else its page's URL — and the
/// title's words after a `#` when several postings with different titles share that URL (a careers page
/// listing its jobs without identifiers or URLs of their own).
fn external_ids(read: &[PagePosting]) -> Vec<String> {
    let titles_of = |key: &dyn Fn(&PagePosting) -> Option<String>| {
        let mut titles: HashMap<String, Vec<String>> = HashMap::new();
        for p in read {
            if let Some(k) = key(p) {
                let title = title_key(&p.posting.title);
                let seen = titles.entry(k).or_default();
                if !seen.contains(&title) {
                    seen.push(title);
                }
            }
        }
        titles
    };
    let by_identifier = titles_of(&|p| p.identifier.clone());
    let by_page = titles_of(&|p| Some(page_key(&p.url)));
    read.iter()
        .map(|p| {
            if let Some(id) = &p.identifier
                && by_identifier.get(id).is_some_and(|titles| titles.len() == 1)
            {
                return id.clone();
            }
            let shared = by_page
                .get(&page_key(&p.url))
                .is_some_and(|titles| titles.len() > 1);
            let url = pipeline_domain::page_url(&p.url).unwrap_or_else(|| p.url.clone());
            if shared {
                format!("{url}#{}", title_key(&p.posting.title).replace(' ', "-"))
            } else {
                url.to_string()
            }
        })
        .collect()
}

/// A title's words, lower case, for telling postings apart.
fn title_key(title: &str) -> String {
    title
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The name given most often (the first of equals), trimmed, case ignored when counting.
fn most_given<'a>(names: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: Vec<(String, String, usize)> = Vec::new();
    for name in names.map(str::trim).filter(|n| !n.is_empty()) {
        let folded = name.to_lowercase();
        match counts.iter_mut().find(|(f, _, _)| *f == folded) {
            Some(entry) => entry.2 += 1,
            None => counts.push((folded, name.to_owned(), 1)),
        }
    }
    let best = counts.iter().map(|(_, _, n)| *n).max()?;
    counts
        .into_iter()
        .find(|(_, _, n)| *n == best)
        .map(|(_, name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    fn posting(title: &str, identifier: Option<&str>, url: &str, company: Option<&str>) -> PagePosting {
        let url = Url::parse(url).unwrap_or_else(|e| panic!("{e}"));
        PagePosting {
            identifier: identifier.map(str::to_owned),
            company: company.map(str::to_owned),
            valid_through: None,
            posting: NormalizedPosting {
                external_id: String::new(),
                url: url.to_string(),
                title: title.to_owned(),
                description: String::new(),
                locations: Vec::new(),
                department: None,
                employment_type: None,
                workplace: None,
                salary: None,
                requisition_id: identifier.map(str::to_owned),
                published_at: None,
                updated_at: None,
            },
            url,
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-12-01T00:00:00Z".parse().unwrap_or_default()
    }

    #[test]
    fn identifiers_urls_or_titles_make_the_ids_and_a_job_page_replaces_its_summary() {
        let careers = "https://acme.com/careers";
        let read = vec![
            posting("Backend", Some("B-1"), careers, Some("Acme")),
            posting("Ops", None, careers, Some("Acme S.L.")),
            posting("Sales", None, careers, Some("acme s.l.")),
            posting("Data", None, "https://acme.com/careers/data?utm_source=x", None),
            posting(
                "Backend engineer",
                Some("B-1"),
                "https://acme.com/careers/backend",
                Some("Acme S.L."),
            ),
        ];
        let (postings, company) = assemble(read, now());
        let ids: Vec<&str> = postings.iter().map(|p| p.external_id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "https://acme.com/careers#backend",
                "https://acme.com/careers#ops",
                "https://acme.com/careers#sales",
                "https://acme.com/careers/data",
                "https://acme.com/careers/backend",
            ],
            "B-1 names two titles: not an id"
        );
        assert_eq!(company.as_deref(), Some("Acme S.L."));

        let read = vec![
            posting("Backend", Some("B-1"), careers, None),
            posting("Backend", Some("B-1"), "https://acme.com/careers/backend", None),
        ];
        let (postings, _) = assemble(read, now());
        assert_eq!(postings.len(), 1);
        assert_eq!(postings[0].external_id, "B-1");
        assert_eq!(
            postings[0].url, "https://acme.com/careers/backend",
            "the job page's copy"
        );
    }

    #[test]
    fn postings_past_valid_through_are_not_open() {
        let mut expired = posting("Old", Some("O-1"), "https://acme.com/jobs/old", None);
        expired.valid_through = Some(now() - chrono::Duration::seconds(1));
        let mut open = posting("New", Some("N-1"), "https://acme.com/jobs/new", None);
        open.valid_through = Some(now());
        let (postings, _) = assemble(vec![expired, open], now());
        let ids: Vec<&str> = postings.iter().map(|p| p.external_id.as_str()).collect();
        assert_eq!(ids, ["N-1"]);
    }
}
