//! `[[boards]]` (docs/stages.md#declared-boards): boards declared by hand, applied when the discovery stage
//! starts. Each is stored as `active` (a `suspect` one is confirmed), and validated through its provider's
//! API when it never was or not since `discovery.recheck_boards_after`, but kept whatever the API says at
//! that moment: the person who declared it knows better than one failed call. An entry naming a company the
//! DB does not know is a configuration error (exit 2, with the entry's file and line): nothing is applied.

use std::time::Duration;

use pipeline_ats::AtsClients;
use pipeline_db::repo::{boards, companies};
use pipeline_domain::BoardRef;
use pipeline_domain::config::BoardDecl;
use pipeline_engine::{StageRun, TaskError};

/// An entry checked against the DB: its board and its company.
struct Entry {
    board: BoardRef,
    company_id: i64,
}

/// What applying the entries did that the operator should hear about (conflicts).
pub(super) type Problems = Vec<String>;

/// Applies `declared`; returns the entries that could not be (another company owns the board).
pub(super) async fn apply(
    declared: &[BoardDecl],
    clients: &AtsClients,
    recheck_after: Duration,
    run: &StageRun,
) -> Result<Problems, TaskError> {
    if declared.is_empty() {
        return Ok(Vec::new());
    }
    let (entries, mut problems, to_validate) = store(declared, recheck_after, run).await?;
    let mut answers = Vec::new();
    for entry in entries.iter().filter(|e| to_validate.contains(&e.board)) {
        let Some(client) = clients.get(entry.board.provider) else {
            continue;
        };
        match client.fetch_board(&entry.board, None).await {
            Ok(fetch) => answers.push((entry.board.clone(), fetch.postings.len(), fetch.company_name)),
            Err(e) => {
                // Kept active all the same: declared by hand.
                tracing::warn!(stage = "discovery", board = %entry.board, error = %e, "[[boards]] entry not validated now");
                problems.push(format!("[[boards]] {}: not validated now: {e}", entry.board));
            }
        }
    }
    let now = run.now();
    run.db
        .call(move |db| {
            db.write(|c| {
                for (board, jobs, name) in &answers {
                    let jobs = i32::try_from(*jobs).unwrap_or(i32::MAX);
                    boards::record_validation(c, board, jobs, name.as_deref(), now)?;
                }
                Ok(())
            })
        })
        .await
        .map_err(|e| TaskError::from_error(&e))?;
    Ok(problems)
}

/// Checks every entry's company, then stores the boards in one transaction. Returns the entries, the
/// conflicts, and the boards to validate.
async fn store(
    declared: &[BoardDecl],
    recheck_after: Duration,
    run: &StageRun,
) -> Result<(Vec<Entry>, Problems, Vec<BoardRef>), TaskError> {
    let (declared, now) = (declared.to_vec(), run.now());
    let since = now - chrono::Duration::from_std(recheck_after).unwrap_or(chrono::Duration::MAX);
    run.db
        .call(move |db| {
            db.write(|c| {
                let mut entries = Vec::new();
                for (index, decl) in declared.iter().enumerate() {
                    let board = match decl.board.parse::<BoardRef>() {
                        Ok(board) => board,
                        Err(e) => return Ok(Err(unusable(index, decl, "board", &e.to_string()))),
                    };
                    match companies::id_by_domain(c, &decl.company)? {
                        Some(company_id) => entries.push(Entry { board, company_id }),
                        None => {
                            let reason = format!(
                                "no company `{}` in the database (is it in a directory source? is the domain right?)",
                                decl.company
                            );
                            return Ok(Err(unusable(index, decl, "company", &reason)));
                        }
                    }
                }
                let (mut problems, mut to_validate) = (Vec::new(), Vec::new());
                for entry in &entries {
                    match boards::declare(c, entry.company_id, &entry.board, now)? {
                        boards::Recorded::Conflict { owner } => problems.push(format!(
                            "[[boards]] {}: already owned by company {owner}",
                            entry.board
                        )),
                        _ if boards::needs_validation(c, &entry.board, since)? => {
                            to_validate.push(entry.board.clone());
                        }
                        _ => {}
                    }
                }
                Ok(Ok((entries, problems, to_validate)))
            })
        })
        .await
        .map_err(|e| TaskError::from_error(&e))?
}

/// The configuration error of entry `index`: `FILE:LINE: boards[i].KEY: reason`.
fn unusable(index: usize, decl: &BoardDecl, key: &str, reason: &str) -> TaskError {
    let at = decl.at.as_deref().map(|at| format!("{at}: ")).unwrap_or_default();
    TaskError::config(format!(
        "invalid configuration: {at}boards[{index}].{key}: {reason}"
    ))
}
