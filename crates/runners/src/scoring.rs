//! The `scoring` stage (docs/stages.md#scoring): every posting that is new, changed, or scored with another
//! catalog version is scored against the configured catalog (in batches, one transaction each, resumable:
//! a batch written is never scored again for the same version), and every company whose postings, scores
//! or resolution changed gets its metrics computed again (docs/stages.md#aggregation). A changed catalog
//! file has another version (its content hash), so the next cycle rescores everything, with no command to
//! remember.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pipeline_db::repo::runs;
use pipeline_db::repo::scoring::{self, ForAggregation, Metrics, Scored, ToScore};
use pipeline_domain::Counter;
use pipeline_domain::config::Config;
use pipeline_engine::{Outcome, StageRun, Task, TaskError};
use pipeline_scoring::{Catalog, CompiledCatalog, PostingForAggregation, aggregate};

use crate::BuildError;

/// Postings scored per transaction.
const SCORE_BATCH: usize = 500;
/// Companies aggregated per transaction.
const AGGREGATE_BATCH: i64 = 200;

/// The `scoring` stage.
pub struct ScoringStage {
    catalog: Arc<CompiledCatalog>,
}

impl ScoringStage {
    /// The configured catalog (`catalog`, else the built-in one), compiled; a catalog that does not load is
    /// a configuration error.
    pub fn from_config(config: &Config) -> Result<Self, BuildError> {
        Self::with_catalog(config, &crate::configured_catalog(config)?)
    }

    /// [`ScoringStage::from_config`] with the catalog already loaded (`config` names it in errors).
    pub fn with_catalog(config: &Config, catalog: &Catalog) -> Result<Self, BuildError> {
        let catalog = CompiledCatalog::new(catalog)
            .map_err(|e| BuildError::Config(format!("catalog {}: {e}", config.catalog)))?;
        Ok(Self {
            catalog: Arc::new(catalog),
        })
    }

    /// Scores every posting that needs it, in batches; returns how many. A batch is scored on every core
    /// while the one before it is written, so the CPU and the database work at once.
    async fn score_all(&self, run: &StageRun) -> Result<u64, TaskError> {
        let version = self.catalog.version().to_owned();
        let v = version.clone();
        let ids = run
            .db
            .call(move |db| db.read(|c| scoring::to_score_ids(c, &v)))
            .await
            .map_err(|e| TaskError::from_error(&e))?;
        run.progress.begin("scoring", Some(ids.len() as u64));
        let (mut writing, mut total) = (None, 0);
        for chunk in ids.chunks(SCORE_BATCH) {
            if run.is_cancelled() {
                break;
            }
            let (v, chunk) = (version.clone(), chunk.to_vec());
            let batch = run
                .db
                .call(move |db| db.read(|c| scoring::to_score(c, &v, &chunk)))
                .await
                .map_err(|e| TaskError::from_error(&e))?;
            let catalog = self.catalog.clone();
            let scored = tokio::task::spawn_blocking(move || score_batch(&catalog, &batch))
                .await
                .map_err(|e| TaskError::new(pipeline_domain::ErrorClass::Fatal, e.to_string()))?;
            total += finish_write(run, writing.take()).await?;
            writing = Some(start_write(run, scored, &version));
        }
        total += finish_write(run, writing).await?;
        Ok(total)
    }

    /// Computes the metrics of every company marked for it, in batches; returns how many.
    async fn aggregate_all(&self, run: &StageRun) -> Result<u64, TaskError> {
        aggregate_marked(run, self.catalog.rules().strong_threshold).await
    }
}

/// Computes the metrics of every company marked for aggregation (its postings, scores or resolution
/// changed), in batches of one transaction each that also save the run's counters; `strong` is the
/// catalog's strong threshold. The feedback stage calls it too, so a company whose resolution changed has
/// current metrics in the same cycle.
pub(crate) async fn aggregate_marked(run: &StageRun, strong: u8) -> Result<u64, TaskError> {
    let mut total = 0;
    loop {
        if run.is_cancelled() {
            break;
        }
        let now = run.now();
        let (run_id, owner, counters) = (run.run_id, run.owner.clone(), run.counters());
        let done = run
            .db
            .call(move |db| {
                db.write(|c| {
                    let ids = scoring::to_aggregate(c, AGGREGATE_BATCH)?;
                    for &id in &ids {
                        let rows = scoring::for_aggregation(c, id)?;
                        scoring::record_metrics(c, id, &metrics(&rows, now, strong), now)?;
                    }
                    let mut counters = counters;
                    counters.add(Counter::CompaniesAggregated, ids.len() as u64);
                    runs::save_counters(c, run_id, &owner, &counters)?;
                    Ok(ids.len() as u64)
                })
            })
            .await
            .map_err(|e| TaskError::from_error(&e))?;
        if done == 0 {
            break;
        }
        total += done;
        run.count(Counter::CompaniesAggregated, done);
    }
    Ok(total)
}

