//! One board's postings written in its fenced transaction (docs/stages.md#ingestion-persistence): an
//! unchanged posting (same content hash) writes nothing; a changed one is updated and marked for scoring; a
//! new one is inserted, as a repost of the company's earliest matching posting when it repeats one
//! (docs/original-system.md#ref-6-1); after a complete fetch the open postings the board no longer returns
//! are closed, and a closed one that comes back is reopened. Postings are taken in a fixed order
//! (published time, then external id), so the earliest is canonical whatever order the API answered in.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use pipeline_db::repo::postings::{self, StoredPosting};
use pipeline_db::{Conn, DbError};
use pipeline_domain::{Counter, NormalizedPosting, RunCounters};
use pipeline_scoring::{
    CanonicalPosting, RepostProfile, boilerplate_paragraphs, detect_repost, ordering_key,
};
use sha2::{Digest, Sha256};

/// A board's fetched postings, as the stage hands them over.
#[derive(Debug)]
pub struct BoardPostings {
    pub board_id: i64,
    pub company_id: i64,
    pub postings: Vec<NormalizedPosting>,
    /// Every posting is there, whole: absent ones may be closed.
    pub complete: bool,
    /// Detail calls were skipped or failed: an empty description is one still to come, not an empty one.
    pub details_missing: bool,
}

