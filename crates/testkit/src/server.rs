//! The one HTTP server playing every party: accept loop (TCP_NODELAY, connection resets), routing, faults, log.

use std::convert::Infallible;
use std::os::fd::AsFd;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, Response, header};
use chrono::Utc;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::faults::{Fault, Faults, LOOP_PREFIX, RouteInfo, to_response};
use crate::google::Google;
use crate::log::{LoggedRequest, RequestLog};
use crate::memo::ReplyMemo;
use crate::model::DirectoryKind;
use crate::providers::{self, ApiCall};
use crate::reply::{Incoming, Reply};
use crate::sites;
use crate::world::World;
use crate::{control, directories};

/// Largest request body the world reads.
const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;

/// Per-request delays: a default and overrides per route label.
#[derive(Debug, Clone, Default)]
pub struct Latency {
    pub default: Duration,
    pub per_label: std::collections::BTreeMap<String, Duration>,
}

/// The state every request handler shares.
#[derive(Debug)]
pub struct Shared {
    pub world: RwLock<World>,
    /// The world's time, shared with the pipeline under test (in-process tests give it to the engine).
    pub clock: pipeline_domain::ManualClock,
    pub google: Mutex<Google>,
    pub faults: Mutex<Faults>,
    pub log: Mutex<RequestLog>,
    pub latency: Mutex<Latency>,
    /// The APIs' answers, until the world changes ([`Shared::world_mut`]).
    pub replies: Mutex<ReplyMemo>,
}

impl Shared {
    /// The world, to change: what the APIs answered of it before is forgotten.
    pub fn world_mut(&self) -> std::sync::RwLockWriteGuard<'_, World> {
        let world = write(&self.world);
        lock(&self.replies).clear();
        world
    }
}

/// Locks a mutex, ignoring poisoning (a panicking test must not wedge the world).
/// One day passes in the world and on its clock.
pub fn advance_day(shared: &Shared) -> crate::days::DayReport {
    let mut world = shared.world_mut();
    let report = world.advance_day();
    shared.clock.set(world.now());
    report
}

/// Locks a mutex, ignoring poisoning (a panicking test must not wedge the world).
pub fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

pub fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

/// Accepts connections until `shutdown` is cancelled; over TLS when `tls` is given.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    shutdown: CancellationToken,
    tls: Option<tokio_rustls::TlsAcceptor>,
) {
    loop {
        let stream = tokio::select! {
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
        };
        // Without it keep-alive clients wait ~40 ms per request on Nagle + delayed ACK.
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        let shutdown = shutdown.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            // A second descriptor of the socket, to make its close a reset when a fault asks for one.
            let guard = stream.as_fd().try_clone_to_owned().ok();
            match tls {
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        connection(stream, guard, shared, shutdown).await;
                    }
                }
                None => connection(stream, guard, shared, shutdown).await,
            }
        });
    }
}

/// Serves one connection until it ends, a fault kills it (a reset through `guard`) or the world stops.
async fn connection<S>(
    stream: S,
    guard: Option<std::os::fd::OwnedFd>,
    shared: Arc<Shared>,
    shutdown: CancellationToken,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let kill = Arc::new(Notify::new());
    let service = {
        let kill = kill.clone();
        hyper::service::service_fn(move |request| {
            let (shared, kill) = (shared.clone(), kill.clone());
            async move { Ok::<_, Infallible>(handle(shared, kill, request).await) }
        })
    };
    let connection = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = connection => {}
        () = kill.notified() => {
            if let Some(fd) = &guard {
                let _ = socket2::SockRef::from(fd).set_linger(Some(Duration::ZERO));
            }
        }
        () = shutdown.cancelled() => {}
    }
}

/// The host of the company lists (`http://lists.test:PORT/companies.csv`, `/companies.jsonl`).
pub const LISTS_HOST: &str = "lists.test";

/// The world's companies as a CSV or JSON Lines list; websites carry the port the request came in on.
fn lists(world: &World, request: &Incoming) -> Reply {
    let port = request
        .authority
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse().ok())
        .unwrap_or(80);
    match request.path.as_str() {
        "/companies.csv" => {
            Reply::text(200, &world.companies_csv(port)).with_header("content-type", "text/csv")
        }
        "/companies.jsonl" => {
            let lines: Vec<String> = world
                .companies
                .iter()
                .map(|c| {
                    serde_json::json!({"name": c.name, "website": World::website_url(&c.domain, port)})
                        .to_string()
                })
                .collect();
            Reply::text(200, &(lines.join("\n") + "\n")).with_header("content-type", "application/x-ndjson")
        }
        _ => Reply::not_found(),
    }
}

/// Where a request goes.
enum Destination {
    Site(String),
    Directory(DirectoryKind),
    Api(ApiCall),
    Google(Vec<String>),
    Loop(u64),
    Control(Vec<String>),
    /// `lists.test`: the world's companies as a list hosted by a third party (CSV and JSON Lines), for
    /// directory sources declared by URL.
    Lists,
    Nowhere,
}

