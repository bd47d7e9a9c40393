//! Which links of a listing page are detail pages of the directory, and their canonical form.

use url::Url;

use super::BuiltinDirectory;

/// `href` resolved against `listing_url` and canonicalized (no query, no fragment, no trailing slashes), when
/// it is a detail page of `dir`: http(s), the listing's host and port, and a path of the directory's exact
/// shape. The listing page itself is never a detail page (Madri+d's listing path has the detail shape).
pub(super) fn canonical_detail_url(dir: BuiltinDirectory, listing_url: &Url, href: &str) -> Option<Url> {
    let url = canonical(listing_url.join(href).ok()?)?;
    let same_origin = url.host_str() == listing_url.host_str() && url.port() == listing_url.port();
    let is_listing = canonical(listing_url.clone()).as_ref() == Some(&url);
    (same_origin && !is_listing && has_detail_shape(dir, url.path())).then_some(url)
}

/// `url` without query, fragment and trailing slashes; `None` unless http(s).
fn canonical(mut url: Url) -> Option<Url> {
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_query(None);
    url.set_fragment(None);
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&path);
    Some(url)
}

/// Whether a trailing-slash-free `path` is exactly the directory's detail shape.
fn has_detail_shape(dir: BuiltinDirectory, path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    let segments: Vec<&str> = rest.split('/').collect();
    if segments.iter().any(|segment| segment.is_empty()) {
        return false;
    }
    match (dir, segments.as_slice()) {
        (BuiltinDirectory::Catalonia, ["startup", _location, _slug, id]) => {
            id.bytes().all(|byte| byte.is_ascii_digit())
        }
        (BuiltinDirectory::Madrimasd, ["emprendedores", "emprendedores-casos-exito", _slug]) => true,
        (BuiltinDirectory::Lanzadera, ["proyecto", _slug]) => true,
        _ => false,
    }
}
