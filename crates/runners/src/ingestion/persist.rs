//! One board's postings written in its fenced transaction (docs/stages.md#ingestion-persistence): an
//! unchanged posting (same content hash) writes nothing; a changed one is updated and marked for scoring; a
//! new one is inserted, as a repost of the company's earliest matching posting when it repeats one
//! (docs/original-system.md#ref-6-1); after a complete fetch the open postings the board no longer returns
//! are closed, and a closed one that comes back is reopened. Postings are taken in a fixed order
//! (published time, then external id), so the earliest is canonical whatever order the API answered in.
//! What can be computed before the transaction was ([`prepare`](super::prepare)); new postings are inserted
//! together at the end, with ids chosen as they are decided. A posting the client found stored as it is
//! (its item's source hash known) is only counted, or reopened. A company with postings on another board
//! has its groups decided whole after the write ([`regroup`](super::regroup)), so that they do not depend
//! on which board was written first.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use pipeline_db::repo::postings::{self, NewPosting};
use pipeline_db::{Conn, DbError};
use pipeline_domain::{Counter, RunCounters};
use pipeline_scoring::{OrderingKey, company_order};

use super::prepare::{BoardPostings, PreparedBoard, content_hash};
use super::regroup::regroup;
use super::repost::Canonicals;

/// Writes `board`'s postings; returns the counters of what it did.
pub fn persist(conn: &mut Conn, board: BoardPostings, now: DateTime<Utc>) -> Result<RunCounters, DbError> {
    persist_prepared(conn, board.prepare(false), now)
}

/// A new posting decided on, written with the others once all are.
struct Decided {
    index: usize,
    id: i64,
    hash: String,
    source: Option<String>,
    pending: bool,
    canonical: Option<i64>,
}

/// Repost decisions of a company with one board, made posting by posting as the board is written, and the
/// counts they leave to write once the new postings are in.
#[derive(Default)]
struct Incremental {
    /// The company's canonicals, loaded at the board's first new posting.
    finder: Option<RepostFinder>,
    /// Reposts found of canonicals already stored.
    more_reposts: BTreeMap<i64, i32>,
    /// Reposts found of canonicals of this batch (written with their rows).
    batch_reposts: BTreeMap<i64, i32>,
    /// (old canonical, the earlier new posting taking its place).
    take_overs: Vec<(i64, i64)>,
}

impl Incremental {
    /// The canonical of the new posting `board.postings[index]`, given id `id` (`first_new`: the id of the
    /// batch's first new posting; `unchanged`: the ids of the board's postings found unchanged, whose
    /// descriptions count in its boilerplate).
    fn decide(
        &mut self,
        conn: &mut Conn,
        board: &mut PreparedBoard,
        (index, id, first_new, unchanged): (usize, i64, Option<i64>, &[i64]),
        counters: &mut RunCounters,
    ) -> Result<Option<i64>, DbError> {
        let finder = match &mut self.finder {
            Some(finder) => finder,
            None => {
                if !unchanged.is_empty() {
                    let mut texts = postings::descriptions_of(conn, unchanged)?;
                    let texts = unchanged.iter().filter_map(|id| texts.remove(id));
                    board.unchanged_descriptions = texts.collect();
                }
                self.finder.insert(RepostFinder::load(conn, board)?)
            }
        };
        let features = board.take_features(index);
        let posting = &board.postings[index].posting;
        let place = Place::new(posting.published_at, &posting.external_id, board.board_id);
        let found = finder.canonicals.detect(&features).map(|(id, _)| id);
        // The group's earliest posting is its canonical, whichever posting was written first.
        let takes_over = found.filter(|c| finder.keys.get(c).is_some_and(|k| place.key() < k.key()));
        let canonical = found.filter(|_| takes_over.is_none());
        if let Some(old) = takes_over {
            self.take_overs.push((old, id));
            finder.canonicals.remove(old);
            finder.keys.remove(&old);
        }
        match canonical {
            Some(c) => {
                counters.add(Counter::PostingsReposts, 1);
                // New postings have the highest ids.
                let reposts = match first_new.is_some_and(|first| c >= first) {
                    true => &mut self.batch_reposts,
                    false => &mut self.more_reposts,
                };
                *reposts.entry(c).or_default() += 1;
            }
            None => {
                counters.add(Counter::PostingsReposts, u64::from(takes_over.is_some()));
                let seen = posting.published_at.or(posting.updated_at);
                finder.canonicals.add(id, features, seen);
                finder.keys.insert(id, place);
            }
        }
        Ok(canonical)
    }

