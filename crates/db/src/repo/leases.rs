//! Unit leases: a worker claims a unit (a company to discover, a board to ingest) for a TTL; every write
//! of the unit's outcome goes through a [`Fenced`] handle, which exists only inside a transaction that has
//! checked the lease is still this worker's (owner + attempt), so a worker that lost its lease cannot
//! overwrite the new owner's work.
//!
//! A released lease is deleted; the next claim starts again at attempt 1. The attempt is a fencing token
//! (it tells two claims of one unit apart), not a failure count: stages keep failures in their unit state.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

use crate::RunOn;
use crate::schema::leases;
use crate::sql::{At, UtcTime};
use crate::{Conn, DbError, Fixed};

/// Proof of a claim, presented with every write of the unit's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The stage's lease kind (`discovery`, `ingestion`).
    pub kind: String,
    /// The unit (a company or board id, as text).
    pub unit_key: String,
    /// Who claimed it.
    pub owner: String,
    /// Bumped at every claim of the unit: a write under an older attempt is refused (the fence).
    pub attempt: i32,
    /// When the claim lapses unless renewed.
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = leases)]
struct LeaseRow {
    owner: String,
    attempt: i32,
    expires_at: DateTime<Utc>,
}

/// Claims a unit in one statement: a free unit is inserted at attempt 1; a unit whose lease expired (or
/// that `owner` already holds) is taken over with its attempt incremented; a unit another owner holds
/// live is left alone (`None`). One statement, so two processes racing for a unit cannot both win.
pub fn claim(
    conn: &mut Conn,
    kind: &str,
    unit_key: &str,
    owner: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<Option<Lease>, DbError> {
    let expires_at = now + ttl;
    // `ON CONFLICT ... DO UPDATE ... WHERE`: the live lease of another owner is not updated, so no row is
    // returned. Run for every unit claimed: one text, kept prepared.
    let attempt: Option<i32> = Fixed::new(
        "INSERT INTO leases (kind, unit_key, owner, attempt, acquired_at, expires_at) \
         VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (kind, unit_key) DO UPDATE SET owner = excluded.owner, \
         attempt = leases.attempt + 1, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at \
         WHERE leases.expires_at <= ? OR leases.owner = ? RETURNING attempt",
    )
    .bind::<Text, _>(kind)
    .bind::<Text, _>(unit_key)
    .bind::<Text, _>(owner)
    .bind::<UtcTime, _>(now)
    .bind::<UtcTime, _>(expires_at)
    .bind::<UtcTime, _>(now)
    .bind::<Text, _>(owner)
    .returning::<Integer>()
    .get_result_on(conn)
    .optional()?;
    Ok(attempt.map(|attempt| Lease {
        kind: kind.into(),
        unit_key: unit_key.into(),
        owner: owner.into(),
        attempt,
        expires_at,
    }))
}

/// Claims many units of one kind in one statement (a multi-row [`claim`]): the units free or expired (or
/// already `owner`'s) are taken, the others left alone; the leases returned are those taken, in no
/// particular order. Run it inside [`serialize_claims`]'s transaction so that claimers of one kind see each
/// other's committed leases.
pub fn claim_many(
    conn: &mut Conn,
    kind: &str,
    unit_keys: &[String],
    owner: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<Vec<Lease>, DbError> {
    let expires_at = now + ttl;
    let pg = match conn {
        // In-process: one statement a unit costs no round trip (diesel writes no multi-row upsert for
        // SQLite).
        Conn::Sqlite(_) => {
            let mut leases = Vec::with_capacity(unit_keys.len());
            for key in unit_keys {
                leases.extend(claim(conn, kind, key, owner, now, ttl)?);
            }
            return Ok(leases);
        }
        Conn::Postgres(pg) => &mut **pg,
    };
    let mut leases = Vec::with_capacity(unit_keys.len());
    // 6 values a row: well under PostgreSQL's 65,535 parameters a statement.
    for chunk in unit_keys.chunks(1000) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|key| {
                (
                    leases::kind.eq(kind),
                    leases::unit_key.eq(key),
                    leases::owner.eq(owner),
                    leases::attempt.eq(1),
                    leases::acquired_at.eq(At(now)),
                    leases::expires_at.eq(At(expires_at)),
                )
            })
            .collect();
        let upsert = diesel::insert_into(leases::table)
            .values(rows)
            .on_conflict((leases::kind, leases::unit_key))
            .do_update()
            .set((
                leases::owner.eq(owner),
                leases::attempt.eq(leases::attempt + 1),
                leases::acquired_at.eq(At(now)),
                leases::expires_at.eq(At(expires_at)),
            ));
        let taken: Vec<(String, i32)> = diesel::query_dsl::methods::FilterDsl::filter(
            upsert,
            leases::expires_at.le(At(now)).or(leases::owner.eq(owner)),
        )
        .returning((leases::unit_key, leases::attempt))
        .load(pg)?;
        leases.extend(taken.into_iter().map(|(unit_key, attempt)| Lease {
            kind: kind.into(),
            unit_key,
            owner: owner.into(),
            attempt,
            expires_at,
        }));
    }
    Ok(leases)
}

/// The advisory lock of `kind`'s claims (PostgreSQL).
fn claims_lock(kind: &str) -> String {
    format!("pipeline-claims:{kind}")
}

