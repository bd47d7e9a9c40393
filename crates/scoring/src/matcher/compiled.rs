//! A catalog compiled for matching (docs/original-system.md#ref-7-compilation): every alias and phrase as a
//! sequence of token ids, a one-token entry indexed by its token and a longer one by its first two tokens, so
//! matching is one pass over a posting's tokens with at most two lookups per token, however many entries
//! share a first word (docs/stages.md#scoring-speed).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::catalog::{Catalog, CatalogError, Category, Phrase, ScoringRules};
use crate::normalize::normalize_to_tokens;

/// Token → id of every token an alias, phrase or cue uses.
type Vocabulary = HashMap<Box<str>, u32, BuildHasherDefault<TokenHasher>>;

/// Entries of two tokens or more by the ids of their first two tokens.
type PairIndex = HashMap<(u32, u32), Vec<Entry>, BuildHasherDefault<TokenHasher>>;

/// An FxHash-style hasher: several times faster than SipHash on short tokens. Flooding is no concern: the
/// table is built from the catalog only; posting tokens are merely looked up.
#[derive(Debug, Default, Clone, Copy)]
struct TokenHasher(u64);

impl TokenHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for TokenHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A quick no for most posting tokens before the vocabulary is hashed: the (first byte, last byte) pairs and
/// the lengths of the vocabulary's tokens. A token whose pair or length no vocabulary token has is unknown.
#[derive(Debug, Clone)]
struct Prefilter {
    /// One bit per (first byte, last byte).
    ends: Vec<u64>,
    /// Bit `n` for a length of `n` bytes (63 for 63 and more).
    lengths: u64,
}

impl Prefilter {
    fn new<'a>(tokens: impl Iterator<Item = &'a str>) -> Prefilter {
        let mut filter = Prefilter {
            ends: vec![0; 1024],
            lengths: 0,
        };
        for token in tokens {
            if let Some((key, length)) = Prefilter::key(token.as_bytes()) {
                filter.ends[key >> 6] |= 1 << (key & 63);
                filter.lengths |= length;
            }
        }
        filter
    }

    fn key(token: &[u8]) -> Option<(usize, u64)> {
        let (&first, &last) = (token.first()?, token.last()?);
        Some((
            (usize::from(first) << 8) | usize::from(last),
            1 << token.len().min(63),
        ))
    }

    fn may_hold(&self, token: &str) -> bool {
        Prefilter::key(token.as_bytes()).is_some_and(|(key, length)| {
            self.lengths & length != 0 && self.ends[key >> 6] & (1 << (key & 63)) != 0
        })
    }
}

/// Token id of a posting token that occurs in no alias, phrase or cue: it can start nothing.
pub(crate) const UNKNOWN_TOKEN: u32 = u32::MAX;

/// A validated catalog ready to match and score; cheap to share (`&CompiledCatalog`) across threads.
#[derive(Debug, Clone)]
pub struct CompiledCatalog {
    catalog: Catalog,
    version: String,
    vocabulary: Vocabulary,
    prefilter: Prefilter,
    /// One-token entries by the id of their token, in [`Entry`] order.
    singles: Vec<Vec<Entry>>,
    /// Longer entries by the ids of their first two tokens, in [`Entry`] order.
    pairs: PairIndex,
    /// By token id: whether a longer entry starts with it (only then is `pairs` looked up).
    starts_pair: Vec<bool>,
    pub(crate) aliases: Vec<CompiledAlias>,
    pub(crate) phrases: Vec<CompiledPhrase>,
    is_cue: Vec<bool>,
    category_index: HashMap<String, usize>,
    phrase_index: HashMap<String, usize>,
    /// Bucket of each category, by category index.
    category_buckets: Vec<Option<usize>>,
}

/// An alias or a phrase, by index. The derived order is the catalog order hits keep at one position:
/// aliases first, then phrases, each as declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Entry {
    Alias(usize),
    Phrase(usize),
}

/// One distinct alias of a keyword.
#[derive(Debug, Clone)]
pub(crate) struct CompiledAlias {
    pub keyword: usize,
    pub category: usize,
    pub tokens: Vec<u32>,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledPhrase {
    pub phrase: usize,
    pub tokens: Vec<u32>,
}

impl CompiledCatalog {
    /// Validates and compiles a catalog.
    pub fn new(catalog: &Catalog) -> Result<CompiledCatalog, CatalogError> {
        catalog.validate()?;
        Ok(CompiledCatalog::compile(catalog.clone()))
    }

    /// The built-in catalog, compiled (it is valid: a test checks it).
    pub fn builtin() -> CompiledCatalog {
        CompiledCatalog::compile(Catalog::builtin())
    }

