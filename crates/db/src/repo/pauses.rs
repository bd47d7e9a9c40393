//! Provider pauses: set by hand or when a provider keeps rate-limiting; expired pauses clear themselves.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::RunOn;
use crate::repo::events;
use crate::schema::provider_pauses as pauses;
use crate::sql::At;
use crate::{Conn, DbError};

/// A provider pause as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = pauses)]
pub struct PauseRow {
    /// The provider's key.
    pub provider: String,
    /// No request goes to the provider before this instant.
    pub paused_until: DateTime<Utc>,
    /// Why (`--reason`, or the 429 streak that tripped it).
    pub reason: Option<String>,
    /// When the pause was set.
    pub set_at: DateTime<Utc>,
}

/// Pauses `provider` until `until` (replacing any pause) and records a `pause_set` event.
pub fn set(
    conn: &mut Conn,
    provider: &str,
    until: DateTime<Utc>,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let pause = (
        pauses::paused_until.eq(At(until)),
        pauses::reason.eq(reason),
        pauses::set_at.eq(At(now)),
    );
    diesel::insert_into(pauses::table)
        .values((pauses::provider.eq(provider), pause))
        .on_conflict(pauses::provider)
        .do_update()
        .set(pause)
        .execute_on(conn)?;
    let detail = format!(
        "until {}{}",
        until.to_rfc3339(),
        reason.map(|r| format!(": {r}")).unwrap_or_default()
    );
    events::record(
        conn,
        now,
        events::NewEvent {
            kind: "pause_set",
            subject: Some(provider),
            detail: Some(&detail),
            ..Default::default()
        },
    )
}

/// Lifts a pause; `false` when there was none. Records a `pause_cleared` event.
pub fn clear(conn: &mut Conn, provider: &str, now: DateTime<Utc>) -> Result<bool, DbError> {
    let n = diesel::delete(pauses::table.find(provider)).execute_on(conn)?;
    if n == 1 {
        events::record(
            conn,
            now,
            events::NewEvent {
                kind: "pause_cleared",
                subject: Some(provider),
                ..Default::default()
            },
        )?;
    }
    Ok(n == 1)
}

/// Deletes expired pauses (recording `pause_cleared` with reason `expired`) and returns the live ones.
pub fn active(conn: &mut Conn, now: DateTime<Utc>) -> Result<Vec<PauseRow>, DbError> {
    let expired: Vec<String> = pauses::table
        .filter(pauses::paused_until.le(At(now)))
        .select(pauses::provider)
        .load_on(conn)?;
    for provider in &expired {
        diesel::delete(pauses::table.find(provider)).execute_on(conn)?;
        events::record(
            conn,
            now,
            events::NewEvent {
                kind: "pause_cleared",
                subject: Some(provider),
                detail: Some("expired"),
                ..Default::default()
            },
        )?;
    }
    Ok(pauses::table
        .select(crate::sql::columns::<PauseRow>())
        .order(pauses::provider)
        .load_on(conn)?)
}

/// The live pause of one provider, if any (expired pauses are cleared on the way).
pub fn active_for(conn: &mut Conn, provider: &str, now: DateTime<Utc>) -> Result<Option<PauseRow>, DbError> {
    Ok(active(conn, now)?.into_iter().find(|p| p.provider == provider))
}

/// The live pauses, read only (expired ones are left for the next writer to clear): for `status`.
pub fn live(conn: &mut Conn, now: DateTime<Utc>) -> Result<Vec<PauseRow>, DbError> {
    Ok(pauses::table
        .filter(pauses::paused_until.gt(At(now)))
        .select(crate::sql::columns::<PauseRow>())
        .order(pauses::provider)
        .load_on(conn)?)
}
