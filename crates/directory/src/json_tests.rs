//! Tests of the JSON source: arrays and JSON Lines, bad elements as single bad rows, the record cap.

use tokio::sync::mpsc;

use crate::{JsonSource, Location, ReadCaps, SourceError, SourceItem};
use pipeline_http::HttpClient;

fn source() -> JsonSource {
    pipeline_http::install_crypto_provider();
    JsonSource {
        name: "j".into(),
        location: Location::File("c.json".into()),
        name_field: "name".into(),
        website_field: "website".into(),
        caps: ReadCaps::default(),
        http: HttpClient::new(Default::default()).unwrap(),
    }
}

/// The rows of `text`, and the error that ended the source if any.
fn parse_with(src: &JsonSource, text: &str) -> (Vec<SourceItem>, Option<SourceError>) {
    let (tx, mut rx) = mpsc::channel(1000);
    let result = src.parse(Box::new(std::io::Cursor::new(text.as_bytes().to_vec())), &tx);
    drop(tx);
    let mut out = Vec::new();
    while let Ok(item) = rx.try_recv() {
        out.push(item);
    }
    (out, result.err())
}

fn parse(text: &str) -> Result<Vec<SourceItem>, SourceError> {
    match parse_with(&source(), text) {
        (items, None) => Ok(items),
        (_, Some(e)) => Err(e),
    }
}

fn bad(items: &[SourceItem]) -> Vec<(String, String)> {
    items
        .iter()
        .filter_map(|i| match i {
            SourceItem::Bad { location, reason } => Some((location.clone(), reason.clone())),
            SourceItem::Company { .. } => None,
        })
        .collect()
}

fn names(items: &[SourceItem]) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| match i {
            SourceItem::Company { input, .. } => input.name_display.clone(),
            SourceItem::Bad { .. } => None,
        })
        .collect()
}

#[test]
fn arrays_report_bad_elements_by_index() {
    let items = parse(
        r#" [{"name":"Acme","website":"acme.com"}, 42, {"name":7}, {"website":null,"name":"Solo"}, {}]"#,
    )
    .unwrap();
    assert_eq!(items.len(), 5);
    assert_eq!(
        bad(&items),
        vec![
            ("index 1".into(), "expected an object, got a number".into()),
            (
                "index 2".into(),
                "field `name` is a number, expected a string".into()
            ),
            ("index 4".into(), "no name and no website".into()),
        ]
    );
}

#[test]
fn a_number_out_of_range_in_an_unmapped_field_never_fails_a_row() {
    let digits = "7".repeat(5000);
    let text = format!(r#"[{{"name":"A","employees":1e400}}, {{"name":"B","id":{digits}}}, {{"name":"C"}}]"#);
    let items = parse(&text).unwrap();
    assert_eq!(names(&items), ["A", "B", "C"]);
    let lines = format!("{{\"name\":\"A\",\"x\":1e400}}\n{{\"name\":\"B\",\"id\":{digits}}}\n");
    assert_eq!(names(&parse(&lines).unwrap()), ["A", "B"]);
}

#[test]
fn a_bad_array_element_is_one_bad_row_and_later_elements_load() {
    let text = r#"[{"name":"A"}, {"name":1e400}, {"name": oops}, , {"name":"B"},]"#;
    let items = parse(text).unwrap();
    assert_eq!(names(&items), ["A", "B"]);
    let bad = bad(&items);
    let locations: Vec<&str> = bad.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(locations, ["index 1", "index 2", "index 3", "index 5"]);
    assert!(
        bad[0].1.starts_with("malformed JSON: number out of range"),
        "{bad:?}"
    );
    assert_eq!(bad[2].1, "empty element (a stray comma?)");
}

#[test]
fn json_lines_report_malformed_lines_and_continue() {
    let items = parse("{\"name\":\"A\",\"website\":\"a.es\"}\n\n{broken\n[1]\n{\"name\":\"B\"}\n").unwrap();
    let bad = bad(&items);
    assert_eq!(bad.len(), 2);
    assert_eq!(bad[0].0, "line 3");
    assert!(bad[0].1.starts_with("malformed JSON"));
    assert_eq!(
        bad[1],
        ("line 4".into(), "expected an object, got an array".into())
    );
    assert_eq!(items.len(), 4);
}

#[test]
fn a_truncated_array_fails_the_source_after_the_rows_before_it() {
    let (items, err) = parse_with(&source(), r#"[{"name":"A"}, {"name":"#);
    let err = err.unwrap();
    assert!(matches!(err, SourceError::Format { .. }), "{err}");
    assert!(err.to_string().contains("truncated?) after 1 elements"), "{err}");
    assert_eq!(names(&items), ["A"]);
}

#[test]
fn a_pretty_printed_object_fails_the_source_with_a_clear_reason() {
    let err = parse("{\n  \"companies\": []\n}\n").unwrap_err();
    assert!(err.to_string().contains("pretty-printed JSON object"), "{err}");
}

#[test]
fn a_json_line_over_the_record_cap_is_one_bad_row_and_the_next_lines_load() {
    let mut src = source();
    src.caps.max_record = 1000;
    let text = format!(
        "{{\"name\":\"A\"}}\n{{\"name\":\"{}\"}}\n{{\"name\":\"B\"}}\n",
        "x".repeat(5000)
    );
    let (items, err) = parse_with(&src, &text);
    assert!(err.is_none(), "{err:?}");
    assert_eq!(names(&items), ["A", "B"]);
    assert_eq!(
        bad(&items),
        [("line 2".into(), "line longer than the 1 KB cap".into())]
    );
}

#[test]
fn an_array_element_over_the_record_cap_fails_the_source_keeping_the_elements_before_it() {
    let mut src = source();
    src.caps.max_record = 1000;
    let text = format!(
        r#"[{{"name":"A"}}, {{"name":"{}"}}, {{"name":"B"}}]"#,
        "x".repeat(5000)
    );
    let (items, err) = parse_with(&src, &text);
    assert_eq!(names(&items), ["A"]);
    assert_eq!(
        err.unwrap().to_string(),
        "c.json: element 1 is longer than the 1 KB cap; the rest of the array cannot be read reliably \
         after it"
    );
}