    /// Writes the counts left once the new postings are in. A canonical taken over has all its reposts
    /// counted by then: its count moves whole.
    fn write(self, conn: &mut Conn) -> Result<(), DbError> {
        for (canonical, n) in self.more_reposts {
            postings::add_reposts(conn, canonical, n)?;
        }
        for (old, new) in self.take_overs {
            postings::take_over_canonical(conn, old, new)?;
        }
        Ok(())
    }
}

/// Writes a prepared board's postings; returns the counters of what it did.
pub fn persist_prepared(
    conn: &mut Conn,
    mut board: PreparedBoard,
    now: DateTime<Utc>,
) -> Result<RunCounters, DbError> {
    let mut counters = RunCounters::default();
    // Another worker may be writing another board of the company: its reposts must be seen.
    postings::lock_postings(conn)?;
    let seen = board.postings.len() + board.unchanged.len();
    counters.add(Counter::PostingsSeen, seen as u64);
    // Read at the first posting written (most boards of a run write none).
    let mut whole_company: Option<bool> = None;
    let mut stored = match board.stored.take() {
        Some(stored) => stored,
        None => postings::states_of_board(conn, board.board_id)?,
    };
    let mut returned: HashSet<i64> = HashSet::new();
    // Found stored as they are: nothing to compare.
    let mut unchanged_ids = Vec::with_capacity(board.unchanged.len());
    for id in &board.unchanged {
        let Some(state) = stored.remove(id) else {
            // Its row went away since the fetch began (never under the board's lease): not there to count.
            tracing::warn!(
                board = board.board_id,
                id,
                "a posting found unchanged is not stored"
            );
            continue;
        };
        returned.insert(state.id);
        unchanged_ids.push(state.id);
        if state.closed_at.is_some() {
            postings::reopen(conn, state.id)?;
            counters.add(Counter::PostingsReopened, 1);
        } else {
            counters.add(Counter::PostingsUnchanged, 1);
        }
    }
    // The stored descriptions of postings fetched without theirs: kept, never overwritten with nothing.
    let kept_ids: Vec<i64> = board
        .postings
        .iter()
        .filter(|p| p.pending)
        .filter_map(|p| stored.get(&p.posting.external_id))
        .map(|s| s.id)
        .collect();
    let mut kept = match kept_ids.is_empty() {
        true => HashMap::new(),
        false => postings::descriptions_of(conn, &kept_ids)?,
    };
    kept.retain(|_, text| !text.is_empty());
    let mut incremental = Incremental::default();
    let mut ids = postings::NewIds::default();
    let mut decided: Vec<Decided> = Vec::new();
    // Postings found equal whose item was new to them: their source is recorded.
    let mut new_sources: Vec<(i64, Option<String>)> = Vec::new();
    for index in 0..board.postings.len() {
        let incoming = &mut board.postings[index];
        let existing = stored.remove(&incoming.posting.external_id);
        if incoming.pending {
            counters.add(Counter::DetailsDeferred, 1);
            if let Some(text) = existing.as_ref().and_then(|s| kept.remove(&s.id)) {
                incoming.posting.description = text;
            }
        }
        let pending = incoming.pending && incoming.posting.description.trim().is_empty();
        let hash = match incoming.hash.take() {
            Some(hash) => hash,
            None => content_hash(&incoming.posting),
        };
        if let Some(state) = existing {
            returned.insert(state.id);
            let source = incoming.source.take();
            if state.content_hash == hash && state.description_pending == pending {
                if source.is_some() && source != state.source_hash {
                    new_sources.push((state.id, source));
                }
                if state.closed_at.is_some() {
                    postings::reopen(conn, state.id)?;
                    counters.add(Counter::PostingsReopened, 1);
                } else {
                    counters.add(Counter::PostingsUnchanged, 1);
                }
            } else {
                if state.closed_at.is_some() {
                    counters.add(Counter::PostingsReopened, 1);
                }
                let source = source.as_deref();
                postings::update(conn, state.id, &incoming.posting, &hash, pending, source, now)?;
                counters.add(Counter::PostingsUpdated, 1);
            }
            continue;
        }
        let source = incoming.source.take();
        let id = ids.take(conn)?;
        returned.insert(id);
        counters.add(Counter::PostingsNew, 1);
        // A company on several boards has its groups decided whole once the board is written.
        let canonical = match on_other_boards(conn, (board.company_id, board.board_id), &mut whole_company)? {
            true => None,
            false => {
                let first_new = decided.first().map(|d| d.id);
                let context = (index, id, first_new, unchanged_ids.as_slice());
                incremental.decide(conn, &mut board, context, &mut counters)?
            }
        };
        decided.push(Decided {
            index,
            id,
            hash,
            source,
            pending,
            canonical,
        });
    }
    let (board_id, company_id, complete) = (board.board_id, board.company_id, board.complete);
    // The new postings are moved into their rows: nothing reads them after.
    let mut decided = decided.into_iter().peekable();
    let mut rows = Vec::with_capacity(decided.len());
    for (index, incoming) in board.postings.into_iter().enumerate() {
        let Some(d) = decided.next_if(|d| d.index == index) else {
            continue;
        };
        rows.push(NewPosting {
            id: d.id,
            posting: incoming.posting,
            hash: d.hash,
            source: d.source,
            pending: d.pending,
            canonical: d.canonical,
            repost_count: incremental.batch_reposts.get(&d.id).copied().unwrap_or(0),
        });
    }
    postings::insert_all(conn, board_id, company_id, rows, now)?;
    postings::set_sources(conn, &new_sources)?;
    incremental.write(conn)?;
    let written = counters.get(Counter::PostingsNew) + counters.get(Counter::PostingsUpdated);
    if written > 0 && on_other_boards(conn, (company_id, board_id), &mut whole_company)? {
        counters.add(Counter::PostingsReposts, regroup(conn, company_id)?);
    }
    if complete {
        let gone: Vec<i64> = stored
            .values()
            .filter(|p| p.closed_at.is_none() && !returned.contains(&p.id))
            .map(|p| p.id)
            .collect();
        let closed = postings::close(conn, &gone, now)?;
        counters.add(Counter::PostingsClosed, closed as u64);
    }
    let changed: u64 = [
        Counter::PostingsNew,
        Counter::PostingsUpdated,
        Counter::PostingsReopened,
        Counter::PostingsClosed,
    ]
    .iter()
    .map(|c| counters.get(*c))
    .sum();
    if changed > 0 {
        // Open, new and closed counts of the company changed.
        pipeline_db::repo::scoring::mark_for_aggregation(conn, &[company_id])?;
    }
    Ok(counters)
}

