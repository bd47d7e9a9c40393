//! Fault injection: scripted ("the next N requests to X answer F") or probabilistic with a seed, per route.

use std::time::Duration;

use axum::body::Body;
use axum::http::Response;
use bytes::Bytes;
use chrono::Utc;
use futures::StreamExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::model::{DirectoryKind, Provider};
use crate::reply::{Reply, http_date};

/// What a faulty response does.
/// Where [`Fault::RedirectPrivate`] points: 127.0.0.1 spelled as one decimal number, on a closed port.
pub const PRIVATE_REDIRECT_TARGET: &str = "http://2130706433:9/";

#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// This status with a short body: 500, 502, 503, 408, 404, 410, 401, ...
    Status(u16),
    /// 429 with the given `Retry-After`.
    TooManyRequests(RetryAfter),
    /// The connection is dropped (RST) without a response.
    Reset,
    /// Waits this long, then answers normally (a client timeout shorter than this fires first).
    Stall(Duration),
    /// Sends the headers and half the body, waits this long, then the rest.
    StallBody(Duration),
    /// `Content-Length` of the whole body, half of it sent, then the connection closes.
    Truncate,
    /// 200 with a body of this many bytes (JSON-looking padding).
    Oversized(usize),
    /// 302 to a URL that redirects forever.
    RedirectLoop,
    /// 302 to this URL.
    RedirectTo(String),
    /// 302 to [`PRIVATE_REDIRECT_TARGET`], loopback written as a decimal IP literal (one of the spellings the
    /// SSRF guard must recognise): the client must refuse it. Loopback, not a private range, so that a
    /// client that wrongly follows it still sends nothing off the machine (and port 9 is closed).
    /// Use only where the client's SSRF guard is on: a client that follows it would send traffic off the machine.
    RedirectPrivate,
    /// The normal body with invalid UTF-8 bytes spliced in, still labelled UTF-8.
    InvalidUtf8,
    /// The normal body labelled `text/html`.
    WrongContentType,
    /// 200 with an HTML maintenance page instead of the API's JSON.
    HtmlInsteadOfJson,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RetryAfter {
    /// `Retry-After: <seconds>`
    Seconds(u64),
    /// `Retry-After: <HTTP-date>` this far in the future.
    Date(Duration),
    /// No header.
    Absent,
}

/// Which requests a rule applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Any,
    /// A route label: a provider key (`lever`, ...), `sheets`, `oauth`, `site`, `catalonia`, ...
    Label(String),
    /// A label and tenant: a provider's tenant, a site's domain, a spreadsheet id.
    Tenant {
        label: String,
        tenant: String,
    },
    /// Requests whose path starts with this (e.g. `/greenhouse-eu/`).
    PathPrefix(String),
}

impl Target {
    pub fn provider(provider: Provider) -> Target {
        Target::Label(provider.key().to_owned())
    }

    pub fn tenant(provider: Provider, tenant: &str) -> Target {
        Target::Tenant {
            label: provider.key().to_owned(),
            tenant: tenant.to_owned(),
        }
    }

    /// One company website (all its pages).
    pub fn site(domain: &str) -> Target {
        Target::Tenant {
            label: "site".to_owned(),
            tenant: domain.to_owned(),
        }
    }

    pub fn directory(kind: DirectoryKind) -> Target {
        Target::Label(kind.key().to_owned())
    }

    /// The Sheets API (not the token endpoint: `Target::Label("oauth")`).
    pub fn sheets() -> Target {
        Target::Label("sheets".to_owned())
    }

    fn matches(&self, route: &RouteInfo) -> bool {
        match self {
            Target::Any => true,
            Target::Label(label) => *label == route.label,
            Target::Tenant { label, tenant } => {
                *label == route.label
                    && route
                        .tenant
                        .as_deref()
                        .is_some_and(|t| t.eq_ignore_ascii_case(tenant))
            }
            Target::PathPrefix(prefix) => route.path.starts_with(prefix.as_str()),
        }
    }
}

