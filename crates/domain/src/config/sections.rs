//! The small sections of the configuration (docs/interfaces.md#2-configuration): `[http]`, `[runner]`,
//! `[retention]`, `[discovery]`, `[[boards]]`, `[ingestion]`, `[sheets]` and `[feedback]`, each with the
//! contract's defaults.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::ByteSize;
use super::duration_text;

/// `[http]`: the HTTP client shared by every stage.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Time limit of one request, from connecting to the end of the body.
    #[serde(with = "duration_text")]
    pub timeout: Duration,
    /// Time limit of establishing the connection.
    #[serde(with = "duration_text")]
    pub connect_timeout: Duration,
    /// Retries of transient failures per request (429 is handled separately).
    pub retries: u32,
    /// Largest API response body read; discovery pages have their own 2 MB cap.
    pub max_body: ByteSize,
    /// Host → address overrides; a `*.` prefix matches any subdomain. Tests use it to give simulated
    /// companies their own domains on loopback.
    pub resolve: BTreeMap<String, String>,
    /// Extension: a PEM file of CA certificates trusted in addition to the system's (a TLS-inspecting
    /// proxy's CA, a test CA); empty = none. Relative to the config file.
    pub ca_file: String,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            retries: 2,
            max_body: ByteSize(8_000_000),
            resolve: BTreeMap::new(),
            ca_file: String::new(),
        }
    }
}

/// `[runner]`: the cycle loop, locks and the attention threshold.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunnerConfig {
    /// Shortest sleep between two cycles of `forever` (the sleep is drawn between min and max).
    #[serde(with = "duration_text")]
    pub cycle_sleep_min: Duration,
    /// Longest sleep between two cycles of `forever`.
    #[serde(with = "duration_text")]
    pub cycle_sleep_max: Duration,
    /// Locks and leases expire this long after the last heartbeat (heartbeats every ttl/3).
    #[serde(with = "duration_text")]
    pub lock_ttl: Duration,
    /// Share of a stage's units that may fail before the cycle needs attention (exit 3).
    pub alert_failure_ratio: f64,
    /// Extension (so marked in docs/interfaces.md#2-configuration): sleep of `forever` after a cycle that
    /// failed, instead of the usual random sleep, so a broken dependency is retried soon but not in a tight
    /// loop.
    #[serde(with = "duration_text")]
    pub failed_cycle_sleep: Duration,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        RunnerConfig {
            cycle_sleep_min: Duration::from_secs(5 * 60),
            cycle_sleep_max: Duration::from_secs(15 * 60),
            lock_ttl: Duration::from_secs(60),
            alert_failure_ratio: 0.10,
            failed_cycle_sleep: Duration::from_secs(120),
        }
    }
}

/// `[retention]`: pruning of history.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionConfig {
    /// Runs and events older than this are pruned.
    #[serde(with = "duration_text")]
    pub runs: Duration,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        RetentionConfig { runs: days(180) }
    }
}

/// `[discovery]`: finding the boards of company websites.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscoveryConfig {
    /// Turns off the SSRF guard that refuses private, loopback and link-local addresses; tests set true.
    pub allow_private_networks: bool,
    /// Links (careers pages and the like) followed from a company's home page.
    pub max_links_to_follow: u32,
    /// Companies where nothing was found are looked at again after this long.
    #[serde(with = "duration_text")]
    pub recheck_after: Duration,
    /// Companies with a board are looked at again after this long, for moves or a second ATS.
    #[serde(with = "duration_text")]
    pub recheck_boards_after: Duration,
    /// Websites crawled at once.
    pub concurrency: u32,
}

impl Default for DiscoveryConfig {
    fn default() -> Self {
        DiscoveryConfig {
            allow_private_networks: false,
            max_links_to_follow: 5,
            recheck_after: days(30),
            recheck_boards_after: days(90),
            concurrency: 8,
        }
    }
}

/// `[[boards]]`: a board declared by hand, added or confirmed (a suspect board becomes active).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BoardDecl {
    /// The company's domain, e.g. `acme.com`.
    pub company: String,
    /// The board reference, `PROVIDER:TENANT[@VARIANT]` (docs/interfaces.md#7-board-references), e.g.
    /// `greenhouse:acme`.
    pub board: String,
    /// Where the entry is written (`FILE:LINE`), filled in by the loader, for messages about it.
    #[serde(skip)]
    pub at: Option<String>,
}

/// `[ingestion]`: fetching the postings of known boards.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct IngestionConfig {
    /// A board is fetched again when its last fetch is older than this.
    #[serde(with = "duration_text")]
    pub refresh_after: Duration,
    /// A longer Retry-After pauses the provider instead of waiting.
    #[serde(with = "duration_text")]
    pub max_retry_after: Duration,
    /// Consecutive 429 responses from one provider before it is paused.
    pub pause_after_429: u32,
    /// How long a provider stays paused.
    #[serde(with = "duration_text")]
    pub pause_for: Duration,
    /// Cap on per-posting detail calls (SmartRecruiters, Workday) per provider and cycle.
    pub detail_calls_per_cycle: u32,
    /// A SmartRecruiters or Workday board whose details were all read more recently than this makes no
    /// detail call for a posting whose list item is unchanged (docs/stages.md#detail-freshness).
    #[serde(with = "duration_text")]
    pub details_refresh_after: Duration,
    /// Pages read per `jsonld` board (its careers page and the job pages it links); a board with more is
    /// read up to the cap and closes nothing (docs/ats-apis.md#jsonld).
    pub jsonld_max_pages: u32,
}

