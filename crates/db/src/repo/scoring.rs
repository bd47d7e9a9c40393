//! Scores and company metrics (docs/stages.md#scoring): which postings need a score (new, changed, or
//! scored with another catalog version; not while their description is still to come), storing the
//! scores (their companies then need aggregating), and each company's metrics.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::RunOn;
use crate::schema::{companies, postings};
use crate::sql::At;
use crate::{Conn, DbError};

/// A posting to score.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ToScore {
    /// The posting's id (batches go by id).
    pub id: i64,
    /// Its company (marked for aggregation once scored).
    pub company_id: i64,
    /// The title, matched with the title's weight.
    pub title: String,
    /// The description, matched with the description's weight.
    pub description: String,
}

/// A posting's score as the scoring stage stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The posting's id.
    pub id: i64,
    /// Its company, marked for aggregation with the score.
    pub company_id: i64,
    /// 0–10.
    pub score: i32,
    /// At or above the catalog's strong threshold.
    pub strong: bool,
    /// The category that contributed most, if any scored.
    pub top_category_id: Option<String>,
    /// JSON of the scorer's explanation: hits, contributions, raw score.
    pub explanation: String,
}

/// A company's posting as aggregation reads it.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct ForAggregation {
    /// The posting's id (the last tie-break of the top offer).
    pub id: i64,
    /// The canonical posting it reposts; `None` for a canonical one.
    pub canonical_id: Option<i64>,
    /// Reposts pointing at it.
    pub repost_count: i32,
    /// When the provider says it was published (tie-break of the top offer).
    pub published_at: Option<DateTime<Utc>>,
    /// When the provider says it last changed (the tie-break when not published).
    pub source_updated_at: Option<DateTime<Utc>>,
    /// When ingestion first stored it (`new_offers_30d`).
    pub first_seen_at: DateTime<Utc>,
    /// When its stored content last changed.
    pub changed_at: DateTime<Utc>,
    /// When it closed (`closed_offers_30d`); `None` while open.
    pub closed_at: Option<DateTime<Utc>>,
    /// Its score; `None` until scored (counts as 0).
    pub score: Option<i32>,
    /// Its top category.
    pub top_category_id: Option<String>,
}

/// A company's metrics (docs/interfaces.md#companies-json).
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// The best score of its canonical postings.
    pub max_score: f64,
    /// Σ (1 + repost_count) over canonical postings.
    pub offer_count: i32,
    /// Canonical postings.
    pub unique_offer_count: i32,
    /// Canonical postings at or above the strong threshold.
    pub strong_offer_count: i32,
    /// Canonical postings open now.
    pub open_offer_count: i32,
    /// Canonical postings first seen in the last 30 days.
    pub new_offers_30d: i32,
    /// Canonical postings closed, with all their reposts, in the last 30 days.
    pub closed_offers_30d: i32,
    /// Mean score of the strong postings.
    pub avg_strong_score: Option<f64>,
    /// The top posting's top category.
    pub top_category_id: Option<String>,
    /// The top posting.
    pub top_offer_id: Option<i64>,
    /// JSON object {category: best score}.
    pub category_max_scores: String,
    /// The latest publication of a strong posting.
    pub last_strong_at: Option<DateTime<Utc>>,
    /// The earliest first sight of any of its postings.
    pub first_seen_at: Option<DateTime<Utc>>,
    /// The latest sight of any of its postings.
    pub last_seen_at: Option<DateTime<Utc>>,
}