fn classify(request: &Incoming) -> (Destination, RouteInfo) {
    let info = |label: &str, tenant: Option<String>| RouteInfo {
        label: label.to_owned(),
        tenant,
        path: request.path.clone(),
    };
    if let Some(rest) = request.path.strip_prefix(LOOP_PREFIX) {
        // /__world/redirect-loop/{label}/{n}, on any host
        let mut parts = rest.split('/');
        let label = parts.next().unwrap_or("unknown").to_owned();
        let n = parts.next().and_then(|n| n.parse().ok()).unwrap_or(1);
        return (Destination::Loop(n), info(&label, None));
    }
    let host = request.host.as_str();
    if host == LISTS_HOST {
        return (Destination::Lists, info("lists", None));
    }
    if host.ends_with(".test") {
        if let Some(kind) = DirectoryKind::from_host(host) {
            return (Destination::Directory(kind), info(kind.key(), None));
        }
        let domain = host.strip_prefix("www.").unwrap_or(host).to_owned();
        return (Destination::Site(domain.clone()), info("site", Some(domain)));
    }
    let segments = request.segments();
    match segments.first().map(String::as_str) {
        Some("__world") => (Destination::Control(segments[1..].to_vec()), info("world", None)),
        Some("google") => {
            let rest = segments[1..].to_vec();
            let (label, tenant) = Google::route(&rest);
            (Destination::Google(rest), info(label, tenant))
        }
        _ => match providers::parse(&segments) {
            Some(call) => {
                let label = call.provider.key();
                let tenant = call.tenant.clone();
                (Destination::Api(call), info(label, tenant))
            }
            None => (Destination::Nowhere, info("unknown", None)),
        },
    }
}

fn answer(shared: &Shared, destination: &Destination, request: &Incoming, label: &str) -> Reply {
    match destination {
        Destination::Site(domain) => {
            let world = read(&shared.world);
            match world.company(domain) {
                Some(company) => sites::serve(&world, company, request),
                None => Reply::not_found(),
            }
        }
        Destination::Directory(kind) => {
            let world = read(&shared.world);
            match world.directory(*kind) {
                Some(directory) => directories::serve(directory, request),
                None => Reply::not_found(),
            }
        }
        Destination::Api(call) => {
            let world = read(&shared.world);
            if let Some(remembered) = lock(&shared.replies).answer(request) {
                return remembered;
            }
            let reply = providers::serve(&world, call, request);
            // Remembered while the world is still read: a change waits, then forgets it.
            lock(&shared.replies).remember(request, &reply);
            reply
        }
        Destination::Google(rest) => lock(&shared.google).serve(rest, request),
        Destination::Loop(n) => {
            Reply::text(302, "").with_header("location", format!("{LOOP_PREFIX}{label}/{}", n + 1))
        }
        Destination::Control(rest) => control::serve(shared, rest, request),
        Destination::Lists => lists(&read(&shared.world), request),
        Destination::Nowhere => Reply::not_found(),
    }
}

async fn handle(
    shared: Arc<Shared>,
    kill: Arc<Notify>,
    request: Request<hyper::body::Incoming>,
) -> Response<Body> {
    let started = Instant::now();
    let started_at = Utc::now();
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(Body::new(body), MAX_REQUEST_BODY)
        .await
        .unwrap_or_default();
    let authority = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let host = strip_port(&authority).to_ascii_lowercase();
    let incoming = Incoming {
        method: parts.method,
        host,
        authority,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts.headers,
        body,
    };
    let (destination, route) = classify(&incoming);
    if let Destination::Control(rest) = &destination {
        return to_response(control::serve(&shared, rest, &incoming));
    }
    let fault = lock(&shared.faults).draw(&route);
    let delay = {
        let latency = lock(&shared.latency);
        latency
            .per_label
            .get(&route.label)
            .copied()
            .unwrap_or(latency.default)
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let log = |status: u16, fault: &Option<Fault>| {
        lock(&shared.log).push(LoggedRequest {
            method: incoming.method.to_string(),
            host: incoming.host.clone(),
            path: incoming.path_and_query(),
            status,
            label: route.label.clone(),
            tenant: route.tenant.clone(),
            fault: fault.as_ref().map(|f| format!("{f:?}")),
            started_at,
            started,
            ended: Instant::now(),
        });
    };
    let response = match &fault {
        Some(Fault::Reset) => {
            log(0, &fault);
            kill.notify_one();
            return std::future::pending().await;
        }
        Some(Fault::Stall(wait)) => {
            tokio::time::sleep(*wait).await;
            to_response(answer(&shared, &destination, &incoming, &route.label))
        }
        Some(f) if f.needs_reply() => f.respond(answer(&shared, &destination, &incoming, &route.label)),
        Some(f @ Fault::Oversized(_)) => f.respond(Reply::text(200, "")),
        Some(f) => to_response(f.standalone().with_loop_label(&route.label)),
        None => to_response(answer(&shared, &destination, &incoming, &route.label)),
    };
    log(response.status().as_u16(), &fault);
    response
}

fn strip_port(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority
            .split(']')
            .next()
            .map(|h| h.trim_start_matches('['))
            .unwrap_or(authority);
    }
    authority.rsplit_once(':').map_or(authority, |(host, _)| host)
}

impl Reply {
    /// Points a redirect-loop start at the loop path of its route label.
    fn with_loop_label(self, label: &str) -> Reply {
        match self.header("location") {
            Some(location) if location == format!("{LOOP_PREFIX}1") => {
                self.with_header("location", format!("{LOOP_PREFIX}{label}/1"))
            }
            _ => self,
        }
    }
}
