//! `jsonld`: companies without a known ATS that publish schema.org `JobPosting` JSON-LD on their own careers
//! pages (docs/ats-apis.md#jsonld). The board is the careers page (`jsonld:https://acme.com/careers`); a
//! fetch reads it (conditionally, when it is the whole board), then the job pages it links, one hop, at
//! most `ingestion.jsonld_max_pages` pages in all, through the company-site client (SSRF guard, page caps,
//! one request at a time per site) under the provider's per-site rate. A fetch that could not read every
//! linked page, or stopped at the cap, is incomplete: it closes nothing.

mod blocks;
mod board;
mod find;
mod links;
mod page;
mod posting;
mod repair;
mod values;

use std::sync::Arc;

use async_trait::async_trait;
use pipeline_domain::{BoardRef, Classify, Clock, ErrorClass, Provider, SystemClock};
use pipeline_http::{HttpClient, Request};
use url::Url;

use super::conditional::{conditional, not_modified};
use super::validators::validators_of;
use super::{AtsClient, AtsError, BoardFetch, Known, Validators};
use links::{page_key, same_site};
use posting::PagePosting;

pub use links::{JOB_WORDS, job_links};
pub use page::{PageJsonLd, read_page};

/// What a careers page is asked for.
const ACCEPT_HTML: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5";

/// Client of `jsonld` boards: careers pages and the job pages they link.
#[derive(Debug, Clone)]
pub struct JsonLdClient {
    http: HttpClient,
    max_pages: u32,
    clock: Arc<dyn Clock>,
}

impl JsonLdClient {
    /// A client reading pages through `http` (the company-site client, throttled by the provider's
    /// per-site rate), at most `max_pages` pages per board (the careers page included), judging
    /// `validThrough` by the system clock.
    pub fn new(http: HttpClient, max_pages: u32) -> Self {
        Self {
            http,
            max_pages: max_pages.max(1),
            clock: Arc::new(SystemClock),
        }
    }

    /// The same client judging `validThrough` by `clock` (give the engine's).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
}

/// What was read of a board's pages so far.
#[derive(Default)]
struct Read {
    postings: Vec<PagePosting>,
    fetch: BoardFetch,
}

impl Read {
    fn page(&mut self, board: &BoardRef, url: &Url, html: &str) {
        let page = page::postings(url, html);
        if page.malformed > 0 {
            tracing::warn!(
                %board,
                page = %url,
                scripts = page.malformed,
                error = page.first_error.as_deref().unwrap_or_default(),
                "malformed JSON-LD skipped"
            );
        }
        self.fetch.jsonld_malformed += page.malformed;
        self.postings.extend(page.postings);
    }

    /// A job page that could not be read: the fetch is incomplete; a rate limit ends the reading.
    fn failed(&mut self, board: &BoardRef, url: &Url, error: &AtsError) -> bool {
        self.fetch.pages_failed += 1;
        self.fetch.incomplete = true;
        self.fetch.detail_error.get_or_insert_with(|| error.to_string());
        let class = error.class();
        tracing::debug!(%board, page = %url, %error, "job page not read");
        if matches!(class, ErrorClass::RateLimited { .. }) {
            self.fetch.rate_limited = Some(class);
            return true;
        }
        false
    }
}

#[async_trait]
impl AtsClient for JsonLdClient {
    fn provider(&self) -> Provider {
        Provider::JsonLd
    }

    async fn fetch_known(
        &self,
        board: &BoardRef,
        validators: Option<Validators>,
        _known: &Known,
    ) -> Result<BoardFetch, AtsError> {
        let careers = Url::parse(&board.tenant).map_err(|e| AtsError::Endpoint {
            board: board.to_string(),
            reason: format!("`{}` is not a URL: {e}", board.tenant),
        })?;
        let request = conditional(
            Request::get(careers.clone()).header("accept", ACCEPT_HTML),
            validators.as_ref(),
        );
        let fetched = self
            .http
            .fetch(&request)
            .await
            .map_err(|e| AtsError::from_http(board, e))?;
        if fetched.status == 304 {
            return Ok(not_modified(1, validators));
        }
        if !same_site(&careers, &fetched.url) {
            return Err(AtsError::Moved {
                board: board.to_string(),
                to: fetched.url.to_string(),
            });
        }
        let html = fetched.text();
        let mut read = Read::default();
        read.fetch.requests = 1;
        read.page(board, &fetched.url, &html);
        let mut queue = job_links(&fetched.url, &html);
        for posting in &read.postings {
            let key = page_key(&posting.url);
            if same_site(&fetched.url, &posting.url)
                && key != page_key(&fetched.url)
                && !queue.iter().any(|u| page_key(u) == key)
            {
                queue.push(posting.url.clone());
            }
        }
        let single_page = queue.is_empty();
        let room = self.max_pages.saturating_sub(1) as usize;
        if queue.len() > room {
            read.fetch.pages_skipped = u32::try_from(queue.len() - room).unwrap_or(u32::MAX);
            read.fetch.incomplete = true;
            tracing::debug!(%board, links = queue.len(), cap = self.max_pages, "job pages over the page cap");
            queue.truncate(room);
        }
        self.read_job_pages(board, &careers, queue, &mut read).await;
        let Read { postings, mut fetch } = read;
        // A 304 of the careers page proves nothing about job pages, nor about postings whose
        // `validThrough` passes meanwhile: validators only for a board that is one page and never expires.
        if single_page && postings.iter().all(|p| p.valid_through.is_none()) {
            fetch.validators = validators_of(&fetched.headers);
        }
        let (postings, company) = board::assemble(postings, self.clock.now());
        fetch.postings = postings;
        fetch.company_name = company;
        Ok(fetch)
    }
}

impl JsonLdClient {
    /// Reads each job page; one that is gone (404/410) or now leads back to the careers page or off the
    /// site holds no posting.
    async fn read_job_pages(&self, board: &BoardRef, careers: &Url, queue: Vec<Url>, read: &mut Read) {
        let careers_key = page_key(careers);
        let mut pages = queue.into_iter();
        while let Some(url) = pages.next() {
            read.fetch.requests += 1;
            let request = Request::get(url.clone()).header("accept", ACCEPT_HTML);
            match self.http.fetch(&request).await {
                Ok(page) => {
                    if same_site(careers, &page.url) && page_key(&page.url) != careers_key {
                        read.page(board, &page.url, &page.text());
                    }
                }
                Err(e) if e.is_gone() => tracing::debug!(%board, page = %url, "job page gone"),
                Err(e) => {
                    if read.failed(board, &url, &AtsError::Http(e)) {
                        // The rest are not asked for: counted as failed too.
                        let rest = u32::try_from(pages.len()).unwrap_or(u32::MAX);
                        read.fetch.pages_failed += rest;
                        return;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
