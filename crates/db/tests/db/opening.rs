//! Opening a database: bad files fail at once with their path and cause, unknown schemes and newer
//! schemas are refused, read-only opening creates and writes nothing.

use pipeline_db::testing::TestDb;
use pipeline_db::{Db, DbError, DbKind};

#[test]
fn a_directory_as_database_fails_at_once_naming_the_path() {
    let test = TestDb::unmigrated();
    let err = Db::open(&test.dir().to_string_lossy()).unwrap_err();
    assert!(matches!(err, DbError::Open { .. }), "{err}");
    assert!(err.to_string().contains("is a directory"), "{err}");
}

#[test]
fn a_file_of_random_bytes_fails_at_once_as_not_a_database() {
    let test = TestDb::unmigrated();
    let path = test.dir().join("noise.db");
    std::fs::write(
        &path,
        (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let err = Db::open(&path.to_string_lossy()).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("noise.db") && text.contains("not a database"),
        "{text}"
    );
    let err = Db::open_existing(&path.to_string_lossy()).unwrap_err();
    assert!(err.to_string().contains("not a database"), "{err}");
}

#[test]
fn an_unknown_url_scheme_is_refused_before_anything_is_created() {
    for url in [
        "mysql://user:secret@host/db",
        "http://example.com/x.db",
        "ftp://x",
    ] {
        let err = DbKind::parse(url).unwrap_err();
        assert!(matches!(err, DbError::UnknownScheme { .. }), "{url}: {err}");
        assert!(
            !err.to_string().contains("secret"),
            "the password is never shown: {err}"
        );
    }
    assert_eq!(
        DbKind::parse("data/p.db").unwrap(),
        DbKind::Sqlite("data/p.db".into())
    );
    assert_eq!(
        DbKind::parse("sqlite://a/b.db").unwrap(),
        DbKind::Sqlite("a/b.db".into())
    );
    assert!(matches!(
        DbKind::parse("postgresql://h/db").unwrap(),
        DbKind::Postgres(_)
    ));
}

#[test]
fn a_database_from_a_newer_binary_is_refused() {
    let test = TestDb::new();
    let db = test.db();
    pipeline_db::testing::pretend_migration_applied(db, "20991231000000");
    for err in [
        db.migrate().unwrap_err(),
        db.pending_migrations().unwrap_err(),
        db.check_schema().unwrap_err(),
    ] {
        let text = err.to_string();
        assert!(matches!(err, DbError::SchemaTooNew { .. }), "{text}");
        assert!(
            text.contains("(version 20991231000000) is newer than this binary"),
            "{text}"
        );
    }
}

#[test]
fn read_only_opening_creates_nothing_and_cannot_write() {
    let test = TestDb::unmigrated();
    let missing = test.dir().join("nowhere/p.db");
    assert!(Db::open_existing(&missing.to_string_lossy()).unwrap().is_none());
    assert!(!missing.parent().unwrap().exists(), "no directory created");

    let fresh = TestDb::unmigrated();
    let ro = Db::open_existing(&fresh.url()).unwrap().unwrap();
    assert!(
        !ro.pending_migrations().unwrap().is_empty(),
        "pending, not applied"
    );
    assert!(ro.migrate().is_err(), "a read-only handle cannot migrate");
    assert!(
        !fresh.db().pending_migrations().unwrap().is_empty(),
        "still pending"
    );

    let migrated = TestDb::new();
    let ro = Db::open_existing(&migrated.url()).unwrap().unwrap();
    assert!(ro.pending_migrations().unwrap().is_empty());
    assert_eq!(ro.read(pipeline_db::repo::companies::count).unwrap(), 0);
}

/// docs/ARCHITECTURE.md#sqlite-build: without the planner's stability guarantee, every cached statement
/// with a bound LIMIT would be compiled again at each run.
#[test]
fn the_bundled_sqlite_is_built_with_the_query_planner_stability_guarantee() {
    #[derive(diesel::QueryableByName)]
    struct CompileOption {
        #[diesel(sql_type = diesel::sql_types::Text)]
        compile_options: String,
    }
    let test = TestDb::sqlite();
    let options = test
        .db()
        .read(|c| match c {
            pipeline_db::Conn::Sqlite(c) => {
                let rows: Vec<CompileOption> =
                    diesel::RunQueryDsl::load(diesel::sql_query("PRAGMA compile_options"), &mut **c)?;
                Ok(rows.into_iter().map(|r| r.compile_options).collect::<Vec<_>>())
            }
            pipeline_db::Conn::Postgres(_) => unreachable!("a SQLite test database"),
        })
        .unwrap();
    assert!(options.iter().any(|o| o == "ENABLE_QPSG"), "{options:?}");
}
