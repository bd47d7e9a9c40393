//! Discovery of one website (docs/stages.md#discovery): read its candidate career pages, follow
//! career-looking links one
//! hop, scan every page for board references, and validate each candidate through its provider's API.
//! A board found on the company's own site is valid when its API answers with a parseable board, even an
//! empty one.

use std::sync::Arc;

use pipeline_domain::{NormalizedPosting, Provider};
use url::Url;

use super::{Candidate, Rejection, SiteFailure, candidate_pages, career_links, jsonld, scan_page};
use pipeline_ats::{AtsClient, AtsClients, AtsError};
use pipeline_http::{HttpClient, HttpError};

/// A candidate whose provider API answered.
#[derive(Debug, Clone)]
pub struct DetectedBoard {
    /// The board and where it was found.
    pub candidate: Candidate,
    /// Open postings the provider listed when asked.
    pub job_count: usize,
    /// The company name the provider's API gives, if any.
    pub company_name: Option<String>,
}

/// What discovery found on one website.
#[derive(Debug, Clone)]
pub struct Detection {
    /// The website discovery started from.
    pub url: Url,
    /// Validated boards, in the order they were found.
    pub boards: Vec<DetectedBoard>,
    /// Candidates whose API did not confirm them, with the reason.
    pub rejected: Vec<(Candidate, Rejection)>,
    /// Pages of the site actually read (for the `pages` counter and politeness reports).
    pub pages_fetched: usize,
    /// Set when no page of the site could be read (the site is down, or the SSRF guard refused it).
    pub error: Option<SiteFailure>,
    /// JSON-LD scripts on the pages read that could not be read even leniently (skipped, counted).
    pub jsonld_malformed: u32,
}

impl Detection {
    /// Whether a candidate could not be confirmed because its provider was unavailable (worth another try).
    pub fn has_transient_rejection(&self) -> bool {
        self.rejected.iter().any(|(_, r)| r.is_transient())
    }
}

/// Finds the client of a provider (`None`: the provider is disabled): [`AtsClients`], or any
/// `Fn(Provider) -> Option<Arc<dyn AtsClient>>`. The discovery stage's lookup also pauses providers that
/// keep answering 429 (docs/stages.md#pauses).
pub trait ClientLookup: Sync {
    /// The client of `provider`; `None` when it is disabled (its candidates are then rejected as such).
    fn client(&self, provider: Provider) -> Option<Arc<dyn AtsClient>>;

    /// Whether `provider` is paused now: its candidates are not validated (no call is made).
    fn paused(&self, _provider: Provider) -> bool {
        false
    }

    /// Told the outcome of every validation call: `None` when the provider answered with a board.
    fn observe(&self, _provider: Provider, _error: Option<&AtsError>) {}
}

impl ClientLookup for AtsClients {
    fn client(&self, provider: Provider) -> Option<Arc<dyn AtsClient>> {
        self.get(provider)
    }
}

impl<F> ClientLookup for F
where
    F: Fn(Provider) -> Option<Arc<dyn AtsClient>> + Sync,
{
    fn client(&self, provider: Provider) -> Option<Arc<dyn AtsClient>> {
        self(provider)
    }
}

