//! Scores and company metrics (docs/stages.md#scoring): which postings need a score (new, changed, or
//! scored with another catalog version; not while their description is still to come), storing the
//! scores (their companies then need aggregating), and each company's metrics.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::schema::{companies, postings};
use crate::{Conn, DbError};

/// A posting to score.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ToScore {
    pub id: i64,
    pub company_id: i64,
    pub title: String,
    pub description: String,
}

/// A posting's score as the scoring stage stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub id: i64,
    pub score: i32,
    pub strong: bool,
    pub top_category_id: Option<String>,
    /// JSON.
    pub explanation: String,
}

/// A company's posting as aggregation reads it.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct ForAggregation {
    pub id: i64,
    pub canonical_id: Option<i64>,
    pub repost_count: i32,
    pub published_at: Option<DateTime<Utc>>,
    pub source_updated_at: Option<DateTime<Utc>>,
    pub first_seen_at: DateTime<Utc>,
    pub changed_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub score: Option<i32>,
    pub top_category_id: Option<String>,
}

/// A company's metrics (docs/interfaces.md#companies-json).
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    pub max_score: f64,
    pub offer_count: i32,
    pub unique_offer_count: i32,
    pub strong_offer_count: i32,
    pub open_offer_count: i32,
    pub new_offers_30d: i32,
    pub closed_offers_30d: i32,
    pub avg_strong_score: Option<f64>,
    pub top_category_id: Option<String>,
    pub top_offer_id: Option<i64>,
    /// JSON object {category: best score}.
    pub category_max_scores: String,
    pub last_strong_at: Option<DateTime<Utc>>,
    pub first_seen_at: Option<DateTime<Utc>>,
    pub last_seen_at: Option<DateTime<Utc>>,
}

/// Up to `limit` postings with an id above `after` that need a score under catalog `version`, by id.
pub fn to_score(conn: &mut Conn, version: &str, after: i64, limit: i64) -> Result<Vec<ToScore>, DbError> {
    Ok(postings::table
        .filter(postings::id.gt(after))
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
        .limit(limit)
        .load(conn)?)
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
                postings::scored_at.eq(now),
                postings::needs_scoring.eq(false),
            ))
            .execute(conn)?;
    }
    let ids: Vec<i64> = scored.iter().map(|s| s.id).collect();
    let companies_of: Vec<i64> = postings::table
        .filter(postings::id.eq_any(&ids))
        .select(postings::company_id)
        .distinct()
        .load(conn)?;
    mark_for_aggregation(conn, &companies_of)
}

/// Marks companies whose postings, scores or resolution changed: their metrics are computed again.
pub fn mark_for_aggregation(conn: &mut Conn, company_ids: &[i64]) -> Result<(), DbError> {
    for chunk in company_ids.chunks(500) {
        diesel::update(companies::table.filter(companies::id.eq_any(chunk)))
            .set(companies::needs_aggregation.eq(true))
            .execute(conn)?;
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
        .load(conn)?)
}

/// A company's postings, for aggregation.
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
        .load(conn)?)
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
            companies::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
