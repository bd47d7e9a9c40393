//! The HTML tokenizer's data states in one pass over the bytes (WHATWG HTML §13.2.5): text with character
//! references decoded (named ones by the HTML table, without a semicolon where the table allows, numeric
//! ones with the C1 and invalid-value replacements), start and end tags with their attributes skipped,
//! comments, doctypes and bogus comments dropped, line breaks normalized to `\n`, NUL dropped (as the tree
//! builder drops it in body text), and the raw text of `script`, `style`, `textarea`, `title`, `xmp`,
//! `iframe`, `noembed`, `noframes`, `noscript` (scripting on) and `plaintext` read as the tree builder has
//! the tokenizer read it.

use std::borrow::Cow;

mod references;

pub(super) use references::decode;

/// A start or end tag: its name lower-cased, and its attributes as written (read with [`Tag::attribute`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tag<'a> {
    pub name: Cow<'a, str>,
    pub self_closing: bool,
    pub attributes: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    Text(Cow<'a, str>),
    Start(Tag<'a>),
    End(Tag<'a>),
    /// A comment, doctype or bogus comment: nothing to read.
    Other,
}

/// How the text after a start tag is read until its end tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Raw {
    /// Character references decoded (`title`, `textarea`).
    Rcdata,
    /// As written (`style`, `xmp`, ...; `script`).
    Rawtext,
    /// Everything to the end is text (`plaintext`).
    Plaintext,
}

fn raw_kind(name: &str) -> Option<Raw> {
    match name {
        "title" | "textarea" => Some(Raw::Rcdata),
        "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => Some(Raw::Rawtext),
        "plaintext" => Some(Raw::Plaintext),
        _ => None,
    }
}

/// Whether the text after this start tag is raw text (read up to its end tag, markup and all).
pub(super) fn is_raw(name: &str) -> bool {
    raw_kind(name).is_some()
}

/// The tokens of an HTML fragment.
pub(crate) struct Scanner<'a> {
    html: &'a str,
    at: usize,
    /// Inside a raw text element: how its text is read, and its name (what ends it).
    raw: Option<(Raw, String)>,
}

impl<'a> Scanner<'a> {
    pub fn new(html: &'a str) -> Scanner<'a> {
        Scanner {
            html,
            at: 0,
            raw: None,
        }
    }

    fn rest(&self) -> &'a str {
        &self.html[self.at..]
    }

    /// The text up to the next `<` that opens markup, references decoded.
    fn text(&mut self) -> Token<'a> {
        let rest = self.rest();
        let bytes = rest.as_bytes();
        let mut end = 0;
        loop {
            match memchr_lt(&bytes[end..]) {
                Some(i) => {
                    end += i;
                    // `<` opens markup when followed by a letter, `/`, `!` or `?`; else it is text.
                    if bytes
                        .get(end + 1)
                        .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'))
                    {
                        break;
                    }
                    end += 1;
                }
                None => {
                    end = bytes.len();
                    break;
                }
            }
        }
        self.at += end;
        Token::Text(decode(&rest[..end], true))
    }

    /// The markup at a `<`: a tag, a comment or doctype, or nothing (`</>`, or a tag the input ends in).
    fn markup(&mut self) -> Option<Token<'a>> {
        let rest = self.rest();
        let bytes = rest.as_bytes();
        match bytes.get(1) {
            Some(b'!') => {
                self.at += skip_declaration(rest);
                Some(Token::Other)
            }
            Some(b'?') => {
                self.at += rest.find('>').map_or(rest.len(), |i| i + 1);
                Some(Token::Other)
            }
            Some(b'/') => match bytes.get(2) {
                Some(b) if b.is_ascii_alphabetic() => self.tag(2, false),
                // `</>` is nothing, but it is a token for what the next text may drop.
                Some(b'>') => {
                    self.at += 3;
                    Some(Token::Other)
                }
                Some(_) => {
                    self.at += rest.find('>').map_or(rest.len(), |i| i + 1);
                    Some(Token::Other)
                }
                // `</` at the end is text.
                None => {
                    self.at += 2;
                    Some(Token::Text(Cow::Borrowed("</")))
                }
            },
            _ => self.tag(1, true),
        }
    }

    /// A tag whose name starts `from` bytes after the `<`; `None` when the input ends inside it (such a tag
    /// is dropped).
    fn tag(&mut self, from: usize, start: bool) -> Option<Token<'a>> {
        let rest = self.rest();
        let bytes = rest.as_bytes();
        let name_end = bytes[from..]
            .iter()
            .position(|b| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'))
            .map_or(bytes.len(), |i| from + i);
        let name = &rest[from..name_end];
        let Some((end, self_closing)) = tag_end(bytes, name_end) else {
            self.at = self.html.len();
            return None;
        };
        let attributes = rest.get(name_end..end.saturating_sub(1)).unwrap_or_default();
        self.at += end;
        let name = if name.bytes().any(|b| b.is_ascii_uppercase() || b == 0) {
            Cow::Owned(name.to_ascii_lowercase().replace('\0', "\u{fffd}"))
        } else {
            Cow::Borrowed(name)
        };
        if start {
            self.raw = raw_kind(&name).map(|kind| (kind, name.to_string()));
            Some(Token::Start(Tag {
                name,
                self_closing,
                attributes,
            }))
        } else {
            Some(Token::End(Tag {
                name,
                self_closing,
                attributes,
            }))
        }
    }

    /// The raw text of the element just started, up to its end tag (left to be read next).
    fn raw_text(&mut self, kind: Raw, name: &str) -> Token<'a> {
        let rest = self.rest();
        let end = match kind {
            Raw::Plaintext => rest.len(),
            _ => find_end_tag(rest, name).unwrap_or(rest.len()),
        };
        self.at += end;
        Token::Text(decode(&rest[..end], kind == Raw::Rcdata))
    }
}

