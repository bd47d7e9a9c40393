//! A company's repost groups taken whole (docs/stages.md#repost-groups-across-boards): when a company's
//! postings come from more than one board, the ingestion stage decides its groups again over all of them
//! at each write that adds or changes one, so that the groups depend on the postings, never on the order
//! the boards were written in. These read what that needs and write back only what changed.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::RunOn;
use crate::schema::{boards, postings};
use crate::{Conn, DbError};

/// A posting of a company as its repost group is decided: its content and where it stands now.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct GroupRow {
    /// The posting's id.
    pub id: i64,
    /// Its board (whose boilerplate its description is compared without).
    pub board_id: i64,
    /// The provider's id, unique within the board (orders postings published at the same time).
    pub external_id: String,
    /// The title, compared by repost detection.
    pub title: String,
    /// The description, compared by repost detection.
    pub description: String,
    /// When the provider says it was published (earliest is canonical).
    pub published_at: Option<DateTime<Utc>>,
    /// When the provider says it last changed.
    pub source_updated_at: Option<DateTime<Utc>>,
    /// The posting it is a repost of, as stored.
    pub canonical_id: Option<i64>,
    /// Its reposts, as stored.
    pub repost_count: i32,
}

/// Whether the company has postings on a board other than `board_id`. Asked at every board write: looked up
/// by the company's other boards (a few) on the postings' (board, external id) index, never by scanning the
/// company's postings, which may all be on this board.
pub fn on_other_boards(conn: &mut Conn, company_id: i64, board_id: i64) -> Result<bool, DbError> {
    let others = boards::table
        .filter(boards::company_id.eq(company_id))
        .filter(boards::id.ne(board_id))
        .select(boards::id);
    let found: Option<i64> = postings::table
        .filter(postings::board_id.eq_any(others))
        .select(postings::id)
        .first_on(conn)
        .optional()?;
    Ok(found.is_some())
}

/// Every posting of the company, open or closed, in id order.
pub fn of_company_for_grouping(conn: &mut Conn, company_id: i64) -> Result<Vec<GroupRow>, DbError> {
    Ok(postings::table
        .filter(postings::company_id.eq(company_id))
        .select((
            postings::id,
            postings::board_id,
            postings::external_id,
            postings::title,
            postings::description,
            postings::published_at,
            postings::source_updated_at,
            postings::canonical_id,
            postings::repost_count,
        ))
        .order(postings::id)
        .load_on(conn)?)
}

/// Sets each posting's group `(id, canonical, repost count)`, nothing else of it.
pub fn set_groups(conn: &mut Conn, groups: &[(i64, Option<i64>, i32)]) -> Result<(), DbError> {
    for &(id, canonical, count) in groups {
        diesel::update(postings::table.find(id))
            .set((
                postings::canonical_id.eq(canonical),
                postings::repost_count.eq(count),
            ))
            .execute_on(conn)?;
    }
    Ok(())
}
