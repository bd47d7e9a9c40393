//! Directory sources: where companies come from. The three built-in Spanish startup directories and the
//! user's own CSV and JSON lists (files or URLs), all streamed row by row into a channel so that a
//! 1 GB list is never held in memory.

pub mod builtin;
mod csv_source;
mod input;
mod json_source;
mod scraper;
mod source;

pub use csv_source::CsvSource;
pub use input::Location;
pub use json_source::JsonSource;
pub use scraper::{BuiltinSource, ScraperCaps};
pub use source::{DirectorySource, SourceError, SourceItem};

#[cfg(any(test, feature = "mocks"))]
pub use source::MockDirectorySource;
