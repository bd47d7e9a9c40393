//! The conditional JSON GET of a board's API: the validators of the last complete fetch sent as
//! If-None-Match / If-Modified-Since, a 304 recognised, the answer's validators kept.

use bytes::Bytes;
use pipeline_domain::BoardRef;
use pipeline_http::{HttpClient, Request};
use url::Url;

use crate::validators::validators_of;
use crate::{AtsError, BoardFetch, Validators};

/// What a conditional GET answered.
#[derive(Debug)]
pub(crate) enum Answer {
    /// 304: nothing changed since the validators sent.
    NotModified,
    Fresh {
        body: Bytes,
        validators: Option<Validators>,
    },
}

/// GET `url`, sending `validators` when given. HTTP failures become [`AtsError::from_http`].
pub(crate) async fn get(
    http: &HttpClient,
    board: &BoardRef,
    url: &Url,
    validators: Option<&Validators>,
) -> Result<Answer, AtsError> {
    let request = conditional(
        Request::get(url.clone()).header("accept", "application/json"),
        validators,
    );
    let fetched = http
        .fetch(&request)
        .await
        .map_err(|e| AtsError::from_http(board, e))?;
    if fetched.status == 304 {
        return Ok(Answer::NotModified);
    }
    Ok(Answer::Fresh {
        validators: validators_of(&fetched.headers),
        body: fetched.body,
    })
}

/// Adds `If-None-Match` / `If-Modified-Since` from the validators of the last complete fetch.
pub(crate) fn conditional(mut request: Request, validators: Option<&Validators>) -> Request {
    if let Some(v) = validators {
        if let Some(etag) = &v.etag {
            request = request.header("if-none-match", etag.clone());
        }
        if let Some(since) = &v.last_modified {
            request = request.header("if-modified-since", since.clone());
        }
    }
    request
}

/// The answer to a fetch whose first request was a 304.
pub(crate) fn not_modified(requests: u32, validators: Option<Validators>) -> BoardFetch {
    BoardFetch {
        not_modified: true,
        validators,
        requests,
        ..BoardFetch::default()
    }
}
