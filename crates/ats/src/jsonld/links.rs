//! The job pages a careers page links (docs/ats-apis.md#jsonld): `<a href>` links on the same site (host
//! without `www.`, and port) that lead below the careers page's path (`/careers` → `/careers/backend`) or
//! whose path or query names a job (`/empleo/…`, `/jobs/123`, `?job=…`); not the page itself, not files, no
//! fragments, in document order, once each.

use std::collections::HashSet;

use url::Url;

use crate::text::scan::{Scanner, Token};

/// Words in a link's lower-cased path or query that make it a job page (English and Spanish, the way
/// careers sites spell them).
pub const JOB_WORDS: [&str; 11] = [
    "job", "career", "vacan", "oferta", "empleo", "position", "opening", "puesto", "trabajo", "stelle",
    "vacature",
];

const FILE_EXTENSIONS: [&str; 14] = [
    ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".zip", ".doc", ".docx", ".xls", ".xlsx",
    ".ppt", ".pptx",
];

/// The job pages `html`, the page at `page`, links, without fragments, each once, in document order.
pub fn job_links(page: &Url, html: &str) -> Vec<Url> {
    let mut seen: HashSet<String> = HashSet::from([page_key(page)]);
    let mut links = Vec::new();
    for token in Scanner::new(html) {
        let Token::Start(tag) = token else {
            continue;
        };
        if tag.name != "a" {
            continue;
        }
        let Some(href) = tag.attribute("href") else {
            continue;
        };
        if let Some(url) = job_link(page, &href)
            && seen.insert(page_key(&url))
        {
            links.push(url);
        }
    }
    links
}

/// `href` as an absolute job page URL of `page`'s site, if it is one.
pub(crate) fn job_link(page: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    if href.is_empty()
        || ["mailto:", "tel:", "javascript:", "#"]
            .iter()
            .any(|p| lower.starts_with(p))
    {
        return None;
    }
    let mut url = page.join(href).ok()?;
    url.set_fragment(None);
    if !same_site(page, &url) {
        return None;
    }
    let path = url.path().to_ascii_lowercase();
    if FILE_EXTENSIONS.iter().any(|ext| path.ends_with(ext)) {
        return None;
    }
    let base = page.path().trim_end_matches('/').to_ascii_lowercase();
    let below = !base.is_empty() && path.starts_with(&format!("{base}/")) && path.len() > base.len() + 1;
    let target = format!("{path}?{}", url.query().unwrap_or_default()).to_ascii_lowercase();
    (below || JOB_WORDS.iter().any(|word| target.contains(word))).then_some(url)
}

/// Same scheme family (http/https), same host without `www.`, same port.
pub(crate) fn same_site(a: &Url, b: &Url) -> bool {
    matches!(b.scheme(), "http" | "https")
        && a.host_str().map(bare_host) == b.host_str().map(bare_host)
        && a.port() == b.port()
}

fn bare_host(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host.strip_prefix("www.").map(str::to_owned).unwrap_or(host)
}

/// What identifies a page: host without `www.`, port, path without a trailing slash, query without
/// tracking parameters.
pub(crate) fn page_key(url: &Url) -> String {
    let host = url.host_str().map(bare_host).unwrap_or_default();
    let path = url.path().trim_end_matches('/');
    let query: Vec<String> = url
        .query_pairs()
        .filter(|(name, _)| !pipeline_domain::board::is_tracking_parameter(name))
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    format!("{host}:{}{path}?{}", url.port().unwrap_or(0), query.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(page: &str, html: &str) -> Vec<String> {
        let page = Url::parse(page).unwrap_or_else(|e| panic!("{e}"));
        job_links(&page, html).into_iter().map(String::from).collect()
    }

    #[test]
    fn job_pages_are_same_site_below_the_careers_page_or_named_as_jobs() {
        let html = include_str!("fixtures/yoast_careers.html");
        assert_eq!(
            links("https://acmepagos.es/trabaja-con-nosotros/", html),
            [
                "https://acmepagos.es/empleo/responsable-de-tesoreria/",
                "https://acmepagos.es/empleo/becario-operaciones/"
            ]
        );
        let html = r#"<a href="/careers/backend-engineer">x</a> <a href="/careers">self</a>
            <a href="/careers/?utm_source=x">self again</a> <a href="/about">about</a>
            <a href="https://www.acme.com/careers/ops#apply">ops</a> <a href="http://acme.com:8080/careers/x">port</a>
            <a href="/blog?job=7">q</a> <a href="https://other.com/careers/x">elsewhere</a>
            <a href="/careers/backend-engineer/">repeat</a> <a href="/careers/brochure.PDF">pdf</a>"#;
        assert_eq!(
            links("https://acme.com/careers", html),
            [
                "https://acme.com/careers/backend-engineer",
                "https://www.acme.com/careers/ops",
                "https://acme.com/blog?job=7"
            ]
        );
        assert_eq!(
            links(
                "https://acme.com/",
                "<a href=\"/about\">a</a><a href=\"/vacantes/1\">v</a>"
            ),
            ["https://acme.com/vacantes/1"],
            "from the home page only job words count"
        );
    }
}
