//! Tests of the built-in directory catalogue: keys and seed URLs.

use super::BuiltinDirectory;

#[test]
fn keys_round_trip_in_run_order() {
    let keys: Vec<&str> = BuiltinDirectory::ALL.iter().map(|dir| dir.key()).collect();
    assert_eq!(keys, ["catalonia", "madrimasd", "lanzadera"]);
    for dir in BuiltinDirectory::ALL {
        assert_eq!(BuiltinDirectory::parse(dir.key()), Some(dir));
    }
}

#[test]
fn unknown_keys_do_not_parse() {
    for key in ["", "Catalonia", "csv", "lanzadera ", "madri+d"] {
        assert_eq!(BuiltinDirectory::parse(key), None, "{key:?}");
    }
}

#[test]
fn default_listing_urls_are_the_reference_seeds() {
    assert_eq!(
        BuiltinDirectory::Catalonia.default_listing_url(),
        "https://startupshub.catalonia.com/list-of-startups"
    );
    assert_eq!(
        BuiltinDirectory::Madrimasd.default_listing_url(),
        "https://startups.madrimasd.org/emprendedores/emprendedores-casos-exito/nuevas-empresas-madrid"
    );
    assert_eq!(
        BuiltinDirectory::Lanzadera.default_listing_url(),
        "https://lanzadera.es/proyectos/"
    );
    for dir in BuiltinDirectory::ALL {
        assert!(url::Url::parse(dir.default_listing_url()).is_ok(), "{dir:?}");
    }
}
