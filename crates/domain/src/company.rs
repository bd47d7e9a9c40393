//! Company identity (docs/original-system.md#ref-2, docs/stages.md#company-identity): name normalization,
//! website → domain, the input a directory row becomes, and the sales resolution lifecycle.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;
use url::Url;

/// One trailing Spanish legal form (S.L., SL, S.L.U., SLU, S.A., SA; optional dots, optional single space
/// between letters) preceded by commas and/or whitespace.
static LEGAL_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern: compiling it cannot fail (covered by the tests below).
    #[allow(clippy::expect_used)]
    Regex::new(r"^(.*?\S)[,\s]+(?:s\.?\s?l\.?(?:\s?u\.?)?|s\.?\s?a\.?)$").expect("valid legal-suffix regex")
});

/// Lower-case, strip diacritics, collapse whitespace, drop one trailing legal form
/// (docs/original-system.md#ref-2-1).
/// Returns `None` when nothing is left.
pub fn normalize_company_name(raw: &str) -> Option<String> {
    let folded: String = raw
        .trim()
        .to_lowercase()
        .nfd()
        .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
        .collect();
    let collapsed = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    let stripped = match LEGAL_SUFFIX.captures(&collapsed) {
        Some(caps) => caps.get(1).map_or(collapsed.as_str(), |m| m.as_str()).to_owned(),
        None => collapsed,
    };
    let trimmed = stripped.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// The identity domain of a website URL (docs/original-system.md#ref-2-2): host lower-cased, one leading
/// `www.` removed, hosts without a dot rejected. Port, path and query are ignored; no public-suffix logic.
pub fn website_domain(url: &Url) -> Option<String> {
    let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (host.contains('.') && !host.starts_with('.')).then(|| host.to_owned())
}

/// Parses a website as written in a list: absolute http(s) URLs, or bare hosts such as `acme.com/about`
/// (taken as `https://`). Whitespace inside, other schemes, or no usable domain are errors.
pub fn parse_website(raw: &str) -> Result<Url, IdentityError> {
    let raw = raw.trim();
    let bad = || IdentityError::BadWebsite(crate::text::echo(raw).into_owned());
    if raw.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    let has_scheme = raw
        .split_once("://")
        .is_some_and(|(s, _)| s.chars().all(|c| c.is_ascii_alphabetic()));
    let url = if has_scheme {
        Url::parse(raw)
    } else {
        Url::parse(&format!("https://{raw}"))
    }
    .map_err(|_| bad())?;
    if !matches!(url.scheme(), "http" | "https") || website_domain(&url).is_none() {
        return Err(bad());
    }
    Ok(url)
}

/// Why a row cannot become a company.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    /// The row has neither a usable name nor a website: nothing to identify a company by.
    #[error("no name and no website")]
    NoIdentity,
    /// The website as written, cut for echoing ([`crate::text::echo`]).
    #[error("bad website URL `{0}`")]
    BadWebsite(String),
    /// The website passes [`MAX_WEBSITE_CHARS`]: no real site needs that, so the row is refused.
    #[error("website longer than {MAX_WEBSITE_CHARS} characters")]
    WebsiteTooLong,
}

/// Longest name stored, in characters: a longer one is cut (it is a name, not a document).
pub const MAX_NAME_CHARS: usize = 300;

/// Longest website accepted, in characters: a longer one makes the row bad.
pub const MAX_WEBSITE_CHARS: usize = 2000;

/// `text` without control characters (NUL and the like, which PostgreSQL refuses and no name needs);
/// tabs, line breaks and other whitespace controls become spaces.
fn without_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    text.chars()
        .filter_map(|c| match c {
            c if c.is_whitespace() => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect::<String>()
        .into()
}

/// The name as stored: no control characters, trimmed, at most [`MAX_NAME_CHARS`] characters.
fn clean_name(raw: &str) -> Option<String> {
    let clean = without_controls(raw);
    let trimmed = clean.trim();
    let capped = match trimmed.char_indices().nth(MAX_NAME_CHARS) {
        Some((end, _)) => trimmed[..end].trim_end(),
        None => trimmed,
    };
    (!capped.is_empty()).then(|| capped.to_owned())
}

/// What a directory row becomes: the fields a company is identified and displayed by.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CompanyInput {
    /// The name as listed (control characters stripped, cut at [`MAX_NAME_CHARS`]).
    pub name_raw: Option<String>,
    /// The name as shown: runs of white space made one space.
    pub name_display: Option<String>,
    /// The name as matched: lower case, no accents, one trailing S.L./S.A./S.L.U. removed; identifies a
    /// company only when it has no domain.
    pub normalized_name: Option<String>,
    /// The website as a URL (`https://` added when the list gave no scheme).
    pub website_url: Option<String>,
    /// The website's domain without `www.`: the company's identity when present.
    pub website_domain: Option<String>,
}

