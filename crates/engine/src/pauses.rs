//! Provider pauses through the engine's clock: set by hand (`pause`/`resume`) or by stages when a provider
//! keeps rate-limiting; checked before claiming a provider's units; expired pauses clear themselves.

use std::time::Duration;

use pipeline_db::repo::pauses::{self, PauseRow};

use crate::{Engine, EngineError};

impl Engine {
    /// Pauses `provider` for `duration`.
    pub async fn pause_provider(
        &self,
        provider: &str,
        duration: Duration,
        reason: Option<&str>,
    ) -> Result<PauseRow, EngineError> {
        let now = self.clock().now();
        let until = now + crate::lock::chrono_ttl(duration);
        let (p, r) = (provider.to_owned(), reason.map(str::to_owned));
        self.db()
            .call(move |db| db.write(|c| pauses::set(c, &p, until, r.as_deref(), now)))
            .await?;
        Ok(PauseRow {
            provider: provider.into(),
            paused_until: until,
            reason: reason.map(Into::into),
            set_at: now,
        })
    }

    /// Lifts a pause; `false` when the provider was not paused.
    pub async fn resume_provider(&self, provider: &str) -> Result<bool, EngineError> {
        let (p, now) = (provider.to_owned(), self.clock().now());
        Ok(self
            .db()
            .call(move |db| db.write(|c| pauses::clear(c, &p, now)))
            .await?)
    }

    /// The live pause of `provider`, if any.
    pub async fn provider_pause(&self, provider: &str) -> Result<Option<PauseRow>, EngineError> {
        let (p, now) = (provider.to_owned(), self.clock().now());
        Ok(self
            .db()
            .call(move |db| db.write(|c| pauses::active_for(c, &p, now)))
            .await?)
    }

    /// Every live pause.
    pub async fn active_pauses(&self) -> Result<Vec<PauseRow>, EngineError> {
        let now = self.clock().now();
        Ok(self
            .db()
            .call(move |db| db.write(|c| pauses::active(c, now)))
            .await?)
    }
}
