//! The deterministic world generator: `World::generate(seed, size)`.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use crate::corpus::{self, NAME_ROOTS, NAME_SUFFIXES, TITLES, pick, slugify};
use crate::model::{
    Board, BoardLink, BoardRef, Company, Decoy, Description, DirectoryEntry, DirectoryKind, Employment, Lang,
    LinkForm, LinkPage, Posting, Provider, Salary, Site, WebsiteLink, Workplace,
};
use crate::world::World;

/// The ATS mix: (provider, share of companies). The rest of the companies have no ATS.
pub const ATS_MIX: &[(Provider, f64)] = &[
    (Provider::Greenhouse, 0.25),
    (Provider::Lever, 0.20),
    (Provider::Ashby, 0.10),
    (Provider::Workable, 0.10),
    (Provider::SmartRecruiters, 0.08),
    (Provider::Recruitee, 0.07),
    (Provider::Personio, 0.07),
    (Provider::Teamtailor, 0.04),
    (Provider::Workday, 0.04),
];

/// Share of companies with a second ATS.
pub const SECOND_ATS_SHARE: f64 = 0.06;
/// Share of companies whose postings mostly carry FX signals.
pub const FX_EXPOSED_SHARE: f64 = 0.3;
/// Chance that a posting carries an FX signal, for FX-exposed companies and for the others.
pub const FX_POSTING_CHANCE: (f64, f64) = (0.4, 0.03);

/// The career paths of reference §4, in the original's order.
pub const CAREER_PATHS: &[&str] = &[
    "/careers",
    "/jobs",
    "/join-us",
    "/work-with-us",
    "/careers/jobs",
    "/jobs/",
    "/empleo",
    "/trabaja-con-nosotros",
    "/job-opportunities",
    "/job-openings",
];

const DEEP_PATHS: &[&str] = &[
    "/sobre-nosotros/vacantes",
    "/company/open-positions-jobs",
    "/equipo/join",
    "/people/opportunities",
];

pub(crate) struct Gen {
    pub(crate) rng: StdRng,
    pub(crate) tenants: BTreeSet<String>,
}

impl World {
    /// A world of `size` companies drawn from `seed`: same seed and size, same world.
    pub fn generate(seed: u64, size: usize) -> World {
        let mut world = World::empty(seed);
        let mut g = Gen {
            rng: StdRng::seed_from_u64(seed),
            tenants: BTreeSet::new(),
        };
        let names = unique_names(&mut g.rng, size);
        let now = world.now();
        let mut domains = BTreeSet::new();
        for name in names {
            let slug = slugify(&name, '\0');
            let domain = unique_domain(&mut domains, &slug);
            let fx_exposed = g.rng.random_bool(FX_EXPOSED_SHARE);
            let mut providers = Vec::new();
            if let Some(p) = draw_provider(&mut g.rng) {
                providers.push(p);
                if g.rng.random_bool(SECOND_ATS_SHARE)
                    && let Some(second) = draw_provider(&mut g.rng).filter(|s| *s != p)
                {
                    providers.push(second);
                }
            }
            let careers_path = if g.rng.random_bool(0.88) {
                Some((*CAREER_PATHS.choose(&mut g.rng).unwrap_or(&"/careers")).to_owned())
            } else {
                None
            };
            let mut links = Vec::new();
            for provider in providers {
                let board = g.new_board(provider, &name, &slug, fx_exposed, now);
                let link = g.new_link(board.reference.clone(), careers_path.is_some());
                world.add_board(board);
                links.push(link);
            }
            let mut decoys = Vec::new();
            if g.rng.random_bool(0.10) {
                decoys.push(Decoy::BlogMention);
            }
            if g.rng.random_bool(0.08) {
                decoys.push(Decoy::ReservedSegments);
            }
            if g.rng.random_bool(0.04) {
                let provider = draw_provider(&mut g.rng).unwrap_or(Provider::Lever);
                let tenant = format!("{slug}-old");
                decoys.push(Decoy::BrokenBoard(g.reference(provider, &tenant, &name)));
            }
            let site = Site {
                careers_path,
                deep_path: (*DEEP_PATHS.choose(&mut g.rng).unwrap_or(&DEEP_PATHS[0])).to_owned(),
                links,
                decoys,
            };
            world.companies.push(Company {
                name,
                domain,
                site,
                fx_exposed,
            });
        }
        add_partner_decoys(&mut world, &mut g.rng);
        add_directories(&mut world, &mut g.rng);
        world
    }
}

