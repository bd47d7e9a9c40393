//! Tests of the website pick on detail pages: the first acceptable external link, per directory.

#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use url::Url;

use super::BuiltinDirectory::{self, Catalonia, Lanzadera, Madrimasd};
use super::detail_website;

const CATALONIA_AQUALIA: &str = include_str!("../../tests/fixtures/catalonia/detail_aqualia.html");
const CATALONIA_BITBLOOM: &str = include_str!("../../tests/fixtures/catalonia/detail_bitbloom.html");
const CATALONIA_NO_WEBSITE: &str = include_str!("../../tests/fixtures/catalonia/detail_no_website.html");
const MADRIMASD_BIOMEDAL: &str = include_str!("../../tests/fixtures/madrimasd/detail_biomedal.html");
const MADRIMASD_CIERZO: &str = include_str!("../../tests/fixtures/madrimasd/detail_cierzo.html");
const LANZADERA_NUBENTOS: &str = include_str!("../../tests/fixtures/lanzadera/detail_nubentos.html");
const LANZADERA_FLYEAT: &str = include_str!("../../tests/fixtures/lanzadera/detail_flyeat.html");

/// The link every "skip X, then take this" test expects.
const GOOD: &str = "https://acme-robotics.com/";

fn detail_page(dir: BuiltinDirectory) -> Url {
    let raw = match dir {
        Catalonia => "https://startupshub.catalonia.com/startup/barcelona/acme/10234",
        Madrimasd => "https://startups.madrimasd.org/emprendedores/emprendedores-casos-exito/acme",
        Lanzadera => "https://lanzadera.es/proyecto/acme",
    };
    Url::parse(raw).unwrap()
}

fn pick_taken(dir: BuiltinDirectory, html: &str, taken: &[&str]) -> Option<String> {
    let taken: HashSet<String> = taken.iter().map(|domain| domain.to_string()).collect();
    detail_website(dir, &detail_page(dir), html, &taken).map(|url| url.to_string())
}

fn pick(dir: BuiltinDirectory, html: &str) -> Option<String> {
    pick_taken(dir, html, &[])
}

fn page(anchors: &str) -> String {
    format!("<!DOCTYPE html><html><body><main>{anchors}</main></body></html>")
}

