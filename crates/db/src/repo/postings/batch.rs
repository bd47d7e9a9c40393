//! New postings written many rows a statement, with ids chosen before the write, so that one statement can
//! hold a posting and its reposts (docs/stages.md#ingestion-persistence).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use pipeline_domain::NormalizedPosting;

use super::content;
use crate::schema::postings;
use crate::{Conn, DbError};

/// A new posting of a board, its id chosen by the caller (from [`next_id`]) so that the batch it is
/// written in can hold its reposts too.
#[derive(Debug, Clone, Copy)]
pub struct NewPosting<'a> {
    /// The id it gets (from [`next_id`]).
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
    rows: &[NewPosting<'_>],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    // 20 columns a row: well under SQLite's 32,766 bound parameters a statement.
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
                        postings::first_seen_at.eq(now),
                        postings::changed_at.eq(now),
                        postings::canonical_id.eq(row.canonical),
                        postings::repost_count.eq(row.repost_count),
                        postings::needs_scoring.eq(!row.pending),
                    ),
                )
            })
            .collect();
        diesel::insert_into(postings::table)
            .values(values)
            .execute(conn)?;
    }
    Ok(())
}

/// Counts `n` more reposts of `canonical`.
pub fn add_reposts(conn: &mut Conn, canonical: i64, n: i32) -> Result<(), DbError> {
    diesel::update(postings::table.find(canonical))
        .set(postings::repost_count.eq(postings::repost_count + n))
        .execute(conn)?;
    Ok(())
}
