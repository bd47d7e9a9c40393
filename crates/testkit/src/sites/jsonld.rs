//! schema.org `JobPosting` JSON-LD on company sites (docs/ats-apis.md#jsonld): the careers page's part
//! (one Yoast-style `@graph`, or links to one page per posting) and the job pages (Next.js style, their
//! `__NEXT_DATA__` beside the JSON-LD); sloppy sites write it inside HTML comments or CDATA markers, with
//! trailing commas and raw line breaks; broken ones write what nobody can read.

use chrono::SecondsFormat;
use serde_json::{Value, json};

use crate::corpus::{escape, render_description};
use crate::model::{Board, Company, Employment, JsonLdLayout, JsonLdSite, Posting, Workplace};
use crate::world::World;

/// What the careers page of a site with JSON-LD carries: its scripts, and for `JobPages` the job links.
pub(super) fn careers_part(world: &World, company: &Company, site: &JsonLdSite) -> String {
    let Some((board, postings)) = shown(world, site) else {
        return BROKEN.to_owned();
    };
    let careers = careers_path(company);
    match site.layout {
        JsonLdLayout::Inline => {
            let origin = format!("http://{}", company.domain);
            let mut graph = vec![
                json!({"@type": "WebPage", "@id": format!("{origin}{careers}#webpage"), "name": "Careers"}),
                json!({"@type": "Organization", "@id": format!("{origin}/#organization"), "name": company.name}),
            ];
            graph.extend(postings.iter().map(|p| job_posting(board, p, None)));
            let document = json!({"@context": "https://schema.org", "@graph": graph});
            let list: String = postings
                .iter()
                .map(|p| format!("<li>{}</li>", escape(&p.title)))
                .collect();
            format!("{}<ul class=\"jobs\">{list}</ul>", script(&document, site.sloppy))
        }
        JsonLdLayout::JobPages => {
            let list: String = postings
                .iter()
                .map(|p| format!("<li><a href=\"{careers}/{}\">{}</a></li>", p.id, escape(&p.title)))
                .collect();
            format!("<ul class=\"jobs\">{list}</ul>")
        }
    }
}

/// The title and main part of the job page at `path` (`{careers}/{id}`) of a `JobPages` site, if `path`
/// names one of its postings.
pub(super) fn job_page(world: &World, company: &Company, path: &str) -> Option<(String, String)> {
    let site = company.site.jsonld.as_ref()?;
    if site.layout != JsonLdLayout::JobPages {
        return None;
    }
    let careers = careers_path(company);
    let id = path.strip_prefix(&format!("{careers}/"))?.trim_end_matches('/');
    let (board, postings) = shown(world, site)?;
    let posting = postings.into_iter().find(|p| p.id == id)?;
    let url = format!("{}/{id}", world.careers_url(&company.domain, &careers));
    let ld = script(&job_posting(board, posting, Some(&url)), site.sloppy);
    let next_data = json!({
        "props": {"pageProps": {"job": {"id": posting.id, "title": posting.title, "@type": "JobPosting"}}},
        "page": format!("{careers}/[id]"), "query": {"id": posting.id}, "buildId": "world",
    });
    let main = format!(
        "{ld}<h1>{}</h1>{}<p><a href=\"{careers}\">Todas las ofertas</a></p>\
         <script id=\"__NEXT_DATA__\" type=\"application/json\">{}</script>",
        escape(&posting.title),
        render_description(&posting.description, &posting.title, &board.company_name),
        next_data
    );
    Some((escape(&posting.title), main))
}

/// The board whose postings a site shows, and its listed postings.
fn shown<'w>(world: &'w World, site: &JsonLdSite) -> Option<(&'w Board, Vec<&'w Posting>)> {
    let board = world.board(site.shown_board()?)?;
    Some((board, board.postings.iter().filter(|p| p.listed).collect()))
}

/// The careers path without its trailing slash.
fn careers_path(company: &Company) -> String {
    let path = company.site.careers_path.as_deref().unwrap_or("/careers");
    path.trim_end_matches('/').to_owned()
}

fn job_posting(board: &Board, p: &Posting, url: Option<&str>) -> Value {
    let mut job = json!({
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": p.title,
        "description": render_description(&p.description, &p.title, &board.company_name),
        "datePosted": p.published_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "employmentType": match p.employment {
            Employment::FullTime => "FULL_TIME",
            Employment::PartTime => "PART_TIME",
            Employment::Contract => "CONTRACTOR",
            Employment::Internship => "INTERN",
        },
        "hiringOrganization": {"@type": "Organization", "name": board.company_name},
        "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress",
            "addressLocality": p.location.city, "addressRegion": p.location.region,
            "addressCountry": p.location.country_code}},
    });
    // Pages built one per posting name it plainly; a graph of several, as a PropertyValue.
    job["identifier"] = match url {
        Some(_) => json!(p.id),
        None => json!({"@type": "PropertyValue", "name": board.company_name, "value": p.id}),
    };
    if let Some(url) = url {
        job["url"] = json!(url);
    }
    if let Some(until) = p.valid_through {
        job["validThrough"] = json!(until.to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    if p.workplace == Workplace::Remote {
        job["jobLocationType"] = json!("TELECOMMUTE");
        job["applicantLocationRequirements"] = json!({"@type": "Country", "name": p.location.country});
    }
    if let Some(salary) = &p.salary {
        job["baseSalary"] = json!({"@type": "MonetaryAmount", "currency": salary.currency,
            "value": {"@type": "QuantitativeValue", "minValue": salary.min, "maxValue": salary.max,
                      "unitText": salary.period.to_ascii_uppercase()}});
    }
    job
}

/// The `<script type="application/ld+json">` of `document`: clean, or as sloppy sites write it.
fn script(document: &Value, sloppy: bool) -> String {
    let text = if sloppy {
        let pretty = serde_json::to_string_pretty(document).unwrap_or_default();
        // Trailing commas, raw line breaks inside strings, the whole inside an HTML comment.
        let pretty = pretty
            .replace("\n}", ",\n}")
            .replace("\n]", ",\n]")
            .replace("</p><", "</p>\n<");
        format!("<!--\n{}\n-->", pretty.replace("</", "<\\/"))
    } else {
        serde_json::to_string(document)
            .unwrap_or_default()
            .replace("</", "<\\/")
    };
    format!("<script type=\"application/ld+json\">{text}</script>")
}

/// JSON-LD no reader can read: cut short by a CMS, and bare quotes inside a string.
const BROKEN: &str = "<script type=\"application/ld+json\">{\"@context\": \"https://schema.org\", \
\"@type\": \"JobPosting\", \"title\": \"Técnico de soporte\", \"description\": \"<p>Buscamos una persona</script>\
<script type=\"application/ld+json\">{\"@type\": \"JobPosting\", \"title\": \"Comercial \"senior\"\", \
\"datePosted\": \"2026-10-01\"}</script>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sloppy_json_ld_is_not_json_but_clean_json_ld_is() {
        let document = json!({"@graph": [{"description": "<p>a</p><p>b</p>", "n": [1]}]});
        let clean = script(&document, false);
        let inner = |s: &str| {
            s.trim_start_matches("<script type=\"application/ld+json\">")
                .trim_end_matches("</script>")
                .to_owned()
        };
        let parsed: Value = serde_json::from_str(&inner(&clean)).unwrap_or_default();
        assert_eq!(parsed, document);
        let sloppy = inner(&script(&document, true));
        assert!(serde_json::from_str::<Value>(&sloppy).is_err());
        assert!(sloppy.starts_with("<!--") && sloppy.contains(",\n}") && sloppy.contains("<\\/p>\n<"));
    }
}
