//! In-memory spreadsheets: tabs of cell grids and the values operations of Sheets API v4 (A1 ranges in `a1.rs`).

use serde::Serialize;
use serde_json::{Value, json};

mod a1;

use a1::quote;
pub use a1::{A1, a1_text, column_name};

/// Default grid size of a new tab, as in Google Sheets.
const DEFAULT_ROWS: usize = 1000;
const DEFAULT_COLUMNS: usize = 26;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spreadsheet {
    pub id: String,
    pub title: String,
    pub tabs: Vec<Tab>,
    /// Every `spreadsheets.batchUpdate` request received (setDataValidation, copyPaste, ...), in order.
    pub requests: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tab {
    pub sheet_id: i64,
    pub title: String,
    /// Cells by row, then column; rows may be shorter than the grid.
    pub rows: Vec<Vec<String>>,
    pub row_count: usize,
    pub column_count: usize,
}

/// A Sheets API error: (HTTP status, message).
pub type SheetError = (u16, String);

impl Spreadsheet {
    pub fn new(id: &str) -> Spreadsheet {
        let mut sheet = Spreadsheet {
            id: id.to_owned(),
            title: "Pipeline".to_owned(),
            tabs: Vec::new(),
            requests: Vec::new(),
        };
        sheet.add_tab("Companies");
        sheet
    }

    pub fn add_tab(&mut self, title: &str) -> &mut Tab {
        let sheet_id = if self.tabs.is_empty() {
            0
        } else {
            1_000_000 + self.tabs.len() as i64 * 7919
        };
        self.tabs.push(Tab {
            sheet_id,
            title: title.to_owned(),
            rows: Vec::new(),
            row_count: DEFAULT_ROWS,
            column_count: DEFAULT_COLUMNS,
        });
        let last = self.tabs.len() - 1;
        &mut self.tabs[last]
    }

    pub fn tab(&self, title: &str) -> Option<&Tab> {
        self.tabs.iter().find(|t| t.title == title)
    }

    pub fn tab_mut(&mut self, title: &str) -> Option<&mut Tab> {
        self.tabs.iter_mut().find(|t| t.title == title)
    }

    fn resolve(&mut self, range: &str) -> Result<(A1, usize), SheetError> {
        let a1 = A1::parse(range).ok_or_else(|| (400, format!("Unable to parse range: {range}")))?;
        let index = match &a1.sheet {
            Some(title) => self.tabs.iter().position(|t| t.title == *title),
            None => (!self.tabs.is_empty()).then_some(0),
        };
        let index = index.ok_or_else(|| (400, format!("Unable to parse range: {range}")))?;
        Ok((a1, index))
    }

    pub fn metadata(&self) -> Value {
        let sheets: Vec<Value> = self
            .tabs
            .iter()
            .enumerate()
            .map(|(i, t)| {
                json!({ "properties": {
                    "sheetId": t.sheet_id,
                    "title": t.title,
                    "index": i,
                    "sheetType": "GRID",
                    "gridProperties": { "rowCount": t.row_count, "columnCount": t.column_count },
                } })
            })
            .collect();
        json!({
            "spreadsheetId": self.id,
            "properties": { "title": self.title, "locale": "es_ES", "timeZone": "Europe/Madrid" },
            "sheets": sheets,
            "spreadsheetUrl": format!("https://docs.google.com/spreadsheets/d/{}/edit", self.id),
        })
    }

    /// values.get: rows with trailing empty cells trimmed, trailing empty rows dropped, `values` absent when empty.
    pub fn get(&mut self, range: &str) -> Result<Value, SheetError> {
        let (a1, index) = self.resolve(range)?;
        let tab = &self.tabs[index];
        let (c0, r0) = (a1.start_col.unwrap_or(0), a1.start_row.unwrap_or(0));
        let c1 = a1.end_col.unwrap_or(tab.column_count.saturating_sub(1).max(c0));
        let r1 = a1.end_row.unwrap_or(tab.row_count.saturating_sub(1).max(r0));
        let mut values: Vec<Value> = Vec::new();
        for r in r0..=r1.min(tab.rows.len().saturating_sub(1)) {
            if r >= tab.rows.len() {
                break;
            }
            let row = &tab.rows[r];
            let mut cells: Vec<&str> = (c0..=c1).map(|c| row.get(c).map_or("", String::as_str)).collect();
            while cells.last().is_some_and(|c| c.is_empty()) {
                cells.pop();
            }
            values.push(json!(cells));
        }
        while values
            .last()
            .is_some_and(|v| v.as_array().is_some_and(Vec::is_empty))
        {
            values.pop();
        }
        let shown = format!(
            "{}!{}",
            quote(&tab.title),
            a1_text(c0, r0, c1, r1.min(tab.row_count.saturating_sub(1)))
        );
        let mut out = json!({ "range": shown, "majorDimension": "ROWS" });
        if !values.is_empty() {
            out["values"] = Value::Array(values);
        }
        Ok(out)
    }

    /// values.update: writes `values` from the range's top-left cell; null cells are left as they are.
    pub fn update(&mut self, range: &str, values: &[Vec<Value>]) -> Result<Value, SheetError> {
        let (a1, index) = self.resolve(range)?;
        let (c0, r0) = (a1.start_col.unwrap_or(0), a1.start_row.unwrap_or(0));
        let tab = &mut self.tabs[index];
        let written = tab.write(r0, c0, values);
        Ok(written.report(&self.id, &tab.title))
    }

    /// values.append (INSERT_ROWS): after the last row holding data in the range's columns.
    pub fn append(&mut self, range: &str, values: &[Vec<Value>]) -> Result<Value, SheetError> {
        let (a1, index) = self.resolve(range)?;
        let c0 = a1.start_col.unwrap_or(0);
        let tab = &mut self.tabs[index];
        let c1 = a1.end_col.unwrap_or(usize::MAX);
        let last = tab.rows.iter().rposition(|row| {
            row.iter()
                .enumerate()
                .any(|(c, cell)| c >= c0 && c <= c1 && !cell.is_empty())
        });
        let start = last.map_or(a1.start_row.unwrap_or(0), |l| l + 1);
        let table = last.map(|l| {
            let width = tab.rows.iter().map(Vec::len).max().unwrap_or(1).max(c0 + 1);
            format!("{}!{}", quote(&tab.title), a1_text(c0, 0, width - 1, l))
        });
        let written = tab.write(start, c0, values);
        let mut out = json!({ "spreadsheetId": self.id, "updates": written.report(&self.id, &tab.title) });
        if let Some(table) = table {
            out["tableRange"] = json!(table);
        }
        Ok(out)
    }

    /// values.clear
    pub fn clear(&mut self, range: &str) -> Result<Value, SheetError> {
        let (a1, index) = self.resolve(range)?;
        let tab = &mut self.tabs[index];
        let (c0, r0) = (a1.start_col.unwrap_or(0), a1.start_row.unwrap_or(0));
        let (c1, r1) = (a1.end_col.unwrap_or(usize::MAX), a1.end_row.unwrap_or(usize::MAX));
        for (r, row) in tab
            .rows
            .iter_mut()
            .enumerate()
            .filter(|(r, _)| *r >= r0 && *r <= r1)
        {
            let _ = r;
            for (c, cell) in row.iter_mut().enumerate() {
                if c >= c0 && c <= c1 {
                    cell.clear();
                }
            }
        }
        Ok(json!({ "spreadsheetId": self.id, "clearedRange": range }))
    }

    /// spreadsheets.batchUpdate: records every request; `addSheet` adds a tab.
    pub fn batch_update(&mut self, requests: &[Value]) -> Value {
        let mut replies = Vec::new();
        for request in requests {
            self.requests.push(request.clone());
            if let Some(props) = request.get("addSheet").and_then(|a| a.get("properties")) {
                let title = props
                    .get("title")
                    .and_then(Value::as_str)
                    .unwrap_or("Sheet")
                    .to_owned();
                let tab = self.add_tab(&title);
                replies.push(json!({ "addSheet": { "properties": { "sheetId": tab.sheet_id, "title": tab.title, "index": 0 } } }));
            } else {
                replies.push(json!({}));
            }
        }
        json!({ "spreadsheetId": self.id, "replies": replies })
    }
}

struct Written {
    r0: usize,
    c0: usize,
    rows: usize,
    cols: usize,
    cells: usize,
}

impl Written {
    fn report(&self, id: &str, title: &str) -> Value {
        let range = if self.rows == 0 {
            format!("{}!{}", quote(title), a1_text(self.c0, self.r0, self.c0, self.r0))
        } else {
            format!(
                "{}!{}",
                quote(title),
                a1_text(
                    self.c0,
                    self.r0,
                    self.c0 + self.cols.max(1) - 1,
                    self.r0 + self.rows - 1
                )
            )
        };
        json!({
            "spreadsheetId": id,
            "updatedRange": range,
            "updatedRows": self.rows,
            "updatedColumns": self.cols,
            "updatedCells": self.cells,
        })
    }
}

impl Tab {
    /// Cell text at (row, column), 0-based; "" when empty.
    pub fn cell(&self, row: usize, column: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.get(column))
            .map_or("", String::as_str)
    }

    fn write(&mut self, r0: usize, c0: usize, values: &[Vec<Value>]) -> Written {
        let mut written = Written {
            r0,
            c0,
            rows: 0,
            cols: 0,
            cells: 0,
        };
        for (i, row) in values.iter().enumerate() {
            let r = r0 + i;
            if self.rows.len() <= r {
                self.rows.resize(r + 1, Vec::new());
            }
            for (j, value) in row.iter().enumerate() {
                let Some(text) = cell_text(value) else { continue };
                let c = c0 + j;
                let target = &mut self.rows[r];
                if target.len() <= c {
                    target.resize(c + 1, String::new());
                }
                target[c] = text;
                written.cells += 1;
            }
            written.cols = written.cols.max(row.len());
            written.rows += 1;
        }
        self.row_count = self.row_count.max(self.rows.len());
        self.column_count = self
            .column_count
            .max(self.rows.iter().map(Vec::len).max().unwrap_or(0));
        written
    }
}

/// A written value as the formatted text Sheets shows; None for null (the cell is skipped).
fn cell_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_owned()),
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        }),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn append_then_get_trims() {
        let mut s = Spreadsheet::new("x");
        s.update("Companies!A1:C1", &[vec![json!("a"), json!("b"), json!("c")]])
            .unwrap();
        let out = s
            .append(
                "Companies!A:Z",
                &[
                    vec![json!(1), json!("x"), json!("")],
                    vec![json!(2.5), json!(true)],
                ],
            )
            .unwrap();
        assert_eq!(out["updates"]["updatedRange"], "Companies!A2:C3");
        assert_eq!(out["tableRange"], "Companies!A1:C1");
        let got = s.get("Companies!A:Z").unwrap();
        assert_eq!(
            got["values"],
            json!([["a", "b", "c"], ["1", "x"], ["2.5", "TRUE"]])
        );
        let got = s.get("Companies!A2:A").unwrap();
        assert_eq!(got["values"], json!([["1"], ["2.5"]]));
        assert_eq!(s.get("Companies!A10:B12").unwrap().get("values"), None);
    }
}