impl<'a> Iterator for Scanner<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        if let Some((kind, name)) = self.raw.take() {
            return Some(self.raw_text(kind, &name));
        }
        while self.at < self.html.len() {
            let bytes = self.rest().as_bytes();
            let opens = bytes[0] == b'<'
                && bytes
                    .get(1)
                    .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'));
            if !opens {
                return Some(self.text());
            }
            if let Some(token) = self.markup() {
                return Some(token);
            }
        }
        None
    }
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// The tokenizer's states inside a tag, after its name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum In {
    BeforeName,
    Name,
    AfterName,
    BeforeValue,
    Quoted(u8),
    Unquoted,
    AfterQuoted,
    SelfClosing,
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Where a tag whose name ends at `from` ends (just after its `>`), and whether it is self-closing; its
/// attributes are skipped as the tokenizer reads them (a quoted value may hold `>`). `None` when the input
/// ends first.
fn tag_end(bytes: &[u8], from: usize) -> Option<(usize, bool)> {
    let mut state = match bytes.get(from)? {
        b'/' => In::SelfClosing,
        b'>' => return Some((from + 1, false)),
        _ => In::BeforeName,
    };
    let mut i = from + 1;
    while let Some(&b) = bytes.get(i) {
        state = match (state, b) {
            (In::Quoted(q), b) if b == q => In::AfterQuoted,
            (In::Quoted(q), _) => In::Quoted(q),
            (In::SelfClosing, b'>') => return Some((i + 1, true)),
            (_, b'>') => return Some((i + 1, false)),
            (In::BeforeName | In::AfterName, b) if is_space(b) => state,
            (In::SelfClosing, b) if is_space(b) => In::BeforeName,
            (In::Name, b) if is_space(b) => In::AfterName,
            (In::Unquoted | In::AfterQuoted, b) if is_space(b) => In::BeforeName,
            (In::BeforeValue, b) if is_space(b) => In::BeforeValue,
            (In::Unquoted, _) => In::Unquoted,
            (In::BeforeValue, q @ (b'"' | b'\'')) => In::Quoted(q),
            (In::BeforeValue, _) => In::Unquoted,
            (In::Name | In::AfterName, b'=') => In::BeforeValue,
            (In::BeforeName | In::Name | In::AfterName | In::AfterQuoted | In::SelfClosing, b'/') => {
                In::SelfClosing
            }
            // A name starts (`=` first is part of it) or goes on.
            _ => In::Name,
        };
        i += 1;
    }
    None
}

/// How many bytes `<!…` spans: a comment (`<!--` to `-->` or `--!>`, or the abrupt `<!-->`, `<!--->`),
/// else a doctype or bogus comment up to the next `>`.
fn skip_declaration(rest: &str) -> usize {
    if let Some(body) = rest.strip_prefix("<!--") {
        if body.starts_with('>') {
            return 5;
        }
        if body.starts_with("->") {
            return 6;
        }
        let close = [("-->", 3), ("--!>", 4)]
            .iter()
            .filter_map(|(end, n)| body.find(end).map(|i| i + n))
            .min();
        return 4 + close.unwrap_or(body.len());
    }
    rest.find('>').map_or(rest.len(), |i| i + 1)
}

/// Where the end tag `</name` (any case, then a space, `/` or `>`) starts in raw text.
fn find_end_tag(text: &str, name: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find("</") {
        let at = from + i;
        let after = at + 2 + name.len();
        if bytes.len() > after
            && text.is_char_boundary(after)
            && text[at + 2..after].eq_ignore_ascii_case(name)
            && matches!(bytes[after], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>')
        {
            return Some(at);
        }
        from = at + 2;
    }
    None
}
