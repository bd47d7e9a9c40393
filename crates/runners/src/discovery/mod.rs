//! The `discovery` stage (docs/stages.md#discovery): every due company with a website is a unit of the
//! engine's unit runner; its site is read, its boards found and validated by `pipeline_discovery::detect`,
//! and the boards with their evidence and the company's next check are written under the unit's fence.
//! `[[boards]]` entries are applied first.

mod work;

use std::sync::Arc;

use async_trait::async_trait;
use pipeline_db::repo::{boards, companies};
use pipeline_domain::BoardRef;
use pipeline_domain::config::{BoardDecl, Config};
use pipeline_engine::{Outcome, SharedMode, StageRun, Task, TaskError, UnitSettings, run_units};

pub use work::DiscoveryWork;

/// The `discovery` stage.
pub struct DiscoveryStage {
    work: Arc<DiscoveryWork>,
    settings: UnitSettings,
    declared: Vec<BoardDecl>,
}

impl DiscoveryStage {
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

    /// Adds or confirms the `[[boards]]` entries. An entry whose company is not in the database yet is
    /// reported (the directory may list it later); the references were checked when the config loaded.
    async fn declare(&self, run: &StageRun) -> Result<Vec<String>, TaskError> {
        let (declared, now) = (self.declared.clone(), run.now());
        run.db
            .call(move |db| {
                db.write(|c| {
                    let mut problems = Vec::new();
                    for decl in &declared {
                        let board: BoardRef = match decl.board.parse() {
                            Ok(board) => board,
                            Err(e) => {
                                problems.push(format!("[[boards]] {}: {e}", decl.board));
                                continue;
                            }
                        };
                        match companies::id_by_domain(c, &decl.company)? {
                            Some(id) => {
                                if let boards::Recorded::Conflict { owner } =
                                    boards::declare(c, id, &board, now)?
                                {
                                    problems.push(format!(
                                        "[[boards]] {board}: already owned by company {owner}"
                                    ));
                                }
                            }
                            None => {
                                problems.push(format!("[[boards]] {board}: no company `{}`", decl.company))
                            }
                        }
                    }
                    Ok(problems)
                })
            })
            .await
            .map_err(|e| TaskError::from_error(&e))
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
            // Discovery's outcome is what it writes; a dry run must not write (reporting only is to come).
            return Ok(Outcome::Skipped(
                "dry run: discovery writes boards, skipped".into(),
            ));
        }
        let problems = self.declare(run).await?;
        for problem in &problems {
            tracing::warn!(stage = "discovery", "{problem}");
        }
        run.progress.begin("discovery", None);
        let before = self.work.requests();
        let result = run_units(self.work.clone(), run, &self.settings).await;
        self.work.count_requests(run, before);
        run.progress.end();
        result?;
        Ok(match problems.first() {
            Some(first) => Outcome::Partial(format!(
                "{} [[boards]] entries not applied; first: {first}",
                problems.len()
            )),
            None => Outcome::Done,
        })
    }
}
