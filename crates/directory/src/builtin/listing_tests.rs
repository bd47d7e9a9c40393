//! Tests of listing-page parsing: card elements, names, and which card link is taken, in the three
//! directories (the detail URLs themselves: `detail_url_tests.rs`).

#![allow(clippy::unwrap_used)]

use url::Url;

use super::BuiltinDirectory::{self, Catalonia, Lanzadera, Madrimasd};
use super::listing_cards;

const CATALONIA_LISTING: &str = include_str!("../../tests/fixtures/catalonia/listing.html");
const MADRIMASD_LISTING: &str = include_str!("../../tests/fixtures/madrimasd/listing.html");
const LANZADERA_LISTING: &str = include_str!("../../tests/fixtures/lanzadera/listing.html");

fn url(raw: &str) -> Url {
    Url::parse(raw).unwrap()
}

/// (name, detail URL) of every card, parsed against `listing`.
pub(super) fn cards_at(dir: BuiltinDirectory, listing: &str, html: &str) -> Vec<(String, String)> {
    listing_cards(dir, &url(listing), html)
        .into_iter()
        .map(|card| (card.name, card.detail_url.to_string()))
        .collect()
}

fn cards(dir: BuiltinDirectory, html: &str) -> Vec<(String, String)> {
    cards_at(dir, dir.default_listing_url(), html)
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(name, detail)| (name.to_string(), detail.to_string()))
        .collect()
}

