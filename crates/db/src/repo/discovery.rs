//! Each company's discovery schedule: which companies are due (never checked, or their `next_due_at`
//! passed), oldest due first, and the outcome of a check, written under the unit's fence.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::RunOn;
use crate::repo::leases::Fenced;
use crate::schema::{companies, company_discovery as discovery};
use crate::sql::At;
use crate::{Conn, DbError};

/// A company due for discovery.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct DueCompany {
    /// The company's id.
    pub id: i64,
    /// Its display name, for logs and the owner check of a board's company name.
    pub name: Option<String>,
    /// The website discovery starts from.
    pub website_url: String,
    /// The website's domain (a board on the company's own domain is its own).
    pub domain: Option<String>,
    /// Consecutive failures so far (0 when never checked).
    pub failures: Option<i32>,
}

/// What a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// At least one board was validated: due again after the long interval.
    Found,
    /// No board: due again after the `not_found` interval.
    NotFound,
}

/// Up to `limit` due companies, oldest due first (never checked first), with a website and not resolved,
/// leaving out the keys in `leased` (company ids under a live lease).
pub fn due(
    conn: &mut Conn,
    now: DateTime<Utc>,
    limit: usize,
    company: Option<&str>,
    leased: &HashSet<String>,
) -> Result<Vec<DueCompany>, DbError> {
    let resolved = super::resolved_names();
    // A boxed query is typed by its backend: built once per backend.
    let rows: Vec<DueCompany> = crate::with_conn!(conn, |c| {
        let mut query = companies::table
            .left_join(discovery::table)
            .filter(companies::website_url.is_not_null())
            .filter(companies::resolution.ne_all(resolved))
            .filter(
                discovery::next_due_at
                    .is_null()
                    .or(discovery::next_due_at.le(At(now))),
            )
            .select((
                companies::id,
                companies::name_display,
                companies::website_url.assume_not_null(),
                companies::website_domain,
                discovery::failures.nullable(),
            ))
            // Never checked first (false < true on every backend, unlike NULL ordering), then oldest due.
            .order((
                discovery::next_due_at.is_not_null(),
                discovery::next_due_at,
                companies::id,
            ))
            .limit(super::due_query_limit(limit, leased))
            .into_boxed();
        if let Some(domain) = company {
            query = query.filter(
                companies::website_domain.eq(domain.trim().trim_start_matches("www.").to_ascii_lowercase()),
            );
        }
        query.load(c)
    })?;
    Ok(super::unleased(rows, leased, limit, |c: &DueCompany| c.id))
}

/// Records a completed check; `next_due_at` is when to look again.
pub fn record_checked(
    tx: &mut Fenced<'_>,
    company_id: i64,
    checked: Checked,
    next_due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let outcome = match checked {
        Checked::Found => "found",
        Checked::NotFound => "not_found",
    };
    let state = || {
        (
            discovery::last_checked_at.eq(Some(now)),
            discovery::outcome.eq(outcome),
            discovery::failures.eq(0),
            discovery::error_class.eq(None::<&str>),
            discovery::last_error.eq(None::<&str>),
            discovery::next_due_at.eq(At(next_due_at)),
        )
    };
    diesel::insert_into(discovery::table)
        .values((discovery::company_id.eq(company_id), state()))
        .on_conflict(discovery::company_id)
        .do_update()
        .set(state())
        .execute_on(tx.conn())?;
    Ok(())
}

/// Records a failed check: its class and message, when to try again, and whether it counts as a failure
/// (a rate-limit snooze does not).
pub fn record_failure(
    tx: &mut Fenced<'_>,
    company_id: i64,
    class: &str,
    message: &str,
    next_due_at: DateTime<Utc>,
    counts: bool,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let add = i32::from(counts);
    let state = (
        discovery::last_checked_at.eq(Some(now)),
        discovery::outcome.eq("error"),
        discovery::error_class.eq(Some(class)),
        discovery::last_error.eq(Some(message)),
        discovery::next_due_at.eq(At(next_due_at)),
    );
    diesel::insert_into(discovery::table)
        .values((
            discovery::company_id.eq(company_id),
            discovery::failures.eq(add),
            state,
        ))
        .on_conflict(discovery::company_id)
        .do_update()
        .set((discovery::failures.eq(discovery::failures + add), state))
        .execute_on(tx.conn())?;
    Ok(())
}

/// Makes a company due at once (a board of it went gone: look for where it moved).
pub fn make_due(conn: &mut Conn, company_id: i64, now: DateTime<Utc>) -> Result<(), DbError> {
    diesel::update(discovery::table.find(company_id))
        .set(discovery::next_due_at.eq(At(now)))
        .execute_on(conn)?;
    Ok(())
}

/// The discovery state of a company: (outcome, failures, next due).
pub fn state_of(conn: &mut Conn, company_id: i64) -> Result<Option<(String, i32, DateTime<Utc>)>, DbError> {
    Ok(discovery::table
        .find(company_id)
        .select((discovery::outcome, discovery::failures, discovery::next_due_at))
        .first_on(conn)
        .optional()?)
}
