//! Companies and the directory sources that listed them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use pipeline_domain::CompanyInput;

use crate::RunOn;
use crate::schema::{companies, company_directory_entries as entries};
use crate::sql::At;
use crate::{Conn, DbError};

/// What an upsert did to the company.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpsertKind {
    /// A company not seen before.
    Created,
    /// A known company whose name or website the row changed.
    Updated,
    /// A known company, as it was.
    Unchanged,
}

/// The company a directory row resolved to, and what the upsert did to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upserted {
    /// The company's id.
    pub company_id: i64,
    /// Created, updated or unchanged.
    pub kind: UpsertKind,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = companies)]
struct Identity {
    id: i64,
    name_raw: Option<String>,
    name_display: Option<String>,
    normalized_name: Option<String>,
    website_url: Option<String>,
    website_domain: Option<String>,
}

/// Creates or updates the company a directory row names (identity: domain first, then the normalized name
/// among companies without a domain) and records that `source` listed it.
pub fn upsert_listed(
    conn: &mut Conn,
    input: &CompanyInput,
    source: &str,
    source_ref: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Upserted, DbError> {
    let upserted = match find_identity(conn, input)? {
        Some(existing) => update_identity(conn, existing, input, now)?,
        None => Upserted {
            company_id: insert(conn, input, now)?,
            kind: UpsertKind::Created,
        },
    };
    record_listing(conn, upserted, source, source_ref, now)?;
    Ok(upserted)
}

/// Records that `source` listed the company. A new company gets a plain insert (a statement diesel can
/// cache); only a known company pays for the upsert.
fn record_listing(
    conn: &mut Conn,
    upserted: Upserted,
    source: &str,
    source_ref: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let row = (
        entries::company_id.eq(upserted.company_id),
        entries::source.eq(source),
        entries::source_ref.eq(source_ref),
        entries::first_seen_at.eq(At(now)),
        entries::last_seen_at.eq(At(now)),
    );
    if upserted.kind == UpsertKind::Created {
        diesel::insert_into(entries::table).values(row).execute_on(conn)?;
    } else {
        diesel::insert_into(entries::table)
            .values(row)
            .on_conflict((entries::company_id, entries::source))
            .do_update()
            .set((
                entries::last_seen_at.eq(At(now)),
                entries::source_ref.eq(source_ref),
            ))
            .execute_on(conn)?;
    }
    Ok(())
}

fn find_identity(conn: &mut Conn, input: &CompanyInput) -> Result<Option<Identity>, DbError> {
    if let Some(domain) = &input.website_domain {
        // One statement for both candidates: the company with this domain, else the name-only company
        // with this name (which then gains the domain).
        let name = input.normalized_name.as_deref().unwrap_or_default();
        let mut candidates: Vec<Identity> = companies::table
            .filter(
                companies::website_domain.eq(domain).or(companies::website_domain
                    .is_null()
                    .and(companies::normalized_name.eq(name))),
            )
            .select(crate::sql::columns::<Identity>())
            .load_on(conn)?;
        candidates.sort_by_key(|c| c.website_domain.is_none());
        return Ok(candidates.into_iter().next());
    }
    let Some(name) = &input.normalized_name else {
        return Ok(None);
    };
    // `load` rather than `first`: a bound LIMIT makes SQLite re-prepare the statement on every run.
    let name_only: Vec<Identity> = companies::table
        .filter(
            companies::normalized_name
                .eq(name)
                .and(companies::website_domain.is_null()),
        )
        .select(crate::sql::columns::<Identity>())
        .load_on(conn)?;
    if let Some(found) = name_only.into_iter().next() {
        return Ok(Some(found));
    }
    // A name-only row joins the one company with a domain that carries this name; with several it is
    // ambiguous and stays a company of its own.
    let mut with_domain = companies::table
        .filter(companies::normalized_name.eq(name))
        .select(crate::sql::columns::<Identity>())
        .load_on(conn)?;
    Ok(if with_domain.len() == 1 {
        with_domain.pop()
    } else {
        None
    })
}

fn update_identity(
    conn: &mut Conn,
    old: Identity,
    input: &CompanyInput,
    now: DateTime<Utc>,
) -> Result<Upserted, DbError> {
    let pick = |new: &Option<String>, old: &Option<String>| new.clone().or_else(|| old.clone());
    let mut new = Identity {
        id: old.id,
        name_raw: pick(&input.name_raw, &old.name_raw),
        name_display: pick(&input.name_display, &old.name_display),
        normalized_name: pick(&input.normalized_name, &old.normalized_name),
        website_url: old.website_url.clone(),
        website_domain: old.website_domain.clone(),
    };
    // A company keeps the website it was first known by unless it had none (or the domain is the same).
    if old.website_domain.is_none() || old.website_domain == input.website_domain {
        new.website_url = pick(&input.website_url, &old.website_url);
        new.website_domain = pick(&input.website_domain, &old.website_domain);
    }
    let changed = (
        &new.name_raw,
        &new.name_display,
        &new.normalized_name,
        &new.website_url,
        &new.website_domain,
    ) != (
        &old.name_raw,
        &old.name_display,
        &old.normalized_name,
        &old.website_url,
        &old.website_domain,
    );
    if !changed {
        return Ok(Upserted {
            company_id: old.id,
            kind: UpsertKind::Unchanged,
        });
    }
    diesel::update(companies::table.find(old.id))
        .set((
            companies::name_raw.eq(&new.name_raw),
            companies::name_display.eq(&new.name_display),
            companies::normalized_name.eq(&new.normalized_name),
            companies::website_url.eq(&new.website_url),
            companies::website_domain.eq(&new.website_domain),
            companies::updated_at.eq(At(now)),
        ))
        .execute_on(conn)?;
    Ok(Upserted {
        company_id: old.id,
        kind: UpsertKind::Updated,
    })
}

fn insert(conn: &mut Conn, input: &CompanyInput, now: DateTime<Utc>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(companies::table)
        .values((
            companies::name_raw.eq(&input.name_raw),
            companies::name_display.eq(&input.name_display),
            companies::normalized_name.eq(&input.normalized_name),
            companies::website_url.eq(&input.website_url),
            companies::website_domain.eq(&input.website_domain),
            companies::created_at.eq(At(now)),
            companies::updated_at.eq(At(now)),
        ))
        .returning(companies::id)
        .get_result_on(conn)?)
}

