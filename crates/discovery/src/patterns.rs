//! The board a single URL names: host dispatch per ATS and the path-based providers (Greenhouse, Lever,
//! Ashby, SmartRecruiters). Non-tenant segments (`embed`, `v1`, `api`, ...) are never tenants (defect 10,
//! docs/original-system.md#defect-10).

use pipeline_domain::{BoardRef, Provider};
use url::Url;

use super::host_tenants;

/// The domains of the supported ATSes. A link to one of their hosts is evidence, never a page to crawl.
pub const ATS_DOMAINS: [&str; 11] = [
    "greenhouse.io",
    "lever.co",
    "ashbyhq.com",
    "workable.com",
    "smartrecruiters.com",
    "recruitee.com",
    "personio.de",
    "personio.com",
    "teamtailor.com",
    "myworkdayjobs.com",
    "myworkdaysite.com",
];

/// Path segments that name a part of the ATS's site or API, never a tenant (compared case-insensitively).
const RESERVED_SEGMENTS: [&str; 18] = [
    "embed",
    "v0",
    "v1",
    "v2",
    "api",
    "jobs",
    "job",
    "job_board",
    "job_app",
    "job-board",
    "j",
    "static",
    "assets",
    "widget",
    "oneclick-ui",
    "posting-api",
    "search",
    "login",
];

/// A URL taken apart for matching: the ATS domain it is on and what precedes it.
pub(super) struct UrlParts<'a> {
    pub url: &'a Url,
    /// One of [`ATS_DOMAINS`].
    pub domain: &'static str,
    /// The labels before the domain, lower case: `job-boards.eu` for `job-boards.eu.greenhouse.io`.
    pub sub: String,
    /// The non-empty path segments, percent-encoded as in the URL.
    pub segments: Vec<&'a str>,
}

impl<'a> UrlParts<'a> {
    fn new(url: &'a Url) -> Option<Self> {
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
        let (domain, sub) = ATS_DOMAINS.iter().find_map(|domain| {
            let sub = host.strip_suffix(domain)?;
            match sub {
                "" => Some((*domain, String::new())),
                _ => sub.strip_suffix('.').map(|s| (*domain, s.to_owned())),
            }
        })?;
        let segments = url
            .path_segments()
            .map(|s| s.filter(|seg| !seg.is_empty()).collect())
            .unwrap_or_default();
        Some(UrlParts {
            url,
            domain,
            sub,
            segments,
        })
    }

    /// The value of query parameter `name`, if present and non-empty.
    pub fn query(&self, name: &str) -> Option<String> {
        self.url
            .query_pairs()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.trim().to_owned())
    }
}

/// The board a single URL names, if any. Host matching is case-insensitive; a tenant taken from the path keeps
/// its case, one taken from the host is lower case (hosts have no case).
pub fn board_from_url(url: &Url) -> Option<BoardRef> {
    let parts = UrlParts::new(url)?;
    match parts.domain {
        "greenhouse.io" => greenhouse(&parts),
        "lever.co" => lever(&parts),
        "ashbyhq.com" => ashby(&parts),
        "smartrecruiters.com" => smartrecruiters(&parts),
        "workable.com" => host_tenants::workable(&parts),
        "recruitee.com" => host_tenants::recruitee(&parts),
        "personio.de" | "personio.com" => host_tenants::personio(&parts),
        "teamtailor.com" => host_tenants::teamtailor(&parts),
        _ => host_tenants::workday(&parts),
    }
}

/// Whether `host` is on one of the [`ATS_DOMAINS`] (`jobs.lever.co`, `acme.recruitee.com`, `lever.co`).
pub fn is_ats_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    ATS_DOMAINS.iter().any(|domain| {
        host.strip_suffix(domain)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
    })
}

/// A plausible tenant slug: ASCII letters, digits, `-` and `_`, starting with a letter or digit.
pub(super) fn is_slug(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        && text.len() <= 100
}

/// A board of `provider` for a tenant taken from a URL path or query, if it is a plausible, non-reserved slug.
pub(super) fn path_tenant(provider: Provider, tenant: &str, variant: Option<&str>) -> Option<BoardRef> {
    let reserved = RESERVED_SEGMENTS.iter().any(|r| r.eq_ignore_ascii_case(tenant));
    (is_slug(tenant) && !reserved).then(|| board(provider, tenant, variant))
}

pub(super) fn board(provider: Provider, tenant: &str, variant: Option<&str>) -> BoardRef {
    BoardRef {
        provider,
        tenant: tenant.to_owned(),
        variant: variant.map(str::to_owned),
    }
}

/// `boards.greenhouse.io/{token}`, `job-boards[.eu].greenhouse.io/{token}`, `.../embed/...?for={token}`,
/// `boards-api[.eu].greenhouse.io/v1/boards/{token}`.
fn greenhouse(parts: &UrlParts<'_>) -> Option<BoardRef> {
    let (api, variant) = match parts.sub.as_str() {
        "boards" | "job-boards" => (false, None),
        "boards.eu" | "job-boards.eu" => (false, Some("eu")),
        "boards-api" | "api" => (true, None),
        "boards-api.eu" => (true, Some("eu")),
        _ => return None,
    };
    let token = match (api, parts.segments.as_slice()) {
        (false, ["embed", ..]) => parts.query("for")?,
        (false, [token, ..]) => (*token).to_owned(),
        (true, ["v1", "boards", token, ..]) => (*token).to_owned(),
        _ => return None,
    };
    path_tenant(Provider::Greenhouse, &token, variant)
}

/// `jobs[.eu].lever.co/{site}`, `api[.eu].lever.co/v0/postings/{site}`.
fn lever(parts: &UrlParts<'_>) -> Option<BoardRef> {
    let (api, variant) = match parts.sub.as_str() {
        "jobs" => (false, None),
        "jobs.eu" => (false, Some("eu")),
        "api" => (true, None),
        "api.eu" => (true, Some("eu")),
        _ => return None,
    };
    let site = match (api, parts.segments.as_slice()) {
        (false, [site, ..]) => site,
        (true, ["v0", "postings", site, ..]) => site,
        _ => return None,
    };
    path_tenant(Provider::Lever, site, variant)
}

/// `jobs.ashbyhq.com/{board}[/embed|/{job}]`, `api.ashbyhq.com/posting-api/job-board/{board}`.
fn ashby(parts: &UrlParts<'_>) -> Option<BoardRef> {
    let board = match (parts.sub.as_str(), parts.segments.as_slice()) {
        ("jobs", [board, ..]) => board,
        ("api", ["posting-api", "job-board", board, ..]) => board,
        _ => return None,
    };
    path_tenant(Provider::Ashby, board, None)
}

/// `careers|jobs.smartrecruiters.com/{company}[/{id}-{slug}]`, the one-click apply URL
/// `jobs.smartrecruiters.com/oneclick-ui/company/{company}/...`, `api.smartrecruiters.com/v1/companies/{company}`.
fn smartrecruiters(parts: &UrlParts<'_>) -> Option<BoardRef> {
    let company = match (parts.sub.as_str(), parts.segments.as_slice()) {
        ("careers" | "jobs", ["oneclick-ui", "company", company, ..]) => company,
        ("careers" | "jobs", [company, ..]) => company,
        ("api", ["v1", "companies", company, ..]) => company,
        _ => return None,
    };
    path_tenant(Provider::SmartRecruiters, company, None)
}
