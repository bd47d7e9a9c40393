//! The per-posting detail calls of SmartRecruiters and Workday: which postings need one (detail
//! freshness), the shared budget, what a failed call does to the fetch, and how many of a board's calls are
//! in flight at once (docs/ats-apis.md#common).

use std::future::Future;

use futures::StreamExt;
use futures::stream::FuturesOrdered;
use pipeline_domain::{BoardRef, Classify, ErrorClass};

use super::{AtsError, BoardFetch, DetailBudget, Known, SourceHash};

/// Of a board's `listed` postings, those whose detail is to be read, each with its source hash
/// (`source`: its list item's, docs/stages.md#detail-freshness). While the board's details are fresh
/// ([`Known::details_fresh`]), a posting `known` holds is recorded unchanged in `fetch`, counted in
/// `details_reused`, and gets no detail call; otherwise every posting is to be described.
pub(crate) async fn to_describe<L>(
    fetch: &mut BoardFetch,
    known: &Known,
    listed: impl IntoIterator<Item = L>,
    source: impl Fn(&L) -> SourceHash,
) -> Vec<(L, SourceHash)> {
    let fresh = known.details_fresh();
    if fresh {
        known.read().await;
    }
    let mut out = Vec::new();
    for posting in listed {
        let hash = source(&posting);
        if fresh && fetch.is_known(known, hash) {
            fetch.details_reused += 1;
        } else {
            out.push((posting, hash));
        }
    }
    out
}

/// The detail calls of one fetch. A posting whose detail call fails for good (after the HTTP core's
/// retries: a 5xx, a timeout, a body that is not the documented detail, another 4xx) is kept without its
/// description, counted in [`BoardFetch::details_failed`], and the fetch is marked
/// [`incomplete`](BoardFetch::incomplete); the other postings are read as usual. A 404/410 is not a
/// failure: the posting closed since the list was read and is dropped.
///
/// A rate limit the HTTP core would not wait out (a 429 asking for longer than `max_retry_after`, not
/// saying how long, or still limiting after its waits) **ends the detail calls early**: asking again
/// would only meet more 429s and spend the shared budget. The remaining postings are kept without their
/// description and counted as failed too, the fetch is incomplete, and [`BoardFetch::rate_limited`] carries
/// the 429's class so that the stage can snooze or pause the provider as it would on a rate-limited error.
pub(crate) struct DetailCalls<'a> {
    board: &'a BoardRef,
    budget: &'a DetailBudget,
    stopped: bool,
}

/// A board's detail calls in flight at once, once the first has answered (it goes alone: a provider that
/// limits at once stops the calls after one). Each request still waits for its provider's throttle
/// (`max_concurrency`, `requests_per_second`), which every board of the provider shares.
pub(crate) const IN_FLIGHT: usize = 8;

/// What the detail call of one listed posting came to.
pub(crate) enum Detailed<D> {
    /// The detail was read.
    Read(D),
    /// No detail: the budget is spent, or the call failed (counted in the fetch).
    Without,
    /// The posting answered 404/410: closed since the list was read, dropped.
    Gone,
}

impl<'a> DetailCalls<'a> {
    /// Reads the detail of each of `listed` through `call` (`Ok(None)`: gone), [`IN_FLIGHT`] at a time
    /// after the first, each started only while [`start`](Self::start) allows; the outcomes in `listed`'s
    /// order. `id` names a posting in the logs.
    pub(crate) async fn read_all<'l, L, D, Fut>(
        &mut self,
        fetch: &mut BoardFetch,
        listed: &'l [L],
        id: fn(&L) -> &str,
        call: impl Fn(&'l L) -> Fut,
    ) -> Vec<Detailed<D>>
    where
        Fut: Future<Output = Result<Option<D>, AtsError>>,
    {
        let mut out = Vec::with_capacity(listed.len());
        let mut pending = FuturesOrdered::new();
        let (mut next, mut window) = (listed.iter(), 1);
        loop {
            while pending.len() < window {
                let Some(posting) = next.next() else {
                    break;
                };
                let detail = self.start(fetch).then(|| call(posting));
                fetch.requests += u32::from(detail.is_some());
                pending.push_back(async move {
                    match detail {
                        Some(detail) => (posting, Some(detail.await)),
                        None => (posting, None),
                    }
                });
            }
            let Some((posting, result)) = pending.next().await else {
                return out;
            };
            out.push(match result {
                None => Detailed::Without,
                Some(Ok(detail)) => {
                    window = IN_FLIGHT;
                    detail.map_or(Detailed::Gone, Detailed::Read)
                }
                Some(Err(error)) => {
                    self.failed(fetch, id(posting), &error);
                    Detailed::Without
                }
            });
        }
    }

    pub(crate) fn new(board: &'a BoardRef, budget: &'a DetailBudget) -> Self {
        Self {
            board,
            budget,
            stopped: false,
        }
    }

    /// Whether to make the next posting's detail call. When not (a rate limit stopped the calls, or the
    /// budget is spent) the posting is counted in `fetch` and goes without its description.
    pub(crate) fn start(&mut self, fetch: &mut BoardFetch) -> bool {
        if self.stopped {
            fetch.details_failed += 1;
            return false;
        }
        if !self.budget.take() {
            fetch.details_skipped += 1;
            return false;
        }
        true
    }

    /// Records a detail call of posting `id` that failed for good: the posting goes without its description.
    pub(crate) fn failed(&mut self, fetch: &mut BoardFetch, id: &str, error: &AtsError) {
        let board = self.board;
        fetch.details_failed += 1;
        fetch.incomplete = true;
        if fetch.detail_error.is_none() {
            fetch.detail_error = Some(error.to_string());
        }
        let class = error.class();
        if matches!(class, ErrorClass::RateLimited { .. }) {
            tracing::debug!(%board, id, %error, "detail rate limited: the remaining details are not asked for");
            self.stopped = true;
            fetch.rate_limited = Some(class);
        } else {
            tracing::debug!(%board, id, %error, "detail failed: the posting is kept without its description");
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::time::Duration;

    use pipeline_http::HttpError;

    use super::*;

    fn status(status: u16, retry_after: Option<Duration>) -> AtsError {
        AtsError::Http(HttpError::Status {
            url: "http://api.test/x".into(),
            status,
            retry_after,
            snippet: None,
        })
    }

    #[test]
    fn a_failed_detail_marks_the_fetch_incomplete_and_a_rate_limit_stops_the_calls() {
        let board: BoardRef = "workday:acme/wd3/Ext".parse().unwrap();
        let budget = DetailBudget::new(10);
        let mut calls = DetailCalls::new(&board, &budget);
        let mut fetch = BoardFetch::default();
        assert!(calls.start(&mut fetch));
        calls.failed(&mut fetch, "a", &status(503, None));
        assert!(fetch.incomplete && fetch.rate_limited.is_none());
        assert!(calls.start(&mut fetch), "other postings are still asked for");
        let wait = Some(Duration::from_secs(3600));
        calls.failed(&mut fetch, "b", &status(429, wait));
        assert_eq!(fetch.rate_limited, Some(ErrorClass::RateLimited { wait }));
        assert!(!calls.start(&mut fetch) && !calls.start(&mut fetch));
        assert_eq!((fetch.details_failed, fetch.details_skipped), (4, 0));
        assert_eq!(budget.remaining(), 8, "no budget spent after the rate limit");
        assert!(
            fetch.detail_error.unwrap().contains("HTTP 503"),
            "the first error"
        );
    }
}
