//! The few DOM queries the directory parsers need: elements by tag and class token, and readable text.

use scraper::{ElementRef, Node};

/// Whether `element` is a `tag` element whose class list holds the token `class` (`"a item b"` has `item`;
/// `"items"` does not).
pub(super) fn is_tag_with_class(element: ElementRef<'_>, tag: &str, class: &str) -> bool {
    element.value().name() == tag && element.value().classes().any(|token| token == class)
}

/// `root`'s descendant elements named `tag`, in document order.
pub(super) fn descendants_named<'a>(
    root: ElementRef<'a>,
    tag: &'static str,
) -> impl Iterator<Item = ElementRef<'a>> + use<'a> {
    root.descendent_elements()
        .filter(move |element| element.value().name() == tag)
}

/// The visible text of `element`, like the DOM's `textContent`, whitespace runs collapsed to one space and
/// ends trimmed. A `<br>` separates words. Unlike the original, which replaced every tag by a space, inline
/// markup inside a word does not split it (`Farma<strong>Lab</strong>` reads `FarmaLab`).
pub(super) fn collapsed_text(element: ElementRef<'_>) -> String {
    let mut raw = String::new();
    for node in element.descendants() {
        match node.value() {
            Node::Text(text) => raw.push_str(text),
            Node::Element(inner) if inner.name() == "br" => raw.push(' '),
            _ => {}
        }
    }
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}
