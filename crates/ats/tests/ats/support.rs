//! What the integration tests share: a world on loopback and an HTTP client whose retries do not wait.

use std::time::Duration;

use pipeline_domain::Backoff;
use pipeline_domain::BoardRef;
use pipeline_http::{HttpClient, HttpSettings};
use pipeline_testkit::{Board, Provider, World, WorldHandle};

/// A generated world, served on 127.0.0.1.
pub fn world(seed: u64, companies: usize) -> WorldHandle {
    pipeline_http::install_crypto_provider();
    World::generate(seed, companies).start().unwrap()
}

/// The default client, with millisecond backoff so that retried faults keep tests fast.
pub fn fast_http() -> HttpClient {
    let backoff = Backoff {
        base: Duration::from_millis(1),
        max: Duration::from_millis(5),
        jitter: 0.5,
    };
    HttpClient::new(HttpSettings {
        backoff,
        ..HttpSettings::default()
    })
    .unwrap()
}

/// The world's boards of `provider`, in the world's key order.
pub fn boards(world: &WorldHandle, provider: Provider) -> Vec<Board> {
    world.read(|w| {
        w.boards
            .values()
            .filter(|b| b.reference.provider == provider)
            .cloned()
            .collect()
    })
}

/// The product's reference for a world board (the world prints the syntax of
/// docs/interfaces.md#7-board-references).
pub fn reference(board: &Board) -> BoardRef {
    board.reference.to_string().parse().unwrap()
}
