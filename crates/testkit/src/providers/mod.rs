//! The ATS APIs, routed by path prefix (`/lever`, `/greenhouse-eu`, `/recruitee/{tenant}`, ...) to one module each.

mod ashby;
mod greenhouse;
mod lever;
mod personio;
mod recruitee;
mod smartrecruiters;
mod teamtailor;
mod workable;
mod workday;

use crate::corpus;
use crate::model::{Board, BoardRef, Posting, Provider};
use crate::reply::{Incoming, Reply};
use crate::world::World;
use chrono::{DateTime, SecondsFormat, Utc};

/// A request to one provider's API, its prefix taken off.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiCall {
    pub provider: Provider,
    /// `eu` for `/lever-eu` and `/greenhouse-eu`, `com` for `/personio-com`.
    pub variant: Option<&'static str>,
    /// The tenant named by the prefix (host-per-tenant providers) or by the API path.
    pub tenant: Option<String>,
    /// Workday pod from the prefix.
    pub pod: Option<String>,
    /// The provider's own API path segments.
    pub rest: Vec<String>,
}

/// The route prefixes, for documentation and config generation.
pub const PREFIXES: &[&str] = &[
    "/lever",
    "/lever-eu",
    "/greenhouse",
    "/greenhouse-eu",
    "/ashby",
    "/workable",
    "/smartrecruiters",
    "/recruitee/{tenant}",
    "/personio/{tenant}",
    "/personio-com/{tenant}",
    "/teamtailor/{tenant}",
    "/workday/{tenant}/{pod}",
];

/// Recognizes a provider prefix.
pub fn parse(segments: &[String]) -> Option<ApiCall> {
    let (first, rest) = segments.split_first()?;
    let call = |provider, variant, skip: usize, tenant_at: Option<usize>| {
        let rest: Vec<String> = rest.iter().skip(skip).cloned().collect();
        let tenant = match tenant_at {
            Some(i) => rest.get(i).cloned(),
            None => None,
        };
        ApiCall {
            provider,
            variant,
            tenant,
            pod: None,
            rest,
        }
    };
    let prefixed = |provider, variant| {
        let tenant = rest.first()?.clone();
        Some(ApiCall {
            provider,
            variant,
            tenant: Some(tenant),
            pod: None,
            rest: rest[1..].to_vec(),
        })
    };
    match first.as_str() {
        "lever" => Some(call(Provider::Lever, None, 0, Some(2))),
        "lever-eu" => Some(call(Provider::Lever, Some("eu"), 0, Some(2))),
        "greenhouse" => Some(call(Provider::Greenhouse, None, 0, Some(2))),
        "greenhouse-eu" => Some(call(Provider::Greenhouse, Some("eu"), 0, Some(2))),
        "ashby" => Some(call(Provider::Ashby, None, 0, Some(2))),
        "workable" => Some(call(Provider::Workable, None, 0, Some(4))),
        "smartrecruiters" => Some(call(Provider::SmartRecruiters, None, 0, Some(2))),
        "recruitee" => prefixed(Provider::Recruitee, None),
        "personio" => prefixed(Provider::Personio, None),
        "personio-com" => prefixed(Provider::Personio, Some("com")),
        "teamtailor" => prefixed(Provider::Teamtailor, None),
        "workday" => {
            let tenant = rest.first()?.clone();
            let pod = rest.get(1)?.clone();
            Some(ApiCall {
                provider: Provider::Workday,
                variant: None,
                tenant: Some(tenant),
                pod: Some(pod),
                rest: rest[2..].to_vec(),
            })
        }
        _ => None,
    }
}

