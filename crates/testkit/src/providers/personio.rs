//! Personio XML feed (host per tenant, `.de` or `.com`): `GET /xml?language=en`, and `GET /search.json`.

use serde_json::{Value, json};

use super::{ApiCall, board, description_html, iso, sections};
use crate::corpus::escape;
use crate::model::{Board, Employment, Posting};
use crate::reply::{Incoming, Reply};
use crate::world::World;

pub fn serve(world: &World, call: &ApiCall, request: &Incoming) -> Reply {
    let rest: Vec<&str> = call.rest.iter().map(String::as_str).collect();
    let tenant = call.tenant.as_deref().unwrap_or_default();
    let Some(board) = board(world, call, tenant) else {
        return Reply::html(404, "<html><body>Page not found</body></html>".to_owned());
    };
    match rest.as_slice() {
        ["xml"] => Reply::xml(200, feed(board)).conditional(request, board.updated_at),
        ["search.json"] => {
            let items: Vec<Value> = board
                .postings
                .iter()
                .map(|p| {
                    json!({
                        "id": p.id.parse::<u64>().unwrap_or(0),
                        "name": p.title,
                        "office": p.location.city,
                        "department": p.department,
                        "employment_type": employment(p),
                        "schedule": schedule(p),
                        "subcompany": board.company_name,
                        "createdAt": iso(p.published_at),
                    })
                })
                .collect();
            Reply::json(200, &Value::Array(items))
        }
        _ => Reply::html(404, "<html><body>Page not found</body></html>".to_owned()),
    }
}

fn employment(p: &Posting) -> &'static str {
    match p.employment {
        Employment::Internship => "intern",
        Employment::Contract => "freelance",
        _ => "permanent",
    }
}

fn schedule(p: &Posting) -> &'static str {
    if p.employment == Employment::PartTime {
        "part-time"
    } else {
        "full-time"
    }
}

fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

fn feed(board: &Board) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<workzag-jobs>\n");
    for p in &board.postings {
        let html = description_html(board, p);
        let parts = sections(&html);
        let mut descriptions = format!(
            "      <jobDescription>\n        <name>{}</name>\n        <value>{}</value>\n      </jobDescription>\n",
            escape(&board.company_name),
            cdata(&parts.intro)
        );
        for (heading, items) in &parts.lists {
            descriptions.push_str(&format!(
                "      <jobDescription>\n        <name>{}</name>\n        <value>{}</value>\n      </jobDescription>\n",
                heading,
                cdata(&format!("<ul>{items}</ul>{}", "")),
            ));
        }
        if !parts.outro.is_empty() {
            descriptions.push_str(&format!(
                "      <jobDescription>\n        <name>More</name>\n        <value>{}</value>\n      </jobDescription>\n",
                cdata(&parts.outro)
            ));
        }
        xml.push_str(&format!(
            "  <position>\n    <id>{id}</id>\n    <subcompany>{company}</subcompany>\n    <office>{office}</office>\n    \
<additionalOffices></additionalOffices>\n    <department>{dept}</department>\n    <recruitingCategory>{dept}</recruitingCategory>\n    \
<name>{name}</name>\n    <jobDescriptions>\n{descriptions}    </jobDescriptions>\n    <employmentType>{employment}</employmentType>\n    \
<seniority>experienced</seniority>\n    <schedule>{schedule}</schedule>\n    <yearsOfExperience>2-5</yearsOfExperience>\n    \
<keywords></keywords>\n    <occupation>other</occupation>\n    <occupationCategory>other</occupationCategory>\n    \
<createdAt>{created}</createdAt>\n  </position>\n",
            id = p.id,
            company = escape(&board.company_name),
            office = escape(&p.location.city),
            dept = escape(&p.department),
            name = escape(&p.title),
            employment = employment(p),
            schedule = schedule(p),
            created = p.published_at.format("%Y-%m-%dT%H:%M:%S%:z"),
        ));
    }
    xml.push_str("</workzag-jobs>\n");
    xml
}
