//! New postings written many rows a statement, with ids chosen before the write, so that one statement can
//! hold a posting and its reposts (docs/stages.md#ingestion-persistence).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use pipeline_domain::NormalizedPosting;

use super::content;
use crate::RunOn;
use crate::schema::postings;
use crate::sql::At;
use crate::{Conn, DbError};

/// A new posting of a board, its id chosen by the caller (from [`NewIds`]) so that the batch it is
/// written in can hold its reposts too.
#[derive(Debug, Clone, Copy)]
pub struct NewPosting<'a> {
    /// The id it gets (from [`NewIds`]).
    pub id: i64,
    /// The normalized posting.
    pub posting: &'a NormalizedPosting,
    /// Its content hash.
    pub hash: &'a str,
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
                    None => diesel::sql_query(
                        "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'postings'), 0), \
                             COALESCE((SELECT MAX(id) FROM postings), 0)) + 1 AS next",
                    )
                    .get_result::<Next>(&mut **c)?
                    .next,
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
    rows: &[NewPosting<'_>],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    // 20 columns a row: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters a statement.
    for chunk in rows.chunks(250) {
        let values: Vec<_> = chunk
            .iter()
            .map(|row| {
                (
                    (
                        postings::id.eq(row.id),
                        postings::board_id.eq(board_id),
                        postings::company_id.eq(company_id),
                        postings::external_id.eq(&row.posting.external_id),
                    ),
                    content(row.posting, row.hash, row.pending),
                    (
                        postings::first_seen_at.eq(At(now)),
                        postings::changed_at.eq(At(now)),
                        postings::canonical_id.eq(row.canonical),
                        postings::repost_count.eq(row.repost_count),
                        postings::needs_scoring.eq(!row.pending),
                    ),
                )
            })
            .collect();
        diesel::insert_into(postings::table)
            .values(values)
            .execute_on(conn)?;
    }
    Ok(())
}

/// Counts `n` more reposts of `canonical`.
pub fn add_reposts(conn: &mut Conn, canonical: i64, n: i32) -> Result<(), DbError> {
    diesel::update(postings::table.find(canonical))
        .set(postings::repost_count.eq(postings::repost_count + n))
        .execute_on(conn)?;
    Ok(())
}
