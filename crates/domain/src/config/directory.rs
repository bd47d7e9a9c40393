//! `[directory]` and `[[directory.sources]]`: where companies come from (built-in scrapers and the user's
//! own CSV/JSON lists), with the checks a source must pass before any work is done.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{ByteSize, ConfigIssue};

/// The built-in directory scrapers, by the name used in `directory.builtin` and `directory.builtin_urls`.
pub const BUILTIN_DIRECTORIES: [&str; 3] = ["catalonia", "madrimasd", "lanzadera"];

/// `[directory]`: the sources of companies.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DirectoryConfig {
    /// Built-in directory scrapers to run; `[]` disables them.
    pub builtin: Vec<String>,
    /// Domains of companies never created or exported (a blocklist).
    pub exclude_domains: Vec<String>,
    /// The user's own company lists (CSV or JSON files or URLs).
    pub sources: Vec<DirectorySourceConfig>,
    /// Listing-URL overrides of the built-in scrapers, keyed by scraper name (tests and the world).
    pub builtin_urls: BTreeMap<String, String>,
    /// Extension (so marked in docs/interfaces.md#2-configuration): cap on the detail pages a built-in
    /// scraper fetches per cycle (docs/original-system.md#ref-3).
    pub max_detail_pages: u32,
    /// Extension (so marked in docs/interfaces.md#2-configuration): cap on the companies a built-in scraper
    /// yields per cycle (docs/original-system.md#ref-3).
    pub max_companies_per_source: u32,
    /// Extension (so marked in docs/interfaces.md#2-configuration): longest line or record of a CSV or JSON
    /// list; a longer one is a bad row (a JSON array element: the source fails).
    pub max_record_size: ByteSize,
    /// Extension (so marked in docs/interfaces.md#2-configuration): most bytes read from one CSV or JSON list;
    /// past it the source fails, keeping the rows read before.
    pub max_source_size: ByteSize,
}

impl Default for DirectoryConfig {
    fn default() -> Self {
        DirectoryConfig {
            builtin: BUILTIN_DIRECTORIES
                .iter()
                .map(|name| (*name).to_owned())
                .collect(),
            exclude_domains: Vec::new(),
            sources: Vec::new(),
            builtin_urls: BTreeMap::new(),
            max_detail_pages: 50,
            max_companies_per_source: 50,
            max_record_size: ByteSize(1_000_000),
            max_source_size: ByteSize(1_000_000_000),
        }
    }
}

/// The format of a directory source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A CSV file with a header row.
    Csv,
    /// One JSON array of objects, or JSON Lines (one object per line).
    Json,
}

/// The text encoding of a CSV source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    /// UTF-8, the default (a BOM is skipped).
    Utf8,
    /// Windows-1252; `latin1` and `iso-8859-1` mean this too, as in browsers.
    Windows1252,
}

/// `[[directory.sources]]`: one list of companies.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DirectorySourceConfig {
    /// Unique name, recorded as the source of each company.
    pub name: String,
    /// `csv` or `json`.
    pub kind: SourceKind,
    /// A local file (relative paths are resolved against the config file's directory); or `url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    /// An `http(s)://` URL to fetch the list from; or `path`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Column / field holding the company name (csv and json); `""` = the list has no names.
    #[serde(default = "default_name_field")]
    pub name_field: String,
    /// Column / field holding the company website; `""` = the list has no websites.
    #[serde(default = "default_website_field")]
    pub website_field: String,
    /// CSV only: the field delimiter, one byte; `;` and `\t` are common.
    #[serde(default = "default_delimiter")]
    pub delimiter: String,
    /// CSV only: `utf-8` or `windows-1252` (also `utf8`, `cp1252`, `latin1`, `iso-8859-1`).
    #[serde(default = "default_encoding")]
    pub encoding: String,
    /// CSV only: quoted fields may hold line breaks. Off, a line ending inside quotes (almost always an
    /// unbalanced quote) is a bad row and reading resumes at the next line.
    #[serde(default)]
    pub multiline_fields: bool,
}

fn default_name_field() -> String {
    "name".to_owned()
}

fn default_website_field() -> String {
    "website".to_owned()
}

