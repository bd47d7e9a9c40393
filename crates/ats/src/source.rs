//! Source hashes (docs/stages.md#ingestion-persistence): the 128-bit XXH3 hash of the raw item a posting
//! was read from (its JSON text as the API sent it; for SmartRecruiters and Workday the list item alone,
//! recognised only while the board's details are fresh, docs/stages.md#detail-freshness), so that a posting
//! the stage already stores from that very item is recognised before it is parsed, normalized or converted
//! from HTML. [`Known`] holds a board's stored postings by source hash; a client that meets one of them
//! records the posting as [`BoardFetch::unchanged`] instead of normalizing it again.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use futures::future::BoxFuture;
use pipeline_domain::{NormalizedPosting, Provider};
use xxhash_rust::xxh3::Xxh3;

use crate::BoardFetch;

/// The version of the clients' reading: part of every source hash, so that raising it (whenever a
/// client's mapping or the HTML → text conversion changes what an item normalizes to) makes every stored
/// posting be read again once, not kept as the older reading made it. Version 1 was a SHA-256 (64 hex
/// digits): such a stored hash reads as none, and its posting is read again once.
pub const SOURCE_VERSION: u32 = 2;

/// The 128-bit XXH3 hash of a posting's raw item, with the provider and [`SOURCE_VERSION`]. It recognises
/// an item seen before, nothing more: the stored content is compared by its own content hash when the item
/// is new, and a collision (2^-64 between two items at the birthday bound, far beyond a board's postings)
/// would only keep a posting as it was until its item changes again. Not cryptographic: on the unchanged
/// re-run the SHA-256 it replaced was 6 % of the stage's CPU, this is a tenth of that.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceHash([u8; 16]);

impl std::fmt::Debug for SourceHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SourceHash({})", self.to_hex())
    }
}

impl SourceHash {
    /// The hash of an item made of `parts` (each length-prefixed, so that no two splits of the same bytes
    /// collide) read from `provider`.
    pub fn of(provider: Provider, parts: &[&[u8]]) -> SourceHash {
        let mut hasher = Xxh3::new();
        hasher.update(provider.key().as_bytes());
        hasher.update(&SOURCE_VERSION.to_le_bytes());
        for part in parts {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        SourceHash(hasher.digest128().to_le_bytes())
    }

    /// Lower-case hex, as stored.
    pub fn to_hex(&self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = String::with_capacity(32);
        for b in self.0 {
            hex.push(char::from(DIGITS[usize::from(b >> 4)]));
            hex.push(char::from(DIGITS[usize::from(b & 0xf)]));
        }
        hex
    }

    /// Reads [`to_hex`](Self::to_hex)'s form back; `None` for anything else.
    pub fn from_hex(hex: &str) -> Option<SourceHash> {
        let bytes = hex.as_bytes();
        if bytes.len() != 32 {
            return None;
        }
        let mut out = [0u8; 16];
        for (i, pair) in bytes.chunks_exact(2).enumerate() {
            let digit = |c: u8| char::from(c).to_digit(16).map(|d| d as u8);
            out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
        }
        Some(SourceHash(out))
    }
}

/// A board's stored postings by the source hash of the item each was last read from, with their external
/// ids: what a fetch may recognise without reading it again. Either built at once ([`Known::insert`]) or
/// [`Known::deferred`]: read on the first [`Known::read`], which a client awaits only once the board's
/// answer is not a 304, so that a board that did not change costs no read of its postings. Until read, a
/// deferred set knows nothing (every posting would be read again: slower, never wrong).
pub struct Known {
    by_source: tokio::sync::OnceCell<HashMap<SourceHash, String>>,
    /// Every detail of the board was read recently (`ingestion.details_refresh_after`): SmartRecruiters and
    /// Workday may keep a posting whose list item is known without its detail call.
    details_fresh: bool,
    /// The read of a deferred set, taken by the first [`Known::read`].
    pending: Mutex<Option<BoxFuture<'static, Known>>>,
}

impl Default for Known {
    fn default() -> Self {
        Known {
            by_source: tokio::sync::OnceCell::new_with(Some(HashMap::new())),
            pending: Mutex::new(None),
            details_fresh: false,
        }
    }
}

impl std::fmt::Debug for Known {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.by_source.get() {
            Some(known) => f.debug_struct("Known").field("len", &known.len()).finish(),
            None => f.write_str("Known(deferred)"),
        }
    }
}

