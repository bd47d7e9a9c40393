//! SmartRecruiters posting API: `GET /v1/companies/{c}/postings?limit=&offset=` and `/postings/{id}`.

use serde_json::{Value, json};

use super::{ApiCall, board, description_html, iso_millis, sections, title_slug};
use crate::model::{Board, Posting, Workplace};
use crate::reply::{Incoming, Reply};
use crate::world::World;

const MAX_LIMIT: usize = 100;

pub fn serve(world: &World, call: &ApiCall, request: &Incoming) -> Reply {
    let rest: Vec<&str> = call.rest.iter().map(String::as_str).collect();
    let (company, id) = match rest.as_slice() {
        ["v1", "companies", c, "postings"] => (*c, None),
        ["v1", "companies", c, "postings", id] => (*c, Some(*id)),
        _ => return not_found("Not found"),
    };
    let board = board(world, call, company);
    if let Some(id) = id {
        let found = board.and_then(|b| b.postings.iter().find(|p| p.id == id).map(|p| (b, p)));
        return match found {
            Some((b, p)) => Reply::json(200, &detail(b, p)),
            None => not_found("Job posting not found"),
        };
    }
    let limit = request
        .param("limit")
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_usize);
    if limit > MAX_LIMIT {
        return Reply::json(
            400,
            &json!({ "code": "INVALID_PARAM", "message": "limit must be <= 100" }),
        );
    }
    let offset = request
        .param("offset")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0_usize);
    // An unknown company is an empty list, as on the real API.
    let postings = board.map(|b| b.postings.as_slice()).unwrap_or_default();
    let content: Vec<Value> = match board {
        Some(b) => postings
            .iter()
            .skip(offset)
            .take(limit)
            .map(|p| summary(b, p))
            .collect(),
        None => Vec::new(),
    };
    Reply::json(
        200,
        &json!({ "offset": offset, "limit": limit, "totalFound": postings.len(), "content": content }),
    )
}

fn not_found(message: &str) -> Reply {
    Reply::json(404, &json!({ "code": "NOT_FOUND", "message": message }))
}

fn summary(board: &Board, p: &Posting) -> Value {
    let c = &board.reference.tenant;
    json!({
        "id": p.id,
        "name": p.title,
        "uuid": format!("{}-0000-4000-8000-000000000000", &p.id[p.id.len().saturating_sub(8)..]),
        "refNumber": p.requisition_id,
        "company": { "identifier": c, "name": board.company_name },
        "releasedDate": iso_millis(p.published_at),
        "location": {
            "city": p.location.city,
            "region": p.location.region,
            "country": p.location.country_code.to_ascii_lowercase(),
            "remote": p.workplace == Workplace::Remote,
            "hybrid": p.workplace == Workplace::Hybrid,
            "fullLocation": format!("{}, {}, {}", p.location.city, p.location.region, p.location.country),
        },
        "industry": { "id": "computer_software", "label": "Computer Software" },
        "department": { "id": "dep-1", "label": p.department },
        "function": { "id": "other", "label": p.department },
        "typeOfEmployment": { "id": "permanent", "label": p.employment.label() },
        "experienceLevel": { "id": "mid_senior_level", "label": "Mid-Senior Level" },
        "customField": [],
        "ref": format!("https://api.smartrecruiters.com/v1/companies/{c}/postings/{}", p.id),
        "creator": { "name": "Talent Team" },
        "language": { "code": "es", "label": "Spanish", "labelNative": "español" },
    })
}

fn detail(board: &Board, p: &Posting) -> Value {
    let c = &board.reference.tenant;
    let html = description_html(board, p);
    let parts = sections(&html);
    let list = |i: usize| {
        parts
            .lists
            .get(i)
            .map(|(h, items)| format!("<h3>{h}</h3><ul>{items}</ul>"))
            .unwrap_or_default()
    };
    let mut value = summary(board, p);
    value["postingUrl"] = json!(format!(
        "https://jobs.smartrecruiters.com/{c}/{}-{}",
        p.id,
        title_slug(&p.title).to_lowercase()
    ));
    value["applyUrl"] = json!(format!(
        "https://jobs.smartrecruiters.com/oneclick-ui/company/{c}/publication/{}?dcr_ci={c}",
        p.id
    ));
    value["active"] = json!(true);
    value["jobAd"] = json!({ "sections": {
        "companyDescription": { "title": "Company Description", "text": parts.intro },
        "jobDescription": { "title": "Job Description", "text": list(0) },
        "qualifications": { "title": "Qualifications", "text": list(1) },
        "additionalInformation": { "title": "Additional Information", "text": format!("{}{}", list(2), parts.outro) },
    } });
    value
}