/// Whether the company has postings on boards other than this one (read once, when first asked).
fn on_other_boards(
    conn: &mut Conn,
    (company_id, board_id): (i64, i64),
    read: &mut Option<bool>,
) -> Result<bool, DbError> {
    if let Some(found) = *read {
        return Ok(found);
    }
    let found = postings::on_other_boards(conn, company_id, board_id)?;
    *read = Some(found);
    Ok(found)
}

/// Where a posting stands in the order that decides canonicals ([`company_order`]).
#[derive(Debug, Clone)]
struct Place {
    published_at: Option<DateTime<Utc>>,
    external_id: String,
    board_id: i64,
}

impl Place {
    fn new(published_at: Option<DateTime<Utc>>, external_id: &str, board_id: i64) -> Place {
        Place {
            published_at,
            external_id: external_id.to_owned(),
            board_id,
        }
    }

    fn key(&self) -> (OrderingKey<'_>, i64) {
        company_order(self.published_at, &self.external_id, self.board_id)
    }
}

/// The company's canonical postings, with this board's boilerplate, loaded once per board and only when
/// the board has a new posting.
struct RepostFinder {
    canonicals: Canonicals,
    keys: HashMap<i64, Place>,
}

impl RepostFinder {
    fn load(conn: &mut Conn, board: &mut PreparedBoard) -> Result<RepostFinder, DbError> {
        let rows = postings::canonicals_of_company(conn, board.company_id)?;
        let mut finder = RepostFinder {
            canonicals: Canonicals::default(),
            keys: HashMap::with_capacity(rows.len()),
        };
        for r in rows {
            finder
                .keys
                .insert(r.id, Place::new(r.published_at, &r.external_id, r.board_id));
            let features = board.features_of(&r.title, &r.description);
            finder.canonicals.add(r.id, features, Some(r.changed_at));
        }
        Ok(finder)
    }
}