/// What the router knows about a request before answering it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub label: String,
    pub tenant: Option<String>,
    pub path: String,
}

#[derive(Debug, Clone)]
enum Rule {
    Scripted {
        target: Target,
        remaining: usize,
        fault: Fault,
    },
    Random {
        target: Target,
        probability: f64,
        fault: Fault,
    },
}

/// The fault plan: scripted rules first (in the order given), then probabilistic ones.
#[derive(Debug)]
pub struct Faults {
    rules: Vec<Rule>,
    rng: StdRng,
}

impl Faults {
    pub fn new(seed: u64) -> Faults {
        Faults {
            rules: Vec::new(),
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// The next `count` requests matching `target` answer `fault` (queued after earlier scripts for them).
    pub fn script(&mut self, target: Target, count: usize, fault: Fault) {
        self.rules.push(Rule::Scripted {
            target,
            remaining: count,
            fault,
        });
    }

    /// Every request matching `target` answers `fault` with this probability (drawn from the plan's seed).
    pub fn random(&mut self, target: Target, probability: f64, fault: Fault) {
        self.rules.push(Rule::Random {
            target,
            probability: probability.clamp(0.0, 1.0),
            fault,
        });
    }

    /// Reseeds the probabilistic draws.
    pub fn reseed(&mut self, seed: u64) {
        self.rng = StdRng::seed_from_u64(seed);
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// Scripted faults not fired yet.
    pub fn pending(&self) -> usize {
        self.rules
            .iter()
            .map(|r| {
                if let Rule::Scripted { remaining, .. } = r {
                    *remaining
                } else {
                    0
                }
            })
            .sum()
    }

    /// The fault this request answers, if any.
    pub fn draw(&mut self, route: &RouteInfo) -> Option<Fault> {
        let scripted = self.rules.iter_mut().position(|r| match r {
            Rule::Scripted {
                target, remaining, ..
            } => *remaining > 0 && target.matches(route),
            Rule::Random { .. } => false,
        });
        if let Some(i) = scripted {
            let Rule::Scripted { remaining, fault, .. } = &mut self.rules[i] else {
                return None;
            };
            *remaining -= 1;
            let fault = fault.clone();
            if *remaining == 0 {
                self.rules.remove(i);
            }
            return Some(fault);
        }
        for rule in &self.rules {
            if let Rule::Random {
                target,
                probability,
                fault,
            } = rule
                && target.matches(route)
                && self.rng.random_bool(*probability)
            {
                return Some(fault.clone());
            }
        }
        None
    }
}

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

impl std::str::FromStr for Fault {
    type Err = String;

    /// `status:503`, `429`, `429:7s` (Retry-After seconds), `429-date:2m` (HTTP-date), `reset`, `stall:3s`,
    /// `stall-body:3s`, `truncate`, `oversized:10MB`, `redirect-loop`, `redirect:URL`, `redirect-private`,
    /// `invalid-utf8`, `wrong-content-type`, `html`; a bare status code (`500`, `410`) works too.
    fn from_str(text: &str) -> Result<Fault, String> {
        let (kind, arg) = match text.trim().split_once(':') {
            Some((k, a)) => (k, Some(a)),
            None => (text.trim(), None),
        };
        let need = |what: &str| arg.ok_or_else(|| format!("fault `{kind}` needs `:{what}`"));
        Ok(match kind {
            "429" => match arg {
                Some(a) => Fault::TooManyRequests(RetryAfter::Seconds(parse_duration(a)?.as_secs())),
                None => Fault::TooManyRequests(RetryAfter::Absent),
            },
            "429-date" => Fault::TooManyRequests(RetryAfter::Date(parse_duration(need("DURATION")?)?)),
            "status" => Fault::Status(
                need("CODE")?
                    .parse()
                    .map_err(|_| format!("bad status in `{text}`"))?,
            ),
            "reset" => Fault::Reset,
            "stall" => Fault::Stall(parse_duration(need("DURATION")?)?),
            "stall-body" => Fault::StallBody(parse_duration(need("DURATION")?)?),
            "truncate" => Fault::Truncate,
            "oversized" => Fault::Oversized(parse_size(need("SIZE")?)?),
            "redirect-loop" => Fault::RedirectLoop,
            "redirect" => Fault::RedirectTo(need("URL")?.to_owned()),
            "redirect-private" => Fault::RedirectPrivate,
            "invalid-utf8" => Fault::InvalidUtf8,
            "wrong-content-type" => Fault::WrongContentType,
            "html" => Fault::HtmlInsteadOfJson,
            code if code.len() == 3 && code.chars().all(|c| c.is_ascii_digit()) => {
                Fault::Status(code.parse().map_err(|_| format!("bad status `{code}`"))?)
            }
            other => return Err(format!("unknown fault `{other}`")),
        })
    }
}

/// `250ms`, `3s`, `2m`, `1h`; a bare number is seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let value: u64 = text[..digits]
        .parse()
        .map_err(|_| format!("bad duration `{text}`"))?;
    Ok(match &text[digits..] {
        "ms" => Duration::from_millis(value),
        "" | "s" => Duration::from_secs(value),
        "m" => Duration::from_secs(value * 60),
        "h" => Duration::from_secs(value * 3600),
        _ => return Err(format!("bad duration `{text}`")),
    })
}

/// `512`, `64KB`, `10MB` (binary multiples).
pub fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let value: usize = text[..digits].parse().map_err(|_| format!("bad size `{text}`"))?;
    Ok(match text[digits..].to_ascii_uppercase().as_str() {
        "" | "B" => value,
        "KB" | "K" => value * 1024,
        "MB" | "M" => value * 1024 * 1024,
        _ => return Err(format!("bad size `{text}`")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_parse_from_text() {
        assert_eq!("status:503".parse(), Ok(Fault::Status(503)));
        assert_eq!("410".parse(), Ok(Fault::Status(410)));
        assert_eq!(
            "429:7s".parse(),
            Ok(Fault::TooManyRequests(RetryAfter::Seconds(7)))
        );
        assert_eq!(
            "429-date:2m".parse(),
            Ok(Fault::TooManyRequests(RetryAfter::Date(Duration::from_secs(120))))
        );
        assert_eq!(
            "stall:250ms".parse(),
            Ok(Fault::Stall(Duration::from_millis(250)))
        );
        assert_eq!("oversized:10MB".parse(), Ok(Fault::Oversized(10 * 1024 * 1024)));
        assert_eq!("reset".parse(), Ok(Fault::Reset));
        assert!("stall".parse::<Fault>().is_err());
        assert!("nope".parse::<Fault>().is_err());
    }

    #[test]
    fn scripts_queue_per_target_and_random_rules_follow_the_seed() {
        let route = |label: &str, tenant: &str| RouteInfo {
            label: label.into(),
            tenant: Some(tenant.into()),
            path: format!("/{label}/x"),
        };
        let mut faults = Faults::new(1);
        faults.script(Target::tenant(Provider::Lever, "acme"), 1, Fault::Status(500));
        faults.script(Target::provider(Provider::Lever), 1, Fault::Reset);
        assert_eq!(faults.draw(&route("lever", "other")), Some(Fault::Reset));
        assert_eq!(faults.draw(&route("lever", "ACME")), Some(Fault::Status(500)));
        assert_eq!(faults.draw(&route("lever", "acme")), None);
        assert_eq!(faults.pending(), 0);
        faults.random(Target::PathPrefix("/ashby".into()), 1.0, Fault::Truncate);
        assert_eq!(faults.draw(&route("ashby", "a")), Some(Fault::Truncate));
        assert_eq!(faults.draw(&route("lever", "a")), None);
    }
}
