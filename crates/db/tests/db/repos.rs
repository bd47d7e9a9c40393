//! The repositories: companies, locks, runs, stage state, pauses, events, backups.

use chrono::{DateTime, Duration, Utc};
use pipeline_db::Db;
use pipeline_db::repo::companies::{self, CompanyFilter, UpsertKind};
use pipeline_db::repo::{events, locks, pauses, runs, stage_state};
use pipeline_db::testing::TestDb;
use pipeline_domain::{CompanyInput, Counter, ErrorClass, RunCounters, RunStatus};

/// The test database and its handle.
pub fn split(test: TestDb) -> (TestDb, Db) {
    let db = test.db().clone();
    (test, db)
}

pub fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("a valid timestamp")
        .to_utc()
}

/// Runs `f` in a transaction fenced by a fresh lease of unit `key` of `kind`, as the unit runner does.
pub fn fenced<T>(
    db: &Db,
    kind: &'static str,
    key: i64,
    f: impl FnOnce(&mut pipeline_db::repo::leases::Fenced<'_>) -> Result<T, pipeline_db::DbError>,
) -> T {
    use pipeline_db::repo::leases;
    let now = t("2026-12-01T00:00:00Z");
    db.write(|c| {
        let lease =
            leases::claim(c, kind, &key.to_string(), "me", now, Duration::seconds(60))?.expect("claimed");
        let mut tx = leases::fence(c, &lease, now)?.expect("fenced");
        let out = f(&mut tx)?;
        tx.release()?;
        Ok(out)
    })
    .expect("fenced write")
}

fn listing(name: Option<&str>, web: Option<&str>) -> CompanyInput {
    CompanyInput::from_listing(name, web).expect("a valid listing")
}

fn migrations_are_idempotent_and_nothing_is_pending(test: TestDb) {
    let (_dir, db) = split(test);
    assert!(db.migrate().unwrap().is_empty());
    assert!(db.pending_migrations().unwrap().is_empty());
    assert_eq!(db.integrity_check().unwrap(), "ok");
}

#[test]
fn two_processes_migrating_a_fresh_sqlite_file_do_not_fail() {
    two_processes_migrating_a_fresh_database_do_not_fail(TestDb::unmigrated());
}

#[test]
fn two_processes_migrating_a_fresh_postgres_schema_do_not_fail() {
    if let Some(test) = TestDb::postgres_unmigrated() {
        two_processes_migrating_a_fresh_database_do_not_fail(test);
    }
}

fn two_processes_migrating_a_fresh_database_do_not_fail(test: TestDb) {
    let url = test.url();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || Db::open(&url).and_then(|db| db.migrate()).map(|v| v.len()))
        })
        .collect();
    let applied: Vec<usize> = handles.into_iter().map(|h| h.join().unwrap().unwrap()).collect();
    let all = TestDb::unmigrated().db().pending_migrations().unwrap().len();
    assert!(test.db().pending_migrations().unwrap().is_empty());
    assert!(all >= 2);
    assert_eq!(
        (
            applied.iter().filter(|&&n| n > 0).count(),
            applied.iter().sum::<usize>()
        ),
        (1, all),
        "exactly one migrator applies every migration: {applied:?}"
    );
}

fn www_case_and_trailing_slash_variants_are_one_company(test: TestDb) {
    let (_dir, db) = split(test);
    let now = t("2026-11-25T03:00:00Z");
    db.write(|c| {
        let a = companies::upsert_listed(
            c,
            &listing(Some("Acme"), Some("https://acme.com")),
            "csv",
            None,
            now,
        )?;
        let b = companies::upsert_listed(
            c,
            &listing(Some("ACME S.L."), Some("http://WWW.Acme.com/")),
            "csv",
            None,
            now,
        )?;
        assert_eq!(a.kind, UpsertKind::Created);
        assert_eq!(b.company_id, a.company_id);
        Ok(())
    })
    .unwrap();
    assert_eq!(db.read(companies::count).unwrap(), 1);
}

