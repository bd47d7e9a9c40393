//! The `feedback` stage (docs/stages.md#feedback): inside its window (default 03:00–06:00 Europe/Madrid,
//! DST-aware) or with `--force-feedback`, one read of the tab; every row validated; resolution changes,
//! model feedback and the rows not taken applied in one transaction. Resolving a company deletes nothing: it
//! leaves discovery and ingestion and is aggregated again; a reversal brings it back. Best-effort.

use std::sync::Arc;

use async_trait::async_trait;
use pipeline_db::repo::feedback::{self as repo, NewFeedback, Rejection, ResolutionChange};
use pipeline_domain::config::{Config, FeedbackConfig};
use pipeline_domain::{Counter, ErrorClass};
use pipeline_engine::{Outcome, StageRun, Task, TaskError};
use pipeline_scoring::Catalog;
use pipeline_sheets::feedback::{SheetFeedback, read_feedback};
use pipeline_sheets::layout::{self, Header};
use pipeline_sheets::plan::a1;

use super::{SheetsAccess, count_calls, sheets_error};
use crate::BuildError;

/// The `feedback` stage.
pub struct FeedbackStage {
    access: Arc<SheetsAccess>,
    tab: String,
    window: FeedbackConfig,
    /// The catalog's strong threshold, for aggregating the companies whose resolution changed.
    strong: u8,
}

impl FeedbackStage {
    /// The stage for the configured spreadsheet and window; the configured catalog gives the strong
    /// threshold the companies whose resolution changed are aggregated with.
    pub fn new(config: &Config, access: Arc<SheetsAccess>) -> Result<Self, BuildError> {
        Ok(Self::with_catalog(
            config,
            access,
            &crate::configured_catalog(config)?,
        ))
    }

    /// [`FeedbackStage::new`] with the catalog already loaded.
    pub fn with_catalog(config: &Config, access: Arc<SheetsAccess>, catalog: &Catalog) -> Self {
        FeedbackStage {
            access,
            tab: config.sheets.tab.clone(),
            window: config.feedback.clone(),
            strong: catalog.scoring.strong_threshold,
        }
    }

    async fn apply(&self, run: &StageRun, grid: Vec<Vec<serde_json::Value>>) -> Result<Outcome, TaskError> {
        let has_data = grid.iter().skip(1).any(|row| !layout::is_blank(row));
        let header = layout::check_header(grid.first().map_or(&[][..], Vec::as_slice), has_data)
            .map_err(|e| TaskError::new(ErrorClass::Permanent, e.to_string()))?;
        run.count(Counter::RowsRead, grid.len().saturating_sub(1) as u64);
        if header == Header::Empty {
            return Ok(Outcome::Done);
        }
        let mut read = read_feedback(&grid);
        let ids: Vec<i64> = read.resolutions.iter().map(|r| r.company_id).collect();
        let stored = run
            .db
            .call(move |db| db.read(|c| repo::resolutions(c, &ids)))
            .await
            .map_err(|e| TaskError::from_error(&e))?;
        read.reject_unknown(|id| stored.contains_key(&id));
        let (changes, feedback, rejections) = to_writes(&read, |id| stored.get(&id).copied());
        run.count(Counter::FeedbackRejected, rejections.len() as u64);
        for r in &rejections {
            tracing::warn!(row = r.sheet_row, value = %r.value, reason = %r.reason, "feedback row not taken");
        }
        if run.ctx.dry_run {
            tracing::info!(
                resolution_changes = changes.len(),
                model_feedback = feedback.len(),
                "dry run: would apply these resolution changes and model feedback"
            );
            return Ok(Outcome::Done);
        }
        let (run_id, now) = (run.run_id, run.now());
        let applied = run
            .db
            .call(move |db| db.write(|c| repo::apply(c, &changes, &feedback, &rejections, Some(run_id), now)))
            .await
            .map_err(|e| TaskError::from_error(&e))?;
        run.count(Counter::ResolutionsChanged, applied.resolutions_changed);
        run.count(Counter::FeedbackStored, applied.feedback_stored);
        if applied.resolutions_changed > 0 {
            // Their metrics current in this cycle, not the next (defect 4).
            crate::scoring::aggregate_marked(run, self.strong).await?;
            tracing::info!(
                changed = applied.resolutions_changed,
                resolved = applied.resolved,
                reopened = applied.reopened,
                "resolutions applied from the sheet"
            );
        }
        Ok(Outcome::Done)
    }
}

/// What the sheet says, as DB writes: resolutions that differ from the stored ones (`stored`), model
/// feedback, rejections.
fn to_writes(
    read: &SheetFeedback,
    stored: impl Fn(i64) -> Option<pipeline_domain::Resolution>,
) -> (Vec<ResolutionChange>, Vec<NewFeedback>, Vec<Rejection>) {
    let changes = read
        .resolutions
        .iter()
        .filter_map(|cell| {
            let from = stored(cell.company_id)?;
            (from != cell.resolution).then_some(ResolutionChange {
                company_id: cell.company_id,
                row: cell.row,
                from,
                to: cell.resolution,
            })
        })
        .collect();
    let feedback = read
        .model
        .iter()
        .map(|m| NewFeedback {
            company_id: m.company_id,
            row: m.row,
            value: m.value.clone(),
            notes: m.notes.clone(),
        })
        .collect();
    let rejections = read
        .rejected
        .iter()
        .map(|r| Rejection {
            sheet_row: i32::try_from(r.row).unwrap_or(i32::MAX),
            company_id: r.company_id,
            value: r.value.clone(),
            reason: r.reason.clone(),
        })
        .collect();
    (changes, feedback, rejections)
}

#[async_trait]
impl Task for FeedbackStage {
    fn key(&self) -> &'static str {
        "feedback"
    }

    fn best_effort(&self) -> bool {
        true
    }

    async fn run(&self, run: &StageRun) -> Result<Outcome, TaskError> {
        if !self.access.configured() {
            return Ok(Outcome::Skipped("no sheets.spreadsheet_id configured".to_owned()));
        }
        let now = run.now();
        let open = self.window.is_open_at(now).map_err(TaskError::config)?;
        if !open && !run.ctx.force_feedback {
            return Ok(Outcome::Skipped(format!(
                "outside the feedback window {} {} (use --force-feedback to apply now)",
                self.window.window, self.window.timezone
            )));
        }
        let gateway = self.access.gateway().await.map_err(sheets_error)?;
        let before = gateway.stats();
        let grid = gateway.read(&a1(&self.tab, "A1:O")).await.map_err(sheets_error);
        count_calls(run, before, gateway.stats());
        self.apply(run, grid?).await
    }
}