impl CompanyInput {
    /// Builds the identity from a name and a website as listed. A name with no website is a valid
    /// name-only company; a website that does not parse is an error even when a name is present.
    /// Control characters are stripped from both; the name is cut at [`MAX_NAME_CHARS`], a website over
    /// [`MAX_WEBSITE_CHARS`] is an error.
    pub fn from_listing(name: Option<&str>, website: Option<&str>) -> Result<Self, IdentityError> {
        let name = name.and_then(clean_name);
        let name = name.as_deref();
        let website = website.map(without_controls);
        let website = website.as_deref().map(str::trim).filter(|w| !w.is_empty());
        if website.is_some_and(|w| w.chars().nth(MAX_WEBSITE_CHARS).is_some()) {
            return Err(IdentityError::WebsiteTooLong);
        }
        let url = website.map(parse_website).transpose()?;
        let normalized_name = name.and_then(normalize_company_name);
        let website_domain = url.as_ref().and_then(website_domain);
        if normalized_name.is_none() && website_domain.is_none() {
            return Err(IdentityError::NoIdentity);
        }
        let display = name.map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "));
        Ok(Self {
            name_raw: name.map(str::to_owned),
            name_display: display,
            normalized_name,
            website_url: url.map(String::from),
            website_domain,
        })
    }

    /// Whether the company's domain is `excluded` or one of its subdomains.
    pub fn is_excluded_by(&self, excluded: &[String]) -> bool {
        self.website_domain
            .as_deref()
            .is_some_and(|d| domain_matches(d, excluded))
    }
}

/// Whether `domain` is one of `list` or a subdomain of one of them (entries compared without `www.`).
pub fn domain_matches(domain: &str, list: &[String]) -> bool {
    list.iter().any(|entry| {
        let entry = entry.trim().trim_start_matches("www.").to_ascii_lowercase();
        !entry.is_empty() && (domain == entry || domain.ends_with(&format!(".{entry}")))
    })
}

/// The sales team's resolution of a company (sheet column C).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Resolution {
    /// Nobody has looked at the company yet (every new company).
    #[default]
    Pending,
    /// A salesperson is working on it.
    InProgress,
    /// Looked at and worth pursuing first.
    HighInterest,
    /// Already a customer: resolved, its boards are no longer ingested.
    AlreadyRevolut,
    /// Taken on: resolved.
    Accepted,
    /// Not a fit: resolved.
    Rejected,
}

impl Resolution {
    /// Every resolution, in the order of the sheet's drop-down.
    pub const ALL: [Resolution; 6] = [
        Resolution::Pending,
        Resolution::InProgress,
        Resolution::HighInterest,
        Resolution::AlreadyRevolut,
        Resolution::Accepted,
        Resolution::Rejected,
    ];

