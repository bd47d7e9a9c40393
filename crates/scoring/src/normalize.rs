//! Text normalization shared by the catalog, the matcher, fingerprints and repost detection
//! (docs/original-system.md#ref-8-1), and the clean-up that turns a posting's text into what the matcher
//! reads (docs/stages.md#matching-text).

mod entities;
mod plain_text;

use unicode_normalization::UnicodeNormalization;

pub(crate) use plain_text::plain_text;
pub use plain_text::plain_text_for_matching;

/// Lower-cases, strips diacritics, splits on the separator class and applies the currency and country
/// augmentation of docs/original-system.md#ref-8-1. No stopwords, no stemming: negation cues such as "no"
/// and "sin" stay.
pub fn normalize_to_tokens(text: &str) -> Vec<String> {
    with_tokens(text, |tokens| tokens.iter().map(|t| (*t).to_owned()).collect())
}

/// [`normalize_to_tokens`] without a string per token: `f` is handed the tokens, borrowed.
pub fn with_tokens<R>(text: &str, f: impl FnOnce(&[&str]) -> R) -> R {
    let folded = fold(text);
    f(&tokens_of_folded(&folded))
}

/// Steps 1–2 of docs/original-system.md#ref-8-1: lower-case, then NFD and drop the combining marks
/// U+0300–U+036F.
///
/// Exactly `text.to_lowercase().nfd().filter(..)`, computed faster: ASCII is lower-cased in place, and
/// each run of non-ASCII characters is lower-cased and decomposed char by char. That is the same because
/// ASCII characters are starters (NFD never reorders across them) and lower-casing is per character except
/// for the final-sigma rule (text with `Σ` takes the general path).
pub(crate) fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    if text.contains('\u{03a3}') {
        return fold_general(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let other = rest.bytes().position(|b| b.is_ascii()).unwrap_or(rest.len());
        fold_non_ascii(&rest[..other], &mut out);
        rest = &rest[other..];
    }
    out
}

fn fold_general(text: &str) -> String {
    text.to_lowercase()
        .nfd()
        .filter(|&c| !is_stripped_mark(c))
        .collect()
}

fn is_stripped_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036f}').contains(&c)
}

/// Folds a run of non-ASCII characters. When the run decomposes to a combining mark that is kept (its
/// order could matter), the run goes through the general path so canonical ordering is applied.
fn fold_non_ascii(run: &str, out: &mut String) {
    let start = out.len();
    let mut needs_ordering = false;
    for lower in run.chars().flat_map(char::to_lowercase) {
        unicode_normalization::char::decompose_canonical(lower, |c| {
            if c.is_ascii() {
                out.push(c);
            } else if !is_stripped_mark(c) {
                needs_ordering |= unicode_normalization::char::canonical_combining_class(c) != 0;
                out.push(c);
            }
        });
    }
    if needs_ordering {
        out.truncate(start);
        out.push_str(&fold_general(run));
    }
}

/// The separator class of docs/original-system.md#ref-8-1: JavaScript's `\s` (Unicode white space without
/// U+0085, plus U+FEFF), `/ \ | ( ) [ ] { } , ; : . ! ? " ' - _` and the curly quotes.
pub(crate) fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return ASCII_SEPARATORS[c as usize];
    }
    matches!(c, '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}' | '\u{feff}')
        || (c.is_whitespace() && c != '\u{0085}')
}

/// Separators among ASCII characters, by code.
const ASCII_SEPARATORS: [bool; 128] = {
    let mut table = [false; 128];
    let separators = b" \t\n\x0b\x0c\r/\\|()[]{},;:.!?\"'-_";
    let mut i = 0;
    while i < separators.len() {
        table[separators[i] as usize] = true;
        i += 1;
    }
    table
};

/// How the tokenizer treats a byte: part of a plain token, an ASCII separator, or one that needs a closer look
/// (`$`, and every non-ASCII byte: its character may be a separator or a currency sign).
const PLAIN: u8 = 0;
const SEPARATOR: u8 = 1;
const SPECIAL: u8 = 2;

/// [`PLAIN`], [`SEPARATOR`] or [`SPECIAL`], by byte.
const BYTE_CLASS: [u8; 256] = {
    let mut table = [PLAIN; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = if b >= 128 || b == b'$' as usize {
            SPECIAL
        } else if ASCII_SEPARATORS[b] {
            SEPARATOR
        } else {
            PLAIN
        };
        b += 1;
    }
    table
};