impl Gen {
    fn reference(&mut self, provider: Provider, tenant: &str, name: &str) -> BoardRef {
        let mut reference = match provider {
            Provider::Workday => {
                let pod = *["wd1", "wd3", "wd5", "wd103"]
                    .choose(&mut self.rng)
                    .unwrap_or(&"wd3");
                let site = match self.rng.random_range(0..3) {
                    0 => "External".to_owned(),
                    1 => "Careers".to_owned(),
                    _ => format!("{}_Careers", slugify(name, '_')),
                };
                BoardRef::workday(tenant, pod, &site)
            }
            _ => BoardRef::new(provider, tenant),
        };
        reference.variant = match provider {
            Provider::Lever if self.rng.random_bool(0.3) => Some("eu".to_owned()),
            Provider::Greenhouse if self.rng.random_bool(0.15) => Some("eu".to_owned()),
            Provider::Personio if self.rng.random_bool(0.25) => Some("com".to_owned()),
            _ => None,
        };
        reference
    }

    pub(crate) fn new_board(
        &mut self,
        provider: Provider,
        name: &str,
        slug: &str,
        fx: bool,
        now: DateTime<Utc>,
    ) -> Board {
        let base = match provider {
            Provider::SmartRecruiters => name
                .split_whitespace()
                .collect::<String>()
                .replace(['é', 'ú', 'ó'], "e"),
            Provider::Lever | Provider::Recruitee if self.rng.random_bool(0.4) => slugify(name, '-'),
            _ => slug.to_owned(),
        };
        let mut tenant = base.clone();
        let mut n = 2;
        while self
            .tenants
            .contains(&format!("{}:{}", provider.key(), tenant.to_ascii_lowercase()))
        {
            tenant = format!("{base}{n}");
            n += 1;
        }
        self.tenants
            .insert(format!("{}:{}", provider.key(), tenant.to_ascii_lowercase()));
        let reference = self.reference(provider, &tenant, name);
        let company_name = if self.rng.random_bool(0.2) {
            format!("{name} S.L.")
        } else {
            name.to_owned()
        };
        let count = self.posting_count();
        let mut postings: Vec<Posting> = Vec::with_capacity(count);
        for _ in 0..count {
            let age = self.rng.random_range(0..90 * 24);
            if !postings.is_empty() && self.rng.random_bool(0.05) {
                let i = self.rng.random_range(0..postings.len());
                let mut repost = self.repost(provider, &postings[i], now);
                repost.published_at =
                    postings[i].published_at + Duration::hours(self.rng.random_range(1..200));
                repost.updated_at = repost.published_at;
                postings.push(repost);
            } else {
                postings.push(self.new_posting(provider, fx, now, age));
            }
        }
        if provider == Provider::Recruitee && self.rng.random_bool(0.15) {
            let mut sample = self.new_posting(provider, false, now, 2000);
            sample.title = format!("{} (Sample)", sample.title);
            sample.listed = false;
            postings.push(sample);
        }
        if provider == Provider::Ashby && count > 0 && self.rng.random_bool(0.3) {
            let mut hidden = self.new_posting(provider, false, now, 24);
            hidden.listed = false;
            postings.push(hidden);
        }
        postings.sort_by_key(|p| p.published_at);
        Board {
            reference,
            company_name,
            postings,
            updated_at: now,
        }
    }

    /// Postings per board: most 1–20, some empty, a long tail past 500.
    fn posting_count(&mut self) -> usize {
        let u: f64 = self.rng.random();
        match u {
            u if u < 0.07 => 0,
            u if u < 0.80 => self.rng.random_range(1..=20),
            u if u < 0.97 => self.rng.random_range(21..=120),
            u if u < 0.99 => self.rng.random_range(121..=400),
            _ => self.rng.random_range(500..=900),
        }
    }

