//! Each board's ingestion schedule (docs/stages.md#ingestion-schedule): which boards are due (active, of a
//! company not resolved, of a provider not paused, never fetched or past `next_due_at`), oldest due first;
//! and the outcome of a fetch, written under the board's fence. A board the provider says is gone is
//! marked `gone`, and its company's discovery becomes due (it may have moved to another ATS).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use pipeline_domain::BoardStatus;

use crate::RunOn;
use crate::repo::events::{self, NewEvent};
use crate::repo::leases::Fenced;
use crate::schema::{board_ingestion as ingestion, boards, companies};
use crate::sql::{At, UtcTime};
use crate::{Conn, DbError, Fixed};

/// A board due for ingestion.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct DueBoard {
    /// The board's id (the unit key).
    pub id: i64,
    /// The company that owns it.
    pub company_id: i64,
    /// The reference as stored (`PROVIDER:TENANT[@VARIANT]`).
    pub reference: String,
    /// The provider's key (`lever`, ...): the pause key of the unit.
    pub provider: String,
    /// The validators of the last complete fetch: its ETag...
    pub etag: Option<String>,
    /// ...and its Last-Modified.
    pub last_modified: Option<String>,
    /// Consecutive failures so far (`None`: never fetched).
    pub failures: Option<i32>,
    /// When a complete fetch last read every posting's detail ([`record_described`]).
    pub described_at: Option<DateTime<Utc>>,
}

/// What a fetch that read the board came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetched {
    /// Every posting read: absent ones were closed.
    Complete,
    /// The server said nothing changed (304).
    NotModified,
    /// Part of the board could not be read: nothing was closed.
    Incomplete,
}

impl Fetched {
    /// The stored `last_outcome`.
    pub fn as_str(self) -> &'static str {
        match self {
            Fetched::Complete => "ok",
            Fetched::NotModified => "not_modified",
            Fetched::Incomplete => "incomplete",
        }
    }
}

/// Up to `limit` due boards, never fetched first, then oldest due; leaving out `paused` providers and the
/// board ids in `leased`.
pub fn due(
    conn: &mut Conn,
    now: DateTime<Utc>,
    limit: usize,
    company: Option<&str>,
    paused: &[String],
    leased: &HashSet<String>,
) -> Result<Vec<DueBoard>, DbError> {
    let resolved = super::resolved_names();
    // A boxed query is typed by its backend: built once per backend.
    let rows: Vec<DueBoard> = crate::with_conn!(conn, |c| {
        let mut query = boards::table
            .inner_join(companies::table)
            .left_join(ingestion::table)
            .filter(boards::status.eq(BoardStatus::Active.as_str()))
            .filter(companies::resolution.ne_all(resolved))
            .filter(boards::provider.ne_all(paused))
            .filter(
                ingestion::next_due_at
                    .is_null()
                    .or(ingestion::next_due_at.le(At(now))),
            )
            .select((
                boards::id,
                boards::company_id,
                boards::reference,
                boards::provider,
                ingestion::etag.nullable(),
                ingestion::last_modified.nullable(),
                ingestion::failures.nullable(),
                ingestion::described_at.nullable(),
            ))
            .order((
                ingestion::next_due_at.is_not_null(),
                ingestion::next_due_at,
                boards::id,
            ))
            .limit(super::due_query_limit(limit, leased))
            .into_boxed();
        if let Some(domain) = company {
            let domain = domain.trim().trim_start_matches("www.").to_ascii_lowercase();
            query = query.filter(companies::website_domain.eq(domain));
        }
        query.load(c)
    })?;
    Ok(super::unleased(rows, leased, limit, |b: &DueBoard| b.id))
}

