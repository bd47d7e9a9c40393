//! Postings: every board's postings, normalized (docs/stages.md#ingestion-persistence). A posting is unique
//! by (board, external id); its content hash says whether anything changed; a repost points to the earliest
//! posting of its company it repeats, which counts it once. The ingestion stage decides what to write
//! (with the scoring crate's repost rules) and writes it through these functions, inside the board's fenced
//! transaction.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use pipeline_domain::NormalizedPosting;

use crate::RunOn;
use crate::schema::postings;
use crate::sql::At;
use crate::{Conn, DbError};

mod batch;
mod groups;
mod shown;
mod sources;

pub use batch::{NewIds, NewPosting, add_reposts, insert_all};
pub use groups::{GroupRow, of_company_for_grouping, on_other_boards, set_groups};
pub use shown::{PostingRow, count, of_company, urls_of};
pub use sources::set_sources;

/// What the stage needs of a stored posting of the board being written.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct StoredPosting {
    /// The posting's id.
    pub id: i64,
    /// The provider's id, unique within the board.
    pub external_id: String,
    /// SHA-256 of the normalized posting: equal means nothing to write.
    pub content_hash: String,
    /// The stored description (kept when a new fetch comes without one).
    pub description: String,
    /// The description is still to come (the detail-call budget was spent).
    pub description_pending: bool,
    /// When it closed; `None` while open.
    pub closed_at: Option<DateTime<Utc>>,
}

/// What the stage compares an incoming posting with: a stored posting of the board, without its text.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct StoredState {
    /// The posting's id.
    pub id: i64,
    /// Its id on the board.
    pub external_id: String,
    /// The hash of its normalized content: the same hash means nothing to write.
    pub content_hash: String,
    /// Its description is still to come (the detail-call budget was spent).
    pub description_pending: bool,
    /// When it closed; `None` while open.
    pub closed_at: Option<DateTime<Utc>>,
    /// The source hash of the item it was last read from.
    pub source_hash: Option<String>,
}

/// A canonical (not a repost) posting of a company, for repost detection.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct CanonicalRow {
    /// The posting's id.
    pub id: i64,
    /// Its board.
    pub board_id: i64,
    /// The provider's id, unique within the board.
    pub external_id: String,
    /// The title, compared by repost detection.
    pub title: String,
    /// The description, compared by repost detection.
    pub description: String,
    /// When the provider says it was published.
    pub published_at: Option<DateTime<Utc>>,
    /// When the provider says it last changed.
    pub source_updated_at: Option<DateTime<Utc>>,
    /// When its stored content last changed.
    pub changed_at: DateTime<Utc>,
}

/// Makes the caller's write transaction the only writer of postings until it ends, so that repost
/// detection sees every posting of a company, whichever board another worker is writing. SQLite's write
/// transactions already exclude each other; PostgreSQL takes one advisory transaction lock for all
/// postings writes: one lock, so transactions that write several boards (the unit runner writes its
/// outcomes a batch at a time) can never wait for each other in a cycle, as per-company locks taken in
/// different orders would.
pub fn lock_postings(conn: &mut Conn) -> Result<(), DbError> {
    if let Conn::Postgres(c) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(7, 0)").execute(&mut **c)?;
    }
    Ok(())
}

/// The board's stored postings, by external id.
pub fn of_board(conn: &mut Conn, board_id: i64) -> Result<HashMap<String, StoredPosting>, DbError> {
    let rows: Vec<StoredPosting> = postings::table
        .filter(postings::board_id.eq(board_id))
        .select((
            postings::id,
            postings::external_id,
            postings::content_hash,
            postings::description,
            postings::description_pending,
            postings::closed_at,
        ))
        .load_on(conn)?;
    Ok(rows.into_iter().map(|p| (p.external_id.clone(), p)).collect())
}

/// The board's stored postings without their text, by external id (read from one index,
/// `idx_postings_board_state`, without visiting the rows).
pub fn states_of_board(conn: &mut Conn, board_id: i64) -> Result<HashMap<String, StoredState>, DbError> {
    let rows: Vec<StoredState> = postings::table
        .filter(postings::board_id.eq(board_id))
        .select((
            postings::id,
            postings::external_id,
            postings::content_hash,
            postings::description_pending,
            postings::closed_at,
            postings::source_hash,
        ))
        .load_on(conn)?;
    Ok(rows.into_iter().map(|p| (p.external_id.clone(), p)).collect())
}

/// The stored descriptions of these postings, by id.
pub fn descriptions_of(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, String>, DbError> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String)> = postings::table
            .filter(postings::id.eq_any(chunk))
            .select((postings::id, postings::description))
            .load_on(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

/// The company's canonical postings (open or closed: a repost of a closed posting is still a repost).
pub fn canonicals_of_company(conn: &mut Conn, company_id: i64) -> Result<Vec<CanonicalRow>, DbError> {
    Ok(postings::table
        .filter(postings::company_id.eq(company_id))
        .filter(postings::canonical_id.is_null())
        .select((
            postings::id,
            postings::board_id,
            postings::external_id,
            postings::title,
            postings::description,
            postings::published_at,
            postings::source_updated_at,
            postings::changed_at,
        ))
        .order(postings::id)
        .load_on(conn)?)
}

/// The columns a posting's content sets. `None` is NULL, in updates and inserts alike: an insert of many
/// rows with no DEFAULT among its values is one statement (diesel writes one statement a row otherwise).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = postings, treat_none_as_null = true, treat_none_as_default_value = false)]
struct Content<'a> {
    url: &'a str,
    title: &'a str,
    description: &'a str,
    locations: String,
    department: Option<&'a str>,
    employment_type: Option<&'a str>,
    workplace: Option<&'a str>,
    salary: Option<String>,
    requisition_id: Option<&'a str>,
    published_at: Option<At>,
    source_updated_at: Option<At>,
    content_hash: &'a str,
    description_pending: bool,
}

