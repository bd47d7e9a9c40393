//! The sheet's contract (docs/interfaces.md §4): the fifteen columns A–O with the original's exact Spanish
//! headers for A–L and ours for M–O, which of them people edit, one company as a row of cells, and the check
//! of a header row against the contract.

use serde_json::Value;

/// Columns A–O: (header, JSON id used by `export --format json`).
pub const COLUMNS: [(&str, &str); 15] = [
    ("ID Empresa", "company_id"),
    ("Empresa", "company_name"),
    ("Resolución", "resolution"),
    ("Score máx.", "max_score"),
    ("Ofertas fuertes", "strong_offers"),
    ("Ofertas únicas", "unique_offers"),
    ("Actividad publicaciones", "posting_activity"),
    ("URL Oferta Top", "top_offer_url"),
    ("Categoría top", "top_category"),
    ("Última señal fuerte", "last_strong_at"),
    ("Feedback Modelo", "model_feedback"),
    ("Notas Modelo", "model_notes"),
    ("Web", "website"),
    ("ATS", "ats"),
    ("Ofertas abiertas", "open_offers"),
];

/// How many columns the original sheet had (A–L); M–O are ours.
pub const ORIGINAL_COLUMNS: usize = 12;

/// 0-based column indexes the code refers to by meaning.
pub mod col {
    /// A: company id, the upsert key.
    pub const ID: usize = 0;
    /// C: resolution (people edit it after the append).
    pub const RESOLUTION: usize = 2;
    /// D: first of the metric columns D–J.
    pub const METRICS: usize = 3;
    /// K: model feedback (people).
    pub const FEEDBACK: usize = 10;
    /// L: model notes (people).
    pub const NOTES: usize = 11;
    /// M: first of our columns M–O.
    pub const EXTRAS: usize = 12;
    /// Number of metric columns (D–J).
    pub const METRIC_COUNT: usize = 7;
    /// Number of our columns (M–O).
    pub const EXTRA_COUNT: usize = 3;
}

/// The values people may put in column K.
pub const MODEL_FEEDBACK: [&str; 3] = ["OK", "FP", "FN"];

/// A column letter from a 0-based index (A–Z is all the sheet uses).
pub fn letter(index: usize) -> char {
    char::from(b'A' + u8::try_from(index.min(25)).unwrap_or(25))
}

/// One company as the sheet shows it; the pipeline writes every column except K and L.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyRow {
    /// A: the company id.
    pub id: i64,
    /// B: display name.
    pub name: String,
    /// C: the DB resolution (written on append only).
    pub resolution: String,
    /// D: max score.
    pub max_score: f64,
    /// E: strong offers.
    pub strong_offers: i64,
    /// F: unique offers.
    pub unique_offers: i64,
    /// G: posting activity (all offers).
    pub offer_count: i64,
    /// H: URL of the top offer, or "".
    pub top_offer_url: String,
    /// I: name of the top category, or "".
    pub top_category: String,
    /// J: date (YYYY-MM-DD) of the last strong offer, or "".
    pub last_strong: String,
    /// M: website.
    pub website: String,
    /// N: board references, `;`-separated.
    pub ats: String,
    /// O: open offers.
    pub open_offers: i64,
}

impl CompanyRow {
    /// The max score as the sheet holds it: a number with one decimal.
    pub fn score_cell(&self) -> Value {
        Value::from((self.max_score * 10.0).round() / 10.0)
    }

    /// Columns A–O as written on append: K and L empty (`""`, never null: the client drops nulls).
    pub fn cells(&self) -> Vec<Value> {
        let mut cells = vec![
            Value::from(self.id),
            Value::from(self.name.as_str()),
            Value::from(self.resolution.as_str()),
        ];
        cells.extend(self.metrics());
        cells.extend([Value::from(""), Value::from("")]);
        cells.extend(self.extras());
        cells
    }

    /// Columns D–J.
    pub fn metrics(&self) -> Vec<Value> {
        vec![
            self.score_cell(),
            Value::from(self.strong_offers),
            Value::from(self.unique_offers),
            Value::from(self.offer_count),
            Value::from(self.top_offer_url.as_str()),
            Value::from(self.top_category.as_str()),
            Value::from(self.last_strong.as_str()),
        ]
    }

    /// Columns M–O.
    pub fn extras(&self) -> Vec<Value> {
        vec![
            Value::from(self.website.as_str()),
            Value::from(self.ats.as_str()),
            Value::from(self.open_offers),
        ]
    }
}

/// A cell as text the way a person reads it: numbers without a needless `.0`, strings trimmed.
pub fn cell_text(cell: Option<&Value>) -> String {
    match cell {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Bool(b)) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            Some(f) => f.to_string(),
            None => n.to_string(),
        },
        Some(other) => other.to_string(),
    }
}

/// Whether a cell read back holds what we would write: numbers compare as numbers (the sheet may answer
/// `7` or `"7"` for 7.0), text compares trimmed.
pub fn same_cell(read: Option<&Value>, wanted: &Value) -> bool {
    let number = |v: Option<&Value>| match v {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    };
    match (number(read), number(Some(wanted))) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
        _ => cell_text(read) == cell_text(Some(wanted)),
    }
}

/// What row 1 holds, once checked against the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Header {
    /// Nothing in row 1 and no data below: the pipeline writes the header.
    Empty,
    /// A–L as the original wrote them and M–O empty: the pipeline adds M–O.
    Original,
    /// A–O as the contract says.
    Complete,
}

