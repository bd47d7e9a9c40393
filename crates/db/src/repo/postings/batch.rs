//! New postings written many rows a statement, with ids chosen before the write, so that one statement can
//! hold a posting and its reposts (docs/stages.md#ingestion-persistence).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use pipeline_domain::NormalizedPosting;

use crate::RunOn;
use crate::schema::postings;
use crate::sql::At;
use crate::{Conn, DbError};

/// A new posting of a board, its id chosen by the caller (from [`NewIds`]) so that the batch it is
/// written in can hold its reposts too. Owned: the rows of a statement are moved into it.
#[derive(Debug, Clone)]
pub struct NewPosting {
    /// The id it gets (from [`NewIds`]).
    pub id: i64,
    /// The normalized posting.
    pub posting: NormalizedPosting,
    /// Its content hash.
    pub hash: String,
    /// The source hash of the item it was read from, if the client gave one.
    pub source: Option<String>,
    /// Its description is still to come: not marked for scoring yet.
    pub pending: bool,
    /// The posting it reposts.
    pub canonical: Option<i64>,
    /// Reposts of it in the same batch.
    pub repost_count: i32,
}

/// Ids for the new postings of one write transaction, taken one by one as they are decided; each is
/// above every id taken before it, so the postings of a batch have the highest ids of the company.
/// SQLite (one writer at a time) counts up from the highest id ever used, as AUTOINCREMENT would;
/// PostgreSQL takes them from the identity sequence, a block at a time, so concurrent writers never
/// collide (an unused id is a gap, as a rolled-back insert leaves).
#[derive(Debug, Default)]
pub struct NewIds {
    next: Option<i64>,
    reserved: std::collections::VecDeque<i64>,
}

/// How many ids a PostgreSQL writer takes from the sequence at a time.
const ID_BLOCK: i64 = 64;

impl NewIds {
    /// The id of the next new posting.
    pub fn take(&mut self, conn: &mut Conn) -> Result<i64, DbError> {
        match conn {
            Conn::Sqlite(c) => {
                let id = match self.next {
                    Some(id) => id,
                    None => {
                        // Two statements of the query builder, prepared once per connection (an SQL text
                        // statement is parsed again every time).
                        let seq: Option<i64> = sqlite_sequence::table
                            .filter(sqlite_sequence::name.eq("postings"))
                            .select(sqlite_sequence::seq)
                            .first(&mut **c)
                            .optional()?;
                        let max: Option<i64> = postings::table
                            .select(diesel::dsl::max(postings::id))
                            .first(&mut **c)?;
                        seq.unwrap_or(0).max(max.unwrap_or(0)) + 1
                    }
                };
                self.next = Some(id + 1);
                Ok(id)
            }
            Conn::Postgres(c) => {
                if self.reserved.is_empty() {
                    let block: Vec<Next> = diesel::sql_query(
                        "SELECT nextval(pg_get_serial_sequence('postings', 'id')) AS next \
                         FROM generate_series(1, $1)",
                    )
                    .bind::<diesel::sql_types::BigInt, _>(ID_BLOCK)
                    .load(&mut **c)?;
                    let mut ids: Vec<i64> = block.into_iter().map(|n| n.next).collect();
                    ids.sort_unstable();
                    self.reserved.extend(ids);
                }
                self.reserved
                    .pop_front()
                    .ok_or_else(|| DbError::Corrupt("the postings id sequence returned nothing".into()))
            }
        }
    }
}

// SQLite's own table of AUTOINCREMENT counters, read by `NewIds` (not part of the schema).
diesel::table! {
    sqlite_sequence (name) {
        name -> Text,
        seq -> BigInt,
    }
}

#[derive(QueryableByName)]
struct Next {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    next: i64,
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
    // statement cache (a statement of any other length would be parsed and planned anew every time); 23
    // columns a row stay well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters a statement.
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
        .execute_on(conn)?;
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
    published_at: Option<At>,
    source_updated_at: Option<At>,
    content_hash: String,
    source_hash: Option<String>,
    description_pending: bool,
    first_seen_at: At,
    changed_at: At,
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
            published_at: p.published_at.map(At),
            source_updated_at: p.updated_at.map(At),
            content_hash: row.hash,
            source_hash: row.source,
            description_pending: row.pending,
            first_seen_at: At(now),
            changed_at: At(now),
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
        .execute_on(conn)?;
    Ok(())
}
