//! Tests of the detail URLs listing cards yield: same host and port as the listing, each directory's path
//! shape, canonical form, relative hrefs, and the listing page itself refused.

#![allow(clippy::unwrap_used)]

use super::BuiltinDirectory::{self, Catalonia, Lanzadera, Madrimasd};
use super::listing_tests::{cards_at, one_card};

/// The detail URL a one-link card yields against `listing`, if any.
fn detail_at(dir: BuiltinDirectory, listing: &str, href: &str) -> Option<String> {
    let found = cards_at(
        dir,
        listing,
        &one_card(dir, &format!(r#"<a href="{href}">Ver</a>"#)),
    );
    assert!(found.len() <= 1, "{found:?}");
    found.into_iter().next().map(|(_, detail)| detail)
}

fn detail(dir: BuiltinDirectory, href: &str) -> Option<String> {
    detail_at(dir, dir.default_listing_url(), href)
}

#[test]
fn detail_urls_need_the_listing_host_and_port() {
    let foreign = [
        "https://www.lanzadera.es/proyecto/acme",
        "https://blog.lanzadera.es/proyecto/acme",
        "https://lanzadera.es.example.com/proyecto/acme",
        "https://example.com/proyecto/acme",
        "https://lanzadera.es:8443/proyecto/acme",
        "ftp://lanzadera.es/proyecto/acme",
    ];
    for href in foreign {
        assert_eq!(detail(Lanzadera, href), None, "{href}");
    }
    let same = [
        "https://LANZADERA.es/proyecto/acme",
        "https://lanzadera.es:443/proyecto/acme",
    ];
    for href in same {
        assert_eq!(
            detail(Lanzadera, href).as_deref(),
            Some("https://lanzadera.es/proyecto/acme"),
            "{href}"
        );
    }
    // Ports count even on a local test server.
    let local = "http://127.0.0.1:8080/list-of-startups";
    assert_eq!(
        detail_at(Catalonia, local, "/startup/bcn/acme/7").as_deref(),
        Some("http://127.0.0.1:8080/startup/bcn/acme/7")
    );
    assert_eq!(
        detail_at(Catalonia, local, "http://127.0.0.1/startup/bcn/acme/7"),
        None
    );
    assert_eq!(
        detail_at(Catalonia, local, "http://127.0.0.1:9090/startup/bcn/acme/7"),
        None
    );
}

#[test]
fn catalonia_detail_path_is_startup_location_slug_numeric_id() {
    let accepted = "https://startupshub.catalonia.com/startup/barcelona/acme-robotics/10234";
    assert_eq!(
        detail(Catalonia, "/startup/barcelona/acme-robotics/10234").as_deref(),
        Some(accepted)
    );
    let rejected = [
        "/startup/barcelona/acme-robotics/10234a",
        "/startup/barcelona/acme-robotics/1e3",
        "/startup/barcelona/acme-robotics/-5",
        "/startup/barcelona/acme-robotics",
        "/startup/acme-robotics/10234",
        "/startup/barcelona/acme-robotics/10234/team",
        "/startup//acme-robotics/10234",
        "/startups/barcelona/acme-robotics/10234",
        "/ca/startup/barcelona/acme-robotics/10234",
        "/Startup/barcelona/acme-robotics/10234",
    ];
    for href in rejected {
        assert_eq!(detail(Catalonia, href), None, "{href}");
    }
}

#[test]
fn madrimasd_detail_path_is_one_slug_under_casos_exito() {
    let accepted = "https://startups.madrimasd.org/emprendedores/emprendedores-casos-exito/acme-bio";
    assert_eq!(
        detail(Madrimasd, "/emprendedores/emprendedores-casos-exito/acme-bio").as_deref(),
        Some(accepted)
    );
    let rejected = [
        "/emprendedores/emprendedores-casos-exito/",
        "/emprendedores/emprendedores-casos-exito/acme-bio/equipo",
        "/emprendedores/otros-casos/acme-bio",
        "/emprendedores/acme-bio",
        "/es/emprendedores/emprendedores-casos-exito/acme-bio",
    ];
    for href in rejected {
        assert_eq!(detail(Madrimasd, href), None, "{href}");
    }
}

#[test]
fn lanzadera_detail_path_is_one_slug_under_proyecto() {
    assert_eq!(
        detail(Lanzadera, "/proyecto/acme-games").as_deref(),
        Some("https://lanzadera.es/proyecto/acme-games")
    );
    let rejected = [
        "/proyecto/",
        "/proyecto",
        "/proyecto/acme/equipo",
        "/proyectos/acme",
        "/es/proyecto/acme",
        "/",
    ];
    for href in rejected {
        assert_eq!(detail(Lanzadera, href), None, "{href}");
    }
}

#[test]
fn detail_urls_are_canonicalized() {
    let canonical = "https://lanzadera.es/proyecto/acme";
    for href in [
        "/proyecto/acme/",
        "/proyecto/acme//",
        "/proyecto/acme?utm_source=home",
        "/proyecto/acme/?lang=es#equipo",
        "/proyecto/acme#equipo",
        "https://lanzadera.es/proyecto/acme/?",
    ] {
        assert_eq!(detail(Lanzadera, href).as_deref(), Some(canonical), "{href}");
    }
}

#[test]
fn relative_hrefs_resolve_against_the_listing_url() {
    assert_eq!(
        detail(Catalonia, "startup/girona/acme/42").as_deref(),
        Some("https://startupshub.catalonia.com/startup/girona/acme/42")
    );
    assert_eq!(
        detail(Lanzadera, "../proyecto/acme").as_deref(),
        Some("https://lanzadera.es/proyecto/acme")
    );
    assert_eq!(
        detail(Lanzadera, "//lanzadera.es/proyecto/acme").as_deref(),
        Some("https://lanzadera.es/proyecto/acme")
    );
    // Relative to /proyectos/ this is /proyectos/proyecto/acme: not a detail page.
    assert_eq!(detail(Lanzadera, "proyecto/acme"), None);
    assert_eq!(
        detail(Madrimasd, "acme-bio").as_deref(),
        Some("https://startups.madrimasd.org/emprendedores/emprendedores-casos-exito/acme-bio")
    );
}

#[test]
fn the_listing_page_itself_is_not_a_detail_page() {
    // Madri+d's listing path has the detail shape; a pagination link must not become a company.
    for href in [
        "?page=2",
        "nuevas-empresas-madrid",
        "/emprendedores/emprendedores-casos-exito/nuevas-empresas-madrid/",
    ] {
        assert_eq!(detail(Madrimasd, href), None, "{href}");
    }
}
