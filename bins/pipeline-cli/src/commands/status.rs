//! `status [--json]`: locks, pauses, per-stage state, the last runs with their counters, the sheet rows the
//! last feedback run rejected, suspect boards.

use chrono::Utc;
use pipeline_db::repo::{boards, feedback, locks, pauses, runs, stage_state};
use pipeline_domain::config::Config;
use serde_json::{Value, json};

use crate::exit::{CmdResult, Exit};
use crate::output::{opt_time, print_json, time};
use crate::wiring;

const RUNS_SHOWN: i64 = 30;
const SUSPECTS_SHOWN: i64 = 50;
const REJECTIONS_SHOWN: i64 = 50;

pub async fn run(config: &Config, as_json: bool) -> CmdResult {
    let config = config.clone();
    let value = super::blocking(move || {
        // Read-only: a fresh directory shows an empty status and gets no database file.
        let (locks, pauses, stages, runs, suspects, rejected) = match wiring::open_db_read_only(&config)? {
            None => Default::default(),
            Some(db) => (
                db.read(locks::list)?,
                db.read(|c| pauses::live(c, Utc::now()))?,
                db.read(stage_state::list)?,
                db.read(|c| runs::latest(c, RUNS_SHOWN))?,
                db.read(|c| boards::suspects(c, SUSPECTS_SHOWN))?,
                // A database a migration behind has no rejections table yet: nothing to show.
                db.read(|c| feedback::rejections(c, REJECTIONS_SHOWN))
                    .unwrap_or_default(),
            ),
        };
        Ok(json!({
            "locks": locks.iter().map(|l| json!({"name": l.name, "owner": l.owner, "expires_at": time(l.expires_at)})).collect::<Vec<_>>(),
            "pauses": pauses.iter().map(|p| json!({"provider": p.provider, "paused_until": time(p.paused_until), "reason": p.reason})).collect::<Vec<_>>(),
            "stages": stages.iter().map(|s| json!({
                "stage": s.stage, "status": s.status, "last_success_at": opt_time(s.last_success_at),
                "last_error_at": opt_time(s.last_error_at), "consecutive_failures": s.consecutive_failures,
                "last_error": s.error_message,
            })).collect::<Vec<_>>(),
            "runs": runs.iter().map(|r| json!({
                "id": r.id, "stage": r.stage, "status": r.status.as_str(), "started_at": time(r.started_at),
                "finished_at": opt_time(r.finished_at), "counters": r.counters,
            })).collect::<Vec<_>>(),
            "rejected_feedback": rejected.iter().map(|r| json!({
                "company_id": r.company_id, "row": r.sheet_row, "value": r.value, "reason": r.reason,
            })).collect::<Vec<_>>(),
            "suspect_boards": suspects.iter().map(|(b, domain)| json!({
                "company": domain, "board": b.reference, "reason": b.status_reason,
                "found_on": b.found_on, "evidence_url": b.evidence_url,
            })).collect::<Vec<_>>(),
        }))
    })
    .await?;
    if as_json {
        print_json(&value);
    } else {
        print_text(&value);
    }
    Ok(Exit::Ok)
}

fn print_text(v: &Value) {
    let s = |v: &Value| match v {
        Value::Null => "never".to_owned(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let empty = Vec::new();
    let list = |key: &str| v[key].as_array().unwrap_or(&empty).clone();
    println!("locks:");
    for l in list("locks") {
        println!(
            "  {:<10} held by {} until {}",
            s(&l["name"]),
            s(&l["owner"]),
            s(&l["expires_at"])
        );
    }
    println!("pauses:");
    for p in list("pauses") {
        println!(
            "  {:<16} until {}  {}",
            s(&p["provider"]),
            s(&p["paused_until"]),
            p["reason"].as_str().unwrap_or("")
        );
    }
    println!("stages:");
    for st in list("stages") {
        println!(
            "  {:<10} {:<11} last success {}  failures in a row {}  {}",
            s(&st["stage"]),
            s(&st["status"]),
            s(&st["last_success_at"]),
            st["consecutive_failures"],
            st["last_error"].as_str().unwrap_or("")
        );
    }
    let rejected = list("rejected_feedback");
    if !rejected.is_empty() {
        println!("feedback rows not taken (fix them in the sheet):");
        for r in rejected {
            println!(
                "  row {:<6} {:<24} {}",
                r["row"].to_string(),
                s(&r["value"]),
                s(&r["reason"])
            );
        }
    }
    let suspects = list("suspect_boards");
    if !suspects.is_empty() {
        println!("suspect boards (not ingested until confirmed in [[boards]]):");
        for b in suspects {
            println!(
                "  {:<24} {:<36} {}",
                s(&b["company"]),
                s(&b["board"]),
                s(&b["reason"])
            );
        }
    }
    println!("last runs:");
    for r in list("runs") {
        let counters: Vec<String> = r["counters"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter(|(_, v)| v.as_u64() != Some(0))
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect()
            })
            .unwrap_or_default();
        println!(
            "  #{:<5} {:<10} {:<11} {}  {}",
            r["id"],
            s(&r["stage"]),
            s(&r["status"]),
            s(&r["started_at"]),
            counters.join(" ")
        );
    }
}
