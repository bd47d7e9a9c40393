//! A board's boilerplate (docs/stages.md#repost-detection): paragraphs that occur in three or more of its
//! postings — company blurb, benefits, legal text — which would otherwise make unrelated postings of one
//! board look alike.

use std::collections::{HashMap, HashSet};

use crate::normalize::normalize_to_tokens;

/// A paragraph is boilerplate when this many postings of the board contain it.
pub const BOILERPLATE_MIN_POSTINGS: usize = 3;

/// The boilerplate of one board, as normalized paragraph keys, from all its postings' descriptions.
/// A paragraph is a non-blank line of the plain-text description (providers keep block structure as line
/// breaks); it is compared by its tokens, so case, accents, punctuation and spacing do not matter.
pub fn boilerplate_paragraphs(descriptions: &[&str]) -> HashSet<String> {
    let mut postings_with: HashMap<String, usize> = HashMap::new();
    for description in descriptions {
        let keys: HashSet<String> = paragraphs(description).filter_map(paragraph_key).collect();
        for key in keys {
            *postings_with.entry(key).or_default() += 1;
        }
    }
    postings_with
        .into_iter()
        .filter(|&(_, count)| count >= BOILERPLATE_MIN_POSTINGS)
        .map(|(key, _)| key)
        .collect()
}

/// The description without its boilerplate paragraphs, remaining paragraphs joined by line breaks.
pub fn strip_boilerplate(description: &str, boilerplate: &HashSet<String>) -> String {
    if boilerplate.is_empty() {
        return description.to_owned();
    }
    paragraphs(description)
        .filter(|p| paragraph_key(p).is_none_or(|key| !boilerplate.contains(&key)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\r']).map(str::trim).filter(|p| !p.is_empty())
}

fn paragraph_key(paragraph: &str) -> Option<String> {
    let tokens = normalize_to_tokens(paragraph);
    (!tokens.is_empty()).then(|| tokens.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLURB: &str = "Acme is a fast-growing fintech based in Madrid.";
    const BENEFITS: &str = "Benefits: flexible hours, remote work and a learning budget.";

    #[test]
    fn paragraphs_in_three_postings_are_boilerplate() {
        let a = format!("Backend engineer in Go.\n{BLURB}\n\n{BENEFITS}");
        let b = format!("Data analyst with SQL.\n{BLURB}\n{BENEFITS}");
        let c =
            format!("ACME IS A FAST GROWING FINTECH BASED IN MADRID\nSales manager for EMEA.\n{BENEFITS}");
        let d = "Office manager.".to_owned();
        let set = boilerplate_paragraphs(&[&a, &b, &c, &d]);
        assert_eq!(set.len(), 2);
        assert!(set.contains("acme is a fast growing fintech based in madrid"));
        assert_eq!(strip_boilerplate(&a, &set), "Backend engineer in Go.");
        assert_eq!(strip_boilerplate(&d, &set), "Office manager.");
    }

    #[test]
    fn a_paragraph_repeated_inside_one_posting_counts_once() {
        let a = format!("{BLURB}\n{BLURB}\n{BLURB}");
        let b = format!("Other.\n{BLURB}");
        assert!(boilerplate_paragraphs(&[&a, &b]).is_empty());
    }

    #[test]
    fn nothing_to_strip_keeps_the_text() {
        let set = HashSet::new();
        assert_eq!(strip_boilerplate("a\n\nb", &set), "a\n\nb");
    }
}
