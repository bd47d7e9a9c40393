//! CSV and JSON lists read from a URL whose body never ends: streamed within their caps, the rows before
//! the source cap kept, the source failed with a clear reason.

use std::time::Duration;

use pipeline_directory::{
    CsvSource, DirectorySource, JsonSource, Location, ReadCaps, SourceError, SourceItem,
};
use pipeline_http::HttpClient;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;
use url::Url;

/// A loopback server answering every request with `head` then `chunk` repeated until the client leaves.
async fn endless(head: &'static str, chunk: String) -> Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let chunk = chunk.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                while !request.ends_with(b"\r\n\r\n") {
                    request.push(socket.read_u8().await?);
                }
                let response = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n";
                socket.write_all(response.as_bytes()).await?;
                socket.write_all(head.as_bytes()).await?;
                loop {
                    socket.write_all(chunk.as_bytes()).await?;
                }
                #[allow(unreachable_code)]
                Ok::<(), std::io::Error>(())
            });
        }
    });
    Url::parse(&format!("http://127.0.0.1:{port}/list")).unwrap()
}

async fn read_all(source: &dyn DirectorySource) -> (Vec<SourceItem>, Result<(), SourceError>) {
    let (tx, mut rx) = mpsc::channel(100);
    let reading = source.read(tx);
    let collecting = async {
        let mut items = Vec::new();
        while let Some(item) = rx.recv().await {
            items.push(item);
        }
        items
    };
    let (result, items) = tokio::time::timeout(Duration::from_secs(60), async {
        tokio::join!(reading, collecting)
    })
    .await
    .expect("the source ends at its cap");
    (items, result)
}

fn http() -> HttpClient {
    pipeline_http::install_crypto_provider();
    HttpClient::new(Default::default()).unwrap()
}

const CAPS: ReadCaps = ReadCaps {
    max_record: 64_000,
    max_source: 4_000_000,
};

#[tokio::test]
async fn an_endless_json_array_is_cut_at_the_source_cap_keeping_the_elements_before_it() {
    let element = r#"{"name":"Endless","website":"endless.example","pad":"xxxxxxxxxxxxxxxxxxxxxxxx"},"#;
    let source = JsonSource {
        name: "endless".into(),
        location: Location::Url(endless("[", element.repeat(100)).await),
        name_field: "name".into(),
        website_field: "website".into(),
        caps: CAPS,
        http: http(),
    };
    let (items, result) = read_all(&source).await;
    let error = result.unwrap_err().to_string();
    let want = format!("source over its 4 MB cap after {} rows", items.len());
    assert!(error.ends_with(&want), "{error}");
    assert!(items.len() > 40_000, "{}", items.len());
    assert!(items.iter().all(|i| matches!(i, SourceItem::Company { .. })));
}

#[tokio::test]
async fn an_endless_csv_line_is_skipped_in_flat_memory_until_the_source_cap() {
    let source = CsvSource {
        name: "endless".into(),
        location: Location::Url(endless("name,website\nA,a.es\n", "x".repeat(8192)).await),
        name_field: "name".into(),
        website_field: "website".into(),
        delimiter: b',',
        encoding: None,
        multiline_fields: false,
        caps: CAPS,
        http: http(),
    };
    let (items, result) = read_all(&source).await;
    let error = result.unwrap_err().to_string();
    assert!(error.ends_with("source over its 4 MB cap after 1 row"), "{error}");
    assert!(matches!(&items[..], [SourceItem::Company { .. }]), "{items:?}");
}
