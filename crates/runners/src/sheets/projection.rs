//! The company table as the sheet shows it (docs/interfaces.md §4): one [`CompanyRow`] per company from the
//! DB's metrics, its active boards, its top offer's URL and its top category's name. `export` prints the
//! same rows.

use std::collections::HashMap;

use pipeline_db::repo::companies::{self, CompanyFilter};
use pipeline_db::repo::{boards, postings};
use pipeline_db::{Conn, DbError};
use pipeline_sheets::CompanyRow;

/// Every company (at or above `min_score` when given), ranked as `companies` ranks them; `category_names`
/// maps the catalog's category ids to their names.
pub fn company_rows(
    conn: &mut Conn,
    min_score: Option<f64>,
    category_names: &HashMap<String, String>,
) -> Result<Vec<CompanyRow>, DbError> {
    let filter = CompanyFilter {
        min_score,
        ..CompanyFilter::default()
    };
    let list = companies::list_ranked(conn, &filter)?;
    let ids: Vec<i64> = list.iter().map(|r| r.id).collect();
    let boards = boards::of_companies(conn, &ids)?;
    let top: Vec<i64> = list.iter().filter_map(|r| r.top_offer_id).collect();
    let urls = postings::urls_of(conn, &top)?;
    Ok(list
        .iter()
        .map(|r| {
            let ats: Vec<&str> = boards
                .get(&r.id)
                .into_iter()
                .flatten()
                .filter(|b| b.status == "active")
                .map(|b| b.reference.as_str())
                .collect();
            CompanyRow {
                id: r.id,
                name: r.display_name().to_owned(),
                resolution: r.resolution.clone(),
                max_score: r.max_score,
                strong_offers: r.strong_offer_count.into(),
                unique_offers: r.unique_offer_count.into(),
                offer_count: r.offer_count.into(),
                top_offer_url: r
                    .top_offer_id
                    .and_then(|id| urls.get(&id))
                    .cloned()
                    .unwrap_or_default(),
                top_category: r
                    .top_category_id
                    .as_ref()
                    .and_then(|id| category_names.get(id))
                    .cloned()
                    .unwrap_or_default(),
                last_strong: r
                    .last_strong_at
                    .map(|t| t.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                website: r.website_url.clone().unwrap_or_default(),
                ats: ats.join(";"),
                open_offers: r.open_offer_count.into(),
            }
        })
        .collect())
}
