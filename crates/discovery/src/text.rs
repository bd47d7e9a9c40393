//! ATS URLs mentioned in free text (visible text, inline scripts): `https://jobs.lever.co/acme`, protocol-relative
//! `//boards.greenhouse.io/embed/job_board/js?for=acme` and scheme-less `acme.recruitee.com` alike.

use url::Url;

use super::patterns::ATS_DOMAINS;

/// Characters that end a URL in text or script source.
fn is_delimiter(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\'' | '`' | '<' | '>' | '(' | ')' | '[' | ']' | '{' | '}' | '\\' | '|' | '^' | ',' | ';'
        )
}

/// The URLs on an ATS domain that `text` mentions, in order of appearance. Only URLs are returned, not boards:
/// `lever.co` alone is a URL here and names no board later.
pub(super) fn ats_urls_in_text(text: &str) -> Vec<Url> {
    // JSON embedded in scripts escapes slashes (`https:\/\/jobs.lever.co\/acme`).
    let unescaped;
    let text = if text.contains("\\/") {
        unescaped = text.replace("\\/", "/");
        unescaped.as_str()
    } else {
        text
    };
    let mut urls = Vec::new();
    for token in text.split(is_delimiter).filter(|t| !t.is_empty()) {
        let lower = token.to_ascii_lowercase();
        if !ATS_DOMAINS.iter().any(|domain| lower.contains(domain)) {
            continue;
        }
        urls_in_token(token, &lower, &mut urls);
    }
    urls
}

/// Every `http(s)://` URL starting inside `token` (a URL may carry another in its query), or the scheme-less
/// host+path the token is.
fn urls_in_token(token: &str, lower: &str, urls: &mut Vec<Url>) {
    let starts: Vec<usize> = lower
        .match_indices("http")
        .map(|(i, _)| i)
        .filter(|&i| lower[i..].starts_with("http://") || lower[i..].starts_with("https://"))
        .collect();
    if starts.is_empty() {
        urls.extend(schemeless(token));
        return;
    }
    for start in starts {
        if let Ok(url) = Url::parse(trim_end(&token[start..])) {
            urls.push(url);
        }
    }
}

/// `jobs.lever.co/acme` or `//jobs.lever.co/acme` read as an https URL; not an e-mail address, not another
/// scheme.
fn schemeless(token: &str) -> Option<Url> {
    let token = trim_end(token.trim_start_matches(['/', '=', ':']));
    let host_end = token.find(['/', '?', '#']).unwrap_or(token.len());
    if token.contains("://") || token[..host_end].contains('@') {
        return None;
    }
    let starts_like_host = token.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    starts_like_host
        .then(|| Url::parse(&format!("https://{token}")).ok())
        .flatten()
}

/// Sentence punctuation that follows a URL in prose is not part of it.
fn trim_end(url: &str) -> &str {
    url.trim_end_matches(['.', ',', ';', ':', '!', '?', '*'])
}
