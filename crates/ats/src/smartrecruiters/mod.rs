//! SmartRecruiters: the public posting list, paged by offset, then one detail call per posting for its
//! description, as long as the shared [`DetailBudget`] lasts, several in flight (`details::IN_FLIGHT`). A detail that fails is a posting without
//! description in an incomplete fetch.

mod shape;

use std::collections::HashSet;

use async_trait::async_trait;
use pipeline_domain::{BoardRef, Provider};
use url::Url;

use super::details::{DetailCalls, Detailed, to_describe};
use super::{AtsClient, AtsError, BoardFetch, DetailBudget, Endpoints, Known, SourceHash, Validators};
use crate::json;
use pipeline_http::{HttpClient, Request};
use shape::{Detail, Listed, Page, Summary};

/// Postings per list page (the API's maximum).
const PAGE_SIZE: u64 = 100;
/// List pages read at most per board (10 000 postings).
const MAX_PAGES: usize = 100;

/// Reads SmartRecruiters companies through the public posting API.
#[derive(Debug, Clone)]
pub struct SmartRecruitersClient {
    endpoints: Endpoints,
    http: HttpClient,
    budget: DetailBudget,
}

impl SmartRecruitersClient {
    /// A SmartRecruiters client calling the API at `endpoints` through `http` (the provider's throttled client);
    /// each posting's detail call takes one from `budget`, and a spent budget leaves the description to come.
    pub fn new(endpoints: Endpoints, http: HttpClient, budget: DetailBudget) -> Self {
        Self {
            endpoints,
            http,
            budget,
        }
    }

    /// Every listed posting of the company, over all pages. An unknown company is an empty list.
    async fn list(&self, board: &BoardRef, fetch: &mut BoardFetch) -> Result<Vec<Listed>, AtsError> {
        let company = board.tenant.as_str();
        let mut listed = Vec::new();
        let mut seen = HashSet::new();
        let mut offset: u64 = 0;
        let mut url = self.page_url(board, offset)?;
        for _ in 0..MAX_PAGES {
            url = self.page_url(board, offset)?;
            fetch.requests += 1;
            let body = self.get(board, &url).await?;
            let page: Page<'_> = json::parse(board, &url, &body)?;
            let count = u64::try_from(page.content.len()).unwrap_or(u64::MAX);
            for raw in page.content {
                let Some(summary) = json::item::<Summary>(board, raw) else {
                    continue;
                };
                if fetch.company_name.is_none() {
                    fetch.company_name = summary.company_name();
                }
                if let Some(posting) = summary.listed(raw.get())
                    && seen.insert(posting.id.clone())
                {
                    listed.push(posting);
                }
            }
            offset = offset.saturating_add(count);
            let more = match page.total_found {
                Some(total) => offset < total,
                None => count == PAGE_SIZE,
            };
            if count == 0 || !more {
                return Ok(listed);
            }
        }
        tracing::warn!(%board, company, "smartrecruiters list longer than {MAX_PAGES} pages");
        Err(AtsError::parse(
            board,
            &url,
            format!("more than {MAX_PAGES} pages of {PAGE_SIZE} postings"),
        ))
    }

    fn page_url(&self, board: &BoardRef, offset: u64) -> Result<Url, AtsError> {
        let company = board.tenant.as_str();
        let path =
            format!("/v1/companies/{company}/postings?limit={PAGE_SIZE}&offset={offset}&status=PUBLIC");
        self.endpoints.url(board, company, None, &path)
    }

    /// The body of the posting's detail, with its URL; `None` when it is gone (closed since the list was
    /// read).
    async fn detail(&self, board: &BoardRef, id: &str) -> Result<Option<(Url, bytes::Bytes)>, AtsError> {
        let company = board.tenant.as_str();
        let mut url =
            self.endpoints
                .url(board, company, None, &format!("/v1/companies/{company}/postings"))?;
        url.path_segments_mut()
            .map_err(|()| AtsError::Endpoint {
                board: board.to_string(),
                reason: "the base URL cannot carry a path".to_owned(),
            })?
            .push(id);
        match self.get(board, &url).await {
            Err(AtsError::Gone { .. }) => {
                tracing::debug!(%board, id, "smartrecruiters posting gone before its detail was read: skipped");
                Ok(None)
            }
            Err(e) => Err(e),
            Ok(body) => Ok(Some((url, body))),
        }
    }

    async fn get(&self, board: &BoardRef, url: &Url) -> Result<bytes::Bytes, AtsError> {
        let fetched = self
            .http
            .fetch(&Request::get(url.clone()))
            .await
            .map_err(|e| AtsError::from_http(board, e))?;
        Ok(fetched.body)
    }
}

#[async_trait]
impl AtsClient for SmartRecruitersClient {
    fn provider(&self) -> Provider {
        Provider::SmartRecruiters
    }

    /// A detail call failing (other than 404/410, which drops the posting), or answering a body that is not
    /// the documented detail, keeps the posting without its description and marks the fetch incomplete
    /// (`details::DetailCalls`).
    async fn fetch_known(
        &self,
        board: &BoardRef,
        _validators: Option<Validators>,
        known: &Known,
    ) -> Result<BoardFetch, AtsError> {
        let mut fetch = BoardFetch::default();
        let listed = self.list(board, &mut fetch).await?;
        let to_describe = to_describe(&mut fetch, known, listed, |posting| {
            SourceHash::of(Provider::SmartRecruiters, &[posting.raw.as_bytes()])
        })
        .await;
        let mut calls = DetailCalls::new(board, &self.budget);
        let details = calls
            .read_all(
                &mut fetch,
                &to_describe,
                |(p, _)| p.id.as_str(),
                |(p, _)| self.detail(board, &p.id),
            )
            .await;
        for ((posting, source), detail) in to_describe.into_iter().zip(details) {
            match detail {
                Detailed::Read((url, body)) => match json::parse::<Detail>(board, &url, &body) {
                    Ok(detail) => {
                        fetch.push_sourced(posting.into_posting(&board.tenant, Some(&detail)), source);
                    }
                    Err(error) => {
                        calls.failed(&mut fetch, &posting.id, &error);
                        fetch.postings.push(posting.into_posting(&board.tenant, None));
                    }
                },
                Detailed::Without => fetch.postings.push(posting.into_posting(&board.tenant, None)),
                Detailed::Gone => {}
            }
        }
        Ok(fetch)
    }
}
