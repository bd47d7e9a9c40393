//! Fault injection: scripted ("the next N requests to X answer F") or probabilistic with a seed, per route.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::model::{DirectoryKind, Provider};

mod parse;
mod respond;

pub use parse::{parse_duration, parse_size};
pub use respond::{LOOP_PREFIX, to_response};

/// Where [`Fault::RedirectPrivate`] points: 127.0.0.1 spelled as one decimal number, on a closed port.
pub const PRIVATE_REDIRECT_TARGET: &str = "http://2130706433:9/";

/// What a faulty response does.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// This status with a short body: 500, 502, 503, 408, 404, 410, 401, ...
    Status(u16),
    /// 429 with the given `Retry-After`.
    TooManyRequests(RetryAfter),
    /// The connection is dropped (RST) without a response.
    Reset,
    /// Waits this long, then answers normally (a client timeout shorter than this fires first).
    Stall(Duration),
    /// Sends the headers and half the body, waits this long, then the rest.
    StallBody(Duration),
    /// `Content-Length` of the whole body, half of it sent, then the connection closes.
    Truncate,
    /// 200 with a body of this many bytes (JSON-looking padding).
    Oversized(usize),
    /// 302 to a URL that redirects forever.
    RedirectLoop,
    /// 302 to this URL.
    RedirectTo(String),
    /// 302 to [`PRIVATE_REDIRECT_TARGET`], loopback written as a decimal IP literal (one of the spellings the
    /// SSRF guard must recognise): the client must refuse it. Loopback, not a private range, so that a
    /// client that wrongly follows it still sends nothing off the machine (and port 9 is closed).
    /// Use only where the client's SSRF guard is on: a client that follows it would send traffic off the machine.
    RedirectPrivate,
    /// The normal body with invalid UTF-8 bytes spliced in, still labelled UTF-8.
    InvalidUtf8,
    /// The normal body labelled `text/html`.
    WrongContentType,
    /// 200 with an HTML maintenance page instead of the API's JSON.
    HtmlInsteadOfJson,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RetryAfter {
    /// `Retry-After: <seconds>`
    Seconds(u64),
    /// `Retry-After: <HTTP-date>` this far in the future.
    Date(Duration),
    /// No header.
    Absent,
}

/// Which requests a rule applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Any,
    /// A route label: a provider key (`lever`, ...), `sheets`, `oauth`, `site`, `catalonia`, ...
    Label(String),
    /// A label and tenant: a provider's tenant, a site's domain, a spreadsheet id.
    Tenant {
        label: String,
        tenant: String,
    },
    /// Requests whose path starts with this (e.g. `/greenhouse-eu/`).
    PathPrefix(String),
}

impl Target {
    pub fn provider(provider: Provider) -> Target {
        Target::Label(provider.key().to_owned())
    }

    pub fn tenant(provider: Provider, tenant: &str) -> Target {
        Target::Tenant {
            label: provider.key().to_owned(),
            tenant: tenant.to_owned(),
        }
    }

    /// One company website (all its pages).
    pub fn site(domain: &str) -> Target {
        Target::Tenant {
            label: "site".to_owned(),
            tenant: domain.to_owned(),
        }
    }

    pub fn directory(kind: DirectoryKind) -> Target {
        Target::Label(kind.key().to_owned())
    }

    /// The Sheets API (not the token endpoint: `Target::Label("oauth")`).
    pub fn sheets() -> Target {
        Target::Label("sheets".to_owned())
    }

    fn matches(&self, route: &RouteInfo) -> bool {
        match self {
            Target::Any => true,
            Target::Label(label) => *label == route.label,
            Target::Tenant { label, tenant } => {
                *label == route.label
                    && route
                        .tenant
                        .as_deref()
                        .is_some_and(|t| t.eq_ignore_ascii_case(tenant))
            }
            Target::PathPrefix(prefix) => route.path.starts_with(prefix.as_str()),
        }
    }
}

/// What the router knows about a request before answering it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub label: String,
    pub tenant: Option<String>,
    pub path: String,
}

#[derive(Debug, Clone)]
enum Rule {
    Scripted {
        target: Target,
        remaining: usize,
        fault: Fault,
    },
    Random {
        target: Target,
        probability: f64,
        fault: Fault,
    },
}

/// The fault plan: scripted rules first (in the order given), then probabilistic ones.
#[derive(Debug)]
pub struct Faults {
    rules: Vec<Rule>,
    rng: StdRng,
}

impl Faults {
    pub fn new(seed: u64) -> Faults {
        Faults {
            rules: Vec::new(),
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// The next `count` requests matching `target` answer `fault` (queued after earlier scripts for them).
    pub fn script(&mut self, target: Target, count: usize, fault: Fault) {
        self.rules.push(Rule::Scripted {
            target,
            remaining: count,
            fault,
        });
    }

    /// Every request matching `target` answers `fault` with this probability (drawn from the plan's seed).
    pub fn random(&mut self, target: Target, probability: f64, fault: Fault) {
        self.rules.push(Rule::Random {
            target,
            probability: probability.clamp(0.0, 1.0),
            fault,
        });
    }

    /// Reseeds the probabilistic draws.
    pub fn reseed(&mut self, seed: u64) {
        self.rng = StdRng::seed_from_u64(seed);
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// Scripted faults not fired yet.
    pub fn pending(&self) -> usize {
        self.rules
            .iter()
            .map(|r| {
                if let Rule::Scripted { remaining, .. } = r {
                    *remaining
                } else {
                    0
                }
            })
            .sum()
    }

    /// The fault this request answers, if any.
    pub fn draw(&mut self, route: &RouteInfo) -> Option<Fault> {
        let scripted = self.rules.iter_mut().position(|r| match r {
            Rule::Scripted {
                target, remaining, ..
            } => *remaining > 0 && target.matches(route),
            Rule::Random { .. } => false,
        });
        if let Some(i) = scripted {
            let Rule::Scripted { remaining, fault, .. } = &mut self.rules[i] else {
                return None;
            };
            *remaining -= 1;
            let fault = fault.clone();
            if *remaining == 0 {
                self.rules.remove(i);
            }
            return Some(fault);
        }
        for rule in &self.rules {
            if let Rule::Random {
                target,
                probability,
                fault,
            } = rule
                && target.matches(route)
                && self.rng.random_bool(*probability)
            {
                return Some(fault.clone());
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_queue_per_target_and_random_rules_follow_the_seed() {
        let route = |label: &str, tenant: &str| RouteInfo {
            label: label.into(),
            tenant: Some(tenant.into()),
            path: format!("/{label}/x"),
        };
        let mut faults = Faults::new(1);
        faults.script(Target::tenant(Provider::Lever, "acme"), 1, Fault::Status(500));
        faults.script(Target::provider(Provider::Lever), 1, Fault::Reset);
        assert_eq!(faults.draw(&route("lever", "other")), Some(Fault::Reset));
        assert_eq!(faults.draw(&route("lever", "ACME")), Some(Fault::Status(500)));
        assert_eq!(faults.draw(&route("lever", "acme")), None);
        assert_eq!(faults.pending(), 0);
        faults.random(Target::PathPrefix("/ashby".into()), 1.0, Fault::Truncate);
        assert_eq!(faults.draw(&route("ashby", "a")), Some(Fault::Truncate));
        assert_eq!(faults.draw(&route("lever", "a")), None);
    }
}