/// Answers an API call from the world's state.
pub fn serve(world: &World, call: &ApiCall, request: &Incoming) -> Reply {
    match call.provider {
        Provider::Lever => lever::serve(world, call, request),
        Provider::Greenhouse => greenhouse::serve(world, call, request),
        Provider::Ashby => ashby::serve(world, call, request),
        Provider::Workable => workable::serve(world, call, request),
        Provider::SmartRecruiters => smartrecruiters::serve(world, call, request),
        Provider::Recruitee => recruitee::serve(world, call, request),
        Provider::Personio => personio::serve(world, call, request),
        Provider::Teamtailor => teamtailor::serve(world, call, request),
        Provider::Workday => workday::serve(world, call, request),
        // No API: its boards are the companies' own careers pages (`sites`).
        Provider::JsonLd => Reply::not_found(),
    }
}

/// The board a call names, by provider, variant and tenant.
fn board<'w>(world: &'w World, call: &ApiCall, tenant: &str) -> Option<&'w Board> {
    let mut reference = BoardRef::new(call.provider, tenant);
    reference.variant = call.variant.map(str::to_owned);
    world.board(&reference)
}

fn iso(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn iso_millis(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn description_html(board: &Board, posting: &Posting) -> String {
    corpus::render_description(&posting.description, &posting.title, &board.company_name)
}

/// A description cut the way Lever and SmartRecruiters present it: intro, titled lists, closing text.
#[derive(Debug, Default, PartialEq)]
struct Sections {
    intro: String,
    lists: Vec<(String, String)>,
    outro: String,
}

fn sections(html: &str) -> Sections {
    let mut out = Sections::default();
    let mut rest = html;
    while let Some(start) = rest.find("<h3>") {
        let before = &rest[..start];
        if out.lists.is_empty() {
            out.intro.push_str(before);
        } else {
            out.outro.push_str(before);
        }
        let after = &rest[start + 4..];
        let Some(h_end) = after.find("</h3>") else { break };
        let heading = after[..h_end].to_owned();
        let after = &after[h_end + 5..];
        let (items, next) = match (after.strip_prefix("<ul>"), after.find("</ul>")) {
            (Some(inner), Some(end)) if end >= 4 => (inner[..end - 4].to_owned(), &after[end + 5..]),
            _ => (String::new(), after),
        };
        out.lists.push((heading, items));
        rest = next;
    }
    if out.lists.is_empty() {
        out.intro.push_str(rest);
    } else {
        out.outro.push_str(rest);
    }
    out
}

/// Case-kept slug for public URLs (`Senior-Backend-Engineer`).
fn title_slug(title: &str) -> String {
    let folded = corpus::slugify(title, '-');
    let mut out = String::new();
    let mut upper = true;
    for c in folded.chars() {
        if upper {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c);
        }
        upper = c == '-';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_split_intro_lists_and_outro() {
        let s = sections(
            "<p>Hi</p><h3>Do</h3><ul><li>a</li></ul><p>mid</p><h3>Get</h3><ul><li>b</li></ul><p>end</p>",
        );
        assert_eq!(s.intro, "<p>Hi</p>");
        assert_eq!(
            s.lists,
            vec![
                ("Do".into(), "<li>a</li>".into()),
                ("Get".into(), "<li>b</li>".into())
            ]
        );
        assert_eq!(s.outro, "<p>mid</p><p>end</p>");
        assert_eq!(sections("<p>x</p>").intro, "<p>x</p>");
        assert_eq!(title_slug("Analista de Tesorería"), "Analista-De-Tesoreria");
    }

    #[test]
    fn prefixes_parse() {
        let segs = |p: &str| p.split('/').skip(1).map(str::to_owned).collect::<Vec<_>>();
        let call = parse(&segs("/lever-eu/v0/postings/acme")).unwrap_or_else(|| panic!("lever-eu"));
        assert_eq!((call.variant, call.tenant.as_deref()), (Some("eu"), Some("acme")));
        let call =
            parse(&segs("/workday/acme/wd3/wday/cxs/acme/External/jobs")).unwrap_or_else(|| panic!("wd"));
        assert_eq!(call.pod.as_deref(), Some("wd3"));
        assert_eq!(call.rest, segs("/wday/cxs/acme/External/jobs"));
        assert!(parse(&segs("/nothing/here")).is_none());
    }
}
