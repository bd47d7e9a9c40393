//! Reading an API answer as JSON: the body parsed strictly as the documented top-level shape whatever its
//! Content-Type, each posting of a list read on its own from its raw text (a posting of the wrong shape
//! is skipped), so that its [`SourceHash`](crate::SourceHash) is taken before anything is parsed.

use pipeline_domain::BoardRef;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use url::Url;

use crate::AtsError;

/// The items of a list answer, each as the raw JSON text the body holds (borrowed from it).
pub(crate) type RawItems<'a> = Vec<&'a RawValue>;

/// Parses the body as the documented top-level shape; anything else is [`AtsError::Parse`].
pub(crate) fn parse<'a, T: serde::Deserialize<'a>>(
    board: &BoardRef,
    url: &Url,
    body: &'a [u8],
) -> Result<T, AtsError> {
    serde_json::from_slice(body).map_err(|e| AtsError::parse(board, url, e))
}

/// Reads one posting of a list from its raw JSON; a posting of the wrong shape is skipped (logged), not
/// fatal for the board.
pub(crate) fn item<T: DeserializeOwned>(board: &BoardRef, raw: &RawValue) -> Option<T> {
    serde_json::from_str(raw.get())
        .map_err(|e| tracing::debug!(%board, error = %e, "posting of unexpected shape skipped"))
        .ok()
}

/// Logs a posting skipped for a missing required field.
pub(crate) fn skipped(board: &BoardRef, field: &str) {
    tracing::debug!(%board, field, "posting without a required field skipped");
}
