//! The provider pauses live when a stage starts (expired ones cleared), read the same way by every stage
//! that calls providers (docs/stages.md#pauses).

use chrono::{DateTime, Utc};
use pipeline_db::repo::pauses;
use pipeline_domain::Provider;
use pipeline_engine::{StageRun, TaskError};

/// The live pauses as (provider, paused until); a pause naming no known provider is ignored.
pub(crate) async fn live_pauses(run: &StageRun) -> Result<Vec<(Provider, DateTime<Utc>)>, TaskError> {
    let now = run.now();
    let live = run
        .db
        .call(move |db| db.write(|c| pauses::active(c, now)))
        .await
        .map_err(|e| TaskError::from_error(&e))?;
    Ok(live
        .into_iter()
        .filter_map(|p| Some((Provider::parse(&p.provider)?, p.paused_until)))
        .collect())
}
