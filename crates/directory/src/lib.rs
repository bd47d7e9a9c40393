//! `pipeline-directory`: the directory sources, where companies come from: the three built-in Spanish
//! startup directories and the user's own CSV and JSON lists (files or URLs), all streamed row by row into a
//! channel so that a 1 GB list is never held in memory, each line, record and source within its cap
//! ([`ReadCaps`]). Architecture invariant: no DB; HTTP only through pipeline-http; the [`DirectorySource`]
//! trait has a mockall mock (feature `mocks`).
#![warn(missing_docs)]

pub mod builtin;
mod builtin_source;
mod csv_record;
mod csv_source;
mod input;
mod json_array;
mod json_fields;
mod json_source;
mod lines;
mod source;

#[cfg(test)]
mod csv_tests;
#[cfg(test)]
mod json_tests;

pub use builtin_source::{BuiltinSource, ScraperCaps};
pub use csv_source::CsvSource;
pub use input::{Location, ReadCaps};
pub use json_source::JsonSource;
pub use source::{DirectorySource, SourceError, SourceItem};

#[cfg(any(test, feature = "mocks"))]
pub use source::MockDirectorySource;
