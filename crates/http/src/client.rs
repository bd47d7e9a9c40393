//! The client: requests with timeouts, a body cap and retries; counters of what it did.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use bytes::BytesMut;
use futures::TryStreamExt;
use pipeline_domain::{Classify, ErrorClass};
use reqwest::header::RETRY_AFTER;
use url::Url;

use super::{
    BodyStream, Fetched, HostGate, HttpError, HttpSettings, HttpStats, NetworkPolicy, Refusal, Request, Slot,
    Throttle, parse_retry_after,
};

/// The shared client. Cheap to clone; clones share the connection pool and the stats.
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    settings: Arc<HttpSettings>,
    stats: Arc<HttpStats>,
    /// A provider's politeness: every attempt waits for it (docs/stages.md#politeness).
    throttle: Option<Arc<Throttle>>,
    /// One request in flight per host (company sites).
    hosts: Option<Arc<HostGate>>,
}

impl HttpClient {
    /// A client with its own connection pool and stats, no throttle and no per-host gate; fails only
    /// when reqwest cannot be set up (fatal).
    pub fn new(settings: HttpSettings) -> Result<Self, HttpError> {
        let mut builder = reqwest::Client::builder();
        for root in &settings.extra_roots {
            builder = builder.add_root_certificate(root.clone());
        }
        let inner = builder
            .user_agent(settings.user_agent.clone())
            .timeout(settings.timeout)
            .connect_timeout(settings.connect_timeout)
            .no_proxy()
            .tcp_nodelay(true)
            .pool_idle_timeout(settings.pool_idle_timeout)
            .pool_max_idle_per_host(settings.pool_max_idle_per_host)
            .redirect(redirect_policy(settings.policy))
            .dns_resolver(Arc::new(settings.resolver.clone().with_policy(settings.policy)))
            .build()
            .map_err(|e| HttpError::Client(e.to_string()))?;
        Ok(Self {
            inner,
            settings: Arc::new(settings),
            stats: Arc::default(),
            throttle: None,
            hosts: None,
        })
    }

    /// The same client (same pool, same stats) whose every request attempt first waits for `throttle`'s
    /// slot and token; `None` limits nothing.
    pub fn throttled(&self, throttle: Option<Arc<Throttle>>) -> Self {
        Self {
            throttle,
            ..self.clone()
        }
    }

    /// The same client, sending at most one request at a time to any one host (clones share the gate).
    pub fn one_request_per_host(mut self) -> Self {
        self.hosts = Some(Arc::default());
        self
    }

    /// Waits until this request may be sent: the host's turn, then the provider's slot and token. The
    /// slots are held until the response is read. A closed throttle (a paused provider) refuses it.
    async fn enter(&self, url: &Url) -> Result<(Option<Slot>, Option<Slot>), HttpError> {
        let host = match (&self.hosts, url.host_str()) {
            (Some(gate), Some(host)) => Some(gate.enter(host).await),
            _ => None,
        };
        let provider = match &self.throttle {
            Some(throttle) => Some(
                throttle
                    .enter(url.host_str().unwrap_or_default())
                    .await
                    .ok_or_else(|| HttpError::Paused { url: url.to_string() })?,
            ),
            None => None,
        };
        Ok((host, provider))
    }

    /// What this client and its clones did so far, for the run counters.
    pub fn stats(&self) -> &Arc<HttpStats> {
        &self.stats
    }

    /// The same client (connection pool, throttle, host gate) counting its requests apart: a stage that
    /// runs beside another on shared connections counts only its own.
    pub fn with_own_stats(&self) -> Self {
        Self {
            stats: Arc::default(),
            ..self.clone()
        }
    }

    /// The settings the client was built with (caps, retries, policy).
    pub fn settings(&self) -> &HttpSettings {
        &self.settings
    }

    /// GET `url` and read the body (at most `max_body`), retrying transient failures.
    pub async fn get(&self, url: &Url) -> Result<Fetched, HttpError> {
        self.fetch(&Request::get(url.clone())).await
    }

    /// Sends `request` and reads the body (at most `max_body`), retrying transient failures and waiting out
    /// short 429s (see `with_retries`). A 2xx or a 304 (answer to validators) is a success; anything else is
    /// an [`HttpError::Status`].
    pub async fn fetch(&self, request: &Request) -> Result<Fetched, HttpError> {
        self.with_retries(&request.url, || async {
            let _slots = self.enter(&request.url).await?;
            let response = self.send(request).await?;
            read_capped(response, self.settings.max_body).await
        })
        .await
    }

    /// GET `url` and hand back the body unread, as a stream of chunks (for streaming large bodies); only
    /// the request and its status are retried.
    pub async fn open(&self, url: &Url) -> Result<BodyStream, HttpError> {
        let request = Request::get(url.clone());
        let (slots, response) = self
            .with_retries(url, || async {
                let slots = self.enter(url).await?;
                Ok((slots, self.send(&request).await?))
            })
            .await?;
        // The slots stay taken while the body streams.
        let body = response
            .bytes_stream()
            .map_err(std::io::Error::other)
            .map_ok(move |chunk| {
                let _held = &slots;
                chunk
            });
        Ok(Box::pin(body))
    }

