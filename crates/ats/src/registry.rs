//! One client per provider, built from its configured endpoints; [`AtsClients`], the clients of every
//! enabled provider.

use std::collections::HashMap;
use std::sync::Arc;

use pipeline_domain::config::Config;
use pipeline_domain::{Clock, Provider};
use pipeline_http::{HttpClient, Throttles};

use super::{
    AshbyClient, AtsClient, DetailBudget, Endpoints, GreenhouseClient, JsonLdClient, LeverClient,
    PersonioClient, RecruiteeClient, SmartRecruitersClient, TeamtailorClient, WorkableClient, WorkdayClient,
};

/// The client of `provider`, at its endpoints of `config` (`[providers.X]`), sending through `http`: the API
/// client, or for a provider whose boards are company sites (`jsonld`, [`Provider::reads_company_sites`])
/// the company-site client; either throttled by the provider's limits. `budget` caps the per-posting
/// detail calls of the providers that need them (SmartRecruiters, Workday); `clock` dates Workday's
/// relative "Posted N Days Ago" and judges JSON-LD's `validThrough` (give the engine's).
pub fn client_for(
    provider: Provider,
    config: &Config,
    http: HttpClient,
    budget: DetailBudget,
    clock: Arc<dyn Clock>,
) -> Arc<dyn AtsClient> {
    let endpoints = Endpoints::from_config(config, provider);
    match provider {
        Provider::Greenhouse => Arc::new(GreenhouseClient::new(endpoints, http)),
        Provider::Lever => Arc::new(LeverClient::new(endpoints, http)),
        Provider::Ashby => Arc::new(AshbyClient::new(endpoints, http)),
        Provider::Workable => Arc::new(WorkableClient::new(endpoints, http)),
        Provider::SmartRecruiters => Arc::new(SmartRecruitersClient::new(endpoints, http, budget)),
        Provider::Recruitee => Arc::new(RecruiteeClient::new(endpoints, http)),
        Provider::Personio => Arc::new(PersonioClient::new(endpoints, http)),
        Provider::Teamtailor => Arc::new(TeamtailorClient::new(endpoints, http)),
        Provider::Workday => Arc::new(WorkdayClient::new(endpoints, http, budget).with_clock(clock)),
        Provider::JsonLd => {
            Arc::new(JsonLdClient::new(http, config.ingestion.jsonld_max_pages).with_clock(clock))
        }
    }
}

/// The clients of the providers in use, by provider, each with its own detail-call budget. Cheap to clone.
#[derive(Clone, Default)]
pub struct AtsClients {
    clients: HashMap<Provider, Arc<dyn AtsClient>>,
    budgets: Vec<DetailBudget>,
}

impl std::fmt::Debug for AtsClients {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut providers: Vec<&str> = self.clients.keys().map(|p| p.key()).collect();
        providers.sort_unstable();
        f.debug_struct("AtsClients")
            .field("providers", &providers)
            .finish()
    }
}

impl AtsClients {
    /// A client per enabled provider (`[providers.X] enabled`), at its configured endpoints, the API
    /// providers sharing `http` and `jsonld` reading company sites through `pages` (the SSRF-guarded page
    /// client), each with a budget of `detail_calls` per-posting detail calls (validation uses 0: whether a
    /// board answers does not need its postings' details). Each provider's requests pass through its
    /// throttle of `throttles`: give every `AtsClients` of a process the same `throttles`, so that the
    /// provider's limits hold for all of them together (docs/stages.md#politeness).
    pub fn from_config(
        config: &Config,
        http: &HttpClient,
        pages: &HttpClient,
        detail_calls: u64,
        throttles: &Throttles,
        clock: &Arc<dyn Clock>,
    ) -> Self {
        let mut clients = AtsClients::default();
        for (provider, _) in config.providers.iter().filter(|(_, p)| p.enabled) {
            let base = if provider.reads_company_sites() {
                pages
            } else {
                http
            };
            let http = base.throttled(throttles.get(provider));
            let budget = DetailBudget::new(detail_calls);
            clients.budgets.push(budget.clone());
            clients.insert(client_for(provider, config, http, budget, clock.clone()));
        }
        clients
    }

    /// Gives every provider `detail_calls` detail calls again (each cycle's ingestion starts so).
    pub fn refill_budgets(&self, detail_calls: u64) {
        for budget in &self.budgets {
            budget.refill(detail_calls);
        }
    }

    /// The client of `provider`; `None` when the provider is disabled.
    pub fn get(&self, provider: Provider) -> Option<Arc<dyn AtsClient>> {
        self.clients.get(&provider).cloned()
    }

    /// Adds (or replaces) the client of its provider.
    pub fn insert(&mut self, client: Arc<dyn AtsClient>) {
        self.clients.insert(client.provider(), client);
    }
}

impl FromIterator<(Provider, Arc<dyn AtsClient>)> for AtsClients {
    fn from_iter<I: IntoIterator<Item = (Provider, Arc<dyn AtsClient>)>>(iter: I) -> Self {
        Self {
            clients: iter.into_iter().collect(),
            budgets: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_enabled_providers_get_a_client_and_each_is_its_providers() {
        pipeline_http::install_crypto_provider();
        let mut config = Config::default();
        config.providers.workday.enabled = false;
        let http = HttpClient::new(pipeline_http::HttpSettings::default()).unwrap();
        let throttles = Throttles::from_config(&config);
        let clock: Arc<dyn Clock> = Arc::new(pipeline_domain::SystemClock);
        let clients = AtsClients::from_config(&config, &http, &http, 0, &throttles, &clock);
        assert!(clients.get(Provider::Workday).is_none());
        for provider in Provider::ALL.into_iter().filter(|p| *p != Provider::Workday) {
            assert_eq!(clients.get(provider).map(|c| c.provider()), Some(provider));
        }
    }

    #[test]
    fn a_client_can_be_put_in_by_hand() {
        let mut mock = crate::MockAtsClient::new();
        mock.expect_provider().return_const(Provider::Lever);
        let mut clients = AtsClients::default();
        clients.insert(Arc::new(mock));
        assert!(clients.get(Provider::Lever).is_some());
        assert!(clients.get(Provider::Greenhouse).is_none());
    }
}
