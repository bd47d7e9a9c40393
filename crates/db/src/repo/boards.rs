//! Boards: what discovery found (or `[[boards]]` declared) for a company, with the evidence and status. An
//! active board belongs to one company for good: a second company naming it gets a `board_conflict` event
//! and nothing else. A board held only as suspect or invalid evidence goes to the company it validates for.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use pipeline_domain::{BoardRef, BoardStatus};

use crate::RunOn;
use crate::repo::events::{self, NewEvent};
use crate::schema::{boards, companies};
use crate::sql::At;
use crate::{Conn, DbError};

/// A board as discovery validated it.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundBoard {
    /// The board.
    pub board: BoardRef,
    /// What validation made of it.
    pub status: BoardStatus,
    /// Why it is suspect or invalid.
    pub status_reason: Option<String>,
    /// The ATS URL as found on the site.
    pub evidence_url: String,
    /// The page it was found on.
    pub found_on: String,
    /// `link`, `iframe`, `script` or `text`.
    pub how: String,
    /// Open postings the provider listed when validated.
    pub job_count: Option<i32>,
    /// The company name the provider gives, if any.
    pub provider_company_name: Option<String>,
}

/// What recording a board did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// A new board for the company (or one reassigned to it).
    Created,
    /// The company's known board, its evidence refreshed.
    Updated,
    /// Another company owns the board: nothing was written for this one.
    Conflict {
        /// The company that owns it.
        owner: i64,
    },
}

/// A stored board (`companies --json` → `boards`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = boards)]
pub struct BoardRow {
    /// The board's id.
    pub id: i64,
    /// The company that owns it.
    pub company_id: i64,
    /// The reference as found or declared (`greenhouse:Acme@eu`; the tenant keeps the provider's case).
    pub reference: String,
    /// The provider's key.
    pub provider: String,
    /// `active`, `suspect`, `gone` or `invalid`.
    pub status: String,
    /// Why it is suspect, invalid or gone.
    pub status_reason: Option<String>,
    /// `discovery`, or `config` for a `[[boards]]` entry.
    pub source: String,
    /// The ATS URL as found on the site.
    pub evidence_url: Option<String>,
    /// The page it was found on.
    pub found_on: Option<String>,
    /// `link`, `iframe`, `script` or `text`.
    pub how: Option<String>,
    /// Open postings the provider listed when last validated.
    pub job_count: Option<i32>,
    /// The company name the provider gives, if any.
    pub provider_company_name: Option<String>,
    /// When its provider last confirmed it.
    pub validated_at: Option<DateTime<Utc>>,
    /// When it was first stored.
    pub first_seen_at: DateTime<Utc>,
    /// When the row last changed.
    pub updated_at: DateTime<Utc>,
}

fn owner_of(conn: &mut Conn, key: &str) -> Result<Option<(i64, i64, String)>, DbError> {
    Ok(boards::table
        .filter(boards::board_key.eq(key))
        .select((boards::id, boards::company_id, boards::status))
        .first_on(conn)
        .optional()?)
}

/// Whether a stored status makes the board its company's (active, or gone: it was theirs).
fn holds(status: &str) -> bool {
    status == BoardStatus::Active.as_str() || status == BoardStatus::Gone.as_str()
}

/// Records a discovery event about `board` for `company_id`.
fn board_event(
    conn: &mut Conn,
    kind: &str,
    company_id: i64,
    board: &BoardRef,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let subject = board.to_string();
    let event = NewEvent {
        kind,
        stage: Some("discovery"),
        company_id: Some(company_id),
        subject: Some(&subject),
        detail: Some(detail),
    };
    events::record(conn, now, event)
}

fn conflict(
    conn: &mut Conn,
    company_id: i64,
    board: &BoardRef,
    owner: i64,
    now: DateTime<Utc>,
) -> Result<Recorded, DbError> {
    let detail = format!("already owned by company {owner}");
    board_event(conn, "board_conflict", company_id, board, &detail, now)?;
    Ok(Recorded::Conflict { owner })
}

