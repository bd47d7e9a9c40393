//! When a failed unit is due again: capped exponential backoff with jitter, chosen by the failure's class.

use std::time::Duration;

use chrono::{DateTime, Utc};
use pipeline_domain::{Backoff, ErrorClass};

/// When a failed unit is due again. Transient failures back off from minutes to a day, permanent ones
/// from a day to a month, a rate limit waits as told; fatal errors never reschedule by themselves.
/// `unit` is a uniform sample in [0, 1) for the jitter.
pub fn next_due_after_failure(
    class: ErrorClass,
    attempt: u32,
    now: DateTime<Utc>,
    unit: f64,
) -> Option<DateTime<Utc>> {
    let delay: Duration = Backoff::for_unit(class, attempt, unit)?;
    Some(now + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-25T03:00:00Z")
            .map(|t| t.to_utc())
            .unwrap_or_default()
    }

    #[test]
    fn transient_failures_back_off_exponentially_up_to_a_day() {
        let due =
            |attempt| next_due_after_failure(ErrorClass::Transient, attempt, t0(), 0.0).map(|d| d - t0());
        assert_eq!(due(1), Some(chrono::Duration::minutes(5)));
        assert_eq!(due(2), Some(chrono::Duration::minutes(10)));
        assert_eq!(due(30), Some(chrono::Duration::days(1)));
    }

    #[test]
    fn jitter_only_shortens_and_classes_differ() {
        let plain = next_due_after_failure(ErrorClass::Permanent, 1, t0(), 0.0);
        let jittered = next_due_after_failure(ErrorClass::Permanent, 1, t0(), 0.99);
        assert!(jittered < plain && jittered > Some(t0() + chrono::Duration::hours(21)));
        let told = ErrorClass::RateLimited {
            wait: Some(Duration::from_secs(90)),
        };
        assert_eq!(
            next_due_after_failure(told, 9, t0(), 0.5),
            Some(t0() + chrono::Duration::seconds(90))
        );
        assert_eq!(next_due_after_failure(ErrorClass::Fatal, 1, t0(), 0.5), None);
    }
}
