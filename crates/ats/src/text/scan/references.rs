//! Character references (`&amp;`, `&#39;`, `&lt`...) decoded as the HTML tokenizer decodes them, with
//! the text's line breaks normalized and NUL dropped.

use std::borrow::Cow;

use markup5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};

/// Text as the tree sees it: `\r\n` and `\r` as `\n`, NUL dropped, and with `references`, character
/// references decoded.
pub(in crate::text) fn decode(text: &str, references: bool) -> Cow<'_, str> {
    let special = |b: &u8| *b == b'\r' || *b == 0 || (references && *b == b'&');
    if !text.as_bytes().iter().any(special) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.as_bytes().iter().position(special) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match rest.as_bytes()[0] {
            b'\r' => {
                out.push('\n');
                rest = rest.strip_prefix("\r\n").unwrap_or(&rest[1..]);
            }
            0 => rest = &rest[1..],
            _ => rest = reference(&rest[1..], &mut out),
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Decodes the character reference after an `&` into `out`; returns what follows it (a `&` that starts no
/// reference is kept as written).
fn reference<'t>(after: &'t str, out: &mut String) -> &'t str {
    if let Some(number) = after.strip_prefix('#') {
        return numeric(after, number, out);
    }
    // The commonest references, whole (no longer name starts with any of them): the table is not asked.
    for (name, c) in [
        ("lt;", '<'),
        ("gt;", '>'),
        ("amp;", '&'),
        ("quot;", '"'),
        ("nbsp;", '\u{a0}'),
    ] {
        if let Some(rest) = after.strip_prefix(name) {
            out.push(c);
            return rest;
        }
    }
    // The longest name in the table that the text starts with (names are at most 32 bytes).
    let mut best: Option<(usize, (u32, u32))> = None;
    for (i, c) in after.char_indices().take(40) {
        let end = i + c.len_utf8();
        match NAMED_ENTITIES.get(&after[..end]) {
            Some(&found) if found.0 != 0 => best = Some((end, found)),
            Some(_) => {}
            None => break,
        }
    }
    match best {
        Some((len, (c1, c2))) => {
            out.extend(
                [c1, c2]
                    .into_iter()
                    .filter(|&c| c != 0)
                    .filter_map(char::from_u32),
            );
            &after[len..]
        }
        None => {
            out.push('&');
            after
        }
    }
}

/// A numeric reference (`number` is what follows `&#`): the replacements of §13.2.5.80.
fn numeric<'t>(after: &'t str, number: &'t str, out: &mut String) -> &'t str {
    let (digits, base) = match number.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    let len = digits.bytes().take_while(|b| (*b as char).is_digit(base)).count();
    if len == 0 {
        out.push('&');
        return after;
    }
    let mut value: u32 = 0;
    let mut too_big = false;
    for b in digits[..len].bytes() {
        value = value
            .saturating_mul(base)
            .saturating_add((b as char).to_digit(base).unwrap_or(0));
        too_big |= value > 0x10FFFF;
    }
    let c = match value {
        _ if too_big => '\u{fffd}',
        0 | 0xD800..=0xDFFF => '\u{fffd}',
        0x80..=0x9F => C1_REPLACEMENTS[(value - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(value).unwrap_or('\u{fffd}')),
        _ => char::from_u32(value).unwrap_or('\u{fffd}'),
    };
    out.push(c);
    let rest = &digits[len..];
    rest.strip_prefix(';').unwrap_or(rest)
}