/// A listing with one well-formed card of `dir` (title "Acme") around `inner`.
pub(super) fn one_card(dir: BuiltinDirectory, inner: &str) -> String {
    let card = match dir {
        Catalonia => {
            format!(r#"<ul><li class="col-md-4 item"><h3 class="small_title">Acme</h3>{inner}</li></ul>"#)
        }
        Madrimasd => format!(r#"<ul><li class="element-list"><h3>Acme</h3>{inner}</li></ul>"#),
        Lanzadera => format!(
            r#"<div><article class="startup-slide"><h3 class="startup-slide__title">Acme</h3>{inner}</article></div>"#
        ),
    };
    format!("<!DOCTYPE html><html><body>{card}</body></html>")
}

#[test]
fn catalonia_fixture_yields_cards_in_document_order() {
    let expected = pairs(&[
        (
            "Aqualia Robotics",
            "https://startupshub.catalonia.com/startup/barcelona/aqualia-robotics/10234",
        ),
        (
            "Bitbloom Labs",
            "https://startupshub.catalonia.com/startup/girona/bitbloom-labs/10877",
        ),
        (
            "Gaudí Quantum & Co",
            "https://startupshub.catalonia.com/startup/lleida/gaudi-quantum/11003",
        ),
    ]);
    assert_eq!(cards(Catalonia, CATALONIA_LISTING), expected);
}

#[test]
fn madrimasd_fixture_yields_cards_in_document_order() {
    let base = "https://startups.madrimasd.org/emprendedores/emprendedores-casos-exito";
    let expected = vec![
        (
            "Biomedal Diagnostics, S.L.".to_owned(),
            format!("{base}/biomedal-diagnostics"),
        ),
        ("Cierzo Energía".to_owned(), format!("{base}/cierzo-energia")),
        ("FarmaLab Madrid".to_owned(), format!("{base}/farmalab")),
    ];
    assert_eq!(cards(Madrimasd, MADRIMASD_LISTING), expected);
}

#[test]
fn lanzadera_fixture_yields_cards_in_document_order() {
    let expected = pairs(&[
        ("Hortiq", "https://lanzadera.es/proyecto/hortiq"),
        ("Nubentos", "https://lanzadera.es/proyecto/nubentos"),
        ("Flyeat", "https://lanzadera.es/proyecto/flyeat"),
        ("Jolt Energy", "https://lanzadera.es/proyecto/jolt-energy"),
    ]);
    assert_eq!(cards(Lanzadera, LANZADERA_LISTING), expected);
}

#[test]
fn card_classes_match_whole_tokens_on_the_right_tag() {
    let link = |dir: BuiltinDirectory| match dir {
        Catalonia => r#"<a href="/startup/barcelona/acme/1">Ver</a>"#,
        Madrimasd => r#"<a href="/emprendedores/emprendedores-casos-exito/acme">Ver</a>"#,
        Lanzadera => r#"<a href="/proyecto/acme">Ver</a>"#,
    };
    let wrap = |tag: &str, class: &str, dir: BuiltinDirectory| {
        let title = match dir {
            Catalonia => r#"<h3 class="small_title">Acme</h3>"#,
            Madrimasd => "<h3>Acme</h3>",
            Lanzadera => r#"<h3 class="startup-slide__title">Acme</h3>"#,
        };
        format!(
            r#"<html><body><ul><{tag} class="{class}">{title}{}</{tag}></ul></body></html>"#,
            link(dir)
        )
    };
    let matching = [
        (Catalonia, "li", "foo item bar"),
        (Catalonia, "li", "item"),
        (Madrimasd, "li", "clearfix element-list"),
        (Lanzadera, "article", "swiper-slide startup-slide"),
    ];
    for (dir, tag, class) in matching {
        assert_eq!(
            cards(dir, &wrap(tag, class, dir)).len(),
            1,
            "{dir:?} <{tag} class={class:?}>"
        );
    }
    let not_matching = [
        (Catalonia, "li", "items"),
        (Catalonia, "li", "item-card"),
        (Catalonia, "li", "Item"),
        (Catalonia, "div", "item"),
        (Madrimasd, "li", "element-list-header"),
        (Madrimasd, "div", "element-list"),
        (Lanzadera, "article", "startup-slide-wrapper"),
        (Lanzadera, "div", "startup-slide"),
    ];
    for (dir, tag, class) in not_matching {
        assert_eq!(
            cards(dir, &wrap(tag, class, dir)),
            vec![],
            "{dir:?} <{tag} class={class:?}>"
        );
    }
}

#[test]
fn catalonia_name_comes_from_the_small_title_h3() {
    let href = r#"<a href="/startup/barcelona/acme/1">Ver</a>"#;
    let html = |title: &str| format!(r#"<ul><li class="item">{title}{href}</li></ul>"#);
    let picked = html(r#"<h3>Sector</h3><h3 class="big small_title">Acme Robotics</h3>"#);
    assert_eq!(cards(Catalonia, &picked)[0].0, "Acme Robotics");
    for no_title in [
        r#"<h3 class="title">Acme</h3>"#,
        r#"<h4 class="small_title">Acme</h4>"#,
        "<h3>Acme</h3>",
    ] {
        assert_eq!(cards(Catalonia, &html(no_title)), vec![], "{no_title}");
    }
}

#[test]
fn madrimasd_name_is_the_first_h3() {
    let html = r#"<ul><li class="element-list"><h4>Nueva</h4><h3><a href="/emprendedores/emprendedores-casos-exito/acme">Acme Bio</a></h3><h3>Sector: Salud</h3></li></ul>"#;
    assert_eq!(cards(Madrimasd, html)[0].0, "Acme Bio");
    let without_h3 = r#"<ul><li class="element-list"><h2>Acme</h2><a href="/emprendedores/emprendedores-casos-exito/acme">Ver</a></li></ul>"#;
    assert_eq!(cards(Madrimasd, without_h3), vec![]);
}

#[test]
fn lanzadera_name_prefers_the_title_class_then_the_first_h3() {
    let html = |titles: &str| {
        format!(r#"<article class="startup-slide">{titles}<a href="/proyecto/acme/">Ver</a></article>"#)
    };
    let with_class = html(r#"<h3>Fase Lanzadera</h3><h3 class="x startup-slide__title">Acme Games</h3>"#);
    assert_eq!(cards(Lanzadera, &with_class)[0].0, "Acme Games");
    let fallback = html(r#"<h2>Destacado</h2><h3 class="startup-slide__name">Acme Games</h3><h3>Ocio</h3>"#);
    assert_eq!(cards(Lanzadera, &fallback)[0].0, "Acme Games");
    assert_eq!(cards(Lanzadera, &html("<h2>Acme Games</h2>")), vec![]);
}

#[test]
fn names_collapse_whitespace_and_keep_inline_markup_inside_words() {
    let title = "\n   Farma<strong>Lab</strong>\t Madrid<br>Norte &nbsp; <span> S.L. </span>\n";
    let html = format!(
        r#"<ul><li class="element-list"><h3>{title}</h3><a href="/emprendedores/emprendedores-casos-exito/farmalab">Ver</a></li></ul>"#
    );
    assert_eq!(cards(Madrimasd, &html)[0].0, "FarmaLab Madrid Norte S.L.");
}

#[test]
fn cards_with_empty_names_are_skipped() {
    for title in [
        "",
        "   ",
        "<span> </span>&nbsp;",
        "<img src=\"logo.png\" alt=\"Acme\">",
    ] {
        let html = format!(
            r#"<ul><li class="item"><h3 class="small_title">{title}</h3><a href="/startup/bcn/acme/1">Ver</a></li></ul>"#
        );
        assert_eq!(cards(Catalonia, &html), vec![], "{title:?}");
    }
}

#[test]
fn the_first_valid_link_of_a_card_wins() {
    let links = r#"
        <a href="https://www.linkedin.com/company/acme">in</a>
        <a name="top">anchor without href</a>
        <a href="/proyecto/">Proyectos</a>
        <a href="/proyecto/acme-first/">Ver</a>
        <a href="/proyecto/acme-second/">Ver</a>"#;
    let found = cards(Lanzadera, &one_card(Lanzadera, links));
    assert_eq!(
        found,
        pairs(&[("Acme", "https://lanzadera.es/proyecto/acme-first")])
    );
}

#[test]
fn cards_without_a_valid_detail_link_are_skipped() {
    for inner in [
        "",
        "<a>Ver</a>",
        r#"<a href="">Ver</a>"#,
        r#"<a href="/proyectos/">Ver</a>"#,
    ] {
        assert_eq!(cards(Lanzadera, &one_card(Lanzadera, inner)), vec![], "{inner}");
    }
}

#[test]
fn duplicate_detail_urls_are_skipped() {
    let html = r#"<ul>
        <li class="item"><h3 class="small_title">Acme</h3><a href="/startup/bcn/acme/1">Ver</a></li>
        <li class="item"><h3 class="small_title">Acme again</h3><a href="/startup/bcn/acme/1/?ref=2#x">Ver</a></li>
        <li class="item"><h3 class="small_title">Beta</h3><a href="/startup/bcn/beta/2">Ver</a></li>
        <li class="item"><h3 class="small_title">Acme thrice</h3><a href="https://startupshub.catalonia.com/startup/bcn/acme/1">Ver</a></li>
    </ul>"#;
    let expected = pairs(&[
        ("Acme", "https://startupshub.catalonia.com/startup/bcn/acme/1"),
        ("Beta", "https://startupshub.catalonia.com/startup/bcn/beta/2"),
    ]);
    assert_eq!(cards(Catalonia, html), expected);
}
