//! The sync as a pure function (docs/stages.md#sheets): from one read of the tab and the DB's companies, the
//! few writes that bring the sheet in step. Rows are found by the id in column A wherever a person moved
//! them; only the system columns of rows whose values differ are written, as contiguous blocks (D:J and
//! M:O); human columns C, K and L of existing rows are never part of a write; companies missing from the
//! sheet (new, or a row someone deleted) are appended with their DB resolution.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::layout::{self, CompanyRow, Header, HeaderError, col, letter};

/// Values for one A1 range.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeValues {
    /// `'Tab'!D2:J40`.
    pub range: String,
    /// Rows of cells, top to bottom.
    pub rows: Vec<Vec<Value>>,
}

/// What a sync will do, and what it found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncPlan {
    /// Header cells and changed system-column blocks, for one values batchUpdate.
    pub writes: Vec<RangeValues>,
    /// New rows (A–O), in company id order.
    pub appends: Vec<Vec<Value>>,
    /// Counts for the run's counters.
    pub counts: SyncCounts,
}

/// The counts of a sync plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncCounts {
    /// Data rows read (row 2 on, blank rows included).
    pub rows_read: u64,
    /// Rows of known companies whose system columns change.
    pub rows_updated: u64,
    /// Rows of known companies already in step.
    pub rows_unchanged: u64,
    /// Companies appended.
    pub rows_appended: u64,
    /// Companies not in the sheet and under `sheets.min_score`: not appended.
    pub below_min_score: u64,
    /// Rows whose column A is not a company id, names no company in the DB, or repeats an earlier row's id:
    /// left as they are.
    pub rows_foreign: u64,
    /// Whether the header (A–O, or M–O on an original sheet) is written.
    pub header_written: bool,
}

/// `'Tab'!RANGE`, the tab's title quoted as A1 notation requires.
pub fn a1(tab: &str, range: &str) -> String {
    format!("'{}'!{range}", tab.replace('\'', "''"))
}

/// Where each company id sits: the first data row holding it (0-based grid index).
pub fn rows_by_id(grid: &[Vec<Value>]) -> HashMap<i64, usize> {
    let mut index = HashMap::new();
    for (r, row) in grid.iter().enumerate().skip(1) {
        if let Some(id) = layout::company_id(row.get(col::ID)) {
            index.entry(id).or_insert(r);
        }
    }
    index
}

/// Plans the sync of `companies` into `grid` (row 0 = header).
pub fn plan_sync(
    tab: &str,
    grid: &[Vec<Value>],
    companies: &[CompanyRow],
    min_score: f64,
) -> Result<SyncPlan, HeaderError> {
    let empty = Vec::new();
    let header_row = grid.first().unwrap_or(&empty);
    let has_data = grid.iter().skip(1).any(|row| !layout::is_blank(row));
    let header = layout::check_header(header_row, has_data)?;
    let mut plan = SyncPlan::default();
    let full_header = layout::header_cells();
    match header {
        Header::Empty => plan.writes.push(RangeValues {
            range: a1(tab, "A1:O1"),
            rows: vec![full_header],
        }),
        Header::Original => plan.writes.push(RangeValues {
            range: a1(tab, "M1:O1"),
            rows: vec![full_header[col::EXTRAS..].to_vec()],
        }),
        Header::Complete => {}
    }
    plan.counts.header_written = header != Header::Complete;
    plan.counts.rows_read = grid.len().saturating_sub(1) as u64;

    let by_id: HashMap<i64, &CompanyRow> = companies.iter().map(|c| (c.id, c)).collect();
    let index = rows_by_id(grid);
    let (mut metric_rows, mut extra_rows) = (BTreeMap::new(), BTreeMap::new());
    for (r, row) in grid.iter().enumerate().skip(1) {
        let company = layout::company_id(row.get(col::ID))
            .filter(|id| index.get(id) == Some(&r))
            .and_then(|id| by_id.get(&id));
        let Some(company) = company else {
            if !layout::is_blank(row) {
                plan.counts.rows_foreign += 1;
            }
            continue;
        };
        let differs = |start: usize, wanted: &[Value]| {
            wanted
                .iter()
                .enumerate()
                .any(|(i, w)| !layout::same_cell(row.get(start + i), w))
        };
        let (metrics, extras) = (company.metrics(), company.extras());
        let (m, e) = (differs(col::METRICS, &metrics), differs(col::EXTRAS, &extras));
        if m {
            metric_rows.insert(r, metrics);
        }
        if e {
            extra_rows.insert(r, extras);
        }
        if m || e {
            plan.counts.rows_updated += 1;
        } else {
            plan.counts.rows_unchanged += 1;
        }
    }
    plan.writes
        .extend(blocks(tab, col::METRICS, col::METRIC_COUNT, metric_rows));
    plan.writes
        .extend(blocks(tab, col::EXTRAS, col::EXTRA_COUNT, extra_rows));

    let mut missing: Vec<&CompanyRow> = companies.iter().filter(|c| !index.contains_key(&c.id)).collect();
    missing.sort_by_key(|c| c.id);
    for company in missing {
        if company.max_score < min_score {
            plan.counts.below_min_score += 1;
        } else {
            plan.appends.push(company.cells());
        }
    }
    plan.counts.rows_appended = plan.appends.len() as u64;
    Ok(plan)
}

