//! Feedback from the sheet (docs/stages.md#feedback): resolution changes applied with an event each and the
//! company marked for aggregation (defect 4: nothing is deleted); model feedback stored once per (company,
//! value, notes) whatever row it sits on (defect 2); the rows the last run could not take, replaced by each
//! run, for `status`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use pipeline_domain::Resolution;

use crate::RunOn;
use crate::repo::events::{self, NewEvent};
use crate::schema::{companies, feedback_events, feedback_rejections};
use crate::sql::At;
use crate::{Conn, DbError};

/// SQLite's bound-parameter budget is generous, but long `IN` lists are read in slices anyway.
const IN_CHUNK: usize = 500;

/// A resolution the sheet holds that differs from the DB's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolutionChange {
    /// The company.
    pub company_id: i64,
    /// The 1-based sheet row it was read from.
    pub row: u32,
    /// The DB's resolution when the sheet was read.
    pub from: Resolution,
    /// The sheet's.
    pub to: Resolution,
}

/// Model feedback read from a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeedback {
    /// The company.
    pub company_id: i64,
    /// The 1-based sheet row (where it was first seen).
    pub row: u32,
    /// `OK`, `FP` or `FN`.
    pub value: String,
    /// Notes; `""` when none (never NULL, so the unique key holds).
    pub notes: String,
}

/// A sheet cell that was not taken.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = feedback_rejections)]
pub struct Rejection {
    /// The 1-based sheet row.
    pub sheet_row: i32,
    /// Column A when it is a company id.
    pub company_id: Option<i64>,
    /// The rejected cell's text.
    pub value: String,
    /// Why it was rejected.
    pub reason: String,
}

/// What [`apply`] changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Applied {
    /// Companies whose resolution changed.
    pub resolutions_changed: u64,
    /// Of which went from an active to a resolved state (discovery and ingestion stop for them).
    pub resolved: u64,
    /// Of which came back from a resolved state (discovery and ingestion resume).
    pub reopened: u64,
    /// Model feedback stored for the first time.
    pub feedback_stored: u64,
}

/// The stored resolution of each of `ids` that exists.
pub fn resolutions(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, Resolution>, DbError> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        let rows: Vec<(i64, String)> = companies::table
            .filter(companies::id.eq_any(chunk))
            .select((companies::id, companies::resolution))
            .load_on(conn)?;
        out.extend(
            rows.into_iter()
                .map(|(id, r)| (id, Resolution::parse(&r).unwrap_or_default())),
        );
    }
    Ok(out)
}

/// Applies one read of the sheet: resolution changes (each guarded by the resolution it was read against,
/// with an event, the company marked for aggregation), model feedback (idempotent), and the rejections
/// (replacing the previous run's). Callers run it in one transaction.
pub fn apply(
    conn: &mut Conn,
    changes: &[ResolutionChange],
    feedback: &[NewFeedback],
    rejections: &[Rejection],
    run_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Applied, DbError> {
    let mut applied = Applied::default();
    for change in changes {
        let n = diesel::update(
            companies::table
                .find(change.company_id)
                .filter(companies::resolution.eq(change.from.as_str())),
        )
        .set((
            companies::resolution.eq(change.to.as_str()),
            companies::needs_aggregation.eq(true),
            companies::updated_at.eq(At(now)),
        ))
        .execute_on(conn)?;
        if n == 0 {
            continue;
        }
        applied.resolutions_changed += 1;
        match (change.from.is_resolved(), change.to.is_resolved()) {
            (false, true) => applied.resolved += 1,
            (true, false) => applied.reopened += 1,
            _ => {}
        }
        let detail = format!(
            "{} → {} (sheet row {})",
            change.from.as_str(),
            change.to.as_str(),
            change.row
        );
        events::record(
            conn,
            now,
            NewEvent {
                kind: "resolution_changed",
                stage: Some("feedback"),
                company_id: Some(change.company_id),
                subject: Some(change.to.as_str()),
                detail: Some(&detail),
            },
        )?;
    }
    for item in feedback {
        let n = diesel::insert_into(feedback_events::table)
            .values((
                feedback_events::company_id.eq(item.company_id),
                feedback_events::value.eq(&item.value),
                feedback_events::notes.eq(&item.notes),
                feedback_events::sheet_row.eq(i32::try_from(item.row).unwrap_or(i32::MAX)),
                feedback_events::run_id.eq(run_id),
                feedback_events::created_at.eq(At(now)),
            ))
            .on_conflict_do_nothing()
            .execute_on(conn)?;
        applied.feedback_stored += n as u64;
    }
    diesel::delete(feedback_rejections::table).execute_on(conn)?;
    for rejection in rejections {
        diesel::insert_into(feedback_rejections::table)
            .values((
                feedback_rejections::run_id.eq(run_id),
                feedback_rejections::sheet_row.eq(rejection.sheet_row),
                feedback_rejections::company_id.eq(rejection.company_id),
                feedback_rejections::value.eq(&rejection.value),
                feedback_rejections::reason.eq(&rejection.reason),
                feedback_rejections::created_at.eq(At(now)),
            ))
            .execute_on(conn)?;
    }
    Ok(applied)
}

/// The rows the last feedback run could not take, in sheet order.
pub fn rejections(conn: &mut Conn, limit: i64) -> Result<Vec<Rejection>, DbError> {
    Ok(feedback_rejections::table
        .select(crate::sql::columns::<Rejection>())
        .order((feedback_rejections::sheet_row, feedback_rejections::id))
        .limit(limit)
        .load_on(conn)?)
}

/// Model feedback stored for a company: (value, notes), oldest first.
pub fn of_company(conn: &mut Conn, company_id: i64) -> Result<Vec<(String, String)>, DbError> {
    Ok(feedback_events::table
        .filter(feedback_events::company_id.eq(company_id))
        .select((feedback_events::value, feedback_events::notes))
        .order(feedback_events::id)
        .load_on(conn)?)
}
