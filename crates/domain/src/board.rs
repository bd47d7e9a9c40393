//! ATS providers and board references (`PROVIDER:TENANT[@VARIANT]`, docs/interfaces.md#7-board-references).

mod page_url;

use std::fmt;
use std::str::FromStr;

pub use page_url::{PageUrlError, is_tracking_parameter, normalize_page_url, page_url};

/// A supported applicant tracking system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Lever (`api.lever.co`, `api.eu.lever.co` for `@eu`).
    Lever,
    /// Greenhouse's job board API (`boards-api.greenhouse.io`, `@eu` on its EU host).
    Greenhouse,
    /// Ashby (`api.ashbyhq.com`).
    Ashby,
    /// Workable (`apply.workable.com`).
    Workable,
    /// SmartRecruiters' posting API (a detail call per posting for its description).
    SmartRecruiters,
    /// Recruitee: one host per tenant (`TENANT.recruitee.com`).
    Recruitee,
    /// Personio's XML feed: one host per tenant (`.de`, or `.com` for `@com`).
    Personio,
    /// Teamtailor: one host per tenant (`TENANT.teamtailor.com`).
    Teamtailor,
    /// Workday's career site API (`TENANT/POD/SITE`; a detail call per posting).
    Workday,
    /// No ATS: schema.org `JobPosting` JSON-LD on the company's own careers page and the job pages it
    /// links; the tenant is the careers page's URL (docs/ats-apis.md#jsonld).
    JsonLd,
}

impl Provider {
    /// Every provider, in the order configuration and reports list them.
    pub const ALL: [Provider; 10] = [
        Provider::Lever,
        Provider::Greenhouse,
        Provider::Ashby,
        Provider::Workable,
        Provider::SmartRecruiters,
        Provider::Recruitee,
        Provider::Personio,
        Provider::Teamtailor,
        Provider::Workday,
        Provider::JsonLd,
    ];

    /// The lower-case name used in board references, `[providers.X]`, pauses and logs.
    pub fn key(self) -> &'static str {
        match self {
            Provider::Lever => "lever",
            Provider::Greenhouse => "greenhouse",
            Provider::Ashby => "ashby",
            Provider::Workable => "workable",
            Provider::SmartRecruiters => "smartrecruiters",
            Provider::Recruitee => "recruitee",
            Provider::Personio => "personio",
            Provider::Teamtailor => "teamtailor",
            Provider::Workday => "workday",
            Provider::JsonLd => "jsonld",
        }
    }

    /// Whether the provider's boards are pages of the company's own site (`jsonld`): read through the
    /// SSRF-guarded page client, politeness per site, no API base URL.
    pub fn reads_company_sites(self) -> bool {
        matches!(self, Provider::JsonLd)
    }

    /// Whether a posting's description comes only from one detail call per posting (SmartRecruiters,
    /// Workday): the calls `ingestion.detail_calls_per_cycle` caps and detail freshness spares.
    pub fn calls_details(self) -> bool {
        matches!(self, Provider::SmartRecruiters | Provider::Workday)
    }

    /// The provider of a key, any case, surrounding spaces ignored; `None` for an unknown name.
    pub fn parse(key: &str) -> Option<Provider> {
        let key = key.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The host-family variants the provider has besides its default host.
    pub fn variants(self) -> &'static [&'static str] {
        match self {
            Provider::Lever | Provider::Greenhouse => &["eu"],
            Provider::Personio => &["com"],
            _ => &[],
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A board reference. The tenant keeps the provider's case; references compare case-insensitively.
#[derive(Debug, Clone, Eq)]
pub struct BoardRef {
    /// Whose API serves the board.
    pub provider: Provider,
    /// The provider's name for the company's board (`acme`; Workday `acme/wd3/Careers`).
    pub tenant: String,
    /// The host family when not the default one (`eu`, `com`).
    pub variant: Option<String>,
}

/// Why a text is not a board reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BoardRefError {
    /// Not `PROVIDER:TENANT[@VARIANT]` (no colon, an empty tenant).
    #[error("`{0}` is not a board reference (PROVIDER:TENANT[@VARIANT])")]
    Shape(String),
    /// The part before the colon names no supported provider.
    #[error("unknown provider `{0}`")]
    UnknownProvider(String),
    /// A variant the provider does not have (`lever:acme@com`).
    #[error("provider `{provider}` has no variant `{variant}`")]
    UnknownVariant {
        /// The provider named.
        provider: Provider,
        /// The variant asked for.
        variant: String,
    },
    /// A Workday tenant that is not `TENANT/POD/SITE`.
    #[error("a workday tenant is written TENANT/POD/SITE, got `{0}`")]
    WorkdayShape(String),
    /// A `jsonld` tenant that is not an http(s) URL (`jsonld:https://acme.com/careers`).
    #[error("a jsonld tenant is the careers page's URL, e.g. jsonld:https://acme.com/careers: {0}")]
    PageUrl(PageUrlError),
}

impl FromStr for BoardRef {
    type Err = BoardRefError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (provider, rest) = text
            .split_once(':')
            .ok_or_else(|| BoardRefError::Shape(text.to_owned()))?;
        let provider =
            Provider::parse(provider).ok_or_else(|| BoardRefError::UnknownProvider(provider.into()))?;
        if provider.reads_company_sites() {
            // The tenant is a URL: it has colons, and an `@` or `/` of its own; no provider of this kind
            // has variants.
            let url = normalize_page_url(rest).map_err(BoardRefError::PageUrl)?;
            return Ok(BoardRef::careers_page(&url));
        }
        let (tenant, variant) = match rest.rsplit_once('@') {
            Some((t, v)) => (t, Some(v.to_ascii_lowercase())),
            None => (rest, None),
        };
        let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/');
        if tenant.is_empty() || !tenant.chars().all(valid) {
            return Err(BoardRefError::Shape(text.to_owned()));
        }
        if provider == Provider::Workday && tenant.split('/').filter(|p| !p.is_empty()).count() != 3 {
            return Err(BoardRefError::WorkdayShape(tenant.to_owned()));
        }
        if provider != Provider::Workday && tenant.contains('/') {
            return Err(BoardRefError::Shape(text.to_owned()));
        }
        if let Some(v) = &variant
            && !provider.variants().contains(&v.as_str())
        {
            return Err(BoardRefError::UnknownVariant {
                provider,
                variant: v.clone(),
            });
        }
        Ok(BoardRef {
            provider,
            tenant: tenant.to_owned(),
            variant,
        })
    }
}

