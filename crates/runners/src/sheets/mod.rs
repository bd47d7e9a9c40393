//! The `sheets` stage (docs/stages.md#sheets): the `Companies` tab kept in step with the DB in a handful of
//! API calls — one read of the tab, the plan of `pipeline_sheets::plan_sync`, column A read again right before
//! writing (a person may have sorted the rows meanwhile: then the plan is made again), one values
//! batchUpdate of the changed system-column blocks, appends in large batches, and the dropdowns on C and K.
//! Best-effort: a failure makes the cycle need attention, never stops it.

mod access;
pub mod feedback;
mod projection;

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use pipeline_domain::config::Config;
use pipeline_domain::{Counter, ErrorClass, Resolution};
use pipeline_engine::{Outcome, StageRun, Task, TaskError};
use pipeline_scoring::Catalog;
use pipeline_sheets::layout::{MODEL_FEEDBACK, col};
use pipeline_sheets::plan::{a1, plan_sync};
use pipeline_sheets::{GatewayStats, Provisioning, SheetsError, SheetsGateway, SyncPlan};
use serde_json::Value;

pub use access::SheetsAccess;
pub use feedback::FeedbackStage;
pub use projection::company_rows;

use crate::BuildError;

/// Rows per append call: 10,000 new companies take two calls.
const APPEND_BATCH: usize = 5_000;
/// Plans made again when column A changed under us before giving up for this cycle.
const REPLANS: usize = 2;

/// The `sheets` stage.
pub struct SheetsStage {
    access: Arc<SheetsAccess>,
    tab: String,
    min_score: f64,
    category_names: Arc<HashMap<String, String>>,
}

impl SheetsStage {
    /// The stage for the configured spreadsheet; the configured catalog gives the category names of
    /// column I.
    pub fn new(config: &Config, access: Arc<SheetsAccess>) -> Result<Self, BuildError> {
        Ok(Self::with_catalog(
            config,
            access,
            &crate::configured_catalog(config)?,
        ))
    }

    /// [`SheetsStage::new`] with the catalog already loaded.
    pub fn with_catalog(config: &Config, access: Arc<SheetsAccess>, catalog: &Catalog) -> Self {
        SheetsStage {
            access,
            tab: config.sheets.tab.clone(),
            min_score: config.sheets.min_score,
            category_names: Arc::new(category_names(catalog)),
        }
    }

    async fn sync(&self, run: &StageRun, gateway: &dyn SheetsGateway) -> Result<Outcome, TaskError> {
        let dry = run.ctx.dry_run;
        let tab_id = match gateway.tab_id(&self.tab).await.map_err(sheets_error)? {
            Some(id) => id,
            None if dry => return Ok(Outcome::Done),
            None => {
                tracing::info!(tab = %self.tab, "the tab does not exist: adding it");
                gateway.add_tab(&self.tab).await.map_err(sheets_error)?
            }
        };
        let range = a1(&self.tab, "A1:O");
        let (min_score, names) = (self.min_score, self.category_names.clone());
        let companies = run
            .db
            .call(move |db| db.read(|c| company_rows(c, None, &names)))
            .await
            .map_err(|e| TaskError::from_error(&e))?;
        let mut grid = gateway.read(&range).await.map_err(sheets_error)?;
        let mut attempt = 0;
        let plan = loop {
            let plan = plan_sync(&self.tab, &grid, &companies, min_score)
                .map_err(|e| TaskError::new(ErrorClass::Permanent, e.to_string()))?;
            // Only row writes depend on where rows are; the header and appends do not.
            if dry || plan.writes.len() == usize::from(plan.counts.header_written) {
                break plan;
            }
            let column = gateway.read(&a1(&self.tab, "A1:A")).await.map_err(sheets_error)?;
            if same_column_a(&grid, &column) {
                break plan;
            }
            attempt += 1;
            if attempt > REPLANS {
                return Err(TaskError::new(
                    ErrorClass::Transient,
                    "the sheet's rows kept moving while the sync was writing (someone sorting?): nothing written; next cycle tries again",
                ));
            }
            tracing::info!("column A changed since the read (rows moved): planning again");
            grid = gateway.read(&range).await.map_err(sheets_error)?;
        };
        report(run, &plan);
        if dry {
            tracing::info!(
                writes = plan.writes.len(),
                appends = plan.appends.len(),
                "dry run: would write these blocks and append these rows"
            );
            return Ok(Outcome::Done);
        }
        gateway.write(plan.writes).await.map_err(sheets_error)?;
        for batch in plan.appends.chunks(APPEND_BATCH) {
            gateway
                .append(&a1(&self.tab, "A:O"), batch.to_vec())
                .await
                .map_err(sheets_error)?;
            run.progress.advance(batch.len() as u64);
        }
        gateway
            .provision(Provisioning {
                tab_id,
                dropdowns: vec![
                    (
                        col::RESOLUTION,
                        Resolution::ALL.map(|r| r.as_str().to_owned()).to_vec(),
                    ),
                    (col::FEEDBACK, MODEL_FEEDBACK.map(str::to_owned).to_vec()),
                ],
                one_decimal: vec![col::METRICS],
            })
            .await
            .map_err(sheets_error)?;
        Ok(Outcome::Done)
    }
}