fn a(href: &str, text: &str) -> String {
    format!(r#"<a href="{href}">{text}</a>"#)
}

/// A page with a link to `href` followed by a link to [`GOOD`].
fn before_good(href: &str) -> String {
    page(&format!("{}{}", a(href, "Link"), a(GOOD, "Acme Robotics")))
}

/// Asserts `dir` skips every href in `hrefs` (and then takes the good link after it).
fn assert_skipped(dir: BuiltinDirectory, hrefs: &[&str]) {
    for href in hrefs {
        assert_eq!(
            pick(dir, &before_good(href)).as_deref(),
            Some(GOOD),
            "{dir:?} took {href}"
        );
    }
}

/// Asserts `dir` takes `href` when it comes first.
fn assert_taken(dir: BuiltinDirectory, href: &str) {
    let expected = Url::parse(href).unwrap().to_string();
    assert_eq!(
        pick(dir, &before_good(href)),
        Some(expected),
        "{dir:?} skipped {href}"
    );
}

#[test]
fn catalonia_fixture_takes_the_website_after_socials_files_and_aggregators() {
    assert_eq!(
        pick(Catalonia, CATALONIA_AQUALIA).as_deref(),
        Some("https://www.aqualia-robotics.com/en/solutions?ref=startupshub")
    );
}

#[test]
fn catalonia_fixture_with_the_domain_taken_falls_through_to_the_next_link() {
    assert_eq!(
        pick_taken(Catalonia, CATALONIA_AQUALIA, &["aqualia-robotics.com"]).as_deref(),
        Some("https://accio.gencat.cat/ca/inici")
    );
}

#[test]
fn catalonia_fixture_skips_logo_links_scripts_whatsapp_and_images() {
    assert_eq!(
        pick(Catalonia, CATALONIA_BITBLOOM).as_deref(),
        Some("http://bitbloom.io/")
    );
}

#[test]
fn catalonia_fixture_without_a_website_gives_none() {
    assert_eq!(pick(Catalonia, CATALONIA_NO_WEBSITE), None);
}

#[test]
fn madrimasd_fixtures_skip_the_foundation_and_share_buttons() {
    assert_eq!(
        pick(Madrimasd, MADRIMASD_BIOMEDAL).as_deref(),
        Some("https://biomedal.es/es/diagnostico-veterinario#inicio")
    );
    assert_eq!(
        pick(Madrimasd, MADRIMASD_CIERZO).as_deref(),
        Some("https://www.cierzo-energia.com/")
    );
}

#[test]
fn lanzadera_fixtures_skip_share_buttons_blog_and_files() {
    assert_eq!(
        pick(Lanzadera, LANZADERA_NUBENTOS).as_deref(),
        Some("https://www.nubentos.com/es/inicio")
    );
    assert_eq!(
        pick_taken(Lanzadera, LANZADERA_NUBENTOS, &["nubentos.com"]).as_deref(),
        Some("https://marinadeempresas.es/")
    );
    assert_eq!(
        pick(Lanzadera, LANZADERA_FLYEAT).as_deref(),
        Some("https://flyeat.app/?utm_source=lanzadera")
    );
}

#[test]
fn social_networks_and_their_subdomains_are_skipped_everywhere() {
    let social = [
        "https://linkedin.com/company/acme",
        "https://www.linkedin.com/company/acme",
        "https://es.linkedin.com/company/acme",
        "https://twitter.com/acme",
        "https://mobile.twitter.com/acme",
        "https://www.facebook.com/acme",
        "https://m.facebook.com/acme",
        "https://instagram.com/acme",
        "https://www.youtube.com/@acme",
        "https://github.com/acme",
        "https://gist.github.com/acme/1",
        "https://startupshub.catalonia.com/startup/barcelona/acme/1",
    ];
    for dir in BuiltinDirectory::ALL {
        assert_skipped(dir, &social);
    }
    // Only whole labels count: these merely look alike.
    for dir in BuiltinDirectory::ALL {
        assert_taken(dir, "https://notlinkedin.com/");
        assert_taken(dir, "https://github.community.example.org/");
    }
}

#[test]
fn whatsapp_dealroom_and_crunchbase_are_rejected_by_every_directory() {
    let aggregators = [
        "https://api.whatsapp.com/send?phone=34600000000",
        "https://whatsapp.com/channel/acme",
        "https://web.whatsapp.com/",
        "https://dealroom.co/companies/acme",
        "https://app.dealroom.co/companies/acme",
        "https://www.crunchbase.com/organization/acme",
    ];
    for dir in BuiltinDirectory::ALL {
        assert_skipped(dir, &aggregators);
    }
}

#[test]
fn wa_me_is_rejected_by_madrimasd_and_lanzadera_but_not_catalonia() {
    let wa_me = "https://wa.me/34600000000";
    assert_skipped(Madrimasd, &[wa_me]);
    assert_skipped(Lanzadera, &[wa_me]);
    assert_taken(Catalonia, wa_me);
}

#[test]
fn links_to_the_directory_itself_are_skipped() {
    let own = [
        "/",
        "/list-of-startups",
        "#contact",
        "?page=2",
        "https://startupshub.catalonia.com/hubs",
        "http://www.startupshub.catalonia.com/news",
        "https://STARTUPSHUB.catalonia.com/about",
    ];
    assert_skipped(Catalonia, &own);
    let madrimasd_family = [
        "https://www.madrimasd.org/",
        "https://madrimasd.org/blogs",
        "/emprendedores",
    ];
    assert_skipped(Madrimasd, &madrimasd_family);
    let lanzadera_family = [
        "https://www.lanzadera.es/",
        "https://blog.lanzadera.es/noticias/",
        "/proyectos/",
    ];
    assert_skipped(Lanzadera, &lanzadera_family);
}

#[test]
fn links_to_files_are_skipped() {
    let files = [
        "https://acme-files.com/dossier.pdf",
        "https://acme-files.com/Dossier.PDF",
        "https://acme-files.com/team.jpg",
        "https://acme-files.com/team.jpeg",
        "https://acme-files.com/logo.png",
        "https://acme-files.com/logo.png?v=3",
        "https://acme-files.com/press-kit.zip",
        "https://acme-files.com/anim.GIF",
        "https://acme-files.com/download?file=deck.pdf",
    ];
    assert_skipped(Lanzadera, &files);
    assert_taken(Lanzadera, "https://pdf-tools.com/gif-maker");
}

#[test]
fn only_http_links_count() {
    let schemes = [
        "mailto:hello@acme-robotics.com",
        "tel:+34600000000",
        "javascript:void(0)",
        "ftp://files.acme-robotics.net/",
        "data:text/html,hello",
        "skype:acme?call",
    ];
    for dir in BuiltinDirectory::ALL {
        assert_skipped(dir, &schemes);
    }
    assert_taken(Madrimasd, "http://acme-plain-http.com/");
}

#[test]
fn anchors_need_an_href_and_visible_text() {
    let skipped = [
        r#"<a href="">Empty href</a>"#,
        r#"<a href="   ">Blank href</a>"#,
        r#"<a name="https://no-href.com">No href</a>"#,
        r#"<a href="https://logo-only.com"><img src="logo.png" alt="Logo"></a>"#,
        r#"<a href="https://blank-text.com">   </a>"#,
        r#"<a href="https://nbsp-text.com">&nbsp;</a>"#,
    ];
    for anchor in skipped {
        let html = page(&format!("{anchor}{}", a(GOOD, "Acme Robotics")));
        assert_eq!(pick(Lanzadera, &html).as_deref(), Some(GOOD), "took {anchor}");
    }
    let nested_text = page(r#"<a href="https://nested-text.com/"><img src="l.png"><span>Nested</span></a>"#);
    assert_eq!(
        pick(Lanzadera, &nested_text).as_deref(),
        Some("https://nested-text.com/")
    );
}

#[test]
fn taken_domains_are_skipped() {
    let html = page(
        &[
            a("https://www.acme-taken.com/", "Acme"),
            a("https://acme-taken.com/about", "About"),
            a("https://shop.acme-taken.com/", "Shop"),
        ]
        .concat(),
    );
    assert_eq!(
        pick_taken(Madrimasd, &html, &["acme-taken.com"]).as_deref(),
        Some("https://shop.acme-taken.com/")
    );
    assert_eq!(
        pick_taken(Madrimasd, &html, &["other.com"]).as_deref(),
        Some("https://www.acme-taken.com/")
    );
}

#[test]
fn the_first_acceptable_link_in_document_order_wins() {
    let html = r#"<html><body>
        <header><a href="/">Home</a><a href="https://first-external.com/">Partner</a></header>
        <main><a href="https://acme-robotics.com/">Website</a></main>
        <footer><a href="https://footer-sponsor.com/">Sponsor</a></footer>
    </body></html>"#;
    assert_eq!(
        pick(Catalonia, html).as_deref(),
        Some("https://first-external.com/")
    );
}

#[test]
fn deep_links_are_returned_as_found() {
    for (href, expected) in [
        (
            "https://www.acme-robotics.com/es/inicio?ref=hub#top",
            "https://www.acme-robotics.com/es/inicio?ref=hub#top",
        ),
        ("//acme-robotics.com/en", "https://acme-robotics.com/en"),
        ("HTTPS://Acme-Robotics.com/Team", "https://acme-robotics.com/Team"),
    ] {
        assert_eq!(
            pick(Lanzadera, &page(&a(href, "Web"))).as_deref(),
            Some(expected),
            "{href}"
        );
    }
}

#[test]
fn overlong_urls_are_skipped() {
    let prefix = "https://long-link.com/";
    let at_limit = format!("{prefix}{}", "a".repeat(2048 - prefix.len()));
    let over_limit = format!("{at_limit}a");
    assert_skipped(Catalonia, &[&over_limit]);
    assert_taken(Catalonia, &at_limit);
}

#[test]
fn hosts_without_a_dot_are_skipped() {
    assert_skipped(Catalonia, &["http://intranet/", "http://localhost:3000/acme"]);
}

#[test]
fn pages_without_an_acceptable_link_give_none() {
    assert_eq!(pick(Madrimasd, ""), None);
    assert_eq!(pick(Madrimasd, &page("<p>No links at all.</p>")), None);
    assert_eq!(
        pick_taken(Madrimasd, &page(&a(GOOD, "Acme")), &["acme-robotics.com"]),
        None
    );
}
