//! Run history: one row per stage per cycle. A row is written while `running` and becomes immutable once
//! it reaches a final status (every transition is guarded by `status = 'running'` in SQL).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use pipeline_domain::{RunCounters, RunStatus};

use crate::RunOn;
use crate::schema::runs;
use crate::sql::At;
use crate::{Conn, DbError, Fixed};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = runs)]
struct RawRun {
    id: i64,
    cycle_id: String,
    stage: String,
    status: String,
    owner: String,
    started_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    counters: String,
    error: Option<String>,
}

/// A run as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    /// The run's id (newer runs have larger ids).
    pub id: i64,
    /// The cycle it belongs to.
    pub cycle_id: String,
    /// The stage's key.
    pub stage: String,
    /// How it ended, or `Running`.
    pub status: RunStatus,
    /// Who ran it.
    pub owner: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended; `None` while running.
    pub finished_at: Option<DateTime<Utc>>,
    /// Every counter, as last saved (a crash keeps the last checkpoint).
    pub counters: RunCounters,
    /// The failure or interruption message.
    pub error: Option<String>,
}

impl TryFrom<RawRun> for RunRow {
    type Error = DbError;

    fn try_from(raw: RawRun) -> Result<Self, DbError> {
        let status = RunStatus::parse(&raw.status)
            .ok_or_else(|| DbError::Corrupt(format!("run {} has status `{}`", raw.id, raw.status)))?;
        let counters = serde_json::from_str(&raw.counters)
            .map_err(|e| DbError::Corrupt(format!("run {} counters: {e}", raw.id)))?;
        Ok(RunRow {
            id: raw.id,
            cycle_id: raw.cycle_id,
            stage: raw.stage,
            status,
            owner: raw.owner,
            started_at: raw.started_at,
            finished_at: raw.finished_at,
            counters,
            error: raw.error,
        })
    }
}

fn counters_json(counters: &RunCounters) -> Result<String, DbError> {
    serde_json::to_string(counters).map_err(|e| DbError::Corrupt(e.to_string()))
}

/// Opens a `running` row and returns its id.
pub fn start(
    conn: &mut Conn,
    cycle_id: &str,
    stage: &str,
    owner: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(runs::table)
        .values((
            runs::cycle_id.eq(cycle_id),
            runs::stage.eq(stage),
            runs::status.eq(RunStatus::Running.as_str()),
            runs::owner.eq(owner),
            runs::started_at.eq(At(now)),
        ))
        .returning(runs::id)
        .get_result_on(conn)?)
}

/// Checkpoints the counters of a running row (so a crash keeps what was counted).
pub fn save_counters(conn: &mut Conn, id: i64, owner: &str, counters: &RunCounters) -> Result<bool, DbError> {
    // Written with every outcome: one text, kept prepared (the condition is `running`'s).
    let n = Fixed::new("UPDATE runs SET counters = ? WHERE id = ? AND owner = ? AND status = ?")
        .bind::<Text, _>(counters_json(counters)?)
        .bind::<BigInt, _>(id)
        .bind::<Text, _>(owner)
        .bind::<Text, _>(RunStatus::Running.as_str())
        .execute_on(conn)?;
    Ok(n == 1)
}

/// Closes a running row with its final status and counters; `false` if it was no longer running or ours
/// (e.g. it was marked `abandoned` by a takeover).
pub fn finish(
    conn: &mut Conn,
    id: i64,
    owner: &str,
    status: RunStatus,
    counters: &RunCounters,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = diesel::update(running(id, owner))
        .set((
            runs::status.eq(status.as_str()),
            runs::counters.eq(counters_json(counters)?),
            runs::error.eq(error),
            runs::finished_at.eq(At(now)),
        ))
        .execute_on(conn)?;
    Ok(n == 1)
}

/// The run row `id` while it is still `running` and owned by `owner`: the guard of every transition.
type RunningRow<'a> = diesel::dsl::Filter<
    runs::table,
    diesel::dsl::And<
        diesel::dsl::And<diesel::dsl::Eq<runs::id, i64>, diesel::dsl::Eq<runs::owner, &'a str>>,
        diesel::dsl::Eq<runs::status, &'static str>,
    >,
>;

fn running(id: i64, owner: &str) -> RunningRow<'_> {
    runs::table.filter(
        runs::id
            .eq(id)
            .and(runs::owner.eq(owner))
            .and(runs::status.eq(RunStatus::Running.as_str())),
    )
}

/// Marks every running row of `owner` `abandoned` (its process died or its lock expired).
pub fn abandon_owner(conn: &mut Conn, owner: &str, now: DateTime<Utc>) -> Result<usize, DbError> {
    Ok(diesel::update(
        runs::table.filter(
            runs::owner
                .eq(owner)
                .and(runs::status.eq(RunStatus::Running.as_str())),
        ),
    )
    .set((
        runs::status.eq(RunStatus::Abandoned.as_str()),
        runs::finished_at.eq(At(now)),
        runs::error.eq("owner died or its lock expired"),
    ))
    .execute_on(conn)?)
}

/// The run `id`, if it exists (retention may have deleted it).
pub fn get(conn: &mut Conn, id: i64) -> Result<Option<RunRow>, DbError> {
    let raw: Option<RawRun> = runs::table
        .find(id)
        .select(crate::sql::columns::<RawRun>())
        .first_on(conn)
        .optional()?;
    raw.map(RunRow::try_from).transpose()
}

/// The latest runs, newest first.
pub fn latest(conn: &mut Conn, limit: i64) -> Result<Vec<RunRow>, DbError> {
    let raw: Vec<RawRun> = runs::table
        .select(crate::sql::columns::<RawRun>())
        .order(runs::id.desc())
        .limit(limit)
        .load_on(conn)?;
    raw.into_iter().map(RunRow::try_from).collect()
}

/// The runs of one cycle, in the order they started.
pub fn of_cycle(conn: &mut Conn, cycle_id: &str) -> Result<Vec<RunRow>, DbError> {
    let raw: Vec<RawRun> = runs::table
        .filter(runs::cycle_id.eq(cycle_id))
        .select(crate::sql::columns::<RawRun>())
        .order(runs::id)
        .load_on(conn)?;
    raw.into_iter().map(RunRow::try_from).collect()
}

/// Deletes finished runs that started before `cutoff`.
pub fn prune(conn: &mut Conn, cutoff: DateTime<Utc>) -> Result<usize, DbError> {
    Ok(diesel::delete(
        runs::table.filter(
            runs::started_at
                .lt(At(cutoff))
                .and(runs::status.ne(RunStatus::Running.as_str())),
        ),
    )
    .execute_on(conn)?)
}