/// The content hash of a posting: SHA-256 of its normalized fields (their JSON), hex.
pub fn content_hash(posting: &NormalizedPosting) -> String {
    let json = serde_json::to_vec(posting).unwrap_or_default();
    let digest = Sha256::digest(&json);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `board`'s postings; returns the counters of what it did.
pub fn persist(conn: &mut Conn, board: BoardPostings, now: DateTime<Utc>) -> Result<RunCounters, DbError> {
    let mut counters = RunCounters::default();
    let mut stored = postings::of_board(conn, board.board_id)?;
    let mut incoming = board.postings;
    incoming.sort_by(|a, b| {
        ordering_key(a.published_at, &a.external_id).cmp(&ordering_key(b.published_at, &b.external_id))
    });
    // Two entries with one external id (a provider listing a posting twice): the first is the posting.
    let mut seen_ids = HashSet::new();
    incoming.retain(|p| seen_ids.insert(p.external_id.clone()));
    counters.add(Counter::PostingsSeen, incoming.len() as u64);

    // Boilerplate is the board's ("about us", benefits): computed from this fetch, only when a posting is
    // new (the only ones whose repost status is decided).
    let mut repost_finder: Option<RepostFinder> = None;
    let has_new = incoming.iter().any(|p| !stored.contains_key(&p.external_id));
    let boilerplate = if has_new {
        let descriptions: Vec<&str> = incoming.iter().map(|p| p.description.as_str()).collect();
        boilerplate_paragraphs(&descriptions)
    } else {
        HashSet::new()
    };
    let mut returned: HashSet<i64> = HashSet::new();
    for mut posting in incoming {
        let pending = board.details_missing && posting.description.trim().is_empty();
        let existing = stored.remove(&posting.external_id);
        if pending {
            counters.add(Counter::DetailsDeferred, 1);
            // Never overwrite a description we have with the empty one of a skipped detail call.
            if let Some(kept) = existing.as_ref().filter(|s| !s.description.is_empty()) {
                posting.description = kept.description.clone();
            }
        }
        let pending = pending && posting.description.trim().is_empty();
        let hash = content_hash(&posting);
        match existing {
            Some(StoredPosting {
                id,
                content_hash,
                closed_at,
                description_pending,
                ..
            }) => {
                returned.insert(id);
                if content_hash == hash && description_pending == pending {
                    if closed_at.is_some() {
                        postings::reopen(conn, id)?;
                        counters.add(Counter::PostingsReopened, 1);
                    } else {
                        counters.add(Counter::PostingsUnchanged, 1);
                    }
                } else {
                    if closed_at.is_some() {
                        counters.add(Counter::PostingsReopened, 1);
                    }
                    postings::update(conn, id, &posting, &hash, pending, now)?;
                    counters.add(Counter::PostingsUpdated, 1);
                }
            }
            None => {
                let finder = match &mut repost_finder {
                    Some(finder) => finder,
                    None => repost_finder.insert(RepostFinder::load(conn, board.company_id, &boilerplate)?),
                };
                let profile = finder.profile(&posting);
                let key = order_key(&posting, board.board_id);
                let found = detect_repost(&profile, &finder.canonicals).map(|m| m.canonical_id);
                // The group's earliest posting is its canonical, whichever board was written first.
                let takes_over = found.filter(|c| finder.keys.get(c).is_some_and(|k| key < *k));
                let canonical = found.filter(|_| takes_over.is_none());
                let id = postings::insert(
                    conn,
                    board.board_id,
                    board.company_id,
                    &posting,
                    &hash,
                    pending,
                    canonical,
                    now,
                )?;
                returned.insert(id);
                counters.add(Counter::PostingsNew, 1);
                if let Some(old) = takes_over {
                    postings::take_over_canonical(conn, old, id)?;
                    finder.canonicals.retain(|c| c.id != old);
                    finder.keys.remove(&old);
                }
                match canonical {
                    Some(_) => counters.add(Counter::PostingsReposts, 1),
                    None => {
                        counters.add(Counter::PostingsReposts, u64::from(takes_over.is_some()));
                        finder.add(id, profile, &posting, key);
                    }
                }
            }
        }
    }
    if board.complete {
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
        pipeline_db::repo::scoring::mark_for_aggregation(conn, &[board.company_id])?;
    }
    Ok(counters)
}

/// Where a posting stands in the order that decides canonicals: published time (unpublished last), external
/// id, then board (two boards of a company may use one id).
type OrderKey = (bool, Option<DateTime<Utc>>, String, i64);

fn order_key(posting: &NormalizedPosting, board_id: i64) -> OrderKey {
    (
        posting.published_at.is_none(),
        posting.published_at,
        posting.external_id.clone(),
        board_id,
    )
}

/// The company's canonical postings, profiled for repost detection, loaded once per board and only when
/// the board has a new posting.
struct RepostFinder {
    boilerplate: HashSet<String>,
    canonicals: Vec<CanonicalPosting>,
    keys: std::collections::HashMap<i64, OrderKey>,
}

impl RepostFinder {
    fn load(
        conn: &mut Conn,
        company_id: i64,
        boilerplate: &HashSet<String>,
    ) -> Result<RepostFinder, DbError> {
        let rows = postings::canonicals_of_company(conn, company_id)?;
        let keys = rows
            .iter()
            .map(|r| {
                (
                    r.id,
                    (
                        r.published_at.is_none(),
                        r.published_at,
                        r.external_id.clone(),
                        r.board_id,
                    ),
                )
            })
            .collect();
        let canonicals = rows
            .iter()
            .map(|r| CanonicalPosting {
                id: r.id,
                profile: RepostProfile::new(&r.title, &r.description, boilerplate),
                last_seen_at: Some(r.changed_at),
                published_at: r.published_at,
                updated_at: r.source_updated_at,
            })
            .collect();
        Ok(RepostFinder {
            boilerplate: boilerplate.clone(),
            canonicals,
            keys,
        })
    }

    fn profile(&self, posting: &NormalizedPosting) -> RepostProfile {
        RepostProfile::new(&posting.title, &posting.description, &self.boilerplate)
    }

    fn add(&mut self, id: i64, profile: RepostProfile, posting: &NormalizedPosting, key: OrderKey) {
        self.keys.insert(id, key);
        self.canonicals.push(CanonicalPosting {
            id,
            profile,
            last_seen_at: None,
            published_at: posting.published_at,
            updated_at: posting.updated_at,
        });
    }
}
