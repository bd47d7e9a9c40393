//! What the world's tests share: an HTTP client with the ring provider installed, and a fixture world of
//! one board per provider and variant.

use std::sync::Once;

use pipeline_testkit::{Board, BoardRef, Provider, Salary, World};

static PROVIDER: Once = Once::new();

/// A client that ignores proxies.
pub fn client() -> reqwest::Client {
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder().no_proxy().build().expect("a client")
}

/// A client built from the one of [`client`] by `builder`.
pub fn client_with(
    builder: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
) -> reqwest::Client {
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    builder(reqwest::Client::builder().no_proxy())
        .build()
        .expect("a client")
}

/// One board per provider and variant.
pub fn boards() -> Vec<BoardRef> {
    vec![
        BoardRef::new(Provider::Lever, "acme"),
        BoardRef::new(Provider::Lever, "acmeeu").with_variant("eu"),
        BoardRef::new(Provider::Greenhouse, "acme"),
        BoardRef::new(Provider::Greenhouse, "acmeeu").with_variant("eu"),
        BoardRef::new(Provider::Ashby, "acme"),
        BoardRef::new(Provider::Workable, "acme"),
        BoardRef::new(Provider::SmartRecruiters, "AcmeGroup"),
        BoardRef::new(Provider::Recruitee, "acme"),
        BoardRef::new(Provider::Personio, "acme"),
        BoardRef::new(Provider::Personio, "acmecom").with_variant("com"),
        BoardRef::new(Provider::Teamtailor, "acme"),
        BoardRef::workday("acme", "wd3", "External"),
    ]
}

/// One board per provider and variant, 45 postings each, the first with a salary.
pub fn fixture() -> World {
    let mut world = World::empty(1);
    for reference in boards() {
        let mut board = Board {
            reference,
            company_name: "Acme S.L.".into(),
            postings: Vec::new(),
            updated_at: world.now(),
        };
        for i in 0..45 {
            let mut p = world.new_posting(
                &format!("Engineer {i}"),
                "<p>Hola &amp; adiós</p><h3>Qué harás</h3><ul><li>Pagos en USD</li></ul><p>Fin</p>",
            );
            if i == 0 {
                p.salary = Some(Salary {
                    min: 40000,
                    max: 50000,
                    currency: "EUR".into(),
                    period: "year".into(),
                });
            }
            board.postings.push(p);
        }
        world.add_board(board);
    }
    world
}
