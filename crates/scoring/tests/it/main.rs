//! Integration tests of pipeline-scoring: the golden scores of the original fixtures
//! (docs/original-system.md#ref-16) through the public API, and the end-to-end flow from catalog file to
//! company aggregate.

mod flow;
mod golden;
