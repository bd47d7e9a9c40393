//! API base URLs from `[providers.X]`: a base (maybe with a path prefix) for each host variant, and for
//! host-per-tenant providers a template carrying `{tenant}` (and `{pod}` for Workday), in the host or the
//! path (docs/interfaces.md#2-configuration).

use pipeline_domain::config::Config;
use pipeline_domain::{BoardRef, Provider};
use url::Url;

use super::AtsError;

/// The base URLs of one provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The default host's base URL, or the `{tenant}` template of a host-per-tenant provider.
    pub base_url: String,
    /// The base URL of boards with the `@eu` variant (`lever:acme@eu`, `greenhouse:acme@eu`).
    pub eu_base_url: Option<String>,
    /// The base URL of boards with the `@com` variant (`personio:acme@com`).
    pub com_base_url: Option<String>,
}

impl Endpoints {
    /// Only a default base URL (tests, the simulated world).
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            eu_base_url: None,
            com_base_url: None,
        }
    }

    /// The endpoints of `provider` from `[providers.X]`.
    pub fn from_config(config: &Config, provider: Provider) -> Self {
        let p = config.providers.get(provider);
        Self {
            base_url: p.base_url.clone(),
            eu_base_url: p.eu_base_url.clone(),
            com_base_url: p.com_base_url.clone(),
        }
    }

    /// The API URL for `board`: the variant's base with `{tenant}`/`{pod}` filled in, then `path` appended
    /// (`path` starts with `/`; segments inside it are the caller's to percent-encode).
    pub fn url(
        &self,
        board: &BoardRef,
        tenant: &str,
        pod: Option<&str>,
        path: &str,
    ) -> Result<Url, AtsError> {
        let bad = |reason: String| AtsError::Endpoint {
            board: board.to_string(),
            reason,
        };
        let base = match board.variant.as_deref() {
            None => Some(self.base_url.as_str()),
            Some("eu") => self.eu_base_url.as_deref(),
            Some("com") => self.com_base_url.as_deref(),
            Some(_) => None,
        }
        .ok_or_else(|| bad(format!("no base URL configured for variant {:?}", board.variant)))?;
        if tenant.is_empty()
            || !tenant
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(bad(format!("`{tenant}` is not a tenant")));
        }
        let filled = base
            .replace("{tenant}", tenant)
            .replace("{pod}", pod.unwrap_or_default());
        let joined = format!("{}{path}", filled.trim_end_matches('/'));
        Url::parse(&joined).map_err(|e| bad(format!("`{joined}`: {e}")))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn templates_fill_host_or_path_and_variants_pick_their_base() {
        let gh = Endpoints {
            base_url: "http://127.0.0.1:8080/greenhouse/".into(),
            eu_base_url: Some("https://boards-api.eu.greenhouse.io".into()),
            com_base_url: None,
        };
        let board: BoardRef = "greenhouse:acme".parse().unwrap();
        let url = gh
            .url(&board, "acme", None, "/v1/boards/acme/jobs?content=true")
            .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:8080/greenhouse/v1/boards/acme/jobs?content=true"
        );
        let eu: BoardRef = "greenhouse:acme@eu".parse().unwrap();
        assert!(
            gh.url(&eu, "acme", None, "/x")
                .unwrap()
                .as_str()
                .starts_with("https://boards-api.eu.")
        );
        let recruitee = Endpoints::new("https://{tenant}.recruitee.com");
        let r: BoardRef = "recruitee:acme".parse().unwrap();
        assert_eq!(
            recruitee.url(&r, "acme", None, "/api/offers/").unwrap().as_str(),
            "https://acme.recruitee.com/api/offers/"
        );
        let wd = Endpoints::new("http://127.0.0.1:9/workday/{tenant}/{pod}");
        let w: BoardRef = "workday:acme/wd3/Careers".parse().unwrap();
        let url = wd
            .url(&w, "acme", Some("wd3"), "/wday/cxs/acme/Careers/jobs")
            .unwrap();
        assert_eq!(url.path(), "/workday/acme/wd3/wday/cxs/acme/Careers/jobs");
        assert!(recruitee.url(&r, "a/b", None, "/").is_err());
        let p: BoardRef = "personio:acme@com".parse().unwrap();
        assert!(
            Endpoints::new("https://{tenant}.jobs.personio.de")
                .url(&p, "acme", None, "/xml")
                .is_err()
        );
    }

    #[test]
    fn endpoints_come_from_the_providers_table() {
        let mut config = Config::default();
        config.providers.personio.com_base_url = Some("http://127.0.0.1:9/personio-com/{tenant}".into());
        let personio = Endpoints::from_config(&config, Provider::Personio);
        assert_eq!(personio.base_url, config.providers.personio.base_url);
        assert_eq!(personio.com_base_url, config.providers.personio.com_base_url);
        assert_eq!(personio.eu_base_url, None);
    }
}