fn content<'a>(posting: &'a NormalizedPosting, hash: &'a str, pending: bool) -> Content<'a> {
    let (locations, salary, workplace) = encoded(posting);
    Content {
        url: &posting.url,
        title: &posting.title,
        description: &posting.description,
        locations,
        department: posting.department.as_deref(),
        employment_type: posting.employment_type.as_deref(),
        workplace,
        salary,
        requisition_id: posting.requisition_id.as_deref(),
        published_at: posting.published_at.map(At),
        source_updated_at: posting.updated_at.map(At),
        content_hash: hash,
        description_pending: pending,
    }
}

/// A posting's columns that are not its fields as they are: locations and salary as JSON, workplace as
/// its name.
fn encoded(posting: &NormalizedPosting) -> (String, Option<String>, Option<&'static str>) {
    // Strings and numbers: serializing cannot fail (a non-finite number is written as null).
    let locations = serde_json::to_string(&posting.locations).unwrap_or_else(|_| "[]".to_owned());
    let salary = posting
        .salary
        .as_ref()
        .and_then(|s| serde_json::to_string(s).ok());
    let workplace = posting.workplace.map(|w| match w {
        pipeline_domain::Workplace::Remote => "remote",
        pipeline_domain::Workplace::Hybrid => "hybrid",
        pipeline_domain::Workplace::Onsite => "onsite",
    });
    (locations, salary, workplace)
}

/// Inserts a new posting of `board_id` (marked for scoring unless its description is still to come), as a
/// repost of `canonical` if given (whose `repost_count` goes up by one); returns its id.
#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &mut Conn,
    board_id: i64,
    company_id: i64,
    posting: &NormalizedPosting,
    hash: &str,
    pending: bool,
    canonical: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let id = diesel::insert_into(postings::table)
        .values((
            postings::board_id.eq(board_id),
            postings::company_id.eq(company_id),
            postings::external_id.eq(&posting.external_id),
            content(posting, hash, pending),
            postings::first_seen_at.eq(At(now)),
            postings::changed_at.eq(At(now)),
            postings::canonical_id.eq(canonical),
            postings::needs_scoring.eq(!pending),
        ))
        .returning(postings::id)
        .get_result_on(conn)?;
    if let Some(canonical) = canonical {
        diesel::update(postings::table.find(canonical))
            .set(postings::repost_count.eq(postings::repost_count + 1))
            .execute_on(conn)?;
    }
    Ok(id)
}

/// Replaces a stored posting's content (it changed) and the source hash of the item it was read from:
/// marked for scoring unless its description is still to come, reopened if it was closed.
#[allow(clippy::too_many_arguments)]
pub fn update(
    conn: &mut Conn,
    id: i64,
    posting: &NormalizedPosting,
    hash: &str,
    pending: bool,
    source: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(postings::table.find(id))
        .set((
            content(posting, hash, pending),
            postings::source_hash.eq(source),
            postings::changed_at.eq(At(now)),
            postings::closed_at.eq(None::<DateTime<Utc>>),
            postings::needs_scoring.eq(!pending),
        ))
        .execute_on(conn)?;
    Ok(())
}

/// `new` (just inserted) becomes the canonical posting of `old`'s group: `old` and its reposts point to
/// `new`, which counts them all besides its own (the group's earliest posting is its canonical whatever
/// order the boards were written in).
pub fn take_over_canonical(conn: &mut Conn, old: i64, new: i64) -> Result<(), DbError> {
    let count: i32 = postings::table
        .find(old)
        .select(postings::repost_count)
        .first_on(conn)?;
    diesel::update(postings::table.filter(postings::canonical_id.eq(old)))
        .set(postings::canonical_id.eq(new))
        .execute_on(conn)?;
    diesel::update(postings::table.find(old))
        .set((postings::canonical_id.eq(new), postings::repost_count.eq(0)))
        .execute_on(conn)?;
    diesel::update(postings::table.find(new))
        .set(postings::repost_count.eq(postings::repost_count + count + 1))
        .execute_on(conn)?;
    Ok(())
}

/// Reopens a closed posting whose board returns it again, unchanged.
pub fn reopen(conn: &mut Conn, id: i64) -> Result<(), DbError> {
    diesel::update(postings::table.find(id))
        .set(postings::closed_at.eq(None::<DateTime<Utc>>))
        .execute_on(conn)?;
    Ok(())
}

/// Closes the given open postings (a complete fetch of their board no longer returns them).
pub fn close(conn: &mut Conn, ids: &[i64], now: DateTime<Utc>) -> Result<usize, DbError> {
    let mut closed = 0;
    for chunk in ids.chunks(500) {
        closed += diesel::update(postings::table.filter(postings::id.eq_any(chunk)))
            .filter(postings::closed_at.is_null())
            .set(postings::closed_at.eq(At(now)))
            .execute_on(conn)?;
    }
    Ok(closed)
}

/// Closes every open posting of a board (the provider says the board is gone).
pub fn close_board(conn: &mut Conn, board_id: i64, now: DateTime<Utc>) -> Result<usize, DbError> {
    Ok(diesel::update(postings::table)
        .filter(postings::board_id.eq(board_id))
        .filter(postings::closed_at.is_null())
        .set(postings::closed_at.eq(At(now)))
        .execute_on(conn)?)
}
