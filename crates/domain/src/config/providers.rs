//! `[providers.*]`: one table per ATS provider. Each provider has its own defaults (base URLs), so a table
//! that sets only some keys keeps that provider's defaults for the others.

use serde::{Deserialize, Serialize};

use super::ConfigIssue;
use super::validate::template_url;
use crate::board::Provider;

/// `[providers.NAME]`: how one provider's API is reached and how hard it may be used.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// `false` leaves the provider's boards alone (no ingestion, no validation calls).
    pub enabled: bool,
    /// API base URL; may carry a path prefix (the provider's API path is appended) and, for host-per-tenant
    /// providers, `{tenant}` (and `{pod}` for Workday) in the host or the path.
    pub base_url: String,
    /// Base URL of boards of variant `eu` (Lever, Greenhouse).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eu_base_url: Option<String>,
    /// Base URL of boards of variant `com` (Personio).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub com_base_url: Option<String>,
    /// Request rate limit towards this provider.
    pub requests_per_second: f64,
    /// Requests in flight at once towards this provider.
    pub max_concurrency: u32,
}

impl ProviderConfig {
    /// The contract's defaults for one provider.
    pub fn defaults_for(provider: Provider) -> Self {
        let (base, eu, com) = match provider {
            Provider::Lever => ("https://api.lever.co", Some("https://api.eu.lever.co"), None),
            Provider::Greenhouse => (
                "https://boards-api.greenhouse.io",
                Some("https://boards-api.eu.greenhouse.io"),
                None,
            ),
            Provider::Ashby => ("https://api.ashbyhq.com", None, None),
            Provider::Workable => ("https://apply.workable.com", None, None),
            Provider::SmartRecruiters => ("https://api.smartrecruiters.com", None, None),
            Provider::Recruitee => ("https://{tenant}.recruitee.com", None, None),
            Provider::Personio => (
                "https://{tenant}.jobs.personio.de",
                None,
                Some("https://{tenant}.jobs.personio.com"),
            ),
            Provider::Teamtailor => ("https://{tenant}.teamtailor.com", None, None),
            Provider::Workday => ("https://{tenant}.{pod}.myworkdayjobs.com", None, None),
            // Its boards are read at their own URL, the careers page.
            Provider::JsonLd => ("", None, None),
        };
        // jsonld: the rate holds per company site, the concurrency for all its boards' pages together.
        let max_concurrency = if provider.reads_company_sites() { 4 } else { 2 };
        ProviderConfig {
            enabled: true,
            base_url: base.to_owned(),
            eu_base_url: eu.map(str::to_owned),
            com_base_url: com.map(str::to_owned),
            requests_per_second: 2.0,
            max_concurrency,
        }
    }

    /// The base URL of a board variant (`None` = the default host); `None` when the variant has none.
    pub fn base_url_for(&self, variant: Option<&str>) -> Option<&str> {
        match variant {
            None => Some(&self.base_url),
            Some("eu") => self.eu_base_url.as_deref(),
            Some("com") => self.com_base_url.as_deref(),
            Some(_) => None,
        }
    }

    /// What is wrong with `provider`'s table, each issue named `providers.NAME.KEY`.
    pub(super) fn issues(&self, provider: Provider) -> Vec<ConfigIssue> {
        let key = |name: &str| format!("providers.{provider}.{name}");
        let mut issues = Vec::new();
        if !(self.requests_per_second.is_finite() && self.requests_per_second > 0.0) {
            let reason = format!("must be more than 0, got {}", self.requests_per_second);
            issues.push(ConfigIssue::new(key("requests_per_second"), reason));
        }
        if self.max_concurrency < 1 {
            issues.push(ConfigIssue::new(key("max_concurrency"), "must be at least 1"));
        }
        let urls = [
            ("base_url", Some(&self.base_url)),
            ("eu_base_url", self.eu_base_url.as_ref()),
            ("com_base_url", self.com_base_url.as_ref()),
        ];
        for (name, url) in urls {
            let reason = match url {
                // Its boards name their own URL: a base URL here would be silently ignored.
                Some(url) if provider.reads_company_sites() && !url.trim().is_empty() => Some(format!(
                    "{provider} boards are read at their own careers page URL: leave it unset"
                )),
                Some(url) if !provider.reads_company_sites() => template_url(url).err(),
                _ => None,
            };
            if let Some(reason) = reason {
                issues.push(ConfigIssue::new(key(name), reason));
            }
        }
        issues
    }

    fn apply(mut self, patch: ProviderPatch) -> Self {
        self.enabled = patch.enabled.unwrap_or(self.enabled);
        self.base_url = patch.base_url.unwrap_or(self.base_url);
        self.eu_base_url = patch.eu_base_url.or(self.eu_base_url);
        self.com_base_url = patch.com_base_url.or(self.com_base_url);
        self.requests_per_second = patch.requests_per_second.unwrap_or(self.requests_per_second);
        self.max_concurrency = patch.max_concurrency.unwrap_or(self.max_concurrency);
        self
    }
}

/// `[providers]`: every provider's settings.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(from = "ProvidersPatch")]
pub struct ProvidersConfig {
    /// Lever (`api.lever.co`, variant `eu`).
    pub lever: ProviderConfig,
    /// Greenhouse job boards API (variant `eu`).
    pub greenhouse: ProviderConfig,
    /// Ashby posting API.
    pub ashby: ProviderConfig,
    /// Workable (`apply.workable.com`).
    pub workable: ProviderConfig,
    /// SmartRecruiters posting API.
    pub smartrecruiters: ProviderConfig,
    /// Recruitee (a host per tenant).
    pub recruitee: ProviderConfig,
    /// Personio (a host per tenant, `.de`; variant `com`).
    pub personio: ProviderConfig,
    /// Teamtailor (a host per tenant).
    pub teamtailor: ProviderConfig,
    /// Workday (a host per tenant and pod).
    pub workday: ProviderConfig,
    /// JSON-LD on companies' own careers pages (no base URL; `requests_per_second` per site).
    pub jsonld: ProviderConfig,
}

