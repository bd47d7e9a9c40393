//! How the runner ends a unit: its outcome written under the fence together with the run's counters,
//! or its lease released unworked. Successes are written several at a time, one transaction for all, each
//! under its own fence (docs/stages.md#unit-runner).

use pipeline_db::repo::leases::{self, Fenced, Lease};
use pipeline_db::repo::runs;
use pipeline_domain::{Counter, RunCounters};

use super::{Done, Runner, db_error};
use crate::TaskError;
use crate::units::UnitWork;

impl<W: UnitWork> Runner<W> {
    /// Writes an outcome under the fence, with the run's counters (so rows and counters commit together),
    /// and releases the lease. `false` when the lease was lost and nothing was written.
    pub(super) async fn write_fenced(
        &mut self,
        lease: Lease,
        counter: Counter,
        record: impl FnOnce(&mut Fenced<'_>) -> Result<RunCounters, pipeline_db::DbError> + Send + 'static,
    ) -> Result<bool, TaskError> {
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

    /// Writes the outcomes of the units done, in one transaction: each under its fence (a unit whose lease
    /// was lost writes nothing), its lease released, and the run's counters saved once with them all, so
    /// that rows and counters commit together.
    pub(super) async fn write_done(&mut self) -> Result<(), TaskError> {
        if self.done.is_empty() {
            return Ok(());
        }
        let done = std::mem::take(&mut self.done);
        let (run, now, work) = (self.run.clone(), self.run.now(), self.work.clone());
        let (delta, written, lost) = run
            .db
            .clone()
            .call(move |db| {
                db.write(|c| {
                    let (mut delta, mut written, mut lost) = (RunCounters::default(), 0, Vec::new());
                    for Done { unit, lease, output } in done {
                        let Some(mut tx) = leases::fence(c, &lease, now)? else {
                            lost.push(lease.unit_key);
                            continue;
                        };
                        delta.merge(&work.record_success(&mut tx, &unit, output, now)?);
                        delta.add(Counter::UnitsOk, 1);
                        tx.release()?;
                        written += 1;
                    }
                    let mut total = run.counters();
                    total.merge(&delta);
                    runs::save_counters(c, run.run_id, &run.owner, &total)?;
                    Ok((delta, written, lost))
                })
            })
            .await
            .map_err(db_error)?;
        self.run.merge(&delta);
        self.report.ok += written;
        for key in lost {
            tracing::warn!(stage = self.run.stage, %key, "lease lost before the outcome was written; nothing written");
            self.report.lost += 1;
            self.run.count_skipped("lease_lost", 1);
        }
        Ok(())
    }

    pub(super) async fn release(&mut self, lease: Lease) -> Result<(), TaskError> {
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
        let leases: Vec<Lease> = self.queue.drain(..).map(|c| c.lease).collect();
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
