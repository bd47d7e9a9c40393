//! Provider pauses during discovery (docs/stages.md#pauses). A company's candidates span several providers,
//! so the unit runner's per-unit pause key does not fit: instead every validation call's outcome is counted
//! here, per provider, for the whole stage. After `ingestion.pause_after_429` rate-limited calls in a row, or
//! one asking to wait longer than `ingestion.max_retry_after`, the provider is paused (written to the DB with
//! the next outcome, a `pause_set` event); a paused provider's candidates are not validated and their company
//! is looked at again when the pause ends. Pauses already in the DB when the stage starts are honoured.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use pipeline_ats::{AtsClient, AtsClients, AtsError};
use pipeline_db::repo::pauses;
use pipeline_db::{Conn, DbError};
use pipeline_discovery::ClientLookup;
use pipeline_domain::Provider;
use pipeline_http::Throttles;

use crate::rate_limits::RateLimitStreaks;

/// When a provider is paused, from `[ingestion]`.
#[derive(Debug, Clone, Copy)]
pub struct PauseRules {
    /// Rate-limited validation calls in a row before the provider is paused.
    pub after: u32,
    /// How long a pause lasts (at least as long as the provider asked to wait).
    pub pause_for: Duration,
    /// A provider asking to wait longer than this is paused at once.
    pub max_wait: Duration,
}

/// A pause decided here and not yet written to the DB.
#[derive(Debug, Clone, PartialEq)]
struct NewPause {
    provider: Provider,
    until: DateTime<Utc>,
    reason: String,
}

#[derive(Debug, Default)]
struct State {
    until: HashMap<Provider, DateTime<Utc>>,
    unwritten: Vec<NewPause>,
}

/// The providers' pause state of one discovery run, shared by its units.
#[derive(Debug)]
pub struct PauseBoard {
    rules: PauseRules,
    streaks: RateLimitStreaks,
    state: Mutex<State>,
    /// Closed for a paused provider, so that calls already waiting their turn are not sent either.
    throttles: Throttles,
}

impl PauseBoard {
    /// A board that pauses a provider by `rules` and closes its throttle in `throttles`.
    pub fn new(rules: PauseRules, throttles: Throttles) -> Self {
        Self {
            streaks: RateLimitStreaks::new(rules.after, rules.max_wait),
            rules,
            state: Mutex::default(),
            throttles,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a run: forgets the last run's streaks and takes the pauses live in the DB.
    pub fn start(&self, live: impl IntoIterator<Item = (Provider, DateTime<Utc>)>) {
        self.streaks.clear();
        let mut state = self.state();
        *state = State::default();
        state.until.extend(live);
        let paused: Vec<Provider> = state.until.keys().copied().collect();
        self.throttles.close_only(&paused);
    }

    /// When `provider`'s pause ends, if it is paused at `now`.
    pub fn paused_until(&self, provider: Provider, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.state()
            .until
            .get(&provider)
            .copied()
            .filter(|until| *until > now)
    }

    /// Counts one validation call's outcome; pauses the provider when it keeps limiting.
    pub fn observe(&self, provider: Provider, error: Option<&AtsError>, now: DateTime<Utc>) {
        let Some((streak, told)) = self.streaks.observe(provider, error) else {
            return;
        };
        let mut state = self.state();
        if state.until.get(&provider).is_some_and(|until| *until > now) {
            return;
        }
        let until =
            now + chrono::Duration::from_std(self.rules.pause_for.max(told)).unwrap_or(chrono::Duration::MAX);
        let reason = if self.streaks.too_long(told) {
            format!("asked to wait {}s during discovery", told.as_secs())
        } else {
            format!("{streak} rate-limited validation calls in a row during discovery")
        };
        tracing::warn!(provider = provider.key(), %until, "{reason}: provider paused");
        state.until.insert(provider, until);
        self.throttles.close(provider);
        state.unwritten.push(NewPause {
            provider,
            until,
            reason,
        });
    }

    /// Writes the pauses decided since the last call (inside the caller's transaction). If the transaction
    /// does not commit they are lost; the provider's next 429s decide again.
    pub fn write_pending(&self, conn: &mut Conn, now: DateTime<Utc>) -> Result<(), DbError> {
        let pending = std::mem::take(&mut self.state().unwritten);
        for pause in pending {
            pauses::set(conn, pause.provider.key(), pause.until, Some(&pause.reason), now)?;
        }
        Ok(())
    }
}

/// The clients as one unit sees them: a paused provider's candidates are not validated, and every call's
/// outcome is counted on the board.
pub struct UnitLookup<'a> {
    pub clients: &'a AtsClients,
    pub board: &'a PauseBoard,
    pub now: DateTime<Utc>,
}

impl ClientLookup for UnitLookup<'_> {
    fn client(&self, provider: Provider) -> Option<Arc<dyn AtsClient>> {
        self.clients.get(provider)
    }

