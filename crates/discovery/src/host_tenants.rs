//! Providers whose tenant lives in the host name (`{company}.recruitee.com`, `{company}.jobs.personio.de`,
//! `{company}.teamtailor.com`, `{account}.workable.com`, `{tenant}.wd{N}.myworkdayjobs.com`).

use pipeline_domain::{BoardRef, Provider};

use super::patterns::{UrlParts, board, is_slug, path_tenant};

/// Sub-domains the providers use for themselves, never a tenant.
const SERVICE_LABELS: [&str; 14] = [
    "www", "app", "api", "apply", "jobs", "career", "careers", "cdn", "static", "assets", "help", "support",
    "blog", "status",
];

/// A tenant taken from a single host label (`acme` in `acme.recruitee.com`), if it is one plausible label and
/// not one of the provider's own sub-domains.
fn host_tenant(label: &str) -> Option<&str> {
    let plausible = !label.is_empty()
        && label.len() <= 63
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !label.starts_with('-')
        && !label.ends_with('-');
    (plausible && !SERVICE_LABELS.contains(&label)).then_some(label)
}

/// `apply.workable.com/{account}` (not `/api/...`, not `/j/...`), `{account}.workable.com`.
pub(super) fn workable(parts: &UrlParts<'_>) -> Option<BoardRef> {
    match (parts.sub.as_str(), parts.segments.as_slice()) {
        ("apply", [account, ..]) => path_tenant(Provider::Workable, account, None),
        (label, _) => host_tenant(label).map(|t| board(Provider::Workable, t, None)),
    }
}

/// `{company}.recruitee.com`.
pub(super) fn recruitee(parts: &UrlParts<'_>) -> Option<BoardRef> {
    host_tenant(&parts.sub).map(|t| board(Provider::Recruitee, t, None))
}

/// `{company}.jobs.personio.de`, `{company}.jobs.personio.com` (variant `com`).
pub(super) fn personio(parts: &UrlParts<'_>) -> Option<BoardRef> {
    let label = parts.sub.strip_suffix(".jobs")?;
    let variant = (parts.domain == "personio.com").then_some("com");
    host_tenant(label).map(|t| board(Provider::Personio, t, variant))
}

/// `{company}.teamtailor.com` (its CDN, `*.teamtailor-cdn.com`, is another domain and names no board).
pub(super) fn teamtailor(parts: &UrlParts<'_>) -> Option<BoardRef> {
    host_tenant(&parts.sub).map(|t| board(Provider::Teamtailor, t, None))
}

/// `{tenant}.wd{N}.myworkdayjobs.com/[{locale}/]{site}` (also the cxs API path `/wday/cxs/{tenant}/{site}`)
/// and `wd{N}.myworkdaysite.com/[{locale}/]recruiting/{tenant}/{site}`, both as `workday:{tenant}/wd{N}/{site}`.
pub(super) fn workday(parts: &UrlParts<'_>) -> Option<BoardRef> {
    let segments = without_locale(&parts.segments);
    let (tenant, pod, site) = if parts.domain == "myworkdayjobs.com" {
        let (tenant, pod) = parts.sub.split_once('.')?;
        let site = match segments {
            ["wday", "cxs", _, site, ..] => site,
            [site, ..] => site,
            [] => return None,
        };
        (tenant, pod, *site)
    } else {
        match segments {
            ["recruiting", tenant, site, ..] => (*tenant, parts.sub.as_str(), *site),
            _ => return None,
        }
    };
    let pod_ok = pod
        .strip_prefix("wd")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    let tenant = host_tenant(tenant).filter(|t| is_slug(t))?;
    if !pod_ok || !is_slug(site) || is_locale(site) || site.eq_ignore_ascii_case("wday") {
        return None;
    }
    Some(board(Provider::Workday, &format!("{tenant}/{pod}/{site}"), None))
}

/// The path without a leading locale segment.
fn without_locale<'s, 'a>(segments: &'s [&'a str]) -> &'s [&'a str] {
    match segments {
        [first, rest @ ..] if is_locale(first) => rest,
        _ => segments,
    }
}

/// `en`, `en-US`, `fr_CA`: a language tag Workday puts before the site, never the site itself.
fn is_locale(segment: &str) -> bool {
    let alpha2 = |s: &str| s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic());
    match segment.split_once(['-', '_']) {
        Some((language, region)) => alpha2(language) && alpha2(region),
        None => alpha2(segment),
    }
}
