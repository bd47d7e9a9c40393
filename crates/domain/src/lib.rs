//! Types of the problem: companies, boards, runs and their counters, error classes, the clock and backoff
//! arithmetic. Architecture invariant: no I/O here — no diesel, no reqwest, no tokio.
#![warn(missing_docs)]

pub mod backoff;
pub mod board;
pub mod clock;
pub mod company;
pub mod config;
pub mod error_class;
pub mod posting;
pub mod run;
pub mod text;

pub use backoff::Backoff;
pub use board::{BoardRef, BoardRefError, BoardStatus, PageUrlError, Provider, normalize_page_url, page_url};
pub use clock::{Clock, ManualClock, SystemClock};
pub use company::{CompanyInput, Resolution, normalize_company_name, website_domain};
pub use error_class::{Classify, ErrorClass};
pub use posting::{NormalizedPosting, Salary, SalaryPeriod, Workplace};
pub use run::{Counter, RunCounters, RunStatus, Stage};
