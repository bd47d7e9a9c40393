//! Lever postings API: `GET /v0/postings/{site}?mode=json[&skip=&limit=]` and `/v0/postings/{site}/{id}`.

use serde_json::{Value, json};

use super::{ApiCall, board, description_html, sections};
use crate::corpus::html_to_plain;
use crate::model::{Board, Posting, Workplace};
use crate::reply::{Incoming, Reply};
use crate::world::World;

pub fn serve(world: &World, call: &ApiCall, request: &Incoming) -> Reply {
    let rest: Vec<&str> = call.rest.iter().map(String::as_str).collect();
    let (site, id) = match rest.as_slice() {
        ["v0", "postings", site] => (*site, None),
        ["v0", "postings", site, id] => (*site, Some(*id)),
        _ => return not_found(),
    };
    let Some(board) = board(world, call, site) else {
        return not_found();
    };
    if let Some(id) = id {
        return match board.postings.iter().find(|p| p.id == id) {
            Some(p) => Reply::json(200, &posting(board, p, call.variant == Some("eu"))),
            None => not_found(),
        };
    }
    if request.param("mode").as_deref() != Some("json") {
        return Reply::html(
            200,
            format!("<html><body><h1>{} jobs</h1></body></html>", board.company_name),
        );
    }
    let skip: usize = request.param("skip").and_then(|s| s.parse().ok()).unwrap_or(0);
    let limit: usize = request
        .param("limit")
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    let eu = call.variant == Some("eu");
    let page: Vec<Value> = board
        .postings
        .iter()
        .skip(skip)
        .take(limit)
        .map(|p| posting(board, p, eu))
        .collect();
    Reply::json(200, &Value::Array(page)).conditional(request, board.updated_at)
}

fn not_found() -> Reply {
    Reply::json(404, &json!({ "ok": false, "error": "Document not found" }))
}

fn posting(board: &Board, p: &Posting, eu: bool) -> Value {
    let host = if eu { "jobs.eu.lever.co" } else { "jobs.lever.co" };
    let hosted = format!("https://{host}/{}/{}", board.reference.tenant, p.id);
    let html = description_html(board, p);
    let parts = sections(&html);
    let lists: Vec<Value> = parts
        .lists
        .iter()
        .map(|(text, content)| json!({ "text": text, "content": content }))
        .collect();
    let workplace = match p.workplace {
        Workplace::Remote => "remote",
        Workplace::Hybrid => "hybrid",
        Workplace::OnSite => "on-site",
    };
    let mut value = json!({
        "id": p.id,
        "text": p.title,
        "hostedUrl": hosted,
        "applyUrl": format!("{hosted}/apply"),
        "createdAt": p.published_at.timestamp_millis(),
        "updatedAt": p.updated_at.timestamp_millis(),
        "categories": {
            "location": p.location.city,
            "allLocations": [p.location.city],
            "department": p.department,
            "team": p.department,
            "commitment": p.employment.label(),
        },
        "workplaceType": workplace,
        "country": p.location.country_code,
        "description": parts.intro,
        "descriptionPlain": html_to_plain(&parts.intro),
        "lists": lists,
        "additional": parts.outro,
        "additionalPlain": html_to_plain(&parts.outro),
    });
    if let Some(s) = &p.salary {
        value["salaryRange"] = json!({ "min": s.min, "max": s.max, "currency": s.currency, "interval": format!("per-{}-salary", s.period) });
        value["salaryDescriptionPlain"] =
            json!(format!("{} - {} {} per {}", s.min, s.max, s.currency, s.period));
    }
    value
}
