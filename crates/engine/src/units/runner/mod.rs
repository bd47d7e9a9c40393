//! The unit runner: claims due units in batches (one write transaction per batch, each unit claimed by
//! one atomic statement), works up to `concurrency` at once, and writes each outcome in a transaction
//! that first checks the unit's lease (the fence), saves the run's counters with it, and releases the
//! lease. A stage only says what its units are and how to work one ([`UnitWork`]).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use pipeline_db::repo::leases::Lease;
use pipeline_db::repo::pauses;
use pipeline_domain::{Classify, Counter, ErrorClass, RunCounters};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

mod claim;
mod outcome;
mod queue;

use super::heartbeat::LeaseHeartbeat;
use super::{UnitFailure, UnitWork, next_due_after_failure};
use crate::lock::chrono_ttl;
use crate::{StageRun, TaskError};
use claim::ClaimedBatch;
use outcome::Written;
use queue::Queue;

/// How the runner works a stage's units.
#[derive(Debug, Clone)]
pub struct UnitSettings {
    /// Units worked at once.
    pub concurrency: usize,
    /// Leases expire this long after the last heartbeat (every ttl/3).
    pub lease_ttl: Duration,
    /// Consecutive rate-limited units of one provider before the provider is paused.
    pub pause_after_rate_limits: u32,
    /// How long such a pause lasts (at least as long as the provider asked to wait).
    pub pause_for: Duration,
    /// A provider asking to wait longer than this is paused at once.
    pub max_wait: Duration,
}

/// What the runner did with the units it claimed (also in the run's counters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitReport {
    /// Units worked and recorded.
    pub ok: u64,
    /// Units whose work failed (recorded with their next due time).
    pub failed: u64,
    /// Rate-limited units rescheduled without consuming an attempt.
    pub snoozed: u64,
    /// Units whose lease was lost before their outcome could be written (nothing was written).
    pub lost: u64,
    /// Units released unworked (cancellation, a provider paused meanwhile, already worked this run).
    pub released: u64,
}

/// Runs `work`'s due units to exhaustion (or `--limit`, or cancellation). A fatal unit error stops the
/// claiming, lets the units in flight finish, and is returned.
pub async fn run_units<W: UnitWork>(
    work: Arc<W>,
    run: &StageRun,
    settings: &UnitSettings,
) -> Result<UnitReport, TaskError> {
    let _heartbeat = LeaseHeartbeat::start(
        run.db.clone(),
        run.clock.clone(),
        work.kind(),
        run.owner.clone(),
        settings.lease_ttl,
    );
    let mut runner = Runner {
        limit: run.ctx.limit.map_or(usize::MAX, |l| l as usize),
        work,
        run: run.clone(),
        settings: settings.clone(),
        queue: Queue::default(),
        flying: HashMap::new(),
        exhausted: false,
        blocked: false,
        taken: 0,
        seen: Arc::default(),
        paused: HashSet::new(),
        rate_limited: HashMap::new(),
        report: UnitReport::default(),
        fatal: None,
        done: Vec::new(),
        writing: None,
        claiming: None,
        upstream: run.upstream.clone(),
        last_claim: tokio::time::Instant::now(),
    };
    let mut in_flight = JoinSet::new();
    let driven = runner.drive(&mut in_flight).await;
    in_flight.abort_all();
    let released = runner.release_queued().await;
    driven?;
    released?;
    match runner.fatal {
        Some(fatal) => Err(fatal),
        None => Ok(runner.report),
    }
}

struct Claimed<U> {
    unit: U,
    lease: Lease,
    pause_key: Option<String>,
}

enum Worked<O, E> {
    Done(Result<O, E>),
    Interrupted,
}

type Joined<W> = (
    Claimed<<W as UnitWork>::Unit>,
    Worked<<W as UnitWork>::Output, <W as UnitWork>::Error>,
);

struct Runner<W: UnitWork> {
    work: Arc<W>,
    run: StageRun,
    settings: UnitSettings,
    queue: Queue<W::Unit>,
    /// Units in flight by pause key (provider): the next unit started is one of the key with the fewest.
    flying: HashMap<Option<String>, usize>,
    exhausted: bool,
    /// The last pick found units queued, all of providers at their cap.
    blocked: bool,
    taken: usize,
    limit: usize,
    /// Keys worked in this run: a unit due again soon after its outcome (a failure's retry, a short
    /// refresh) waits for the next run. Shared with the claim's transaction, which leaves them unclaimed.
    seen: Arc<Mutex<HashSet<String>>>,
    paused: HashSet<String>,
    rate_limited: HashMap<String, u32>,
    report: UnitReport,
    fatal: Option<TaskError>,
    /// Units worked successfully whose outcomes are not written yet: written together, one transaction
    /// for all ([`Runner::start_write`]).
    done: Vec<Done<W>>,
    /// The write of such outcomes in progress, and how many it holds.
    writing: Option<(tokio::task::JoinHandle<Written>, usize)>,
    /// The claim in progress ([`Runner::start_claim`]); never at the same time as a write.
    claiming: Option<tokio::task::JoinHandle<ClaimedBatch<W::Unit>>>,
    /// The stage running beside this one, making units due, until it ends (`None` from then on).
    upstream: Option<CancellationToken>,
    /// When units were last claimed.
    last_claim: tokio::time::Instant,
}