/// Makes the caller's write transaction the only claimer of `kind` until it ends, and keeps every outcome
/// of `kind` ([`fence`]) from committing meanwhile, so that a due query followed by [`claim_many`] sees one
/// state: a unit whose outcome released its lease between the two would otherwise be claimed and worked
/// again. SQLite's write transactions already exclude each other; PostgreSQL takes an advisory transaction
/// lock on the kind, exclusive here and shared in [`fence`] (docs/ARCHITECTURE.md#two-database-backends).
pub fn serialize_claims(conn: &mut Conn, kind: &str) -> Result<(), DbError> {
    if let Conn::Postgres(c) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(claims_lock(kind))
            .execute(&mut **c)?;
    }
    Ok(())
}

/// Whether `lease` is still the current claim.
pub fn holds(conn: &mut Conn, lease: &Lease, now: DateTime<Utc>) -> Result<bool, DbError> {
    let current: Option<LeaseRow> = leases::table
        .find((&lease.kind, &lease.unit_key))
        .select(crate::sql::columns::<LeaseRow>())
        .first_on(conn)
        .optional()?;
    Ok(current.is_some_and(|r| r.owner == lease.owner && r.attempt == lease.attempt && r.expires_at > now))
}

/// A write transaction in which `lease` was checked to be current. Repositories that record a unit's
/// outcome take one of these instead of a bare connection.
pub struct Fenced<'a> {
    conn: &'a mut Conn,
    lease: &'a Lease,
}

impl std::fmt::Debug for Fenced<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fenced").field("lease", self.lease).finish()
    }
}

impl Fenced<'_> {
    /// The connection of the fenced transaction: what is written through it commits only with the fence.
    pub fn conn(&mut self) -> &mut Conn {
        self.conn
    }

    /// The lease this transaction is fenced by.
    pub fn lease(&self) -> &Lease {
        self.lease
    }

    /// Ends the claim in the same transaction as the outcome written through this handle.
    pub fn release(self) -> Result<bool, DbError> {
        release(self.conn, self.lease)
    }
}

/// Checks the fence inside the caller's write transaction; `None` when the lease was lost (expired and
/// taken, or released), in which case nothing may be written for the unit.
pub fn fence<'a>(
    conn: &'a mut Conn,
    lease: &'a Lease,
    now: DateTime<Utc>,
) -> Result<Option<Fenced<'a>>, DbError> {
    if let Conn::Postgres(c) = conn {
        // Shared with every other outcome, exclusive with claims: a claimer's due query and claim never
        // straddle the commit of an outcome that releases a lease (docs/ARCHITECTURE.md#two-database-backends).
        diesel::sql_query("SELECT pg_advisory_xact_lock_shared(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(claims_lock(&lease.kind))
            .execute(&mut **c)?;
    }
    Ok(holds(conn, lease, now)?.then_some(Fenced { conn, lease }))
}

/// Extends the live leases of one kind held by `owner` (the unit runner's heartbeat). Returns how many.
/// On PostgreSQL it waits for no row lock: a lease locked by a transaction in progress (its outcome being
/// written, which releases it, or a claimer checking it) is skipped this time, so the heartbeat can never
/// be one half of a deadlock with the owner's own outcome writes or another worker's claim.
pub fn renew(
    conn: &mut Conn,
    kind: &str,
    owner: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<usize, DbError> {
    if let Conn::Postgres(c) = conn {
        use diesel::sql_types::Text;
        return Ok(diesel::sql_query(
            "UPDATE leases SET expires_at = $1 WHERE (kind, unit_key) IN (SELECT kind, unit_key FROM leases \
             WHERE kind = $2 AND owner = $3 AND expires_at > $4 FOR UPDATE SKIP LOCKED)",
        )
        .bind::<crate::sql::UtcTime, _>(now + ttl)
        .bind::<Text, _>(kind)
        .bind::<Text, _>(owner)
        .bind::<crate::sql::UtcTime, _>(now)
        .execute(&mut **c)?);
    }
    Ok(diesel::update(
        leases::table.filter(
            leases::kind
                .eq(kind)
                .and(leases::owner.eq(owner))
                .and(leases::expires_at.gt(At(now))),
        ),
    )
    .set(leases::expires_at.eq(At(now + ttl)))
    .execute_on(conn)?)
}

/// The keys of `kind` under a live lease of anyone (due queries leave them out).
pub fn live_keys(conn: &mut Conn, kind: &str, now: DateTime<Utc>) -> Result<HashSet<String>, DbError> {
    Ok(leases::table
        .filter(leases::kind.eq(kind).and(leases::expires_at.gt(At(now))))
        .select(leases::unit_key)
        .load_on::<String>(conn)?
        .into_iter()
        .collect())
}

/// Ends a claim; fenced, so a stale lease releases nothing. Returns whether it was ours.
pub fn release(conn: &mut Conn, lease: &Lease) -> Result<bool, DbError> {
    let n = diesel::delete(
        leases::table.filter(
            leases::kind
                .eq(&lease.kind)
                .and(leases::unit_key.eq(&lease.unit_key))
                .and(leases::owner.eq(&lease.owner))
                .and(leases::attempt.eq(lease.attempt)),
        ),
    )
    .execute_on(conn)?;
    Ok(n == 1)
}

/// Drops every lease of `owner` (when its lock is taken over: the owner is gone).
pub fn release_owner(conn: &mut Conn, owner: &str) -> Result<usize, DbError> {
    Ok(diesel::delete(leases::table.filter(leases::owner.eq(owner))).execute_on(conn)?)
}
