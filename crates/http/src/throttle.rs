//! Politeness (docs/stages.md#politeness): per provider a token bucket (`requests_per_second`, burst 1, on
//! the `governor` crate) and a `max_concurrency` semaphore, one [`Throttle`] per provider for the whole
//! process ([`Throttles`]), shared by discovery's validation calls and ingestion — for a provider whose
//! boards are company sites (`jsonld`), one bucket per site; and [`HostGate`], at most one request in
//! flight per company site. With a [`RateLedger`] ([`Throttles::share_rates`]) a provider's rate holds for
//! every process sharing the ledger (`fleet.rs`); per-site rates stay per process.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use pipeline_domain::Provider;
use pipeline_domain::config::Config;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::fleet::{FleetRate, RateLedger, Turn};

/// One provider's limits: requests started at most `requests_per_second` (no burst), at most
/// `max_concurrency` in flight. Every attempt of a request (retries included) passes through it.
#[derive(Debug)]
pub struct Throttle {
    rate: Rate,
    slots: Arc<Semaphore>,
    requests_per_second: f64,
    /// Closed while the provider is paused: a request that gets its turn then is not sent.
    closed: AtomicBool,
    /// The fleet's turns, when the rate is shared with other processes (instead of `rate`'s bucket).
    fleet: OnceLock<FleetRate>,
}

/// A slot held while a request is in flight (its body read included); dropping it frees the slot.
#[derive(Debug)]
pub struct Slot {
    _permit: OwnedSemaphorePermit,
}

impl Throttle {
    /// `requests_per_second` must be positive and finite, `max_concurrency` at least 1 (the configuration is
    /// validated for both; out-of-range values are clamped here rather than panicking).
    pub fn new(requests_per_second: f64, max_concurrency: u32) -> Self {
        let (quota, rps) = quota(requests_per_second);
        Self::with_rate(Rate::Shared(RateLimiter::direct(quota)), rps, max_concurrency)
    }

    /// Like [`new`](Self::new), but the rate holds for each host apart (a provider whose boards are company
    /// sites: each site gets `requests_per_second`); `max_concurrency` still counts every host together.
    pub fn per_host(requests_per_second: f64, max_concurrency: u32) -> Self {
        let (quota, rps) = quota(requests_per_second);
        Self::with_rate(Rate::PerHost(RateLimiter::keyed(quota)), rps, max_concurrency)
    }

    fn with_rate(rate: Rate, requests_per_second: f64, max_concurrency: u32) -> Self {
        Self {
            rate,
            slots: Arc::new(Semaphore::new(max_concurrency.max(1) as usize)),
            requests_per_second,
            closed: AtomicBool::new(false),
            fleet: OnceLock::new(),
        }
    }

    /// Waits for a free slot, then for the next token of the bucket (of `host`'s bucket, for a per-host
    /// throttle); `None` when the throttle is closed by then (the provider was paused while the request
    /// waited its turn).
    pub async fn enter(&self, host: &str) -> Option<Slot> {
        let permit = Arc::clone(&self.slots)
            .acquire_owned()
            .await
            .unwrap_or_else(|_| unreachable!("the semaphore is never closed"));
        match &self.rate {
            Rate::Shared(rate) => match self.fleet.get().map(FleetRate::turn) {
                None => rate.until_ready().await,
                Some(turn) => match turn.await {
                    Turn::At(at) => tokio::time::sleep_until(at.into()).await,
                    Turn::Paused => self.set_closed(true),
                    Turn::Unavailable => rate.until_ready().await,
                },
            },
            Rate::PerHost(rates) => {
                if rates.len() >= REMEMBERED_HOSTS {
                    // Hosts whose bucket is full again are as good as new: forgetting them changes nothing.
                    rates.retain_recent();
                }
                rates.until_key_ready(&host.to_ascii_lowercase()).await;
            }
        }
        (!self.is_closed()).then_some(Slot { _permit: permit })
    }

    /// Closes (the provider is paused) or opens the throttle.
    pub fn set_closed(&self, closed: bool) {
        self.closed.store(closed, Ordering::SeqCst);
    }

