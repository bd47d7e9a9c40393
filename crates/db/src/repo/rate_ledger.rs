//! The fleet's rate ledger (docs/ARCHITECTURE.md#politeness-across-workers): every worker takes a provider's
//! request turns from here, a short window at a time, so that the provider's rate holds for all of them.
//! Windows of one provider never overlap: each starts where the last ended, or now when that is past.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::RunOn;
use crate::schema::provider_pauses as pauses;
use crate::schema::rate_ledger as ledger;
use crate::sql::At;
use crate::{Conn, DbError};

/// What [`reserve`] granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reserved {
    /// The window starts at this instant, microseconds since the Unix epoch (the system clock's).
    Window {
        /// The first turn's instant.
        starts_at_us: i64,
    },
    /// The provider is paused: no window is handed out.
    Paused,
}

/// Reserves `provider`'s next window of `span_us` microseconds: it starts at the later of the end of the last
/// window and `clock_us` (the caller's system clock), and the next one starts where it ends. Nothing is
/// reserved while a pause of the provider is live at `now` (the application's clock, as pauses are). Call in
/// a write transaction ([`Conn::write`]): the statements are atomic per row on PostgreSQL and serialized on
/// SQLite, so two workers never get overlapping windows.
pub fn reserve(
    conn: &mut Conn,
    provider: &str,
    span_us: i64,
    clock_us: i64,
    now: DateTime<Utc>,
) -> Result<Reserved, DbError> {
    let paused = pauses::table
        .find(provider)
        .filter(pauses::paused_until.gt(At(now)))
        .select(pauses::provider)
        .first_on::<String>(conn)
        .optional()?;
    if paused.is_some() {
        return Ok(Reserved::Paused);
    }
    diesel::insert_into(ledger::table)
        .values((ledger::provider.eq(provider), ledger::free_at.eq(clock_us)))
        .on_conflict_do_nothing()
        .execute_on(conn)?;
    diesel::update(ledger::table.find(provider).filter(ledger::free_at.lt(clock_us)))
        .set(ledger::free_at.eq(clock_us))
        .execute_on(conn)?;
    let ends_at: i64 = diesel::update(ledger::table.find(provider))
        .set(ledger::free_at.eq(ledger::free_at + span_us))
        .returning(ledger::free_at)
        .get_result_on(conn)?;
    Ok(Reserved::Window {
        starts_at_us: ends_at - span_us,
    })
}
