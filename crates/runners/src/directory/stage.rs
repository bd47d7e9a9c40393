//! The directory stage as an engine task.

use std::sync::Arc;

use async_trait::async_trait;
use pipeline_db::repo::companies::{self, UpsertKind};
use pipeline_db::repo::{events, runs};
use pipeline_directory::{DirectorySource, SourceError, SourceItem};
use pipeline_domain::text::echo;
use pipeline_domain::{CompanyInput, Counter, RunCounters, Stage};
use pipeline_engine::{Outcome, StageRun, Task, TaskError};
use pipeline_http::HttpStats;
use tokio::sync::mpsc;

/// Rows written per transaction (with the run's counters, so a crash or an interruption never leaves rows
/// written but not counted): large enough to amortise the commit, small enough that a crash loses little
/// and the progress bar moves.
const BATCH: usize = 1000;

/// `--company DOMAIN`: only that company's rows are loaded.
fn wanted(input: &CompanyInput, company: Option<&str>) -> bool {
    let Some(wanted) = company else { return true };
    let wanted = wanted.trim().trim_start_matches("www.").to_ascii_lowercase();
    input.website_domain.as_deref() == Some(wanted.as_str())
}

/// The `directory` stage.
pub struct DirectoryStage {
    sources: Vec<Arc<dyn DirectorySource>>,
    exclude_domains: Vec<String>,
    http_stats: Option<Arc<HttpStats>>,
}

impl DirectoryStage {
    /// A stage loading every company of `sources` (read one after the other), leaving out the domains of
    /// `exclude_domains` and their subdomains.
    pub fn new(sources: Vec<Arc<dyn DirectorySource>>, exclude_domains: Vec<String>) -> Self {
        Self {
            sources,
            exclude_domains,
            http_stats: None,
        }
    }

    /// Counts the requests of the client the sources share into the run (`requests`, `http_429`,
    /// `http_5xx`).
    pub fn with_http_stats(mut self, stats: Arc<HttpStats>) -> Self {
        self.http_stats = Some(stats);
        self
    }

    fn count_requests(&self, run: &StageRun, before: (u64, u64, u64)) {
        let Some(stats) = &self.http_stats else { return };
        crate::http_counters::count_http(run, stats.snapshot(), before);
    }

    /// Reads one source into the DB. On a signal the reader is dropped at once (a slow site must not hold
    /// the shutdown) while the writer finishes the batch in flight, so its rows and counters commit together.
    async fn load(&self, source: &dyn DirectorySource, run: &StageRun) -> Result<(), TaskError> {
        let (tx, rx) = mpsc::channel(4 * BATCH);
        let read = async {
            tokio::select! {
                read = source.read(tx) => read,
                () = run.cancel.cancelled() => Err(SourceError::Stopped),
            }
        };
        let (read, write) = tokio::join!(read, self.consume(source.name(), rx, run));
        write?;
        match read {
            Ok(()) | Err(SourceError::Stopped) => Ok(()),
            Err(e) => Err(TaskError::from_error(&e)),
        }
    }

    /// Drains the channel in batches; returns early (dropping the receiver, which stops the reader) when
    /// the run is cancelled or the `--limit` is reached. A batch being written is never abandoned.
    async fn consume(
        &self,
        source: &str,
        mut rx: mpsc::Receiver<SourceItem>,
        run: &StageRun,
    ) -> Result<(), TaskError> {
        let limit = run.ctx.limit.map_or(usize::MAX, |l| l as usize);
        let (mut batch, mut taken) = (Vec::with_capacity(BATCH), 0usize);
        while taken < limit {
            let item = tokio::select! {
                biased;
                () = run.cancel.cancelled() => break,
                item = rx.recv() => item,
            };
            let Some(item) = item else { break };
            run.count(Counter::RowsRead, 1);
            match item {
                SourceItem::Bad { location, reason } => {
                    run.count(Counter::RowsBad, 1);
                    // Sources cut what they echo; a scraped page's text is cut here too.
                    let reason = echo(&reason);
                    tracing::warn!(source, %location, %reason, "bad row skipped");
                }
                SourceItem::Company { input, .. } if input.is_excluded_by(&self.exclude_domains) => {
                    run.count(Counter::CompaniesExcluded, 1);
                }
                SourceItem::Company { input, .. } if !wanted(&input, run.ctx.company.as_deref()) => {
                    run.count_skipped("company_filter", 1);
                }
                SourceItem::Company { input, location } => {
                    batch.push((input, location));
                    taken += 1;
                }
            }
            if batch.len() >= BATCH || taken >= limit {
                self.flush(source, &mut batch, run).await?;
            }
        }
        self.flush(source, &mut batch, run).await
    }

