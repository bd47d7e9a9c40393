//! The world's data: companies and their websites, boards and postings, directories.

mod jsonld;

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// An ATS the world plays: the product's own provider list, so the two can never drift apart.
pub use pipeline_domain::Provider;

pub use jsonld::{JsonLdKind, JsonLdLayout, JsonLdSite};

/// A board reference as docs/interfaces.md#7-board-references writes it: `PROVIDER:TENANT[@VARIANT]`,
/// Workday `workday:TENANT/POD/SITE`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct BoardRef {
    pub provider: Provider,
    /// As the provider spells it (case kept).
    pub tenant: String,
    /// `eu` (Lever, Greenhouse) or `com` (Personio).
    pub variant: Option<String>,
    /// Workday pod (`wd3`) and site (`External`).
    pub workday: Option<(String, String)>,
}

impl BoardRef {
    pub fn new(provider: Provider, tenant: impl Into<String>) -> Self {
        BoardRef {
            provider,
            tenant: tenant.into(),
            variant: None,
            workday: None,
        }
    }

    pub fn with_variant(mut self, variant: &str) -> Self {
        self.variant = Some(variant.to_owned());
        self
    }

    pub fn workday(tenant: impl Into<String>, pod: &str, site: &str) -> Self {
        BoardRef {
            provider: Provider::Workday,
            tenant: tenant.into(),
            variant: None,
            workday: Some((pod.to_owned(), site.to_owned())),
        }
    }

    /// The lookup key: the reference in lower case.
    pub fn key(&self) -> String {
        self.to_string().to_ascii_lowercase()
    }

    pub fn is_variant(&self, variant: &str) -> bool {
        self.variant.as_deref() == Some(variant)
    }

    /// The board's public page, as a company's site would link it.
    pub fn public_url(&self) -> String {
        let t = &self.tenant;
        match self.provider {
            Provider::Lever if self.is_variant("eu") => format!("https://jobs.eu.lever.co/{t}"),
            Provider::Lever => format!("https://jobs.lever.co/{t}"),
            Provider::Greenhouse if self.is_variant("eu") => {
                format!("https://job-boards.eu.greenhouse.io/{t}")
            }
            Provider::Greenhouse => format!("https://boards.greenhouse.io/{t}"),
            Provider::Ashby => format!("https://jobs.ashbyhq.com/{t}"),
            Provider::Workable => format!("https://apply.workable.com/{t}/"),
            Provider::SmartRecruiters => format!("https://careers.smartrecruiters.com/{t}"),
            Provider::Recruitee => format!("https://{t}.recruitee.com/"),
            Provider::Personio if self.is_variant("com") => format!("https://{t}.jobs.personio.com/"),
            Provider::Personio => format!("https://{t}.jobs.personio.de/"),
            Provider::Teamtailor => format!("https://{t}.teamtailor.com/jobs"),
            Provider::Workday => {
                let (pod, site) = self.workday.clone().unwrap_or_default();
                format!("https://{t}.{pod}.myworkdayjobs.com/{site}")
            }
            // The tenant is the careers page's URL.
            Provider::JsonLd => t.clone(),
        }
    }
}

