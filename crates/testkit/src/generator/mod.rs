//! The deterministic world generator: `World::generate(seed, size)`, and `generate_with_postings` (each
//! board's drawn posting count scaled to a mean). The companies and their sites are drawn here; their boards
//! and postings in `boards.rs`, how they can be found (site links, directories) in `discovery.rs`.

use std::collections::BTreeSet;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use crate::corpus::{NAME_ROOTS, NAME_SUFFIXES, pick, slugify};
use crate::model::{BoardRef, Company, Decoy, DirectoryKind, Provider, Site};
use crate::world::World;

mod boards;
mod discovery;
mod jsonld;

pub use jsonld::{BROKEN_SHARE, MIRROR_SHARE, OWN_SHARE};

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

/// The career paths of docs/original-system.md#ref-4, in the original's order.
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

/// The mean of the postings a board is drawn with (`Gen::posting_count`: 7% empty, 73% 1–20, 17% 21–120,
/// 2% 121–400, 1% 500–900), reposts included, unlisted ones (Recruitee samples, Ashby hidden) not.
pub const MEAN_POSTINGS_PER_BOARD: f64 = 0.73 * 10.5 + 0.17 * 70.5 + 0.02 * 260.5 + 0.01 * 700.0;

impl World {
    /// A world of `size` companies drawn from `seed`: same seed and size, same world.
    pub fn generate(seed: u64, size: usize) -> World {
        World::generate_with_postings(seed, size, None)
    }

    /// Like [`World::generate`], with every board's drawn posting count scaled so that boards hold
    /// `postings_per_board` postings on average (the same shape: empty boards, a long tail); `None` is
    /// [`World::generate`]'s world exactly.
    pub fn generate_with_postings(seed: u64, size: usize, postings_per_board: Option<f64>) -> World {
        let scale = postings_per_board.map(|mean| mean.max(0.0) / MEAN_POSTINGS_PER_BOARD);
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
                let board = g.new_board_scaled(provider, &name, &slug, fx_exposed, now, scale);
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
                jsonld: None,
            };
            world.add_company(Company {
                name,
                domain,
                site,
                fx_exposed,
            });
        }
        discovery::add_partner_decoys(&mut world, &mut g.rng);
        discovery::add_directories(&mut world, &mut g.rng);
        jsonld::add_jsonld_sites(&mut world, scale);
        world
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

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_postings(world: &World) -> f64 {
        let listed: usize = world
            .boards
            .values()
            .map(|b| b.postings.iter().filter(|p| p.listed).count())
            .sum();
        listed as f64 / world.boards.len() as f64
    }

    #[test]
    fn a_scale_of_one_draws_the_unscaled_world() {
        let scaled = World::generate_with_postings(7, 120, Some(MEAN_POSTINGS_PER_BOARD));
        assert_eq!(scaled, World::generate(7, 120));
    }

    #[test]
    fn boards_hold_about_the_mean_asked_for() {
        for mean in [5.0, 20.0, 50.0] {
            let got = mean_postings(&World::generate_with_postings(2026, 3000, Some(mean)));
            assert!((got - mean).abs() < mean * 0.15, "asked {mean}, got {got:.1}");
        }
        let got = mean_postings(&World::generate(2026, 3000));
        assert!((got - MEAN_POSTINGS_PER_BOARD).abs() < 4.0, "{got:.1}");
    }
}
