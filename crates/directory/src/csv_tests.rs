//! Tests of the CSV source: bad rows with their lines, encodings, missing and repeated columns, broken
//! quotes, the record cap and what is echoed.

use tokio::sync::mpsc;

use crate::csv_source::repeated_headers;
use crate::{CsvSource, Location, ReadCaps, SourceError, SourceItem};
use pipeline_http::HttpClient;

fn source(delimiter: u8, encoding: Option<&'static encoding_rs::Encoding>) -> CsvSource {
    pipeline_http::install_crypto_provider();
    CsvSource {
        name: "test".into(),
        location: Location::File("companies.csv".into()),
        name_field: "name".into(),
        website_field: "website".into(),
        delimiter,
        encoding,
        multiline_fields: false,
        caps: ReadCaps::default(),
        http: HttpClient::new(Default::default()).unwrap(),
    }
}

fn parse(src: &CsvSource, bytes: &[u8]) -> Result<Vec<SourceItem>, SourceError> {
    let (tx, mut rx) = mpsc::channel(1000);
    src.parse(Box::new(std::io::Cursor::new(bytes.to_vec())), &tx)?;
    drop(tx);
    let mut out = Vec::new();
    while let Ok(item) = rx.try_recv() {
        out.push(item);
    }
    Ok(out)
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

/// (display name, website, location) of each company.
fn companies(items: &[SourceItem]) -> Vec<(String, Option<String>, String)> {
    items
        .iter()
        .filter_map(|i| match i {
            SourceItem::Company { input, location } => Some((
                input.name_display.clone().unwrap_or_default(),
                input.website_domain.clone(),
                location.clone(),
            )),
            SourceItem::Bad { .. } => None,
        })
        .collect()
}

#[test]
fn bad_rows_are_reported_with_their_line_and_the_rest_proceeds() {
    let csv = "\u{feff}Name,Website,city\nAcme,acme.com,Madrid\n,,Sevilla\nNameOnly,,\nBadUrl,http://exa mple.com,x\nToo,many,fields,here\nLast,last.es,Bilbao\n";
    let items = parse(&source(b',', None), csv.as_bytes()).unwrap();
    let companies = companies(&items);
    assert_eq!(
        companies[0],
        ("Acme".into(), Some("acme.com".into()), "line 2".into())
    );
    assert!(companies.iter().any(|(n, _, _)| n == "Last"));
    let bad = bad(&items);
    assert!(
        bad.contains(&("line 3".into(), "no name and no website".into())),
        "{bad:?}"
    );
    assert!(
        bad.iter().any(|(l, r)| l == "line 6" && r.contains("4 fields")),
        "{bad:?}"
    );
    assert!(bad.iter().any(|(_, r)| r.contains("bad website")), "{bad:?}");
}

#[test]
fn windows_1252_and_semicolons_are_read() {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("nombre;web\nCafé Ñandú SL;cafe.es\n");
    let mut src = source(b';', Some(encoding_rs::WINDOWS_1252));
    src.name_field = "nombre".into();
    src.website_field = "web".into();
    let items = parse(&src, &bytes).unwrap();
    let SourceItem::Company { input, .. } = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(input.name_display.as_deref(), Some("Café Ñandú SL"));
    assert_eq!(input.normalized_name.as_deref(), Some("cafe nandu"));
}

#[test]
fn invalid_utf8_in_a_utf8_source_is_a_bad_row() {
    let mut bytes = b"name,website\nGood,good.es\n".to_vec();
    bytes.extend_from_slice(b"Caf\xe9,cafe.es\nAfter,after.es\n");
    let items = parse(&source(b',', None), &bytes).unwrap();
    assert_eq!(items.len(), 3);
    assert!(bad(&items)[0].1.contains("UTF-8"));
}

#[test]
fn a_configured_column_missing_from_the_header_fails_the_source_naming_the_headers_found() {
    let mut src = source(b';', None);
    src.name_field = "empresa".into();
    src.website_field = "url".into();
    let err = parse(&src, b"empresa;web\nAcme;acme.es\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "companies.csv: column `url` not in header (found: empresa, web)"
    );
    let err = parse(&source(b',', None), b"company,url\nA,a.com\n").unwrap_err();
    assert!(err.to_string().contains("column `name` not in header"), "{err}");
    let err = parse(&source(b',', None), b"").unwrap_err();
    assert!(err.to_string().contains("no header row"), "{err}");
}

#[test]
fn a_list_without_a_website_column_loads_names_when_website_field_is_empty() {
    let mut src = source(b',', None);
    src.website_field = String::new();
    let items = parse(&src, b"name\nAcme\nBeta\n").unwrap();
    let names: Vec<_> = companies(&items).into_iter().map(|(n, w, _)| (n, w)).collect();
    assert_eq!(names, [("Acme".into(), None), ("Beta".into(), None)]);
}

#[test]
fn a_duplicated_header_name_is_a_warning_naming_both_positions() {
    let names: Vec<String> = ["name", "website", " Name"]
        .iter()
        .map(|s| s.trim().to_owned())
        .collect();
    assert_eq!(
        repeated_headers(&names),
        ["the header names `Name` twice (columns 1 and 3); the first is used"]
    );
    let items = parse(&source(b',', None), b"name,website,name\nFirst,a.es,Second\n").unwrap();
    assert_eq!(
        companies(&items)[0].0,
        "First",
        "the first column of that name is used"
    );
}

#[test]
fn an_unbalanced_quote_is_one_bad_row_and_the_next_lines_load() {
    let csv = "name,website\n\"Unbal,unbal.example\nA,a.es\nB,b.es\nC,c.es\n";
    let items = parse(&source(b',', None), csv.as_bytes()).unwrap();
    let bad = bad(&items);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0].0, "line 2");
    assert!(bad[0].1.contains("multiline_fields = true"), "{}", bad[0].1);
    let loaded: Vec<_> = companies(&items).into_iter().map(|(n, _, l)| (n, l)).collect();
    assert_eq!(
        loaded,
        [
            ("A".into(), "line 3".into()),
            ("B".into(), "line 4".into()),
            ("C".into(), "line 5".into())
        ]
    );
}