fn same_name_different_domains_are_two_companies_and_name_only_rows_merge(test: TestDb) {
    let (_dir, db) = split(test);
    let now = t("2026-11-25T03:00:00Z");
    db.write(|c| {
        let only = companies::upsert_listed(c, &listing(Some("Nova"), None), "a", None, now)?;
        let with = companies::upsert_listed(c, &listing(Some("Nova"), Some("nova.es")), "b", None, now)?;
        assert_eq!(
            only.company_id, with.company_id,
            "name-only company gains its domain"
        );
        let other = companies::upsert_listed(c, &listing(Some("Nova"), Some("nova.io")), "b", None, now)?;
        assert_ne!(
            other.company_id, with.company_id,
            "defect 11 (docs/original-system.md#defect-11): same name, other domain"
        );
        let again = companies::upsert_listed(c, &listing(Some("nova"), None), "c", None, now)?;
        assert_eq!(
            again.kind,
            UpsertKind::Created,
            "a name shared by two domains is ambiguous"
        );
        let twice = companies::upsert_listed(c, &listing(Some("NOVA"), None), "c", None, now)?;
        assert_eq!(
            (twice.company_id, twice.kind),
            (again.company_id, UpsertKind::Updated)
        );
        Ok(())
    })
    .unwrap();
    assert_eq!(db.read(companies::count).unwrap(), 3);
}

fn directory_entries_keep_first_seen_and_update_last_seen(test: TestDb) {
    let (_dir, db) = split(test);
    let first = t("2026-11-24T03:00:00Z");
    let second = t("2026-11-25T03:00:00Z");
    let input = listing(Some("Acme"), Some("acme.com"));
    let id = db
        .write(|c| companies::upsert_listed(c, &input, "list", Some("line 2"), first))
        .unwrap()
        .company_id;
    let again = db
        .write(|c| companies::upsert_listed(c, &input, "list", Some("line 2"), second))
        .unwrap();
    assert_eq!(again.kind, UpsertKind::Unchanged);
    let entries = db.read(|c| companies::entries_of(c, id)).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].first_seen_at, entries[0].last_seen_at),
        (first, second)
    );
    let ranked = db
        .read(|c| companies::list_ranked(c, &CompanyFilter::default()))
        .unwrap();
    assert_eq!(ranked[0].display_name(), "Acme");
    let sources = db.read(|c| companies::sources_of(c, &[id])).unwrap();
    assert_eq!(sources[&id], vec!["list".to_owned()]);
}

fn lock_is_refused_while_live_and_taken_over_when_expired_abandoning_the_run(test: TestDb) {
    let (_dir, db) = split(test);
    let now = t("2026-11-25T03:00:00Z");
    let ttl = Duration::seconds(60);
    let alive = |_: &str| false;
    let run_id = db
        .write(|c| {
            locks::try_acquire(c, "cycle", "h:1:a", now, ttl, &alive)?;
            runs::start(c, "cy1", "directory", "h:1:a", now)
        })
        .unwrap();
    let held = db
        .write(|c| locks::try_acquire(c, "cycle", "h:2:b", now + Duration::seconds(30), ttl, &alive))
        .unwrap();
    assert!(
        matches!(held, locks::Acquire::Held(ref row) if row.owner == "h:1:a" && row.expires_at == now + ttl)
    );
    let later = now + Duration::seconds(61);
    let took = db
        .write(|c| locks::try_acquire(c, "cycle", "h:2:b", later, ttl, &alive))
        .unwrap();
    assert!(matches!(
        took,
        locks::Acquire::Acquired {
            took_over: Some(_),
            abandoned: 1
        }
    ));
    assert_eq!(
        db.read(|c| runs::get(c, run_id)).unwrap().unwrap().status,
        RunStatus::Abandoned
    );
    assert!(
        !db.write(|c| locks::renew(c, "cycle", "h:1:a", later, ttl))
            .unwrap(),
        "the old owner lost it"
    );
    assert!(db.write(|c| locks::release(c, "cycle", "h:2:b")).unwrap());
}

fn a_dead_owner_loses_its_lock_before_the_ttl(test: TestDb) {
    let (_dir, db) = split(test);
    let now = t("2026-11-25T03:00:00Z");
    let ttl = Duration::seconds(600);
    db.write(|c| locks::try_acquire(c, "cycle", "h:1:a", now, ttl, &|_| false))
        .unwrap();
    let took = db
        .write(|c| locks::try_acquire(c, "cycle", "h:2:b", now, ttl, &|o| o == "h:1:a"))
        .unwrap();
    assert!(matches!(
        took,
        locks::Acquire::Acquired {
            took_over: Some(_),
            ..
        }
    ));
}

fn every_counter_round_trips_through_the_run_row_and_final_rows_are_immutable(test: TestDb) {
    let (_dir, db) = split(test);
    let now = t("2026-11-25T03:00:00Z");
    let mut counters = RunCounters::default();
    for (i, c) in Counter::ALL.iter().enumerate() {
        counters.add(*c, i as u64 + 1);
    }
    counters.add_skipped("bad_row", 7);
    let id = db
        .write(|c| runs::start(c, "cy", "directory", "me", now))
        .unwrap();
    assert!(
        db.write(|c| runs::finish(c, id, "me", RunStatus::Partial, &counters, Some("x"), now))
            .unwrap()
    );
    assert!(
        !db.write(|c| runs::finish(
            c,
            id,
            "me",
            RunStatus::Succeeded,
            &RunCounters::default(),
            None,
            now
        ))
        .unwrap()
    );
    let row = db.read(|c| runs::get(c, id)).unwrap().unwrap();
    assert_eq!(row.counters, counters);
    assert_eq!(row.status, RunStatus::Partial);
    assert_eq!(row.finished_at, Some(now));
}

