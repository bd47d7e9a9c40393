//! The SSRF guard: a client that fetches URLs taken from public lists (company websites) must never
//! connect to loopback, private, link-local (cloud metadata included), multicast, unspecified or reserved
//! addresses — checked on every resolved address, on IP-literal hosts in any spelling (the URL parser
//! normalises `2130706433`, `0x7f.1`, `017700000001` to `127.0.0.1`) and on every redirect hop.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// Which addresses a client may connect to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NetworkPolicy {
    /// Anything (URLs from the configuration: provider APIs, list URLs, tests).
    #[default]
    Any,
    /// Public unicast addresses only, http(s) only.
    PublicOnly,
}

/// Why the guard refused a URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("refused by the SSRF guard: {0}")]
pub struct Refusal(pub String);

impl NetworkPolicy {
    /// Checks a URL before it is requested (and each redirect target): scheme, and IP-literal hosts.
    /// Host names are checked after resolution, by the resolver.
    pub fn check_url(self, url: &Url) -> Result<(), Refusal> {
        if self == NetworkPolicy::Any {
            return Ok(());
        }
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Refusal(format!("scheme `{}` is not http(s)", url.scheme())));
        }
        let ip = match url.host() {
            Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
            Some(Host::Domain(_)) => return Ok(()),
            None => return Err(Refusal(format!("{url} has no host"))),
        };
        self.check_ip(ip)
    }

    /// Checks one address a host name resolved to.
    pub fn check_ip(self, ip: IpAddr) -> Result<(), Refusal> {
        if self == NetworkPolicy::PublicOnly && !is_public(ip) {
            return Err(Refusal(format!("{ip} is not a public address")));
        }
        Ok(())
    }
}

/// Whether `ip` is a public unicast address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let reserved = ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..=127).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..=19).contains(&b))
        || a >= 240;
    !reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let reserved = ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        || first == 0x0064;
    !reserved
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn refused(url: &str) -> bool {
        NetworkPolicy::PublicOnly
            .check_url(&Url::parse(url).unwrap())
            .is_err()
    }

    #[test]
    fn ip_literals_are_refused_in_every_spelling() {
        for url in [
            "http://127.0.0.1/",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://017700000001/",
            "http://127.1/",
            "http://0/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:a00:1]/",
            "http://10.0.0.1/",
            "http://172.16.5.4/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[fd00:ec2::254]/",
            "http://[fe80::1]/",
            "http://224.0.0.1/",
            "http://255.255.255.255/",
            "http://100.64.0.1/",
            "ftp://93.184.216.34/",
            "file:///etc/passwd",
        ] {
            assert!(refused(url), "{url} should be refused");
        }
    }

    #[test]
    fn public_addresses_and_names_pass() {
        for url in [
            "http://93.184.216.34/",
            "https://[2606:2800:220:1::]/",
            "https://acme.com/careers",
        ] {
            assert!(!refused(url), "{url} should pass");
        }
        assert!(
            NetworkPolicy::Any
                .check_url(&Url::parse("http://127.0.0.1/").unwrap())
                .is_ok()
        );
    }
}
