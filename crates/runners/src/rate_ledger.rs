//! [`DbRateLedger`]: the fleet's rate ledger in the database (docs/ARCHITECTURE.md#politeness-across-workers),
//! which every process's provider throttles take their turns from.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;
use pipeline_db::Db;
use pipeline_db::repo::rate_ledger::{self, Reserved};
use pipeline_domain::{Clock, Provider};
use pipeline_http::{Grant, RateLedger};

/// The `rate_ledger` table as a [`RateLedger`]: a window of a provider's turns is one short write
/// transaction; a live pause of the provider (any process's) grants nothing.
#[derive(Debug, Clone)]
pub struct DbRateLedger {
    db: Db,
    /// The application's clock, which pauses are read against (turns are on the system clock).
    clock: Arc<dyn Clock>,
}

impl DbRateLedger {
    /// The ledger of `db`; pauses are read against `clock`.
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock }
    }
}

impl RateLedger for DbRateLedger {
    fn reserve(&self, provider: Provider, span: Duration) -> BoxFuture<'_, Result<Grant, String>> {
        let (db, now) = (self.db.clone(), self.clock.now());
        let span_us = i64::try_from(span.as_micros()).unwrap_or(i64::MAX).max(1);
        Box::pin(async move {
            let clock_us = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX));
            let reserved = db
                .call(move |db| db.write(|c| rate_ledger::reserve(c, provider.key(), span_us, clock_us, now)))
                .await
                .map_err(|e| e.to_string())?;
            Ok(match reserved {
                Reserved::Window { starts_at_us } => {
                    let since_epoch = u64::try_from(starts_at_us).unwrap_or_default();
                    Grant::Window(UNIX_EPOCH + Duration::from_micros(since_epoch))
                }
                Reserved::Paused => Grant::Paused,
            })
        })
    }
}
