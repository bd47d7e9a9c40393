//! `[http] ca_file`: a server whose certificate a CA of the file signed is trusted; without the file it is
//! refused; a file that is not there or holds no certificate is a configuration error naming the key.

use pipeline_domain::config::Config;
use pipeline_http::{HttpClient, HttpConfigError, HttpSettings};
use pipeline_testkit::World;
use url::Url;

#[tokio::test]
async fn a_server_signed_by_the_ca_file_is_trusted_and_refused_without_it() {
    pipeline_http::install_crypto_provider();
    let world = World::generate(3, 2).start_with_tls().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, world.ca_pem().unwrap()).unwrap();
    let board = world
        .truth()
        .companies
        .iter()
        .flat_map(|c| c.boards.clone())
        .next()
        .unwrap();
    let url: Url = format!("{}/__world/health", world.tls_base_url().unwrap())
        .parse()
        .unwrap();
    assert!(url.as_str().starts_with("https://"), "{url} ({board:?})");

    let mut config = Config::default();
    config.http.ca_file = ca.display().to_string();
    let trusting = HttpClient::new(HttpSettings::from_config(&config).unwrap()).unwrap();
    let page = trusting.get(&url).await.unwrap();
    assert_eq!(page.status, 200);

    let plain = HttpClient::new(HttpSettings::from_config(&Config::default()).unwrap()).unwrap();
    let error = plain.get(&url).await.unwrap_err();
    assert!(error.to_string().contains("certificate"), "{error}");
}

#[test]
fn a_ca_file_that_is_missing_or_holds_no_certificate_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    config.http.ca_file = dir.path().join("nope.pem").display().to_string();
    let error = HttpSettings::from_config(&config).unwrap_err();
    assert!(matches!(error, HttpConfigError::CaFile { .. }), "{error}");
    assert!(error.to_string().starts_with("http.ca_file: "), "{error}");
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    config.http.ca_file = empty.display().to_string();
    let error = HttpSettings::from_config(&config).unwrap_err();
    assert!(error.to_string().contains("no PEM certificate"), "{error}");
}
