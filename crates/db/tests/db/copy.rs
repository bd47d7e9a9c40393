//! `db copy`: a SQLite database copied into a fresh PostgreSQL schema reads back the same through every
//! repository, ids included (a repost pointing to a canonical with a higher id too); the target's id
//! sequences continue above the copied ids; a target holding data is refused and left as it was.

use pipeline_db::repo::boards::{self, FoundBoard};
use pipeline_db::repo::companies::{self, CompanyFilter};
use pipeline_db::repo::postings;
use pipeline_db::testing::TestDb;
use pipeline_db::{Db, DbError};
use pipeline_domain::{BoardStatus, CompanyInput, NormalizedPosting};

use crate::repos::t;

fn posting(id: &str, title: &str) -> NormalizedPosting {
    NormalizedPosting {
        external_id: id.into(),
        url: format!("https://jobs.test/{id}"),
        title: title.into(),
        description: format!("{title}: ñ, «quotes», 'apostrophes' and \"double quotes\"\nline two"),
        locations: vec!["Madrid".into(), "Remote".into()],
        department: Some("Finance".into()),
        employment_type: None,
        workplace: None,
        salary: None,
        requisition_id: None,
        published_at: Some(t("2026-10-01T09:30:00.123Z")),
        updated_at: None,
    }
}

/// Two companies, a board each, three postings: the third is canonical of the first (a later-found
/// earlier posting took over), so a canonical id is higher than its repost's.
fn populate(db: &Db) -> i64 {
    let now = t("2026-11-01T00:00:00Z");
    db.write(|c| {
        let mut company = 0;
        for domain in ["acme.test", "zeta.test"] {
            let input = CompanyInput::from_listing(Some(domain), Some(domain)).expect("a valid listing");
            company = companies::upsert_listed(c, &input, "test", None, now)?.company_id;
            let found = FoundBoard {
                board: format!("greenhouse:{}", &domain[..4])
                    .parse()
                    .expect("a board reference"),
                status: BoardStatus::Active,
                status_reason: None,
                evidence_url: format!("https://{domain}/jobs"),
                found_on: format!("https://{domain}/careers"),
                how: "link".into(),
                job_count: Some(3),
                provider_company_name: None,
            };
            boards::record_found(c, company, &found, now)?;
        }
        let board = boards::of_companies(c, &[company])?[&company][0].id;
        let first = postings::insert(
            c,
            board,
            company,
            &posting("1", "Treasury analyst"),
            "h1",
            false,
            None,
            now,
        )?;
        postings::insert(
            c,
            board,
            company,
            &posting("2", "FX dealer"),
            "h2",
            false,
            None,
            now,
        )?;
        let third = postings::insert(
            c,
            board,
            company,
            &posting("3", "Treasury analyst"),
            "h3",
            false,
            None,
            now,
        )?;
        postings::take_over_canonical(c, first, third)?;
        Ok(company)
    })
    .expect("populated")
}

fn snapshot(db: &Db, company: i64) -> (Vec<companies::CompanyRow>, Vec<postings::PostingRow>) {
    db.read(|c| {
        Ok((
            companies::list_ranked(c, &CompanyFilter::default())?,
            postings::of_company(c, company)?,
        ))
    })
    .expect("read back")
}

#[test]
fn a_copy_reads_back_the_same_ids_included_and_a_second_copy_is_refused() {
    let Some(target) = TestDb::postgres_unmigrated() else {
        return;
    };
    let source = TestDb::sqlite();
    let company = populate(source.db());
    let copied = source.db().copy_to(target.db()).expect("copied");
    assert!(copied.tables.contains(&("postings".to_owned(), 3)), "{copied:?}");
    let before = snapshot(source.db(), company);
    assert_eq!(snapshot(target.db(), company), before);
    assert!(
        before.1.iter().any(|p| p.canonical_id.is_some_and(|c| c > p.id)),
        "the case is there"
    );

    // New rows continue above the copied ids.
    let now = t("2026-11-02T00:00:00Z");
    let input = CompanyInput::from_listing(Some("new.test"), Some("new.test")).expect("a valid listing");
    let new_id = target
        .db()
        .write(|c| Ok(companies::upsert_listed(c, &input, "test", None, now)?.company_id))
        .expect("a company after the copy");
    assert!(before.0.iter().all(|c| c.id < new_id), "new id {new_id}");

    let again = source.db().copy_to(target.db()).unwrap_err();
    assert!(matches!(again, DbError::TargetNotEmpty { .. }), "{again}");
    assert_eq!(
        snapshot(target.db(), company).1,
        before.1,
        "the refused copy wrote nothing"
    );
}

#[test]
fn only_sqlite_copies_into_postgres() {
    let Some(postgres) = TestDb::postgres() else {
        return;
    };
    let sqlite = TestDb::sqlite();
    let other = TestDb::sqlite();
    assert!(matches!(
        postgres.db().copy_to(sqlite.db()),
        Err(DbError::NotOnBackend { .. })
    ));
    assert!(matches!(
        sqlite.db().copy_to(other.db()),
        Err(DbError::NotOnBackend { .. })
    ));
}
