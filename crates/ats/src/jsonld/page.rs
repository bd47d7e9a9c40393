//! One page's job postings: its JSON-LD documents, the `JobPosting`s in them, each read as a posting.

use url::Url;

use super::blocks::documents;
use super::find::job_postings;
use super::posting::{PagePosting, read};

/// What the JSON-LD of one page holds, for discovery (docs/stages.md#discovery-jsonld).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageJsonLd {
    /// `JobPosting` objects on the page (with or without a title).
    pub job_postings: usize,
    /// Their titles (`title`, else `name`, entities decoded), those that have one.
    pub titles: Vec<String>,
    /// JSON-LD scripts that could not be read even leniently: skipped.
    pub malformed: u32,
    /// The first malformed script's error.
    pub first_error: Option<String>,
}

/// The JSON-LD of a page whose HTML is `html`. Cheap for a page without any: one look for
/// `ld+json`.
pub fn read_page(html: &str) -> PageJsonLd {
    let docs = documents(html);
    let mut found = Vec::new();
    for value in &docs.values {
        job_postings(value, &mut found);
    }
    let titles = found
        .iter()
        .filter_map(|job| {
            super::values::text(job.get("title")).or_else(|| super::values::text(job.get("name")))
        })
        .map(|title| crate::decode_entities(&title).trim().to_owned())
        .filter(|title| !title.is_empty())
        .collect();
    PageJsonLd {
        job_postings: found.len(),
        titles,
        malformed: docs.malformed,
        first_error: docs.first_error,
    }
}

/// Every posting of a page, with the page's malformed scripts.
pub(crate) struct PagePostings {
    pub postings: Vec<PagePosting>,
    pub malformed: u32,
    pub first_error: Option<String>,
}

/// The postings of the page at `url` (a `JobPosting` without a title is skipped, logged).
pub(crate) fn postings(url: &Url, html: &str) -> PagePostings {
    let docs = documents(html);
    let mut found = Vec::new();
    for value in &docs.values {
        job_postings(value, &mut found);
    }
    let postings = found
        .into_iter()
        .filter_map(|job| {
            let posting = read(job, url);
            if posting.is_none() {
                tracing::debug!(%url, "JobPosting without a title skipped");
            }
            posting
        })
        .collect();
    PagePostings {
        postings,
        malformed: docs.malformed,
        first_error: docs.first_error,
    }
}
