//! One client per provider, built from its configured endpoints.

use std::sync::Arc;

use pipeline_domain::Provider;

use super::{
    AshbyClient, AtsClient, DetailBudget, Endpoints, GreenhouseClient, LeverClient, PersonioClient,
    RecruiteeClient, SmartRecruitersClient, TeamtailorClient, WorkableClient, WorkdayClient,
};
use pipeline_http::HttpClient;

/// The client of `provider`. `budget` caps the per-posting detail calls of the providers that need them
/// (SmartRecruiters, Workday).
pub fn client_for(
    provider: Provider,
    endpoints: Endpoints,
    http: HttpClient,
    budget: DetailBudget,
) -> Arc<dyn AtsClient> {
    match provider {
        Provider::Greenhouse => Arc::new(GreenhouseClient::new(endpoints, http)),
        Provider::Lever => Arc::new(LeverClient::new(endpoints, http)),
        Provider::Ashby => Arc::new(AshbyClient::new(endpoints, http)),
        Provider::Workable => Arc::new(WorkableClient::new(endpoints, http)),
        Provider::SmartRecruiters => Arc::new(SmartRecruitersClient::new(endpoints, http, budget)),
        Provider::Recruitee => Arc::new(RecruiteeClient::new(endpoints, http)),
        Provider::Personio => Arc::new(PersonioClient::new(endpoints, http)),
        Provider::Teamtailor => Arc::new(TeamtailorClient::new(endpoints, http)),
        Provider::Workday => Arc::new(WorkdayClient::new(endpoints, http, budget)),
    }
}