    async fn send(&self, request: &Request) -> Result<reqwest::Response, HttpError> {
        let url = &request.url;
        self.settings
            .policy
            .check_url(url)
            .map_err(|r| HttpError::Refused {
                url: url.to_string(),
                reason: r.to_string(),
            })?;
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let mut builder = self.inner.request(request.method.clone(), url.clone());
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some(body) = &request.json {
            builder = builder.json(body);
        }
        let response = builder.send().await.map_err(|e| transport_error(url, &e))?;
        let status = response.status().as_u16();
        if status == 429 {
            self.stats.http_429.fetch_add(1, Ordering::Relaxed);
        } else if status >= 500 {
            self.stats.http_5xx.fetch_add(1, Ordering::Relaxed);
        }
        if response.status().is_success() || status == 304 {
            return Ok(response);
        }
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, chrono::Utc::now()));
        let snippet = response
            .text()
            .await
            .ok()
            .map(|t| t.chars().take(200).collect::<String>());
        Err(HttpError::Status {
            url: url.to_string(),
            status,
            retry_after,
            snippet: snippet.filter(|s| !s.is_empty()),
        })
    }

    /// Runs `attempt_once` until it succeeds or fails for good: a transient failure is tried again
    /// `retries` times (after the backoff, or a 503's Retry-After up to the backoff cap); a 429 whose
    /// Retry-After is at most `max_retry_after` is waited out and tried again `rate_limit_retries` times. A
    /// 429 asking for longer, or not saying how long, comes back at once (class `RateLimited`).
    async fn with_retries<T, F, Fut>(&self, url: &Url, mut attempt_once: F) -> Result<T, HttpError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, HttpError>>,
    {
        let (mut attempt, mut waited_out) = (1, 0);
        loop {
            let error = match attempt_once().await {
                Ok(value) => return Ok(value),
                Err(e) => e,
            };
            let wait = match error.class() {
                ErrorClass::Transient if attempt <= self.settings.retries => {
                    attempt += 1;
                    match &error {
                        HttpError::Status {
                            status: 503,
                            retry_after: Some(w),
                            ..
                        } => (*w).min(self.settings.backoff.max),
                        _ => self.settings.backoff.delay_random(attempt - 1),
                    }
                }
                ErrorClass::RateLimited { wait: Some(w) }
                    if w <= self.settings.max_retry_after
                        && waited_out < self.settings.rate_limit_retries =>
                {
                    waited_out += 1;
                    w
                }
                _ => return Err(error),
            };
            tracing::debug!(%url, attempt, waited_out, error = %error, ?wait, "retrying");
            tokio::time::sleep(wait).await;
        }
    }
}

async fn read_capped(mut response: reqwest::Response, cap: u64) -> Result<Fetched, HttpError> {
    let url = response.url().clone();
    let too_large = || HttpError::TooLarge {
        url: url.to_string(),
        limit: cap,
    };
    let length = response.content_length();
    if length.is_some_and(|n| n > cap) {
        return Err(too_large());
    }
    let status = response.status().as_u16();
    let headers = std::mem::take(response.headers_mut());
    // Gathered in a buffer of the announced length when there is one (no regrowth, no copy of copies), and
    // copied rather than kept as hyper's chunks, which hold on to its larger read buffers.
    let size = usize::try_from(length.unwrap_or(0).min(cap)).unwrap_or(0);
    let mut gathered = BytesMut::with_capacity(size);
    while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(&url, &e))? {
        if gathered.len() as u64 + chunk.len() as u64 > cap {
            return Err(too_large());
        }
        gathered.extend_from_slice(&chunk);
    }
    let body = gathered.freeze();
    Ok(Fetched {
        url,
        status,
        headers,
        body,
    })
}

/// At most this many redirects are followed (docs/stages.md#ssrf-guard).
const MAX_REDIRECTS: usize = 5;

/// Follows at most [`MAX_REDIRECTS`] hops, each checked against the network policy.
fn redirect_policy(policy: NetworkPolicy) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS {
            let hops = attempt.previous().len();
            return attempt.error(format!("more than {MAX_REDIRECTS} redirects ({hops} followed)"));
        }
        match policy.check_url(attempt.url()) {
            Ok(()) => attempt.follow(),
            Err(refusal) => attempt.error(refusal),
        }
    })
}

fn transport_error(url: &Url, e: &reqwest::Error) -> HttpError {
    let url = url.to_string();
    if let Some(refusal) = find_source::<Refusal>(e) {
        return HttpError::Refused {
            url,
            reason: refusal.to_string(),
        };
    }
    if e.is_redirect() {
        return HttpError::Redirect {
            url,
            reason: error_chain(e),
        };
    }
    if e.is_timeout() {
        HttpError::Timeout { url }
    } else if e.is_body() || e.is_decode() {
        HttpError::Body {
            url,
            reason: error_chain(e),
        }
    } else {
        HttpError::Connect {
            url,
            reason: error_chain(e),
        }
    }
}

/// The first error of type `T` in `e`'s source chain.
fn find_source<'a, T: std::error::Error + 'static>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut current = Some(e);
    while let Some(err) = current {
        if let Some(found) = err.downcast_ref::<T>() {
            return Some(found);
        }
        current = err.source();
    }
    None
}

/// What actually failed: reqwest's own message ("error sending request") says little, its innermost
/// sources say what (e.g. "tcp connect error: Connection refused").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut chain = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    let keep = chain.len().min(2);
    chain.split_off(chain.len() - keep).join(": ")
}
