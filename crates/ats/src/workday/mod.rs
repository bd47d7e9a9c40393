//! Workday (cxs): the board `workday:TENANT/POD/SITE` is listed with `POST {base}/wday/cxs/{tenant}/{site}/jobs`
//! 20 postings a page, then each posting's detail is fetched while the shared [`DetailBudget`] lasts, several
//! in flight (`details::IN_FLIGHT`). A detail that fails is a posting without description in an incomplete
//! fetch (`details::DetailCalls`).

mod detail;
mod listing;

use std::sync::Arc;

use async_trait::async_trait;
use pipeline_domain::{BoardRef, Clock, Provider, SystemClock};

use super::details::{DetailCalls, Detailed, to_describe};
use super::{AtsClient, AtsError, BoardFetch, DetailBudget, Endpoints, Known, SourceHash, Validators};
use detail::{DetailBody, PublicSite, posting, today};
use listing::{ListItem, ListPage, Listing, MAX_OFFSET, PAGE_SIZE, external_ids, nonempty, page_body};
use pipeline_http::{HttpClient, Request};

/// Client of the Workday cxs API.
#[derive(Debug, Clone)]
pub struct WorkdayClient {
    endpoints: Endpoints,
    http: HttpClient,
    budget: DetailBudget,
    clock: Arc<dyn Clock>,
}

impl WorkdayClient {
    /// A Workday client calling the API at `endpoints` through `http` (the provider's throttled client);
    /// each posting's detail call takes one from `budget`, and a spent budget leaves the description to come.
    pub fn new(endpoints: Endpoints, http: HttpClient, budget: DetailBudget) -> Self {
        Self {
            endpoints,
            http,
            budget,
            clock: Arc::new(SystemClock),
        }
    }

    /// The clock that dates the listing's relative "Posted N Days Ago" (the system clock by default).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
}

/// The three parts of a Workday board's tenant.
#[derive(Debug, Clone, Copy)]
struct Tenancy<'a> {
    tenant: &'a str,
    pod: &'a str,
    site: &'a str,
}

impl<'a> Tenancy<'a> {
    fn of(board: &'a BoardRef) -> Result<Self, AtsError> {
        let parts: Vec<&str> = board.tenant.split('/').collect();
        let valid = |p: &str| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        match parts.as_slice() {
            [tenant, pod, site] if [tenant, pod, site].iter().all(|p| valid(p)) => {
                Ok(Self { tenant, pod, site })
            }
            _ => Err(AtsError::Endpoint {
                board: board.to_string(),
                reason: format!("`{}` is not TENANT/POD/SITE", board.tenant),
            }),
        }
    }

    fn public(self) -> PublicSite<'a> {
        PublicSite {
            tenant: self.tenant,
            pod: self.pod,
            site: self.site,
        }
    }
}

#[async_trait]
impl AtsClient for WorkdayClient {
    fn provider(&self) -> Provider {
        Provider::Workday
    }

    async fn fetch_known(
        &self,
        board: &BoardRef,
        _validators: Option<Validators>,
        known: &Known,
    ) -> Result<BoardFetch, AtsError> {
        let t = Tenancy::of(board)?;
        let mut fetch = BoardFetch::default();
        let listing = self.list(board, t, &mut fetch.requests).await?;
        let ids = external_ids(&listing.items);
        let today = today(self.clock.now());
        let day = today.to_string();
        // A posting's source is its list item on this day: a relative "Posted N Days Ago" dates it from today.
        let listed = listing.items.iter().zip(ids);
        let to_describe = to_describe(&mut fetch, known, listed, |(item, _)| {
            SourceHash::of(Provider::Workday, &[item.raw.as_bytes(), day.as_bytes()])
        })
        .await;
        let mut calls = DetailCalls::new(board, &self.budget);
        let path: for<'a, 'b> fn(&'a ((&'b ListItem, String), SourceHash)) -> &'a str =
            |((item, _), _)| nonempty(&item.external_path).unwrap_or_default();
        let details = calls
            .read_all(&mut fetch, &to_describe, path, |((item, _), _)| {
                self.detail(board, t, item)
            })
            .await;
        for (((item, id), source), detail) in to_describe.into_iter().zip(details) {
            let body = match detail {
                Detailed::Read(read) => read,
                Detailed::Without => {
                    fetch.postings.push(posting(t.public(), item, id, None, today));
                    continue;
                }
                Detailed::Gone => {
                    tracing::debug!(%board, %id, "workday posting gone before its detail was read: skipped");
                    continue;
                }
            };
            if fetch.company_name.is_none() {
                fetch.company_name = body
                    .hiring_organization
                    .and_then(|o| nonempty(&o.name).map(str::to_owned));
            }
            let info = body.job_posting_info;
            fetch.push_sourced(posting(t.public(), item, id, Some(info), today), source);
        }
        Ok(fetch)
    }
}

