//! The `discovery` stage (docs/stages.md#discovery): every due company with a website is a unit of the
//! engine's unit runner; its site is read, its boards found and validated by `pipeline_discovery::detect`,
//! and the boards with their evidence and the company's next check are written under the unit's fence.
//! `[[boards]]` entries are applied first.

mod declared;
mod dry_run;
mod pausing;
mod work;

use std::sync::Arc;

use async_trait::async_trait;
use pipeline_domain::Counter;
use pipeline_domain::config::{BoardDecl, Config};
use pipeline_engine::{Outcome, SharedMode, StageRun, Task, TaskError, UnitSettings, run_units};

pub use pausing::{PauseBoard, PauseRules};
pub use work::DiscoveryWork;

/// The `discovery` stage.
pub struct DiscoveryStage {
    work: Arc<DiscoveryWork>,
    settings: UnitSettings,
    declared: Vec<BoardDecl>,
}

impl DiscoveryStage {
    /// The stage over `work`, with `[discovery]`'s concurrency and the engine's unit settings.
    pub fn new(work: DiscoveryWork, config: &Config) -> Self {
        let settings = UnitSettings {
            concurrency: config.discovery.concurrency.max(1) as usize,
            lease_ttl: config.runner.lock_ttl,
            pause_after_rate_limits: config.ingestion.pause_after_429,
            pause_for: config.ingestion.pause_for,
            max_wait: config.ingestion.max_retry_after,
        };
        Self {
            work: Arc::new(work),
            settings,
            declared: config.boards.clone(),
        }
    }
}

#[async_trait]
impl Task for DiscoveryStage {
    fn key(&self) -> &'static str {
        "discovery"
    }

    fn shared_mode(&self) -> SharedMode {
        SharedMode::Leased
    }

    async fn run(&self, run: &StageRun) -> Result<Outcome, TaskError> {
        if run.ctx.dry_run {
            if !self.declared.is_empty() {
                tracing::info!(
                    stage = "discovery",
                    "dry run: {} [[boards]] entries not applied",
                    self.declared.len()
                );
            }
            return dry_run::run(&self.work, run, self.settings.concurrency).await;
        }
        let problems = declared::apply(
            &self.declared,
            &self.work.clients,
            self.work.recheck_boards_after,
            run,
        )
        .await?;
        for problem in &problems {
            tracing::warn!(stage = "discovery", "{problem}");
        }
        self.work
            .pauses
            .start(crate::live_pauses::live_pauses(run).await?);
        run.progress.begin("discovery", None);
        let before = self.work.requests();
        let result = run_units(self.work.clone(), run, &self.settings).await;
        self.work.count_requests(run, before);
        // A company whose site could not be read was checked too, and errored.
        let failed = run.counters().get(Counter::UnitsFailed);
        run.count(Counter::Errored, failed);
        run.count(Counter::CompaniesChecked, failed);
        run.progress.end();
        result?;
        Ok(match problems.first() {
            Some(first) => Outcome::Partial(format!(
                "{} [[boards]] entries need attention; first: {first}",
                problems.len()
            )),
            None => Outcome::Done,
        })
    }
}