#[test]
fn multiline_fields_keeps_line_breaks_inside_quotes_when_the_source_allows_them() {
    let mut src = source(b',', None);
    src.multiline_fields = true;
    let csv = "name,website\n\"Two\nLines SL\",two.es\nNext,next.es\n";
    let items = parse(&src, csv.as_bytes()).unwrap();
    let loaded = companies(&items);
    assert_eq!(
        loaded[0],
        ("Two Lines SL".into(), Some("two.es".into()), "line 2".into())
    );
    assert_eq!(loaded[1].2, "line 4");
}

#[test]
fn a_line_over_the_record_cap_is_one_bad_row_and_the_next_lines_load() {
    let mut src = source(b',', None);
    src.caps.max_record = 1000;
    let csv = format!("name,website\nA,a.es\n{},long.es\nB,b.es\n", "x".repeat(5000));
    let items = parse(&src, csv.as_bytes()).unwrap();
    assert_eq!(
        bad(&items),
        [("line 3".into(), "line longer than the 1 KB cap".into())]
    );
    assert_eq!(companies(&items).len(), 2);
    let err = parse(&src, format!("{}\nA,a.es\n", "h".repeat(5000)).as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "companies.csv: header row: line longer than the 1 KB cap"
    );
}

#[test]
fn echoed_header_names_and_websites_are_cut_to_200_characters() {
    let header = format!("{},web", "h".repeat(100_000));
    let err = parse(&source(b',', None), format!("{header}\nA,a.es\n").as_bytes()).unwrap_err();
    assert!(err.to_string().len() < 500, "{}", err.to_string().len());
    assert!(err.to_string().contains("…"), "{err}");
    let row = format!("name,website\nA,http://exa mple.com/{}\n", "p".repeat(1900));
    let items = parse(&source(b',', None), row.as_bytes()).unwrap();
    assert!(bad(&items)[0].1.len() < 300, "{:?}", bad(&items));
}
