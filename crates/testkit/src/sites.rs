//! Company websites under their own `*.test` domains: home, careers pages, board links in every form, decoys,
//! and schema.org `JobPosting` JSON-LD on careers and job pages.

mod jsonld;

use crate::corpus::escape;
use crate::model::{BoardLink, BoardRef, Company, Decoy, LinkForm, LinkPage, Provider};
use crate::reply::{Incoming, Reply};
use crate::world::World;

const BLOG_PATH: &str = "/blog/como-elegimos-nuestro-ats";

/// Serves one page of a company's site, or 404.
pub fn serve(world: &World, company: &Company, request: &Incoming) -> Reply {
    if request.method != axum::http::Method::GET && request.method != axum::http::Method::HEAD {
        return Reply::text(405, "method not allowed");
    }
    let path = request.path.as_str();
    let site = &company.site;
    let careers = site.careers_path.as_deref();
    let body = if path == "/" || path.is_empty() || path.starts_with("/es/inicio") || path == "/index.html" {
        home(world, company)
    } else if careers.is_some_and(|c| same_path(c, path)) {
        let reply = Reply::html(200, careers_page(world, company));
        // A careers page with JSON-LD answers conditionally, as a CMS does: it changes with its postings.
        let shown = site
            .jsonld
            .as_ref()
            .and_then(|j| j.shown_board())
            .and_then(|b| world.board(b));
        return match shown {
            Some(board) => reply.conditional(request, board.updated_at),
            None => reply,
        };
    } else if let Some((title, main)) = jsonld::job_page(world, company, path) {
        page(company, &title, &main)
    } else if same_path(&site.deep_path, path) {
        let links = links_on(world, company, LinkPage::Deep);
        page(
            company,
            "Vacantes",
            &format!("<h1>Vacantes y oportunidades</h1>{links}"),
        )
    } else if path == "/about" {
        page(
            company,
            "Sobre nosotros",
            &format!(
                "<h1>Sobre {}</h1><p>Somos un equipo pequeño.</p>",
                escape(&company.name)
            ),
        )
    } else if path == BLOG_PATH && site.decoys.contains(&Decoy::BlogMention) {
        page(company, "Blog", BLOG_POST)
    } else {
        return Reply::not_found();
    };
    Reply::html(200, body)
}

/// `/careers` and `/careers/` are one page; `/jobs` and `/jobs/` too.
fn same_path(configured: &str, path: &str) -> bool {
    configured.trim_end_matches('/') == path.trim_end_matches('/')
}

fn home(world: &World, company: &Company) -> String {
    let site = &company.site;
    let mut main = format!(
        "<h1>{}</h1><p>Construimos el futuro desde España. We build the future from Spain.</p>",
        escape(&company.name)
    );
    main.push_str(&links_on(world, company, LinkPage::Home));
    if site.careers_path.is_none() && site.links.is_empty() {
        main.push_str(&format!(
            "<p>¿Quieres trabajar con nosotros? Escríbenos a <a href=\"mailto:talento@{0}\">talento@{0}</a>.</p>",
            company.domain
        ));
    }
    for decoy in &site.decoys {
        if let Decoy::OtherCompanyBoard(board) = decoy {
            main.push_str(&format!(
                "<p>Nuestro partner también contrata: <a href=\"{}\">mira sus ofertas</a>.</p>",
                board.public_url()
            ));
        }
    }
    page(company, "Inicio", &main)
}

fn careers_page(world: &World, company: &Company) -> String {
    let mut main = String::from("<h1>Trabaja con nosotros · Careers</h1><p>Join our team!</p>");
    let links = links_on(world, company, LinkPage::Careers);
    let own_postings = company
        .site
        .jsonld
        .as_ref()
        .is_some_and(|j| matches!(j.kind, crate::model::JsonLdKind::Own(_)));
    if let Some(site) = &company.site.jsonld {
        main.push_str(&jsonld::careers_part(world, company, site));
    }
    if links.is_empty() && !own_postings && !company.site.links.iter().any(|l| l.page == LinkPage::Careers) {
        main.push_str(&format!(
            "<p>No tenemos vacantes abiertas. Envía tu CV a <a href=\"mailto:jobs@{0}\">jobs@{0}</a>.</p>",
            company.domain
        ));
    }
    main.push_str(&links);
    for decoy in &company.site.decoys {
        match decoy {
            Decoy::ReservedSegments => main.push_str(RESERVED_SEGMENTS),
            Decoy::BrokenBoard(board) => main.push_str(&format!(
                "<p><a href=\"{}\">Nuestro antiguo portal de empleo</a></p>",
                board.public_url()
            )),
            _ => {}
        }
    }
    page(company, "Careers", &main)
}

fn links_on(world: &World, company: &Company, on: LinkPage) -> String {
    let careers_missing = company.site.careers_path.is_none();
    company
        .site
        .links
        .iter()
        .filter(|l| l.page == on || (on == LinkPage::Home && l.page == LinkPage::Careers && careers_missing))
        .map(|l| link_html(world, company, l))
        .collect()
}