    fn paused(&self, provider: Provider) -> bool {
        self.board.paused_until(provider, self.now).is_some()
    }

    fn observe(&self, provider: Provider, error: Option<&AtsError>) {
        self.board.observe(provider, error, self.now);
    }
}

#[cfg(test)]
mod tests {
    use pipeline_domain::BoardRef;
    use pipeline_http::HttpError;

    use super::*;

    fn rules() -> PauseRules {
        PauseRules {
            after: 3,
            pause_for: Duration::from_secs(6 * 3600),
            max_wait: Duration::from_secs(600),
        }
    }

    fn limited(wait: Option<u64>) -> AtsError {
        let board: BoardRef = "lever:acme".parse().unwrap();
        AtsError::from_http(
            &board,
            HttpError::Status {
                url: "http://x/".into(),
                status: 429,
                retry_after: wait.map(Duration::from_secs),
                snippet: None,
            },
        )
    }

    fn now() -> DateTime<Utc> {
        "2026-12-02T10:00:00Z".parse().unwrap()
    }

    fn board() -> PauseBoard {
        PauseBoard::new(
            rules(),
            Throttles::from_config(&pipeline_domain::config::Config::default()),
        )
    }

    #[test]
    fn three_rate_limited_calls_in_a_row_pause_the_provider_and_an_answer_in_between_resets_the_count() {
        let board = board();
        board.observe(Provider::Lever, Some(&limited(Some(5))), now());
        board.observe(Provider::Lever, Some(&limited(Some(5))), now());
        board.observe(Provider::Lever, None, now());
        board.observe(Provider::Lever, Some(&limited(None)), now());
        board.observe(Provider::Greenhouse, Some(&limited(None)), now());
        board.observe(Provider::Lever, Some(&limited(None)), now());
        assert_eq!(board.paused_until(Provider::Lever, now()), None);
        board.observe(Provider::Lever, Some(&limited(None)), now());
        let until = board.paused_until(Provider::Lever, now()).unwrap();
        assert_eq!(until, now() + chrono::Duration::hours(6));
        assert_eq!(board.paused_until(Provider::Greenhouse, now()), None);
        assert_eq!(board.paused_until(Provider::Lever, until), None, "a pause ends");
        assert_eq!(board.state().unwritten.len(), 1);
        assert!(
            board.throttles.get(Provider::Lever).unwrap().is_closed(),
            "waiting calls are not sent"
        );
        assert!(!board.throttles.get(Provider::Greenhouse).unwrap().is_closed());
    }

    #[test]
    fn a_wait_longer_than_max_retry_after_pauses_at_once_for_at_least_that_long() {
        let board = board();
        board.observe(Provider::Ashby, Some(&limited(Some(9 * 3600))), now());
        let until = board.paused_until(Provider::Ashby, now()).unwrap();
        assert_eq!(until, now() + chrono::Duration::hours(9));
        let pending = &board.state().unwritten;
        assert!(pending[0].reason.contains("asked to wait 32400s"), "{pending:?}");
    }

    #[test]
    fn a_run_starts_from_the_pauses_in_the_db_and_forgets_the_last_runs_streaks() {
        let board = board();
        board.observe(Provider::Lever, Some(&limited(None)), now());
        board.observe(Provider::Lever, Some(&limited(None)), now());
        board.start([(Provider::Workday, now() + chrono::Duration::hours(1))]);
        board.observe(Provider::Lever, Some(&limited(None)), now());
        assert_eq!(board.paused_until(Provider::Lever, now()), None);
        assert!(board.paused_until(Provider::Workday, now()).is_some());
        assert!(
            board.state().unwritten.is_empty(),
            "a pause read from the DB is not written again"
        );
    }
}
