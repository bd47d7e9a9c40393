//! The tag sets of the tree builder's rules (html5ever's), and the block elements that make lines.

/// Block elements: their content starts on a new line.
#[rustfmt::skip]
pub(in crate::text) const BLOCKS: &[&str] = &[
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
    "article", "header", "footer", "blockquote", "pre", "dd", "dt",
];

/// Elements whose start tag closes an open `p`.
#[rustfmt::skip]
pub(super) const CLOSE_P: &[&str] = &[
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl",
    "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p",
    "search", "section", "summary", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form",
    "plaintext", "table", "hr", "xmp", "li",
];

/// The tree builder's "special" elements (an end tag does not close past them).
#[rustfmt::skip]
pub(super) const SPECIAL: &[&str] = &[
    "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote",
    "body", "br", "button", "caption", "center", "col", "colgroup", "dd", "details", "dir", "div", "dl",
    "dt", "embed", "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", "h1",
    "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "iframe", "img", "input",
    "keygen", "li", "link", "listing", "main", "marquee", "menu", "meta", "nav", "noembed", "noframes",
    "noscript", "object", "ol", "p", "param", "plaintext", "pre", "script", "isindex", "section",
    "select", "source", "style", "summary", "table", "tbody", "td", "template", "textarea", "tfoot",
    "th", "thead", "title", "tr", "track", "ul", "wbr", "xmp",
];

#[rustfmt::skip]
pub(super) const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr", "image",
];

/// End tags are implied for these when another element's end is generated.
#[rustfmt::skip]
pub(super) const IMPLIED: &[&str] = &[
    "dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc",
];

#[rustfmt::skip]
pub(super) const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Start tags in body that do not re-open the active formatting elements first.
#[rustfmt::skip]
pub(super) const NO_RECONSTRUCT: &[&str] = &[
    "base", "basefont", "bgsound", "link", "meta", "noframes", "script", "style", "template", "title",
    "textarea", "iframe", "noembed", "noscript", "param", "source", "track",
];

/// End tags that close their element when it is in scope, whatever is open above it.
#[rustfmt::skip]
pub(super) const END_IN_SCOPE: &[&str] = &[
    "address", "article", "aside", "blockquote", "button", "center", "details", "dialog", "dir", "div",
    "dl", "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "listing", "main", "menu",
    "nav", "ol", "pre", "search", "section", "select", "summary", "ul", "applet", "marquee", "object",
];

#[rustfmt::skip]
pub(super) const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

#[rustfmt::skip]
pub(super) const TABLE_PARTS: &[&str] = &[
    "caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr", "table",
];

/// Elements that start a new scope for the active formatting elements.
#[rustfmt::skip]
pub(super) const MARKERS: &[&str] = &["applet", "caption", "marquee", "object", "td", "th", "template"];