/// A company as listed by `companies` and `status`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = companies)]
pub struct CompanyRow {
    /// The company's id (the sheet's column A).
    pub id: i64,
    /// The name as shown.
    pub name_display: Option<String>,
    /// The name as matched (lower case, no accents, no legal suffix).
    pub normalized_name: Option<String>,
    /// The website.
    pub website_url: Option<String>,
    /// The website's domain: the company's identity.
    pub website_domain: Option<String>,
    /// The sales team's resolution (`PENDING`, ...).
    pub resolution: String,
    /// The best score among its canonical postings (0–10): the ranking's first key.
    pub max_score: f64,
    /// Canonical postings weighted by their reposts: Σ (1 + repost_count).
    pub offer_count: i32,
    /// Canonical postings.
    pub unique_offer_count: i32,
    /// Canonical postings at or above the catalog's strong threshold: the ranking's second key.
    pub strong_offer_count: i32,
    /// Canonical postings open now (the posting or one of its reposts).
    pub open_offer_count: i32,
    /// Mean score of the strong postings; `None` without any.
    pub avg_strong_score: Option<f64>,
    /// The top posting's top category.
    pub top_category_id: Option<String>,
    /// The best posting (ties: the latest published, then the lowest id).
    pub top_offer_id: Option<i64>,
    /// The latest publication of a strong posting.
    pub last_strong_at: Option<DateTime<Utc>>,
    /// When the directory first stored it.
    pub created_at: DateTime<Utc>,
    /// When the row last changed.
    pub updated_at: DateTime<Utc>,
}

