//! The world's state: what every party serves, the operations that change it and its ground truth.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::Serialize;

use crate::companies::DomainIndex;
use crate::model::{
    Board, BoardRef, Company, Description, Directory, DirectoryKind, Employment, JsonLdKind, JsonLdSite,
    Lang, Location, Posting, Provider, WebsiteLink, Workplace,
};

/// The default spreadsheet id the world's Google serves.
pub const SPREADSHEET_ID: &str = "1WorldTestkitSpreadsheet0000000000000000000";

/// Everything the world serves. Pure data: [`World::start`] puts it behind a server.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct World {
    pub seed: u64,
    /// The world's day 0 (midnight UTC).
    pub start: DateTime<Utc>,
    /// Days advanced since `start`.
    pub day: u32,
    /// Add companies with [`World::add_company`], which indexes them by domain for the per-request lookup
    /// ([`World::company`]); one pushed here directly is still found, by a scan. A company's domain is its
    /// identity: not changed in place.
    pub companies: Vec<Company>,
    /// Where each company of `companies` is, by domain in lower case.
    #[serde(skip)]
    pub(crate) by_domain: DomainIndex,
    /// Boards by [`BoardRef::key`].
    pub boards: BTreeMap<String, Board>,
    pub directories: Vec<Directory>,
    pub spreadsheet_id: String,
    /// The port company sites are served on (80 until the world is started): the references of `jsonld`
    /// boards, their careers pages' URLs, carry it.
    pub site_port: u16,
    /// Source of ids for postings added by hand.
    pub(crate) serial: u64,
}

/// What the world knows to be true: what a perfect pipeline would find.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroundTruth {
    pub companies: Vec<CompanyTruth>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompanyTruth {
    pub name: String,
    pub domain: String,
    /// Boards linked from the company's own site that their provider serves.
    pub boards: Vec<BoardRef>,
    /// Links on the site that are not this company's board (another company's board, a broken link).
    pub decoy_boards: Vec<BoardRef>,
    /// Listed open postings over its boards.
    pub open_postings: usize,
    /// Listed open postings with a positive FX signal.
    pub fx_postings: usize,
    pub fx_exposed: bool,
    /// Directories listing the company.
    pub directories: Vec<DirectoryKind>,
    /// The JSON-LD of its careers pages, if any (whose postings, where, how cleanly written).
    pub jsonld: Option<JsonLdSite>,
}

impl GroundTruth {
    pub fn company(&self, domain: &str) -> Option<&CompanyTruth> {
        self.companies.iter().find(|c| c.domain == domain)
    }
}

impl World {
    /// A world with nothing in it but an empty spreadsheet.
    pub fn empty(seed: u64) -> World {
        World {
            seed,
            start: default_start(),
            day: 0,
            companies: Vec::new(),
            by_domain: DomainIndex::default(),
            boards: BTreeMap::new(),
            directories: DirectoryKind::ALL
                .iter()
                .map(|&kind| Directory {
                    kind,
                    entries: Vec::new(),
                })
                .collect(),
            spreadsheet_id: SPREADSHEET_ID.to_owned(),
            site_port: 80,
            serial: 1,
        }
    }

    /// The world's current time: 08:00 UTC of the current day.
    pub fn now(&self) -> DateTime<Utc> {
        self.start + Duration::days(i64::from(self.day)) + Duration::hours(8)
    }

    pub fn board(&self, reference: &BoardRef) -> Option<&Board> {
        self.boards.get(&reference.key())
    }

    pub fn board_mut(&mut self, reference: &BoardRef) -> Option<&mut Board> {
        self.boards.get_mut(&reference.key())
    }

    pub fn directory(&self, kind: DirectoryKind) -> Option<&Directory> {
        self.directories.iter().find(|d| d.kind == kind)
    }

