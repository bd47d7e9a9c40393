//! `once --dry-run` for discovery (docs/stages.md#discovery): the due companies are read, their sites
//! detected and their boards validated exactly as in a real run, and what a real run would store is
//! reported (a log line per board, the run's counters), but nothing is written: no lease, no board, no
//! schedule, no pause, no `[[boards]]` entry applied.

use std::sync::Arc;

use futures::StreamExt;
use pipeline_db::repo::pauses;
use pipeline_domain::{Counter, Provider};
use pipeline_engine::{DueQuery, Outcome, StageRun, TaskError, UnitWork};

use super::DiscoveryWork;

/// Companies a dry run looks at without `--limit`.
const DRY_RUN_MAX: usize = 100_000;

pub(super) async fn run(
    work: &Arc<DiscoveryWork>,
    run: &StageRun,
    concurrency: usize,
) -> Result<Outcome, TaskError> {
    let now = run.now();
    let limit = run.ctx.limit.map_or(DRY_RUN_MAX, |l| l as usize);
    let (company, reader) = (run.ctx.company.clone(), work.clone());
    let (due, live) = run
        .db
        .call(move |db| {
            db.read(|c| {
                let live = pauses::live(c, now)?;
                let paused: Vec<String> = live.iter().map(|p| p.provider.clone()).collect();
                let query = DueQuery {
                    now,
                    limit,
                    company: company.as_deref(),
                    paused: &paused,
                    kind: reader.kind(),
                };
                Ok((reader.due(c, &query)?, live))
            })
        })
        .await
        .map_err(|e| TaskError::from_error(&e))?;
    work.pauses.start(
        live.into_iter()
            .filter_map(|p| Some((Provider::parse(&p.provider)?, p.paused_until))),
    );
    run.progress.begin("discovery (dry run)", Some(due.len() as u64));
    let before = work.requests();
    let mut results = futures::stream::iter(due)
        .map(|unit| async move {
            let result = work.work(&unit, run).await;
            (unit, result)
        })
        .buffer_unordered(concurrency.max(1));
    while let Some((unit, result)) = results.next().await {
        if run.is_cancelled() {
            break;
        }
        let domain = unit.domain.as_deref().unwrap_or(&unit.website_url);
        match result {
            Ok(detection) => {
                let assessment = work.assess(&unit, &detection, run.now());
                for board in &assessment.boards {
                    tracing::info!(
                        stage = "discovery",
                        company = domain,
                        board = %board.board,
                        status = board.status.as_str(),
                        evidence = %board.evidence_url,
                        "dry run: would store"
                    );
                }
                run.merge(&assessment.counters);
            }
            Err(failure) => {
                tracing::info!(stage = "discovery", company = domain, error = %failure, "dry run: site not read");
                run.count(Counter::CompaniesChecked, 1);
                run.count(Counter::Errored, 1);
            }
        }
        run.progress.advance(1);
    }
    work.count_requests(run, before);
    run.progress.end();
    Ok(Outcome::Done)
}