impl Default for IngestionConfig {
    fn default() -> Self {
        IngestionConfig {
            refresh_after: Duration::from_secs(24 * 3600),
            max_retry_after: Duration::from_secs(10 * 60),
            pause_after_429: 3,
            pause_for: Duration::from_secs(6 * 3600),
            detail_calls_per_cycle: 2000,
            details_refresh_after: Duration::from_secs(20 * 3600),
            jsonld_max_pages: 200,
        }
    }
}

/// `[sheets]`: the Google Sheets export.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SheetsConfig {
    /// The spreadsheet; empty skips the sheets and feedback stages (reported as skipped).
    pub spreadsheet_id: String,
    /// Path to a Google service-account JSON key (its `token_uri` is used); empty = none.
    pub credentials: String,
    /// Token endpoint used with credentials from environment variables.
    pub token_uri: String,
    /// Base URL of the Sheets API.
    pub base_url: String,
    /// The tab holding the company table.
    pub tab: String,
    /// Companies scoring below this are not appended (rows already in the sheet stay updated).
    pub min_score: f64,
}

impl Default for SheetsConfig {
    fn default() -> Self {
        SheetsConfig {
            spreadsheet_id: String::new(),
            credentials: String::new(),
            token_uri: "https://oauth2.googleapis.com/token".to_owned(),
            base_url: "https://sheets.googleapis.com/".to_owned(),
            tab: "Companies".to_owned(),
            min_score: 0.0,
        }
    }
}

/// `[feedback]`: when people's feedback in the sheet is read back.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedbackConfig {
    /// IANA time zone the window is expressed in.
    pub timezone: String,
    /// Local time window `HH:MM-HH:MM` in which the feedback stage runs (may wrap past midnight), or
    /// `always`.
    pub window: String,
}

impl Default for FeedbackConfig {
    fn default() -> Self {
        FeedbackConfig {
            timezone: "Europe/Madrid".to_owned(),
            window: "03:00-06:00".to_owned(),
        }
    }
}

fn days(count: u64) -> Duration {
    Duration::from_secs(count * 86_400)
}

/// A parsed `feedback.window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackWindow {
    /// Any time of day.
    Always,
    /// From `start` (inclusive) to `end` (exclusive), local time; wraps past midnight when `end < start`.
    Between {
        /// The first minute inside the window.
        start: chrono::NaiveTime,
        /// The first minute past it.
        end: chrono::NaiveTime,
    },
}

impl FeedbackWindow {
    /// Whether a local time of day falls inside the window.
    pub fn contains(self, time: chrono::NaiveTime) -> bool {
        match self {
            FeedbackWindow::Always => true,
            FeedbackWindow::Between { start, end } if start <= end => start <= time && time < end,
            FeedbackWindow::Between { start, end } => time >= start || time < end,
        }
    }
}

impl FeedbackConfig {
    /// Whether feedback may be applied at `now`: the window read in `timezone` (DST-aware: the local time of
    /// day is what counts, whatever the offset that day). `Err` names the key that does not parse.
    pub fn is_open_at(&self, now: chrono::DateTime<chrono::Utc>) -> Result<bool, String> {
        let window = self
            .parsed_window()
            .map_err(|e| format!("feedback.window: {e}"))?;
        let zone: chrono_tz::Tz = self
            .timezone
            .trim()
            .parse()
            .map_err(|_| format!("feedback.timezone: `{}` is not a time zone", self.timezone))?;
        Ok(window.contains(now.with_timezone(&zone).time()))
    }

    /// Reads `window`: `always` or `HH:MM-HH:MM` (24-hour clock, start and end different).
    pub fn parsed_window(&self) -> Result<FeedbackWindow, String> {
        let text = self.window.trim();
        if text.eq_ignore_ascii_case("always") {
            return Ok(FeedbackWindow::Always);
        }
        let shape = || format!("`{text}` is not `always` or a window `HH:MM-HH:MM` (e.g. `03:00-06:00`)");
        let (start, end) = text.split_once('-').ok_or_else(shape)?;
        let (start, end) = (
            clock_time(start).ok_or_else(shape)?,
            clock_time(end).ok_or_else(shape)?,
        );
        if start == end {
            return Err(format!(
                "`{text}` is an empty window: start and end are the same time"
            ));
        }
        Ok(FeedbackWindow::Between { start, end })
    }
}

/// `HH:MM`, exactly two digits each.
fn clock_time(text: &str) -> Option<chrono::NaiveTime> {
    let (hours, minutes) = text.trim().split_once(':')?;
    let two_digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hours) || !two_digits(minutes) {
        return None;
    }
    chrono::NaiveTime::from_hms_opt(hours.parse().ok()?, minutes.parse().ok()?, 0)
}