    /// Whether the throttle is closed: its provider is paused and no request may be sent.
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// The configured rate (`providers.*.requests_per_second`), for logs and reports.
    pub fn requests_per_second(&self) -> f64 {
        self.requests_per_second
    }
}

/// One bucket for every request, or one per host.
#[derive(Debug)]
enum Rate {
    Shared(DefaultDirectRateLimiter),
    PerHost(DefaultKeyedRateLimiter<String>),
}

/// The quota of `requests_per_second` with a burst of 1, and the rate it stands for (a rate that is not
/// positive and finite is taken as 1 a second).
fn quota(requests_per_second: f64) -> (Quota, f64) {
    let rps = if requests_per_second.is_finite() && requests_per_second > 0.0 {
        requests_per_second
    } else {
        1.0
    };
    let period = Duration::from_secs_f64(1.0 / rps).max(Duration::from_nanos(1));
    let quota = Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::MIN);
    (quota, rps)
}

/// The throttle of every provider, built once per process from `[providers.*]`. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Throttles {
    by_provider: HashMap<Provider, Arc<Throttle>>,
}

impl Throttles {
    /// One throttle per provider from its `[providers.*]` rate and concurrency; every client of that
    /// provider shares it, whichever stage it serves. A provider whose boards are company sites gets its
    /// rate per site ([`Throttle::per_host`]).
    pub fn from_config(config: &Config) -> Self {
        let by_provider = config
            .providers
            .iter()
            .map(|(provider, p)| {
                let throttle = if provider.reads_company_sites() {
                    Throttle::per_host(p.requests_per_second, p.max_concurrency)
                } else {
                    Throttle::new(p.requests_per_second, p.max_concurrency)
                };
                (provider, Arc::new(throttle))
            })
            .collect();
        Self { by_provider }
    }

    /// The throttle of `provider` (`None` in a `Throttles::default()`, which limits nothing).
    pub fn get(&self, provider: Provider) -> Option<Arc<Throttle>> {
        self.by_provider.get(&provider).cloned()
    }

    /// Takes every provider's turns from `ledger` from now on, so that its rate holds for every process
    /// sharing the ledger (per-site rates stay per process); once per process, later calls change nothing.
    pub fn share_rates(&self, ledger: &Arc<dyn RateLedger>) {
        for (provider, throttle) in &self.by_provider {
            if matches!(throttle.rate, Rate::Shared(_)) {
                let fleet = FleetRate::new(ledger.clone(), *provider, throttle.requests_per_second);
                let _ = throttle.fleet.set(fleet);
            }
        }
    }

    /// Closes the throttles of `paused` providers and opens every other (a stage calls it when it starts,
    /// with the pauses live in the DB, and when it pauses a provider).
    pub fn close_only(&self, paused: &[Provider]) {
        for (provider, throttle) in &self.by_provider {
            throttle.set_closed(paused.contains(provider));
        }
    }

    /// Closes `provider`'s throttle: requests waiting for it are not sent.
    pub fn close(&self, provider: Provider) {
        if let Some(throttle) = self.by_provider.get(&provider) {
            throttle.set_closed(true);
        }
    }
}

/// At most one request in flight per host: a company site is never asked two things at once, whichever
/// units of work ask.
#[derive(Debug, Default)]
pub struct HostGate {
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// Hosts remembered before idle ones are forgotten.
const REMEMBERED_HOSTS: usize = 1024;

impl HostGate {
    /// Waits until no other request to `host` is in flight.
    pub async fn enter(&self, host: &str) -> Slot {
        let semaphore = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            if hosts.len() >= REMEMBERED_HOSTS {
                // Idle: nobody holds or waits for it (the map's own reference is the only one).
                hosts.retain(|_, s| Arc::strong_count(s) > 1);
            }
            Arc::clone(
                hosts
                    .entry(host.to_ascii_lowercase())
                    .or_insert_with(|| Arc::new(Semaphore::new(1))),
            )
        };
        let permit = semaphore
            .acquire_owned()
            .await
            .unwrap_or_else(|_| unreachable!("the semaphore is never closed"));
        Slot { _permit: permit }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Instant;

    use super::*;

