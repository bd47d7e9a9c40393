//! How the runner claims its units: a batch of due units in one write transaction, with one due query and
//! one multi-row claim, in the background while the units claimed before are worked (docs/ARCHITECTURE.md#two-database-backends).

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

use pipeline_db::repo::leases::{self, Lease};
use pipeline_db::repo::pauses;
use pipeline_domain::ErrorClass;
use tokio_util::sync::CancellationToken;

use super::{Claimed, Runner, UPSTREAM_POLL, db_error};
use crate::TaskError;
use crate::lock::chrono_ttl;
use crate::units::{DueQuery, UnitWork};

/// Claimed units waiting to start, beyond which the runner claims no further for providers at their cap.
const MAX_QUEUED: usize = 400;

/// What a claim's transaction gives back: the units claimed, in the due query's order, and the providers
/// paused at that moment.
pub(super) type ClaimedBatch<U> = Result<(Vec<Claimed<U>>, Vec<String>), pipeline_db::DbError>;

impl<W: UnitWork> Runner<W> {
    /// Whether to claim further now: the queue is running low (under `concurrency` units, so that the next
    /// batch is in before the queue empties), or every queued unit's provider is at its cap (then within
    /// [`MAX_QUEUED`], for other providers' units); never when claiming has ended, a claim or a write is in
    /// progress (one writer at a time), or the run is stopping.
    pub(super) fn wants_claim(&self) -> bool {
        let low = self.queue.len() < self.settings.concurrency.max(1)
            || (self.blocked && self.queue.len() < MAX_QUEUED);
        low && !self.exhausted
            && self.taken < self.limit
            && self.claiming.is_none()
            && self.writing.is_none()
            && self.fatal.is_none()
            && !self.run.is_cancelled()
    }

    /// Starts claiming the next due units while the driver goes on: one write transaction, one due query,
    /// one multi-row claim ([`claimed`](Self::claimed) takes them in).
    pub(super) fn start_claim(&mut self) {
        let batch = (self.settings.concurrency * 4).clamp(8, 200);
        let want = (self.limit - self.taken).min(batch);
        let (work, owner, now) = (self.work.clone(), self.run.owner.clone(), self.run.now());
        let (ttl, company) = (chrono_ttl(self.settings.lease_ttl), self.run.ctx.company.clone());
        let (seen, db) = (self.seen.clone(), self.run.db.clone());
        let handle = tokio::spawn(async move {
            db.call(move |db| {
                db.write(|c| {
                    let paused: Vec<String> =
                        pauses::active(c, now)?.into_iter().map(|p| p.provider).collect();
                    let kind = work.kind();
                    leases::serialize_claims(c, kind)?;
                    let (due, keys) = fresh_due(&*work, c, &seen, want, |limit| DueQuery {
                        now,
                        limit,
                        company: company.as_deref(),
                        paused: &paused,
                        kind,
                    })?;
                    let mut taken: HashMap<String, Lease> =
                        leases::claim_many(c, kind, &keys, &owner, now, ttl)?
                            .into_iter()
                            .map(|lease| (lease.unit_key.clone(), lease))
                            .collect();
                    // In the due query's order (oldest due first).
                    let claimed: Vec<Claimed<W::Unit>> = due
                        .into_iter()
                        .zip(keys)
                        .filter_map(|(unit, key)| {
                            let lease = taken.remove(&key)?;
                            let pause_key = work.pause_key(&unit);
                            Some(Claimed {
                                unit,
                                lease,
                                pause_key,
                            })
                        })
                        .collect();
                    Ok((claimed, paused))
                })
            })
            .await
        });
        self.claiming = Some(handle);
    }

    /// Takes in the end of the claim in progress (`self.claiming` is cleared): its units queued. A batch
    /// that claimed nothing ends the run's claiming (nothing is due, or everything due was worked in this
    /// run).
    pub(super) fn claimed(
        &mut self,
        claimed: Result<ClaimedBatch<W::Unit>, tokio::task::JoinError>,
    ) -> Result<(), TaskError> {
        self.claiming = None;
        let claimed =
            claimed.map_err(|e| TaskError::new(ErrorClass::Fatal, format!("a claim failed: {e}")))?;
        let (claimed, paused) = claimed.map_err(db_error)?;
        self.paused.extend(paused);
        tracing::debug!(
            stage = self.run.stage,
            claimed = claimed.len(),
            queued = self.queue.len(),
            "claimed a batch"
        );
        // The units worked in this run were read past: every unit claimed is new to it.
        self.exhausted = claimed.is_empty();
        self.last_claim = tokio::time::Instant::now();
        self.taken += claimed.len();
        for claimed in claimed {
            self.queue.push(claimed);
        }
        self.blocked = false;
        Ok(())
    }

    /// The stage beside this one, when the runner found nothing due but that stage may still make units
    /// due, and when to look again at the latest.
    pub(super) fn upstream_poll(&self) -> (Option<CancellationToken>, tokio::time::Instant) {
        let waiting =
            self.exhausted && self.taken < self.limit && self.fatal.is_none() && !self.run.is_cancelled();
        let upstream = self.upstream.clone().filter(|_| waiting);
        (upstream, self.last_claim + UPSTREAM_POLL)
    }

    /// Time to look again (or the stage beside this one ended: one last look, then the run ends as any
    /// other).
    pub(super) fn upstream_looked(&mut self) {
        if self
            .upstream
            .as_ref()
            .is_some_and(CancellationToken::is_cancelled)
        {
            self.upstream = None;
        }
        self.exhausted = false;
    }

    /// The oldest queued unit of the pause key (provider) with the fewest units in flight, among those under
    /// their key's cap: every provider's own limits are then used from the start, rather than the first
    /// providers of the due order filling the stage's concurrency.
    /// `blocked` records a pick that found units queued, all of providers at their cap.
    pub(super) fn pick(&mut self) -> Option<Claimed<W::Unit>> {
        let (flying, work) = (&self.flying, &self.work);
        let next = self.queue.take(
            |key| flying.get(key).copied().unwrap_or(0),
            |key| work.max_in_flight(key),
        );
        self.blocked = next.is_none() && !self.queue.is_empty();
        next
    }
}

/// Up to `want` due units not worked in this run yet (`seen`), with their keys. The units worked in this
/// run are read past, not claimed again. They are due last (their next time was set in this run), so the
/// first read (`query(want)`) usually holds enough; a second reads past all of them.
fn fresh_due<'q, W: UnitWork>(
    work: &W,
    c: &mut pipeline_db::Conn,
    seen: &Mutex<HashSet<String>>,
    want: usize,
    query: impl Fn(usize) -> DueQuery<'q>,
) -> Result<(Vec<W::Unit>, Vec<String>), pipeline_db::DbError> {
    let mut limit = want;
    loop {
        let rows = work.due(c, &query(limit))?;
        let seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
        let more = rows.len() >= limit && limit < want.saturating_add(seen.len());
        let fresh: Vec<(W::Unit, String)> = rows
            .into_iter()
            .map(|unit| {
                let key = work.key(&unit);
                (unit, key)
            })
            .filter(|(_, key)| !seen.contains(key))
            .take(want)
            .collect();
        if fresh.len() >= want || !more {
            return Ok(fresh.into_iter().unzip());
        }
        limit = want.saturating_add(seen.len());
    }
}