/// A batch of scores on its way into the database: `None` in a dry run.
struct Writing {
    handle: Option<tokio::task::JoinHandle<Result<bool, pipeline_db::DbError>>>,
    scored: u64,
}

/// Starts writing a scored batch in one transaction, with the run's counters as they will be once it is
/// written: a crash loses neither, and a killed run's count plus the next run's is every posting once.
fn start_write(run: &StageRun, scored: Vec<Scored>, version: &str) -> Writing {
    let n = scored.len() as u64;
    let handle = (!run.ctx.dry_run).then(|| {
        let (db, version, now) = (run.db.clone(), version.to_owned(), run.now());
        let (id, owner, mut counters) = (run.run_id, run.owner.clone(), run.counters());
        counters.add(Counter::PostingsScored, n);
        tokio::task::spawn_blocking(move || {
            db.write(|c| {
                scoring::record(c, &scored, &version, now)?;
                runs::save_counters(c, id, &owner, &counters)
            })
        })
    });
    Writing { handle, scored: n }
}

/// Waits for a batch's write; counts it once committed. Returns how many postings it scored.
async fn finish_write(run: &StageRun, writing: Option<Writing>) -> Result<u64, TaskError> {
    let Some(Writing { handle, scored }) = writing else {
        return Ok(0);
    };
    if let Some(handle) = handle {
        handle
            .await
            .map_err(|e| TaskError::new(pipeline_domain::ErrorClass::Fatal, e.to_string()))?
            .map_err(|e| TaskError::from_error(&e))?;
    }
    run.count(Counter::PostingsScored, scored);
    run.progress.advance(scored);
    Ok(scored)
}

/// Scores a batch on every core (the postings split evenly between threads), in batch order.
fn score_batch(catalog: &CompiledCatalog, batch: &[ToScore]) -> Vec<Scored> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let size = batch.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let parts: Vec<_> = batch
            .chunks(size)
            .map(|part| scope.spawn(move || part.iter().map(|p| score_one(catalog, p)).collect::<Vec<_>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| {
                part.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

fn score_one(catalog: &CompiledCatalog, posting: &ToScore) -> Scored {
    let result = catalog.score_posting(&posting.title, &posting.description);
    Scored {
        id: posting.id,
        company_id: posting.company_id,
        score: i32::from(result.score),
        strong: result.strong,
        top_category_id: result.top_category_id,
        explanation: serde_json::to_string(&result.explanation).unwrap_or_default(),
    }
}

/// A company's metrics from its postings' rows. An open posting was last seen now (its board is read
/// every cycle); a closed one when it closed.
fn metrics(rows: &[ForAggregation], now: DateTime<Utc>, strong: u8) -> Metrics {
    let postings: Vec<PostingForAggregation> = rows
        .iter()
        .map(|r| PostingForAggregation {
            id: r.id,
            canonical_id: r.canonical_id,
            repost_count: u32::try_from(r.repost_count).unwrap_or(0),
            published_at: r.published_at,
            updated_at: r.source_updated_at,
            first_seen_at: r.first_seen_at,
            last_seen_at: r.closed_at.unwrap_or(now).max(r.changed_at),
            closed_at: r.closed_at,
            score: r.score.and_then(|s| u8::try_from(s).ok()),
            top_category_id: r.top_category_id.clone(),
        })
        .collect();
    let a = aggregate(&postings, now, strong);
    let count = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    let categories: BTreeMap<&String, u8> = a.category_max_scores.iter().map(|(k, v)| (k, *v)).collect();
    Metrics {
        max_score: f64::from(a.max_score),
        offer_count: count(a.offer_count),
        unique_offer_count: count(a.unique_offer_count),
        strong_offer_count: count(a.strong_offer_count),
        open_offer_count: count(a.open_offer_count),
        new_offers_30d: count(a.new_offers_30d),
        closed_offers_30d: count(a.closed_offers_30d),
        avg_strong_score: a.avg_strong_score,
        top_category_id: a.top_category_id,
        top_offer_id: a.top_offer_id,
        category_max_scores: serde_json::to_string(&categories).unwrap_or_else(|_| "{}".to_owned()),
        last_strong_at: a.last_strong_at,
        first_seen_at: a.first_seen_at,
        last_seen_at: a.last_seen_at,
    }
}

#[async_trait]
impl Task for ScoringStage {
    fn key(&self) -> &'static str {
        "scoring"
    }

    async fn run(&self, run: &StageRun) -> Result<Outcome, TaskError> {
        self.score_all(run).await?;
        if !run.ctx.dry_run {
            self.aggregate_all(run).await?;
        }
        run.progress.end();
        Ok(Outcome::Done)
    }
}
