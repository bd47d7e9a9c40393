//! The simulated world: one HTTP server on 127.0.0.1 playing every external party of the pipeline, with fault
//! injection, a request log and a deterministic generator. Nothing in it connects anywhere.
//!
//! **Routing.** Requests whose host (port stripped) ends in `.test` are websites: `catalonia.test`,
//! `madrimasd.test` and `lanzadera.test` are the three directories (real sites' paths and card markup), any other
//! `X.test` (or `www.X.test`) is a company site. Other hosts are routed by path prefix: `/lever`, `/lever-eu`,
//! `/greenhouse`, `/greenhouse-eu`, `/ashby`, `/workable`, `/smartrecruiters`, `/recruitee/{tenant}`,
//! `/personio/{tenant}`, `/personio-com/{tenant}`, `/teamtailor/{tenant}`, `/workday/{tenant}/{pod}`, each
//! followed by the provider's own API path; `/google` (Sheets v4 under `/google/v4/...`, OAuth2 token endpoint
//! `/google/token`); `/__world/...` the control API (see `control.rs`: truth, log, stats, faults, latency,
//! sheets, advance-day). Anything else answers 404.
//!
//! **Labels** name a request's route in the log and in fault targets: the provider key (`lever` for both Lever
//! hosts, ...), `sheets`, `oauth`, `site` (tenant = domain), `catalonia` / `madrimasd` / `lanzadera`, `unknown`.
//!
//! ```no_run
//! use pipeline_testkit::{Fault, Provider, Target, World};
//! let world = World::generate(7, 50).start().expect("the world starts");
//! world.script_fault(Target::provider(Provider::Lever), 2, Fault::Status(503));
//! let files = world.write_files(std::path::Path::new("/tmp/world")).expect("files written");
//! // run the pipeline with files.config, then:
//! assert!(world.log().count("lever") > 0);
//! ```

mod companies;
mod config;
mod control;
mod corpus;
mod days;
mod directories;
mod faults;
mod generator;
pub mod google;
mod handle;
mod log;
mod memo;
mod model;
mod providers;
mod reply;
mod server;
mod sites;
pub mod tls;
mod world;

pub use config::{SERVICE_ACCOUNT_FILE, pipeline_toml, service_account_json};
pub use corpus::{html_to_plain, render_description};
pub use days::{DayReport, Move};
pub use faults::{
    Fault, Faults, PRIVATE_REDIRECT_TARGET, RetryAfter, RouteInfo, Target, parse_duration, parse_size,
};
pub use generator::{ATS_MIX, BROKEN_SHARE, CAREER_PATHS, MIRROR_SHARE, OWN_SHARE};
pub use handle::{WorldFiles, WorldHandle};
pub use log::{LoggedRequest, RequestLog};
pub use model::{
    Board, BoardLink, BoardRef, Company, Decoy, Description, Directory, DirectoryEntry, DirectoryKind,
    Employment, JsonLdKind, JsonLdLayout, JsonLdSite, Lang, LinkForm, LinkPage, Location, Posting, Provider,
    Salary, Site, WebsiteLink, Workplace,
};
pub use providers::PREFIXES;
pub use world::{CompanyTruth, GroundTruth, SPREADSHEET_ID, World};
