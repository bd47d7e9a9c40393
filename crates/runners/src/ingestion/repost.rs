//! Repost detection for the ingestion stage, fast: the rules of `pipeline_scoring::detect_repost`
//! (docs/stages.md#repost-detection) on features computed with one tokenization per description, tokens
//! interned per board, token bags as sorted id lists, fingerprints and titles looked up by key and the
//! description overlap skipped where the two lengths alone rule out 0.90. The decisions are the scoring
//! crate's (a test compares them); only the work is less.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use pipeline_scoring::repost::{BOILERPLATE_MIN_POSTINGS, DESCRIPTION_SIMILARITY_THRESHOLD};
use pipeline_scoring::with_tokens;
use sha2::{Digest, Sha256};

/// Maps of tokens, paragraphs, titles and fingerprints: keys are short, and SipHash's setup dominated
/// hashing them; foldhash is several times faster and still seeded per process.
type FastMap<K, V> = foldhash::HashMap<K, V>;
type FastSet<K> = foldhash::HashSet<K>;

/// A board's tokens as small integers: equal ids are equal tokens.
#[derive(Debug, Default)]
pub struct Interner {
    ids: FastMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    fn id(&mut self, token: &str) -> u32 {
        if let Some(&id) = self.ids.get(token) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(token.into(), id);
        self.names.push(token.into());
        id
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// `normalize_to_tokens(text)`, interned.
    fn tokens(&mut self, text: &str) -> Vec<u32> {
        with_tokens(text, |tokens| tokens.iter().map(|t| self.id(t)).collect())
    }
}

/// A board's boilerplate paragraphs, by their tokens (`pipeline_scoring::boilerplate_paragraphs`).
pub type Boilerplate = FastSet<Vec<u32>>;

/// A description's paragraphs (non-blank lines, trimmed), each tokenized once: what both the board's
/// boilerplate and the posting's features are computed from.
#[derive(Debug)]
pub struct Paragraphs {
    tokens: Vec<Vec<u32>>,
    /// The description holds U+0085, which trimming removes but tokenizing keeps: its full tokens are not
    /// its paragraphs' and are computed from the whole text.
    whole_text_differs: bool,
}

impl Paragraphs {
    pub fn new(description: &str, interner: &mut Interner) -> Paragraphs {
        let tokens = description
            .split(['\n', '\r'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| interner.tokens(p))
            .collect();
        Paragraphs {
            tokens,
            whole_text_differs: description.contains('\u{85}'),
        }
    }
}

/// The paragraphs found in at least [`BOILERPLATE_MIN_POSTINGS`] of the descriptions (a paragraph repeated
/// within one counts once).
pub fn boilerplate<'a>(descriptions: impl IntoIterator<Item = &'a Paragraphs>) -> Boilerplate {
    let mut postings_with: FastMap<&[u32], usize> = FastMap::default();
    for paragraphs in descriptions {
        let keys: FastSet<&[u32]> = paragraphs
            .tokens
            .iter()
            .filter(|t| !t.is_empty())
            .map(Vec::as_slice)
            .collect();
        for key in keys {
            *postings_with.entry(key).or_default() += 1;
        }
    }
    postings_with
        .into_iter()
        .filter(|&(_, n)| n >= BOILERPLATE_MIN_POSTINGS)
        .map(|(key, _)| key.to_vec())
        .collect()
}

/// What repost detection compares of a posting (`pipeline_scoring::RepostProfile`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Features {
    fingerprint: Option<[u8; 32]>,
    title: Vec<u32>,
    has_description: bool,
    /// The description's tokens without the board's boilerplate (all of them when nothing else is left), as
    /// (token, count) sorted by token.
    body: Vec<(u32, u32)>,
    body_len: u32,
}