    pub(crate) fn new_posting(
        &mut self,
        provider: Provider,
        fx_exposed: bool,
        now: DateTime<Utc>,
        age_hours: i64,
    ) -> Posting {
        let chance = if fx_exposed {
            FX_POSTING_CHANCE.0
        } else {
            FX_POSTING_CHANCE.1
        };
        let fx = self.rng.random_bool(chance);
        let lang = if self.rng.random_bool(0.55) {
            Lang::Es
        } else {
            Lang::En
        };
        let (dept, en, es) = TITLES[self.rng.random_range(0..TITLES.len())];
        let mut title = pick(&mut self.rng, if lang == Lang::En { en } else { es }).to_owned();
        let mut department = dept.to_owned();
        if fx && self.rng.random_bool(0.3) {
            title = pick(
                &mut self.rng,
                if lang == Lang::En {
                    corpus::FX_TITLES_EN
                } else {
                    corpus::FX_TITLES_ES
                },
            )
            .to_owned();
            department = "Finance".to_owned();
        }
        let (city, region, code, country) =
            corpus::LOCATIONS[self.rng.random_range(0..corpus::LOCATIONS.len())];
        let location = crate::model::Location::new(city, region, code, country);
        let workplace = *[
            Workplace::Remote,
            Workplace::Hybrid,
            Workplace::OnSite,
            Workplace::Hybrid,
        ]
        .choose(&mut self.rng)
        .unwrap_or(&Workplace::Hybrid);
        let employment = match self.rng.random_range(0..20) {
            0 => Employment::Internship,
            1 => Employment::PartTime,
            2 => Employment::Contract,
            _ => Employment::FullTime,
        };
        let salary = self.rng.random_bool(0.3).then(|| {
            let min = self.rng.random_range(25..80) * 1000;
            Salary {
                min,
                max: min + self.rng.random_range(5..30) * 1000,
                currency: if location.country_code == "US" {
                    "USD"
                } else {
                    "EUR"
                }
                .to_owned(),
                period: "year".to_owned(),
            }
        });
        let published_at = now - Duration::hours(age_hours);
        let id = self.posting_id(provider);
        Posting {
            requisition_id: format!("R{:05}", self.rng.random_range(1000..99999)),
            id,
            title,
            description: Description::Generated {
                seed: self.rng.random(),
                lang,
                fx,
            },
            location,
            department,
            employment,
            workplace,
            salary,
            published_at,
            updated_at: published_at,
            listed: true,
            fx,
            repost_of: None,
        }
    }

    pub(crate) fn repost(&mut self, provider: Provider, original: &Posting, now: DateTime<Utc>) -> Posting {
        let mut repost = original.clone();
        repost.id = self.posting_id(provider);
        repost.published_at = now;
        repost.updated_at = now;
        repost.repost_of = Some(original.repost_of.clone().unwrap_or_else(|| original.id.clone()));
        repost
    }

    /// An id in the provider's own style.
    pub(crate) fn posting_id(&mut self, provider: Provider) -> String {
        match provider {
            Provider::Lever | Provider::Ashby => {
                let b: [u8; 16] = self.rng.random();
                let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
                format!(
                    "{}-{}-4{}-a{}-{}",
                    &h[0..8],
                    &h[8..12],
                    &h[13..16],
                    &h[17..20],
                    &h[20..32]
                )
            }
            Provider::Greenhouse => self.rng.random_range(4_000_000_u64..9_999_999).to_string(),
            Provider::Workable => {
                let b: [u8; 5] = self.rng.random();
                b.iter().map(|x| format!("{x:02X}")).collect()
            }
            Provider::SmartRecruiters => format!("7440000{:08}", self.rng.random_range(0..100_000_000_u64)),
            Provider::Recruitee | Provider::Teamtailor => {
                self.rng.random_range(100_000_u64..999_999).to_string()
            }
            Provider::Personio => self.rng.random_range(1_000_000_u64..9_999_999).to_string(),
            Provider::Workday => format!("R-{:06}", self.rng.random_range(0..1_000_000_u64)),
        }
    }

    pub(crate) fn new_link(&mut self, board: BoardRef, has_careers: bool) -> BoardLink {
        let forms: &[LinkForm] = match board.provider {
            Provider::Greenhouse if board.is_variant("eu") => &[LinkForm::Anchor, LinkForm::PostingLink],
            Provider::Greenhouse => &[
                LinkForm::Anchor,
                LinkForm::AltAnchor,
                LinkForm::Iframe,
                LinkForm::Script,
                LinkForm::GhJid,
                LinkForm::PostingLink,
            ],
            Provider::Ashby => &[LinkForm::Anchor, LinkForm::Iframe, LinkForm::Script],
            Provider::Lever => &[
                LinkForm::Anchor,
                LinkForm::Anchor,
                LinkForm::PostingLink,
                LinkForm::AltAnchor,
            ],
            Provider::Workable | Provider::SmartRecruiters | Provider::Workday => {
                &[LinkForm::Anchor, LinkForm::AltAnchor]
            }
            _ => &[LinkForm::Anchor, LinkForm::Iframe],
        };
        let form = *forms.choose(&mut self.rng).unwrap_or(&LinkForm::Anchor);
        let page = match self.rng.random_range(0..20) {
            0..=2 => LinkPage::Home,
            3..=5 => LinkPage::Deep,
            _ if has_careers => LinkPage::Careers,
            _ => LinkPage::Home,
        };
        BoardLink { board, form, page }
    }
}