fn retention_prunes_old_finished_runs_and_events(test: TestDb) {
    let (_dir, db) = split(test);
    let old = t("2026-01-01T00:00:00Z");
    let now = t("2026-11-25T00:00:00Z");
    db.write(|c| {
        let id = runs::start(c, "a", "directory", "me", old)?;
        runs::finish(
            c,
            id,
            "me",
            RunStatus::Succeeded,
            &RunCounters::default(),
            None,
            old,
        )?;
        runs::start(c, "b", "directory", "me", old)?;
        events::record(
            c,
            old,
            events::NewEvent {
                kind: "x",
                ..Default::default()
            },
        )?;
        events::record(
            c,
            now,
            events::NewEvent {
                kind: "y",
                ..Default::default()
            },
        )
    })
    .unwrap();
    let cutoff = now - Duration::days(180);
    assert_eq!(
        db.write(|c| runs::prune(c, cutoff)).unwrap(),
        1,
        "running rows are kept"
    );
    assert_eq!(db.write(|c| events::prune(c, cutoff)).unwrap(), 1);
}

fn stage_state_counts_consecutive_failures_and_resets_on_success(test: TestDb) {
    let (_dir, db) = split(test);
    let now = t("2026-11-25T03:00:00Z");
    db.write(|c| {
        stage_state::record_finish(
            c,
            "directory",
            RunStatus::Failed,
            Some((ErrorClass::Transient, "boom")),
            now,
        )?;
        stage_state::record_finish(
            c,
            "directory",
            RunStatus::Partial,
            Some((ErrorClass::Permanent, "bad")),
            now,
        )
    })
    .unwrap();
    let row = db.read(stage_state::list).unwrap().remove(0);
    assert_eq!(
        (row.consecutive_failures, row.error_class.as_deref()),
        (2, Some("permanent"))
    );
    db.write(|c| stage_state::record_finish(c, "directory", RunStatus::Succeeded, None, now))
        .unwrap();
    let row = db.read(stage_state::list).unwrap().remove(0);
    assert_eq!((row.consecutive_failures, row.last_success_at), (0, Some(now)));
}

fn pauses_clear_themselves_when_expired(test: TestDb) {
    let (_dir, db) = split(test);
    let now = t("2026-11-25T03:00:00Z");
    db.write(|c| pauses::set(c, "lever", now + Duration::hours(6), Some("429s"), now))
        .unwrap();
    assert!(
        db.write(|c| pauses::active_for(c, "lever", now + Duration::hours(5)))
            .unwrap()
            .is_some()
    );
    assert!(
        db.write(|c| pauses::active_for(c, "lever", now + Duration::hours(6)))
            .unwrap()
            .is_none()
    );
    let kinds: Vec<String> = db
        .read(|c| events::recent(c, None, 10))
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["pause_cleared", "pause_set"]);
}

#[test]
fn backup_is_a_consistent_copy() {
    let test = TestDb::sqlite();
    let (dir, db) = split(test);
    let now = t("2026-11-25T03:00:00Z");
    db.write(|c| companies::upsert_listed(c, &listing(Some("Acme"), None), "s", None, now))
        .unwrap();
    let target = dir.dir().join("backup.db");
    db.backup_to(&target).unwrap();
    let copy = Db::open(target.to_str().unwrap()).unwrap();
    assert_eq!(copy.read(companies::count).unwrap(), 1);
    assert!(db.backup_to(&target).is_err(), "never overwrites");
}

crate::on_both_backends!(
    migrations_are_idempotent_and_nothing_is_pending,
    www_case_and_trailing_slash_variants_are_one_company,
    same_name_different_domains_are_two_companies_and_name_only_rows_merge,
    directory_entries_keep_first_seen_and_update_last_seen,
    lock_is_refused_while_live_and_taken_over_when_expired_abandoning_the_run,
    a_dead_owner_loses_its_lock_before_the_ttl,
    every_counter_round_trips_through_the_run_row_and_final_rows_are_immutable,
    retention_prunes_old_finished_runs_and_events,
    stage_state_counts_consecutive_failures_and_resets_on_success,
    pauses_clear_themselves_when_expired,
);
