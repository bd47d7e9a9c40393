//! How the generated world is found: the forms and pages of board links on company sites, partner decoys,
//! and the directories' listings.

use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;

use super::Gen;
use crate::corpus::{NAME_ROOTS, pick, slugify};
use crate::model::{
    BoardLink, BoardRef, Decoy, DirectoryEntry, DirectoryKind, LinkForm, LinkPage, Provider, WebsiteLink,
};
use crate::world::World;

impl Gen {
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

/// A few sites link another company's board ("our partner is hiring").
pub(super) fn add_partner_decoys(world: &mut World, rng: &mut StdRng) {
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

pub(super) fn add_directories(world: &mut World, rng: &mut StdRng) {
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
