//! Lever postings API: `GET /v0/postings/{site}?mode=json&skip=N&limit=100`, paged until a short page, on
//! the global or the EU host; the first page is conditional on the board's last validators.

mod posting;

use std::collections::HashSet;

use async_trait::async_trait;
use pipeline_domain::{BoardRef, Provider};

use self::posting::Posting;
use super::{AtsClient, AtsError, BoardFetch, Endpoints, Known, SourceHash, Validators};
use crate::conditional::Answer;
use crate::{conditional, json};
use pipeline_http::HttpClient;

/// Postings asked for per page.
const PAGE_SIZE: usize = 100;
/// A board that has not ended after this many pages is not read (10 000 postings).
const MAX_PAGES: usize = 100;

/// Reads Lever boards (variant `eu`: the EU host).
#[derive(Debug, Clone)]
pub struct LeverClient {
    endpoints: Endpoints,
    http: HttpClient,
}

impl LeverClient {
    /// A Lever client calling the API at `endpoints` through `http` (the provider's throttled client, so
    /// every stage shares its politeness).
    pub fn new(endpoints: Endpoints, http: HttpClient) -> Self {
        Self { endpoints, http }
    }
}

#[async_trait]
impl AtsClient for LeverClient {
    fn provider(&self) -> Provider {
        Provider::Lever
    }

    /// Pages until a page is shorter than the limit, or repeats postings already read (a server that
    /// ignores `skip`). Validators are kept only when the board fits in one page: the ETag of a first page
    /// does not cover the pages after it.
    async fn fetch_known(
        &self,
        board: &BoardRef,
        validators: Option<Validators>,
        known: &Known,
    ) -> Result<BoardFetch, AtsError> {
        let mut pages = Pages::default();
        for page in 0..MAX_PAGES {
            let url = self.page_url(board, page * PAGE_SIZE)?;
            let sent = if page == 0 { validators.as_ref() } else { None };
            pages.requests += 1;
            let (body, fresh) = match conditional::get(&self.http, board, &url, sent).await? {
                Answer::NotModified => return Ok(conditional::not_modified(pages.requests, validators)),
                Answer::Fresh { body, validators } => (body, validators),
            };
            known.read().await;
            let items: json::RawItems<'_> = json::parse(board, &url, &body)?;
            let full = items.len() >= PAGE_SIZE;
            let repeated = pages.read(board, items, known);
            if !full || repeated {
                return Ok(pages.finish(if page == 0 { fresh } else { None }));
            }
        }
        let url = self.page_url(board, MAX_PAGES * PAGE_SIZE)?;
        Err(AtsError::parse(
            board,
            &url,
            format!("paging did not end after {MAX_PAGES} pages"),
        ))
    }
}

impl LeverClient {
    fn page_url(&self, board: &BoardRef, skip: usize) -> Result<url::Url, AtsError> {
        let site = &board.tenant;
        let path = format!("/v0/postings/{site}?mode=json&skip={skip}&limit={PAGE_SIZE}");
        self.endpoints.url(board, site, None, &path)
    }
}

/// The postings read so far, by id.
#[derive(Debug, Default)]
struct Pages {
    fetch: BoardFetch,
    seen: HashSet<String>,
    requests: u32,
}

impl Pages {
    /// Adds a page's postings (those `known` as they are named unchanged); true when the page repeated a
    /// posting already read.
    fn read(&mut self, board: &BoardRef, items: json::RawItems<'_>, known: &Known) -> bool {
        let mut repeated = false;
        for raw in items {
            let source = SourceHash::of(Provider::Lever, &[raw.get().as_bytes()]);
            if let Some(id) = known.get(&source) {
                match self.seen.insert(id.to_owned()) {
                    true => self.fetch.unchanged.push(id.to_owned()),
                    false => repeated = true,
                }
                continue;
            }
            let Some(posting) = json::item::<Posting>(board, raw) else {
                continue;
            };
            match posting.normalize() {
                Ok(p) if self.seen.insert(p.external_id.clone()) => self.fetch.push_sourced(p, source),
                Ok(_) => repeated = true,
                Err(field) => json::skipped(board, field),
            }
        }
        repeated
    }

    fn finish(self, validators: Option<Validators>) -> BoardFetch {
        BoardFetch {
            validators,
            requests: self.requests,
            ..self.fetch
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn pages_skip_bad_postings_and_notice_repeats() {
        let board: BoardRef = "lever:acme".parse().unwrap_or_else(|e| panic!("{e}"));
        let posting = |id: &str| json!({ "id": id, "text": "T", "hostedUrl": format!("https://x/{id}") });
        let mut pages = Pages::default();
        let text = |items: Vec<Value>| Value::Array(items).to_string();
        let read = |pages: &mut Pages, body: &str, known: &Known| {
            pages.read(&board, serde_json::from_str(body).unwrap_or_default(), known)
        };
        let first = text(vec![posting("a"), json!({ "id": "b" }), json!(7), posting("c")]);
        assert!(!read(&mut pages, &first, &Known::default()));
        let mut known = Known::default();
        let e = posting("e").to_string();
        known.insert(SourceHash::of(Provider::Lever, &[e.as_bytes()]), "e".into());
        assert!(!read(&mut pages, &text(vec![posting("e")]), &known));
        assert!(read(&mut pages, &text(vec![posting("d"), posting("a")]), &known));
        assert!(read(&mut pages, &text(vec![posting("e")]), &known));
        let fetched = pages.finish(None);
        let ids: Vec<&str> = fetched.postings.iter().map(|p| p.external_id.as_str()).collect();
        assert_eq!(ids, ["a", "c", "d"]);
        assert_eq!(fetched.unchanged, ["e"]);
        assert_eq!(fetched.sources.len(), 3);
        assert_eq!(fetched.company_name, None);
    }
}