/// The HTML that links a board in the given form.
pub fn link_html(world: &World, company: &Company, link: &BoardLink) -> String {
    let board = &link.board;
    let t = &board.tenant;
    let eu = board.is_variant("eu");
    let anchor = |url: String| format!("<p><a href=\"{url}\">Ver ofertas / Open positions</a></p>");
    let first_posting = world
        .board(board)
        .and_then(|b| b.postings.first())
        .map(|p| p.id.clone());
    match (link.form, board.provider) {
        (LinkForm::Anchor, _) => anchor(board.public_url()),
        (LinkForm::AltAnchor, Provider::Greenhouse) => {
            anchor(format!("https://job-boards.greenhouse.io/{t}"))
        }
        (LinkForm::AltAnchor, Provider::Workable) => anchor(format!("https://{t}.workable.com/")),
        (LinkForm::AltAnchor, Provider::SmartRecruiters) => {
            anchor(format!("https://jobs.smartrecruiters.com/{t}"))
        }
        (LinkForm::AltAnchor, Provider::Workday) => {
            let (pod, site) = board.workday.clone().unwrap_or_default();
            anchor(format!("https://{t}.{pod}.myworkdayjobs.com/en-US/{site}"))
        }
        (LinkForm::AltAnchor, Provider::Lever) => {
            let host = if eu { "api.eu.lever.co" } else { "api.lever.co" };
            format!(
                "<div id=\"jobs\"></div><script>fetch(\"https://{host}/v0/postings/{t}?mode=json\").then(r => r.json()).then(render);</script>"
            )
        }
        (LinkForm::PostingLink, Provider::Lever) => match first_posting {
            Some(id) => anchor(format!("{}/{id}", board.public_url())),
            None => anchor(board.public_url()),
        },
        (LinkForm::PostingLink, Provider::Greenhouse) => match first_posting {
            Some(id) => anchor(format!("{}/jobs/{id}", board.public_url())),
            None => anchor(board.public_url()),
        },
        (LinkForm::Iframe, Provider::Greenhouse) => format!(
            "<iframe src=\"https://boards.greenhouse.io/embed/job_board?for={t}&amp;b=https%3A%2F%2F{}\" width=\"100%\" height=\"800\"></iframe>",
            company.domain
        ),
        (LinkForm::Iframe, Provider::Ashby) => {
            format!(
                "<iframe src=\"https://jobs.ashbyhq.com/{t}/embed\" title=\"Jobs\" width=\"100%\"></iframe>"
            )
        }
        (LinkForm::Iframe, _) => format!(
            "<iframe src=\"{}\" width=\"100%\" height=\"900\"></iframe>",
            board.public_url()
        ),
        (LinkForm::Script, Provider::Greenhouse) => format!(
            "<div id=\"grnhse_app\"></div>\n<script src=\"https://boards.greenhouse.io/embed/job_board/js?for={t}\"></script>"
        ),
        (LinkForm::Script, Provider::Ashby) => {
            format!(
                "<div id=\"ashby_embed\"></div>\n<script src=\"https://jobs.ashbyhq.com/{t}/embed?version=2\"></script>"
            )
        }
        (LinkForm::GhJid, Provider::Greenhouse) => gh_jid_listing(world, company, board),
        _ => anchor(board.public_url()),
    }
}

/// A custom careers page built on the Greenhouse API: `?gh_jid=` links and an inline API call.
fn gh_jid_listing(world: &World, company: &Company, board: &BoardRef) -> String {
    let path = company
        .site
        .careers_path
        .clone()
        .unwrap_or_else(|| "/".to_owned());
    let mut html = String::from("<ul class=\"openings\">");
    for posting in world
        .board(board)
        .map(|b| b.postings.as_slice())
        .unwrap_or_default()
        .iter()
        .take(50)
    {
        html.push_str(&format!(
            "<li><a href=\"{path}?gh_jid={}\">{}</a></li>",
            posting.id,
            escape(&posting.title)
        ));
    }
    html.push_str("</ul>");
    html.push_str(&format!(
        "<script>const API = \"https://boards-api.greenhouse.io/v1/boards/{}/jobs\"; loadJobs(API);</script>",
        board.tenant
    ));
    html
}

const BLOG_POST: &str = "<article><h1>Cómo elegimos nuestro ATS</h1>\
<p>Antes de contratar a nuestro primer equipo comparamos lever.co, greenhouse.io, workable.com y \
ashbyhq.com. Al final decidimos gestionar los procesos con una hoja de cálculo.</p>\
<p>Más info: <a href=\"https://www.lever.co/\">lever.co</a> y <a href=\"https://www.greenhouse.io/\">greenhouse.io</a>, \
<a href=\"https://jobs.lever.co/\">jobs.lever.co</a>.</p></article>";

const RESERVED_SEGMENTS: &str = "<p><a href=\"https://boards.greenhouse.io/embed/job_app?token=4012345\">Apply</a> \
<script src=\"https://boards.greenhouse.io/embed/job_board/js\"></script> \
<a href=\"https://boards-api.greenhouse.io/v1/boards/\">API</a></p>";

fn page(company: &Company, title: &str, main: &str) -> String {
    let site = &company.site;
    let mut nav = String::from("<a href=\"/\">Inicio</a> <a href=\"/about\">Sobre nosotros</a>");
    if let Some(careers) = &site.careers_path {
        nav.push_str(&format!(" <a href=\"{careers}\">Trabaja con nosotros</a>"));
    }
    if site.links.iter().any(|l| l.page == LinkPage::Deep) {
        nav.push_str(&format!(" <a href=\"{}\">Vacantes</a>", site.deep_path));
    }
    if site.decoys.contains(&Decoy::BlogMention) {
        nav.push_str(&format!(" <a href=\"{BLOG_PATH}\">Blog</a>"));
    }
    format!(
        "<!doctype html>\n<html lang=\"es\"><head><meta charset=\"utf-8\"><title>{title} · {name}</title></head>\
<body><header><nav>{nav}</nav></header><main>{main}</main>\
<footer><a href=\"https://www.linkedin.com/company/{slug}\">LinkedIn</a> © {name}</footer></body></html>",
        name = escape(&company.name),
        slug = company.domain.trim_end_matches(".test"),
    )
}
