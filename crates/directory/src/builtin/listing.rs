//! Company cards of a directory's listing page: the card element, its title and its detail link.

use std::collections::HashSet;

use scraper::{ElementRef, Html};
use url::Url;

use super::detail_url::canonical_detail_url;
use super::dom::{collapsed_text, descendants_named, is_tag_with_class};
use super::{BuiltinDirectory, Card};

/// Cards of a listing page in document order: name per the directory's title rule; detail URL = the first
/// `<a href>` of the card that resolves (against `listing_url`) to a valid, canonical detail URL of `dir`.
/// Cards without a name, without a detail URL, or whose detail URL an earlier card already had are skipped.
pub fn listing_cards(dir: BuiltinDirectory, listing_url: &Url, html: &str) -> Vec<Card> {
    let document = Html::parse_document(html);
    let mut seen = HashSet::new();
    let mut cards = Vec::new();
    for card in document
        .root_element()
        .descendent_elements()
        .filter(|element| is_card(dir, *element))
    {
        let Some(name) = card_name(dir, card) else {
            continue;
        };
        let Some(detail_url) = first_detail_url(dir, listing_url, card) else {
            continue;
        };
        if seen.insert(detail_url.clone()) {
            cards.push(Card { name, detail_url });
        }
    }
    cards
}

fn is_card(dir: BuiltinDirectory, element: ElementRef<'_>) -> bool {
    match dir {
        BuiltinDirectory::Catalonia => is_tag_with_class(element, "li", "item"),
        BuiltinDirectory::Madrimasd => is_tag_with_class(element, "li", "element-list"),
        BuiltinDirectory::Lanzadera => is_tag_with_class(element, "article", "startup-slide"),
    }
}

/// The card's title text; `None` when the title element is missing or has no text.
fn card_name(dir: BuiltinDirectory, card: ElementRef<'_>) -> Option<String> {
    let mut headings = descendants_named(card, "h3");
    let title = match dir {
        BuiltinDirectory::Catalonia => headings.find(|h3| is_tag_with_class(*h3, "h3", "small_title")),
        BuiltinDirectory::Madrimasd => headings.next(),
        BuiltinDirectory::Lanzadera => descendants_named(card, "h3")
            .find(|h3| is_tag_with_class(*h3, "h3", "startup-slide__title"))
            .or_else(|| headings.next()),
    }?;
    let name = collapsed_text(title);
    (!name.is_empty()).then_some(name)
}

fn first_detail_url(dir: BuiltinDirectory, listing_url: &Url, card: ElementRef<'_>) -> Option<Url> {
    descendants_named(card, "a")
        .filter_map(|anchor| anchor.value().attr("href"))
        .find_map(|href| canonical_detail_url(dir, listing_url, href))
}
