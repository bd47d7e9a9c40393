//! Workable widget API: `GET /api/v1/widget/accounts/{account}[?details=true]`.

use serde_json::{Value, json};

use super::{ApiCall, board, description_html};
use crate::model::{Board, Posting, Workplace};
use crate::reply::{Incoming, Reply};
use crate::world::World;

pub fn serve(world: &World, call: &ApiCall, request: &Incoming) -> Reply {
    let rest: Vec<&str> = call.rest.iter().map(String::as_str).collect();
    let ["api", "v1", "widget", "accounts", account] = rest.as_slice() else {
        return not_found();
    };
    let Some(board) = board(world, call, account) else {
        return not_found();
    };
    let details = request.param("details").as_deref() == Some("true");
    let jobs: Vec<Value> = board.postings.iter().map(|p| job(board, p, details)).collect();
    Reply::json(
        200,
        &json!({ "name": board.company_name, "description": format!("<p>{} is hiring.</p>", board.company_name), "jobs": jobs }),
    )
}

fn not_found() -> Reply {
    Reply::json(404, &json!({ "error": "Not found" }))
}

fn job(board: &Board, p: &Posting, details: bool) -> Value {
    let account = &board.reference.tenant;
    let url = format!("https://apply.workable.com/{account}/j/{}/", p.id);
    let day = p.published_at.format("%Y-%m-%d").to_string();
    let mut value = json!({
        "title": p.title,
        "shortcode": p.id,
        "code": p.requisition_id,
        "employment_type": p.employment.label(),
        "telecommuting": p.workplace == Workplace::Remote,
        "department": p.department,
        "url": url,
        "shortlink": format!("https://apply.workable.com/j/{}", p.id),
        "application_url": format!("{url}apply/"),
        "published_on": day,
        "created_at": day,
        "country": p.location.country,
        "city": p.location.city,
        "state": p.location.region,
        "education": "",
        "experience": "",
        "function": "",
        "industry": "",
        "locations": [{
            "country": p.location.country,
            "countryCode": p.location.country_code,
            "city": p.location.city,
            "region": p.location.region,
            "hidden": false,
        }],
    });
    if details {
        value["description"] = json!(description_html(board, p));
    }
    value
}
