//! The company website on a directory's detail page: the first link that leaves the directory for a site
//! that is not a social network, an aggregator, a file, or a domain already taken
//! (docs/original-system.md#ref-3-step-5).

use std::collections::HashSet;

use pipeline_domain::company::website_domain;
use scraper::{ElementRef, Html};
use url::Url;

use super::BuiltinDirectory;
use super::dom::{collapsed_text, descendants_named};

/// Longer links are tracking junk rather than a home page.
const MAX_URL_LENGTH: usize = 2048;

/// Links to documents and images, not to a site.
const IGNORED_EXTENSIONS: [&str; 6] = [".pdf", ".jpg", ".jpeg", ".png", ".zip", ".gif"];

/// Social networks and the Catalonia hub itself: never a company's own site, whatever the directory.
const EXCLUDED_DOMAINS: [&str; 7] = [
    "linkedin.com",
    "twitter.com",
    "facebook.com",
    "instagram.com",
    "youtube.com",
    "github.com",
    "startupshub.catalonia.com",
];

/// Messaging and company-database links every directory rejects.
const REJECTED_EVERYWHERE: [&str; 4] = [
    "api.whatsapp.com",
    "whatsapp.com",
    "dealroom.co",
    "crunchbase.com",
];

/// Madri+d and Lanzadera also reject `wa.me`; the original's Catalonia source did not (kept as is).
const REJECTED_EXCEPT_CATALONIA: [&str; 1] = ["wa.me"];

/// The company website on a detail page: the FIRST anchor with a non-empty href and non-empty text whose URL
/// (resolved against `detail_url`) is an acceptable company site for `dir` and whose domain is not in
/// `taken_domains`. Returns the absolute URL as found, which may be a deep link.
pub fn detail_website(
    dir: BuiltinDirectory,
    detail_url: &Url,
    html: &str,
    taken_domains: &HashSet<String>,
) -> Option<Url> {
    let document = Html::parse_document(html);
    let directory_domain = domain_of(detail_url);
    descendants_named(document.root_element(), "a")
        .filter_map(|anchor| anchor_url(anchor, detail_url))
        .find(|url| match website_domain(url) {
            Some(domain) => {
                is_acceptable_link(url)
                    && !is_directory_domain(&domain, directory_domain.as_deref())
                    && !is_rejected_domain(dir, &domain)
                    && !taken_domains.contains(&domain)
            }
            None => false,
        })
}

/// The absolute target of an anchor that has both an href and visible text (logo-only links are skipped).
fn anchor_url(anchor: ElementRef<'_>, base: &Url) -> Option<Url> {
    let href = anchor.value().attr("href")?.trim();
    if href.is_empty() || collapsed_text(anchor).is_empty() {
        return None;
    }
    base.join(href).ok()
}

/// Length, file-extension and scheme rules.
fn is_acceptable_link(url: &Url) -> bool {
    let whole = url.as_str().to_ascii_lowercase();
    let path = url.path().to_ascii_lowercase();
    // The original tested the end of the whole URL; the path is tested too so `/deck.pdf?dl=1` is a file.
    let is_file = IGNORED_EXTENSIONS
        .iter()
        .any(|ext| whole.ends_with(ext) || path.ends_with(ext));
    whole.len() <= MAX_URL_LENGTH && !is_file && matches!(url.scheme(), "http" | "https")
}

/// The directory's own domain, compared like a website domain (so `www.` does not matter).
fn domain_of(url: &Url) -> Option<String> {
    website_domain(url).or_else(|| url.host_str().map(str::to_ascii_lowercase))
}

/// Whether `domain` is the directory's own site. Deliberate improvement over the original's exact
/// comparison: a parent or a subdomain of the directory's host (`www.madrimasd.org` seen from
/// `startups.madrimasd.org`, `blog.lanzadera.es` seen from `lanzadera.es`) is the directory too.
fn is_directory_domain(domain: &str, directory_domain: Option<&str>) -> bool {
    directory_domain.is_some_and(|own| is_same_or_subdomain(domain, own) || is_same_or_subdomain(own, domain))
}

/// Whether `domain` is excluded or rejected for `dir`. Deliberate improvement over the original's exact
/// comparison: subdomains are rejected too (`es.linkedin.com`, `app.dealroom.co`).
fn is_rejected_domain(dir: BuiltinDirectory, domain: &str) -> bool {
    let source_specific: &[&str] = match dir {
        BuiltinDirectory::Catalonia => &[],
        BuiltinDirectory::Madrimasd | BuiltinDirectory::Lanzadera => &REJECTED_EXCEPT_CATALONIA,
    };
    EXCLUDED_DOMAINS
        .iter()
        .chain(&REJECTED_EVERYWHERE)
        .chain(source_specific)
        .any(|rejected| is_same_or_subdomain(domain, rejected))
}

/// `domain == parent` or `domain` ends with `.parent`.
fn is_same_or_subdomain(domain: &str, parent: &str) -> bool {
    domain
        .strip_suffix(parent)
        .is_some_and(|prefix| prefix.is_empty() || prefix.ends_with('.'))
}
