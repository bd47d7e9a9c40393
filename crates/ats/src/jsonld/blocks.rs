//! The JSON-LD of a page: the text of every `<script type="application/ld+json">` (found by the shared HTML
//! tokenizer), each read as JSON — strictly first, then, as real sites are sloppy, once more after
//! [`repair`](super::repair) — one or several documents per script. A script that still cannot be read is
//! skipped and counted, never an error (docs/ats-apis.md#jsonld).

use serde_json::Value;

use crate::text::scan::{Scanner, Token};

/// The JSON-LD documents of one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Documents {
    /// Every document read, in page order (a script holding several gives several).
    pub values: Vec<Value>,
    /// Scripts that could not be read even leniently (what could be read of them before the error is
    /// kept in `values`).
    pub malformed: u32,
    /// The first malformed script's error, for the warning.
    pub first_error: Option<String>,
}

/// Whether `html` may hold JSON-LD at all: a quick look for `ld+json` before any tokenizing, so that pages
/// without it (most) cost one pass of a substring search.
pub(crate) fn may_hold_jsonld(html: &str) -> bool {
    // `+` is rare in HTML: look around each one rather than compare every window.
    let bytes = html.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        b == b'+'
            && i >= 2
            && bytes
                .get(i - 2..i + 5)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"ld+json"))
    })
}

/// Every JSON-LD script's documents.
pub(crate) fn documents(html: &str) -> Documents {
    let mut out = Documents::default();
    if !may_hold_jsonld(html) {
        return out;
    }
    let mut in_jsonld = false;
    for token in Scanner::new(html) {
        match token {
            Token::Start(tag) if tag.name == "script" => {
                in_jsonld = tag.attribute("type").is_some_and(|t| is_jsonld_type(&t));
            }
            Token::Text(text) if in_jsonld => {
                in_jsonld = false;
                match read_script(&text) {
                    Ok(values) => out.values.extend(values),
                    Err((values, error)) => {
                        out.values.extend(values);
                        out.malformed += 1;
                        out.first_error.get_or_insert(error);
                    }
                }
            }
            _ => in_jsonld = false,
        }
    }
    out
}

/// `application/ld+json`, any case, with parameters (`; charset=utf-8`) allowed.
fn is_jsonld_type(value: &str) -> bool {
    value
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
}

/// The documents of one script: strictly one JSON text, else the repaired text read as one or more
/// documents. `Err` carries what was read before the error, and the error.
pub(crate) fn read_script(text: &str) -> Result<Vec<Value>, (Vec<Value>, String)> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let strict = match serde_json::from_str::<Value>(text) {
        Ok(value) => return Ok(vec![value]),
        Err(e) => e,
    };
    let repaired = super::repair::repair(text);
    let (values, error) = read_many(&repaired);
    match error {
        None if !values.is_empty() => Ok(values),
        None => Err((values, strict.to_string())),
        Some(error) => Err((values, error)),
    }
}

/// Documents one after another, separated by white space, `,` or `;`; stops at the first error.
fn read_many(text: &str) -> (Vec<Value>, Option<String>) {
    let mut values = Vec::new();
    let mut at = 0;
    loop {
        let rest = text[at..].trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == ';');
        if rest.is_empty() {
            return (values, None);
        }
        at = text.len() - rest.len();
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value)) => {
                values.push(value);
                at += stream.byte_offset();
            }
            Some(Err(e)) => return (values, Some(e.to_string())),
            None => return (values, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_ld_json_scripts_are_read() {
        let html = r#"<html><head>
<script type="application/json" id="__NEXT_DATA__">{"props":{"@type":"JobPosting"}}</script>
<script>var x = {"@type": "JobPosting"};</script>
<SCRIPT TYPE="Application/LD+JSON; charset=utf-8">{"@type":"Organization","name":"Acme"}</SCRIPT>
<script type='application/ld+json'>
  [{"@type":"WebSite"}]
</script>
</head><body><p>application/ld+json</p></body></html>"#;
        let docs = documents(html);
        assert_eq!(
            docs.values,
            vec![
                json!({"@type":"Organization","name":"Acme"}),
                json!([{"@type":"WebSite"}])
            ]
        );
        assert_eq!(docs.malformed, 0);
        assert!(documents("<p>no structured data</p>").values.is_empty());
    }

    #[test]
    fn several_documents_in_one_script_are_all_read() {
        let text = "{\"a\":1}\n{\"b\":2};{\"c\":3},\n[4]";
        assert_eq!(
            read_script(text).unwrap_or_default(),
            vec![json!({"a":1}), json!({"b":2}), json!({"c":3}), json!([4])]
        );
    }

    #[test]
    fn an_unreadable_script_is_counted_and_the_next_one_still_read() {
        let html = "<script type=\"application/ld+json\">{\"@type\": \"JobPosting\", \"title\": \"Backend</script>\
                    <script type=\"application/ld+json\">{\"@type\": \"Organization\"}</script>\
                    <script type=\"application/ld+json\">   </script>";
        let docs = documents(html);
        assert_eq!(docs.values, vec![json!({"@type": "Organization"})]);
        assert_eq!(docs.malformed, 1);
        assert!(docs.first_error.is_some_and(|e| e.contains("EOF")));
    }

    #[test]
    fn what_was_read_before_an_error_is_kept() {
        let (values, error) = read_script("{\"a\":1} {\"b\": }").unwrap_err();
        assert_eq!(values, vec![json!({"a":1})]);
        assert!(!error.is_empty());
    }
}
