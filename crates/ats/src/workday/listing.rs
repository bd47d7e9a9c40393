//! The cxs listing: `POST .../wday/cxs/{tenant}/{site}/jobs`, 20 postings a page, read until the reported
//! total (or the offset clamp some tenants apply), each posting keyed by its `externalPath`.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use serde_json::{Value, json};

/// Workday answers at most this many postings a page (a larger `limit` is a 400).
pub(super) const PAGE_SIZE: u64 = 20;
/// Some tenants clamp the offset here (and report total = 2000); nothing past it can be read.
pub(super) const MAX_OFFSET: u64 = 2000;

/// One posting as the listing gives it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListItem {
    pub title: Option<String>,
    pub external_path: Option<String>,
    pub locations_text: Option<String>,
    pub posted_on: Option<String>,
    pub remote_type: Option<String>,
    #[serde(default)]
    pub bullet_fields: Option<Vec<Value>>,
    /// The item's JSON text as the page gave it: the first part of its posting's source hash.
    #[serde(skip)]
    pub raw: Box<str>,
}

/// One listing page.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListPage<'a> {
    /// Only the first page is sure to carry it (later pages may say 0).
    pub total: Option<u64>,
    /// Kept raw: one posting of an unexpected shape is skipped, not the whole page.
    #[serde(borrow)]
    pub job_postings: crate::json::RawItems<'a>,
}

/// The request body of the page at `offset`.
pub(super) fn page_body(offset: u64) -> Value {
    json!({ "appliedFacets": {}, "limit": PAGE_SIZE, "offset": offset, "searchText": "" })
}

/// The postings accumulated page after page, deduplicated by `externalPath`.
#[derive(Debug, Default)]
pub(super) struct Listing {
    pub items: Vec<ListItem>,
    seen: HashSet<String>,
    /// The total the first page reported.
    pub total: Option<u64>,
}

impl Listing {
    /// Adds one page; returns how many new postings it brought.
    pub fn add(&mut self, page: ListPage<'_>) -> usize {
        if self.total.is_none() {
            self.total = page.total;
        }
        let before = self.items.len();
        for raw in page.job_postings {
            let item: ListItem = match serde_json::from_str(raw.get()) {
                Ok(item) => ListItem {
                    raw: raw.get().into(),
                    ..item
                },
                Err(e) => {
                    tracing::debug!(error = %e, "workday posting of an unexpected shape skipped");
                    continue;
                }
            };
            let (Some(path), Some(_)) = (nonempty(&item.external_path), nonempty(&item.title)) else {
                tracing::debug!(?item, "workday posting without externalPath or title skipped");
                continue;
            };
            if self.seen.insert(path.to_owned()) {
                self.items.push(item);
            }
        }
        self.items.len() - before
    }

    /// Whether the page after `next_offset` should be read, given the last page's size and novelty.
    pub fn wants_more(&self, next_offset: u64, page_len: usize, added: usize) -> bool {
        if added == 0 || next_offset >= MAX_OFFSET {
            return false;
        }
        match self.total {
            Some(total) if total > 0 => next_offset < total,
            // No total: keep going while pages come back full.
            _ => page_len as u64 >= PAGE_SIZE,
        }
    }
}

/// External ids: the req id after the last `_` of each `externalPath`, except where that suffix is missing
/// or shared by two postings of the board, which keep their whole `externalPath` (ids must be unique).
pub(super) fn external_ids(items: &[ListItem]) -> Vec<String> {
    let suffixes: Vec<Option<&str>> = items
        .iter()
        .map(|i| nonempty(&i.external_path).and_then(req_id))
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for s in suffixes.iter().flatten() {
        *counts.entry(s).or_default() += 1;
    }
    items
        .iter()
        .zip(&suffixes)
        .map(|(item, suffix)| match suffix {
            Some(s) if counts.get(s) == Some(&1) => (*s).to_owned(),
            _ => nonempty(&item.external_path).unwrap_or_default().to_owned(),
        })
        .collect()
}

