//! Google Sheets for the pipeline: the sheet's column contract ([`layout`]), the sync and feedback planned
//! as pure functions ([`plan`], [`feedback`]), and the [`SheetsGateway`] that talks to Google — the real
//! `google-sheets4` hub with `yup-oauth2` service-account auth ([`GoogleSheets`]), or a mockall mock in tests.
//! Architecture invariant: no DB, no reqwest (the Google clients bring their own hyper); secrets never
//! printed or logged.

#![warn(missing_docs)]

mod credentials;
pub mod feedback;
mod gateway;
mod google;
pub mod layout;
pub mod plan;
mod provision;
mod tls;

pub use credentials::{KeySource, normalize_private_key};
#[cfg(any(test, feature = "mocks"))]
pub use gateway::MockSheetsGateway;
pub use gateway::{GatewayStats, Provisioning, SheetsError, SheetsGateway};
pub use google::{GoogleSettings, GoogleSheets};
pub use layout::CompanyRow;
pub use plan::{RangeValues, SyncCounts, SyncPlan, plan_sync};