/// Runs discovery on `website`: `pages` fetches the site (it should carry the SSRF guard and the 2 MB /
/// 10 s page caps); `clients` validates candidates.
pub async fn detect(
    website: &Url,
    pages: &HttpClient,
    max_links: usize,
    clients: &dyn ClientLookup,
) -> Detection {
    let mut read: Vec<(Url, String)> = Vec::new();
    let mut first_error = None;
    for (i, url) in candidate_pages(website).into_iter().enumerate() {
        match pages.get(&url).await {
            Ok(page) if page.status == 200 => read.push((page.url.clone(), page.text())),
            Ok(_) => {}
            // The site itself cannot be reached (refused, unresolvable, guarded, timed out): its other
            // pages cannot be either.
            Err(e) if i == 0 && unreachable(&e) => {
                return Detection {
                    url: website.clone(),
                    boards: Vec::new(),
                    rejected: Vec::new(),
                    pages_fetched: 0,
                    error: Some(SiteFailure::unreachable(&e)),
                    jsonld_malformed: 0,
                };
            }
            Err(e) => {
                tracing::debug!(%url, error = %e, "discovery page not read");
                first_error.get_or_insert_with(|| e.to_string());
            }
        }
    }
    follow_career_links(&mut read, pages, max_links).await;
    // `providers.jsonld.enabled = false`: pages are not read for JSON-LD at all.
    let site = match clients.client(Provider::JsonLd) {
        Some(_) => jsonld::candidates(&mut read, pages).await,
        None => jsonld::SiteJsonLd::default(),
    };
    let (mut validated, mut rejected) = validate(scan_all(&read), clients).await;
    // The ATS boards first: a `jsonld` board the postings already read show to repeat one is not fetched.
    let (fresh, duplicates) = jsonld::seen_duplicates(site.candidates, &validated);
    rejected.extend(duplicates);
    let (more, more_rejected) = validate(fresh, clients).await;
    validated.extend(more);
    rejected.extend(more_rejected);
    let boards = jsonld::drop_duplicates(validated, &mut rejected);
    let error = read
        .is_empty()
        .then(|| SiteFailure::NoPage(first_error.unwrap_or_else(|| "no page could be read".into())));
    Detection {
        url: website.clone(),
        boards,
        rejected,
        pages_fetched: read.len(),
        error,
        jsonld_malformed: site.malformed,
    }
}

fn unreachable(error: &HttpError) -> bool {
    matches!(
        error,
        HttpError::Connect { .. } | HttpError::Timeout { .. } | HttpError::Refused { .. }
    )
}

async fn follow_career_links(read: &mut Vec<(Url, String)>, pages: &HttpClient, max_links: usize) {
    let mut seen: Vec<Url> = read.iter().map(|(u, _)| u.clone()).collect();
    let mut links = Vec::new();
    for (url, html) in read.iter() {
        for link in career_links(url, html, &seen, max_links.saturating_sub(links.len())) {
            seen.push(link.clone());
            links.push(link);
        }
    }
    for link in links {
        if let Ok(page) = pages.get(&link).await
            && page.status == 200
        {
            read.push((page.url.clone(), page.text()));
        }
    }
}

fn scan_all(read: &[(Url, String)]) -> Vec<Candidate> {
    let mut candidates: Vec<Candidate> = Vec::new();
    for (url, html) in read {
        for candidate in scan_page(url, html) {
            if !candidates.iter().any(|c| c.board == candidate.board) {
                candidates.push(candidate);
            }
        }
    }
    candidates
}

/// The candidates whose provider answered, each with the postings it listed (for telling a `jsonld` board
/// apart from the ATS board whose pages it repeats), and the others with the reason.
async fn validate(
    candidates: Vec<Candidate>,
    clients: &dyn ClientLookup,
) -> (
    Vec<(DetectedBoard, Vec<NormalizedPosting>)>,
    Vec<(Candidate, Rejection)>,
) {
    let (mut boards, mut rejected) = (Vec::new(), Vec::new());
    for candidate in candidates {
        let provider = candidate.board.provider;
        let Some(client) = clients.client(provider) else {
            rejected.push((candidate, Rejection::ProviderDisabled));
            continue;
        };
        if clients.paused(provider) {
            rejected.push((candidate, Rejection::Paused));
            continue;
        }
        let result = client.fetch_board(&candidate.board, None).await;
        clients.observe(provider, result.as_ref().err());
        match result {
            Ok(fetch) => boards.push((
                DetectedBoard {
                    job_count: fetch.postings.len(),
                    company_name: fetch.company_name,
                    candidate,
                },
                fetch.postings,
            )),
            // Paused while this call waited its turn or failed: not an answer about the board.
            Err(_) if clients.paused(provider) => rejected.push((candidate, Rejection::Paused)),
            Err(e) => rejected.push((candidate, Rejection::from_error(&e))),
        }
    }
    (boards, rejected)
}
