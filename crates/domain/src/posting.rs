//! A job posting as every ATS client normalises it (docs/stages.md#normalized-posting;
//! `board --json`: docs/interfaces.md#board-json).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where the job is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Workplace {
    Remote,
    Hybrid,
    Onsite,
}

impl Workplace {
    /// Reads the providers' many spellings (`remote`, `Remote`, `on-site`, `OnSite`, `hybrid`, ...).
    pub fn parse(text: &str) -> Option<Workplace> {
        let folded: String = text
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        match folded.as_str() {
            "remote" | "fullyremote" | "remoteonly" => Some(Workplace::Remote),
            "hybrid" => Some(Workplace::Hybrid),
            "onsite" | "inoffice" | "office" | "onpremise" => Some(Workplace::Onsite),
            _ => None,
        }
    }
}

/// The period a salary figure is paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SalaryPeriod {
    Year,
    Month,
    Week,
    Day,
    Hour,
}

impl SalaryPeriod {
    /// Reads `per-year-salary`, `1 YEAR`, `yearly`, `annual`, `monthly`, `hourly`, ...
    pub fn parse(text: &str) -> Option<SalaryPeriod> {
        let t = text.to_ascii_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
        if has(&["year", "annual", "annum"]) {
            Some(SalaryPeriod::Year)
        } else if has(&["month"]) {
            Some(SalaryPeriod::Month)
        } else if has(&["week"]) {
            Some(SalaryPeriod::Week)
        } else if has(&["day", "daily"]) {
            Some(SalaryPeriod::Day)
        } else if has(&["hour"]) {
            Some(SalaryPeriod::Hour)
        } else {
            None
        }
    }
}

/// A pay range as the provider gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Salary {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub currency: Option<String>,
    pub period: Option<SalaryPeriod>,
}

/// One open posting of a board, normalised. `external_id` is unique only within its board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NormalizedPosting {
    pub external_id: String,
    /// The public URL of the posting.
    pub url: String,
    pub title: String,
    /// Plain text: entities decoded, markup stripped, block structure kept as line breaks, URLs kept as text.
    pub description: String,
    pub locations: Vec<String>,
    pub department: Option<String>,
    /// The provider's own label (`Full-time`, `FULL_TIME`, ...).
    pub employment_type: Option<String>,
    pub workplace: Option<Workplace>,
    pub salary: Option<Salary>,
    pub requisition_id: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workplace_and_period_spellings() {
        assert_eq!(Workplace::parse("on-site"), Some(Workplace::Onsite));
        assert_eq!(Workplace::parse("OnSite"), Some(Workplace::Onsite));
        assert_eq!(Workplace::parse("Remote"), Some(Workplace::Remote));
        assert_eq!(Workplace::parse("HYBRID"), Some(Workplace::Hybrid));
        assert_eq!(Workplace::parse("unknown"), None);
        assert_eq!(SalaryPeriod::parse("per-year-salary"), Some(SalaryPeriod::Year));
        assert_eq!(SalaryPeriod::parse("1 YEAR"), Some(SalaryPeriod::Year));
        assert_eq!(SalaryPeriod::parse("hourly"), Some(SalaryPeriod::Hour));
        assert_eq!(SalaryPeriod::parse("per-month-salary"), Some(SalaryPeriod::Month));
        assert_eq!(SalaryPeriod::parse("?"), None);
    }
}
