//! Capped exponential backoff with jitter, shared by the HTTP core (request retries) and the engine
//! (unit rescheduling).

use std::time::Duration;

use crate::ErrorClass;

/// `base × 2^(attempt−1)`, capped at `max`, then multiplied by a jitter factor in `[1 − jitter, 1]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The delay before the first retry (before jitter).
    pub base: Duration,
    /// The longest delay, however many attempts failed.
    pub max: Duration,
    /// Fraction of the delay that is randomised away (0 = none, 0.5 = delay × U[0.5, 1)).
    pub jitter: f64,
}

impl Backoff {
    /// HTTP request retries (docs/original-system.md#ref-11-7: 1 s base, 30 s cap, U[0.5, 1)).
    pub const HTTP: Backoff = Backoff {
        base: Duration::from_secs(1),
        max: Duration::from_secs(30),
        jitter: 0.5,
    };

    /// Unit rescheduling after a transient failure: 5 min doubling up to a day.
    pub const UNIT_TRANSIENT: Backoff = Backoff {
        base: Duration::from_secs(300),
        max: Duration::from_secs(86_400),
        jitter: 0.25,
    };

    /// Unit rescheduling after a permanent failure: a day doubling up to 30 days.
    pub const UNIT_PERMANENT: Backoff = Backoff {
        base: Duration::from_secs(86_400),
        max: Duration::from_secs(30 * 86_400),
        jitter: 0.1,
    };

    /// The delay before attempt `attempt + 1` (attempt counts from 1). `unit` is a uniform sample in [0, 1).
    pub fn delay(&self, attempt: u32, unit: f64) -> Duration {
        let exp = attempt.saturating_sub(1).min(31);
        let raw = self.base.saturating_mul(1u32 << exp).min(self.max);
        let factor = 1.0 - self.jitter * unit.clamp(0.0, 1.0);
        raw.mul_f64(factor.max(0.0))
    }

    /// Like [`Backoff::delay`] with a fresh random sample.
    pub fn delay_random(&self, attempt: u32) -> Duration {
        self.delay(attempt, rand::random::<f64>())
    }

    /// When a failed unit is due again, by class. `None` means "never by itself" (fatal).
    pub fn for_unit(class: ErrorClass, attempt: u32, unit: f64) -> Option<Duration> {
        match class {
            ErrorClass::Transient => Some(Self::UNIT_TRANSIENT.delay(attempt, unit)),
            ErrorClass::RateLimited { wait } => {
                Some(wait.unwrap_or_else(|| Self::UNIT_TRANSIENT.delay(1, unit)))
            }
            ErrorClass::Permanent => Some(Self::UNIT_PERMANENT.delay(attempt, unit)),
            ErrorClass::Fatal => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_doubles_and_caps() {
        let b = Backoff {
            base: Duration::from_secs(1),
            max: Duration::from_secs(10),
            jitter: 0.0,
        };
        let got: Vec<u64> = (1..=6).map(|a| b.delay(a, 0.7).as_secs()).collect();
        assert_eq!(got, vec![1, 2, 4, 8, 10, 10]);
    }

    #[test]
    fn jitter_stays_within_bounds() {
        let b = Backoff::HTTP;
        assert_eq!(b.delay(2, 0.0), Duration::from_secs(2));
        assert_eq!(b.delay(2, 1.0), Duration::from_secs(1));
        assert_eq!(b.delay(40, 0.0), Duration::from_secs(30));
    }

    #[test]
    fn rate_limited_units_wait_as_told_and_fatal_never_retries() {
        let wait = Some(Duration::from_secs(42));
        assert_eq!(Backoff::for_unit(ErrorClass::RateLimited { wait }, 5, 0.3), wait);
        assert_eq!(Backoff::for_unit(ErrorClass::Fatal, 1, 0.3), None);
        let p = Backoff::for_unit(ErrorClass::Permanent, 1, 0.0);
        assert_eq!(p, Some(Duration::from_secs(86_400)));
    }
}
