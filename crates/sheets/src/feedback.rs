//! Reading people's feedback out of one read of the tab (docs/stages.md#feedback): each row's resolution
//! (column C) and model feedback (K, with notes in L), validated the way the original did; whatever does
//! not validate becomes a rejection with its row, value and reason, never a silent drop.

use std::collections::HashMap;

use pipeline_domain::Resolution;
use serde_json::Value;

use crate::layout::{self, MODEL_FEEDBACK, col};

/// A row's resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolutionCell {
    /// 1-based sheet row.
    pub row: u32,
    /// Column A.
    pub company_id: i64,
    /// Column C, parsed.
    pub resolution: Resolution,
}

/// A row's model feedback (K) and notes (L).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFeedback {
    /// 1-based sheet row.
    pub row: u32,
    /// Column A.
    pub company_id: i64,
    /// `OK`, `FP` or `FN`.
    pub value: String,
    /// Column L trimmed; `""` when empty.
    pub notes: String,
}

/// A cell that could not be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// 1-based sheet row.
    pub row: u32,
    /// Column A when it is a company id.
    pub company_id: Option<i64>,
    /// The rejected cell's text.
    pub value: String,
    /// Why.
    pub reason: String,
}

/// Everything one read of the tab says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SheetFeedback {
    /// One per company id (the first row holding it).
    pub resolutions: Vec<ResolutionCell>,
    /// One per row with a value in K.
    pub model: Vec<ModelFeedback>,
    /// Rows and cells that were not taken.
    pub rejected: Vec<Rejection>,
}

impl SheetFeedback {
    /// Rejects what names a company the DB does not know (`known` says which exist).
    pub fn reject_unknown(&mut self, known: impl Fn(i64) -> bool) {
        let mut rejected = Vec::new();
        self.resolutions.retain(|cell| {
            let keep = known(cell.company_id);
            if !keep {
                rejected.push(Rejection {
                    row: cell.row,
                    company_id: Some(cell.company_id),
                    value: cell.company_id.to_string(),
                    reason: "no company with this id in the database".to_owned(),
                });
            }
            keep
        });
        self.model.retain(|m| known(m.company_id));
        self.rejected.extend(rejected);
        self.rejected.sort_by_key(|r| r.row);
    }
}

/// Reads the data rows of `grid` (row 0 = header, already checked).
pub fn read_feedback(grid: &[Vec<Value>]) -> SheetFeedback {
    let mut out = SheetFeedback::default();
    let mut first_row: HashMap<i64, u32> = HashMap::new();
    for (r, row) in grid.iter().enumerate().skip(1) {
        if layout::is_blank(row) {
            continue;
        }
        let number = u32::try_from(r + 1).unwrap_or(u32::MAX);
        let reject = |value: String, company_id: Option<i64>, reason: String| Rejection {
            row: number,
            company_id,
            value,
            reason,
        };
        let text = |c: usize| layout::cell_text(row.get(c));
        let Some(id) = layout::company_id(row.get(col::ID)) else {
            out.rejected.push(reject(
                text(col::ID),
                None,
                "column A is not a company id (a positive whole number)".to_owned(),
            ));
            continue;
        };
        if let Some(first) = first_row.get(&id) {
            out.rejected.push(reject(
                id.to_string(),
                Some(id),
                format!("company id repeated (row {first} is the one taken)"),
            ));
            continue;
        }
        first_row.insert(id, number);
        let resolution = text(col::RESOLUTION);
        match Resolution::parse(&resolution) {
            Some(parsed) => out.resolutions.push(ResolutionCell {
                row: number,
                company_id: id,
                resolution: parsed,
            }),
            None if resolution.is_empty() => {
                out.rejected
                    .push(reject(resolution, Some(id), "resolution is empty".to_owned()))
            }
            None => out.rejected.push(reject(
                resolution,
                Some(id),
                format!("unknown resolution (one of {})", resolution_names()),
            )),
        }
        let feedback = text(col::FEEDBACK);
        if feedback.is_empty() {
            continue;
        }
        let value = feedback.to_ascii_uppercase();
        if MODEL_FEEDBACK.contains(&value.as_str()) {
            out.model.push(ModelFeedback {
                row: number,
                company_id: id,
                value,
                notes: text(col::NOTES),
            });
        } else {
            out.rejected.push(reject(
                feedback,
                Some(id),
                "unknown model feedback (one of OK, FP, FN)".to_owned(),
            ));
        }
    }
    out
}

fn resolution_names() -> String {
    Resolution::ALL.map(Resolution::as_str).join(", ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::layout::header_cells;

    fn row(id: Value, resolution: &str, feedback: &str, notes: &str) -> Vec<Value> {
        let mut cells = vec![json!(""); 15];
        cells[0] = id;
        cells[col::RESOLUTION] = json!(resolution);
        cells[col::FEEDBACK] = json!(feedback);
        cells[col::NOTES] = json!(notes);
        cells
    }

    #[test]
    fn rows_are_validated_like_the_original_and_rejections_say_where_and_why() {
        let grid = vec![
            header_cells(),
            row(json!(1), " rejected ", "fp", "  wrong sector "),
            row(json!("2"), "IN_PROGRESS", "", ""),
            vec![],
            row(json!("x1"), "ACCEPTED", "", ""),
            row(json!(1), "PENDING", "OK", ""),
            row(json!(3), "", "maybe", ""),
            row(json!(4), "WON", "", ""),
        ];
        let read = read_feedback(&grid);
        assert_eq!(
            read.resolutions,
            [
                ResolutionCell {
                    row: 2,
                    company_id: 1,
                    resolution: Resolution::Rejected
                },
                ResolutionCell {
                    row: 3,
                    company_id: 2,
                    resolution: Resolution::InProgress
                },
            ]
        );
        assert_eq!(
            read.model,
            [ModelFeedback {
                row: 2,
                company_id: 1,
                value: "FP".into(),
                notes: "wrong sector".into()
            }]
        );
        let rejected: Vec<(u32, &str, &str)> = read
            .rejected
            .iter()
            .map(|r| (r.row, r.value.as_str(), r.reason.as_str()))
            .collect();
        assert_eq!(
            rejected,
            [
                (5, "x1", "column A is not a company id (a positive whole number)"),
                (6, "1", "company id repeated (row 2 is the one taken)"),
                (7, "", "resolution is empty"),
                (7, "maybe", "unknown model feedback (one of OK, FP, FN)"),
                (
                    8,
                    "WON",
                    "unknown resolution (one of PENDING, IN_PROGRESS, HIGH_INTEREST, ALREADY_REVOLUT, ACCEPTED, REJECTED)"
                ),
            ]
        );
    }

    #[test]
    fn unknown_companies_are_rejected_and_their_feedback_dropped() {
        let grid = vec![
            header_cells(),
            row(json!(1), "PENDING", "OK", ""),
            row(json!(9), "PENDING", "OK", ""),
        ];
        let mut read = read_feedback(&grid);
        read.reject_unknown(|id| id == 1);
        assert_eq!(read.resolutions.len(), 1);
        assert_eq!(read.model.len(), 1);
        assert_eq!(read.rejected.len(), 1);
        assert_eq!(read.rejected[0].row, 3);
        assert_eq!(read.rejected[0].reason, "no company with this id in the database");
    }
}
