//! `pipeline-ats`: the ATS clients, one per provider (a folder each) behind the [`AtsClient`] trait. A client
//! fetches every open posting of one board (paging where the API pages, at most the budgeted detail calls,
//! conditional requests where the provider supports them) and returns them normalised. Architecture
//! invariant: no DB; HTTP only through pipeline-http; the trait has a mockall mock (feature `mocks`).
#![warn(missing_docs)]

mod ashby;
mod conditional;
mod details;
mod endpoint;
mod error;
mod fields;
mod greenhouse;
mod json;
pub mod jsonld;
mod lever;
mod personio;
mod recruitee;
mod registry;
mod smartrecruiters;
mod source;
mod teamtailor;
mod text;
mod validators;
mod workable;
mod workday;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use pipeline_domain::{BoardRef, ErrorClass, NormalizedPosting, Provider};

pub use ashby::AshbyClient;
pub use endpoint::Endpoints;
pub use error::AtsError;
pub use greenhouse::GreenhouseClient;
pub use jsonld::JsonLdClient;
pub use lever::LeverClient;
pub use personio::PersonioClient;
pub use recruitee::RecruiteeClient;
pub use registry::{AtsClients, client_for};
pub use smartrecruiters::SmartRecruitersClient;
pub use source::{Known, SOURCE_VERSION, SourceHash};
pub use teamtailor::TeamtailorClient;
pub use text::{decode_entities, html_to_text};
pub use validators::Validators;
pub use workable::WorkableClient;
pub use workday::WorkdayClient;

/// What one fetch of a board returned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BoardFetch {
    /// Every open, listed posting (unlisted and demo postings are dropped), except those in `unchanged`.
    pub postings: Vec<NormalizedPosting>,
    /// The external ids of the postings whose item was the one a stored posting was read from (the
    /// [`Known`] given to [`AtsClient::fetch_known`]): listed, as stored, and not read again.
    pub unchanged: Vec<String>,
    /// The [`SourceHash`] of the item each posting of `postings` was read from, by external id (none for a
    /// posting whose description is missing, nor for the providers that do not give them: Personio,
    /// `jsonld`).
    pub sources: HashMap<String, SourceHash>,
    /// The company name the API gives, if it gives one (for validation).
    pub company_name: Option<String>,
    /// The server said nothing changed since `validators` (304): `postings` is empty and means nothing.
    pub not_modified: bool,
    /// Validators of this response, to send next time.
    pub validators: Option<Validators>,
    /// Requests made (list pages + detail calls).
    pub requests: u32,
    /// Postings whose detail call was skipped because the budget ran out (their description is empty).
    pub details_skipped: u32,
    /// Postings whose detail call was not made because their list item is the one a stored posting was
    /// read from and the board's details are fresh ([`Known::details_fresh`]): they are in `unchanged`.
    /// A fetch with any is not a full description pass (docs/stages.md#detail-freshness).
    pub details_reused: u32,
    /// Postings whose detail call failed for good, or was not made because a rate limit ended the detail
    /// calls (SmartRecruiters, Workday): they are returned, with an empty description.
    pub details_failed: u32,
    /// Part of the board could not be read (a detail call failed, `details_failed > 0`: every listed
    /// posting is there, but not all of them whole; or a `jsonld` job page failed or was over the page cap). The ingestion stage (4/8) closes nothing and
    /// concludes nothing about absent postings on an incomplete fetch, as on a failed one
    /// (docs/stages.md#closed-postings); `board` warns and exits 3.
    pub incomplete: bool,
    /// The first failed detail call's error, for the warning of an incomplete fetch.
    pub detail_error: Option<String>,
    /// The rate limit (class `RateLimited`, with the wait asked for) that ended the detail calls early, for
    /// the stage to snooze or pause the provider as on a rate-limited error. See `details::DetailCalls`.
    pub rate_limited: Option<ErrorClass>,
    /// `jsonld`: job pages the careers page links that could not be read (or were not asked for after a
    /// rate limit); their postings are missing and the fetch is `incomplete`.
    pub pages_failed: u32,
    /// `jsonld`: job pages not read because the board reached `ingestion.jsonld_max_pages`; the fetch is
    /// `incomplete`.
    pub pages_skipped: u32,
    /// `jsonld`: JSON-LD scripts that could not be read even leniently, skipped (the `jsonld_malformed`
    /// counter).
    pub jsonld_malformed: u32,
}

/// A cap on per-posting detail calls (SmartRecruiters, Workday): `ingestion.detail_calls_per_cycle` per
/// provider, refilled at each cycle's ingestion. Clones share the count.
#[derive(Debug, Clone)]
pub struct DetailBudget(Arc<AtomicU64>);

impl DetailBudget {
    /// A budget of `calls` detail calls.
    pub fn new(calls: u64) -> Self {
        Self(Arc::new(AtomicU64::new(calls)))
    }

    /// Takes one call from the budget; `false` when it is spent.
    pub fn take(&self) -> bool {
        self.0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }

    /// The calls left this cycle.
    pub fn remaining(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }

    /// Sets the calls left to `calls` (a new cycle's budget).
    pub fn refill(&self, calls: u64) {
        self.0.store(calls, Ordering::SeqCst);
    }
}

/// One provider's API.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AtsClient: Send + Sync {
    /// The provider this client speaks to.
    fn provider(&self) -> Provider;

    /// Fetches every open posting of `board`. A 404/410 is [`AtsError::Gone`] (a careers page now leading to
    /// another site, [`AtsError::Moved`]); an unparseable answer is [`AtsError::Parse`]; all are permanent
    /// for the board.
    async fn fetch_board(
        &self,
        board: &BoardRef,
        validators: Option<Validators>,
    ) -> Result<BoardFetch, AtsError> {
        self.fetch_known(board, validators, &Known::default()).await
    }

    /// [`fetch_board`](Self::fetch_board), except that a posting whose item hashes to a source in `known`
    /// is not parsed nor normalized again: its external id goes to [`BoardFetch::unchanged`].
    async fn fetch_known(
        &self,
        board: &BoardRef,
        validators: Option<Validators>,
        known: &Known,
    ) -> Result<BoardFetch, AtsError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_detail_budget_never_goes_below_zero() {
        let budget = DetailBudget::new(2);
        let shared = budget.clone();
        assert!(budget.take() && shared.take());
        assert!(!budget.take() && !shared.take());
        assert_eq!(budget.remaining(), 0);
    }
}
