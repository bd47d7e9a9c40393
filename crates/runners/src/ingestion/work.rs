//! One board's ingestion as a unit of work: due-ness from the DB, the board fetched through its
//! provider's client (conditional on the last complete fetch's validators), its postings and schedule
//! written under the fence. A board the provider says is gone is marked `gone`; a paused provider's boards
//! are not due (the pause key is the provider).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pipeline_ats::{AtsClients, AtsError, BoardFetch, Known, SourceHash, Validators};
use pipeline_db::repo::ingestion::{self, DueBoard, Fetched};
use pipeline_db::repo::leases::{self, Fenced};
use pipeline_db::{Conn, DbError};
use pipeline_domain::{BoardRef, Counter, ErrorClass, Provider, RunCounters};
use pipeline_engine::{DueQuery, StageRun, UnitFailure, UnitWork};
use pipeline_http::HttpClient;

use super::persist::persist_prepared;
use super::prepare::{BoardPostings, PreparedBoard, StoredStates};
use crate::rate_limits::RateLimitStreaks;

/// What fetching a board came to.
#[derive(Debug)]
pub enum BoardOutcome {
    /// The board was read (or answered 304).
    Fetched(Box<FetchedBoard>),
    /// 404/410: the board does not exist any more.
    Gone(String),
}

/// A board that was read: its fetch, and its postings prepared for the write (none on a 304).
#[derive(Debug)]
pub struct FetchedBoard {
    /// The fetch, its postings moved to `postings`.
    pub fetch: BoardFetch,
    /// Its postings, prepared for the write; `None` on a 304.
    pub postings: Option<PreparedBoard>,
}

/// Whether a fetch read every posting whole (only then are absent ones closed), and whether descriptions
/// may be missing (skipped or failed detail calls).
fn completeness(fetch: &BoardFetch) -> (bool, bool) {
    // A rate limit that cut the detail calls short leaves the board incomplete, like a failed detail.
    let complete = !fetch.incomplete && fetch.rate_limited.is_none() && fetch.details_skipped == 0;
    let details_missing =
        fetch.details_skipped > 0 || fetch.details_failed > 0 || fetch.rate_limited.is_some();
    (complete, details_missing)
}

/// The board's stored postings, read when the client first needs their source hashes: never for a board
/// answered 304, nor by a client that reads every item anyway. The states read are kept in `stored` for
/// the write (a read beside the writes: the board's lease keeps its postings as they are until this unit
/// writes them). When they cannot be read, none: every item is then read and compared as on a first
/// fetch, and the write reads the states itself.
fn known(run: &StageRun, board_id: i64, stored: Arc<Mutex<Option<StoredStates>>>) -> Known {
    let db = run.db.clone();
    Known::deferred(async move {
        let read = db
            .call(move |db| db.read(|c| pipeline_db::repo::postings::states_of_board(c, board_id)))
            .await;
        let mut known = Known::default();
        match read {
            Ok(states) => {
                for state in states.values() {
                    if let Some(source) = state.source_hash.as_deref().and_then(SourceHash::from_hex) {
                        known.insert(source, state.external_id.clone());
                    }
                }
                *stored.lock().unwrap_or_else(PoisonError::into_inner) = Some(states);
            }
            Err(error) => {
                tracing::warn!(board_id, %error, "source hashes not read: every posting is read again")
            }
        }
        known
    })
}

/// What ingestion needs to fetch one board.
pub struct IngestionWork {
    /// A client per enabled provider.
    pub clients: AtsClients,
    /// Closed for a provider that keeps limiting, so that requests already waiting for it are not sent.
    pub throttles: pipeline_http::Throttles,
    /// Rate-limited fetches in a row per provider, counted as they return: the throttle closes at once,
    /// before the runner writes the pause (docs/stages.md#pauses).
    pub(crate) streaks: RateLimitStreaks,
    /// The client `clients` share, for the request counters.
    pub api: HttpClient,
    /// The company-site client `jsonld` boards are read with, for the request counters.
    pub pages: HttpClient,
    /// When a board fetched now is due again (`ingestion.refresh_after`).
    pub refresh_after: Duration,
    /// The providers `enabled = false` in the configuration: their boards are not due (left alone, as a
    /// paused provider's, rather than claimed and failed every cycle).
    pub disabled: Vec<String>,
    /// How long a board's details, all read by a complete fetch, stay fresh
    /// (`ingestion.details_refresh_after`, docs/stages.md#detail-freshness).
    pub details_refresh_after: Duration,
    /// Boards of a provider fetched at once, by provider key: twice its `max_concurrency`, enough to keep
    /// its requests busy while one board is being read or written, and no more, so that a slow provider's
    /// boards waiting for their turns never hold every slot of the stage.
    pub boards_in_flight: HashMap<String, usize>,
}

