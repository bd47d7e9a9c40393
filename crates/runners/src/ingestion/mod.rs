//! The `ingestion` stage (docs/stages.md#ingestion): every due active board is a unit of the engine's
//! unit runner, keyed by board and paused by provider; its postings are fetched through the provider's
//! client (under the provider's throttle, conditional on the last complete fetch's validators) and written
//! with its schedule under the unit's fence ([`persist`](persist::persist)).

mod persist;
mod prepare;
mod regroup;
mod repost;
mod work;

use std::sync::Arc;

use async_trait::async_trait;
use pipeline_ats::AtsClients;
use pipeline_domain::config::Config;
use pipeline_domain::{Counter, Provider};
use pipeline_engine::{Outcome, SharedMode, StageRun, Task, TaskError, UnitSettings, run_units};
use pipeline_http::Throttles;

pub use persist::{persist, persist_prepared};
pub use prepare::{BoardPostings, PreparedBoard, content_hash};
pub use work::{BoardOutcome, FetchedBoard, IngestionWork};

use crate::Services;
use crate::rate_limits::RateLimitStreaks;

/// The `ingestion` stage.
pub struct IngestionStage {
    work: Arc<IngestionWork>,
    settings: UnitSettings,
    throttles: Throttles,
    detail_calls: u64,
}

impl IngestionStage {
    /// The stage with the shared clients and throttles of `services` and `[ingestion]`'s schedule.
    pub fn new(config: &Config, services: &Services) -> Self {
        // Enough units in flight to keep every enabled provider at its `max_concurrency`; each request
        // still waits for its provider's throttle.
        let concurrency: u32 = config
            .providers
            .iter()
            .filter(|(_, p)| p.enabled)
            .map(|(_, p)| p.max_concurrency.max(1))
            .sum();
        let settings = UnitSettings {
            concurrency: (concurrency as usize).clamp(1, 64),
            lease_ttl: config.runner.lock_ttl,
            pause_after_rate_limits: config.ingestion.pause_after_429.max(1),
            pause_for: config.ingestion.pause_for,
            max_wait: config.ingestion.max_retry_after,
        };
        // The stage runs beside discovery (docs/stages.md#discovery-and-ingestion-overlap): its own clients on
        // the shared connections and throttles, so that each stage counts only its own requests.
        let (api, pages) = (services.http.with_own_stats(), services.pages.with_own_stats());
        let detail_calls = u64::from(config.ingestion.detail_calls_per_cycle);
        let clients = AtsClients::from_config(
            config,
            &api,
            &pages,
            detail_calls,
            &services.throttles,
            &services.clock,
        );
        let work = IngestionWork {
            clients,
            throttles: services.throttles.clone(),
            streaks: RateLimitStreaks::new(
                config.ingestion.pause_after_429,
                config.ingestion.max_retry_after,
            ),
            api,
            pages,
            refresh_after: config.ingestion.refresh_after,
            details_refresh_after: config.ingestion.details_refresh_after,
            disabled: config
                .providers
                .iter()
                .filter(|(_, p)| !p.enabled)
                .map(|(provider, _)| provider.key().to_owned())
                .collect(),
            // Not `jsonld`: its limits are per company site, and its boards are all different sites.
            boards_in_flight: config
                .providers
                .iter()
                .filter(|(provider, _)| !provider.reads_company_sites())
                .map(|(provider, p)| (provider.key().to_owned(), 2 * p.max_concurrency.max(1) as usize))
                .collect(),
        };
        Self {
            work: Arc::new(work),
            settings,
            throttles: services.throttles.clone(),
            detail_calls,
        }
    }
}

#[async_trait]
impl Task for IngestionStage {
    fn key(&self) -> &'static str {
        "ingestion"
    }

    fn shared_mode(&self) -> SharedMode {
        SharedMode::Leased
    }

    /// Boards are fetched as discovery finds them: the providers are kept busy from the cycle's start.
    fn overlaps_previous(&self) -> bool {
        true
    }

    async fn run(&self, run: &StageRun) -> Result<Outcome, TaskError> {
        if run.ctx.dry_run {
            return Ok(Outcome::Skipped(
                "dry run: ingestion writes postings, skipped".into(),
            ));
        }
        self.work.clients.refill_budgets(self.detail_calls);
        self.work.streaks.clear();
        let live = crate::live_pauses::live_pauses(run).await?;
        let paused: Vec<Provider> = live.into_iter().map(|(provider, _)| provider).collect();
        self.throttles.close_only(&paused);
        run.progress.begin("ingestion", None);
        let clients = [&self.work.api, &self.work.pages];
        let before = clients.map(|c| c.stats().snapshot());
        let result = run_units(self.work.clone(), run, &self.settings).await;
        for (client, before) in clients.into_iter().zip(before) {
            crate::http_counters::count_http(run, client.stats().snapshot(), before);
        }
        run.progress.end();
        let counters = run.counters();
        run.count(Counter::BoardsFailed, counters.get(Counter::UnitsFailed));
        run.count(Counter::BoardsPaused, counters.get(Counter::UnitsPaused));
        result?;
        Ok(Outcome::Done)
    }
}
