//! The ingestion stage's repost detection decides as `pipeline_scoring::detect_repost` does: the same
//! canonical for the same reason, on generated boards full of near-duplicates, boilerplate, the country and
//! currency augmentations at paragraph edges, Greek capital sigma and U+0085.

use std::collections::HashSet;

use chrono::{DateTime, TimeZone, Utc};
use pipeline_scoring::{
    CanonicalPosting, RepostProfile, RepostReason, boilerplate_paragraphs, detect_repost, fingerprint,
};

use super::*;

/// xorshift64*: a fixed sequence, no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: [&str; 24] = [
    "python",
    "u",
    "s",
    "k",
    "$100",
    "€5",
    "ΣΊΣΥΦΟΣ",
    "café",
    "Data",
    "data",
    "eeuu",
    "latinoamerica",
    "go",
    "rust",
    "and",
    "the",
    "team",
    "madrid",
    "---",
    "x\u{85}",
    "remote",
    "payments",
    "ledger",
    "EXPANSIÓN",
];
const BREAKS: [&str; 5] = ["\n", "\n\n", "\r\n", "\n  \n", "\u{85}\n"];
const BLURBS: [&str; 3] = [
    "Acme is a fintech based in Madrid.",
    "Benefits: remote work, a learning budget and u",
    "s k eeuu team",
];
const TITLES: [&str; 7] = [
    "Backend Engineer",
    "backend engineer!",
    "",
    "--",
    "Data U",
    "S Data",
    "Ledger",
];

fn paragraph(rng: &mut Rng) -> String {
    let words: Vec<&str> = (0..1 + rng.below(7)).map(|_| rng.pick(&WORDS)).collect();
    words.join(rng.pick(&[" ", "  ", ", ", "/", "\t"]))
}

/// A description: a family's base paragraphs, mutated a little, mixed with the board's blurbs.
fn description(rng: &mut Rng, base: &[String]) -> String {
    let mut paragraphs: Vec<String> = base.to_vec();
    match rng.below(4) {
        0 => paragraphs.push(paragraph(rng)),
        1 if paragraphs.len() > 1 => {
            paragraphs.pop();
        }
        2 => {
            let word = rng.pick(&WORDS);
            paragraphs[0].push_str(&format!(" {word}"));
        }
        _ => {}
    }
    for _ in 0..rng.below(3) {
        let at = rng.below(paragraphs.len() + 1);
        paragraphs.insert(at, rng.pick(&BLURBS).to_owned());
    }
    let mut text = String::new();
    for p in paragraphs {
        text.push_str(&p);
        text.push_str(rng.pick(&BREAKS));
    }
    if rng.below(8) == 0 { String::new() } else { text }
}

fn day(rng: &mut Rng) -> Option<DateTime<Utc>> {
    let d = rng.below(4);
    (d > 0).then(|| Utc.with_ymd_and_hms(2024, 1, d as u32, 0, 0, 0).unwrap())
}

fn reason(r: RepostReason) -> Reason {
    match r {
        RepostReason::Fingerprint => Reason::Fingerprint,
        RepostReason::ExactTitle => Reason::ExactTitle,
        RepostReason::DescriptionSimilarity => Reason::DescriptionSimilarity,
    }
}

#[test]
fn decisions_are_the_scoring_crates_on_generated_boards() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut compared, mut found) = (0, [0; 3]);
    for _board in 0..300 {
        let families: Vec<Vec<String>> = (0..1 + rng.below(4))
            .map(|_| (0..1 + rng.below(3)).map(|_| paragraph(&mut rng)).collect())
            .collect();
        let mut postings: Vec<(String, String)> = Vec::new();
        for _ in 0..2 + rng.below(14) {
            let title = rng.pick(&TITLES).to_owned();
            // A third repeat an earlier description word for word: the fingerprint's case.
            let text = match postings.len() {
                n if n > 0 && rng.below(3) == 0 => postings[rng.below(n)].1.clone(),
                _ => {
                    let family = rng.below(families.len());
                    description(&mut rng, &families[family])
                }
            };
            postings.push((title, text));
        }
        let texts: Vec<&str> = postings.iter().map(|(_, d)| d.as_str()).collect();
        let theirs_boilerplate: HashSet<String> = boilerplate_paragraphs(&texts);
        let mut interner = Interner::default();
        let paragraphs: Vec<Paragraphs> = texts.iter().map(|d| Paragraphs::new(d, &mut interner)).collect();
        let ours_boilerplate = boilerplate(&paragraphs);
        assert_eq!(ours_boilerplate.len(), theirs_boilerplate.len(), "{texts:?}");

        let (mut theirs, mut ours) = (Vec::<CanonicalPosting>::new(), Canonicals::default());
        for (i, ((title, text), paragraphs)) in postings.iter().zip(&paragraphs).enumerate() {
            let profile = RepostProfile::new(title, text, &theirs_boilerplate);
            let features = Features::new(title, text, paragraphs, &ours_boilerplate, &mut interner);
            let hex = features
                .fingerprint
                .map(|d| d.iter().map(|b| format!("{b:02x}")).collect::<String>());
            assert_eq!(hex, fingerprint(title, text), "{title:?} {text:?}");
            let expected = detect_repost(&profile, &theirs).map(|m| (m.canonical_id, reason(m.reason)));
            assert_eq!(ours.detect(&features), expected, "{title:?} {text:?}");
            compared += 1;
            if let Some((_, r)) = expected {
                found[r as usize] += 1;
            }
            let id = 100 - i as i64 * 3;
            let (seen, published) = (day(&mut rng), day(&mut rng));
            if expected.is_none() || rng.below(3) == 0 {
                theirs.push(CanonicalPosting {
                    id,
                    profile,
                    last_seen_at: seen,
                    published_at: published,
                    updated_at: None,
                });
                ours.add(id, features, seen.or(published));
            }
            if rng.below(6) == 0 && !theirs.is_empty() {
                let gone = theirs.remove(rng.below(theirs.len())).id;
                ours.remove(gone);
            }
        }
    }
    assert!(compared > 2_000, "{compared}");
    assert!(
        found.iter().all(|&n| n > 50),
        "every rule decided some: {found:?}"
    );
}
