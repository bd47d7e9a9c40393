//! One company's discovery as a unit of work: due-ness from the database, the site read and its boards
//! validated, the outcome (boards with evidence, the next check) written under the fence.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pipeline_ats::AtsClients;
use pipeline_db::repo::boards::{self, FoundBoard, Recorded};
use pipeline_db::repo::discovery::{self, Checked, DueCompany};
use pipeline_db::repo::leases::{self, Fenced};
use pipeline_db::{Conn, DbError};
use pipeline_discovery::{Detection, Rejection, SiteFailure, answers_unknown_tenants, check_owner, detect};
use pipeline_domain::config::Config;
use pipeline_domain::{BoardStatus, Counter, ErrorClass, RunCounters};
use pipeline_engine::{DueQuery, StageRun, UnitFailure, UnitWork};
use pipeline_http::HttpClient;
use url::Url;

use super::pausing::{PauseBoard, PauseRules, UnitLookup};
use crate::Services;

/// How soon a company is looked at again when a provider could not confirm one of its candidates.
const RETRY_UNCONFIRMED: Duration = Duration::from_secs(6 * 3600);

/// What discovery needs to check one company.
pub struct DiscoveryWork {
    /// Reads company sites (SSRF guard, 2 MB, 10 s).
    pub pages: HttpClient,
    /// Validates candidates (no detail calls).
    pub clients: AtsClients,
    /// The client `clients` share, for the request counters.
    pub api: HttpClient,
    /// Career links followed per site, one hop (`discovery.max_links`).
    pub max_links: usize,
    /// When a company without a board is read again (`discovery.recheck_after`).
    pub recheck_after: Duration,
    /// When a company with boards is read again (`discovery.recheck_boards_after`).
    pub recheck_boards_after: Duration,
    /// Providers paused by their 429s, for the whole run.
    pub pauses: PauseBoard,
}

impl DiscoveryWork {
    /// From `[discovery]` and `[ingestion]`'s pause rules, on the shared clients. Validation asks whether a
    /// board answers: no posting's details (a budget of 0), but the providers' throttles of `services`.
    pub fn from_config(config: &Config, services: &Services) -> Self {
        Self {
            pages: services.pages.clone(),
            clients: AtsClients::from_config(
                config,
                &services.http,
                &services.pages,
                0,
                &services.throttles,
                &services.clock,
            ),
            api: services.http.clone(),
            max_links: config.discovery.max_links_to_follow as usize,
            recheck_after: config.discovery.recheck_after,
            recheck_boards_after: config.discovery.recheck_boards_after,
            pauses: PauseBoard::new(
                PauseRules {
                    after: config.ingestion.pause_after_429.max(1),
                    pause_for: config.ingestion.pause_for,
                    max_wait: config.ingestion.max_retry_after,
                },
                services.throttles.clone(),
            ),
        }
    }

    /// Requests, 429s and 5xx of both clients so far.
    pub(super) fn requests(&self) -> [(u64, u64, u64); 2] {
        [self.pages.stats().snapshot(), self.api.stats().snapshot()]
    }

    pub(super) fn count_requests(&self, run: &StageRun, before: [(u64, u64, u64); 2]) {
        for (now, then) in self.requests().into_iter().zip(before) {
            crate::http_counters::count_http(run, now, then);
        }
    }

    /// What a detection means for the company, before anything is written: the boards to store, the
    /// counters (all but `boards_found`, which only the DB can tell), the outcome and the next check.
    pub(super) fn assess(&self, unit: &DueCompany, detection: &Detection, now: DateTime<Utc>) -> Assessment {
        let mut counters = RunCounters::default();
        counters.add(Counter::CompaniesChecked, 1);
        counters.add(Counter::Pages, detection.pages_fetched as u64);
        counters.add(Counter::JsonldMalformed, u64::from(detection.jsonld_malformed));
        let duplicates = detection
            .rejected
            .iter()
            .filter(|(_, r)| matches!(r, Rejection::Duplicate(_)))
            .count();
        counters.add_skipped("jsonld_duplicate", duplicates as u64);
        let boards = found_boards(unit, detection);
        for board in &boards {
            match board.status {
                BoardStatus::Active => counters.add(Counter::BoardsActive, 1),
                BoardStatus::Suspect => counters.add(Counter::BoardsSuspect, 1),
                BoardStatus::Invalid | BoardStatus::Gone => counters.add(Counter::BoardsInvalid, 1),
            }
        }
        let kept = boards
            .iter()
            .any(|b| matches!(b.status, BoardStatus::Active | BoardStatus::Suspect));
        let (checked, mut next) = if kept {
            (Checked::Found, after(now, self.recheck_boards_after))
        } else {
            counters.add(Counter::NotFound, 1);
            (Checked::NotFound, after(now, self.recheck_after))
        };
        if detection.has_transient_rejection() {
            // A provider could not answer: its board may be real; look again soon instead of in a month.
            next = next.min(after(now, RETRY_UNCONFIRMED));
        }
        let paused: Vec<_> = detection
            .rejected
            .iter()
            .filter(|(_, r)| *r == Rejection::Paused)
            .filter_map(|(c, _)| self.pauses.paused_until(c.board.provider, now))
            .collect();
        if !paused.is_empty() {
            // Not asked: the company stays due, and is looked at again when the pause ends.
            counters.add(Counter::PausedSkips, 1);
            next = paused.into_iter().fold(next, DateTime::min);
        }
        Assessment {
            boards,
            counters,
            checked,
            next,
        }
    }
}

