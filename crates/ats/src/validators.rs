//! Validators: the ETag / Last-Modified of a board's last complete fetch, read from a response's headers.

use pipeline_http::header::{ETAG, HeaderMap, LAST_MODIFIED};

/// ETag / Last-Modified of a board's last complete fetch, sent back as If-None-Match / If-Modified-Since.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` header, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` header, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

/// ETag / Last-Modified of a response, if it has either.
pub(crate) fn validators_of(headers: &HeaderMap) -> Option<Validators> {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let validators = Validators {
        etag: header(ETAG),
        last_modified: header(LAST_MODIFIED),
    };
    (validators != Validators::default()).then_some(validators)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pipeline_http::header::HeaderValue;

    #[test]
    fn validators_come_from_etag_and_last_modified() {
        let mut headers = HeaderMap::new();
        assert_eq!(validators_of(&headers), None);
        headers.insert(ETAG, HeaderValue::from_static("\"abc\""));
        assert_eq!(
            validators_of(&headers),
            Some(Validators {
                etag: Some("\"abc\"".into()),
                last_modified: None
            })
        );
        headers.insert(LAST_MODIFIED, HeaderValue::from_static(" "));
        assert_eq!(validators_of(&headers).and_then(|v| v.last_modified), None);
    }
}
