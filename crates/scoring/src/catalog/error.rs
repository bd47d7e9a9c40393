//! Why a catalog cannot be used, and where in its file the problem is.

use std::fmt;
use std::path::PathBuf;

use pipeline_domain::{Classify, ErrorClass};

use super::CatalogFormat;
use super::validate::{Issue, Seg};

/// A catalog that cannot be read, parsed or validated. Always fatal for a run: it is configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// The file cannot be read.
    #[error("cannot read catalog file {}: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why it cannot be read.
        #[source]
        source: std::io::Error,
    },
    /// The text is not TOML or JSON of the catalog's shape.
    #[error("catalog is not valid {format}{}: {message}", at_line(*.line))]
    Syntax {
        /// `TOML` or `JSON`.
        format: &'static str,
        /// The line of the error, when the parser gives one.
        line: Option<usize>,
        /// The parser's message.
        message: String,
    },
    /// The catalog parses but breaks rules (duplicate ids, bad tiers, unknown categories, ...).
    #[error("invalid catalog ({} problem(s)):\n{}", .issues.len(), list(.issues))]
    Invalid {
        /// Every problem found, in file order.
        issues: Vec<CatalogIssue>,
    },
}

impl Classify for CatalogError {
    fn class(&self) -> ErrorClass {
        ErrorClass::Fatal
    }
}

/// One validation problem: the key path (`keywords[3].aliases[0]`), the line when the file is TOML, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogIssue {
    /// The key path, `keywords[3].aliases[0]`.
    pub path: String,
    /// Its line in a TOML file.
    pub line: Option<usize>,
    /// What is wrong.
    pub reason: String,
}

impl CatalogIssue {
    pub(crate) fn unlocated(issue: &Issue, format: CatalogFormat) -> CatalogIssue {
        CatalogIssue {
            path: render_path(&issue.path, format),
            line: None,
            reason: issue.reason.clone(),
        }
    }
}

impl fmt::Display for CatalogIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}, {}: {}", self.path, self.reason),
            None => write!(f, "{}: {}", self.path, self.reason),
        }
    }
}

fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!(" (line {l})")).unwrap_or_default()
}

fn list(issues: &[CatalogIssue]) -> String {
    issues
        .iter()
        .map(|i| format!("  - {i}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `keywords[3].aliases[0]`; the JSON shape spells the keyword's category field `categoryId`.
pub(crate) fn render_path(path: &[Seg], format: CatalogFormat) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                let key = match (*key, format) {
                    ("category_id", CatalogFormat::Json) => "categoryId",
                    (key, _) => key,
                };
                out.push_str(key);
            }
            Seg::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    if out.is_empty() { "(root)".into() } else { out }
}

/// 1-based line of a byte offset.
pub(crate) fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}
