//! Unit leases: a worker claims a unit (a company to discover, a board to ingest) for a TTL; every write
//! of the unit's outcome is fenced by (owner, attempt) so a worker that lost its lease cannot overwrite
//! the new owner's work.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use crate::schema::leases;
use crate::{Conn, DbError};

/// Proof of a claim, presented with every write of the unit's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub kind: String,
    pub unit_key: String,
    pub owner: String,
    pub attempt: i32,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = leases)]
struct LeaseRow {
    owner: String,
    attempt: i32,
    expires_at: DateTime<Utc>,
}

/// Claims a unit: free units and units whose lease expired are taken (attempt counted at claim);
/// `None` when another owner holds a live lease. Call inside a write transaction.
pub fn claim(
    conn: &mut Conn,
    kind: &str,
    unit_key: &str,
    owner: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<Option<Lease>, DbError> {
    let current: Option<LeaseRow> = leases::table
        .find((kind, unit_key))
        .select(LeaseRow::as_select())
        .first(conn)
        .optional()?;
    let attempt = match current {
        Some(row) if row.expires_at > now && row.owner != owner => return Ok(None),
        Some(row) => row.attempt + 1,
        None => 1,
    };
    let expires_at = now + ttl;
    let claim = (
        leases::owner.eq(owner),
        leases::attempt.eq(attempt),
        leases::acquired_at.eq(now),
        leases::expires_at.eq(expires_at),
    );
    diesel::insert_into(leases::table)
        .values((leases::kind.eq(kind), leases::unit_key.eq(unit_key), claim))
        .on_conflict((leases::kind, leases::unit_key))
        .do_update()
        .set(claim)
        .execute(conn)?;
    Ok(Some(Lease {
        kind: kind.into(),
        unit_key: unit_key.into(),
        owner: owner.into(),
        attempt,
        expires_at,
    }))
}

/// Whether `lease` is still the current claim (the fence every outcome write checks first).
pub fn holds(conn: &mut Conn, lease: &Lease, now: DateTime<Utc>) -> Result<bool, DbError> {
    let current: Option<LeaseRow> = leases::table
        .find((&lease.kind, &lease.unit_key))
        .select(LeaseRow::as_select())
        .first(conn)
        .optional()?;
    Ok(current.is_some_and(|r| r.owner == lease.owner && r.attempt == lease.attempt && r.expires_at > now))
}

/// Extends every lease of `owner` (the heartbeat). Returns how many were extended.
pub fn renew_owner(
    conn: &mut Conn,
    owner: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<usize, DbError> {
    Ok(
        diesel::update(leases::table.filter(leases::owner.eq(owner).and(leases::expires_at.gt(now))))
            .set(leases::expires_at.eq(now + ttl))
            .execute(conn)?,
    )
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
    .execute(conn)?;
    Ok(n == 1)
}

/// Drops every lease of `owner` (on shutdown, or when its lock is taken over).
pub fn release_owner(conn: &mut Conn, owner: &str) -> Result<usize, DbError> {
    Ok(diesel::delete(leases::table.filter(leases::owner.eq(owner))).execute(conn)?)
}
