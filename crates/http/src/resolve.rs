//! DNS with `[http] resolve` overrides: `"*.test" = "127.0.0.1"` sends every subdomain of `test` to
//! loopback (how the simulated world gives each company its own domain); other names use the system
//! resolver.

use std::net::{IpAddr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::{NetworkPolicy, Refusal};

/// One override: an exact host, or `*.suffix` for any subdomain of `suffix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostOverride {
    pattern: String,
    addr: IpAddr,
}

impl HostOverride {
    /// Parses one `[http] resolve` entry: `pattern` an exact host or `*.suffix` (case and a trailing dot
    /// do not matter), `addr` an IP address; the error says which is wrong.
    pub fn new(pattern: &str, addr: &str) -> Result<Self, String> {
        let addr: IpAddr = addr
            .trim()
            .parse()
            .map_err(|_| format!("`{addr}` is not an IP address"))?;
        let pattern = pattern.trim().trim_end_matches('.').to_ascii_lowercase();
        if pattern.is_empty() || pattern == "*." {
            return Err("empty host pattern".into());
        }
        Ok(Self { pattern, addr })
    }

    /// Whether `host` is the pattern's host, or a subdomain of its suffix (`*.test` does not match `test`
    /// itself).
    pub fn matches(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        match self.pattern.strip_prefix("*.") {
            Some(suffix) => {
                host.len() > suffix.len()
                    && host.ends_with(suffix)
                    && host[..host.len() - suffix.len()].ends_with('.')
            }
            None => host == self.pattern,
        }
    }
}

/// The resolver the client uses.
#[derive(Debug, Clone, Default)]
pub struct OverrideResolver {
    overrides: Vec<HostOverride>,
    policy: NetworkPolicy,
}

impl OverrideResolver {
    /// A resolver answering the overridden hosts itself (first matching override wins) and asking the
    /// system for the others, any address allowed.
    pub fn new(overrides: Vec<HostOverride>) -> Self {
        Self {
            overrides,
            policy: NetworkPolicy::Any,
        }
    }

    /// The same overrides, with every resolved address checked against `policy` (overridden ones too).
    pub fn with_policy(mut self, policy: NetworkPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The overridden address of `host`, if any.
    pub fn lookup_override(&self, host: &str) -> Option<IpAddr> {
        self.overrides.iter().find(|o| o.matches(host)).map(|o| o.addr)
    }
}

impl Resolve for OverrideResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        let (fixed, policy) = (self.lookup_override(&host), self.policy);
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = match fixed {
                Some(ip) => vec![SocketAddr::new(ip, 0)],
                None => tokio::net::lookup_host((host.as_str(), 0)).await?.collect(),
            };
            let allowed: Vec<SocketAddr> = addrs
                .iter()
                .copied()
                .filter(|a| policy.check_ip(a.ip()).is_ok())
                .collect();
            if allowed.is_empty() && !addrs.is_empty() {
                let ips: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
                return Err(Box::new(Refusal(format!("{host} resolves to {}", ips.join(", ")))) as _);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn wildcards_match_subdomains_only() {
        let o = HostOverride::new("*.test", "127.0.0.1").unwrap();
        assert!(o.matches("acme.test") && o.matches("WWW.Acme.test."));
        assert!(!o.matches("test") && !o.matches("acmetest") && !o.matches("acme.test.com"));
        let exact = HostOverride::new("api.lever.co", "127.0.0.2").unwrap();
        assert!(exact.matches("api.lever.co") && !exact.matches("x.api.lever.co"));
        assert!(HostOverride::new("*.test", "nope").is_err());
        let r = OverrideResolver::new(vec![o, exact]);
        assert_eq!(r.lookup_override("a.test"), Some("127.0.0.1".parse().unwrap()));
        assert_eq!(r.lookup_override("example.org"), None);
    }
}
