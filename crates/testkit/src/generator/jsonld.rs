//! Careers pages with schema.org `JobPosting` JSON-LD in the generated world: companies without an ATS
//! that publish their own postings that way (a `jsonld` board), companies whose careers page repeats their
//! ATS board's postings as JSON-LD (no board of its own), and pages whose JSON-LD nobody can read. Drawn
//! from a stream of their own, after everything else: the rest of a world of a given seed is the same
//! with or without them.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::Gen;
use crate::model::{Board, BoardRef, JsonLdKind, JsonLdLayout, JsonLdSite, LinkPage, Posting, Provider};
use crate::world::World;

/// Share of the companies without an ATS, with a careers page, that publish their postings as JSON-LD.
pub const OWN_SHARE: f64 = 0.7;
/// Share of the companies linking their ATS board from their careers page that repeat its postings as
/// JSON-LD there.
pub const MIRROR_SHARE: f64 = 0.08;
/// Share of the other companies with a careers page whose JSON-LD cannot be read.
pub const BROKEN_SHARE: f64 = 0.03;

/// Mixed into the world's seed for this stream.
const STREAM: u64 = 0x4A53_4F4E_4C44;

/// Gives some of the world's companies JSON-LD on their careers pages; `scale` multiplies the drawn
/// posting counts as for every other board.
pub(super) fn add_jsonld_sites(world: &mut World, scale: Option<f64>) {
    let mut g = Gen {
        rng: StdRng::seed_from_u64(world.seed ^ STREAM),
        tenants: BTreeSet::new(),
    };
    let now = world.now();
    for i in 0..world.companies.len() {
        let company = &world.companies[i];
        let Some(path) = company.site.careers_path.clone() else {
            continue;
        };
        let linked_on_careers = company
            .site
            .links
            .iter()
            .find(|l| {
                l.page == LinkPage::Careers && world.board(&l.board).is_some_and(|b| !b.postings.is_empty())
            })
            .map(|l| l.board.clone());
        let layout = if g.rng.random_bool(0.5) {
            JsonLdLayout::Inline
        } else {
            JsonLdLayout::JobPages
        };
        let sloppy = g.rng.random_bool(0.3);
        let kind = if company.site.links.is_empty() && g.rng.random_bool(OWN_SHARE) {
            let (name, fx) = (company.name.clone(), company.fx_exposed);
            let reference = BoardRef::new(Provider::JsonLd, world.careers_url(&company.domain, &path));
            let board = g.jsonld_board(reference.clone(), &name, fx, now, scale);
            world.add_board(board);
            JsonLdKind::Own(reference)
        } else if let Some(ats) = linked_on_careers.filter(|_| g.rng.random_bool(MIRROR_SHARE)) {
            JsonLdKind::MirrorsAts(ats)
        } else if g.rng.random_bool(BROKEN_SHARE) {
            JsonLdKind::Broken
        } else {
            continue;
        };
        world.companies[i].site.jsonld = Some(JsonLdSite { kind, layout, sloppy });
    }
}

impl Gen {
    /// A company's own careers board: a few postings (1–12 before scaling), named by the company.
    fn jsonld_board(
        &mut self,
        reference: BoardRef,
        name: &str,
        fx: bool,
        now: DateTime<Utc>,
        scale: Option<f64>,
    ) -> Board {
        let drawn: usize = self.rng.random_range(1..=12);
        let count = scale.map_or(drawn, |s| ((drawn as f64 * s).round() as usize).max(1));
        let mut postings: Vec<Posting> = (0..count)
            .map(|_| {
                let age = self.rng.random_range(0..60 * 24);
                self.new_posting(Provider::JsonLd, fx, now, age)
            })
            .collect();
        postings.sort_by_key(|p| p.published_at);
        let company_name = if self.rng.random_bool(0.2) {
            format!("{name} S.L.")
        } else {
            name.to_owned()
        };
        Board {
            reference,
            company_name,
            postings,
            updated_at: now,
        }
    }
}