/// Steps 3–6 of docs/original-system.md#ref-8-1 on already folded text: split, drop empty tokens, currency
/// then country augmentation.
/// Tokens borrow from `folded`; inserted tokens are static.
pub(crate) fn tokens_of_folded(folded: &str) -> Vec<&str> {
    let bytes = folded.as_bytes();
    let mut tokens = Vec::with_capacity(bytes.len() / 6 + 1);
    let (mut start, mut i) = (0, 0);
    // Whether the current token has a `$` or a non-ASCII character: only those can carry a currency sign.
    let mut special = false;
    while i < bytes.len() {
        match BYTE_CLASS[usize::from(bytes[i])] {
            PLAIN => i += 1,
            SEPARATOR => {
                push_token(&mut tokens, &folded[start..i], special);
                i += 1;
                (start, special) = (i, false);
            }
            _ => {
                // `i` is on a character boundary: ASCII bytes advance by one, other characters by their width.
                let c = folded[i..].chars().next().unwrap_or(' ');
                if is_separator(c) {
                    push_token(&mut tokens, &folded[start..i], special);
                    i += c.len_utf8();
                    (start, special) = (i, false);
                } else {
                    special = true;
                    i += c.len_utf8();
                }
            }
        }
    }
    push_token(&mut tokens, &folded[start..], special);
    augment_countries(tokens)
}

/// Pushes a non-empty token, followed by the codes of the currency signs it contains.
fn push_token<'a>(tokens: &mut Vec<&'a str>, token: &'a str, special: bool) {
    if token.is_empty() {
        return;
    }
    tokens.push(token);
    if !special {
        return;
    }
    for (sign, code) in [('$', "usd"), ('£', "gbp"), ('€', "eur")] {
        if token.contains(sign) {
            tokens.push(code);
        }
    }
}