/// Records a fetch that read the board: its outcome, the validators to send next time (after a 304, the
/// ones it was sent with), the next fetch; failures reset.
pub fn record_fetched(
    tx: &mut Fenced<'_>,
    board_id: i64,
    fetched: Fetched,
    validators: Option<(Option<String>, Option<String>)>,
    next_due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let conn = tx.conn();
    // Validators only from a complete read (or the ones a 304 confirmed): an incomplete read must be read
    // whole again, not answered 304.
    let (etag, last_modified) = match (fetched, validators) {
        (Fetched::Complete | Fetched::NotModified, Some(v)) => v,
        _ => (None, None),
    };
    // Written for every board of every run: one text, kept prepared.
    Fixed::new(
        "INSERT INTO board_ingestion (board_id, last_outcome, last_fetched_at, failures, error_class, \
         last_error, next_due_at, etag, last_modified) VALUES (?, ?, ?, 0, NULL, NULL, ?, ?, ?) \
         ON CONFLICT (board_id) DO UPDATE SET last_outcome = excluded.last_outcome, \
         last_fetched_at = excluded.last_fetched_at, failures = 0, error_class = NULL, last_error = NULL, \
         next_due_at = excluded.next_due_at, etag = excluded.etag, last_modified = excluded.last_modified",
    )
    .bind::<BigInt, _>(board_id)
    .bind::<Text, _>(fetched.as_str())
    .bind::<UtcTime, _>(now)
    .bind::<UtcTime, _>(next_due_at)
    .bind::<Nullable<Text>, _>(etag)
    .bind::<Nullable<Text>, _>(last_modified)
    .execute_on(conn)?;
    Ok(())
}

/// Records that this fetch read every posting's detail, complete: until `ingestion.details_refresh_after`
/// has passed, a posting whose list item is unchanged is not described again (docs/stages.md#detail-freshness).
pub fn record_described(tx: &mut Fenced<'_>, board_id: i64, now: DateTime<Utc>) -> Result<(), DbError> {
    let conn = tx.conn();
    Fixed::new("UPDATE board_ingestion SET described_at = ? WHERE board_id = ?")
        .bind::<UtcTime, _>(now)
        .bind::<BigInt, _>(board_id)
        .execute_on(conn)?;
    Ok(())
}

/// Records a failed fetch: its class and message, the next try; `counts` adds a failure (a rate-limit
/// snooze does not).
pub fn record_failure(
    tx: &mut Fenced<'_>,
    board_id: i64,
    class: &str,
    message: &str,
    next_due_at: DateTime<Utc>,
    counts: bool,
) -> Result<(), DbError> {
    let conn = tx.conn();
    let add = i32::from(counts);
    diesel::insert_into(ingestion::table)
        .values((
            ingestion::board_id.eq(board_id),
            ingestion::last_outcome.eq("error"),
            ingestion::failures.eq(add),
            ingestion::error_class.eq(class),
            ingestion::last_error.eq(message),
            ingestion::next_due_at.eq(At(next_due_at)),
        ))
        .on_conflict(ingestion::board_id)
        .do_update()
        .set((
            ingestion::last_outcome.eq("error"),
            ingestion::failures.eq(ingestion::failures + add),
            ingestion::error_class.eq(class),
            ingestion::last_error.eq(message),
            ingestion::next_due_at.eq(At(next_due_at)),
        ))
        .execute_on(conn)?;
    Ok(())
}

/// The provider says the board does not exist any more: the board is `gone` (a `board_gone` event), its
/// schedule says so, and its company's discovery is due now.
pub fn mark_gone(
    tx: &mut Fenced<'_>,
    board_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let conn = tx.conn();
    let (company_id, reference): (i64, String) = boards::table
        .find(board_id)
        .select((boards::company_id, boards::reference))
        .first_on(conn)?;
    diesel::update(boards::table.find(board_id))
        .set((
            boards::status.eq(BoardStatus::Gone.as_str()),
            boards::status_reason.eq(reason),
            boards::updated_at.eq(At(now)),
        ))
        .execute_on(conn)?;
    let outcome = || {
        (
            ingestion::last_outcome.eq("gone"),
            ingestion::error_class.eq("permanent"),
            ingestion::last_error.eq(reason),
            ingestion::next_due_at.eq(At(now)),
        )
    };
    diesel::insert_into(ingestion::table)
        .values((ingestion::board_id.eq(board_id), outcome()))
        .on_conflict(ingestion::board_id)
        .do_update()
        .set(outcome())
        .execute_on(conn)?;
    crate::repo::discovery::make_due(conn, company_id, now)?;
    let event = NewEvent {
        kind: "board_gone",
        stage: Some("ingestion"),
        company_id: Some(company_id),
        subject: Some(&reference),
        detail: Some(reason),
    };
    events::record(conn, now, event)
}

/// A board's schedule: (last outcome, failures, next due), for tests and `status`.
pub fn state_of(conn: &mut Conn, board_id: i64) -> Result<Option<(String, i32, DateTime<Utc>)>, DbError> {
    Ok(ingestion::table
        .find(board_id)
        .select((
            ingestion::last_outcome,
            ingestion::failures,
            ingestion::next_due_at,
        ))
        .first_on(conn)
        .optional()?)
}