    /// Runs `n` tasks that each hold `enter`'s slot for 20 ms; returns the most in flight at once.
    async fn most_in_flight<F, Fut>(n: usize, enter: F) -> usize
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Slot> + Send,
    {
        let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let enter = Arc::new(enter);
        let tasks: Vec<_> = (0..n)
            .map(|_| {
                let (now, most, enter) = (now.clone(), most.clone(), enter.clone());
                tokio::spawn(async move {
                    let _slot = enter().await;
                    let current = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(current, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        most.load(Ordering::SeqCst)
    }

    #[tokio::test]
    async fn requests_are_spaced_by_the_rate_with_no_burst() {
        let throttle = Throttle::new(20.0, 8);
        let start = Instant::now();
        for _ in 0..5 {
            assert!(throttle.enter("api.test").await.is_some());
        }
        // The first passes at once, the four others one period (50 ms) apart.
        assert!(
            start.elapsed() >= Duration::from_millis(190),
            "{:?}",
            start.elapsed()
        );
    }

    #[tokio::test]
    async fn a_per_host_rate_spaces_one_sites_requests_but_not_two_sites() {
        let throttle = Throttle::per_host(10.0, 8);
        let start = Instant::now();
        for host in ["a.test", "b.test", "c.test", "A.TEST"] {
            assert!(throttle.enter(host).await.is_some());
        }
        let elapsed = start.elapsed();
        // Three hosts pass at once; the second request to a.test waits one period (100 ms).
        assert!(
            elapsed >= Duration::from_millis(90) && elapsed < Duration::from_millis(190),
            "{elapsed:?}"
        );
        let throttles = Throttles::from_config(&Config::default());
        let jsonld = throttles.get(Provider::JsonLd).unwrap();
        assert!(matches!(jsonld.rate, Rate::PerHost(_)));
        assert!(matches!(
            throttles.get(Provider::Lever).unwrap().rate,
            Rate::Shared(_)
        ));
    }

    #[tokio::test]
    async fn no_more_than_max_concurrency_are_in_flight() {
        let throttle = Arc::new(Throttle::new(10_000.0, 2));
        let most = most_in_flight(8, move || {
            let throttle = throttle.clone();
            async move { throttle.enter("api.test").await.unwrap() }
        })
        .await;
        assert_eq!(most, 2);
    }

    #[tokio::test]
    async fn one_request_per_host_at_a_time_but_hosts_do_not_wait_for_each_other() {
        let gate = Arc::new(HostGate::default());
        let one = gate.clone();
        let same = most_in_flight(4, move || {
            let gate = one.clone();
            async move { gate.enter("Acme.example").await }
        })
        .await;
        assert_eq!(same, 1);
        let counter = Arc::new(AtomicUsize::new(0));
        let many = most_in_flight(4, move || {
            let (gate, i) = (gate.clone(), counter.fetch_add(1, Ordering::SeqCst));
            async move { gate.enter(&format!("site{i}.example")).await }
        })
        .await;
        assert_eq!(many, 4);
    }

    #[test]
    fn every_provider_gets_its_configured_throttle() {
        let mut config = Config::default();
        config.providers.lever.requests_per_second = 7.5;
        let throttles = Throttles::from_config(&config);
        let lever = throttles.get(Provider::Lever).unwrap();
        assert!((lever.requests_per_second() - 7.5).abs() < f64::EPSILON);
        assert!(Provider::ALL.iter().all(|p| throttles.get(*p).is_some()));
        assert!(Throttles::default().get(Provider::Lever).is_none());
    }

    #[tokio::test]
    async fn a_closed_throttle_lets_nothing_through_until_opened() {
        let throttles = Throttles::from_config(&Config::default());
        throttles.close(Provider::Ashby);
        let ashby = throttles.get(Provider::Ashby).unwrap();
        assert!(ashby.enter("api.test").await.is_none());
        assert!(
            throttles
                .get(Provider::Lever)
                .unwrap()
                .enter("api.test")
                .await
                .is_some()
        );
        throttles.close_only(&[Provider::Lever]);
        assert!(ashby.enter("api.test").await.is_some());
        assert!(throttles.get(Provider::Lever).unwrap().is_closed());
    }
}
