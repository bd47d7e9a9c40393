//! Each posting's source hash: the 128-bit XXH3 hash of the raw item it was last read from (docs/stages.md#ingestion-
//! persistence). The stage reads a board's with its postings' states (`states_of_board`) when a fetch needs
//! them, so that the items that hash the same are not read again, and sets it where a posting's content was
//! found equal but its item was new to it.

use diesel::sql_types::{BigInt, Nullable, Text};

use crate::RunOn;
use crate::{Conn, DbError, Fixed};

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
