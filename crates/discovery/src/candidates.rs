//! The pages to fetch for a company website: the website itself, then every career path of
//! docs/original-system.md#ref-4.

use url::Url;

/// The career paths tried on every site (docs/original-system.md#ref-4), all of them: the original's cap of
/// 10 candidate URLs
/// silently dropped `/job-openings` (defect 14, docs/original-system.md#defect-14).
pub const CAREER_PATHS: [&str; 10] = [
    "/careers",
    "/jobs",
    "/join-us",
    "/work-with-us",
    "/careers/jobs",
    "/empleo",
    "/trabaja-con-nosotros",
    "/job-opportunities",
    "/job-openings",
    "/jobs/",
];

/// The website (without its fragment), then each career path at the root of its origin, de-duplicated.
/// Career pages live at the site's root, so a website given as a deep link (`/es/inicio?utm_source=dir`)
/// still yields `/careers`, not `/es/inicio/careers`. A URL that is not http(s) with a host yields nothing.
pub fn candidate_pages(website: &Url) -> Vec<Url> {
    if !matches!(website.scheme(), "http" | "https") || website.host().is_none() {
        return Vec::new();
    }
    let mut base = website.clone();
    base.set_fragment(None);
    let mut pages = vec![base];
    for path in CAREER_PATHS {
        let mut page = website.clone();
        page.set_path(path);
        page.set_query(None);
        page.set_fragment(None);
        if !pages.contains(&page) {
            pages.push(page);
        }
    }
    pages
}
