//! The tenant of a `jsonld` board: the careers page's URL, normalized so that one page is one board
//! (docs/interfaces.md#7-board-references): scheme and host in lower case, no user info, no default port, no
//! fragment, no tracking query parameters, and no `;` (board lists are `;`-separated in the sheet's column N
//! and in `companies --csv`).

use url::Url;

/// Query parameters that track a visit and name no page: dropped from a careers page's URL.
const TRACKING_PARAMETERS: [&str; 11] = [
    "gclid", "gclsrc", "dclid", "fbclid", "msclkid", "yclid", "mc_cid", "mc_eid", "_ga", "_gl", "igshid",
];

/// Whether a query parameter only tracks the visit (`utm_*`, `gclid`, `fbclid`, ...).
pub fn is_tracking_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_") || TRACKING_PARAMETERS.contains(&name.as_str())
}

/// Why a text is not a careers page URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageUrlError {
    /// Not an absolute URL.
    #[error("`{0}` is not a URL")]
    NotAUrl(String),
    /// An absolute URL, but not an http(s) one with a host.
    #[error("`{0}` is not an http(s) URL with a host")]
    NotHttp(String),
}

/// A careers page's URL as a `jsonld` tenant: http(s) with a host; scheme and host lower case (the URL
/// parser does it), no user info, no default port, no fragment, no tracking parameters (`utm_*`, `gclid`,
/// `fbclid`, ...), and every `;` of the path or query percent-encoded. The path's case is kept.
pub fn normalize_page_url(text: &str) -> Result<Url, PageUrlError> {
    let shown = || crate::text::echo(text).into_owned();
    let mut url = Url::parse(text.trim()).map_err(|_| PageUrlError::NotAUrl(shown()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(PageUrlError::NotHttp(shown()));
    }
    normalize(&mut url);
    Ok(url)
}

/// [`normalize_page_url`] of a URL already parsed (a page's final URL after redirects); `None` when it is
/// not http(s) with a host.
pub fn page_url(url: &Url) -> Option<Url> {
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return None;
    }
    let mut url = url.clone();
    normalize(&mut url);
    Some(url)
}

fn normalize(url: &mut Url) {
    url.set_fragment(None);
    // Infallible for http(s) URLs with a host: only `cannot-be-a-base` URLs refuse these.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if url.port().is_some() && url.port() == default_port(url.scheme()) {
        let _ = url.set_port(None);
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| !is_tracking_parameter(name))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    if url.query().is_some() {
        if kept.is_empty() {
            url.set_query(None);
        } else if kept.len() != url.query_pairs().count() {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    if url.path().contains(';') {
        let path = url.path().replace(';', "%3B");
        url.set_path(&path);
    }
    if let Some(query) = url.query().filter(|q| q.contains(';')) {
        let query = query.replace(';', "%3B");
        url.set_query(Some(&query));
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(text: &str) -> String {
        normalize_page_url(text)
            .map(String::from)
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn scheme_and_host_lower_case_no_fragment_no_tracking_parameters() {
        assert_eq!(
            normalized("HTTPS://Acme.COM/Careers?utm_source=x&lang=es&gclid=1#open"),
            "https://acme.com/Careers?lang=es"
        );
        assert_eq!(
            normalized("https://acme.com/careers?utm_campaign=a&fbclid=b"),
            "https://acme.com/careers"
        );
        assert_eq!(
            normalized("http://user:pw@acme.com:80/jobs/"),
            "http://acme.com/jobs/"
        );
        assert_eq!(
            normalized("http://acme.test:8080/careers"),
            "http://acme.test:8080/careers"
        );
        assert_eq!(
            normalized("https://acme.com/jobs;jsessionid=1?a=b;c"),
            "https://acme.com/jobs%3Bjsessionid=1?a=b%3Bc"
        );
    }

    #[test]
    fn only_http_urls_with_a_host_are_careers_pages() {
        assert!(matches!(
            normalize_page_url("acme.com/careers"),
            Err(PageUrlError::NotAUrl(_))
        ));
        assert!(matches!(
            normalize_page_url("ftp://acme.com/x"),
            Err(PageUrlError::NotHttp(_))
        ));
        assert!(matches!(
            normalize_page_url("mailto:a@b.c"),
            Err(PageUrlError::NotHttp(_))
        ));
        let page: Url = "https://Acme.com/careers#top"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            page_url(&page).map(String::from).as_deref(),
            Some("https://acme.com/careers")
        );
    }
}
