//! The `directory` stage: reads every configured source and upserts the companies it lists, recording
//! which source listed each one. A bad row is reported and skipped; a source that cannot be read fails
//! alone (the others run, the cycle needs attention).

mod sources;
mod stage;

pub use sources::sources_from_config;
pub use stage::DirectoryStage;
