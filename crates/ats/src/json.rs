//! Reading an API answer as JSON: the body parsed strictly as the documented top-level shape whatever its
//! Content-Type, each posting of a list read on its own (a posting of the wrong shape is skipped).

use pipeline_domain::BoardRef;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::AtsError;

/// Parses the body as the documented top-level shape; anything else is [`AtsError::Parse`].
pub(crate) fn parse<T: DeserializeOwned>(board: &BoardRef, url: &Url, body: &[u8]) -> Result<T, AtsError> {
    serde_json::from_slice(body).map_err(|e| AtsError::parse(board, url, e))
}

/// Reads one posting of a list; a posting of the wrong shape is skipped (logged), not fatal for the board.
pub(crate) fn item<T: DeserializeOwned>(board: &BoardRef, value: Value) -> Option<T> {
    serde_json::from_value(value)
        .map_err(|e| tracing::debug!(%board, error = %e, "posting of unexpected shape skipped"))
        .ok()
}

/// Logs a posting skipped for a missing required field.
pub(crate) fn skipped(board: &BoardRef, field: &str) {
    tracing::debug!(%board, field, "posting without a required field skipped");
}