    /// Compiles without validating: entries that cannot match (no tokens, unknown category) are left out.
    fn compile(catalog: Catalog) -> CompiledCatalog {
        let mut vocabulary = Vocabulary::default();
        let category_index: HashMap<String, usize> = catalog
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let aliases = compile_aliases(&catalog, &category_index, &mut vocabulary);
        let phrases: Vec<CompiledPhrase> = (catalog.phrases.iter().enumerate())
            .map(|(phrase, p)| CompiledPhrase {
                phrase,
                tokens: intern_text(&p.phrase, &mut vocabulary),
            })
            .filter(|p| !p.tokens.is_empty())
            .collect();
        let cues: Vec<Vec<u32>> = catalog
            .scoring
            .negation
            .cues
            .iter()
            .map(|cue| intern_text(cue, &mut vocabulary))
            .collect();
        let mut is_cue = vec![false; vocabulary.len()];
        for cue in cues.iter().filter(|c| c.len() == 1) {
            is_cue[cue[0] as usize] = true;
        }
        let mut singles = vec![Vec::new(); vocabulary.len()];
        let mut pairs = PairIndex::default();
        let mut starts_pair = vec![false; vocabulary.len()];
        let entries = (aliases
            .iter()
            .enumerate()
            .map(|(i, a)| (Entry::Alias(i), &a.tokens)))
        .chain(
            phrases
                .iter()
                .enumerate()
                .map(|(i, p)| (Entry::Phrase(i), &p.tokens)),
        );
        for (entry, tokens) in entries {
            match tokens[..] {
                [only] => singles[only as usize].push(entry),
                [first, second, ..] => {
                    starts_pair[first as usize] = true;
                    pairs.entry((first, second)).or_default().push(entry);
                }
                [] => {}
            }
        }
        let category_buckets = catalog
            .categories
            .iter()
            .map(|c| catalog.scoring.bucket_of(&c.id))
            .collect();
        let phrase_index = catalog
            .phrases
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        CompiledCatalog {
            version: catalog.version(),
            catalog,
            prefilter: Prefilter::new(vocabulary.keys().map(|t| &**t)),
            vocabulary,
            singles,
            pairs,
            starts_pair,
            aliases,
            phrases,
            is_cue,
            category_index,
            phrase_index,
            category_buckets,
        }
    }

    /// The catalog this was compiled from.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The scorer's constants.
    pub fn rules(&self) -> &ScoringRules {
        &self.catalog.scoring
    }

    /// The content hash stored with every match ([`Catalog::version`]).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The display name of a category id, e.g. for `top_category_name`.
    pub fn category_name(&self, id: &str) -> Option<&str> {
        self.category(id).map(|(_, c)| c.name.as_str())
    }

    pub(crate) fn category(&self, id: &str) -> Option<(usize, &Category)> {
        let index = *self.category_index.get(id)?;
        Some((index, &self.catalog.categories[index]))
    }

    pub(crate) fn phrase(&self, id: &str) -> Option<&Phrase> {
        self.phrase_index.get(id).map(|&i| &self.catalog.phrases[i])
    }

    pub(crate) fn bucket_of_category(&self, index: usize) -> Option<usize> {
        self.category_buckets.get(index).copied().flatten()
    }

    /// The id of a posting token, [`UNKNOWN_TOKEN`] when no entry uses it.
    pub(crate) fn token_id(&self, token: &str) -> u32 {
        if !self.prefilter.may_hold(token) {
            return UNKNOWN_TOKEN;
        }
        self.vocabulary.get(token).copied().unwrap_or(UNKNOWN_TOKEN)
    }

    pub(crate) fn is_cue(&self, id: u32) -> bool {
        self.is_cue.get(id as usize).copied().unwrap_or(false)
    }

    /// The token ids of an entry.
    pub(crate) fn tokens_of(&self, entry: Entry) -> &[u32] {
        match entry {
            Entry::Alias(i) => &self.aliases[i].tokens,
            Entry::Phrase(i) => &self.phrases[i].tokens,
        }
    }

    /// Every entry whose tokens start at `ids[start]`, in [`Entry`] order, into `out` (cleared first).
    pub(crate) fn entries_at(&self, ids: &[u32], start: usize, out: &mut Vec<Entry>) {
        out.clear();
        let id = ids[start];
        if let Some(singles) = self.singles.get(id as usize) {
            out.extend_from_slice(singles);
        }
        let Some(&next) = ids.get(start + 1) else {
            return;
        };
        if !self.starts_pair.get(id as usize).copied().unwrap_or(false) {
            return;
        }
        let Some(candidates) = self.pairs.get(&(id, next)) else {
            return;
        };
        let (singles, after) = (out.len(), &ids[start + 2..]);
        for &entry in candidates {
            let rest = &self.tokens_of(entry)[2..];
            if rest.len() <= after.len() && rest.iter().zip(after).all(|(a, b)| a == b) {
                out.push(entry);
            }
        }
        if singles > 0 && out.len() > singles {
            out.sort_unstable();
        }
    }
}

/// Each (keyword, distinct alias token sequence) once, in catalog order.
fn compile_aliases(
    catalog: &Catalog,
    category_index: &HashMap<String, usize>,
    vocabulary: &mut Vocabulary,
) -> Vec<CompiledAlias> {
    let mut out = Vec::new();
    for (keyword, k) in catalog.keywords.iter().enumerate() {
        let Some(&category) = category_index.get(&k.category_id) else {
            continue;
        };
        let first_of_keyword = out.len();
        for alias in &k.aliases {
            let tokens = intern_text(alias, vocabulary);
            let seen = out[first_of_keyword..]
                .iter()
                .any(|a: &CompiledAlias| a.tokens == tokens);
            if !tokens.is_empty() && !seen {
                out.push(CompiledAlias {
                    keyword,
                    category,
                    tokens,
                });
            }
        }
    }
    out
}

fn intern_text(text: &str, vocabulary: &mut Vocabulary) -> Vec<u32> {
    normalize_to_tokens(text)
        .into_iter()
        .map(|token| {
            let next = u32::try_from(vocabulary.len()).unwrap_or(UNKNOWN_TOKEN - 1);
            *vocabulary.entry(token.into_boxed_str()).or_insert(next)
        })
        .collect()
}
