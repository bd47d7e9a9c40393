//! Finding a catalog's keywords and phrases in a posting (docs/original-system.md#ref-8-2): title and
//! description only, every occurrence kept, each hit marked negated when a cue is near it. Text is cleaned
//! first (docs/stages.md#matching-text: decoded plain text, URLs removed).

mod compiled;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

pub use compiled::CompiledCatalog;

use crate::catalog::NegationRules;
use crate::normalize::{fold, plain_text, tokens_of_folded};
use compiled::{Entry, UNKNOWN_TOKEN};

/// The posting field a hit was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The posting's title (weighted by `field_weights.title`).
    Title,
    /// The posting's description.
    Description,
}

/// One occurrence of a keyword alias.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeywordHit {
    /// The keyword whose alias matched.
    pub keyword_id: String,
    /// The keyword's category.
    pub category_id: String,
    /// Where it matched.
    pub field: Field,
    /// Position of the first matched token in the field's token list.
    pub token_index: usize,
    /// The posting's tokens that matched (normalized).
    pub matched_tokens: Vec<String>,
    /// A negation cue is near it: it adds no points.
    pub negated: bool,
}

/// One occurrence of a phrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhraseHit {
    /// The phrase that matched.
    pub phrase_id: String,
    /// Where it matched.
    pub field: Field,
    /// Position of the first matched token in the field's token list.
    pub token_index: usize,
    /// The posting's tokens that matched (normalized).
    pub matched_tokens: Vec<String>,
    /// A negation cue is near it: it adds no points.
    pub negated: bool,
}

/// Every hit of a posting: title hits first, then description hits; within a field by token position, then
/// catalog order. The distinct counts include negated hits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchResult {
    /// Every keyword hit, in the order above.
    pub keyword_hits: Vec<KeywordHit>,
    /// Every phrase hit, in the order above.
    pub phrase_hits: Vec<PhraseHit>,
    /// Distinct categories among the keyword hits.
    pub unique_categories: usize,
    /// Distinct keywords among the keyword hits.
    pub unique_keywords: usize,
}

impl MatchResult {
    /// A result from hits, with the distinct category and keyword counts computed.
    pub fn new(keyword_hits: Vec<KeywordHit>, phrase_hits: Vec<PhraseHit>) -> MatchResult {
        let unique_categories = keyword_hits
            .iter()
            .map(|h| h.category_id.as_str())
            .collect::<HashSet<_>>()
            .len();
        let unique_keywords = keyword_hits
            .iter()
            .map(|h| h.keyword_id.as_str())
            .collect::<HashSet<_>>()
            .len();
        MatchResult {
            keyword_hits,
            phrase_hits,
            unique_categories,
            unique_keywords,
        }
    }
}

impl CompiledCatalog {
    /// Matches a posting's title and description (plain text or leftover HTML; URLs are ignored).
    pub fn match_posting(&self, title: &str, description: &str) -> MatchResult {
        let mut keyword_hits = Vec::new();
        let mut phrase_hits = Vec::new();
        for (field, text) in [(Field::Title, title), (Field::Description, description)] {
            let folded = fold(&plain_text(text));
            let tokens = tokens_of_folded(&folded);
            self.match_tokens(field, &tokens, &mut keyword_hits, &mut phrase_hits);
        }
        MatchResult::new(keyword_hits, phrase_hits)
    }

    /// One pass over the tokens: at each position only the entries starting with that token (and, when longer
    /// than one token, with the next one) are tried.
    fn match_tokens(
        &self,
        field: Field,
        tokens: &[&str],
        keyword_hits: &mut Vec<KeywordHit>,
        phrase_hits: &mut Vec<PhraseHit>,
    ) {
        let ids: Vec<u32> = tokens.iter().map(|t| self.token_id(t)).collect();
        let cues: Vec<bool> = ids.iter().map(|&id| self.is_cue(id)).collect();
        let negation = &self.rules().negation;
        let catalog = self.catalog();
        let mut found = Vec::new();
        for (start, &id) in ids.iter().enumerate() {
            if id == UNKNOWN_TOKEN {
                continue;
            }
            self.entries_at(&ids, start, &mut found);
            for &entry in &found {
                let len = self.tokens_of(entry).len();
                let matched_tokens = tokens[start..start + len]
                    .iter()
                    .map(|t| (*t).to_owned())
                    .collect();
                let negated = is_negated(&cues, start, len, negation);
                match entry {
                    Entry::Alias(index) => {
                        let alias = &self.aliases[index];
                        keyword_hits.push(KeywordHit {
                            keyword_id: catalog.keywords[alias.keyword].id.clone(),
                            category_id: catalog.categories[alias.category].id.clone(),
                            field,
                            token_index: start,
                            matched_tokens,
                            negated,
                        });
                    }
                    Entry::Phrase(index) => phrase_hits.push(PhraseHit {
                        phrase_id: catalog.phrases[self.phrases[index].phrase].id.clone(),
                        field,
                        token_index: start,
                        matched_tokens,
                        negated,
                    }),
                }
            }
        }
    }
}

/// Whether a cue lies in `[start − before, start)` or `[end, end + after)` (clamped; the match's own tokens
/// excluded), `cues[i]` telling whether token `i` is a cue.
pub(crate) fn is_negated(cues: &[bool], start: usize, len: usize, rules: &NegationRules) -> bool {
    let end = (start + len).min(cues.len());
    let before = &cues[start.saturating_sub(rules.window_before)..start.min(end)];
    let after = &cues[end..(end + rules.window_after).min(cues.len())];
    before.iter().chain(after).any(|&cue| cue)
}

#[cfg(test)]
mod tests;