/// What one company's detection comes to ([`DiscoveryWork::assess`]).
pub(super) struct Assessment {
    pub boards: Vec<FoundBoard>,
    pub counters: RunCounters,
    pub checked: Checked,
    pub next: DateTime<Utc>,
}

fn after(now: DateTime<Utc>, wait: Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX)
}

#[async_trait]
impl UnitWork for DiscoveryWork {
    type Unit = DueCompany;
    type Output = Detection;
    type Error = SiteFailure;

    fn kind(&self) -> &'static str {
        "discovery"
    }

    fn due(&self, conn: &mut Conn, query: &DueQuery<'_>) -> Result<Vec<DueCompany>, DbError> {
        let leased = leases::live_keys(conn, query.kind, query.now)?;
        discovery::due(conn, query.now, query.limit, query.company, &leased)
    }

    fn key(&self, unit: &DueCompany) -> String {
        unit.id.to_string()
    }

    fn failures(&self, unit: &DueCompany) -> u32 {
        unit.failures.unwrap_or(0).max(0) as u32
    }

    async fn work(&self, unit: &DueCompany, run: &StageRun) -> Result<Detection, SiteFailure> {
        let website = Url::parse(&unit.website_url).map_err(|e| SiteFailure::Unreachable {
            class: ErrorClass::Permanent,
            message: format!("stored website `{}` is not a URL: {e}", unit.website_url),
        })?;
        let lookup = UnitLookup {
            clients: &self.clients,
            board: &self.pauses,
            now: run.now(),
        };
        let detection = detect(&website, &self.pages, self.max_links, &lookup).await;
        match &detection.error {
            Some(failure) => Err(failure.clone()),
            None => Ok(detection),
        }
    }

    fn record_success(
        &self,
        tx: &mut Fenced<'_>,
        unit: &DueCompany,
        detection: Detection,
        now: DateTime<Utc>,
    ) -> Result<RunCounters, DbError> {
        self.pauses.write_pending(tx.conn(), now)?;
        let Assessment {
            boards: found,
            mut counters,
            checked,
            next,
        } = self.assess(unit, &detection, now);
        for board in &found {
            if boards::record_found(tx.conn(), unit.id, board, now)? == Recorded::Created {
                counters.add(Counter::BoardsFound, 1);
            }
        }
        discovery::record_checked(tx, unit.id, checked, next, now)?;
        Ok(counters)
    }

    fn record_failure(
        &self,
        tx: &mut Fenced<'_>,
        unit: &DueCompany,
        failure: &UnitFailure,
    ) -> Result<(), DbError> {
        self.pauses.write_pending(tx.conn(), failure.now)?;
        let next = failure.next_due_at.unwrap_or(failure.now);
        let message = pipeline_domain::text::echo(&failure.message);
        discovery::record_failure(
            tx,
            unit.id,
            failure.class.as_str(),
            &message,
            next,
            failure.counts_as_attempt,
            failure.now,
        )
    }
}

/// The boards to store: validated ones (active, or suspect when the API's company name does not match)
/// and candidates the provider says do not exist (invalid evidence).
fn found_boards(unit: &DueCompany, detection: &Detection) -> Vec<FoundBoard> {
    let evidence = |c: &pipeline_discovery::Candidate| {
        (
            c.evidence_url.clone(),
            c.found_on.to_string(),
            c.how.as_str().to_owned(),
        )
    };
    let mut found = Vec::new();
    for b in &detection.boards {
        let (evidence_url, found_on, how) = evidence(&b.candidate);
        let provider = b.candidate.board.provider;
        // Without a company name from the API (Lever, Workday, ...), the tenant is the board's name; a
        // `jsonld` board without a hiring organization is a page of the company's own site: nothing to
        // doubt.
        let tenant = b.candidate.board.tenant.split('/').next().unwrap_or_default();
        let tenant = (!provider.reads_company_sites()).then_some(tenant);
        let named = b.company_name.as_deref().or(tenant);
        let owner = if b.job_count == 0 && b.company_name.is_none() && answers_unknown_tenants(provider) {
            Err(format!(
                "{} answers any tenant with an empty list: an empty board proves nothing (confirm it in [[boards]])",
                provider.key()
            ))
        } else {
            check_owner(named, unit.name.as_deref(), unit.domain.as_deref())
        };
        found.push(FoundBoard {
            board: b.candidate.board.clone(),
            status: if owner.is_ok() {
                BoardStatus::Active
            } else {
                BoardStatus::Suspect
            },
            status_reason: owner.err(),
            evidence_url,
            found_on,
            how,
            job_count: Some(i32::try_from(b.job_count).unwrap_or(i32::MAX)),
            provider_company_name: b.company_name.clone(),
        });
    }
    for (candidate, rejection) in &detection.rejected {
        if let Rejection::Gone(reason) = rejection {
            let (evidence_url, found_on, how) = evidence(candidate);
            found.push(FoundBoard {
                board: candidate.board.clone(),
                status: BoardStatus::Invalid,
                status_reason: Some(pipeline_domain::text::echo(reason).into_owned()),
                evidence_url,
                found_on,
                how,
                job_count: None,
                provider_company_name: None,
            });
        }
    }
    found
}