fn default_delimiter() -> String {
    ",".to_owned()
}

fn default_encoding() -> String {
    "utf-8".to_owned()
}

impl DirectorySourceConfig {
    /// A source with the given name and kind and every other field at its default (no path, no url).
    pub fn new(name: impl Into<String>, kind: SourceKind) -> Self {
        DirectorySourceConfig {
            name: name.into(),
            kind,
            path: None,
            url: None,
            name_field: default_name_field(),
            website_field: default_website_field(),
            delimiter: default_delimiter(),
            encoding: default_encoding(),
            multiline_fields: false,
        }
    }

    /// The delimiter as a byte; a tab may be written as a real tab or as the two characters `\t`.
    pub fn delimiter_byte(&self) -> Result<u8, String> {
        match self.delimiter.as_bytes() {
            [byte] => Ok(*byte),
            br"\t" => Ok(b'\t'),
            _ => Err(format!(
                "`{}` is not a single-byte delimiter (e.g. \",\", \";\", \"\\t\")",
                self.delimiter
            )),
        }
    }

    /// The encoding, from any of its accepted spellings (case-insensitive).
    pub fn text_encoding(&self) -> Result<SourceEncoding, String> {
        match self.encoding.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(SourceEncoding::Utf8),
            "windows-1252" | "cp1252" | "latin1" | "iso-8859-1" => Ok(SourceEncoding::Windows1252),
            _ => Err(format!(
                "unknown encoding `{}` (use \"utf-8\" or \"windows-1252\")",
                self.encoding
            )),
        }
    }

    /// Checks one source; issue keys are relative to the source (`delimiter`, `url`, ...).
    pub fn validate(&self) -> Vec<ConfigIssue> {
        let mut issues = Vec::new();
        if self.name.trim().is_empty() {
            issues.push(ConfigIssue::new("name", "must not be empty"));
        }
        match (&self.path, &self.url) {
            (Some(_), Some(_)) => {
                issues.push(ConfigIssue::new("path", "give either `path` or `url`, not both"))
            }
            (None, None) => issues.push(ConfigIssue::new("path", "give the list's `path` or its `url`")),
            (None, Some(url)) => {
                if let Err(reason) = super::validate::http_url(url) {
                    issues.push(ConfigIssue::new("url", reason));
                }
            }
            (Some(_), None) => {}
        }
        if let Err(reason) = self.delimiter_byte() {
            issues.push(ConfigIssue::new("delimiter", reason));
        }
        if let Err(reason) = self.text_encoding() {
            issues.push(ConfigIssue::new("encoding", reason));
        }
        if self.name_field.trim().is_empty() && self.website_field.trim().is_empty() {
            let reason = "a list needs a name or a website column (both are empty)";
            issues.push(ConfigIssue::new("name_field", reason));
        }
        issues
    }
}

impl DirectoryConfig {
    /// Checks the built-in names, the URL overrides and every source (names unique across the list).
    pub fn validate(&self) -> Vec<ConfigIssue> {
        let mut issues = Vec::new();
        for (index, name) in self.builtin.iter().enumerate() {
            if !BUILTIN_DIRECTORIES.contains(&name.as_str()) {
                let reason = format!(
                    "unknown built-in directory `{name}` (known: {})",
                    known_builtins()
                );
                issues.push(ConfigIssue::new(format!("directory.builtin[{index}]"), reason));
            }
        }
        for (name, url) in &self.builtin_urls {
            let key = format!("directory.builtin_urls.{name}");
            if !BUILTIN_DIRECTORIES.contains(&name.as_str()) {
                let reason = format!(
                    "unknown built-in directory `{name}` (known: {})",
                    known_builtins()
                );
                issues.push(ConfigIssue::new(key.clone(), reason));
            }
            if let Err(reason) = super::validate::http_url(url) {
                issues.push(ConfigIssue::new(key, reason));
            }
        }
        for (key, size) in [
            ("directory.max_record_size", self.max_record_size),
            ("directory.max_source_size", self.max_source_size),
        ] {
            if size.as_u64() == 0 {
                issues.push(ConfigIssue::new(key, "must be more than 0"));
            }
        }
        issues.extend(self.source_issues());
        issues
    }

