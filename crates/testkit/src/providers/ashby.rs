//! Ashby posting API: `GET /posting-api/job-board/{board}[?includeCompensation=true]`.

use serde_json::{Value, json};

use super::{ApiCall, board, description_html, iso_millis};
use crate::corpus::html_to_plain;
use crate::model::{Board, Employment, Posting, Workplace};
use crate::reply::{Incoming, Reply};
use crate::world::World;

pub fn serve(world: &World, call: &ApiCall, request: &Incoming) -> Reply {
    let rest: Vec<&str> = call.rest.iter().map(String::as_str).collect();
    let ["posting-api", "job-board", name] = rest.as_slice() else {
        return not_found();
    };
    let Some(board) = board(world, call, name) else {
        return not_found();
    };
    let compensation = request.param("includeCompensation").as_deref() == Some("true");
    let jobs: Vec<Value> = board
        .postings
        .iter()
        .map(|p| job(board, p, compensation))
        .collect();
    Reply::json(200, &json!({ "apiVersion": "1", "jobs": jobs }))
}

fn not_found() -> Reply {
    Reply::json(
        404,
        &json!({ "success": false, "errors": ["Job board not found"] }),
    )
}

fn job(board: &Board, p: &Posting, compensation: bool) -> Value {
    let url = format!("https://jobs.ashbyhq.com/{}/{}", board.reference.tenant, p.id);
    let html = description_html(board, p);
    let (workplace, remote) = match p.workplace {
        Workplace::Remote => ("Remote", true),
        Workplace::Hybrid => ("Hybrid", false),
        Workplace::OnSite => ("OnSite", false),
    };
    let employment = match p.employment {
        Employment::FullTime => "FullTime",
        Employment::PartTime => "PartTime",
        Employment::Contract => "Contract",
        Employment::Internship => "Intern",
    };
    let mut value = json!({
        "id": p.id,
        "title": p.title,
        "department": p.department,
        "team": p.department,
        "employmentType": employment,
        "location": p.location.city,
        "secondaryLocations": [],
        "publishedAt": iso_millis(p.published_at),
        "isListed": p.listed,
        "isRemote": remote,
        "workplaceType": workplace,
        "address": { "postalAddress": {
            "addressLocality": p.location.city,
            "addressRegion": p.location.region,
            "addressCountry": p.location.country,
        } },
        "jobUrl": url,
        "applyUrl": format!("{url}/application"),
        "descriptionHtml": html,
        "descriptionPlain": html_to_plain(&html),
    });
    if compensation {
        value["compensation"] = match &p.salary {
            Some(s) => {
                let summary = format!(
                    "{}{}K – {}{}K",
                    s.currency,
                    s.min / 1000,
                    s.currency,
                    s.max / 1000
                );
                let component = json!({
                    "id": format!("{}-salary", p.id),
                    "summary": summary,
                    "compensationType": "Salary",
                    "interval": "1 YEAR",
                    "currencyCode": s.currency,
                    "minValue": s.min,
                    "maxValue": s.max,
                });
                json!({
                    "compensationTierSummary": summary,
                    "scrapeableCompensationSalarySummary": summary,
                    "compensationTiers": [{ "id": format!("{}-tier", p.id), "tierSummary": summary, "title": null, "components": [component.clone()] }],
                    "summaryComponents": [component],
                })
            }
            None => {
                json!({ "compensationTierSummary": null, "scrapeableCompensationSalarySummary": null, "compensationTiers": [], "summaryComponents": [] })
            }
        };
    }
    value
}