/// Tokens of paragraphs joined by line breaks: theirs one after another, unless a paragraph ending in "u"
/// is followed by one starting with "s" or "k" (the country augmentation would insert tokens between).
fn joined<'a>(paragraphs: impl Iterator<Item = &'a Vec<u32>>, interner: &mut Interner) -> Option<Vec<u32>> {
    let (u, s, k) = (interner.id("u"), interner.id("s"), interner.id("k"));
    let mut out = Vec::new();
    let mut after_u = false;
    for tokens in paragraphs {
        if after_u && tokens.first().is_some_and(|&t| t == s || t == k) {
            return None;
        }
        if let Some(&last) = tokens.last() {
            after_u = last == u;
        }
        out.extend_from_slice(tokens);
    }
    Some(out)
}

impl Features {
    /// The features of a posting of a board whose boilerplate is `boilerplate`; `paragraphs` are its
    /// description's.
    pub fn new(
        title: &str,
        description: &str,
        paragraphs: &Paragraphs,
        boilerplate: &Boilerplate,
        interner: &mut Interner,
    ) -> Features {
        let title = interner.tokens(title);
        let full = match paragraphs.whole_text_differs {
            true => None,
            false => joined(paragraphs.tokens.iter(), interner),
        };
        let full = full.unwrap_or_else(|| interner.tokens(description));
        let fingerprint = (!title.is_empty() && !full.is_empty()).then(|| {
            let mut digest = Sha256::new();
            hash_tokens(&mut digest, &title, interner);
            digest.update("\n\n");
            hash_tokens(&mut digest, &full, interner);
            digest.finalize().into()
        });
        // `strip_boilerplate`: the description unchanged without boilerplate, else its other paragraphs.
        let stripped = (!boilerplate.is_empty()).then(|| {
            let kept = |t: &&Vec<u32>| t.is_empty() || !boilerplate.contains(*t);
            match joined(paragraphs.tokens.iter().filter(kept), interner) {
                Some(tokens) => tokens,
                None => {
                    let texts = description
                        .split(['\n', '\r'])
                        .map(str::trim)
                        .filter(|p| !p.is_empty());
                    let kept: Vec<&str> = texts
                        .zip(&paragraphs.tokens)
                        .filter(|(_, t)| kept(t))
                        .map(|(text, _)| text)
                        .collect();
                    interner.tokens(&kept.join("\n"))
                }
            }
        });
        let body = match stripped {
            Some(tokens) if !tokens.is_empty() => tokens,
            _ => full.clone(),
        };
        let body_len = body.len() as u32;
        let mut sorted = body;
        sorted.sort_unstable();
        let mut bag: Vec<(u32, u32)> = Vec::with_capacity(sorted.len());
        for id in sorted {
            match bag.last_mut() {
                Some((last, n)) if *last == id => *n += 1,
                _ => bag.push((id, 1)),
            }
        }
        bag.shrink_to_fit();
        Features {
            fingerprint,
            title,
            has_description: !full.is_empty(),
            body: bag,
            body_len,
        }
    }

    /// Σ min(count here, count there) / max(len here, len there), as `TokenBag::overlap` for two
    /// non-empty bags.
    fn overlap(&self, other: &Features) -> f64 {
        let (mut a, mut b) = (self.body.iter().peekable(), other.body.iter().peekable());
        let mut shared = 0u32;
        while let (Some(&&(x, m)), Some(&&(y, n))) = (a.peek(), b.peek()) {
            match x.cmp(&y) {
                std::cmp::Ordering::Less => {
                    a.next();
                }
                std::cmp::Ordering::Greater => {
                    b.next();
                }
                std::cmp::Ordering::Equal => {
                    shared += m.min(n);
                    a.next();
                    b.next();
                }
            }
        }
        f64::from(shared) / f64::from(self.body_len.max(other.body_len))
    }

    /// The best overlap the two lengths allow.
    fn overlap_bound(&self, other: &Features) -> f64 {
        f64::from(self.body_len.min(other.body_len)) / f64::from(self.body_len.max(other.body_len))
    }
}

