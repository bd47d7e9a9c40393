//! Each posting's source hash: the SHA-256 of the raw item it was last read from (docs/stages.md#ingestion-
//! persistence). The stage reads a board's before fetching it, so that the items that hash the same are
//! not read again, and sets it where a posting's content was found equal but its item was new to it.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use crate::RunOn;
use crate::schema::postings;
use crate::{Conn, DbError, Fixed};

/// The board's postings that have a source hash, as (source hash, external id) (from `idx_postings_board_state`).
pub fn sources_of_board(conn: &mut Conn, board_id: i64) -> Result<Vec<(String, String)>, DbError> {
    let rows: Vec<(Option<String>, String)> = postings::table
        .filter(postings::board_id.eq(board_id))
        .filter(postings::source_hash.is_not_null())
        .select((postings::source_hash, postings::external_id))
        .load_on(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(source, id)| Some((source?, id)))
        .collect())
}

/// Sets the source hash of each posting `(id, source)` (`None` clears it), its content untouched.
pub fn set_sources(conn: &mut Conn, sources: &[(i64, Option<String>)]) -> Result<(), DbError> {
    for (id, source) in sources {
        Fixed::new("UPDATE postings SET source_hash = ? WHERE id = ?")
            .bind::<Nullable<Text>, _>(source.as_deref())
            .bind::<BigInt, _>(*id)
            .execute_on(conn)?;
    }
    Ok(())
}