/// The second augmentation pass: "u" before "s" → us, usa; "u" before "k" → uk; eeuu → us, usa;
/// latinoamerica → latam. Inserted tokens follow the token that triggered them.
fn augment_countries(tokens: Vec<&str>) -> Vec<&str> {
    if !tokens
        .iter()
        .any(|t| matches!(*t, "u" | "eeuu" | "latinoamerica"))
    {
        return tokens;
    }
    let mut out = Vec::with_capacity(tokens.len() + 8);
    for (i, &token) in tokens.iter().enumerate() {
        out.push(token);
        match token {
            "u" => match tokens.get(i + 1).copied() {
                Some("s") => out.extend(["us", "usa"]),
                Some("k") => out.push("uk"),
                _ => {}
            },
            "eeuu" => out.extend(["us", "usa"]),
            "latinoamerica" => out.push("latam"),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize_to_tokens as tokens;

    #[test]
    fn empty_and_whitespace_only_give_no_tokens() {
        assert!(tokens("").is_empty());
        assert!(tokens("   ").is_empty());
        assert!(tokens("\t\n\r").is_empty());
        assert!(tokens("  \t  \n  ").is_empty());
    }

    #[test]
    fn lowercases_and_splits_on_whitespace_runs() {
        assert_eq!(tokens("Hello World"), ["hello", "world"]);
        assert_eq!(tokens("BACKEND DEVELOPER"), ["backend", "developer"]);
        assert_eq!(tokens("test  \t  tokens"), ["test", "tokens"]);
        assert_eq!(tokens("line1\nline2\tline3"), ["line1", "line2", "line3"]);
    }

    #[test]
    fn strips_diacritics() {
        assert_eq!(tokens("café"), ["cafe"]);
        assert_eq!(tokens("José niño"), ["jose", "nino"]);
        assert_eq!(tokens("Société Générale"), ["societe", "generale"]);
        assert_eq!(tokens("Zürich España"), ["zurich", "espana"]);
        assert_eq!(tokens("EXPANSIÓN"), ["expansion"]);
    }

    #[test]
    fn splits_on_every_separator_of_the_class() {
        assert_eq!(tokens("AWS/GCP/Azure"), ["aws", "gcp", "azure"]);
        assert_eq!(tokens("path\\to\\file"), ["path", "to", "file"]);
        assert_eq!(tokens("Python | Java | Go"), ["python", "java", "go"]);
        assert_eq!(tokens("Developer (Remote)"), ["developer", "remote"]);
        assert_eq!(tokens("Developer [Full-Time]"), ["developer", "full", "time"]);
        assert_eq!(tokens("Tech{Stack}Jobs"), ["tech", "stack", "jobs"]);
        assert_eq!(tokens("Python, Java; Go"), ["python", "java", "go"]);
        assert_eq!(tokens("a.b:c!d?e"), ["a", "b", "c", "d", "e"]);
        assert_eq!(tokens("\"Full Stack\" 'Dev'"), ["full", "stack", "dev"]);
        assert_eq!(tokens("snake_case-name"), ["snake", "case", "name"]);
        assert_eq!(tokens("\u{201c}a\u{201d} \u{2018}b\u{2019}"), ["a", "b"]);
        assert_eq!(tokens("a\u{a0}b\u{3000}c\u{feff}d"), ["a", "b", "c", "d"]);
    }

    #[test]
    fn keeps_non_separators_glued() {
        assert_eq!(tokens("C++"), ["c++"]);
        assert_eq!(
            tokens("Full-Stack Developer (C++/Python)"),
            ["full", "stack", "developer", "c++", "python"]
        );
        assert_eq!(
            tokens("R&D #1 50% a+b x=y @home *star*"),
            ["r&d", "#1", "50%", "a+b", "x=y", "@home", "*star*"]
        );
        assert_eq!(tokens("<p>aws</p>"), ["<p>aws<", "p>"]);
    }

    #[test]
    fn consecutive_and_edge_separators_give_no_empty_tokens() {
        assert_eq!(tokens("hello---world"), ["hello", "world"]);
        assert_eq!(tokens("test/.//.//file"), ["test", "file"]);
        assert_eq!(tokens("--hello--"), ["hello"]);
        assert_eq!(tokens("/start/end/"), ["start", "end"]);
    }

    #[test]
    fn keeps_negation_cues() {
        assert_eq!(
            tokens("Desarrollador sin experiencia"),
            ["desarrollador", "sin", "experiencia"]
        );
        assert_eq!(
            tokens("no experience, not required, without AWS"),
            ["no", "experience", "not", "required", "without", "aws"]
        );
    }

    #[test]
    fn currency_symbols_insert_their_code_after_the_token() {
        assert_eq!(tokens("$100"), ["$100", "usd"]);
        assert_eq!(tokens("€50"), ["€50", "eur"]);
        assert_eq!(tokens("£20"), ["£20", "gbp"]);
        assert_eq!(tokens("$"), ["$", "usd"]);
        assert_eq!(
            tokens("pay $100 or €90 or £80"),
            ["pay", "$100", "usd", "or", "€90", "eur", "or", "£80", "gbp"]
        );
        assert_eq!(tokens("$€"), ["$€", "usd", "eur"]);
    }

    #[test]
    fn country_spellings_insert_their_codes() {
        assert_eq!(tokens("U.S."), ["u", "us", "usa", "s"]);
        assert_eq!(tokens("U.K. market"), ["u", "uk", "k", "market"]);
        assert_eq!(tokens("EEUU"), ["eeuu", "us", "usa"]);
        assert_eq!(tokens("Latinoamérica"), ["latinoamerica", "latam"]);
        assert_eq!(tokens("Contact us"), ["contact", "us"]);
        assert_eq!(tokens("u"), ["u"]);
    }

    #[test]
    fn fast_fold_equals_lowercase_nfd_strip() {
        let samples = [
            "Análisis ÑANDÚ Çà Ångström İstanbul straße",
            "e\u{0301}x a\u{0323}\u{0301} q\u{0301}\u{0323}",
            "ΣΟΦΙΑΣ σοφίας ΑΣa",
            "שָׁלוֹם Tiếng Việt 한국어 ﬁ ½ €£$ “quotes” ’",
            "\u{0301}start, end\u{05b0}\u{0591}",
        ];
        for sample in samples {
            assert_eq!(super::fold(sample), super::fold_general(sample), "{sample}");
        }
    }

    #[test]
    fn long_text_keeps_every_token() {
        let text = vec!["developer"; 1000].join(" ");
        assert_eq!(tokens(&text).len(), 1000);
    }
}