    pub fn directory_mut(&mut self, kind: DirectoryKind) -> &mut Directory {
        if let Some(i) = self.directories.iter().position(|d| d.kind == kind) {
            return &mut self.directories[i];
        }
        self.directories.push(Directory {
            kind,
            entries: Vec::new(),
        });
        let last = self.directories.len() - 1;
        &mut self.directories[last]
    }

    /// Adds a board or replaces the one with the same reference.
    pub fn add_board(&mut self, board: Board) {
        self.boards.insert(board.reference.key(), board);
    }

    /// Removes a board: its API answers 404 from now on.
    pub fn remove_board(&mut self, reference: &BoardRef) -> Option<Board> {
        self.boards.remove(&reference.key())
    }

    /// Opens a posting on a board. False when the board does not exist.
    pub fn add_posting(&mut self, reference: &BoardRef, posting: Posting) -> bool {
        let now = self.now();
        match self.board_mut(reference) {
            Some(board) => {
                board.postings.push(posting);
                board.updated_at = now;
                true
            }
            None => false,
        }
    }

    /// Closes (removes) a posting.
    pub fn close_posting(&mut self, reference: &BoardRef, id: &str) -> Option<Posting> {
        let now = self.now();
        let board = self.board_mut(reference)?;
        let i = board.postings.iter().position(|p| p.id == id)?;
        board.updated_at = now;
        Some(board.postings.remove(i))
    }

    /// Changes a posting in place (title, description, ...); bumps its `updated_at`.
    pub fn modify_posting(
        &mut self,
        reference: &BoardRef,
        id: &str,
        change: impl FnOnce(&mut Posting),
    ) -> bool {
        let now = self.now();
        let Some(board) = self.board_mut(reference) else {
            return false;
        };
        let Some(posting) = board.postings.iter_mut().find(|p| p.id == id) else {
            return false;
        };
        change(posting);
        posting.updated_at = now;
        board.updated_at = now;
        true
    }

    /// A fresh posting with plain defaults and a unique numeric id, published now.
    pub fn new_posting(&mut self, title: &str, description_html: &str) -> Posting {
        self.serial += 1;
        let now = self.now();
        Posting {
            id: format!("{}", 9_000_000 + self.serial),
            title: title.to_owned(),
            description: Description::Html(description_html.to_owned()),
            location: Location::new("Madrid", "Comunidad de Madrid", "ES", "Spain"),
            department: "Engineering".to_owned(),
            employment: Employment::FullTime,
            workplace: Workplace::Hybrid,
            salary: None,
            published_at: now,
            updated_at: now,
            valid_through: None,
            requisition_id: format!("REQ-{}", self.serial),
            listed: true,
            fx: false,
            repost_of: None,
        }
    }

    /// Like [`World::new_posting`], with an id in the provider's style (UUID for Lever and Ashby, shortcode for
    /// Workable, requisition id for Workday, digits otherwise).
    pub fn new_posting_for(
        &mut self,
        provider: crate::model::Provider,
        title: &str,
        description_html: &str,
    ) -> Posting {
        use crate::model::Provider;
        let mut posting = self.new_posting(title, description_html);
        let n = self.serial;
        posting.id = match provider {
            Provider::Lever | Provider::Ashby => format!("00000000-0000-4000-8000-{n:012x}"),
            Provider::Workable => format!("W{n:09X}"),
            Provider::Workday => format!("R-9{n:05}"),
            Provider::SmartRecruiters => format!("74400009{n:07}"),
            _ => posting.id,
        };
        posting
    }

    /// The website URL of a company as the pipeline reaches it (through its `*.test` resolve override).
    pub fn website_url(domain: &str, port: u16) -> String {
        format!("http://{domain}:{port}/")
    }

    /// A careers page's URL as the pipeline reaches it and names its `jsonld` board: `http://DOMAIN[:PORT]PATH`,
    /// the path without its trailing slash (the pipeline reads `/jobs` before `/jobs/`, which the world
    /// serves alike).
    pub fn careers_url(&self, domain: &str, path: &str) -> String {
        let path = match path.trim_end_matches('/') {
            "" => "/",
            trimmed => trimmed,
        };
        match self.site_port {
            80 => format!("http://{domain}{path}"),
            port => format!("http://{domain}:{port}{path}"),
        }
    }

