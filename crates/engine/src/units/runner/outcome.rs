//! How the runner ends a unit: its outcome written under the fence together with the run's counters,
//! or its lease released unworked.

use pipeline_db::repo::leases::{self, Fenced, Lease};
use pipeline_db::repo::runs;
use pipeline_domain::{Counter, RunCounters};

use super::{Runner, db_error};
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
