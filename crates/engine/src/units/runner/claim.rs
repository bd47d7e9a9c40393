//! How the runner claims its units: a batch of due units in one write transaction, with one due query and
//! one multi-row claim (docs/ARCHITECTURE.md#two-database-backends).

use std::collections::HashMap;

use pipeline_db::repo::leases::{self, Lease};
use pipeline_db::repo::pauses;
use tokio_util::sync::CancellationToken;

use super::{Claimed, Runner, UPSTREAM_POLL, db_error};
use crate::TaskError;
use crate::lock::chrono_ttl;
use crate::units::{DueQuery, UnitWork};

/// Claimed units waiting to start, beyond which the runner claims no further for providers at their cap.
const MAX_QUEUED: usize = 400;

impl<W: UnitWork> Runner<W> {
    /// Claims the next due units in one write transaction: one due query, one multi-row claim. The batch ends the run's claiming when nothing
    /// is due, or when everything due was already worked in this run.
    pub(super) async fn claim_batch(&mut self) -> Result<(), TaskError> {
        let batch = (self.settings.concurrency * 4).clamp(8, 200);
        let want = (self.limit - self.taken).min(batch);
        let (work, owner, now) = (self.work.clone(), self.run.owner.clone(), self.run.now());
        let (ttl, company) = (chrono_ttl(self.settings.lease_ttl), self.run.ctx.company.clone());
        let seen = self.seen.clone();
        let (claimed, paused) = self
            .run
            .db
            .call(move |db| {
                db.write(|c| {
                    let paused: Vec<String> =
                        pauses::active(c, now)?.into_iter().map(|p| p.provider).collect();
                    let kind = work.kind();
                    leases::serialize_claims(c, kind)?;
                    // The units worked in this run are read past, not claimed again: `want` of the others.
                    // They are due last (their next time was set in this run), so the first read
                    // usually holds enough; a second reads past all of them.
                    let mut limit = want;
                    let (due, keys): (Vec<W::Unit>, Vec<String>) = loop {
                        let query = DueQuery {
                            now,
                            limit,
                            company: company.as_deref(),
                            paused: &paused,
                            kind,
                        };
                        let rows = work.due(c, &query)?;
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
                            break fresh.into_iter().unzip();
                        }
                        limit = want.saturating_add(seen.len());
                    };
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
            .map_err(db_error)?;
        self.paused.extend(paused);
        tracing::debug!(
            stage = self.run.stage,
            want,
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

    pub(super) async fn next_unit(&mut self) -> Result<Option<Claimed<W::Unit>>, TaskError> {
        if self.queue.is_empty() && !self.exhausted && self.taken < self.limit {
            self.wait_writing().await?;
            self.claim_batch().await?;
        }
        let mut next = self.pick();
        // Every queued unit's provider is at its cap: claim further (within a bound) for other providers'.
        if next.is_none()
            && !self.queue.is_empty()
            && self.queue.len() < MAX_QUEUED
            && !self.exhausted
            && self.taken < self.limit
        {
            self.wait_writing().await?;
            self.claim_batch().await?;
            next = self.pick();
        }
        Ok(next)
    }

    /// The oldest queued unit of the pause key (provider) with the fewest units in flight, among those under
    /// their key's cap: every provider's own limits are then used from the start, rather than the first
    /// providers of the due order filling the stage's concurrency.
    fn pick(&mut self) -> Option<Claimed<W::Unit>> {
        let (flying, work) = (&self.flying, &self.work);
        self.queue.take(
            |key| flying.get(key).copied().unwrap_or(0),
            |key| work.max_in_flight(key),
        )
    }
}
