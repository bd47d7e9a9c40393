//! Per-stage mutable state: last run, last success, last error, consecutive failures.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use pipeline_domain::{ErrorClass, RunStatus};

use crate::RunOn;
use crate::schema::stage_state;
use crate::sql::At;
use crate::{Conn, DbError};

/// One stage's state across runs (`status` prints it).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = stage_state)]
pub struct StageStateRow {
    /// The stage's key.
    pub stage: String,
    /// Its last run's status.
    pub status: String,
    /// When it last started.
    pub last_run_at: Option<DateTime<Utc>>,
    /// When it last succeeded.
    pub last_success_at: Option<DateTime<Utc>>,
    /// When it last failed or finished partially.
    pub last_error_at: Option<DateTime<Utc>>,
    /// Failed or partial runs since the last success.
    pub consecutive_failures: i32,
    /// The last error's class.
    pub error_class: Option<String>,
    /// The last error, at most 500 characters.
    pub error_message: Option<String>,
    /// When the row last changed.
    pub updated_at: DateTime<Utc>,
}

/// Records that `stage` started running.
pub fn record_start(conn: &mut Conn, stage: &str, now: DateTime<Utc>) -> Result<(), DbError> {
    diesel::insert_into(stage_state::table)
        .values((
            stage_state::stage.eq(stage),
            stage_state::status.eq(RunStatus::Running.as_str()),
            stage_state::last_run_at.eq(At(now)),
            stage_state::updated_at.eq(At(now)),
        ))
        .on_conflict(stage_state::stage)
        .do_update()
        .set((
            stage_state::status.eq(RunStatus::Running.as_str()),
            stage_state::last_run_at.eq(At(now)),
            stage_state::updated_at.eq(At(now)),
        ))
        .execute_on(conn)?;
    Ok(())
}

/// Records how `stage` ended: success resets the failure streak; failure and partial extend it and keep
/// the error's class and message.
pub fn record_finish(
    conn: &mut Conn,
    stage: &str,
    status: RunStatus,
    error: Option<(ErrorClass, &str)>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    record_start(conn, stage, now)?;
    let row = stage_state::table.find(stage);
    let base = (
        stage_state::status.eq(status.as_str()),
        stage_state::updated_at.eq(At(now)),
    );
    match status {
        RunStatus::Succeeded => diesel::update(row)
            .set((
                base,
                stage_state::last_success_at.eq(At(now)),
                stage_state::consecutive_failures.eq(0),
                stage_state::error_class.eq(None::<String>),
                stage_state::error_message.eq(None::<String>),
            ))
            .execute_on(conn)?,
        RunStatus::Failed | RunStatus::Partial => diesel::update(row)
            .set((
                base,
                stage_state::last_error_at.eq(At(now)),
                stage_state::consecutive_failures.eq(stage_state::consecutive_failures + 1),
                stage_state::error_class.eq(error.map(|(c, _)| c.as_str())),
                stage_state::error_message.eq(error.map(|(_, m)| truncate(m))),
            ))
            .execute_on(conn)?,
        _ => diesel::update(row).set(base).execute_on(conn)?,
    };
    Ok(())
}

fn truncate(message: &str) -> String {
    const MAX: usize = 500;
    if message.chars().count() <= MAX {
        return message.to_owned();
    }
    let cut: String = message.chars().take(MAX - 3).collect();
    format!("{cut}...")
}

/// Every stage that has run at least once, by key.
pub fn list(conn: &mut Conn) -> Result<Vec<StageStateRow>, DbError> {
    Ok(stage_state::table
        .select(crate::sql::columns::<StageStateRow>())
        .order(stage_state::stage)
        .load_on(conn)?)
}
