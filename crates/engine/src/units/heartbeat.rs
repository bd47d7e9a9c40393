//! The unit runner's lease heartbeat: renews this owner's leases of one kind every ttl/3 while units are
//! in flight, whether or not a lock is held (`forever --shared` holds none).

use std::sync::Arc;
use std::time::Duration;

use pipeline_db::Db;
use pipeline_db::repo::leases;
use pipeline_domain::Clock;
use tokio::task::JoinHandle;

/// Stops renewing when dropped.
#[derive(Debug)]
pub(crate) struct LeaseHeartbeat(JoinHandle<()>);

impl LeaseHeartbeat {
    pub(crate) fn start(
        db: Db,
        clock: Arc<dyn Clock>,
        kind: &'static str,
        owner: String,
        ttl: Duration,
    ) -> LeaseHeartbeat {
        LeaseHeartbeat(tokio::spawn(async move {
            let mut tick = tokio::time::interval((ttl / 3).max(Duration::from_millis(100)));
            tick.tick().await;
            loop {
                tick.tick().await;
                let (o, now) = (owner.clone(), clock.now());
                let renewed = db
                    .call(move |db| {
                        db.write(|c| leases::renew(c, kind, &o, now, crate::lock::chrono_ttl(ttl)))
                    })
                    .await;
                match renewed {
                    Ok(n) => tracing::trace!(kind, leases = n, "lease heartbeat"),
                    Err(e) => tracing::warn!(kind, error = %e, "lease heartbeat failed; will retry"),
                }
            }
        }))
    }
}

impl Drop for LeaseHeartbeat {
    fn drop(&mut self) {
        self.0.abort();
    }
}
