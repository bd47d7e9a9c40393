//! The database's behaviour suite: every test runs twice, on a freshly migrated SQLite file and on a fresh
//! schema of the test PostgreSQL server (`TestDb`), so the two backends are held to one behaviour.
// The tests are plain functions that `on_both_backends!` wraps in `#[test]`s, which clippy's
// `allow-unwrap-in-tests` does not see through.
#![allow(clippy::unwrap_used)]

/// Declares each named test (a `fn(TestDb)`) once per backend: `FILE::sqlite::NAME` and
/// `FILE::postgres::NAME`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    super::$name(pipeline_db::testing::TestDb::sqlite());
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    if let Some(test) = pipeline_db::testing::TestDb::postgres() {
                        super::$name(test);
                    }
                }
            )*
        }
    };
}

mod copy;
mod discovery;
mod feedback;
mod ingestion;
mod leases;
mod opening;
mod rate_ledger;
mod repos;
mod schema;