    /// The world is served on `port`: the `jsonld` boards' references (careers page URLs) name it.
    pub(crate) fn bind_port(&mut self, port: u16) {
        self.site_port = port;
        for i in 0..self.companies.len() {
            let company = &self.companies[i];
            let (Some(site), Some(path)) = (&company.site.jsonld, &company.site.careers_path) else {
                continue;
            };
            let JsonLdKind::Own(old) = &site.kind else {
                continue;
            };
            let new = BoardRef::new(Provider::JsonLd, self.careers_url(&company.domain, path));
            if let Some(mut board) = self.boards.remove(&old.key()) {
                board.reference = new.clone();
                self.boards.insert(new.key(), board);
            }
            if let Some(site) = &mut self.companies[i].site.jsonld {
                site.kind = JsonLdKind::Own(new);
            }
        }
    }

    /// `name,website` CSV of every company.
    pub fn companies_csv(&self, port: u16) -> String {
        let mut out = String::from("name,website\n");
        for c in &self.companies {
            out.push_str(&csv_field(&c.name));
            out.push(',');
            out.push_str(&Self::website_url(&c.domain, port));
            out.push('\n');
        }
        out
    }

    pub fn truth(&self) -> GroundTruth {
        let listings: Vec<(DirectoryKind, std::collections::BTreeSet<&str>)> = self
            .directories
            .iter()
            .map(|d| {
                let domains = d
                    .entries
                    .iter()
                    .filter_map(|e| match &e.website {
                        WebsiteLink::Company { domain, .. } => Some(domain.as_str()),
                        _ => None,
                    })
                    .collect();
                (d.kind, domains)
            })
            .collect();
        let companies = self
            .companies
            .iter()
            .map(|c| {
                let mut boards: Vec<BoardRef> = Vec::new();
                let own_jsonld = c.site.jsonld.as_ref().and_then(|j| match &j.kind {
                    JsonLdKind::Own(board) => Some(board),
                    _ => None,
                });
                for board in c.site.links.iter().map(|l| &l.board).chain(own_jsonld) {
                    if self.board(board).is_some() && !boards.contains(board) {
                        boards.push(board.clone());
                    }
                }
                let decoy_boards =
                    c.site
                        .decoys
                        .iter()
                        .filter_map(|d| match d {
                            crate::model::Decoy::OtherCompanyBoard(b)
                            | crate::model::Decoy::BrokenBoard(b) => Some(b.clone()),
                            _ => None,
                        })
                        .collect();
                let postings = boards
                    .iter()
                    .filter_map(|b| self.board(b))
                    .flat_map(|b| &b.postings);
                let now = self.now();
                let listed: Vec<&Posting> = postings
                    .filter(|p| p.listed && p.valid_through.is_none_or(|until| until >= now))
                    .collect();
                let directories = listings
                    .iter()
                    .filter(|(_, domains)| domains.contains(c.domain.as_str()))
                    .map(|(k, _)| *k)
                    .collect();
                CompanyTruth {
                    name: c.name.clone(),
                    domain: c.domain.clone(),
                    boards,
                    decoy_boards,
                    open_postings: listed.len(),
                    fx_postings: listed.iter().filter(|p| p.fx).count(),
                    fx_exposed: c.fx_exposed,
                    directories,
                    jsonld: c.site.jsonld.clone(),
                }
            })
            .collect();
        GroundTruth { companies }
    }

    /// A description in the language most postings of the world use (for postings added by hand).
    pub fn generated_description(seed: u64, fx: bool) -> Description {
        Description::Generated {
            seed,
            lang: Lang::Es,
            fx,
        }
    }
}

fn default_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}
