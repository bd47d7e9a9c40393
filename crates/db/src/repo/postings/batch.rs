//! New postings written many rows a statement, with ids chosen before the write, so that one statement can
//! hold a posting and its reposts (docs/stages.md#ingestion-persistence).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use pipeline_domain::NormalizedPosting;

use crate::schema::postings;
use crate::{Conn, DbError};

/// A new posting of a board, its id chosen by the caller (from [`next_id`]) so that the batch it is
/// written in can hold its reposts too. Owned: the rows of a statement are moved into it.
#[derive(Debug, Clone)]
pub struct NewPosting {
    /// The id it gets (from [`next_id`]).
    pub id: i64,
    /// The normalized posting.
    pub posting: NormalizedPosting,
    /// Its content hash.
    pub hash: String,
    /// Its description is still to come: not marked for scoring yet.
    pub pending: bool,
    /// The posting it reposts.
    pub canonical: Option<i64>,
    /// Reposts of it in the same batch.
    pub repost_count: i32,
}

/// The id the next new posting takes: above every id ever used, as AUTOINCREMENT would choose. Valid until
/// the write transaction it was read in ends.
pub fn next_id(conn: &mut Conn) -> Result<i64, DbError> {
    #[derive(QueryableByName)]
    struct Next {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        next: i64,
    }
    let next: Next = diesel::sql_query(
        "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'postings'), 0), \
         COALESCE((SELECT MAX(id) FROM postings), 0)) + 1 AS next",
    )
    .get_result(conn)?;
    Ok(next.next)
}

/// Inserts new postings of `board_id` (each marked for scoring unless its description is still to come),
/// many rows a statement, with the ids they carry: a repost may point to a posting of the same batch.
pub fn insert_all(
    conn: &mut Conn,
    board_id: i64,
    company_id: i64,
    rows: Vec<NewPosting>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut rows = rows
        .into_iter()
        .map(|row| Row::new(row, board_id, company_id, now));
    // Statements of a fixed number of rows, each prepared once per connection and kept in diesel's
    // statement cache (a statement of any other length would be parsed and planned anew every time); 20
    // columns a row stay well under SQLite's 32,766 bound parameters a statement.
    let mut left = rows.len();
    while left > 0 {
        left -= match left {
            64.. => insert::<64>(conn, &mut rows)?,
            16.. => insert::<16>(conn, &mut rows)?,
            4.. => insert::<4>(conn, &mut rows)?,
            _ => insert::<1>(conn, &mut rows)?,
        };
    }
    Ok(())
}

/// Inserts the next `N` rows in one statement (`rows` holds at least `N`); `N`.
fn insert<const N: usize>(conn: &mut Conn, rows: &mut impl Iterator<Item = Row>) -> Result<usize, DbError> {
    let chunk: Vec<Row> = rows.take(N).collect();
    let values: Box<[Row; N]> = chunk.into_boxed_slice().try_into().map_err(|short: Box<[Row]>| {
        DbError::Worker(format!("{} rows for a statement of {N}", short.len()))
    })?;
    diesel::insert_into(postings::table)
        .values(values)
        .execute(conn)?;
    Ok(N)
}

/// A new posting's row, every column given (`None` is NULL: a statement of many rows with no DEFAULT).
#[derive(Insertable)]
#[diesel(table_name = postings, treat_none_as_null = true, treat_none_as_default_value = false)]
struct Row {
    id: i64,
    board_id: i64,
    company_id: i64,
    external_id: String,
    url: String,
    title: String,
    description: String,
    locations: String,
    department: Option<String>,
    employment_type: Option<String>,
    workplace: Option<&'static str>,
    salary: Option<String>,
    requisition_id: Option<String>,
    published_at: Option<DateTime<Utc>>,
    source_updated_at: Option<DateTime<Utc>>,
    content_hash: String,
    description_pending: bool,
    first_seen_at: DateTime<Utc>,
    changed_at: DateTime<Utc>,
    canonical_id: Option<i64>,
    repost_count: i32,
    needs_scoring: bool,
}

impl Row {
    fn new(row: NewPosting, board_id: i64, company_id: i64, now: DateTime<Utc>) -> Row {
        let (locations, salary, workplace) = super::encoded(&row.posting);
        let p = row.posting;
        Row {
            id: row.id,
            board_id,
            company_id,
            external_id: p.external_id,
            url: p.url,
            title: p.title,
            description: p.description,
            locations,
            department: p.department,
            employment_type: p.employment_type,
            workplace,
            salary,
            requisition_id: p.requisition_id,
            published_at: p.published_at,
            source_updated_at: p.updated_at,
            content_hash: row.hash,
            description_pending: row.pending,
            first_seen_at: now,
            changed_at: now,
            canonical_id: row.canonical,
            repost_count: row.repost_count,
            needs_scoring: !row.pending,
        }
    }
}

/// Counts `n` more reposts of `canonical`.
pub fn add_reposts(conn: &mut Conn, canonical: i64, n: i32) -> Result<(), DbError> {
    diesel::update(postings::table.find(canonical))
        .set(postings::repost_count.eq(postings::repost_count + n))
        .execute(conn)?;
    Ok(())
}
