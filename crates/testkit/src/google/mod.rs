//! Google: Sheets API v4 over in-memory spreadsheets, and the OAuth2 token endpoint (under `/google`).

pub mod oauth;
pub mod sheets;

use std::collections::{BTreeMap, BTreeSet};

use axum::http::Method;
use serde_json::{Value, json};

use crate::reply::{Incoming, Reply};
pub use sheets::{A1, Spreadsheet, Tab};

/// A bearer token always accepted, for tests that skip the token exchange.
pub const STATIC_TOKEN: &str = "ya29.world-static-test-token";

/// Google's state in the world.
#[derive(Debug, Clone)]
pub struct Google {
    pub spreadsheets: BTreeMap<String, Spreadsheet>,
    /// Tokens issued by the token endpoint.
    pub tokens: BTreeSet<String>,
    /// Whether the token endpoint checks the assertion's RS256 signature against the test key.
    pub verify_signature: bool,
    /// Claims of every accepted assertion, in order.
    pub grants: Vec<Value>,
}

impl Google {
    pub fn new(spreadsheet_id: &str) -> Google {
        let mut spreadsheets = BTreeMap::new();
        spreadsheets.insert(spreadsheet_id.to_owned(), Spreadsheet::new(spreadsheet_id));
        Google {
            spreadsheets,
            tokens: BTreeSet::new(),
            verify_signature: true,
            grants: Vec::new(),
        }
    }

    /// Which label and tenant a request under `/google` gets in the log and for faults.
    /// Replaces the cells of `tab` in spreadsheet `id`, creating the spreadsheet and the tab when missing.
    pub fn seed_tab(&mut self, id: &str, tab: &str, rows: Vec<Vec<String>>) {
        let sheet = self
            .spreadsheets
            .entry(id.to_owned())
            .or_insert_with(|| Spreadsheet::new(id));
        if sheet.tab(tab).is_none() {
            sheet.add_tab(tab);
        }
        if let Some(t) = sheet.tab_mut(tab) {
            t.row_count = t.row_count.max(rows.len());
            t.rows = rows;
        }
    }

    pub fn route(rest: &[String]) -> (&'static str, Option<String>) {
        match rest {
            [token] if token == "token" => ("oauth", None),
            [v4, s, id, ..] if v4 == "v4" && s == "spreadsheets" => (
                "sheets",
                Some(id.split(':').next().unwrap_or_default().to_owned()),
            ),
            _ => ("sheets", None),
        }
    }

    /// Serves `rest` (the path after `/google`).
    pub fn serve(&mut self, rest: &[String], request: &Incoming) -> Reply {
        let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
        if rest.as_slice() == ["token"] {
            return self.token(request);
        }
        let ["v4", "spreadsheets", id_op, tail @ ..] = rest.as_slice() else {
            return error(404, "Requested entity was not found.", "NOT_FOUND");
        };
        if !self.authorized(request) {
            return error(
                401,
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
                "UNAUTHENTICATED",
            );
        }
        let (id, op) = match id_op.split_once(':') {
            Some((id, op)) => (id, Some(op)),
            None => (*id_op, None),
        };
        let Some(sheet) = self.spreadsheets.get_mut(id) else {
            return error(404, "Requested entity was not found.", "NOT_FOUND");
        };
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let result = match (&request.method, op, tail) {
            (&Method::GET, None, []) => Ok(sheet.metadata()),
            (&Method::POST, Some("batchUpdate"), []) => {
                let requests = body
                    .get("requests")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                Ok(sheet.batch_update(&requests))
            }
            (&Method::GET, None, [values, range]) if *values == "values" => sheet.get(range),
            (&Method::GET, None, ["values:batchGet"]) => {
                let ranges = request.params("ranges");
                ranges
                    .iter()
                    .map(|r| sheet.get(r))
                    .collect::<Result<Vec<_>, _>>()
                    .map(|v| json!({ "spreadsheetId": id, "valueRanges": v }))
            }
            (&Method::PUT, None, [values, range]) if *values == "values" => {
                sheet.update(range, &rows(&body)).map(|mut v| {
                    v["spreadsheetId"] = json!(id);
                    v
                })
            }
            (&Method::POST, None, ["values:batchUpdate"]) => {
                let data = body
                    .get("data")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                batch_update_values(sheet, &data)
            }
            (&Method::POST, None, [values, range_op]) if *values == "values" => {
                match range_op.rsplit_once(':') {
                    Some((range, "append")) => sheet.append(range, &rows(&body)),
                    Some((range, "clear")) => sheet.clear(range),
                    _ => Err((404, "Requested entity was not found.".to_owned())),
                }
            }
            _ => Err((404, "Requested entity was not found.".to_owned())),
        };
        match result {
            Ok(value) => Reply::json(200, &value),
            Err((status, message)) => {
                let kind = if status == 400 {
                    "INVALID_ARGUMENT"
                } else {
                    "NOT_FOUND"
                };
                error(status, &message, kind)
            }
        }
    }

