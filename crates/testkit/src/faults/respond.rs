//! How a fault turns into a response: the standalone replies, and the transformations of a normal reply
//! (truncated, stalled, oversized, corrupted, mislabelled bodies).

use std::time::Duration;

use axum::body::Body;
use axum::http::Response;
use bytes::Bytes;
use chrono::Utc;
use futures::StreamExt;

use super::{Fault, PRIVATE_REDIRECT_TARGET, RetryAfter};
use crate::reply::{Reply, http_date};

/// The path prefix of the endless redirect chain.
pub const LOOP_PREFIX: &str = "/__world/redirect-loop/";

impl Fault {
    /// Whether the fault transforms the normal reply (so the handler must run first).
    pub fn needs_reply(&self) -> bool {
        matches!(
            self,
            Fault::StallBody(_) | Fault::Truncate | Fault::InvalidUtf8 | Fault::WrongContentType
        )
    }

    /// The reply for a fault that does not need the normal one.
    pub fn standalone(&self) -> Reply {
        match self {
            Fault::Status(status) => Reply::text(*status, "injected fault"),
            Fault::TooManyRequests(retry) => {
                let reply = Reply::json(429, &serde_json::json!({ "error": "rate limited" }));
                match retry {
                    RetryAfter::Seconds(s) => reply.with_header("retry-after", s.to_string()),
                    RetryAfter::Date(d) => {
                        let at = Utc::now() + chrono::Duration::from_std(*d).unwrap_or_default();
                        reply.with_header("retry-after", http_date(at))
                    }
                    RetryAfter::Absent => reply,
                }
            }
            Fault::RedirectLoop => Reply::text(302, "").with_header("location", format!("{LOOP_PREFIX}1")),
            Fault::RedirectTo(url) => Reply::text(302, "").with_header("location", url.clone()),
            Fault::RedirectPrivate => Reply::text(302, "").with_header("location", PRIVATE_REDIRECT_TARGET),
            Fault::Oversized(_) | Fault::HtmlInsteadOfJson => Reply::html(
                200,
                "<!doctype html><html><body><h1>Scheduled maintenance</h1><p>We'll be back soon.</p></body></html>"
                    .to_owned(),
            ),
            _ => Reply::text(500, "injected fault"),
        }
    }

    /// Turns a reply into the faulty response.
    pub fn respond(&self, reply: Reply) -> Response<Body> {
        match self {
            Fault::Truncate => {
                let full = reply.body.len().max(2);
                let half = reply.body.slice(..reply.body.len() / 2);
                // The pause lets the headers and the first half reach the client before the connection breaks.
                let stream = futures::stream::once(async move { Ok::<_, std::io::Error>(half) }).chain(
                    futures::stream::once(async {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Err(std::io::Error::other("truncated by the world"))
                    }),
                );
                let response = build(reply.status, &reply.headers, Body::from_stream(stream));
                with_length(response, full)
            }
            Fault::StallBody(wait) => {
                let wait = *wait;
                let len = reply.body.len();
                let first = reply.body.slice(..len / 2);
                let second = reply.body.slice(len / 2..);
                let stream = futures::stream::once(async move { Ok::<_, std::io::Error>(first) })
                    .chain_after(wait, second);
                with_length(
                    build(reply.status, &reply.headers, Body::from_stream(stream)),
                    len,
                )
            }
            Fault::Oversized(size) => {
                let size = *size;
                let chunk = Bytes::from(vec![b' '; 64 * 1024]);
                let mut chunks: Vec<Result<Bytes, std::io::Error>> =
                    vec![Ok(Bytes::from_static(b"{\"padding\":\""))];
                let mut left = size.saturating_sub(14);
                while left > 0 {
                    let n = left.min(chunk.len());
                    chunks.push(Ok(chunk.slice(..n)));
                    left -= n;
                }
                chunks.push(Ok(Bytes::from_static(b"\"}")));
                let total: usize = chunks.iter().map(|c| c.as_ref().map_or(0, Bytes::len)).sum();
                let headers = vec![("content-type".to_owned(), "application/json".to_owned())];
                with_length(
                    build(200, &headers, Body::from_stream(futures::stream::iter(chunks))),
                    total,
                )
            }
            Fault::InvalidUtf8 => {
                let mut body = reply.body.to_vec();
                let at = body.len() / 2;
                body.splice(at..at, [0xff, 0xfe, 0xc3, 0x28]);
                build(reply.status, &reply.headers, Body::from(body))
            }
            Fault::WrongContentType => {
                let mut headers = reply.headers.clone();
                headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
                headers.push(("content-type".to_owned(), "text/html; charset=utf-8".to_owned()));
                build(reply.status, &headers, Body::from(reply.body))
            }
            _ => to_response(reply),
        }
    }
}

/// A stream of one chunk, a pause, then a second chunk.
trait ChainAfter {
    fn chain_after(
        self,
        wait: Duration,
        rest: Bytes,
    ) -> futures::stream::BoxStream<'static, Result<Bytes, std::io::Error>>;
}

impl<S> ChainAfter for S
where
    S: futures::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
{
    fn chain_after(
        self,
        wait: Duration,
        rest: Bytes,
    ) -> futures::stream::BoxStream<'static, Result<Bytes, std::io::Error>> {
        let tail = futures::stream::once(async move {
            tokio::time::sleep(wait).await;
            Ok(rest)
        });
        self.chain(tail).boxed()
    }
}

fn build(status: u16, headers: &[(String, String)], body: Body) -> Response<Body> {
    let mut response = Response::new(body);
    *response.status_mut() =
        axum::http::StatusCode::from_u16(status).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in headers {
        if let (Ok(n), Ok(v)) = (
            axum::http::HeaderName::from_bytes(name.as_bytes()),
            axum::http::HeaderValue::from_str(value),
        ) {
            response.headers_mut().append(n, v);
        }
    }
    response
}

fn with_length(mut response: Response<Body>, length: usize) -> Response<Body> {
    response.headers_mut().insert(
        axum::http::header::CONTENT_LENGTH,
        axum::http::HeaderValue::from(length),
    );
    response
}

/// The plain conversion of a reply.
pub fn to_response(reply: Reply) -> Response<Body> {
    build(reply.status, &reply.headers, Body::from(reply.body))
}
