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
use pipeline_db::repo::scoring::{self, ForAggregation, Metrics, Scored, ToScore};
use pipeline_domain::Counter;
use pipeline_domain::config::Config;
use pipeline_engine::{Outcome, StageRun, Task, TaskError};
use pipeline_scoring::{Catalog, CompiledCatalog, PostingForAggregation, aggregate};

use crate::BuildError;

/// Postings scored per transaction.
const SCORE_BATCH: i64 = 500;
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
        let catalog = if config.catalog.trim().is_empty() {
            CompiledCatalog::builtin()
        } else {
            let shown = |e: pipeline_scoring::CatalogError| {
                BuildError::Config(format!("catalog {}: {e}", config.catalog))
            };
            CompiledCatalog::new(&Catalog::load(std::path::Path::new(&config.catalog)).map_err(shown)?)
                .map_err(shown)?
        };
        Ok(Self {
            catalog: Arc::new(catalog),
        })
    }

    /// Scores every posting that needs it; returns how many.
    async fn score_all(&self, run: &StageRun) -> Result<u64, TaskError> {
        let version = self.catalog.version().to_owned();
        let (mut after, mut scored_total) = (0_i64, 0_u64);
        loop {
            if run.is_cancelled() {
                break;
            }
            let v = version.clone();
            let batch = run
                .db
                .call(move |db| db.read(|c| scoring::to_score(c, &v, after, SCORE_BATCH)))
                .await
                .map_err(|e| TaskError::from_error(&e))?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            let catalog = self.catalog.clone();
            let scored = tokio::task::spawn_blocking(move || score_batch(&catalog, &batch))
                .await
                .map_err(|e| TaskError::new(pipeline_domain::ErrorClass::Fatal, e.to_string()))?;
            let n = scored.len() as u64;
            if !run.ctx.dry_run {
                let (v, now) = (version.clone(), run.now());
                run.db
                    .call(move |db| db.write(|c| scoring::record(c, &scored, &v, now)))
                    .await
                    .map_err(|e| TaskError::from_error(&e))?;
            }
            scored_total += n;
            run.count(Counter::PostingsScored, n);
            run.progress.advance(n);
        }
        Ok(scored_total)
    }

    /// Computes the metrics of every company marked for it, in batches; returns how many.
    async fn aggregate_all(&self, run: &StageRun) -> Result<u64, TaskError> {
        let strong = self.catalog.rules().strong_threshold;
        let mut total = 0;
        loop {
            if run.is_cancelled() {
                break;
            }
            let now = run.now();
            let done = run
                .db
                .call(move |db| {
                    db.write(|c| {
                        let ids = scoring::to_aggregate(c, AGGREGATE_BATCH)?;
                        for &id in &ids {
                            let rows = scoring::for_aggregation(c, id)?;
                            scoring::record_metrics(c, id, &metrics(&rows, now, strong), now)?;
                        }
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
}

fn score_batch(catalog: &CompiledCatalog, batch: &[ToScore]) -> Vec<Scored> {
    batch
        .iter()
        .map(|p| {
            let result = catalog.score_posting(&p.title, &p.description);
            Scored {
                id: p.id,
                score: i32::from(result.score),
                strong: result.strong,
                top_category_id: result.top_category_id,
                explanation: serde_json::to_string(&result.explanation).unwrap_or_default(),
            }
        })
        .collect()
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
        run.progress.begin("scoring", None);
        self.score_all(run).await?;
        if !run.ctx.dry_run {
            self.aggregate_all(run).await?;
        }
        run.progress.end();
        Ok(Outcome::Done)
    }
}
