//! Postings as the read commands show them (`offers`, the sheet's links, `status`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::RunOn;
use crate::schema::postings;
use crate::{Conn, DbError};

/// A posting as `offers` shows it.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct PostingRow {
    /// The posting's id.
    pub id: i64,
    /// Its board.
    pub board_id: i64,
    /// The provider's id, unique within the board.
    pub external_id: String,
    /// The public URL.
    pub url: String,
    /// The job title.
    pub title: String,
    /// JSON array of the locations.
    pub locations: String,
    /// The team or department.
    pub department: Option<String>,
    /// The provider's label (`Full-time`, ...).
    pub employment_type: Option<String>,
    /// `remote`, `hybrid` or `onsite`.
    pub workplace: Option<String>,
    /// When the provider says it was published.
    pub published_at: Option<DateTime<Utc>>,
    /// When ingestion first stored it.
    pub first_seen_at: DateTime<Utc>,
    /// When it closed; `None` while open.
    pub closed_at: Option<DateTime<Utc>>,
    /// The earlier posting it reposts; `None` for a canonical posting.
    pub canonical_id: Option<i64>,
    /// Reposts pointing at it.
    pub repost_count: i32,
    /// Its score (0–10); `None` until the scoring stage scored it.
    pub score: Option<i32>,
    /// The category that scored most.
    pub top_category_id: Option<String>,
}

/// A company's postings for `offers`: open ones first, newest first.
pub fn of_company(conn: &mut Conn, company_id: i64) -> Result<Vec<PostingRow>, DbError> {
    Ok(postings::table
        .filter(postings::company_id.eq(company_id))
        .select((
            postings::id,
            postings::board_id,
            postings::external_id,
            postings::url,
            postings::title,
            postings::locations,
            postings::department,
            postings::employment_type,
            postings::workplace,
            postings::published_at,
            postings::first_seen_at,
            postings::closed_at,
            postings::canonical_id,
            postings::repost_count,
            postings::score,
            postings::top_category_id,
        ))
        .order((
            postings::closed_at.is_not_null(),
            postings::first_seen_at.desc(),
            postings::id,
        ))
        .load_on(conn)?)
}

/// The public URLs of these postings, by id.
pub fn urls_of(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, String>, DbError> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String)> = postings::table
            .filter(postings::id.eq_any(chunk))
            .select((postings::id, postings::url))
            .load_on(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

/// How many postings there are, for tests and `status`.
pub fn count(conn: &mut Conn) -> Result<i64, DbError> {
    Ok(postings::table.count().get_result_on(conn)?)
}
