//! A job posting as every ATS client normalises it (docs/stages.md#normalized-posting;
//! `board --json`: docs/interfaces.md#board-json).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where the job is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Workplace {
    /// Fully remote.
    Remote,
    /// Partly at the office.
    Hybrid,
    /// At the office.
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
    /// Per year.
    Year,
    /// Per month.
    Month,
    /// Per week.
    Week,
    /// Per day.
    Day,
    /// Per hour.
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
    /// The lower bound, when given.
    pub min: Option<f64>,
    /// The upper bound, when given.
    pub max: Option<f64>,
    /// The currency as the provider writes it (`EUR`, `USD`).
    pub currency: Option<String>,
    /// What the figures are paid for.
    pub period: Option<SalaryPeriod>,
}

/// One open posting of a board, normalised. `external_id` is unique only within its board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NormalizedPosting {
    /// The provider's id of the posting.
    pub external_id: String,
    /// The public URL of the posting.
    pub url: String,
    /// The job title, as given.
    pub title: String,
    /// Plain text: entities decoded, markup stripped, block structure kept as line breaks, URLs kept as text.
    pub description: String,
    /// Every location the provider lists, as written.
    pub locations: Vec<String>,
    /// The team or department, when given.
    pub department: Option<String>,
    /// The provider's own label (`Full-time`, `FULL_TIME`, ...).
    pub employment_type: Option<String>,
    /// Remote, hybrid or on site, when the provider says.
    pub workplace: Option<Workplace>,
    /// The pay range, when the provider publishes one.
    pub salary: Option<Salary>,
    /// The employer's own requisition number, when given.
    pub requisition_id: Option<String>,
    /// When the provider says the posting was published.
    pub published_at: Option<DateTime<Utc>>,
    /// When the provider says the posting last changed.
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