/// The suffix after the last `_` of the path's last segment, when it looks like a req id (letters, digits,
/// `-`, `.`; at least one digit).
pub(super) fn req_id(external_path: &str) -> Option<&str> {
    let last = external_path.rsplit('/').next()?;
    let (_, suffix) = last.rsplit_once('_')?;
    let plausible = !suffix.is_empty()
        && suffix.chars().any(|c| c.is_ascii_digit())
        && suffix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'));
    plausible.then_some(suffix)
}

pub(super) fn nonempty(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A page's JSON text.
    fn page(total: Option<u64>, paths: &[&str]) -> String {
        let postings: Vec<Value> = paths
            .iter()
            .map(|p| json!({ "title": "T", "externalPath": p, "postedOn": "Posted Today", "extra": [1] }))
            .collect();
        json!({ "total": total, "jobPostings": postings }).to_string()
    }

    fn add(listing: &mut Listing, text: &str) -> usize {
        listing.add(serde_json::from_str(text).unwrap())
    }

    #[test]
    fn pages_accumulate_without_duplicates_and_stop_at_the_total() {
        let mut listing = Listing::default();
        assert_eq!(
            add(&mut listing, &page(Some(22), &["/job/A/X_R-1", "/job/A/Y_R-2"])),
            2
        );
        assert!(listing.items[0].raw.contains("/job/A/X_R-1"));
        assert!(listing.wants_more(20, 20, 2));
        assert!(!listing.wants_more(40, 20, 2), "past the total");
        assert_eq!(
            add(&mut listing, &page(Some(0), &["/job/A/Y_R-2", "/job/A/Z_R-3"])),
            1
        );
        assert_eq!(listing.total, Some(22), "the first page's total is kept");
        assert!(
            !listing.wants_more(20, 20, 0),
            "a page with nothing new ends the listing"
        );
        assert!(!listing.wants_more(MAX_OFFSET, 20, 5), "the offset clamp");
        let mut untold = Listing::default();
        add(&mut untold, &page(None, &["/job/A/X_R-1"]));
        assert!(untold.wants_more(20, 20, 1) && !untold.wants_more(20, 7, 7));
    }

    #[test]
    fn postings_without_path_or_title_or_of_another_shape_are_skipped() {
        let mut listing = Listing::default();
        let text = json!({ "total": 4, "jobPostings": [
            { "title": "No path" },
            { "externalPath": "/job/A/No-Title_R-1" },
            { "title": 5, "externalPath": "/job/x_1" },
            { "title": "Ok", "externalPath": "/job/A/Ok_R-2", "bulletFields": ["R-2"] },
        ] })
        .to_string();
        let added = add(&mut listing, &text);
        assert_eq!(added, 1);
        assert_eq!(listing.items[0].title.as_deref(), Some("Ok"));
    }

    #[test]
    fn ids_are_req_ids_unless_missing_or_shared() {
        let item = |p: &str| ListItem {
            title: Some("T".into()),
            external_path: Some(p.into()),
            locations_text: None,
            posted_on: None,
            remote_type: None,
            bullet_fields: None,
            raw: Box::default(),
        };
        let items = [
            item("/job/Madrid/Backend-Engineer_R-000123"),
            item("/job/Madrid/Analyst_JR1001-1"),
            item("/job/Madrid/No-Req-Id"),
            item("/job/Berlin/Dup_R-7"),
            item("/job/Madrid/Dup_R-7"),
        ];
        assert_eq!(
            external_ids(&items),
            [
                "R-000123",
                "JR1001-1",
                "/job/Madrid/No-Req-Id",
                "/job/Berlin/Dup_R-7",
                "/job/Madrid/Dup_R-7"
            ]
        );
        assert_eq!(req_id("/job/A/Title_with_words"), None);
    }

    #[test]
    fn the_page_body_is_the_documented_one() {
        assert_eq!(
            page_body(40),
            json!({"appliedFacets": {}, "limit": 20, "offset": 40, "searchText": ""})
        );
    }
}
