//! Named locks with an owner, a TTL and heartbeats. Taking over a lock abandons its owner's runs and
//! leases in the same transaction.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use crate::RunOn;
use crate::repo::{events, leases, runs};
use crate::schema::locks;
use crate::sql::At;
use crate::{Conn, DbError};

/// A named lock as stored (`status` lists them).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = locks)]
pub struct LockRow {
    /// `cycle`, or a stage's key under `forever --shared`.
    pub name: String,
    /// Its holder, `host:pid:random`.
    pub owner: String,
    /// When the holder took it.
    pub acquired_at: DateTime<Utc>,
    /// The holder's last renewal.
    pub heartbeat_at: DateTime<Utc>,
    /// When another process may take it over if the holder has not renewed it.
    pub expires_at: DateTime<Utc>,
}

/// The outcome of trying to take a lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acquire {
    /// Ours now; `took_over` is the expired or dead holder we replaced, and `abandoned` how many of its
    /// runs were marked `abandoned`.
    Acquired {
        /// The stale lock replaced, if any.
        took_over: Option<LockRow>,
        /// Its holder's runs marked `abandoned`.
        abandoned: usize,
    },
    /// Someone else holds it.
    Held(LockRow),
}

/// Takes `name` for `owner` until `now + ttl`. A live lock held by someone else is refused; one that
/// expired, or whose owner `is_dead` says is gone, is taken over. Call inside a write transaction.
pub fn try_acquire(
    conn: &mut Conn,
    name: &str,
    owner: &str,
    now: DateTime<Utc>,
    ttl: Duration,
    is_dead: &dyn Fn(&str) -> bool,
) -> Result<Acquire, DbError> {
    let current: Option<LockRow> = locks::table
        .find(name)
        .select(crate::sql::columns::<LockRow>())
        .first_on(conn)
        .optional()?;
    let took_over = match current {
        Some(held) if held.owner != owner && held.expires_at > now && !is_dead(&held.owner) => {
            return Ok(Acquire::Held(held));
        }
        Some(held) if held.owner != owner => Some(held),
        _ => None,
    };
    let abandoned = match &took_over {
        Some(old) => {
            leases::release_owner(conn, &old.owner)?;
            let abandoned = runs::abandon_owner(conn, &old.owner, now)?;
            let detail = format!(
                "from {} (expired {}); {abandoned} run(s) abandoned",
                old.owner,
                old.expires_at.to_rfc3339()
            );
            let event = events::NewEvent {
                kind: "lock_taken_over",
                subject: Some(name),
                detail: Some(&detail),
                ..Default::default()
            };
            events::record(conn, now, event)?;
            abandoned
        }
        None => 0,
    };
    let holder = (
        locks::owner.eq(owner),
        locks::acquired_at.eq(At(now)),
        locks::heartbeat_at.eq(At(now)),
        locks::expires_at.eq(At(now + ttl)),
    );
    diesel::insert_into(locks::table)
        .values((locks::name.eq(name), holder))
        .on_conflict(locks::name)
        .do_update()
        .set(holder)
        .execute_on(conn)?;
    Ok(Acquire::Acquired { took_over, abandoned })
}

/// Extends a lock we hold; `false` when it is no longer ours (taken over after expiring).
pub fn renew(
    conn: &mut Conn,
    name: &str,
    owner: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<bool, DbError> {
    let n = diesel::update(locks::table.filter(locks::name.eq(name).and(locks::owner.eq(owner))))
        .set((
            locks::heartbeat_at.eq(At(now)),
            locks::expires_at.eq(At(now + ttl)),
        ))
        .execute_on(conn)?;
    Ok(n == 1)
}

/// Releases a lock we hold; `false` when it was not ours.
pub fn release(conn: &mut Conn, name: &str, owner: &str) -> Result<bool, DbError> {
    let n = diesel::delete(locks::table.filter(locks::name.eq(name).and(locks::owner.eq(owner))))
        .execute_on(conn)?;
    Ok(n == 1)
}

/// Every lock held (expired ones too, until taken over), by name.
pub fn list(conn: &mut Conn) -> Result<Vec<LockRow>, DbError> {
    Ok(locks::table
        .select(crate::sql::columns::<LockRow>())
        .order(locks::name)
        .load_on(conn)?)
}

/// The lock `name`, if someone holds it.
pub fn get(conn: &mut Conn, name: &str) -> Result<Option<LockRow>, DbError> {
    Ok(locks::table
        .find(name)
        .select(crate::sql::columns::<LockRow>())
        .first_on(conn)
        .optional()?)
}
