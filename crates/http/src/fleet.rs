//! A provider's rate held for the whole fleet (docs/ARCHITECTURE.md#politeness-across-workers): every
//! process that calls a provider takes its turns from one ledger (the database), a short window at a time.
//! A window is a run of `turns` consecutive turns, `spacing` (1 ÷ `requests_per_second`) apart; the ledger
//! hands windows out one after another and never two that overlap, so the processes together send at most
//! `requests_per_second` with no burst, whichever process sends. A turn that passes unused is lost (never
//! saved up into a burst); a process that stops wastes at most the rest of its window.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use futures::future::BoxFuture;
use pipeline_domain::Provider;
use tokio::sync::Mutex;

/// Where the turns of every provider are handed out, shared by every process of the fleet.
pub trait RateLedger: Send + Sync + fmt::Debug {
    /// Reserves the next window of `span` of `provider`'s time: the ledger's window for the provider starts
    /// at the later of its last window's end and now, and the next reservation starts where this one ends.
    fn reserve(&self, provider: Provider, span: Duration) -> BoxFuture<'_, Result<Grant, String>>;
}

/// What the ledger granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// The window starts at this instant of the system clock (the processes of a fleet share one clock, as
    /// leases already require).
    Window(SystemTime),
    /// The provider is paused (by any process): nothing may be sent to it.
    Paused,
}

/// How long a window lasts (at least one turn): short enough that the processes interleave and little is
/// lost when one stops, long enough that any rate costs at most a few ledger writes a second per process.
const WINDOW: Duration = Duration::from_millis(250);

/// One provider's turns taken from a [`RateLedger`]: the current window and the next unused turn in it.
#[derive(Debug)]
pub(crate) struct FleetRate {
    ledger: Arc<dyn RateLedger>,
    provider: Provider,
    spacing: Duration,
    turns: u32,
    window: Mutex<Window>,
}

/// The `turns` turns from `start`, `spacing` apart; `next` is the first not taken yet.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    next: u32,
}

/// What [`FleetRate::turn`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Turn {
    /// The request may go at this instant.
    At(Instant),
    /// The provider is paused fleet-wide.
    Paused,
    /// The ledger could not be asked; the caller falls back to its own bucket.
    Unavailable,
}

impl FleetRate {
    pub(crate) fn new(ledger: Arc<dyn RateLedger>, provider: Provider, requests_per_second: f64) -> Self {
        let spacing = Duration::from_secs_f64(1.0 / requests_per_second).max(Duration::from_nanos(1));
        let turns = (WINDOW.as_secs_f64() / spacing.as_secs_f64())
            .round()
            .clamp(1.0, f64::from(u32::MAX));
        Self {
            ledger,
            provider,
            spacing,
            turns: turns as u32,
            window: Mutex::new(Window {
                start: Instant::now(),
                next: u32::MAX,
            }),
        }
    }

    /// The instant of this process's next turn: the first turn of the current window that has not passed
    /// (turns that passed unused are dropped), else the first of a new window from the ledger.
    pub(crate) async fn turn(&self) -> Turn {
        let mut window = self.window.lock().await;
        if let Some(at) = self.take(&mut window, Instant::now()) {
            return Turn::At(at);
        }
        let span = self.spacing * self.turns;
        match self.ledger.reserve(self.provider, span).await {
            Ok(Grant::Window(start)) => {
                let now = Instant::now();
                let ahead = start.duration_since(SystemTime::now()).unwrap_or_default();
                *window = Window {
                    start: now + ahead,
                    next: 0,
                };
                Turn::At(self.take(&mut window, now).unwrap_or(now + ahead))
            }
            Ok(Grant::Paused) => Turn::Paused,
            Err(error) => {
                tracing::warn!(provider = %self.provider, %error, "the fleet's rate ledger is unavailable: this process keeps to its own rate");
                Turn::Unavailable
            }
        }
    }

    /// Takes the first turn of `window` at or after `now` (the turn whose slot `now` falls in counts).
    fn take(&self, window: &mut Window, now: Instant) -> Option<Instant> {
        let elapsed = now.saturating_duration_since(window.start);
        let current = (elapsed.as_nanos() / self.spacing.as_nanos().max(1)).min(u128::from(u32::MAX)) as u32;
        let turn = window.next.max(current);
        if turn >= self.turns {
            return None;
        }
        window.next = turn + 1;
        Some(window.start + self.spacing * turn)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex as StdMutex;

    use super::*;

    /// An in-memory ledger: windows one after another from the later of the last end and now.
    #[derive(Debug, Default)]
    struct Book {
        free_at: StdMutex<Option<SystemTime>>,
        calls: StdMutex<u32>,
        paused: bool,
    }

    impl RateLedger for Book {
        fn reserve(&self, _: Provider, span: Duration) -> BoxFuture<'_, Result<Grant, String>> {
            Box::pin(async move {
                *self.calls.lock().unwrap() += 1;
                if self.paused {
                    return Ok(Grant::Paused);
                }
                let mut free_at = self.free_at.lock().unwrap();
                let start = free_at.map_or(SystemTime::now(), |f| f.max(SystemTime::now()));
                *free_at = Some(start + span);
                Ok(Grant::Window(start))
            })
        }
    }

    async fn turns(rate: &FleetRate, n: usize) -> Vec<Instant> {
        let mut at = Vec::new();
        for _ in 0..n {
            match rate.turn().await {
                Turn::At(instant) => {
                    tokio::time::sleep_until(instant.into()).await;
                    at.push(instant);
                }
                other => panic!("{other:?}"),
            }
        }
        at
    }

    #[tokio::test]
    async fn two_processes_on_one_ledger_share_the_rate_with_no_overlap() {
        let book: Arc<dyn RateLedger> = Arc::new(Book::default());
        let one = FleetRate::new(book.clone(), Provider::Lever, 40.0);
        let two = FleetRate::new(book.clone(), Provider::Lever, 40.0);
        assert_eq!(one.turns, 10);
        let (a, b) = tokio::join!(turns(&one, 12), turns(&two, 12));
        let mut all: Vec<Instant> = a.into_iter().chain(b).collect();
        all.sort();
        // 24 turns of a 25 ms rate between them: no two closer than the spacing (a 1 ms tolerance).
        for pair in all.windows(2) {
            let gap = pair[1] - pair[0];
            assert!(gap >= Duration::from_millis(24), "{gap:?}");
        }
    }

    #[tokio::test]
    async fn turns_that_pass_unused_are_dropped_not_saved_into_a_burst() {
        let book = Arc::new(Book::default());
        let rate = FleetRate::new(book.clone(), Provider::Lever, 40.0);
        let first = turns(&rate, 1).await[0];
        tokio::time::sleep(Duration::from_millis(110)).await;
        let later = turns(&rate, 3).await;
        // The turns of the first 110 ms are gone: the next ones are still 25 ms apart.
        assert!(later[0] >= first + Duration::from_millis(100));
        assert!(later[1] - later[0] >= Duration::from_millis(24));
        assert!(later[2] - later[1] >= Duration::from_millis(24));
        assert_eq!(*book.calls.lock().unwrap(), 1, "one window holds all four");
    }

    #[tokio::test]
    async fn a_pause_in_the_ledger_is_a_pause_here() {
        let book = Arc::new(Book {
            paused: true,
            ..Book::default()
        });
        let rate = FleetRate::new(book, Provider::Ashby, 2.0);
        assert_eq!(rate.turns, 1, "a slow rate asks the ledger for each turn");
        assert_eq!(rate.turn().await, Turn::Paused);
    }
}
