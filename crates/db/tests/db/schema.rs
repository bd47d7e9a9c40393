//! The two migration directories build the same schema: every table, column (with its type and
//! nullability) and index of `migrations/sqlite` exists in `migrations/postgres`, and nothing else does.

use std::collections::BTreeSet;

use diesel::sql_types::{Bool, Text};
use diesel::{QueryableByName, RunQueryDsl};
use pipeline_db::testing::TestDb;
use pipeline_db::{Conn, Db};

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Bool)]
    not_null: bool,
}

#[derive(QueryableByName)]
struct Index {
    #[diesel(sql_type = Text)]
    name: String,
}

/// (table, column, type, NOT NULL) with the type in one spelling for both backends.
fn columns(db: &Db) -> BTreeSet<(String, String, String, bool)> {
    let rows: Vec<Column> = db
        .read(|c| {
            Ok(match c {
                Conn::Sqlite(c) => diesel::sql_query(
                    // An INTEGER PRIMARY KEY is SQLite's 64-bit rowid: PostgreSQL's BIGINT identity.
                    "SELECT m.name AS table_name, p.name AS column_name, \
                     CASE WHEN p.pk > 0 AND upper(p.type) = 'INTEGER' THEN 'BIGINT' ELSE upper(p.type) END \
                     AS data_type, \
                     (p.\"notnull\" = 1 OR p.pk > 0) AS not_null \
                     FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '__diesel%'",
                )
                .load(&mut **c)?,
                Conn::Postgres(c) => diesel::sql_query(
                    "SELECT table_name::text AS table_name, column_name::text AS column_name, \
                     upper(data_type) AS data_type, (is_nullable = 'NO') AS not_null \
                     FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name NOT LIKE '__diesel%'",
                )
                .load(&mut **c)?,
            })
        })
        .expect("reading the columns");
    rows.into_iter()
        .map(|c| {
            let ty = match c.data_type.as_str() {
                "TIMESTAMP WITH TIME ZONE" => "TIMESTAMPTZ".to_owned(),
                other => other.to_owned(),
            };
            (c.table_name, c.column_name, ty, c.not_null)
        })
        .collect()
}

fn indexes(db: &Db) -> BTreeSet<String> {
    let rows: Vec<Index> = db
        .read(|c| {
            Ok(match c {
                Conn::Sqlite(c) => diesel::sql_query(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
                )
                .load(&mut **c)?,
                Conn::Postgres(c) => diesel::sql_query(
                    "SELECT indexname::text AS name FROM pg_indexes \
                     WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey' \
                     AND tablename NOT LIKE '__diesel%'",
                )
                .load(&mut **c)?,
            })
        })
        .expect("reading the indexes");
    rows.into_iter().map(|i| i.name).collect()
}

#[test]
fn both_migration_directories_build_the_same_tables_columns_and_indexes() {
    let Some(postgres) = TestDb::postgres() else {
        return;
    };
    let sqlite = TestDb::new();
    let (lite, pg) = (columns(sqlite.db()), columns(postgres.db()));
    assert!(
        lite.len() > 100,
        "the SQLite schema was read: {} columns",
        lite.len()
    );
    assert_eq!(
        lite.difference(&pg).collect::<Vec<_>>(),
        Vec::<&(String, String, String, bool)>::new(),
        "in migrations/sqlite only"
    );
    assert_eq!(
        pg.difference(&lite).collect::<Vec<_>>(),
        Vec::<&(String, String, String, bool)>::new(),
        "in migrations/postgres only"
    );
    assert_eq!(indexes(sqlite.db()), indexes(postgres.db()));
    assert_eq!(
        sqlite.db().pending_migrations().unwrap(),
        postgres.db().pending_migrations().unwrap()
    );
}
