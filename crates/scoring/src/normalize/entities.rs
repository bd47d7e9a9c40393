//! Decoding of HTML character references: numeric ones and the named ones job boards actually use.

/// Replaces `&name;`, `&#NNN;` and `&#xHH;` references; unknown or malformed ones are left as written.
pub(crate) fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        match reference_at(after) {
            Some((Decoded::Char(c), used)) => {
                out.push(c);
                rest = &after[used..];
            }
            Some((Decoded::Text(s), used)) => {
                out.push_str(s);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

enum Decoded {
    Char(char),
    Text(&'static str),
}

/// The reference starting right after an `&`, and how many bytes it spans (including the `;`).
fn reference_at(s: &str) -> Option<(Decoded, usize)> {
    // The longest reference we decode is `&#x10FFFF;`: nine bytes after the ampersand.
    let end = s.bytes().take(10).position(|b| b == b';')?;
    let name = &s[..end];
    let decoded = match name.strip_prefix('#') {
        Some(number) => Decoded::Char(numeric(number)?),
        None => Decoded::Text(named(name)?),
    };
    Some((decoded, end + 1))
}

fn numeric(number: &str) -> Option<char> {
    let code = match number.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => number.parse::<u32>().ok()?,
    };
    char::from_u32(code).filter(|&c| c != '\0')
}

fn named(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" => "\u{a0}",
        "shy" => "",
        "euro" => "€",
        "pound" => "£",
        "dollar" => "$",
        "cent" => "¢",
        "yen" => "¥",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "deg" => "°",
        "times" => "×",
        "hellip" => "…",
        "ndash" => "–",
        "mdash" => "—",
        "lsquo" => "\u{2018}",
        "rsquo" => "\u{2019}",
        "ldquo" => "\u{201c}",
        "rdquo" => "\u{201d}",
        "laquo" => "«",
        "raquo" => "»",
        "middot" => "·",
        "bull" => "•",
        "iexcl" => "¡",
        "iquest" => "¿",
        "ordf" => "ª",
        "ordm" => "º",
        _ => return accented(name),
    })
}

fn accented(name: &str) -> Option<&'static str> {
    Some(match name {
        "aacute" => "á",
        "Aacute" => "Á",
        "eacute" => "é",
        "Eacute" => "É",
        "iacute" => "í",
        "Iacute" => "Í",
        "oacute" => "ó",
        "Oacute" => "Ó",
        "uacute" => "ú",
        "Uacute" => "Ú",
        "agrave" => "à",
        "egrave" => "è",
        "ograve" => "ò",
        "auml" => "ä",
        "ouml" => "ö",
        "uuml" => "ü",
        "Uuml" => "Ü",
        "iuml" => "ï",
        "ntilde" => "ñ",
        "Ntilde" => "Ñ",
        "ccedil" => "ç",
        "Ccedil" => "Ç",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::decode_entities;

    #[test]
    fn decodes_named_and_numeric_references() {
        assert_eq!(decode_entities("Tom &amp; Jerry"), "Tom & Jerry");
        assert_eq!(decode_entities("&lt;p&gt;"), "<p>");
        assert_eq!(decode_entities("expansi&oacute;n &euro;5"), "expansión €5");
        assert_eq!(decode_entities("&#36;100 &#x20AC;9 &#X41;"), "$100 €9 A");
        assert_eq!(decode_entities("multi&shy;divisa"), "multidivisa");
    }

    #[test]
    fn leaves_unknown_or_broken_references_alone() {
        assert_eq!(decode_entities("R&D team"), "R&D team");
        assert_eq!(decode_entities("&bogus; &#xZZ; &#0; &"), "&bogus; &#xZZ; &#0; &");
        assert_eq!(decode_entities("a & b; c"), "a & b; c");
    }
}