    /// The SCREAMING_SNAKE_CASE name stored in the DB and written in the sheet's column C.
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Pending => "PENDING",
            Resolution::InProgress => "IN_PROGRESS",
            Resolution::HighInterest => "HIGH_INTEREST",
            Resolution::AlreadyRevolut => "ALREADY_REVOLUT",
            Resolution::Accepted => "ACCEPTED",
            Resolution::Rejected => "REJECTED",
        }
    }

    /// Trimmed, case-insensitive parse of a sheet or DB value.
    pub fn parse(text: &str) -> Option<Self> {
        let wanted = text.trim().to_ascii_uppercase();
        Self::ALL.into_iter().find(|r| r.as_str() == wanted)
    }

    /// Resolved companies are neither discovered nor ingested; their data is kept.
    pub fn is_resolved(self) -> bool {
        matches!(
            self,
            Resolution::AlreadyRevolut | Resolution::Accepted | Resolution::Rejected
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_suffixes_are_stripped_once_at_the_end_only() {
        let cases = [
            ("Acme, S.L.", "acme"),
            ("Foo SLU", "foo"),
            ("Bar S.A.", "bar"),
            ("Baz s. l. u.", "baz"),
            ("  Ñandú   Labs  ", "nandu labs"),
            ("Acme Inc.", "acme inc."),
            ("Sala Slim", "sala slim"),
            ("Mesa", "mesa"),
            ("SA", "sa"),
            ("Café SL SL", "cafe sl"),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize_company_name(raw).as_deref(), Some(want), "{raw}");
        }
        assert_eq!(normalize_company_name("   "), None);
    }

    #[test]
    fn domains_ignore_www_case_port_path_and_need_a_dot() {
        let d = |s: &str| website_domain(&Url::parse(s).unwrap());
        assert_eq!(
            d("https://WWW.Acme.com:8080/about?x=1").as_deref(),
            Some("acme.com")
        );
        assert_eq!(d("http://sub.example.com/").as_deref(), Some("sub.example.com"));
        assert_eq!(d("http://localhost:3000"), None);
    }

    #[test]
    fn listing_rows_accept_bare_hosts_and_reject_bad_urls() {
        let c = CompanyInput::from_listing(Some("Acme"), Some("www.acme.com/")).unwrap();
        assert_eq!(c.website_domain.as_deref(), Some("acme.com"));
        assert_eq!(c.website_url.as_deref(), Some("https://www.acme.com/"));
        let name_only = CompanyInput::from_listing(Some("Acme, S.L."), None).unwrap();
        assert_eq!(name_only.normalized_name.as_deref(), Some("acme"));
        assert_eq!(
            CompanyInput::from_listing(None, Some(" ")),
            Err(IdentityError::NoIdentity)
        );
        assert!(matches!(
            CompanyInput::from_listing(Some("X"), Some("ht tp://bad")),
            Err(IdentityError::BadWebsite(_))
        ));
        assert!(CompanyInput::from_listing(Some("X"), Some("ftp://acme.com")).is_err());
        assert!(CompanyInput::from_listing(Some("X"), Some("http://localhost")).is_err());
    }

    #[test]
    fn control_characters_are_stripped_from_names_and_websites() {
        let c = CompanyInput::from_listing(Some("Ac\u{0}me\tLabs\u{7}"), Some("acme.com\u{0}")).unwrap();
        assert_eq!(c.name_raw.as_deref(), Some("Acme Labs"));
        assert_eq!(c.name_display.as_deref(), Some("Acme Labs"));
        assert_eq!(c.website_url.as_deref(), Some("https://acme.com/"));
        assert_eq!(
            CompanyInput::from_listing(Some("\u{0}\u{1}"), None),
            Err(IdentityError::NoIdentity)
        );
    }

    #[test]
    fn names_are_capped_at_300_characters() {
        let long = format!("{} tail", "ñ".repeat(10_000_000 / 2));
        let c = CompanyInput::from_listing(Some(&long), None).unwrap();
        assert_eq!(
            c.name_raw.as_deref().map(|n| n.chars().count()),
            Some(MAX_NAME_CHARS)
        );
        assert_eq!(c.name_display, c.name_raw);
        assert_eq!(
            c.normalized_name.as_deref().map(|n| n.chars().count()),
            Some(MAX_NAME_CHARS)
        );
    }

    #[test]
    fn a_website_over_2000_characters_is_a_bad_row_and_bad_websites_are_echoed_cut() {
        let long = format!("https://acme.com/{}", "a".repeat(MAX_WEBSITE_CHARS));
        let error = CompanyInput::from_listing(Some("Acme"), Some(&long)).unwrap_err();
        assert_eq!(error.to_string(), "website longer than 2000 characters");
        let path = "a".repeat(MAX_WEBSITE_CHARS - "https://acme.com/".len());
        assert!(CompanyInput::from_listing(None, Some(&format!("https://acme.com/{path}"))).is_ok());
        let spaced = format!("http://exa mple.com/{}", "b".repeat(1900));
        let error = CompanyInput::from_listing(None, Some(&spaced))
            .unwrap_err()
            .to_string();
        assert!(error.len() < 300 && error.ends_with("…`"), "{error}");
    }

    #[test]
    fn exclusion_covers_subdomains() {
        let c = CompanyInput::from_listing(None, Some("https://es.linkedin.com/company/x")).unwrap();
        assert!(c.is_excluded_by(&["linkedin.com".into()]));
        assert!(!c.is_excluded_by(&["inkedin.com".into()]));
    }

    #[test]
    fn resolution_parses_case_insensitively() {
        assert_eq!(
            Resolution::parse(" high_interest "),
            Some(Resolution::HighInterest)
        );
        assert_eq!(Resolution::parse(""), None);
        assert!(Resolution::Rejected.is_resolved() && !Resolution::InProgress.is_resolved());
    }
}