/// Records a board discovery validated for `company_id` (call inside the unit's fenced transaction). A
/// board declared in `[[boards]]` keeps its `active` status; a `board_found` event marks a new one.
pub fn record_found(
    conn: &mut Conn,
    company_id: i64,
    found: &FoundBoard,
    now: DateTime<Utc>,
) -> Result<Recorded, DbError> {
    let key = found.board.key();
    let evidence = (
        boards::evidence_url.eq(&found.evidence_url),
        boards::found_on.eq(&found.found_on),
        boards::how.eq(&found.how),
        boards::job_count.eq(found.job_count),
        boards::provider_company_name.eq(&found.provider_company_name),
        boards::validated_at.eq(At(now)),
        boards::updated_at.eq(At(now)),
    );
    match owner_of(conn, &key)? {
        // A board another company only holds as suspect or invalid evidence goes to the company it
        // validates for (a site linking a partner's board must not keep the partner from its own).
        Some((id, owner, status))
            if owner != company_id && found.status == BoardStatus::Active && !holds(&status) =>
        {
            diesel::update(boards::table.find(id))
                .set((
                    evidence,
                    boards::company_id.eq(company_id),
                    boards::status.eq(BoardStatus::Active.as_str()),
                    boards::status_reason.eq(None::<String>),
                    boards::source.eq("discovery"),
                ))
                .execute_on(conn)?;
            let detail = format!("was {status} under company {owner}");
            board_event(conn, "board_reassigned", company_id, &found.board, &detail, now)?;
            Ok(Recorded::Created)
        }
        Some((_, owner, _)) if owner != company_id => conflict(conn, company_id, &found.board, owner, now),
        Some((id, _, status)) => {
            // A hand-confirmed board stays active whatever the API's company name says.
            let declared = boards::table
                .find(id)
                .select(boards::source)
                .first_on::<String>(conn)?
                == "config";
            let status = if declared && status == BoardStatus::Active.as_str() {
                BoardStatus::Active
            } else {
                found.status
            };
            diesel::update(boards::table.find(id))
                .set((
                    evidence,
                    boards::status.eq(status.as_str()),
                    boards::status_reason.eq(&found.status_reason),
                ))
                .execute_on(conn)?;
            Ok(Recorded::Updated)
        }
        None => {
            diesel::insert_into(boards::table)
                .values((
                    boards::company_id.eq(company_id),
                    boards::reference.eq(found.board.to_string()),
                    boards::provider.eq(found.board.provider.key()),
                    boards::board_key.eq(&key),
                    boards::status.eq(found.status.as_str()),
                    boards::status_reason.eq(&found.status_reason),
                    boards::source.eq("discovery"),
                    boards::first_seen_at.eq(At(now)),
                    evidence,
                ))
                .execute_on(conn)?;
            board_event(
                conn,
                "board_found",
                company_id,
                &found.board,
                found.status.as_str(),
                now,
            )?;
            Ok(Recorded::Created)
        }
    }
}

/// A `[[boards]]` entry: adds the board as `active` (source `config`) or confirms a found one (`suspect`
/// becomes `active`). A board owned by another company is a conflict.
pub fn declare(
    conn: &mut Conn,
    company_id: i64,
    board: &BoardRef,
    now: DateTime<Utc>,
) -> Result<Recorded, DbError> {
    match owner_of(conn, &board.key())? {
        Some((_, owner, _)) if owner != company_id => conflict(conn, company_id, board, owner, now),
        Some((id, _, _)) => {
            diesel::update(boards::table.find(id))
                .set((
                    boards::status.eq(BoardStatus::Active.as_str()),
                    boards::status_reason.eq(None::<String>),
                    boards::source.eq("config"),
                    boards::updated_at.eq(At(now)),
                ))
                .execute_on(conn)?;
            Ok(Recorded::Updated)
        }
        None => {
            diesel::insert_into(boards::table)
                .values((
                    boards::company_id.eq(company_id),
                    boards::reference.eq(board.to_string()),
                    boards::provider.eq(board.provider.key()),
                    boards::board_key.eq(board.key()),
                    boards::status.eq(BoardStatus::Active.as_str()),
                    boards::source.eq("config"),
                    boards::first_seen_at.eq(At(now)),
                    boards::updated_at.eq(At(now)),
                ))
                .execute_on(conn)?;
            Ok(Recorded::Created)
        }
    }
}

/// Whether the board stored under `board`'s key was never validated, or not since `since`.
pub fn needs_validation(conn: &mut Conn, board: &BoardRef, since: DateTime<Utc>) -> Result<bool, DbError> {
    let validated: Option<Option<DateTime<Utc>>> = boards::table
        .filter(boards::board_key.eq(board.key()))
        .select(boards::validated_at)
        .first_on(conn)
        .optional()?;
    Ok(matches!(validated, Some(at) if at.is_none_or(|at| at < since)))
}

/// Records what the provider's API said of a stored board: its job count and company name, validated now.
pub fn record_validation(
    conn: &mut Conn,
    board: &BoardRef,
    job_count: i32,
    provider_company_name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(boards::table.filter(boards::board_key.eq(board.key())))
        .set((
            boards::job_count.eq(job_count),
            boards::provider_company_name.eq(provider_company_name),
            boards::validated_at.eq(At(now)),
            boards::updated_at.eq(At(now)),
        ))
        .execute_on(conn)?;
    Ok(())
}

/// The boards of these companies, by company id, oldest first.
pub fn of_companies(conn: &mut Conn, ids: &[i64]) -> Result<BTreeMap<i64, Vec<BoardRow>>, DbError> {
    let mut by_company: BTreeMap<i64, Vec<BoardRow>> = BTreeMap::new();
    // In slices: a sheet of tens of thousands of companies must not exceed SQLite's bound-parameter limit.
    for chunk in ids.chunks(500) {
        let rows: Vec<BoardRow> = boards::table
            .filter(boards::company_id.eq_any(chunk))
            .order(boards::id)
            .select(crate::sql::columns::<BoardRow>())
            .load_on(conn)?;
        for row in rows {
            by_company.entry(row.company_id).or_default().push(row);
        }
    }
    Ok(by_company)
}

/// Suspect boards with their company's domain (for `status`), oldest first.
pub fn suspects(conn: &mut Conn, limit: i64) -> Result<Vec<(BoardRow, Option<String>)>, DbError> {
    Ok(boards::table
        .inner_join(companies::table)
        .filter(boards::status.eq(BoardStatus::Suspect.as_str()))
        .order(boards::id)
        .limit(limit)
        .select((crate::sql::columns::<BoardRow>(), companies::website_domain))
        .load_on(conn)?)
}