pub(crate) fn tenant_key(reference: &BoardRef) -> String {
    format!(
        "{}:{}",
        reference.provider.key(),
        reference.tenant.to_ascii_lowercase()
    )
}

pub(crate) fn draw_provider(rng: &mut StdRng) -> Option<Provider> {
    let mut u: f64 = rng.random();
    for &(provider, share) in ATS_MIX {
        if u < share {
            return Some(provider);
        }
        u -= share;
    }
    None
}

fn unique_names(rng: &mut StdRng, size: usize) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut names = Vec::with_capacity(size);
    let mut attempt = 0usize;
    while names.len() < size {
        attempt += 1;
        let root = pick(rng, NAME_ROOTS);
        let suffix = pick(rng, NAME_SUFFIXES);
        let name = if attempt > size * 4 {
            format!("{root}{} {}", pick(rng, NAME_ROOTS).to_lowercase(), names.len())
        } else if rng.random_bool(0.2) {
            format!("{root}{}{suffix}", pick(rng, NAME_ROOTS).to_lowercase())
        } else {
            format!("{root}{suffix}")
        };
        if seen.insert(slugify(&name, '\0')) {
            names.push(name);
        }
    }
    names
}

fn unique_domain(taken: &mut BTreeSet<String>, slug: &str) -> String {
    let mut domain = format!("{slug}.test");
    let mut n = 2;
    while taken.contains(&domain) || DirectoryKind::from_host(&domain).is_some() {
        domain = format!("{slug}{n}.test");
        n += 1;
    }
    taken.insert(domain.clone());
    domain
}

/// A few sites link another company's board ("our partner is hiring").
fn add_partner_decoys(world: &mut World, rng: &mut StdRng) {
    let boards: Vec<BoardRef> = world.boards.values().map(|b| b.reference.clone()).collect();
    if boards.len() < 2 {
        return;
    }
    for i in 0..world.companies.len() {
        if rng.random_bool(0.04) {
            let Some(other) = boards.choose(rng) else { return };
            if !world.companies[i].site.links.iter().any(|l| &l.board == other) {
                world.companies[i]
                    .site
                    .decoys
                    .push(Decoy::OtherCompanyBoard(other.clone()));
            }
        }
    }
}

fn add_directories(world: &mut World, rng: &mut StdRng) {
    const SHARES: [(DirectoryKind, f64); 3] = [
        (DirectoryKind::Catalonia, 0.3),
        (DirectoryKind::Madrimasd, 0.25),
        (DirectoryKind::Lanzadera, 0.2),
    ];
    const PLACES: &[&str] = &[
        "barcelona",
        "girona",
        "lleida",
        "tarragona",
        "sabadell",
        "terrassa",
    ];
    let mut next_id = 10_000 + rng.random_range(0..5000_u64);
    for (kind, share) in SHARES {
        let mut entries = Vec::new();
        for c in &world.companies {
            if !rng.random_bool(share) {
                continue;
            }
            let path = if rng.random_bool(0.15) {
                "/es/inicio?utm_source=directorio".to_owned()
            } else {
                "/".to_owned()
            };
            let name = if rng.random_bool(0.15) {
                format!("{}, S.L.", c.name)
            } else {
                c.name.clone()
            };
            next_id += rng.random_range(1..40);
            entries.push(DirectoryEntry {
                slug: slugify(&c.name, '-'),
                name,
                id: next_id,
                location: pick(rng, PLACES).to_owned(),
                website: WebsiteLink::Company {
                    domain: c.domain.clone(),
                    path,
                },
            });
        }
        if rng.random_bool(0.7) {
            let name = format!("{} Ghost", pick(rng, NAME_ROOTS));
            next_id += 1;
            entries.push(DirectoryEntry {
                slug: slugify(&name, '-'),
                name,
                id: next_id,
                location: "barcelona".to_owned(),
                website: WebsiteLink::None,
            });
        }
        world.directory_mut(kind).entries = entries;
    }
}