/// The ids of every posting that may need a score under catalog `version`, ascending: new or changed
/// (`needs_scoring`), never scored, or scored with another version. Read from the indexes on `needs_scoring`
/// and `catalog_version` alone: a cycle with nothing to score reads no posting row.
pub fn to_score_ids(conn: &mut Conn, version: &str) -> Result<Vec<i64>, DbError> {
    let mut ids: Vec<i64> = postings::table
        .filter(postings::needs_scoring.eq(true))
        .select(postings::id)
        .load_on(conn)?;
    let stale = [
        postings::table
            .filter(postings::catalog_version.is_null())
            .select(postings::id)
            .load_on::<i64>(conn)?,
        postings::table
            .filter(postings::catalog_version.lt(version))
            .select(postings::id)
            .load_on::<i64>(conn)?,
        postings::table
            .filter(postings::catalog_version.gt(version))
            .select(postings::id)
            .load_on::<i64>(conn)?,
    ];
    ids.extend(stale.into_iter().flatten());
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Those of `ids` (from [`to_score_ids`]) that need a score under catalog `version` now — checked again, as
/// another process may have scored them since — and whose description is not still to come, by id.
pub fn to_score(conn: &mut Conn, version: &str, ids: &[i64]) -> Result<Vec<ToScore>, DbError> {
    Ok(postings::table
        .filter(postings::id.eq_any(ids))
        .filter(postings::description_pending.eq(false))
        .filter(
            postings::needs_scoring
                .eq(true)
                .or(postings::catalog_version.is_null())
                .or(postings::catalog_version.ne(version)),
        )
        .select((
            postings::id,
            postings::company_id,
            postings::title,
            postings::description,
        ))
        .order(postings::id)
        .load_on(conn)?)
}

/// Stores scores under catalog `version`; their companies need aggregating.
pub fn record(conn: &mut Conn, scored: &[Scored], version: &str, now: DateTime<Utc>) -> Result<(), DbError> {
    for s in scored {
        diesel::update(postings::table.find(s.id))
            .set((
                postings::score.eq(s.score),
                postings::strong.eq(s.strong),
                postings::top_category_id.eq(&s.top_category_id),
                postings::explanation.eq(&s.explanation),
                postings::catalog_version.eq(version),
                postings::scored_at.eq(At(now)),
                postings::needs_scoring.eq(false),
            ))
            .execute_on(conn)?;
    }
    let mut companies_of: Vec<i64> = scored.iter().map(|s| s.company_id).collect();
    companies_of.sort_unstable();
    companies_of.dedup();
    mark_for_aggregation(conn, &companies_of)
}

/// Marks companies whose postings, scores or resolution changed: their metrics are computed again.
pub fn mark_for_aggregation(conn: &mut Conn, company_ids: &[i64]) -> Result<(), DbError> {
    for chunk in company_ids.chunks(500) {
        diesel::update(companies::table.filter(companies::id.eq_any(chunk)))
            .set(companies::needs_aggregation.eq(true))
            .execute_on(conn)?;
    }
    Ok(())
}

/// Up to `limit` companies whose metrics are stale, by id.
pub fn to_aggregate(conn: &mut Conn, limit: i64) -> Result<Vec<i64>, DbError> {
    Ok(companies::table
        .filter(companies::needs_aggregation.eq(true))
        .select(companies::id)
        .order(companies::id)
        .limit(limit)
        .load_on(conn)?)
}

/// A company's postings, for aggregation (read from the covering index `idx_postings_aggregation` alone).
pub fn for_aggregation(conn: &mut Conn, company_id: i64) -> Result<Vec<ForAggregation>, DbError> {
    Ok(postings::table
        .filter(postings::company_id.eq(company_id))
        .select((
            postings::id,
            postings::canonical_id,
            postings::repost_count,
            postings::published_at,
            postings::source_updated_at,
            postings::first_seen_at,
            postings::changed_at,
            postings::closed_at,
            postings::score,
            postings::top_category_id,
        ))
        .load_on(conn)?)
}

/// Stores a company's metrics; it no longer needs aggregating.
pub fn record_metrics(
    conn: &mut Conn,
    company_id: i64,
    m: &Metrics,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(companies::table.find(company_id))
        .set((
            companies::max_score.eq(m.max_score),
            companies::offer_count.eq(m.offer_count),
            companies::unique_offer_count.eq(m.unique_offer_count),
            companies::strong_offer_count.eq(m.strong_offer_count),
            companies::open_offer_count.eq(m.open_offer_count),
            companies::new_offers_30d.eq(m.new_offers_30d),
            companies::closed_offers_30d.eq(m.closed_offers_30d),
            companies::avg_strong_score.eq(m.avg_strong_score),
            companies::top_category_id.eq(&m.top_category_id),
            companies::top_offer_id.eq(m.top_offer_id),
            companies::category_max_scores.eq(&m.category_max_scores),
            companies::last_strong_at.eq(m.last_strong_at),
            companies::first_seen_at.eq(m.first_seen_at),
            companies::last_seen_at.eq(m.last_seen_at),
            companies::needs_aggregation.eq(false),
            companies::updated_at.eq(At(now)),
        ))
        .execute_on(conn)?;
    Ok(())
}

/// A catalog version, a scoring time and how many postings carry both.
pub type ScoredGroup = (Option<String>, Option<DateTime<Utc>>, i64);

/// How many postings carry each (catalog version, scored at) pair, `None` for postings never scored; by
/// version, then time. A rescore that reached every posting once leaves one version, and as many scoring
/// times as batches were written.
pub fn scored_by_version(conn: &mut Conn) -> Result<Vec<ScoredGroup>, DbError> {
    Ok(postings::table
        .group_by((postings::catalog_version, postings::scored_at))
        .select((
            postings::catalog_version,
            postings::scored_at,
            diesel::dsl::count_star(),
        ))
        .order((postings::catalog_version, postings::scored_at))
        .load_on(conn)?)
}