impl fmt::Display for BoardRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.provider, self.tenant)?;
        if let Some((pod, site)) = &self.workday {
            write!(f, "/{pod}/{site}")?;
        }
        match &self.variant {
            Some(v) => write!(f, "@{v}"),
            None => Ok(()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Lang {
    Es,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Workplace {
    Remote,
    Hybrid,
    OnSite,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Employment {
    FullTime,
    PartTime,
    Contract,
    Internship,
}

impl Employment {
    pub fn label(self) -> &'static str {
        match self {
            Employment::FullTime => "Full-time",
            Employment::PartTime => "Part-time",
            Employment::Contract => "Contract",
            Employment::Internship => "Internship",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    pub city: String,
    pub region: String,
    /// ISO 3166 alpha-2 code.
    pub country_code: String,
    pub country: String,
}

impl Location {
    pub fn new(city: &str, region: &str, code: &str, country: &str) -> Self {
        Location {
            city: city.into(),
            region: region.into(),
            country_code: code.into(),
            country: country.into(),
        }
    }

    pub fn label(&self) -> String {
        format!("{}, {}", self.city, self.country)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Salary {
    pub min: u32,
    pub max: u32,
    pub currency: String,
    /// `year`, `month` or `hour`.
    pub period: String,
}

/// A posting's description: generated text (rendered on demand, which keeps big worlds small) or given HTML.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Description {
    Generated { seed: u64, lang: Lang, fx: bool },
    Html(String),
}

/// An open posting on a board.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Posting {
    /// The provider's id: UUID (Lever, Ashby), integer (Greenhouse, Recruitee, ...), shortcode (Workable),
    /// requisition id (Workday).
    pub id: String,
    pub title: String,
    pub description: Description,
    pub location: Location,
    pub department: String,
    pub employment: Employment,
    pub workplace: Workplace,
    pub salary: Option<Salary>,
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// JSON-LD's `validThrough`, when the site gives one (only careers pages show it).
    pub valid_through: Option<DateTime<Utc>>,
    pub requisition_id: String,
    /// Ashby `isListed`; unlisted postings are served but are not real openings.
    pub listed: bool,
    /// Ground truth: the posting carries a positive FX / international-payments signal.
    pub fx: bool,
    /// Ground truth: the id of the earlier posting this one reposts (same title and description).
    pub repost_of: Option<String>,
}

/// A board as its provider serves it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Board {
    pub reference: BoardRef,
    /// The company name the provider's API reports (Greenhouse, Workable, SmartRecruiters, ...).
    pub company_name: String,
    /// Open postings, oldest first.
    pub postings: Vec<Posting>,
    /// Last change, served as `Last-Modified`.
    pub updated_at: DateTime<Utc>,
}

/// How a company's site links its board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LinkForm {
    /// The board's canonical public URL in an `<a href>`.
    Anchor,
    /// Another public host of the provider (`job-boards.greenhouse.io`, `X.workable.com`, Workday with a locale,
    /// `jobs.smartrecruiters.com`, Lever's API URL in a script).
    AltAnchor,
    /// A link to one posting on the ATS (`jobs.lever.co/X/<id>`, `boards.greenhouse.io/X/jobs/<id>`, ...).
    PostingLink,
    /// The board in an `<iframe>` (`jobs.ashbyhq.com/X/embed`, `boards.greenhouse.io/embed/job_board?for=X`, ...).
    Iframe,
    /// A `<script src>` embed (`boards.greenhouse.io/embed/job_board/js?for=X` + `#grnhse_app`,
    /// `jobs.ashbyhq.com/X/embed?version=2`).
    Script,
    /// Greenhouse on a custom page: `?gh_jid=` links plus an inline script calling `boards-api.greenhouse.io`.
    GhJid,
}

/// Which page of the site carries a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LinkPage {
    Home,
    Careers,
    /// A career-looking page that only the home page links to (one hop).
    Deep,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardLink {
    pub board: BoardRef,
    pub form: LinkForm,
    pub page: LinkPage,
}

/// Things on a site that look like a board and are not this company's board.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Decoy {
    /// A blog post mentioning `lever.co` and `greenhouse.io` with no tenant.
    BlogMention,
    /// `boards.greenhouse.io/embed/...` and `api.lever.co/v0/postings/` URLs with reserved segments only.
    ReservedSegments,
    /// A link to another company's board ("our partner is hiring").
    OtherCompanyBoard(BoardRef),
    /// A link to a board the provider does not know (its API answers 404).
    BrokenBoard(BoardRef),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    /// One of the career paths of docs/original-system.md#ref-4, or None (no careers page).
    pub careers_path: Option<String>,
    /// The path of the one-hop page (linked from home, not a candidate path), when a link is on it.
    pub deep_path: String,
    pub links: Vec<BoardLink>,
    pub decoys: Vec<Decoy>,
    /// schema.org `JobPosting` JSON-LD on its careers pages, when it has some (needs `careers_path`).
    pub jsonld: Option<JsonLdSite>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Company {
    pub name: String,
    /// `<slug>.test`
    pub domain: String,
    pub site: Site,
    /// Ground truth: most of its postings carry FX signals.
    pub fx_exposed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DirectoryKind {
    Catalonia,
    Madrimasd,
    Lanzadera,
}

impl DirectoryKind {
    pub const ALL: [DirectoryKind; 3] = [
        DirectoryKind::Catalonia,
        DirectoryKind::Madrimasd,
        DirectoryKind::Lanzadera,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DirectoryKind::Catalonia => "catalonia",
            DirectoryKind::Madrimasd => "madrimasd",
            DirectoryKind::Lanzadera => "lanzadera",
        }
    }

    /// The host the world serves the directory on.
    pub fn host(self) -> String {
        format!("{}.test", self.key())
    }

    /// The listing page path (the real site's).
    pub fn listing_path(self) -> &'static str {
        match self {
            DirectoryKind::Catalonia => "/list-of-startups",
            DirectoryKind::Madrimasd => "/emprendedores/emprendedores-casos-exito/nuevas-empresas-madrid",
            DirectoryKind::Lanzadera => "/proyectos/",
        }
    }

    pub fn from_host(host: &str) -> Option<DirectoryKind> {
        Self::ALL.into_iter().find(|k| k.host() == host)
    }
}

/// Where a directory's detail page points as the company website.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum WebsiteLink {
    /// A path on the company's own `*.test` domain (`/` or a deep link like `/es/inicio?utm_source=dir`).
    Company { domain: String, path: String },
    /// Any other URL, verbatim.
    External(String),
    /// No website on the page.
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirectoryEntry {
    /// The name on the card (may carry a legal form: "Acme, S.L.").
    pub name: String,
    pub slug: String,
    /// Catalonia's numeric id.
    pub id: u64,
    /// Catalonia's location segment.
    pub location: String,
    pub website: WebsiteLink,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Directory {
    pub kind: DirectoryKind,
    pub entries: Vec<DirectoryEntry>,
}
