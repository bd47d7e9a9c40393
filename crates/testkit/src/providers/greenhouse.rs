//! Greenhouse job board API: `/v1/boards/{token}`, `/v1/boards/{token}/jobs[?content=true]`, `/jobs/{id}`.

use serde_json::{Value, json};

use super::{ApiCall, board, description_html, iso};
use crate::corpus::escape;
use crate::model::{Board, Posting, Workplace};
use crate::reply::{Incoming, Reply};
use crate::world::World;

pub fn serve(world: &World, call: &ApiCall, request: &Incoming) -> Reply {
    let rest: Vec<&str> = call.rest.iter().map(String::as_str).collect();
    let token = match rest.as_slice() {
        ["v1", "boards", token, ..] => *token,
        _ => return not_found(),
    };
    let Some(board) = board(world, call, token) else {
        return not_found();
    };
    let eu = call.variant == Some("eu");
    match rest.as_slice() {
        [_, _, _] => Reply::json(
            200,
            &json!({ "name": board.company_name, "content": "<p>Join us!</p>" }),
        ),
        [_, _, _, "jobs"] => {
            let content = request.param("content").as_deref() == Some("true");
            let jobs: Vec<Value> = board
                .postings
                .iter()
                .map(|p| job(board, p, content, eu))
                .collect();
            Reply::json(
                200,
                &json!({ "jobs": jobs, "meta": { "total": board.postings.len() } }),
            )
            .conditional(request, board.updated_at)
        }
        [_, _, _, "jobs", id] => match board.postings.iter().find(|p| p.id == *id) {
            Some(p) => {
                let mut value = job(board, p, true, eu);
                if request.param("pay_transparency").as_deref() == Some("true") {
                    value["pay_input_ranges"] = json!(
                        p.salary
                            .iter()
                            .map(|s| json!({
                                "min_cents": u64::from(s.min) * 100,
                                "max_cents": u64::from(s.max) * 100,
                                "currency_type": s.currency,
                                "title": "Salary",
                                "blurb": "",
                            }))
                            .collect::<Vec<_>>()
                    );
                }
                Reply::json(200, &value)
            }
            None => not_found(),
        },
        [_, _, _, "departments"] => {
            let mut names: Vec<&str> = board.postings.iter().map(|p| p.department.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            let departments: Vec<Value> = names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let jobs: Vec<Value> = board
                        .postings
                        .iter()
                        .filter(|p| p.department == *n)
                        .map(|p| job(board, p, false, eu))
                        .collect();
                    json!({ "id": 4000 + i, "name": n, "parent_id": null, "child_ids": [], "jobs": jobs })
                })
                .collect();
            Reply::json(200, &json!({ "departments": departments }))
        }
        _ => not_found(),
    }
}

fn not_found() -> Reply {
    Reply::json(404, &json!({ "status": 404, "error": "Not Found" }))
}

fn job(board: &Board, p: &Posting, content: bool, eu: bool) -> Value {
    let host = if eu {
        "job-boards.eu.greenhouse.io"
    } else {
        "boards.greenhouse.io"
    };
    let workplace = match p.workplace {
        Workplace::Remote => "Remote",
        Workplace::Hybrid => "Hybrid",
        Workplace::OnSite => "On-site",
    };
    let mut value = json!({
        "absolute_url": format!("https://{host}/{}/jobs/{}", board.reference.tenant, p.id),
        "data_compliance": [{ "type": "gdpr", "requires_consent": false, "requires_processing_consent": false, "requires_retention_consent": false, "retention_period": null }],
        "internal_job_id": p.id.parse::<u64>().map(|n| n / 2).unwrap_or(0),
        "location": { "name": p.location.label() },
        "metadata": [{ "id": 1001, "name": "Location Type", "value": workplace, "value_type": "single_select" }],
        "id": p.id.parse::<u64>().unwrap_or(0),
        "updated_at": iso(p.updated_at),
        "requisition_id": p.requisition_id,
        "title": p.title,
        "company_name": board.company_name,
        "first_published": iso(p.published_at),
        "departments": [{ "id": 4001, "name": p.department, "child_ids": [], "parent_id": null }],
        "offices": [{ "id": 5001, "name": p.location.city, "location": p.location.label(), "child_ids": [], "parent_id": null }],
    });
    if content {
        // Greenhouse serves the description as entity-escaped HTML.
        value["content"] = json!(escape(&description_html(board, p)).replace("&#39;", "&#x27;"));
    }
    value
}