/// Contiguous runs of rows (0-based grid index → cells) as ranges starting at column `first`.
fn blocks(tab: &str, first: usize, width: usize, rows: BTreeMap<usize, Vec<Value>>) -> Vec<RangeValues> {
    let mut out: Vec<(usize, Vec<Vec<Value>>)> = Vec::new();
    for (r, cells) in rows {
        match out.last_mut() {
            Some((start, run)) if *start + run.len() == r => run.push(cells),
            _ => out.push((r, vec![cells])),
        }
    }
    out.into_iter()
        .map(|(start, run)| {
            let (top, bottom) = (start + 1, start + run.len());
            RangeValues {
                range: a1(
                    tab,
                    &format!("{}{top}:{}{bottom}", letter(first), letter(first + width - 1)),
                ),
                rows: run,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::layout::header_cells;

    fn company(id: i64, score: f64) -> CompanyRow {
        CompanyRow {
            id,
            name: format!("Company {id}"),
            resolution: "HIGH_INTEREST".into(),
            max_score: score,
            strong_offers: 1,
            unique_offers: 2,
            offer_count: 3,
            top_offer_url: format!("https://jobs.test/{id}"),
            top_category: "FX".into(),
            last_strong: "2026-11-30".into(),
            website: format!("https://c{id}.test"),
            ats: format!("lever:c{id}"),
            open_offers: 2,
        }
    }

    /// A row as a person's sheet holds it: the company's cells with people's columns filled in.
    fn sheet_row(c: &CompanyRow) -> Vec<Value> {
        let mut cells = c.cells();
        cells[col::RESOLUTION] = json!("REJECTED");
        cells[col::FEEDBACK] = json!("FP");
        cells[col::NOTES] = json!("not for us");
        cells
    }

    #[test]
    fn an_empty_sheet_gets_the_header_and_every_company_in_id_order_with_its_db_resolution() {
        let plan = plan_sync("Companies", &[], &[company(2, 5.0), company(1, 9.0)], 0.0).unwrap();
        assert_eq!(plan.writes.len(), 1);
        assert_eq!(plan.writes[0].range, "'Companies'!A1:O1");
        assert_eq!(plan.writes[0].rows, vec![header_cells()]);
        let ids: Vec<&Value> = plan.appends.iter().map(|r| &r[0]).collect();
        assert_eq!(ids, [&json!(1), &json!(2)]);
        assert_eq!(plan.appends[0][col::RESOLUTION], json!("HIGH_INTEREST"));
        assert_eq!(plan.counts.rows_appended, 2);
    }

    #[test]
    fn existing_rows_get_only_changed_system_columns_in_contiguous_blocks() {
        let (a, b, c) = (company(1, 9.0), company(2, 5.0), company(3, 4.0));
        let mut grid = vec![header_cells(), sheet_row(&a), sheet_row(&b), sheet_row(&c)];
        grid[2][col::METRICS] = json!(1.0); // b's score is stale
        grid[3][col::METRICS] = json!("1"); // c's too
        grid[1][col::EXTRAS + 1] = json!("greenhouse:old"); // a's boards changed
        let plan = plan_sync("Companies", &grid, &[a.clone(), b.clone(), c.clone()], 0.0).unwrap();
        let ranges: Vec<&str> = plan.writes.iter().map(|w| w.range.as_str()).collect();
        assert_eq!(ranges, ["'Companies'!D3:J4", "'Companies'!M2:O2"]);
        assert_eq!(plan.writes[0].rows, vec![b.metrics(), c.metrics()]);
        assert!(plan.appends.is_empty());
        assert_eq!((plan.counts.rows_updated, plan.counts.rows_unchanged), (3, 0));
        // Nothing written in A–C or K–L: every block starts at D or M and is 7 or 3 wide.
        for w in &plan.writes {
            assert!(w.rows.iter().all(|r| r.len() == 7 || r.len() == 3), "{w:?}");
        }
    }

    #[test]
    fn a_sheet_in_step_gets_no_write_at_all() {
        let (a, b) = (company(1, 9.0), company(2, 5.0));
        let mut grid = vec![header_cells(), sheet_row(&a), sheet_row(&b)];
        // Sheets answers formatted text for numbers; that is the same value.
        grid[1][0] = json!("1");
        grid[1][col::METRICS] = json!("9");
        let plan = plan_sync("Companies", &grid, &[a, b], 0.0).unwrap();
        assert_eq!(plan.writes, []);
        assert_eq!(plan.appends, Vec::<Vec<Value>>::new());
        assert_eq!(plan.counts.rows_unchanged, 2);
    }

    #[test]
    fn moved_sorted_and_deleted_rows_are_found_by_id() {
        let (a, b, c) = (company(1, 9.0), company(2, 5.0), company(3, 4.0));
        // Sorted by a person (c, a), b's row deleted, a blank row and a foreign row in between.
        let grid = vec![
            header_cells(),
            sheet_row(&c),
            vec![],
            vec![json!("total"), json!("=SUM(D2:D3)")],
            sheet_row(&a),
            sheet_row(&a),
        ];
        let plan = plan_sync("Companies", &grid, &[a, b.clone(), c], 0.0).unwrap();
        assert_eq!(plan.writes, []);
        assert_eq!(plan.appends, vec![b.cells()]);
        assert_eq!(
            plan.counts.rows_foreign, 2,
            "the total row and the duplicate of company 1"
        );
    }

    #[test]
    fn companies_under_min_score_are_not_appended_but_rows_already_there_stay_updated() {
        let (low, high) = (company(1, 2.0), company(2, 8.0));
        let mut stale = sheet_row(&company(3, 1.0));
        stale[col::METRICS] = json!(9.0);
        let grid = vec![header_cells(), stale];
        let plan = plan_sync("Companies", &grid, &[low, high, company(3, 1.0)], 5.0).unwrap();
        assert_eq!(plan.appends.len(), 1);
        assert_eq!(plan.appends[0][0], json!(2));
        assert_eq!(plan.counts.below_min_score, 1);
        assert_eq!(plan.writes[0].range, "'Companies'!D2:J2");
    }

    #[test]
    fn an_original_sheet_gets_m_to_o_headers_and_a_mismatch_plans_nothing() {
        let a = company(1, 9.0);
        let mut row = sheet_row(&a);
        row.truncate(12);
        let grid = vec![header_cells()[..12].to_vec(), row];
        let plan = plan_sync("My tab's", &grid, &[a], 0.0).unwrap();
        assert_eq!(plan.writes[0].range, "'My tab''s'!M1:O1");
        assert_eq!(plan.writes[1].range, "'My tab''s'!M2:O2");
        let mut bad = header_cells();
        bad[0] = json!("Id");
        assert!(plan_sync("T", &[bad], &[company(1, 1.0)], 0.0).is_err());
    }
}