impl fmt::Display for BoardRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.provider, self.tenant)?;
        match &self.variant {
            Some(v) => write!(f, "@{v}"),
            None => Ok(()),
        }
    }
}

impl BoardRef {
    /// The `jsonld` board of a careers page, its URL normalized as [`page_url`] does (an http(s) URL with a
    /// host is expected: the URL is taken as it is otherwise).
    pub fn careers_page(url: &url::Url) -> BoardRef {
        let tenant = page_url(url).unwrap_or_else(|| url.clone());
        BoardRef {
            provider: Provider::JsonLd,
            tenant: tenant.into(),
            variant: None,
        }
    }

    /// The normalized reference (tenant in lower case): the identity of a board in the database.
    pub fn key(&self) -> String {
        self.to_string().to_ascii_lowercase()
    }
}

/// Where a stored board stands (docs/stages.md#discovery-evidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BoardStatus {
    /// Validated: ingested.
    Active,
    /// Answered, but under a company name that does not match: kept, listed by `status`, not ingested until
    /// confirmed in `[[boards]]`.
    Suspect,
    /// Was active; its provider now says it does not exist.
    Gone,
    /// Found on the site, but its provider says it does not exist: evidence only.
    Invalid,
}

impl BoardStatus {
    /// The name stored in the `boards` table and shown by `companies --json`.
    pub fn as_str(self) -> &'static str {
        match self {
            BoardStatus::Active => "active",
            BoardStatus::Suspect => "suspect",
            BoardStatus::Gone => "gone",
            BoardStatus::Invalid => "invalid",
        }
    }

    /// The status of a stored name; `None` for an unknown one.
    pub fn parse(text: &str) -> Option<BoardStatus> {
        [
            BoardStatus::Active,
            BoardStatus::Suspect,
            BoardStatus::Gone,
            BoardStatus::Invalid,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

impl fmt::Display for BoardStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for BoardRef {
    fn eq(&self, other: &Self) -> bool {
        self.provider == other.provider
            && self.tenant.eq_ignore_ascii_case(&other.tenant)
            && self.variant == other.variant
    }
}

impl std::hash::Hash for BoardRef {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.provider.hash(state);
        self.tenant.to_ascii_lowercase().hash(state);
        self.variant.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse_print_and_compare_case_insensitively() {
        for text in [
            "greenhouse:acme",
            "lever:acme@eu",
            "personio:acme@com",
            "smartrecruiters:AcmeGroup",
        ] {
            assert_eq!(text.parse::<BoardRef>().unwrap().to_string(), text);
        }
        let wd: BoardRef = "workday:acme/wd3/External_Careers".parse().unwrap();
        assert_eq!(wd.tenant, "acme/wd3/External_Careers");
        assert_eq!(
            "lever:PiCorp".parse::<BoardRef>().unwrap(),
            "LEVER:picorp".parse().unwrap()
        );
    }

    #[test]
    fn bad_references_say_why() {
        assert!(matches!("acme".parse::<BoardRef>(), Err(BoardRefError::Shape(_))));
        assert!(matches!(
            "jobvite:x".parse::<BoardRef>(),
            Err(BoardRefError::UnknownProvider(_))
        ));
        assert!(matches!(
            "ashby:x@eu".parse::<BoardRef>(),
            Err(BoardRefError::UnknownVariant { .. })
        ));
        assert!(matches!(
            "workday:acme".parse::<BoardRef>(),
            Err(BoardRefError::WorkdayShape(_))
        ));
        for bad in ["jsonld:acme", "jsonld:ftp://acme.com/jobs", "jsonld:"] {
            assert!(
                matches!(bad.parse::<BoardRef>(), Err(BoardRefError::PageUrl(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_jsonld_reference_is_its_normalized_careers_page_and_round_trips() {
        let board: BoardRef = " JSONLD:HTTPS://Acme.com/Careers?utm_source=x&team=eng#top "
            .parse()
            .unwrap();
        assert_eq!(board.provider, Provider::JsonLd);
        assert_eq!(board.tenant, "https://acme.com/Careers?team=eng");
        assert_eq!(board.variant, None);
        let text = board.to_string();
        assert_eq!(text, "jsonld:https://acme.com/Careers?team=eng");
        assert_eq!(text.parse::<BoardRef>().unwrap(), board);
        let at: BoardRef = "jsonld:https://acme.com/@team/jobs".parse().unwrap();
        assert_eq!(
            at.tenant, "https://acme.com/@team/jobs",
            "an `@` is no variant here"
        );
        assert!(!board.to_string().contains(';'));
        assert!(Provider::JsonLd.reads_company_sites() && !Provider::Lever.reads_company_sites());
    }
}
