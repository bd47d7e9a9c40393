//! The control API under `/__world/`: lets a test that runs the world as a process (xtask e2e) do over HTTP
//! what in-process tests do through `WorldHandle`. Its requests are neither logged nor faulted.

use std::time::Duration;

use axum::http::Method;
use serde_json::{Value, json};

use crate::faults::{Fault, Target, parse_duration};
use crate::reply::{Incoming, Reply};
use crate::server::{Shared, lock, read};

/// Serves `/__world/{rest}`.
pub fn serve(shared: &Shared, rest: &[String], request: &Incoming) -> Reply {
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    let method = &request.method;
    match (method, rest.as_slice()) {
        (&Method::GET, ["health"]) => Reply::text(200, "ok"),
        (&Method::GET, ["truth"]) => Reply::json(200, &json!(read(&shared.world).truth())),
        (&Method::POST, ["advance-day"]) => Reply::json(200, &json!(crate::server::advance_day(shared))),
        (&Method::POST, ["postings", change @ ("close" | "expire")]) => {
            change_posting(shared, change, request)
        }
        (&Method::GET, ["log"]) => log(shared, request),
        (&Method::DELETE, ["log"]) => {
            *lock(&shared.log) = crate::log::RequestLog::default();
            Reply::text(200, "cleared")
        }
        (&Method::GET, ["stats"]) => stats(shared),
        (&Method::POST, ["faults"]) => add_fault(shared, request),
        (&Method::DELETE, ["faults"]) => {
            lock(&shared.faults).clear();
            Reply::text(200, "cleared")
        }
        (&Method::PUT, ["latency"]) => {
            let delay = match request.param("delay").map(|d| parse_duration(&d)).transpose() {
                Ok(d) => d.unwrap_or(Duration::ZERO),
                Err(e) => return Reply::text(400, &e),
            };
            let mut latency = lock(&shared.latency);
            match request.param("label") {
                Some(label) => {
                    latency.per_label.insert(label, delay);
                }
                None => latency.default = delay,
            }
            Reply::text(200, "set")
        }
        (&Method::GET, ["sheets", tab]) => {
            let id = read(&shared.world).spreadsheet_id.clone();
            let google = lock(&shared.google);
            match google.spreadsheets.get(&id).and_then(|s| s.tab(tab)) {
                Some(t) => Reply::json(200, &json!(t.rows)),
                None => Reply::text(404, "no such tab"),
            }
        }
        (&Method::PUT, ["sheets", tab]) => {
            let Ok(rows) = serde_json::from_slice::<Vec<Vec<String>>>(&request.body) else {
                return Reply::text(400, "body must be a JSON array of arrays of strings");
            };
            let id = read(&shared.world).spreadsheet_id.clone();
            lock(&shared.google).seed_tab(&id, tab, rows);
            Reply::text(200, "seeded")
        }
        (&Method::GET, ["sheet-requests"]) => {
            let id = read(&shared.world).spreadsheet_id.clone();
            let google = lock(&shared.google);
            Reply::json(
                200,
                &json!(
                    google
                        .spreadsheets
                        .get(&id)
                        .map(|s| s.requests.clone())
                        .unwrap_or_default()
                ),
            )
        }
        _ => Reply::text(404, "unknown control route"),
    }
}

/// `POST /__world/postings/close?board=KEY&id=ID` removes a posting; `.../expire?...` sets its
/// `validThrough` to the day before the world's today (careers pages show it; ATS APIs ignore it).
fn change_posting(shared: &Shared, change: &str, request: &Incoming) -> Reply {
    let (Some(board), Some(id)) = (request.param("board"), request.param("id")) else {
        return Reply::text(400, "board= and id= are required");
    };
    let mut world = shared.world_mut();
    let Some(reference) = world
        .boards
        .get(&board.to_ascii_lowercase())
        .map(|b| b.reference.clone())
    else {
        return Reply::text(404, "no such board");
    };
    let changed = if change == "close" {
        world.close_posting(&reference, &id).is_some()
    } else {
        let yesterday = world.now() - chrono::Duration::days(1);
        world.modify_posting(&reference, &id, |p| p.valid_through = Some(yesterday))
    };
    if changed {
        Reply::text(200, change)
    } else {
        Reply::text(404, "no such posting")
    }
}

fn log(shared: &Shared, request: &Incoming) -> Reply {
    let label = request.param("label");
    let log = lock(&shared.log);
    let entries: Vec<Value> = log
        .entries
        .iter()
        .filter(|e| label.as_ref().is_none_or(|l| *l == e.label))
        .map(|e| {
            json!({
                "method": e.method,
                "host": e.host,
                "path": e.path,
                "status": e.status,
                "label": e.label,
                "tenant": e.tenant,
                "fault": e.fault,
                "started_at": e.started_at.to_rfc3339(),
                "duration_ms": e.duration().as_secs_f64() * 1000.0,
            })
        })
        .collect();
    Reply::json(200, &Value::Array(entries))
}

/// `{label: {count, peak_concurrency, min_interval_ms}}`
fn stats(shared: &Shared) -> Reply {
    let log = lock(&shared.log);
    let mut out = serde_json::Map::new();
    for (label, count) in log.counts() {
        let interval = log.min_interval(&label).map(|d| d.as_secs_f64() * 1000.0);
        out.insert(
            label.clone(),
            json!({ "count": count, "peak_concurrency": log.peak_concurrency(&label), "min_interval_ms": interval }),
        );
    }
    Reply::json(200, &Value::Object(out))
}

/// `POST /__world/faults?fault=status:503&count=2&label=lever&tenant=acme` (or `probability=0.1`, `prefix=/x`).
fn add_fault(shared: &Shared, request: &Incoming) -> Reply {
    let fault: Fault = match request.param("fault").map(|f| f.parse()) {
        Some(Ok(fault)) => fault,
        Some(Err(e)) => return Reply::text(400, &e),
        None => return Reply::text(400, "missing fault="),
    };
    let target = match (
        request.param("label"),
        request.param("tenant"),
        request.param("prefix"),
    ) {
        (_, _, Some(prefix)) => Target::PathPrefix(prefix),
        (Some(label), Some(tenant), None) => Target::Tenant { label, tenant },
        (Some(label), None, None) => Target::Label(label),
        (None, _, None) => Target::Any,
    };
    let mut faults = lock(&shared.faults);
    match request.param("probability").map(|p| p.parse::<f64>()) {
        Some(Ok(p)) => faults.random(target, p, fault),
        Some(Err(_)) => return Reply::text(400, "bad probability"),
        None => {
            let count = request.param("count").and_then(|c| c.parse().ok()).unwrap_or(1);
            faults.script(target, count, fault);
        }
    }
    Reply::text(200, "added")
}
