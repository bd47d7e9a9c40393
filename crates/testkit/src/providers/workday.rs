//! Workday cxs API (host per tenant and pod): `POST /wday/cxs/{tenant}/{site}/jobs` (20 a page) and the detail GET.

use axum::http::Method;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{ApiCall, description_html, title_slug};
use crate::model::{Board, BoardRef, Posting, Provider, Workplace};
use crate::reply::{Incoming, Reply};
use crate::world::World;

pub const PAGE_SIZE: usize = 20;

pub fn serve(world: &World, call: &ApiCall, request: &Incoming) -> Reply {
    let rest: Vec<&str> = call.rest.iter().map(String::as_str).collect();
    let tenant = call.tenant.as_deref().unwrap_or_default();
    let pod = call.pod.as_deref().unwrap_or_default();
    let (site, tail) = match rest.as_slice() {
        ["wday", "cxs", t, site, tail @ ..] if t.eq_ignore_ascii_case(tenant) => (*site, tail),
        _ => return Reply::json(404, &json!({ "errorCode": "HTTP_404", "httpStatus": 404 })),
    };
    let Some(board) = world.board(&BoardRef::workday(tenant, pod, site)) else {
        let tenant_in_pod = world.boards.values().any(|b| {
            b.reference.provider == Provider::Workday
                && b.reference.tenant.eq_ignore_ascii_case(tenant)
                && b.reference
                    .workday
                    .as_ref()
                    .is_some_and(|(p, _)| p.eq_ignore_ascii_case(pod))
        });
        return if tenant_in_pod {
            Reply::json(404, &json!({ "errorCode": "HTTP_404", "httpStatus": 404 }))
        } else {
            Reply::json(
                422,
                &json!({ "errorCode": "HTTP_422", "httpStatus": 422, "message": "Unprocessable Entity" }),
            )
        };
    };
    let now = world.now();
    match tail {
        ["jobs"] if request.method == Method::POST => list(board, request, now),
        ["job", ..] if request.method == Method::GET => {
            let path = format!("/{}", tail.join("/"));
            match board.postings.iter().find(|p| external_path(p) == path) {
                Some(p) => Reply::json(200, &detail(board, p, now)),
                None => Reply::json(404, &json!({ "errorCode": "HTTP_404", "httpStatus": 404 })),
            }
        }
        _ => Reply::json(405, &json!({ "errorCode": "HTTP_405", "httpStatus": 405 })),
    }
}

fn list(board: &Board, request: &Incoming, now: DateTime<Utc>) -> Reply {
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let (Some(limit), Some(offset)) = (
        body.get("limit").and_then(Value::as_u64),
        body.get("offset").and_then(Value::as_u64),
    ) else {
        return Reply::json(
            422,
            &json!({ "errorCode": "HTTP_422", "httpStatus": 422, "message": "limit and offset are required" }),
        );
    };
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    if limit > PAGE_SIZE {
        return Reply::json(
            400,
            &json!({ "errorCode": "HTTP_400", "httpStatus": 400, "message": "limit must be <= 20" }),
        );
    }
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let postings: Vec<Value> = board
        .postings
        .iter()
        .skip(offset)
        .take(limit)
        .map(|p| {
            json!({
                "title": p.title,
                "externalPath": external_path(p),
                "locationsText": p.location.city,
                "postedOn": posted_on(p, now),
                "remoteType": remote_type(p),
                "bulletFields": [p.id],
            })
        })
        .collect();
    Reply::json(
        200,
        &json!({ "total": board.postings.len(), "jobPostings": postings, "facets": [], "userAuthenticated": false }),
    )
}

/// `/job/{City}/{Title-Slug}_{id}`: the id is the suffix after the last `_`.
pub fn external_path(p: &Posting) -> String {
    format!(
        "/job/{}/{}_{}",
        title_slug(&p.location.city),
        title_slug(&p.title),
        p.id
    )
}

fn remote_type(p: &Posting) -> &'static str {
    match p.workplace {
        Workplace::Remote => "Fully Remote",
        Workplace::Hybrid => "Hybrid",
        Workplace::OnSite => "On-site",
    }
}

fn posted_on(p: &Posting, now: DateTime<Utc>) -> String {
    match (now - p.published_at).num_days() {
        ..=0 => "Posted Today".to_owned(),
        1 => "Posted Yesterday".to_owned(),
        d @ 2..=30 => format!("Posted {d} Days Ago"),
        _ => "Posted 30+ Days Ago".to_owned(),
    }
}

fn detail(board: &Board, p: &Posting, now: DateTime<Utc>) -> Value {
    let (pod, site) = board.reference.workday.clone().unwrap_or_default();
    let tenant = &board.reference.tenant;
    json!({
        "jobPostingInfo": {
            "id": p.id,
            "title": p.title,
            "jobDescription": description_html(board, p),
            "location": p.location.city,
            "additionalLocations": [],
            "postedOn": posted_on(p, now),
            "startDate": p.published_at.format("%Y-%m-%d").to_string(),
            "timeType": p.employment.label(),
            "jobReqId": p.id,
            "jobPostingId": title_slug(&p.title),
            "jobPostingSiteId": site,
            "country": { "descriptor": p.location.country, "id": p.location.country_code },
            "canApply": true,
            "posted": true,
            "remoteType": remote_type(p),
            "externalUrl": format!("https://{tenant}.{pod}.myworkdayjobs.com/{site}{}", external_path(p)),
        },
        "hiringOrganization": { "name": board.company_name, "url": "" },
        "similarJobs": [],
        "userAuthenticated": false,
    })
}
