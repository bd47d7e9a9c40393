//! How the runner ends a unit: its outcome written under the fence together with the run's counters,
//! or its lease released unworked. Successes are written several at a time, one transaction for all, each
//! under its own fence (docs/stages.md#unit-runner).

use pipeline_db::repo::leases::{self, Fenced, Lease};
use pipeline_db::repo::runs;
use pipeline_domain::{Counter, ErrorClass, RunCounters};

use super::{Done, Runner, db_error};
use crate::TaskError;
use crate::units::UnitWork;

/// What a write of outcomes came to.
pub(super) type Written = Result<WriteOutcome, pipeline_db::DbError>;

/// The outcomes a write committed.
#[derive(Default)]
pub(super) struct WriteOutcome {
    /// The counters they add to the run.
    delta: RunCounters,
    /// Outcomes written.
    written: u64,
    /// Units whose lease was lost: nothing written for them.
    lost: Vec<String>,
}

impl<W: UnitWork> Runner<W> {
    /// Writes an outcome under the fence, with the run's counters (so rows and counters commit together),
    /// and releases the lease. `false` when the lease was lost and nothing was written.
    pub(super) async fn write_fenced(
        &mut self,
        lease: Lease,
        counter: Counter,
        record: impl FnOnce(&mut Fenced<'_>) -> Result<RunCounters, pipeline_db::DbError> + Send + 'static,
    ) -> Result<bool, TaskError> {
        self.wait_db().await?;
        let (run, now) = (self.run.clone(), self.run.now());
        let key = lease.unit_key.clone();
        let delta = run
            .db
            .clone()
            .call(move |db| {
                db.write(|c| {
                    let Some(mut tx) = leases::fence(c, &lease, now)? else {
                        return Ok(None);
                    };
                    let mut delta = record(&mut tx)?;
                    delta.add(counter, 1);
                    let mut total = run.counters();
                    total.merge(&delta);
                    runs::save_counters(tx.conn(), run.run_id, &run.owner, &total)?;
                    tx.release()?;
                    Ok(Some(delta))
                })
            })
            .await
            .map_err(db_error)?;
        match delta {
            Some(delta) => {
                self.run.merge(&delta);
                Ok(true)
            }
            None => {
                tracing::warn!(stage = self.run.stage, %key, "lease lost before the outcome was written; nothing written");
                self.report.lost += 1;
                self.run.count_skipped("lease_lost", 1);
                Ok(false)
            }
        }
    }

    /// Outcomes in the write in progress.
    pub(super) fn writing_len(&self) -> usize {
        self.writing.as_ref().map_or(0, |(_, n)| *n)
    }

    /// Starts writing the outcomes of the units done, in one transaction, while the driver goes on: each
    /// under its fence (a unit whose lease was lost writes nothing), its lease released, and the run's
    /// counters saved once with them all, so that rows and counters commit together. Every other write
    /// waits for it first ([`wait_db`](Self::wait_db)): one at a time, counters in order.
    pub(super) fn start_write(&mut self) {
        let done = std::mem::take(&mut self.done);
        let n = done.len();
        let (run, work) = (self.run.clone(), self.work.clone());
        let handle = tokio::spawn(async move {
            let now = run.now();
            let db = run.db.clone();
            db.call(move |db| {
                db.write(|c| {
                    let mut out = WriteOutcome::default();
                    for Done { unit, lease, output } in done {
                        let Some(mut tx) = leases::fence(c, &lease, now)? else {
                            out.lost.push(lease.unit_key);
                            continue;
                        };
                        out.delta
                            .merge(&work.record_success(&mut tx, &unit, output, now)?);
                        out.delta.add(Counter::UnitsOk, 1);
                        tx.release()?;
                        out.written += 1;
                    }
                    let mut total = run.counters();
                    total.merge(&out.delta);
                    runs::save_counters(c, run.run_id, &run.owner, &total)?;
                    Ok(out)
                })
            })
            .await
        });
        self.writing = Some((handle, n));
    }

    /// Takes in the end of the write in progress (`self.writing` is cleared).
    pub(super) fn written(
        &mut self,
        written: Result<Written, tokio::task::JoinError>,
    ) -> Result<(), TaskError> {
        self.writing = None;
        let written = written
            .map_err(|e| TaskError::new(ErrorClass::Fatal, format!("an outcome write failed: {e}")))?;
        let out = written.map_err(db_error)?;
        self.run.merge(&out.delta);
        self.report.ok += out.written;
        for key in out.lost {
            tracing::warn!(stage = self.run.stage, %key, "lease lost before the outcome was written; nothing written");
            self.report.lost += 1;
            self.run.count_skipped("lease_lost", 1);
        }
        Ok(())
    }

    /// Waits for the database work in progress, if any (an outcome write, a claim: one at a time), and
    /// takes it in: any other write comes after it.
    pub(super) async fn wait_db(&mut self) -> Result<(), TaskError> {
        if let Some((handle, _)) = self.writing.take() {
            self.written(handle.await)?;
        }
        if let Some(handle) = self.claiming.take() {
            self.claimed(handle.await)?;
        }
        Ok(())
    }

    pub(super) async fn release(&mut self, lease: Lease) -> Result<(), TaskError> {
        self.wait_db().await?;
        self.report.released += 1;
        self.run
            .db
            .call(move |db| db.write(|c| leases::release(c, &lease)))
            .await
            .map_err(db_error)?;
        Ok(())
    }

    /// Releases the claimed units that were never started.
    pub(super) async fn release_queued(&mut self) -> Result<(), TaskError> {
        self.wait_db().await?;
        let leases: Vec<Lease> = self.queue.drain().into_iter().map(|c| c.lease).collect();
        self.report.released += leases.len() as u64;
        self.run
            .db
            .call(move |db| {
                db.write(|c| {
                    for lease in &leases {
                        leases::release(c, lease)?;
                    }
                    Ok(())
                })
            })
            .await
            .map_err(db_error)
    }
}
