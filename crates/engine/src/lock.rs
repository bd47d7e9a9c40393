//! A held named lock, kept alive by a heartbeat task until released or dropped.

use std::sync::Arc;
use std::time::Duration;

use pipeline_db::Db;
use pipeline_db::repo::locks;
use pipeline_domain::Clock;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::EngineError;

/// A lock we hold. Its heartbeat renews the lock every `ttl / 3`; if the lock is lost (taken over after
/// expiring) the heartbeat fires `lost`, which cancels the cycle. Unit leases are not the lock's business:
/// the unit runner renews and releases its own, so a worker running several stages keeps each stage's.
#[derive(Debug)]
pub struct LockGuard {
    /// The lock's name.
    pub name: String,
    /// Us, as the lock row names its holder.
    pub owner: String,
    /// The stale lock we took over (its holder dead or its TTL passed), for the summary.
    pub took_over: Option<locks::LockRow>,
    /// The dead holder's runs marked `abandoned` by the takeover.
    pub abandoned_runs: usize,
    db: Db,
    heartbeat: Option<JoinHandle<()>>,
}

impl LockGuard {
    /// Takes `name` or reports who holds it until when.
    pub(crate) async fn acquire(
        db: &Db,
        clock: Arc<dyn Clock>,
        name: &str,
        owner: &str,
        ttl: Duration,
        lost: CancellationToken,
    ) -> Result<LockGuard, EngineError> {
        let chrono_ttl = chrono_ttl(ttl);
        let (n, o, now) = (name.to_owned(), owner.to_owned(), clock.now());
        let outcome = db
            .call(move |db| {
                db.write(|c| locks::try_acquire(c, &n, &o, now, chrono_ttl, &crate::process_is_dead))
            })
            .await?;
        let (took_over, abandoned_runs) = match outcome {
            locks::Acquire::Held(row) => {
                return Err(EngineError::LockHeld {
                    name: row.name,
                    owner: row.owner,
                    expires_at: row.expires_at,
                });
            }
            locks::Acquire::Acquired { took_over, abandoned } => (took_over, abandoned),
        };
        if let Some(old) = &took_over {
            tracing::warn!(lock = name, previous_owner = %old.owner, abandoned_runs, "took over a stale lock");
        }
        let heartbeat = tokio::spawn(heartbeat(
            db.clone(),
            clock,
            name.to_owned(),
            owner.to_owned(),
            ttl,
            lost,
        ));
        Ok(LockGuard {
            name: name.into(),
            owner: owner.into(),
            took_over,
            abandoned_runs,
            db: db.clone(),
            heartbeat: Some(heartbeat),
        })
    }

    /// Stops the heartbeat and deletes the lock.
    pub async fn release(mut self) -> Result<(), EngineError> {
        self.stop_heartbeat();
        let (name, owner) = (self.name.clone(), self.owner.clone());
        self.db
            .call(move |db| db.write(|c| locks::release(c, &name, &owner)))
            .await?;
        Ok(())
    }

    fn stop_heartbeat(&mut self) {
        if let Some(h) = self.heartbeat.take() {
            h.abort();
        }
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        self.stop_heartbeat();
    }
}

pub(crate) fn chrono_ttl(ttl: Duration) -> chrono::Duration {
    chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX)
}

async fn heartbeat(
    db: Db,
    clock: Arc<dyn Clock>,
    name: String,
    owner: String,
    ttl: Duration,
    lost: CancellationToken,
) {
    let mut tick = tokio::time::interval((ttl / 3).max(Duration::from_millis(100)));
    tick.tick().await;
    loop {
        tick.tick().await;
        let (n, o, now) = (name.clone(), owner.clone(), clock.now());
        let renewed = db
            .call(move |db| db.write(|c| locks::renew(c, &n, &o, now, chrono_ttl(ttl))))
            .await;
        match renewed {
            Ok(true) => tracing::trace!(lock = %name, "heartbeat"),
            Ok(false) => {
                tracing::error!(lock = %name, "lock lost to another owner; stopping");
                lost.cancel();
                return;
            }
            Err(e) => tracing::warn!(lock = %name, error = %e, "heartbeat failed; will retry"),
        }
    }
}