impl WorkdayClient {
    /// Every page of the listing, until the first page's total, a page with nothing new or the offset clamp.
    async fn list(&self, board: &BoardRef, t: Tenancy<'_>, requests: &mut u32) -> Result<Listing, AtsError> {
        let path = format!("/wday/cxs/{}/{}/jobs", t.tenant, t.site);
        let url = self.endpoints.url(board, t.tenant, Some(t.pod), &path)?;
        let mut listing = Listing::default();
        let mut offset = 0;
        loop {
            let request = Request::post_json(url.clone(), page_body(offset));
            let fetched = self
                .http
                .fetch(&request)
                .await
                .map_err(|e| listing_error(board, e))?;
            *requests += 1;
            let page: ListPage<'_> = serde_json::from_slice(&fetched.body)
                .map_err(|e| AtsError::parse(board, &url, format!("not a Workday job listing: {e}")))?;
            let page_len = page.job_postings.len();
            let added = listing.add(page);
            offset += PAGE_SIZE;
            if !listing.wants_more(offset, page_len, added) {
                break;
            }
        }
        let unique = listing.items.len() as u64;
        if let Some(total) = listing.total
            && unique < total
        {
            tracing::warn!(%board, unique, total, clamp = MAX_OFFSET, "workday listing read fewer postings than its total");
        }
        Ok(listing)
    }

    /// The detail of one posting; `None` when it answers 404/410 (closed since the listing).
    async fn detail(
        &self,
        board: &BoardRef,
        t: Tenancy<'_>,
        item: &ListItem,
    ) -> Result<Option<DetailBody>, AtsError> {
        let external_path = nonempty(&item.external_path).unwrap_or_default();
        let slash = if external_path.starts_with('/') { "" } else { "/" };
        let path = format!("/wday/cxs/{}/{}{slash}{external_path}", t.tenant, t.site);
        let url = self.endpoints.url(board, t.tenant, Some(t.pod), &path)?;
        let request = Request::get(url.clone()).header("accept", "application/json");
        match self.http.fetch(&request).await {
            Ok(fetched) => serde_json::from_slice(&fetched.body)
                .map(Some)
                .map_err(|e| AtsError::parse(board, &url, format!("not a Workday job detail: {e}"))),
            Err(e) if e.is_gone() => Ok(None),
            Err(e) => Err(AtsError::from_http(board, e)),
        }
    }
}

/// A listing 422 means the tenant is not in that pod (docs/ats-apis.md#workday): the board is gone, like a
/// 404 (a wrong site of an existing tenant). Everything else as any HTTP error.
fn listing_error(board: &BoardRef, error: pipeline_http::HttpError) -> AtsError {
    if error.status() == Some(422) {
        return AtsError::Gone {
            board: board.to_string(),
            source: error,
        };
    }
    AtsError::from_http(board, error)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_board_names_tenant_pod_and_site() {
        let board: BoardRef = "workday:acme/wd3/External_Careers".parse().unwrap();
        let t = Tenancy::of(&board).unwrap();
        assert_eq!((t.tenant, t.pod, t.site), ("acme", "wd3", "External_Careers"));
        let mut bad = board.clone();
        bad.tenant = "acme/wd3".into();
        assert!(matches!(Tenancy::of(&bad), Err(AtsError::Endpoint { .. })));
        bad.tenant = "acme/wd3/Ext?x=1".into();
        assert!(matches!(Tenancy::of(&bad), Err(AtsError::Endpoint { .. })));
    }
}