impl CompanyRow {
    /// The name to show: display name, else normalized name, else "(no name)" (docs/original-system.md#ref-10-2).
    pub fn display_name(&self) -> &str {
        self.name_display
            .as_deref()
            .or(self.normalized_name.as_deref())
            .unwrap_or("(no name)")
    }
}

/// Filters of the ranked company list.
#[derive(Debug, Clone, Default)]
pub struct CompanyFilter {
    /// At most this many companies.
    pub limit: Option<i64>,
    /// Only companies whose max score is at least this.
    pub min_score: Option<f64>,
    /// Only the company with this domain (`www.` and case ignored).
    pub domain: Option<String>,
}

/// Companies ranked by max_score desc, strong_offer_count desc, id.
pub fn list_ranked(conn: &mut Conn, filter: &CompanyFilter) -> Result<Vec<CompanyRow>, DbError> {
    // A boxed query is typed by its backend: built once per backend.
    let rows: Vec<CompanyRow> = crate::with_conn!(conn, |c| {
        let mut query = companies::table
            .select(crate::sql::columns::<CompanyRow>())
            .order((
                companies::max_score.desc(),
                companies::strong_offer_count.desc(),
                companies::id.asc(),
            ))
            .into_boxed();
        if let Some(min) = filter.min_score {
            query = query.filter(companies::max_score.ge(min));
        }
        if let Some(domain) = &filter.domain {
            query = query
                .filter(companies::website_domain.eq(domain.trim_start_matches("www.").to_ascii_lowercase()));
        }
        if let Some(limit) = filter.limit {
            query = query.limit(limit);
        }
        query.load(c)
    })?;
    Ok(rows)
}

/// The directory sources that listed each of `ids`, sorted by name.
pub fn sources_of(conn: &mut Conn, ids: &[i64]) -> Result<BTreeMap<i64, Vec<String>>, DbError> {
    let mut out: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String)> = entries::table
            .filter(entries::company_id.eq_any(chunk))
            .select((entries::company_id, entries::source))
            .order((entries::company_id, entries::source))
            .load_on(conn)?;
        for (id, source) in rows {
            out.entry(id).or_default().push(source);
        }
    }
    Ok(out)
}

/// A directory listing of one company: where and when a source saw it.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = entries)]
pub struct DirectoryEntry {
    /// The company.
    pub company_id: i64,
    /// The source's name (`catalonia`, a `[[directory.sources]]` name).
    pub source: String,
    /// The source's own reference of the company (a detail page URL), if any.
    pub source_ref: Option<String>,
    /// When the source first listed it.
    pub first_seen_at: DateTime<Utc>,
    /// When the source last listed it.
    pub last_seen_at: DateTime<Utc>,
}

/// Every source that listed the company, by source name.
pub fn entries_of(conn: &mut Conn, company_id: i64) -> Result<Vec<DirectoryEntry>, DbError> {
    Ok(entries::table
        .filter(entries::company_id.eq(company_id))
        .select(crate::sql::columns::<DirectoryEntry>())
        .order(entries::source)
        .load_on(conn)?)
}

/// How many companies are stored.
pub fn count(conn: &mut Conn) -> Result<i64, DbError> {
    Ok(companies::table.count().get_result_on(conn)?)
}

/// Sets a company's resolution (the sales team's verdict; resolved companies leave discovery and ingestion).
pub fn set_resolution(
    conn: &mut Conn,
    id: i64,
    resolution: pipeline_domain::Resolution,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = diesel::update(companies::table.find(id))
        .set((
            companies::resolution.eq(resolution.as_str()),
            companies::updated_at.eq(At(now)),
        ))
        .execute_on(conn)?;
    Ok(n == 1)
}

/// The id of the company with this website domain (`www.` and case ignored).
pub fn id_by_domain(conn: &mut Conn, domain: &str) -> Result<Option<i64>, DbError> {
    let domain = domain.trim().trim_start_matches("www.").to_ascii_lowercase();
    Ok(companies::table
        .filter(companies::website_domain.eq(domain))
        .select(companies::id)
        .first_on(conn)
        .optional()?)
}