impl IngestionWork {
    /// Counts a fetch's outcome toward its provider's streak of rate limits; closes the provider's
    /// throttle when the streak (or one long Retry-After) will pause it.
    fn observe(&self, provider: pipeline_domain::Provider, error: Option<&AtsError>) {
        if self.streaks.observe(provider, error).is_some() {
            self.throttles.close(provider);
        }
    }

    /// Whether the board's details were all read by a complete fetch less than `details_refresh_after` ago.
    fn details_fresh(&self, unit: &DueBoard, now: DateTime<Utc>) -> bool {
        let fresh_for =
            chrono::Duration::from_std(self.details_refresh_after).unwrap_or(chrono::Duration::MAX);
        unit.described_at
            .is_some_and(|at| now.signed_duration_since(at) < fresh_for)
    }

    fn next_due(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + chrono::Duration::from_std(self.refresh_after).unwrap_or(chrono::Duration::MAX)
    }
}

#[async_trait]
impl UnitWork for IngestionWork {
    type Unit = DueBoard;
    type Output = BoardOutcome;
    type Error = AtsError;

    fn kind(&self) -> &'static str {
        "ingestion"
    }

    fn due(&self, conn: &mut Conn, query: &DueQuery<'_>) -> Result<Vec<DueBoard>, DbError> {
        let leased = leases::live_keys(conn, query.kind, query.now)?;
        let left_out: std::borrow::Cow<'_, [String]> = match self.disabled.is_empty() {
            true => query.paused.into(),
            false => [query.paused, &self.disabled].concat().into(),
        };
        ingestion::due(conn, query.now, query.limit, query.company, &left_out, &leased)
    }

    fn key(&self, unit: &DueBoard) -> String {
        unit.id.to_string()
    }

    fn pause_key(&self, unit: &DueBoard) -> Option<String> {
        Some(unit.provider.clone())
    }

    fn max_in_flight(&self, key: &str) -> Option<usize> {
        self.boards_in_flight.get(key).copied()
    }

    fn on_pause(&self, key: &str) {
        if let Some(provider) = pipeline_domain::Provider::parse(key) {
            self.throttles.close(provider);
        }
    }

    fn failures(&self, unit: &DueBoard) -> u32 {
        unit.failures.unwrap_or(0).max(0) as u32
    }

    async fn work(&self, unit: &DueBoard, run: &StageRun) -> Result<BoardOutcome, AtsError> {
        let board: BoardRef = unit.reference.parse().map_err(|e| AtsError::Endpoint {
            board: unit.reference.clone(),
            reason: format!("stored reference does not parse: {e}"),
        })?;
        let Some(client) = self.clients.get(board.provider) else {
            return Err(AtsError::Endpoint {
                board: unit.reference.clone(),
                reason: format!("provider {} is disabled", board.provider.key()),
            });
        };
        let validators = (unit.etag.is_some() || unit.last_modified.is_some()).then(|| Validators {
            etag: unit.etag.clone(),
            last_modified: unit.last_modified.clone(),
        });
        // A board fetched before: the items its stored postings were read from are recognised, not read again.
        let stored = Arc::new(Mutex::new(None));
        let known = match unit.failures {
            Some(_) => {
                known(run, unit.id, stored.clone()).with_details_fresh(self.details_fresh(unit, run.now()))
            }
            None => Known::default(),
        };
        let result = client.fetch_known(&board, validators, &known).await;
        self.observe(board.provider, result.as_ref().err());
        match result {
            Ok(mut fetch) => {
                // The work of the write that needs no database, done here, in parallel with other boards:
                // a board never fetched has only new postings.
                let postings = (!fetch.not_modified).then(|| {
                    let (complete, details_missing) = completeness(&fetch);
                    let board = BoardPostings {
                        board_id: unit.id,
                        company_id: unit.company_id,
                        postings: std::mem::take(&mut fetch.postings),
                        unchanged: std::mem::take(&mut fetch.unchanged),
                        sources: std::mem::take(&mut fetch.sources),
                        complete,
                        details_missing,
                        stored: stored.lock().unwrap_or_else(PoisonError::into_inner).take(),
                    };
                    board.prepare(unit.failures.is_none())
                });
                Ok(BoardOutcome::Fetched(Box::new(FetchedBoard { fetch, postings })))
            }
            Err(e) if e.is_gone() => Ok(BoardOutcome::Gone(e.to_string())),
            Err(e) => Err(e),
        }
    }

    fn record_success(
        &self,
        tx: &mut Fenced<'_>,
        unit: &DueBoard,
        outcome: BoardOutcome,
        now: DateTime<Utc>,
    ) -> Result<RunCounters, DbError> {
        let mut counters = RunCounters::default();
        let fetched = match outcome {
            BoardOutcome::Gone(reason) => {
                ingestion::mark_gone(tx, unit.id, &pipeline_domain::text::echo(&reason), now)?;
                // Its postings are not open anywhere any more.
                let closed = pipeline_db::repo::postings::close_board(tx.conn(), unit.id, now)?;
                pipeline_db::repo::scoring::mark_for_aggregation(tx.conn(), &[unit.company_id])?;
                counters.add(Counter::PostingsClosed, closed as u64);
                counters.add(Counter::BoardsGone, 1);
                return Ok(counters);
            }
            BoardOutcome::Fetched(fetched) => *fetched,
        };
        let FetchedBoard { fetch, postings } = fetched;
        let Some(postings) = postings.filter(|_| !fetch.not_modified) else {
            counters.add(Counter::BoardsNotModified, 1);
            counters.add(Counter::BoardsOk, 1);
            // The validators it was sent with stay.
            let sent = Some((unit.etag.clone(), unit.last_modified.clone()));
            ingestion::record_fetched(tx, unit.id, Fetched::NotModified, sent, self.next_due(now), now)?;
            return Ok(counters);
        };
        let (complete, _) = completeness(&fetch);
        counters.add(Counter::JsonldMalformed, u64::from(fetch.jsonld_malformed));
        let validators = fetch.validators.clone().map(|v| (v.etag, v.last_modified));
        let written = persist_prepared(tx.conn(), postings, now)?;
        counters.merge(&written);
        counters.add(Counter::BoardsOk, 1);
        let fetched = if complete {
            Fetched::Complete
        } else {
            Fetched::Incomplete
        };
        // An incomplete board is fetched again soon for what it lacks, not a day later.
        let next = if complete {
            self.next_due(now)
        } else {
            now + chrono::Duration::hours(1)
        };
        ingestion::record_fetched(tx, unit.id, fetched, validators, next, now)?;
        // Every detail read, complete: a full description pass, fresh for `details_refresh_after`.
        let describes = Provider::parse(&unit.provider).is_some_and(Provider::calls_details);
        if describes && complete && fetch.details_reused == 0 {
            ingestion::record_described(tx, unit.id, now)?;
        }
        Ok(counters)
    }

    fn record_failure(
        &self,
        tx: &mut Fenced<'_>,
        unit: &DueBoard,
        failure: &UnitFailure,
    ) -> Result<(), DbError> {
        let next = failure.next_due_at.unwrap_or(failure.now);
        let message = pipeline_domain::text::echo(&failure.message);
        ingestion::record_failure(
            tx,
            unit.id,
            failure.class.as_str(),
            &message,
            next,
            failure.counts_as_attempt && !matches!(failure.class, ErrorClass::RateLimited { .. }),
        )
    }
}