    async fn flush(
        &self,
        source: &str,
        batch: &mut Vec<(CompanyInput, String)>,
        run: &StageRun,
    ) -> Result<(), TaskError> {
        if batch.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(batch);
        let (source, now, n) = (source.to_owned(), run.now(), rows.len() as u64);
        let (run_id, owner, mut total) = (run.run_id, run.owner.clone(), run.counters());
        let counters = run
            .db
            .call(move |db| {
                db.write(|c| {
                    let mut counters = RunCounters::default();
                    for (input, location) in &rows {
                        let done = companies::upsert_listed(c, input, &source, Some(location), now)?;
                        match done.kind {
                            UpsertKind::Created => counters.add(Counter::CompaniesNew, 1),
                            UpsertKind::Updated => counters.add(Counter::CompaniesUpdated, 1),
                            UpsertKind::Unchanged => {}
                        }
                    }
                    // The run's counters with this batch, in the batch's transaction.
                    total.merge(&counters);
                    runs::save_counters(c, run_id, &owner, &total)?;
                    Ok(counters)
                })
            })
            .await
            .map_err(|e| TaskError::from_error(&e))?;
        run.merge(&counters);
        run.progress.advance(n);
        Ok(())
    }

    async fn record_failure(&self, run: &StageRun, source: &str, error: &TaskError) {
        let (source, detail, now) = (source.to_owned(), error.message.clone(), run.now());
        let recorded = run
            .db
            .call(move |db| {
                let event = events::NewEvent {
                    kind: "source_failed",
                    stage: Some(Stage::Directory.key()),
                    subject: Some(&source),
                    detail: Some(&detail),
                    company_id: None,
                };
                db.write(|c| events::record(c, now, event))
            })
            .await;
        if let Err(e) = recorded {
            tracing::warn!(error = %e, "could not record the source failure event");
        }
    }
}

#[async_trait]
impl Task for DirectoryStage {
    fn key(&self) -> &'static str {
        Stage::Directory.key()
    }

    async fn run(&self, run: &StageRun) -> Result<Outcome, TaskError> {
        if self.sources.is_empty() {
            return Ok(Outcome::Skipped("no directory sources configured".into()));
        }
        run.progress.begin(self.key(), None);
        let before = self.http_stats.as_ref().map_or((0, 0, 0), |s| s.snapshot());
        let mut failures = Vec::new();
        for source in &self.sources {
            if run.is_cancelled() {
                break;
            }
            run.progress.message(source.name());
            let loaded = self.load(source.as_ref(), run).await;
            if run.is_cancelled() {
                break;
            }
            match loaded {
                Ok(()) => run.count(Counter::SourcesOk, 1),
                Err(e) if e.class == pipeline_domain::ErrorClass::Fatal => return Err(e),
                Err(e) => {
                    run.count(Counter::SourcesFailed, 1);
                    tracing::error!(source = source.name(), error = %e.message, "directory source could not be read");
                    self.record_failure(run, source.name(), &e).await;
                    failures.push(format!("{}: {}", source.name(), e.message));
                }
            }
        }
        run.progress.end();
        self.count_requests(run, before);
        Ok(if failures.is_empty() {
            Outcome::Done
        } else {
            Outcome::Partial(failures.join("\n"))
        })
    }
}
