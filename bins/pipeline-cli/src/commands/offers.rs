//! `offers --company DOMAIN [--json]`: one company's stored postings (docs/interfaces.md#offers-json),
//! open ones first, newest first; reads the DB only. `score` and `top_category` are null until the scoring
//! stage has scored the posting.

use pipeline_db::repo::boards;
use pipeline_db::repo::companies;
use pipeline_db::repo::postings::{self, PostingRow};
use pipeline_domain::config::Config;
use serde_json::{Value, json};

use crate::exit::{CmdResult, Exit, Failure};
use crate::output::{opt_time, print_json};
use crate::wiring;

pub async fn run(config: &Config, company: &str, as_json: bool) -> CmdResult {
    let config = config.clone();
    let domain = company.to_owned();
    let offers = super::blocking(move || {
        let Some(db) = wiring::open_db_read_only(&config)? else {
            return Ok(None);
        };
        let Some(id) = db.read(|c| companies::id_by_domain(c, &domain))? else {
            return Ok(None);
        };
        let rows = db.read(|c| postings::of_company(c, id))?;
        let boards = db.read(|c| boards::of_companies(c, &[id]))?;
        let reference = |board_id: i64| {
            boards
                .get(&id)
                .and_then(|bs| bs.iter().find(|b| b.id == board_id))
                .map(|b| (b.reference.clone(), b.provider.clone()))
                .unwrap_or_default()
        };
        Ok(Some(
            rows.iter()
                .map(|r| to_json(r, reference(r.board_id)))
                .collect::<Vec<_>>(),
        ))
    })
    .await?;
    let Some(offers) = offers else {
        return Err(Failure::usage(format!("no company `{company}` in the database")));
    };
    if as_json {
        print_json(&Value::Array(offers));
    } else {
        print_table(&offers);
    }
    Ok(Exit::Ok)
}

fn to_json(r: &PostingRow, (board, provider): (String, String)) -> Value {
    json!({
        "id": r.id,
        "board": board,
        "provider": provider,
        "external_id": r.external_id,
        "url": r.url,
        "title": r.title,
        "score": r.score,
        "top_category": r.top_category_id,
        "published_at": opt_time(r.published_at),
        "closed_at": opt_time(r.closed_at),
        "canonical_offer_id": r.canonical_id,
        "repost_count": r.repost_count,
    })
}

fn print_table(offers: &[Value]) {
    println!(
        "{:>7}  {:<8} {:>5}  {:<48} {:<28} {:<10} reposts",
        "id", "status", "score", "title", "board", "published"
    );
    for o in offers {
        let title: String = o["title"].as_str().unwrap_or_default().chars().take(48).collect();
        let status = if o["closed_at"].is_null() {
            "open"
        } else {
            "closed"
        };
        let status = if o["canonical_offer_id"].is_null() {
            status.to_owned()
        } else {
            format!("{status}*")
        };
        let published: String = o["published_at"]
            .as_str()
            .unwrap_or("-")
            .chars()
            .take(10)
            .collect();
        let score = o["score"]
            .as_i64()
            .map_or_else(|| "-".to_owned(), |s| s.to_string());
        println!(
            "{:>7}  {:<8} {:>5}  {:<48} {:<28} {:<10} {}",
            o["id"].as_i64().unwrap_or_default(),
            status,
            score,
            title,
            o["board"].as_str().unwrap_or_default(),
            published,
            o["repost_count"].as_i64().unwrap_or_default(),
        );
    }
    if offers.iter().any(|o| !o["canonical_offer_id"].is_null()) {
        println!("* a repost of an earlier posting (canonical_offer_id in --json)");
    }
}
