//! The passing of days: `World::advance_day` closes, opens and reposts postings and moves companies between ATSes.

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde::Serialize;

use crate::corpus::slugify;
use crate::generator::{Gen, draw_provider, tenant_key};
use crate::model::BoardRef;
use crate::world::World;

/// What one `advance_day` changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DayReport {
    pub day: u32,
    /// (board, posting id)
    pub closed: Vec<(BoardRef, String)>,
    pub opened: Vec<(BoardRef, String)>,
    /// (board, new posting id, id of the posting it reposts)
    pub reposted: Vec<(BoardRef, String, String)>,
    pub moved: Vec<Move>,
}

/// A company that left one ATS for another: the old board answers 404, the site links the new one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    pub domain: String,
    pub from: BoardRef,
    pub to: BoardRef,
}

impl World {
    /// One day passes: some postings close, new ones open, some are reposted, a few companies move to another
    /// ATS. Deterministic for the world's seed and day.
    pub fn advance_day(&mut self) -> DayReport {
        self.day += 1;
        let mut g = Gen {
            rng: StdRng::seed_from_u64(self.seed ^ u64::from(self.day).wrapping_mul(0x9E37_79B9_7F4A_7C15)),
            tenants: self.boards.values().map(|b| tenant_key(&b.reference)).collect(),
        };
        let now = self.now();
        let mut report = DayReport {
            day: self.day,
            ..DayReport::default()
        };
        let keys: Vec<String> = self.boards.keys().cloned().collect();
        for key in &keys {
            let Some(board) = self.boards.get_mut(key) else {
                continue;
            };
            let reference = board.reference.clone();
            let before = board.postings.len();
            let mut closed = Vec::new();
            board.postings.retain(|p| {
                let close = g.rng.random_bool(0.04);
                if close {
                    closed.push(p.id.clone());
                }
                !close
            });
            let mut changed = !closed.is_empty();
            report
                .closed
                .extend(closed.into_iter().map(|id| (reference.clone(), id)));
            let fx_exposed = board.postings.iter().filter(|p| p.fx).count() * 5 > board.postings.len().max(1);
            let opens = usize::from(g.rng.random_bool(0.3)) + before / 50;
            for _ in 0..opens {
                let posting = g.new_posting(reference.provider, fx_exposed, now, 0);
                report.opened.push((reference.clone(), posting.id.clone()));
                board.postings.push(posting);
                changed = true;
            }
            if !board.postings.is_empty() && g.rng.random_bool(0.05) {
                let i = g.rng.random_range(0..board.postings.len());
                let repost = g.repost(reference.provider, &board.postings[i], now);
                let original = board.postings[i].id.clone();
                report
                    .reposted
                    .push((reference.clone(), repost.id.clone(), original.clone()));
                if g.rng.random_bool(0.5) {
                    board.postings.remove(i);
                    report.closed.push((reference.clone(), original));
                }
                board.postings.push(repost);
                changed = true;
            }
            if changed {
                board.updated_at = now;
            }
        }
        self.move_companies(&mut g, now, &mut report);
        report
    }

    fn move_companies(&mut self, g: &mut Gen, now: DateTime<Utc>, report: &mut DayReport) {
        let with_boards: Vec<usize> = (0..self.companies.len())
            .filter(|&i| {
                self.companies[i]
                    .site
                    .links
                    .iter()
                    .any(|l| self.board(&l.board).is_some())
            })
            .collect();
        if with_boards.is_empty() {
            return;
        }
        let count = (with_boards.len() / 100).max(1);
        for _ in 0..count {
            let Some(&ci) = with_boards.choose(&mut g.rng) else {
                return;
            };
            let company = &self.companies[ci];
            let Some(li) = company
                .site
                .links
                .iter()
                .position(|l| self.board(&l.board).is_some())
            else {
                continue;
            };
            let from = company.site.links[li].board.clone();
            let name = company.name.clone();
            let slug = slugify(&name, '\0');
            let to_provider = loop {
                if let Some(p) = draw_provider(&mut g.rng)
                    && p != from.provider
                {
                    break p;
                }
            };
            let Some(old) = self.remove_board(&from) else {
                continue;
            };
            let mut board = g.new_board(to_provider, &name, &slug, false, now);
            board.postings = old
                .postings
                .iter()
                .map(|p| {
                    let mut moved = p.clone();
                    moved.id = g.posting_id(to_provider);
                    moved.published_at = now;
                    moved.updated_at = now;
                    moved.repost_of = None;
                    moved
                })
                .collect();
            let to = board.reference.clone();
            let link = g.new_link(to.clone(), self.companies[ci].site.careers_path.is_some());
            self.add_board(board);
            self.companies[ci].site.links[li] = link;
            report.moved.push(Move {
                domain: self.companies[ci].domain.clone(),
                from,
                to,
            });
        }
    }
}
