//! Teamtailor public jobs feed (host per tenant): `GET /jobs.json?page=N`, JSON:API shaped, 20 jobs a page.

use serde_json::{Value, json};

use super::{ApiCall, board, description_html, iso, title_slug};
use crate::model::{Board, Employment, Posting, Workplace};
use crate::reply::{Incoming, Reply};
use crate::world::World;

pub const PAGE_SIZE: usize = 20;

pub fn serve(world: &World, call: &ApiCall, request: &Incoming) -> Reply {
    let rest: Vec<&str> = call.rest.iter().map(String::as_str).collect();
    let tenant = call.tenant.as_deref().unwrap_or_default();
    let Some(board) = board(world, call, tenant) else {
        return Reply::json(
            404,
            &json!({ "errors": [{ "status": "404", "title": "Not Found" }] }),
        );
    };
    if rest.as_slice() != ["jobs.json"] {
        return Reply::json(
            404,
            &json!({ "errors": [{ "status": "404", "title": "Not Found" }] }),
        );
    }
    let page = request
        .param("page")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let total = board.postings.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let data: Vec<Value> = board
        .postings
        .iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|p| job(board, p))
        .collect();
    let link = |n: usize| format!("/jobs.json?page={n}");
    let mut links = json!({ "self": link(page), "first": link(1), "last": link(pages) });
    if page < pages {
        links["next"] = json!(link(page + 1));
    }
    if page > 1 {
        links["prev"] = json!(link(page - 1));
    }
    Reply::new(
        200,
        "application/vnd.api+json; charset=utf-8",
        json!({
            "data": data,
            "meta": { "record-count": total, "page-count": pages },
            "links": links,
        })
        .to_string(),
    )
}

fn job(board: &Board, p: &Posting) -> Value {
    let url = format!(
        "https://{}.teamtailor.com/jobs/{}-{}",
        board.reference.tenant,
        p.id,
        title_slug(&p.title).to_lowercase()
    );
    let remote = match p.workplace {
        Workplace::Remote => "fully",
        Workplace::Hybrid => "hybrid",
        Workplace::OnSite => "none",
    };
    let employment = match p.employment {
        Employment::FullTime => "fulltime",
        Employment::PartTime => "parttime",
        Employment::Contract => "temporary",
        Employment::Internship => "intern",
    };
    let salary = p.salary.as_ref();
    json!({
        "id": p.id,
        "type": "jobs",
        "links": { "careersite-job-url": url, "careersite-job-apply-url": format!("{url}/applications/new") },
        "attributes": {
            "title": p.title,
            "body": description_html(board, p),
            "pitch": "",
            "status": "open",
            "human-status": "open",
            "created-at": iso(p.published_at),
            "updated-at": iso(p.updated_at),
            "start-date": null,
            "end-date": null,
            "remote-status": remote,
            "employment-type": employment,
            "employment-level": "professional",
            "currency": salary.map(|s| s.currency.clone()),
            "min-salary": salary.map(|s| s.min),
            "max-salary": salary.map(|s| s.max),
            "salary-time-unit": salary.map(|s| s.period.clone()),
            "department-name": p.department,
            "location-names": [p.location.city],
            "country": p.location.country,
        },
    })
}
