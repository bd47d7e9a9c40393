//! What the integration tests share: a world on loopback and an HTTP client whose retries do not wait.

use std::time::Duration;

use pipeline_ats::{
    AtsClient, DetailBudget, Endpoints, GreenhouseClient, SmartRecruitersClient, WorkableClient,
    WorkdayClient,
};
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

/// A client of `provider` on the world, for the providers the rate-limit and detail-failure tests drive
/// (Greenhouse, Workable, SmartRecruiters, Workday), with the default HTTP settings but fast backoff.
pub fn client(world: &WorldHandle, provider: Provider, budget: &DetailBudget) -> Box<dyn AtsClient> {
    let base = world.base_url();
    match provider {
        Provider::Greenhouse => Box::new(GreenhouseClient::new(
            Endpoints::new(format!("{base}/greenhouse")),
            fast_http(),
        )),
        Provider::Workable => Box::new(WorkableClient::new(
            Endpoints::new(format!("{base}/workable")),
            fast_http(),
        )),
        Provider::SmartRecruiters => Box::new(SmartRecruitersClient::new(
            Endpoints::new(format!("{base}/smartrecruiters")),
            fast_http(),
            budget.clone(),
        )),
        Provider::Workday => Box::new(WorkdayClient::new(
            Endpoints::new(format!("{base}/workday/{{tenant}}/{{pod}}")),
            fast_http(),
            budget.clone(),
        )),
        other => panic!("no client here for {other}"),
    }
}

/// The first board of `provider` (no variant) with at least `min_postings` listed postings.
pub fn board_with(world: &WorldHandle, provider: Provider, min_postings: usize) -> Board {
    boards(world, provider)
        .into_iter()
        .find(|b| {
            b.reference.variant.is_none() && b.postings.iter().filter(|p| p.listed).count() >= min_postings
        })
        .unwrap_or_else(|| panic!("the world has a {provider} board with {min_postings}+ postings"))
}

/// The path prefix of `board`'s detail calls (SmartRecruiters, Workday), as the world logs and targets it.
pub fn detail_prefix(board: &Board) -> String {
    let tenant = &board.reference.tenant;
    match board.reference.provider {
        Provider::SmartRecruiters => format!("/smartrecruiters/v1/companies/{tenant}/postings/"),
        Provider::Workday => {
            let (pod, site) = board.reference.workday.clone().unwrap();
            format!("/workday/{tenant}/{pod}/wday/cxs/{tenant}/{site}/job/")
        }
        other => panic!("{other} makes no detail calls"),
    }
}
