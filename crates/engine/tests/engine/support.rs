//! What the engine's tests share: a fresh database, a clock that stands still, an engine with one task.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pipeline_db::Db;
use pipeline_db::testing::TestDb;
use pipeline_domain::ManualClock;
use pipeline_engine::{Engine, EngineSettings, Outcome, SharedMode, StageRun, Task, TaskError};

pub fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T03:00:00Z")
        .expect("a valid timestamp")
        .to_utc()
}

pub fn setup() -> (TestDb, Db, ManualClock) {
    let test = TestDb::new();
    let db = test.db().clone();
    (test, db, ManualClock::new(start()))
}

pub fn settings() -> EngineSettings {
    EngineSettings {
        lock_ttl: Duration::from_secs(60),
        retention: Duration::from_secs(180 * 86_400),
        alert_failure_ratio: 0.1,
    }
}

pub fn engine(db: &Db, clock: &ManualClock, owner: &str, task: Arc<dyn Task>) -> Engine {
    let mut e = Engine::new(db.clone(), Arc::new(clock.clone()), owner, settings());
    e.register(task);
    e
}

/// A stage whose body is a closure over its run.
struct FnTask<F>(F, SharedMode);

#[async_trait]
impl<F> Task for FnTask<F>
where
    F: Fn(StageRun) -> BoxFuture<Result<Outcome, TaskError>> + Send + Sync,
{
    fn key(&self) -> &'static str {
        "directory"
    }
    fn shared_mode(&self) -> SharedMode {
        self.1
    }
    async fn run(&self, run: &StageRun) -> Result<Outcome, TaskError> {
        (self.0)(run.clone()).await
    }
}

type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>;

/// A stage running `f`, in the given shared mode.
fn task_in<F, Fut>(mode: SharedMode, f: F) -> Arc<dyn Task>
where
    F: Fn(StageRun) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Outcome, TaskError>> + Send + 'static,
{
    Arc::new(FnTask(move |run| Box::pin(f(run)) as BoxFuture<_>, mode))
}

/// A singleton stage running `f`.
pub fn task<F, Fut>(f: F) -> Arc<dyn Task>
where
    F: Fn(StageRun) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Outcome, TaskError>> + Send + 'static,
{
    task_in(SharedMode::Singleton, f)
}

/// A leased stage running `f` (every `--shared` worker runs it).
pub fn leased_task<F, Fut>(f: F) -> Arc<dyn Task>
where
    F: Fn(StageRun) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Outcome, TaskError>> + Send + 'static,
{
    task_in(SharedMode::Leased, f)
}
