//! `db copy --to URL`: a SQLite database copied into a fresh PostgreSQL one with every id kept (the sheet's column A is the company id) and the id sequences advanced past them.
//!
//! Table by table, in batches: the source's rows are read as JSON objects (SQLite's `json_object`) and the
//! target turns each batch back into rows of its own types (`json_populate_recordset` on PostgreSQL). A
//! posting may point to a canonical posting with a higher id (a later-found earlier posting takes over), so
//! postings are inserted without their canonical and linked in a second pass. The whole copy is one target
//! transaction: a copy that fails leaves the target as empty as it was. Locks, leases and the rate ledger are
//! not copied (they belong to the processes of the source).

use diesel::sql_types::{BigInt, Text};
use diesel::{QueryableByName, RunQueryDsl};

use crate::{Conn, Db, DbError};

/// The tables copied, parents before children.
const TABLES: &[&str] = &[
    "companies",
    "company_directory_entries",
    "boards",
    "company_discovery",
    "postings",
    "board_ingestion",
    "runs",
    "stage_state",
    "provider_pauses",
    "events",
    "feedback_events",
    "feedback_rejections",
];

/// The tables whose `id` is generated (their sequence is advanced past the copied ids).
const WITH_IDS: &[&str] = &[
    "companies",
    "boards",
    "postings",
    "runs",
    "events",
    "feedback_events",
    "feedback_rejections",
];

/// Rows a batch.
const BATCH: i64 = 2_000;

/// What a copy moved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Copied {
    /// (table, rows), in copy order.
    pub tables: Vec<(String, u64)>,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Batch {
    #[diesel(sql_type = Text)]
    rows: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = BigInt)]
    last: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl Db {
    /// Copies this (SQLite) database into `target` (PostgreSQL), which is migrated first and must hold no
    /// data.
    pub fn copy_to(&self, target: &Db) -> Result<Copied, DbError> {
        let mut source = self.conn()?;
        let Conn::Sqlite(from) = &mut source else {
            return Err(DbError::NotOnBackend {
                what: "db copy",
                hint: "the source must be a SQLite database (copy PostgreSQL with pg_dump)",
            });
        };
        let mut target_conn = target.conn()?;
        if !matches!(target_conn, Conn::Postgres(_)) {
            return Err(DbError::NotOnBackend {
                what: "db copy to a SQLite file",
                hint: "the target must be a postgres:// URL (copy SQLite with db backup)",
            });
        }
        self.check_schema()?;
        target.migrate()?;
        let mut copied = Copied::default();
        target_conn.write(|to| {
            for table in TABLES {
                let n = count(to, table)?;
                if n > 0 {
                    return Err(DbError::TargetNotEmpty {
                        table: (*table).to_owned(),
                        rows: n,
                    });
                }
            }
            // One read transaction: a consistent snapshot of the source even while others write it.
            diesel::Connection::transaction(&mut **from, |from| {
                for table in TABLES {
                    let rows = copy_table(from, to, table)?;
                    copied.tables.push(((*table).to_owned(), rows));
                }
                link_canonicals(from, to)
            })?;
            for table in WITH_IDS {
                advance_sequence(to, table)?;
            }
            Ok(())
        })?;
        Ok(copied)
    }
}

fn count(conn: &mut Conn, table: &str) -> Result<i64, DbError> {
    let sql = format!("SELECT COUNT(*) AS n FROM {table}");
    Ok(crate::with_conn!(conn, |c| diesel::sql_query(&sql).get_result::<Count>(c))?.n)
}

/// The source's columns of `table`, in its order.
fn columns(from: &mut diesel::SqliteConnection, table: &str) -> Result<Vec<String>, DbError> {
    let names: Vec<Name> = diesel::sql_query(format!(
        "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
    ))
    .load(from)?;
    Ok(names.into_iter().map(|n| n.name).collect())
}

fn copy_table(from: &mut diesel::SqliteConnection, to: &mut Conn, table: &str) -> Result<u64, DbError> {
    let columns = columns(from, table)?;
    let pairs: Vec<String> = columns
        .iter()
        .map(|c| match (table, c.as_str()) {
            ("postings", "canonical_id") => format!("'{c}', NULL"),
            _ => format!("'{c}', \"{c}\""),
        })
        .collect();
    let list = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut copied = 0_u64;
    let mut after = i64::MIN;
    loop {
        // Batches by rowid, the storage order (every table has one).
        let batch: Batch = diesel::sql_query(format!(
            "SELECT COALESCE(json_group_array(json(r)), '[]') AS rows, COUNT(*) AS n, COALESCE(MAX(k), 0) AS last \
             FROM (SELECT rowid AS k, json_object({}) AS r FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?)",
            pairs.join(", ")
        ))
        .bind::<BigInt, _>(after)
        .bind::<BigInt, _>(BATCH)
        .get_result(from)?;
        if batch.n == 0 {
            return Ok(copied);
        }
        insert_rows(to, table, &list, &batch.rows)?;
        copied += u64::try_from(batch.n).unwrap_or(0);
        after = batch.last;
    }
}

/// Inserts a JSON array of row objects into `table` of the target, each value converted to its column's
/// type by PostgreSQL.
fn insert_rows(to: &mut Conn, table: &str, list: &str, rows: &str) -> Result<(), DbError> {
    let sql = format!(
        "INSERT INTO {table} ({list}) SELECT {list} FROM json_populate_recordset(NULL::{table}, $1::json)"
    );
    crate::with_conn!(to, |c| diesel::sql_query(&sql).bind::<Text, _>(rows).execute(c))?;
    Ok(())
}

/// The second pass over postings: each repost pointed to its canonical.
fn link_canonicals(from: &mut diesel::SqliteConnection, to: &mut Conn) -> Result<(), DbError> {
    let mut after = i64::MIN;
    loop {
        let batch: Batch = diesel::sql_query(
            "SELECT COALESCE(json_group_array(json_array(id, canonical_id)), '[]') AS rows, COUNT(*) AS n, \
             COALESCE(MAX(id), 0) AS last FROM (SELECT id, canonical_id FROM postings \
             WHERE canonical_id IS NOT NULL AND id > ? ORDER BY id LIMIT ?)",
        )
        .bind::<BigInt, _>(after)
        .bind::<BigInt, _>(BATCH)
        .get_result(from)?;
        if batch.n == 0 {
            return Ok(());
        }
        let sql = "UPDATE postings SET canonical_id = (p.value->>1)::bigint \
                   FROM json_array_elements($1::json) AS p WHERE postings.id = (p.value->>0)::bigint";
        let rows = batch.rows;
        crate::with_conn!(to, |c| diesel::sql_query(sql).bind::<Text, _>(&rows).execute(c))?;
        after = batch.last;
    }
}

/// The next generated id of `table` is above every copied one.
fn advance_sequence(to: &mut Conn, table: &str) -> Result<(), DbError> {
    let sql = format!(
        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"
    );
    crate::with_conn!(to, |c| diesel::sql_query(&sql).execute(c))?;
    Ok(())
}