impl Default for ProvidersConfig {
    fn default() -> Self {
        ProvidersConfig {
            lever: ProviderConfig::defaults_for(Provider::Lever),
            greenhouse: ProviderConfig::defaults_for(Provider::Greenhouse),
            ashby: ProviderConfig::defaults_for(Provider::Ashby),
            workable: ProviderConfig::defaults_for(Provider::Workable),
            smartrecruiters: ProviderConfig::defaults_for(Provider::SmartRecruiters),
            recruitee: ProviderConfig::defaults_for(Provider::Recruitee),
            personio: ProviderConfig::defaults_for(Provider::Personio),
            teamtailor: ProviderConfig::defaults_for(Provider::Teamtailor),
            workday: ProviderConfig::defaults_for(Provider::Workday),
            jsonld: ProviderConfig::defaults_for(Provider::JsonLd),
        }
    }
}

impl ProvidersConfig {
    /// One provider's settings, to change.
    pub fn get_mut(&mut self, provider: Provider) -> &mut ProviderConfig {
        match provider {
            Provider::Lever => &mut self.lever,
            Provider::Greenhouse => &mut self.greenhouse,
            Provider::Ashby => &mut self.ashby,
            Provider::Workable => &mut self.workable,
            Provider::SmartRecruiters => &mut self.smartrecruiters,
            Provider::Recruitee => &mut self.recruitee,
            Provider::Personio => &mut self.personio,
            Provider::Teamtailor => &mut self.teamtailor,
            Provider::Workday => &mut self.workday,
            Provider::JsonLd => &mut self.jsonld,
        }
    }

    /// One provider's settings.
    pub fn get(&self, provider: Provider) -> &ProviderConfig {
        match provider {
            Provider::Lever => &self.lever,
            Provider::Greenhouse => &self.greenhouse,
            Provider::Ashby => &self.ashby,
            Provider::Workable => &self.workable,
            Provider::SmartRecruiters => &self.smartrecruiters,
            Provider::Recruitee => &self.recruitee,
            Provider::Personio => &self.personio,
            Provider::Teamtailor => &self.teamtailor,
            Provider::Workday => &self.workday,
            Provider::JsonLd => &self.jsonld,
        }
    }

    /// Every provider with its settings, in [`Provider::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Provider, &ProviderConfig)> {
        Provider::ALL
            .into_iter()
            .map(|provider| (provider, self.get(provider)))
    }
}

/// A `[providers.NAME]` table as written: only the keys present.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename = "ProviderConfig")]
struct ProviderPatch {
    enabled: Option<bool>,
    base_url: Option<String>,
    eu_base_url: Option<String>,
    com_base_url: Option<String>,
    requests_per_second: Option<f64>,
    max_concurrency: Option<u32>,
}

/// `[providers]` as written: only the providers present; an unknown provider name is an error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default, rename = "ProvidersConfig")]
struct ProvidersPatch {
    lever: ProviderPatch,
    greenhouse: ProviderPatch,
    ashby: ProviderPatch,
    workable: ProviderPatch,
    smartrecruiters: ProviderPatch,
    recruitee: ProviderPatch,
    personio: ProviderPatch,
    teamtailor: ProviderPatch,
    workday: ProviderPatch,
    jsonld: ProviderPatch,
}

impl From<ProvidersPatch> for ProvidersConfig {
    fn from(patch: ProvidersPatch) -> Self {
        let d = ProvidersConfig::default();
        ProvidersConfig {
            lever: d.lever.apply(patch.lever),
            greenhouse: d.greenhouse.apply(patch.greenhouse),
            ashby: d.ashby.apply(patch.ashby),
            workable: d.workable.apply(patch.workable),
            smartrecruiters: d.smartrecruiters.apply(patch.smartrecruiters),
            recruitee: d.recruitee.apply(patch.recruitee),
            personio: d.personio.apply(patch.personio),
            teamtailor: d.teamtailor.apply(patch.teamtailor),
            workday: d.workday.apply(patch.workday),
            jsonld: d.jsonld.apply(patch.jsonld),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_provider_table_keeps_that_providers_other_defaults() {
        let lever = ProviderPatch {
            base_url: Some("http://127.0.0.1:8080/lever".into()),
            ..Default::default()
        };
        let providers = ProvidersConfig::from(ProvidersPatch {
            lever,
            ..Default::default()
        });
        assert_eq!(providers.lever.base_url, "http://127.0.0.1:8080/lever");
        assert_eq!(
            providers.lever.eu_base_url.as_deref(),
            Some("https://api.eu.lever.co")
        );
        assert_eq!(providers.lever.max_concurrency, 2);
        assert_eq!(
            providers.greenhouse,
            ProviderConfig::defaults_for(Provider::Greenhouse)
        );
        assert_eq!(
            providers.personio,
            ProviderConfig::defaults_for(Provider::Personio)
        );
    }

    #[test]
    fn variant_base_urls_are_looked_up_by_variant() {
        let personio = ProviderConfig::defaults_for(Provider::Personio);
        assert_eq!(
            personio.base_url_for(None),
            Some("https://{tenant}.jobs.personio.de")
        );
        assert_eq!(
            personio.base_url_for(Some("com")),
            Some("https://{tenant}.jobs.personio.com")
        );
        assert_eq!(personio.base_url_for(Some("eu")), None);
    }
}
