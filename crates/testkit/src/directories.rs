//! The three built-in startup directories (catalonia, madrimasd, lanzadera) with the real sites' paths and markup.

use crate::corpus::escape;
use crate::model::{Directory, DirectoryEntry, DirectoryKind, WebsiteLink};
use crate::reply::{Incoming, Reply};

/// Serves a directory's listing or detail page, or 404.
pub fn serve(directory: &Directory, request: &Incoming) -> Reply {
    let kind = directory.kind;
    let own = format!("http://{}", request.authority);
    let path = request.path.as_str();
    if path.trim_end_matches('/') == kind.listing_path().trim_end_matches('/') {
        return Reply::html(200, listing(directory, &own));
    }
    let segments = request.segments();
    let entry = match (kind, segments.as_slice()) {
        (DirectoryKind::Catalonia, [s, location, slug, id]) if s == "startup" => directory
            .entries
            .iter()
            .find(|e| &e.location == location && &e.slug == slug && e.id.to_string() == *id),
        (DirectoryKind::Madrimasd, [a, b, slug])
            if a == "emprendedores" && b == "emprendedores-casos-exito" =>
        {
            directory.entries.iter().find(|e| &e.slug == slug)
        }
        (DirectoryKind::Lanzadera, [p, slug]) if p == "proyecto" => {
            directory.entries.iter().find(|e| &e.slug == slug)
        }
        _ => None,
    };
    match entry {
        Some(entry) => Reply::html(200, detail(kind, entry, request)),
        None => Reply::not_found(),
    }
}

/// The detail page path of an entry (relative to the directory host).
pub fn detail_path(kind: DirectoryKind, entry: &DirectoryEntry) -> String {
    match kind {
        DirectoryKind::Catalonia => format!("/startup/{}/{}/{}", entry.location, entry.slug, entry.id),
        DirectoryKind::Madrimasd => format!("/emprendedores/emprendedores-casos-exito/{}", entry.slug),
        DirectoryKind::Lanzadera => format!("/proyecto/{}/", entry.slug),
    }
}

fn listing(directory: &Directory, own: &str) -> String {
    let kind = directory.kind;
    let mut cards = String::new();
    for (i, entry) in directory.entries.iter().enumerate() {
        let path = detail_path(kind, entry);
        // Every third card links its detail page absolutely, with a tracking query the reader drops.
        let href = if i % 3 == 2 {
            format!("{own}{path}?utm_source=listing#top")
        } else {
            path
        };
        let name = escape(&entry.name);
        let card = match kind {
            DirectoryKind::Catalonia => format!(
                "<li class=\"col-md-4 item startup\">\n  <a href=\"/sectors/tech\">Tech</a>\n  \
<a href=\"{href}\"><img src=\"/img/{slug}.png\" alt=\"\"></a>\n  \
<h3 class=\"item-title small_title\"><a href=\"{href}\">{name}</a></h3>\n  <p>Startup</p>\n</li>\n",
                slug = entry.slug
            ),
            DirectoryKind::Madrimasd => format!(
                "<li class=\"element-list col-sm-6\">\n  <h3>{name}</h3>\n  <p>Empresa de base tecnológica.</p>\n  \
<a href=\"{href}\" class=\"more\">Ver más</a>\n</li>\n"
            ),
            DirectoryKind::Lanzadera => format!(
                "<article class=\"startup-slide swiper-slide\">\n  <a href=\"{href}\">\n    <h3 class=\"startup-slide__title\">{name}</h3>\n  </a>\n  \
<p class=\"startup-slide__text\">Proyecto acelerado.</p>\n</article>\n"
            ),
        };
        cards.push_str(&card);
    }
    let (title, wrapper_open, wrapper_close) = match kind {
        DirectoryKind::Catalonia => ("List of startups", "<ul class=\"startups-list row\">", "</ul>"),
        DirectoryKind::Madrimasd => ("Nuevas empresas Madrid", "<ul class=\"list\">", "</ul>"),
        DirectoryKind::Lanzadera => ("Proyectos", "<div class=\"swiper-wrapper\">", "</div>"),
    };
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\
<header><a href=\"/\">Inicio</a> <a href=\"https://www.linkedin.com/company/{k}\">LinkedIn</a></header>\
<h1>{title}</h1>\n{wrapper_open}\n{cards}{wrapper_close}\n</body></html>",
        k = kind.key()
    )
}

fn detail(kind: DirectoryKind, entry: &DirectoryEntry, request: &Incoming) -> String {
    let slug = &entry.slug;
    let whatsapp = match kind {
        DirectoryKind::Catalonia => "https://api.whatsapp.com/send?phone=34600000000".to_owned(),
        _ => "https://wa.me/34600000000".to_owned(),
    };
    let mut links = format!(
        "<a href=\"https://www.linkedin.com/company/{slug}\">LinkedIn</a>\n\
<a href=\"https://twitter.com/{slug}\">Twitter</a>\n\
<a href=\"https://www.instagram.com/{slug}\"><img src=\"/i/ig.svg\" alt=\"\"></a>\n\
<a href=\"{whatsapp}\">WhatsApp</a>\n\
<a href=\"https://dealroom.co/companies/{slug}\">Dealroom</a>\n\
<a href=\"/img/{slug}-logo.png\">Logo</a>\n\
<a href=\"{listing}\">Volver</a>\n",
        listing = kind.listing_path(),
    );
    if kind == DirectoryKind::Catalonia {
        links.push_str(&format!(
            "<a href=\"https://startupshub.catalonia.com/startup/{slug}\">Startups Hub</a>\n"
        ));
    }
    match &entry.website {
        WebsiteLink::Company { domain, path } => {
            let port = request
                .authority
                .rsplit_once(':')
                .map(|(_, p)| format!(":{p}"))
                .unwrap_or_default();
            links.push_str(&format!("<a href=\"http://{domain}{port}{path}\">{domain}</a>\n"));
        }
        WebsiteLink::External(url) => links.push_str(&format!("<a href=\"{url}\">Web</a>\n")),
        WebsiteLink::None => {}
    }
    if entry.website != WebsiteLink::None {
        // An external link after the website: only the first acceptable one is the website.
        links.push_str("<a href=\"https://www.elperiodico.com/es/economia/startups\">Prensa</a>\n");
    }
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{name}</title></head><body>\
<div class=\"startup-detail\"><h1>{name}</h1><p>Startup fundada en España.</p>\n{links}</div></body></html>",
        name = escape(&entry.name)
    )
}