    fn authorized(&self, request: &Incoming) -> bool {
        let Some(token) = request
            .header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
        else {
            return false;
        };
        token == STATIC_TOKEN || self.tokens.contains(token.trim())
    }

    fn token(&mut self, request: &Incoming) -> Reply {
        if request.method != Method::POST {
            return Reply::json(
                405,
                &json!({ "error": "invalid_request", "error_description": "POST only" }),
            );
        }
        match oauth::check_grant(&request.body, self.verify_signature) {
            Ok(claims) => {
                let token = format!("ya29.world-{:06}", self.tokens.len() + 1);
                self.tokens.insert(token.clone());
                self.grants.push(claims);
                Reply::json(
                    200,
                    &json!({ "access_token": token, "token_type": "Bearer", "expires_in": 3600 }),
                )
            }
            Err(body) => Reply::json(400, &body),
        }
    }
}

fn batch_update_values(sheet: &mut Spreadsheet, data: &[Value]) -> Result<Value, sheets::SheetError> {
    let mut responses = Vec::new();
    let (mut rows_total, mut cells_total, mut cols_max) = (0u64, 0u64, 0u64);
    for range in data {
        let name = range.get("range").and_then(Value::as_str).unwrap_or_default();
        let response = sheet.update(name, &rows(range))?;
        rows_total += response["updatedRows"].as_u64().unwrap_or(0);
        cells_total += response["updatedCells"].as_u64().unwrap_or(0);
        cols_max = cols_max.max(response["updatedColumns"].as_u64().unwrap_or(0));
        responses.push(response);
    }
    Ok(json!({
        "spreadsheetId": sheet.id,
        "totalUpdatedRows": rows_total,
        "totalUpdatedColumns": cols_max,
        "totalUpdatedCells": cells_total,
        "totalUpdatedSheets": u64::from(!responses.is_empty()),
        "responses": responses,
    }))
}

/// The `values` of a ValueRange as rows (COLUMNS major dimension transposed).
fn rows(value_range: &Value) -> Vec<Vec<Value>> {
    let values: Vec<Vec<Value>> = value_range
        .get("values")
        .and_then(Value::as_array)
        .map(|rows| {
            rows.iter()
                .map(|r| r.as_array().cloned().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default();
    if value_range.get("majorDimension").and_then(Value::as_str) != Some("COLUMNS") {
        return values;
    }
    let height = values.iter().map(Vec::len).max().unwrap_or(0);
    (0..height)
        .map(|r| {
            values
                .iter()
                .map(|col| col.get(r).cloned().unwrap_or(Value::Null))
                .collect()
        })
        .collect()
}

fn error(code: u16, message: &str, status: &str) -> Reply {
    Reply::json(
        code,
        &json!({ "error": { "code": code, "message": message, "status": status } }),
    )
}