impl Known {
    /// A set read by `read` when a fetch first needs it.
    pub fn deferred(read: impl Future<Output = Known> + Send + 'static) -> Known {
        Known {
            by_source: tokio::sync::OnceCell::new(),
            pending: Mutex::new(Some(Box::pin(read))),
            details_fresh: false,
        }
    }

    /// The same set, saying whether every detail of the board was read recently (see
    /// [`details_fresh`](Self::details_fresh)).
    pub fn with_details_fresh(mut self, fresh: bool) -> Known {
        self.details_fresh = fresh;
        self
    }

    /// Whether a client with per-posting detail calls (SmartRecruiters, Workday) may recognise a posting by
    /// its list item alone. When not, it reads every detail (a full description pass) and recognises
    /// nothing: the source hash of those clients is their list item's, which says nothing of the detail.
    pub fn details_fresh(&self) -> bool {
        self.details_fresh
    }

    /// Reads a deferred set (once; at once for a set built otherwise or read already).
    pub async fn read(&self) {
        self.by_source
            .get_or_init(|| async {
                let pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner).take();
                match pending {
                    Some(read) => read.await.by_source.into_inner().unwrap_or_default(),
                    None => HashMap::new(),
                }
            })
            .await;
    }

    /// Adds a stored posting, `external_id`, read from an item of hash `source`. A deferred set not read
    /// yet drops its read: it holds what is inserted.
    pub fn insert(&mut self, source: SourceHash, external_id: String) {
        if !self.by_source.initialized() {
            *self.pending.get_mut().unwrap_or_else(PoisonError::into_inner) = None;
            let _ = self.by_source.set(HashMap::new());
        }
        if let Some(known) = self.by_source.get_mut() {
            known.insert(source, external_id);
        }
    }

    /// How many stored postings are known (none before a deferred set is read).
    pub fn len(&self) -> usize {
        self.by_source.get().map_or(0, HashMap::len)
    }

    /// Nothing is known (a board never fetched, `fetch_board`; a deferred set not read yet).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The external id of the stored posting read from an item of hash `source`.
    pub fn get(&self, source: &SourceHash) -> Option<&str> {
        self.by_source.get()?.get(source).map(String::as_str)
    }
}

impl BoardFetch {
    /// When `known` holds `source`, records its posting as unchanged (not read again) and says so.
    pub(crate) fn is_known(&mut self, known: &Known, source: SourceHash) -> bool {
        match known.get(&source) {
            Some(id) => {
                self.unchanged.push(id.to_owned());
                true
            }
            None => false,
        }
    }

    /// Adds a posting read from an item of hash `source` (a repeated external id keeps its first source).
    pub(crate) fn push_sourced(&mut self, posting: NormalizedPosting, source: SourceHash) {
        self.sources.entry(posting.external_id.clone()).or_insert(source);
        self.postings.push(posting);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_source_hash_reads_back_from_hex_and_parts_are_delimited() {
        let a = SourceHash::of(Provider::Lever, &[b"{\"id\":1}"]);
        assert_eq!(SourceHash::from_hex(&a.to_hex()), Some(a));
        assert_eq!(a.to_hex().len(), 32);
        assert_eq!(SourceHash::from_hex("xyz"), None);
        assert_eq!(SourceHash::from_hex(&"g".repeat(32)), None);
        // A version-1 hash (SHA-256) reads as none: its posting is read again once.
        assert_eq!(SourceHash::from_hex(&"ab".repeat(32)), None);
        let split = |x: &[u8], y: &[u8]| SourceHash::of(Provider::Workday, &[x, y]);
        assert_ne!(split(b"ab", b"c"), split(b"a", b"bc"));
        assert_ne!(a, SourceHash::of(Provider::Greenhouse, &[b"{\"id\":1}"]));
        let mut known = Known::default();
        known.insert(a, "1".into());
        let mut fetch = BoardFetch::default();
        assert!(fetch.is_known(&known, a));
        assert!(!fetch.is_known(&known, split(b"a", b"b")));
        assert_eq!(fetch.unchanged, ["1"]);
    }
}
