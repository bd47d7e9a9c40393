//! Career-looking links on a page, to follow one hop (docs/original-system.md#ref-4-phase-2; ours:
//! docs/stages.md#discovery-links): same site, careers keywords, no
//! files, no ATS hosts (those are evidence for `scan_page`, not pages to crawl).

use std::collections::HashSet;

use scraper::{Html, Node};
use url::Url;

use super::patterns::{board_from_url, is_ats_host};
use super::scan::scanned_part;

/// Words that make a link look like a careers page (docs/original-system.md#ref-4-phase-2), matched in the
/// lower-cased path and query.
pub const LINK_KEYWORDS: [&str; 13] = [
    "careers",
    "career",
    "jobs",
    "join",
    "join-us",
    "work-with-us",
    "empleo",
    "trabaja",
    "trabaja-con",
    "vacantes",
    "oportunidades",
    "job-openings",
    "opportunities",
];

/// Longest absolute link followed.
pub const MAX_LINK_LEN: usize = 300;

const FILE_EXTENSIONS: [&str; 15] = [
    ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".svg", ".zip", ".tar", ".gz", ".doc", ".docx", ".xls", ".xlsx",
    ".ppt", ".pptx",
];

/// Up to `max` career-looking links of the page, in document order, without fragments, skipping the page itself,
/// the pages in `exclude` and repeats. Two links are the same page when they differ only in `www.`, a trailing
/// slash, the fragment or tracking/job-id query parameters (`utm_*`, `gh_jid`): a Greenhouse listing's fifty
/// `?gh_jid=` links are one page. Keywords are matched in the path and query only, so a company whose domain
/// happens to contain `jobs` does not make every link look like a careers page.
pub fn career_links(page_url: &Url, html: &str, exclude: &[Url], max: usize) -> Vec<Url> {
    let Some(site) = page_url.host_str().map(bare_host) else {
        return Vec::new();
    };
    let mut seen: HashSet<String> = exclude.iter().chain([page_url]).map(page_key).collect();
    let document = Html::parse_document(scanned_part(html));
    let mut links = Vec::new();
    for node in document.tree.root().descendants() {
        if links.len() >= max {
            break;
        }
        let Node::Element(element) = node.value() else {
            continue;
        };
        let Some(href) = element.attr("href").filter(|_| element.name() == "a") else {
            continue;
        };
        if let Some(url) = followable(page_url, &site, href)
            && seen.insert(page_key(&url))
        {
            links.push(url);
        }
    }
    links
}

/// The absolute URL of `href` if it is a careers page of the same site worth fetching.
fn followable(page_url: &Url, site: &str, href: &str) -> Option<Url> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    let skipped = ["mailto:", "tel:", "javascript:", "#"];
    if href.is_empty() || skipped.iter().any(|p| lower.starts_with(p)) {
        return None;
    }
    let mut url = page_url.join(href).ok()?;
    url.set_fragment(None);
    let host = url.host_str()?;
    if !matches!(url.scheme(), "http" | "https")
        || url.as_str().len() > MAX_LINK_LEN
        || bare_host(host) != site
        || is_ats_host(host)
        || board_from_url(&url).is_some()
    {
        return None;
    }
    let path = url.path().to_ascii_lowercase();
    if FILE_EXTENSIONS.iter().any(|ext| path.ends_with(ext)) {
        return None;
    }
    let target = format!("{path}?{}", url.query().unwrap_or_default()).to_ascii_lowercase();
    LINK_KEYWORDS
        .iter()
        .any(|keyword| target.contains(keyword))
        .then_some(url)
}

/// The host without `www.`, lower case.
fn bare_host(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    match host.strip_prefix("www.") {
        Some(rest) => rest.to_owned(),
        None => host,
    }
}

/// What identifies a page for de-duplication: host without `www.`, port, path without trailing slash, and the
/// query without tracking or job-id parameters.
pub(crate) fn page_key(url: &Url) -> String {
    let host = url.host_str().map(bare_host).unwrap_or_default();
    let port = url.port_or_known_default().unwrap_or_default();
    let path = url.path().trim_end_matches('/');
    let query: Vec<String> = url
        .query_pairs()
        .filter(|(key, _)| key != "gh_jid" && !key.starts_with("utm_"))
        .map(|(key, value)| format!("{key}={value}"))
        .collect();
    format!("{host}:{port}{path}?{}", query.join("&"))
}