/// Row 1 does not follow the contract; nothing may be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    /// A–L differ from the contract.
    #[error("the header row does not match the sheet contract (docs/interfaces.md §4): {}", .0.join("; "))]
    Mismatch(Vec<String>),
    /// A–L are right but M–O hold other headers.
    #[error(
        "columns M–O of the header row hold other headers ({}): the pipeline keeps its website, boards and open offers there; move those columns after O",
        .0.join("; ")
    )]
    Occupied(Vec<String>),
}

/// Checks row 1 (`header`) given whether any row below holds data.
pub fn check_header(header: &[Value], has_data: bool) -> Result<Header, HeaderError> {
    let text = |i: usize| cell_text(header.get(i));
    if (0..COLUMNS.len()).all(|i| text(i).is_empty()) && !has_data {
        return Ok(Header::Empty);
    }
    let differences = |range: std::ops::Range<usize>| -> Vec<String> {
        range
            .filter(|&i| text(i) != COLUMNS[i].0)
            .map(|i| {
                let found = text(i);
                let found = if found.is_empty() {
                    "nothing".to_owned()
                } else {
                    format!("`{found}`")
                };
                format!("column {}: expected `{}`, found {found}", letter(i), COLUMNS[i].0)
            })
            .collect()
    };
    let original = differences(0..ORIGINAL_COLUMNS);
    if !original.is_empty() {
        return Err(HeaderError::Mismatch(original));
    }
    if (ORIGINAL_COLUMNS..COLUMNS.len()).all(|i| text(i).is_empty()) {
        return Ok(Header::Original);
    }
    let ours = differences(ORIGINAL_COLUMNS..COLUMNS.len());
    if ours.is_empty() {
        Ok(Header::Complete)
    } else {
        Err(HeaderError::Occupied(ours))
    }
}

/// The contract's header, A–O.
pub fn header_cells() -> Vec<Value> {
    COLUMNS.iter().map(|(h, _)| Value::from(*h)).collect()
}

/// A company id as people and Sheets may hold it: a positive integer number, or a string of digits.
pub fn company_id(cell: Option<&Value>) -> Option<i64> {
    match cell? {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f < 9e15)
                    .map(|f| f as i64)
            })
            .filter(|id| *id > 0),
        Value::String(s) => {
            let s = s.trim();
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<i64>().ok())
                .flatten()
                .filter(|id| *id > 0)
        }
        _ => None,
    }
}

/// Whether a row holds nothing at all.
pub fn is_blank(row: &[Value]) -> bool {
    row.iter().all(|c| cell_text(Some(c)).is_empty())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn row() -> CompanyRow {
        CompanyRow {
            id: 7,
            name: "=IMPORTXML(\"x\")".into(),
            resolution: "IN_PROGRESS".into(),
            max_score: 7.25,
            strong_offers: 2,
            unique_offers: 3,
            offer_count: 4,
            top_offer_url: "https://jobs.test/1".into(),
            top_category: "Pagos internacionales".into(),
            last_strong: "2026-11-30".into(),
            website: "https://acme.test".into(),
            ats: "lever:acme;greenhouse:acme".into(),
            open_offers: 3,
        }
    }

    #[test]
    fn a_company_is_fifteen_cells_with_k_and_l_empty_strings_never_null() {
        let cells = row().cells();
        assert_eq!(cells.len(), 15);
        assert_eq!(cells[col::FEEDBACK], json!(""));
        assert_eq!(cells[col::NOTES], json!(""));
        assert_eq!(cells[col::METRICS], json!(7.3));
        assert_eq!(cells[1], json!("=IMPORTXML(\"x\")"));
        assert!(cells.iter().all(|c| !c.is_null()));
    }

    #[test]
    fn header_states() {
        let full = header_cells();
        assert_eq!(check_header(&full, true), Ok(Header::Complete));
        assert_eq!(check_header(&full[..12], true), Ok(Header::Original));
        assert_eq!(check_header(&[], false), Ok(Header::Empty));
        assert!(matches!(check_header(&[], true), Err(HeaderError::Mismatch(_))));
        let mut renamed = full.clone();
        renamed[2] = json!("Resolution");
        let error = check_header(&renamed, true).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the header row does not match the sheet contract (docs/interfaces.md §4): column C: expected `Resolución`, found `Resolution`"
        );
        let mut occupied = full[..12].to_vec();
        occupied.push(json!("Owner"));
        let error = check_header(&occupied, true).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("column M: expected `Web`, found `Owner`"),
            "{error}"
        );
        let mut padded: Vec<Value> = full
            .iter()
            .map(|c| json!(format!(" {} ", c.as_str().unwrap())))
            .collect();
        padded.push(json!("Extra column after O"));
        assert_eq!(check_header(&padded, true), Ok(Header::Complete));
    }

    #[test]
    fn company_ids_are_positive_integers_as_numbers_or_digit_strings() {
        assert_eq!(company_id(Some(&json!(12))), Some(12));
        assert_eq!(company_id(Some(&json!(12.0))), Some(12));
        assert_eq!(company_id(Some(&json!(" 12 "))), Some(12));
        for bad in [
            json!(0),
            json!(-3),
            json!(1.5),
            json!("12a"),
            json!(""),
            json!("-1"),
            json!(true),
        ] {
            assert_eq!(company_id(Some(&bad)), None, "{bad}");
        }
        assert_eq!(company_id(None), None);
    }

    #[test]
    fn cells_compare_as_people_read_them() {
        assert!(same_cell(Some(&json!("7")), &json!(7.0)));
        assert!(same_cell(Some(&json!(7.3)), &json!(7.3)));
        assert!(!same_cell(Some(&json!("7.2")), &json!(7.3)));
        assert!(same_cell(None, &json!("")));
        assert!(same_cell(Some(&json!(" a ")), &json!("a")));
        assert!(!same_cell(Some(&json!("")), &json!(0)));
    }
}