/// What the driver waited for.
enum Event<J, U> {
    Joined(J),
    Written(Result<Written, tokio::task::JoinError>),
    Claimed(Result<ClaimedBatch<U>, tokio::task::JoinError>),
    /// Time to look for units the stage beside this one made due (or it ended).
    Upstream,
    Idle,
}

/// How often a stage beside another looks for the units that one made due, once it found none.
const UPSTREAM_POLL: Duration = Duration::from_millis(500);

/// A unit worked successfully, its outcome to write under its fence.
struct Done<W: UnitWork> {
    unit: W::Unit,
    lease: Lease,
    output: W::Output,
}

/// Units done but not written yet that may wait besides the `concurrency` in flight (and in the write).
const WRITE_SLACK: usize = 16;

fn db_error(e: pipeline_db::DbError) -> TaskError {
    TaskError::from_error(&e)
}

impl<W: UnitWork> Runner<W> {
    async fn drive(&mut self, in_flight: &mut JoinSet<Joined<W>>) -> Result<(), TaskError> {
        loop {
            // Units in flight, done and being written hold their output: at most `concurrency` of them
            // besides a batch's worth.
            while in_flight.len() + self.done.len() + self.writing_len()
                < self.settings.concurrency.max(1) + WRITE_SLACK
                && in_flight.len() < self.settings.concurrency.max(1)
                && !self.run.is_cancelled()
                && self.fatal.is_none()
            {
                let Some(claimed) = self.pick() else {
                    break;
                };
                let held_back = claimed
                    .pause_key
                    .as_ref()
                    .is_some_and(|k| self.paused.contains(k));
                let first = (self.seen.lock().unwrap_or_else(PoisonError::into_inner))
                    .insert(claimed.lease.unit_key.clone());
                if held_back || !first {
                    self.release(claimed.lease).await?;
                    continue;
                }
                self.spawn(in_flight, claimed);
            }
            // One database write at a time, in the background: a claim when the queue runs low, else the
            // units done while the last write ran, together (group commit), while the others go on working.
            if self.wants_claim() {
                self.start_claim();
            } else if !self.done.is_empty() && self.writing.is_none() && self.claiming.is_none() {
                self.start_write();
            }
            let (upstream, poll) = self.upstream_poll();
            let event = {
                let (writing, claiming) = (&mut self.writing, &mut self.claiming);
                tokio::select! {
                    Some(joined) = in_flight.join_next() => Event::Joined(joined),
                    written = async {
                        match writing.as_mut() {
                            Some((handle, _)) => handle.await,
                            None => std::future::pending().await,
                        }
                    }, if writing.is_some() => Event::Written(written),
                    claimed = async {
                        match claiming.as_mut() {
                            Some(handle) => handle.await,
                            None => std::future::pending().await,
                        }
                    }, if claiming.is_some() => Event::Claimed(claimed),
                    () = async {
                        if let Some(upstream) = &upstream {
                            tokio::select! {
                                () = upstream.cancelled() => {}
                                () = tokio::time::sleep_until(poll) => {}
                            }
                        }
                    }, if upstream.is_some() => Event::Upstream,
                    else => Event::Idle,
                }
            };
            match event {
                Event::Joined(joined) => self.joined(joined).await?,
                Event::Written(written) => self.written(written)?,
                Event::Claimed(claimed) => self.claimed(claimed)?,
                Event::Upstream => self.upstream_looked(),
                Event::Idle if self.done.is_empty() => return Ok(()),
                Event::Idle => {}
            }
        }
    }

    async fn joined(&mut self, joined: Result<Joined<W>, tokio::task::JoinError>) -> Result<(), TaskError> {
        let (claimed, worked) =
            joined.map_err(|e| TaskError::new(ErrorClass::Fatal, format!("a unit's task failed: {e}")))?;
        if let Some(n) = self.flying.get_mut(&claimed.pause_key) {
            *n = n.saturating_sub(1);
        }
        self.finish(claimed, worked).await?;
        self.run.progress.advance(1);
        Ok(())
    }

