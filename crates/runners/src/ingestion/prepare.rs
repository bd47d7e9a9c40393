//! A board's postings made ready for their write, outside the write transaction (docs/stages.md#ingestion-
//! persistence): taken in the fixed order (published time, then external id), repeated ids dropped, each
//! posting's content hash computed, and, for a board never written before (every posting is new), the
//! board's boilerplate and each posting's repost features. The transaction then only compares and writes;
//! what it still needs (features of a posting new on a board written before) it computes itself.

use std::collections::{HashMap, HashSet};

use pipeline_ats::SourceHash;
use pipeline_db::repo::postings::StoredState;
use pipeline_domain::NormalizedPosting;
use pipeline_scoring::ordering_key;
use sha2::{Digest, Sha256};

use super::repost::{Boilerplate, Features, Interner, Paragraphs, boilerplate};

/// A board's fetched postings, as the stage hands them over.
#[derive(Debug)]
pub struct BoardPostings {
    /// The board.
    pub board_id: i64,
    /// Its company (reposts are found within it).
    pub company_id: i64,
    /// The postings as the client normalized them.
    pub postings: Vec<NormalizedPosting>,
    /// The external ids of the postings the client found stored as they are (their source hash known):
    /// listed again, not read again.
    pub unchanged: Vec<String>,
    /// The source hash of each normalized posting's item, by external id.
    pub sources: HashMap<String, SourceHash>,
    /// Every posting is there, whole: absent ones may be closed.
    pub complete: bool,
    /// Detail calls were skipped or failed: an empty description is one still to come, not an empty one.
    pub details_missing: bool,
    /// The board's stored postings as read before its fetch, for the client's source hashes (under the
    /// board's lease nothing else changes them), or `None`: the write reads them.
    pub stored: Option<StoredStates>,
}

/// The board's stored postings without their text, by external id.
pub type StoredStates = HashMap<String, StoredState>;

/// Feeds what is written into a SHA-256.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The content hash of a posting: SHA-256 of its normalized fields (their JSON), hex. The JSON is hashed as
/// it is written, never held.
pub fn content_hash(posting: &NormalizedPosting) -> String {
    let mut writer = HashWriter(Sha256::new());
    // Strings, numbers and times: writing them cannot fail.
    let _ = serde_json::to_writer(&mut writer, posting);
    let digest = writer.0.finalize();
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(b & 0xf), 16).unwrap_or('0'));
    }
    hex
}

/// One posting of a prepared board.
#[derive(Debug)]
pub(super) struct Incoming {
    pub posting: NormalizedPosting,
    /// Fetched without its description (the detail call was not made or failed): the stored one is kept.
    pub pending: bool,
    /// The content hash, unless `pending` (the stored description may take the empty one's place).
    pub hash: Option<String>,
    /// The source hash of the item it was read from (hex), when the client gave one.
    pub source: Option<String>,
    pub features: Option<Features>,
}

/// A board's postings ready for [`persist`](super::persist::persist_prepared).
#[derive(Debug)]
pub struct PreparedBoard {
    pub(super) board_id: i64,
    pub(super) company_id: i64,
    pub(super) complete: bool,
    pub(super) postings: Vec<Incoming>,
    /// The external ids of the postings found stored as they are (not read again), each once.
    pub(super) unchanged: Vec<String>,
    /// The stored descriptions of the `unchanged` postings, for the board's boilerplate (loaded by the
    /// write, and only when the board has a new posting).
    pub(super) unchanged_descriptions: Vec<String>,
    pub(super) interner: Interner,
    /// The board's boilerplate, once computed (only a board with a new posting needs it).
    boilerplate: Option<Boilerplate>,
    /// The stored postings read for the fetch, if they were.
    pub(super) stored: Option<StoredStates>,
}

