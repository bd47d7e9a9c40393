//! The pipeline's stages as engine tasks, composing providers, scoring and the database.
//! Architecture invariant: no argument parsing, no printing — stages report through counters, events,
//! tracing and the engine's run rows.

pub mod directory;

pub use directory::DirectoryStage;
