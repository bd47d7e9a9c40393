//! Recruitee careers API (host per tenant): `GET /api/offers/`.

use serde_json::{Value, json};

use super::{ApiCall, board, description_html, sections};
use crate::model::{Board, Employment, Posting, Workplace};
use crate::reply::{Incoming, Reply};
use crate::world::World;

pub fn serve(world: &World, call: &ApiCall, request: &Incoming) -> Reply {
    let rest: Vec<&str> = call.rest.iter().map(String::as_str).collect();
    let tenant = call.tenant.as_deref().unwrap_or_default();
    let Some(board) = board(world, call, tenant) else {
        return not_found();
    };
    match rest.as_slice() {
        ["api", "offers"] => {
            let offers: Vec<Value> = board
                .postings
                .iter()
                .enumerate()
                .map(|(i, p)| offer(board, p, i))
                .collect();
            Reply::json(200, &json!({ "offers": offers })).conditional(request, board.updated_at)
        }
        ["api", "offers", id] => match board
            .postings
            .iter()
            .enumerate()
            .find(|(_, p)| p.id == *id || slug(p) == *id)
        {
            Some((i, p)) => Reply::json(200, &json!({ "offer": offer(board, p, i) })),
            None => not_found(),
        },
        _ => not_found(),
    }
}

fn not_found() -> Reply {
    Reply::json(404, &json!({ "error": "Not found" }))
}

fn slug(p: &Posting) -> String {
    crate::corpus::slugify(&p.title, '-')
}

fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

fn offer(board: &Board, p: &Posting, position: usize) -> Value {
    let host = format!("https://{}.recruitee.com", board.reference.tenant);
    let slug = slug(p);
    let html = description_html(board, p);
    let parts = sections(&html);
    let requirements: String = parts
        .lists
        .iter()
        .skip(1)
        .map(|(h, items)| format!("<h3>{h}</h3><ul>{items}</ul>"))
        .collect();
    let description: String = format!(
        "{}{}",
        parts.intro,
        parts
            .lists
            .first()
            .map(|(h, items)| format!("<h3>{h}</h3><ul>{items}</ul>"))
            .unwrap_or_default()
    );
    let employment = match p.employment {
        Employment::FullTime => "fulltime_permanent",
        Employment::PartTime => "parttime_permanent",
        Employment::Contract => "fulltime_fixed_term",
        Employment::Internship => "internship",
    };
    let mut value = json!({
        "id": p.id.parse::<u64>().unwrap_or(0),
        "slug": slug,
        "title": p.title,
        "position": position,
        "status": "published",
        "careers_url": format!("{host}/o/{slug}"),
        "careers_apply_url": format!("{host}/o/{slug}/c/new"),
        "url": format!("{host}/o/{slug}"),
        "location": p.location.label(),
        "locations": [{
            "id": 1,
            "name": p.location.city,
            "city": p.location.city,
            "state": p.location.region,
            "country": p.location.country,
            "country_code": p.location.country_code,
        }],
        "city": p.location.city,
        "country": p.location.country,
        "country_code": p.location.country_code,
        "state_code": null,
        "remote": p.workplace == Workplace::Remote,
        "hybrid": p.workplace == Workplace::Hybrid,
        "on_site": p.workplace == Workplace::OnSite,
        "department": p.department,
        "employment_type_code": employment,
        "category_code": "other",
        "experience_code": "mid_level",
        "education_code": "bachelor_degree",
        "published_at": time(p.published_at),
        "created_at": time(p.published_at),
        "updated_at": time(p.updated_at),
        "close_at": null,
        "description": description,
        "requirements": format!("{requirements}{}", parts.outro),
        "company_name": board.company_name,
        "tags": [],
    });
    if let Some(s) = &p.salary {
        value["salary"] = json!({ "min": s.min.to_string(), "max": s.max.to_string(), "currency": s.currency, "period": s.period });
    }
    value
}