    fn source_issues(&self) -> Vec<ConfigIssue> {
        let mut issues = Vec::new();
        let mut seen = BTreeSet::new();
        for (index, source) in self.sources.iter().enumerate() {
            let prefix = format!("directory.sources[{index}]");
            issues.extend(source.validate().into_iter().map(|issue| issue.under(&prefix)));
            if !seen.insert(source.name.as_str()) {
                let reason = format!(
                    "source name `{}` is used twice; names must be unique",
                    source.name
                );
                issues.push(ConfigIssue::new(format!("{prefix}.name"), reason));
            }
        }
        issues
    }
}

fn known_builtins() -> String {
    BUILTIN_DIRECTORIES.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_source(name: &str) -> DirectorySourceConfig {
        DirectorySourceConfig {
            path: Some("companies.csv".into()),
            ..DirectorySourceConfig::new(name, SourceKind::Csv)
        }
    }

    #[test]
    fn delimiters_accept_one_byte_and_both_tab_spellings() {
        let mut source = csv_source("a");
        for (text, byte) in [(",", b','), (";", b';'), ("\t", b'\t'), ("\\t", b'\t')] {
            source.delimiter = text.to_owned();
            assert_eq!(source.delimiter_byte(), Ok(byte), "{text:?}");
        }
        for text in ["", ";;", "é"] {
            source.delimiter = text.to_owned();
            assert!(source.delimiter_byte().is_err(), "{text:?}");
        }
    }

    #[test]
    fn encodings_accept_every_spelling_case_insensitively() {
        let mut source = csv_source("a");
        for (text, encoding) in [
            ("UTF-8", SourceEncoding::Utf8),
            ("utf8", SourceEncoding::Utf8),
            ("Windows-1252", SourceEncoding::Windows1252),
            ("CP1252", SourceEncoding::Windows1252),
            ("latin1", SourceEncoding::Windows1252),
            ("ISO-8859-1", SourceEncoding::Windows1252),
        ] {
            source.encoding = text.to_owned();
            assert_eq!(source.text_encoding(), Ok(encoding), "{text}");
        }
        source.encoding = "utf-16".to_owned();
        assert_eq!(source.validate()[0].key, "encoding");
    }

    #[test]
    fn a_source_needs_exactly_one_of_path_and_url() {
        let mut source = csv_source("a");
        assert!(source.validate().is_empty());
        source.url = Some("https://example.com/list.csv".to_owned());
        assert_eq!(source.validate()[0].key, "path");
        source.path = None;
        assert!(source.validate().is_empty());
        source.url = Some("not a url".to_owned());
        assert_eq!(source.validate()[0].key, "url");
        source.url = None;
        assert_eq!(source.validate()[0].key, "path");
    }

    #[test]
    fn a_source_needs_a_name_or_a_website_column_and_caps_are_positive() {
        let mut source = csv_source("a");
        source.website_field = String::new();
        assert!(source.validate().is_empty(), "a list of names only");
        source.name_field = " ".to_owned();
        assert_eq!(source.validate()[0].key, "name_field");
        let directory = DirectoryConfig {
            max_record_size: ByteSize(0),
            ..DirectoryConfig::default()
        };
        let keys: Vec<String> = directory.validate().into_iter().map(|issue| issue.key).collect();
        assert_eq!(keys, ["directory.max_record_size"]);
    }

    #[test]
    fn directory_issues_name_the_key() {
        let mut directory = DirectoryConfig::default();
        directory.builtin.push("nowhere".to_owned());
        directory
            .builtin_urls
            .insert("catalonia".to_owned(), "ftp://x".to_owned());
        directory
            .builtin_urls
            .insert("atlantis".to_owned(), "http://atlantis.test/".to_owned());
        directory.sources = vec![csv_source("mine"), csv_source("mine")];
        let keys: Vec<String> = directory.validate().into_iter().map(|issue| issue.key).collect();
        assert_eq!(
            keys,
            [
                "directory.builtin[3]",
                "directory.builtin_urls.atlantis",
                "directory.builtin_urls.catalonia",
                "directory.sources[1].name",
            ]
        );
    }
}