impl BoardPostings {
    /// Orders, de-duplicates and hashes the postings; with `all_new` (nothing of the board is stored yet)
    /// also computes the boilerplate and every posting's repost features.
    pub fn prepare(self, all_new: bool) -> PreparedBoard {
        let mut postings = self.postings;
        postings.sort_by(|a, b| {
            ordering_key(a.published_at, &a.external_id).cmp(&ordering_key(b.published_at, &b.external_id))
        });
        // Two entries with one external id (a provider listing a posting twice): the first is the posting;
        // one found stored as it is counts as the first.
        let mut unchanged = self.unchanged;
        unchanged.sort_unstable();
        unchanged.dedup();
        let mut seen_ids: HashSet<String> = unchanged.iter().cloned().collect();
        postings.retain(|p| seen_ids.insert(p.external_id.clone()));
        let details_missing = self.details_missing;
        let mut sources = self.sources;
        let postings = postings
            .into_iter()
            .map(|posting| {
                let pending = details_missing && posting.description.trim().is_empty();
                let source = sources.remove(&posting.external_id).filter(|_| !pending);
                Incoming {
                    hash: (!pending).then(|| content_hash(&posting)),
                    source: source.map(|s| s.to_hex()),
                    posting,
                    pending,
                    features: None,
                }
            })
            .collect();
        let mut board = PreparedBoard {
            board_id: self.board_id,
            company_id: self.company_id,
            complete: self.complete,
            postings,
            unchanged,
            unchanged_descriptions: Vec::new(),
            interner: Interner::default(),
            boilerplate: None,
            stored: self.stored,
        };
        if all_new {
            let paragraphs = board.paragraphs();
            let boilerplate = boilerplate(&paragraphs);
            for (incoming, paragraphs) in board.postings.iter_mut().zip(&paragraphs) {
                let p = &incoming.posting;
                let features = Features::new(
                    &p.title,
                    &p.description,
                    paragraphs,
                    &boilerplate,
                    &mut board.interner,
                );
                incoming.features = Some(features);
            }
            board.boilerplate = Some(boilerplate);
        }
        board
    }
}

impl PreparedBoard {
    /// Each posting's description as fetched, in paragraphs (one still to come has none), then those of the
    /// postings found unchanged (as stored: the same).
    fn paragraphs(&mut self) -> Vec<Paragraphs> {
        let interner = &mut self.interner;
        let fetched = self.postings.iter().map(|p| {
            if p.pending {
                ""
            } else {
                p.posting.description.as_str()
            }
        });
        let unchanged = self.unchanged_descriptions.iter().map(String::as_str);
        fetched
            .chain(unchanged)
            .map(|text| Paragraphs::new(text, interner))
            .collect()
    }

    /// The board's boilerplate: paragraphs in three or more of the fetched descriptions.
    pub(super) fn boilerplate(&mut self) -> &Boilerplate {
        if self.boilerplate.is_none() {
            let paragraphs = self.paragraphs();
            self.boilerplate = Some(boilerplate(&paragraphs));
        }
        self.boilerplate.get_or_insert_default()
    }

    /// The repost features of the `i`th posting, computed now unless they were.
    pub(super) fn take_features(&mut self, i: usize) -> Features {
        if let Some(features) = self.postings[i].features.take() {
            return features;
        }
        self.boilerplate();
        let boilerplate = self.boilerplate.get_or_insert_default();
        let posting = &self.postings[i].posting;
        let paragraphs = Paragraphs::new(&posting.description, &mut self.interner);
        Features::new(
            &posting.title,
            &posting.description,
            &paragraphs,
            boilerplate,
            &mut self.interner,
        )
    }

    /// The features of another posting of the company, compared with this board's boilerplate.
    pub(super) fn features_of(&mut self, title: &str, description: &str) -> Features {
        self.boilerplate();
        let boilerplate = self.boilerplate.get_or_insert_default();
        let paragraphs = Paragraphs::new(description, &mut self.interner);
        Features::new(title, description, &paragraphs, boilerplate, &mut self.interner)
    }
}
