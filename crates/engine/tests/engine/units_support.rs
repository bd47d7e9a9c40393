//! A unit-working stage for the runner's tests: units are keys, outcomes are events in the database (so
//! two engines on one file see each other's work), and each key's behaviour is scripted.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pipeline_db::repo::events::{self, NewEvent};
use pipeline_db::repo::leases::{self, Fenced};
use pipeline_db::{Conn, DbError};
use pipeline_domain::{Classify, Counter, ErrorClass, RunCounters};
use pipeline_engine::{DueQuery, StageRun, UnitFailure, UnitWork};

/// A scripted failure of a unit's work.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Failure(pub ErrorClass);

impl Classify for Failure {
    fn class(&self) -> ErrorClass {
        self.0
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "scripted {}", self.0.as_str())
    }
}

#[derive(Debug, Clone, Default)]
pub struct State {
    pub next_due: Option<DateTime<Utc>>,
    pub failures: u32,
}

type Script = dyn Fn(&str, &StageRun) -> Result<(), Failure> + Send + Sync;

pub struct Keys {
    pub keys: Vec<String>,
    /// Each key's provider (its pause key): `p<n % providers>`.
    pub providers: usize,
    pub work_time: Duration,
    pub script: Box<Script>,
    pub worked: Mutex<HashMap<String, u32>>,
    pub state: Mutex<HashMap<String, State>>,
    pub failures: Mutex<Vec<(String, UnitFailure)>>,
    /// When set, only the first this many keys exist yet (another stage makes them due).
    pub released: Option<Arc<AtomicUsize>>,
    /// A key worked stays due (as a board with a refresh shorter than the run).
    pub due_again: bool,
}

impl Keys {
    pub fn new(n: usize) -> Keys {
        Keys {
            keys: (0..n).map(|i| format!("k{i:04}")).collect(),
            providers: 1,
            work_time: Duration::ZERO,
            script: Box::new(|_, _| Ok(())),
            worked: Mutex::default(),
            state: Mutex::default(),
            failures: Mutex::default(),
            released: None,
            due_again: false,
        }
    }

    pub fn scripted(
        mut self,
        script: impl Fn(&str, &StageRun) -> Result<(), Failure> + Send + Sync + 'static,
    ) -> Self {
        self.script = Box::new(script);
        self
    }

    pub fn times_worked(&self) -> HashMap<String, u32> {
        self.worked.lock().expect("test state lock").clone()
    }

    pub fn state_of(&self, key: &str) -> State {
        self.state
            .lock()
            .expect("test state lock")
            .get(key)
            .cloned()
            .unwrap_or_default()
    }

    fn provider(&self, key: &str) -> String {
        let n: usize = key[1..].parse().expect("keys are k + digits");
        format!("p{}", n % self.providers)
    }
}

/// Keys with a `unit_done` event.
pub fn done_keys(conn: &mut Conn) -> Result<Vec<String>, DbError> {
    Ok(events::recent(conn, Some("unit_done"), 100_000)?
        .into_iter()
        .filter_map(|e| e.subject)
        .collect())
}

#[async_trait]
impl UnitWork for Keys {
    type Unit = String;
    type Output = ();
    type Error = Failure;

    fn kind(&self) -> &'static str {
        "test"
    }

    fn due(&self, conn: &mut Conn, query: &DueQuery<'_>) -> Result<Vec<String>, DbError> {
        let done = done_keys(conn)?;
        let leased = leases::live_keys(conn, query.kind, query.now)?;
        let state = self.state.lock().expect("test state lock");
        let released = self
            .released
            .as_ref()
            .map_or(self.keys.len(), |n| n.load(Ordering::SeqCst));
        Ok(self
            .keys
            .iter()
            .take(released)
            .filter(|k| (self.due_again || !done.contains(k)) && !leased.contains(*k))
            .filter(|k| !query.paused.contains(&self.provider(k)))
            .filter(|k| {
                state
                    .get(*k)
                    .and_then(|s| s.next_due)
                    .is_none_or(|due| due <= query.now)
            })
            .take(query.limit)
            .cloned()
            .collect())
    }

    fn key(&self, unit: &String) -> String {
        unit.clone()
    }

    fn pause_key(&self, unit: &String) -> Option<String> {
        Some(self.provider(unit))
    }

    fn failures(&self, unit: &String) -> u32 {
        self.state_of(unit).failures
    }

    async fn work(&self, unit: &String, run: &StageRun) -> Result<(), Failure> {
        *self
            .worked
            .lock()
            .expect("test state lock")
            .entry(unit.clone())
            .or_default() += 1;
        if !self.work_time.is_zero() {
            tokio::time::sleep(self.work_time).await;
        }
        (self.script)(unit, run)
    }

    fn record_success(
        &self,
        tx: &mut Fenced<'_>,
        unit: &String,
        (): (),
        now: DateTime<Utc>,
    ) -> Result<RunCounters, DbError> {
        let event = NewEvent {
            kind: "unit_done",
            subject: Some(unit),
            ..Default::default()
        };
        events::record(tx.conn(), now, event)?;
        let mut counters = RunCounters::default();
        counters.add(Counter::PostingsSeen, 1);
        Ok(counters)
    }

    fn record_failure(
        &self,
        _tx: &mut Fenced<'_>,
        unit: &String,
        failure: &UnitFailure,
    ) -> Result<(), DbError> {
        let mut state = self.state.lock().expect("test state lock");
        let s = state.entry(unit.clone()).or_default();
        s.next_due = failure.next_due_at;
        s.failures += u32::from(failure.counts_as_attempt);
        self.failures
            .lock()
            .expect("the unit script runs inside a test")
            .push((unit.clone(), failure.clone()));
        Ok(())
    }
}

pub fn shared(keys: Keys) -> Arc<Keys> {
    Arc::new(keys)
}