/// Hashes the tokens joined by `\n`, as `fingerprint` hashes the token strings.
fn hash_tokens(digest: &mut Sha256, tokens: &[u32], interner: &Interner) {
    for (i, &id) in tokens.iter().enumerate() {
        if i > 0 {
            digest.update("\n");
        }
        digest.update(interner.name(id).as_bytes());
    }
}

/// Which rule found the canonical posting (`pipeline_scoring::RepostReason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Fingerprint,
    ExactTitle,
    DescriptionSimilarity,
}

#[derive(Debug)]
struct Canonical {
    features: Features,
    /// Last seen, else published, else updated: the tie-break between equally similar canonicals.
    seen: Option<DateTime<Utc>>,
}

/// A company's canonical postings as repost detection looks them up.
#[derive(Debug, Default)]
pub struct Canonicals {
    by_id: BTreeMap<i64, Canonical>,
    by_fingerprint: FastMap<[u8; 32], BTreeSet<i64>>,
    by_title: FastMap<Vec<u32>, BTreeSet<i64>>,
}

impl Canonicals {
    /// Adds a canonical posting; `seen` is its last seen time, else published, else updated.
    pub fn add(&mut self, id: i64, features: Features, seen: Option<DateTime<Utc>>) {
        if let Some(print) = features.fingerprint {
            self.by_fingerprint.entry(print).or_default().insert(id);
        }
        if !features.title.is_empty() {
            let ids = self.by_title.entry(features.title.clone()).or_default();
            ids.insert(id);
        }
        self.by_id.insert(id, Canonical { features, seen });
    }

    pub fn remove(&mut self, id: i64) {
        let Some(removed) = self.by_id.remove(&id) else {
            return;
        };
        if let Some(ids) = removed
            .features
            .fingerprint
            .and_then(|print| self.by_fingerprint.get_mut(&print))
        {
            ids.remove(&id);
        }
        if let Some(ids) = self.by_title.get_mut(&removed.features.title) {
            ids.remove(&id);
        }
    }

    /// `pipeline_scoring::detect_repost`: the lowest id with the same fingerprint; else the lowest id with
    /// the same (non-empty) title tokens; else, when the candidate has a description, the most similar
    /// description (ties: most recently seen, having a time beats none, then lowest id) if at least 0.90.
    pub fn detect(&self, candidate: &Features) -> Option<(i64, Reason)> {
        let lowest = |ids: Option<&BTreeSet<i64>>| ids.and_then(|ids| ids.first().copied());
        if let Some(id) = lowest(candidate.fingerprint.and_then(|p| self.by_fingerprint.get(&p))) {
            return Some((id, Reason::Fingerprint));
        }
        if !candidate.title.is_empty()
            && let Some(id) = lowest(self.by_title.get(&candidate.title))
        {
            return Some((id, Reason::ExactTitle));
        }
        if !candidate.has_description {
            return None;
        }
        let mut best: Option<(i64, &Canonical, f64)> = None;
        for (&id, canonical) in &self.by_id {
            let features = &canonical.features;
            // An overlap below the threshold can never be the answer: the lengths alone may rule it out.
            if !features.has_description
                || candidate.overlap_bound(features) < DESCRIPTION_SIMILARITY_THRESHOLD
            {
                continue;
            }
            let similarity = candidate.overlap(features);
            let better = match best {
                None => similarity > 0.0,
                Some((best_id, current, best_similarity)) => {
                    similarity > best_similarity
                        || (similarity == best_similarity && preferred((id, canonical), (best_id, current)))
                }
            };
            if better {
                best = Some((id, canonical, similarity));
            }
        }
        best.filter(|&(_, _, s)| s >= DESCRIPTION_SIMILARITY_THRESHOLD)
            .map(|(id, _, _)| (id, Reason::DescriptionSimilarity))
    }
}

/// `is_preferred`: the more recently seen, then the lower id.
fn preferred(a: (i64, &Canonical), b: (i64, &Canonical)) -> bool {
    match (a.1.seen, b.1.seen) {
        (Some(x), Some(y)) if x != y => x > y,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        _ => a.0 < b.0,
    }
}

#[cfg(test)]
mod tests;