    fn spawn(&mut self, in_flight: &mut JoinSet<Joined<W>>, claimed: Claimed<W::Unit>) {
        *self.flying.entry(claimed.pause_key.clone()).or_default() += 1;
        let (work, run) = (self.work.clone(), self.run.clone());
        let span = tracing::info_span!(
            "unit",
            stage = run.stage,
            key = %claimed.lease.unit_key,
            attempt = claimed.lease.attempt
        );
        in_flight.spawn(
            async move {
                let worked = tokio::select! {
                    biased;
                    () = run.cancel.cancelled() => Worked::Interrupted,
                    result = work.work(&claimed.unit, &run) => Worked::Done(result),
                };
                (claimed, worked)
            }
            .instrument(span),
        );
    }

    async fn finish(
        &mut self,
        claimed: Claimed<W::Unit>,
        worked: Worked<W::Output, W::Error>,
    ) -> Result<(), TaskError> {
        let Claimed {
            unit,
            lease,
            pause_key,
        } = claimed;
        let now = self.run.now();
        let result = match worked {
            Worked::Interrupted => return self.release(lease).await,
            Worked::Done(result) => result,
        };
        let error = match result {
            Ok(output) => {
                if let Some(key) = &pause_key {
                    self.rate_limited.remove(key);
                }
                self.done.push(Done { unit, lease, output });
                return Ok(());
            }
            Err(error) => error,
        };
        let (class, message) = (error.class(), error.to_string());
        tracing::warn!(stage = self.run.stage, key = %lease.unit_key, class = class.as_str(), %message, "unit failed");
        match class {
            ErrorClass::Fatal => {
                self.fatal = Some(TaskError::new(class, message));
                self.release(lease).await
            }
            ErrorClass::RateLimited { wait } => self.snooze(unit, lease, pause_key, wait, message, now).await,
            ErrorClass::Transient | ErrorClass::Permanent => {
                let attempt = self.work.failures(&unit).saturating_add(1);
                let failure = UnitFailure {
                    class,
                    next_due_at: next_due_after_failure(class, attempt, now, rand::random()),
                    message,
                    counts_as_attempt: true,
                    now,
                };
                let work = self.work.clone();
                let written = self
                    .write_fenced(lease, Counter::UnitsFailed, move |tx| {
                        work.record_failure(tx, &unit, &failure)
                            .map(|()| RunCounters::default())
                    })
                    .await?;
                self.report.failed += u64::from(written);
                Ok(())
            }
        }
    }

    /// A rate-limited unit waits as told without consuming an attempt; a provider that keeps limiting,
    /// or asks for a longer wait than `max_wait`, is paused in the same transaction.
    async fn snooze(
        &mut self,
        unit: W::Unit,
        lease: Lease,
        pause_key: Option<String>,
        wait: Option<Duration>,
        message: String,
        now: DateTime<Utc>,
    ) -> Result<(), TaskError> {
        let told = wait.unwrap_or(Duration::from_secs(60));
        let pause = pause_key.clone().filter(|key| {
            if self.paused.contains(key) {
                // Paused already (a unit that was in flight then): once is enough.
                return false;
            }
            let streak = self.rate_limited.entry(key.clone()).or_default();
            *streak += 1;
            *streak >= self.settings.pause_after_rate_limits || told > self.settings.max_wait
        });
        let until = now + chrono_ttl(self.settings.pause_for.max(told));
        let failure = UnitFailure {
            class: ErrorClass::RateLimited { wait },
            next_due_at: Some(if pause.is_some() {
                until
            } else {
                now + chrono_ttl(told)
            }),
            message,
            counts_as_attempt: false,
            now,
        };
        let work = self.work.clone();
        let reason = format!("rate limited ({})", failure.message);
        let paused = pause.clone();
        let written = self
            .write_fenced(lease, Counter::UnitsPaused, move |tx| {
                work.record_failure(tx, &unit, &failure)?;
                if let Some(provider) = &paused {
                    pauses::set(tx.conn(), provider, until, Some(&reason), now)?;
                }
                Ok(RunCounters::default())
            })
            .await?;
        self.report.snoozed += u64::from(written);
        if let Some(provider) = pause.filter(|_| written) {
            tracing::warn!(stage = self.run.stage, %provider, %until, "provider paused after rate limits");
            self.rate_limited.remove(&provider);
            self.work.on_pause(&provider);
            self.paused.insert(provider);
        }
        Ok(())
    }
}