#[async_trait]
impl Task for SheetsStage {
    fn key(&self) -> &'static str {
        "sheets"
    }

    fn best_effort(&self) -> bool {
        true
    }

    async fn run(&self, run: &StageRun) -> Result<Outcome, TaskError> {
        if !self.access.configured() {
            return Ok(Outcome::Skipped("no sheets.spreadsheet_id configured".to_owned()));
        }
        let gateway = self.access.gateway().await.map_err(sheets_error)?;
        let before = gateway.stats();
        let result = self.sync(run, gateway.as_ref()).await;
        count_calls(run, before, gateway.stats());
        result
    }
}

/// The counters of a plan.
fn report(run: &StageRun, plan: &SyncPlan) {
    let c = plan.counts;
    run.count(Counter::RowsRead, c.rows_read);
    run.count(Counter::RowsUpdated, c.rows_updated);
    run.count(Counter::RowsUnchanged, c.rows_unchanged);
    run.count(Counter::RowsAppended, c.rows_appended);
    run.count_skipped("below_min_score", c.below_min_score);
    run.count_skipped("foreign_rows", c.rows_foreign);
}

/// The API calls of this run as counters.
pub(crate) fn count_calls(run: &StageRun, before: GatewayStats, after: GatewayStats) {
    run.count(Counter::Requests, after.requests.saturating_sub(before.requests));
    run.count(Counter::Http429, after.http_429.saturating_sub(before.http_429));
    run.count(Counter::Http5xx, after.http_5xx.saturating_sub(before.http_5xx));
}

/// A Sheets failure as the stage's error (credentials that cannot work are a configuration problem, but the
/// stage is best-effort: it fails, the cycle goes on).
pub(crate) fn sheets_error(error: SheetsError) -> TaskError {
    use pipeline_domain::Classify;
    let class = match error.class() {
        ErrorClass::Fatal => ErrorClass::Permanent,
        other => other,
    };
    TaskError::new(class, error.to_string())
}

/// Whether column A as read again (`column`, one cell per row) is what the full read held.
fn same_column_a(grid: &[Vec<Value>], column: &[Vec<Value>]) -> bool {
    let text = |row: Option<&Vec<Value>>| pipeline_sheets::layout::cell_text(row.and_then(|r| r.first()));
    let rows = grid.len().max(column.len());
    (0..rows).all(|r| text(grid.get(r)) == text(column.get(r)))
}

/// The catalog's category names by id (column I shows names).
pub(crate) fn category_names(catalog: &Catalog) -> HashMap<String, String> {
    catalog
        .categories
        .iter()
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect()
}
