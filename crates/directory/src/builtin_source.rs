//! The built-in directory scrapers as sources: listing page → cards → detail pages (sequentially, capped)
//! → the first acceptable external link as the website (docs/original-system.md#ref-3).

use std::collections::HashSet;

use async_trait::async_trait;
use pipeline_domain::{CompanyInput, normalize_company_name, website_domain};
use tokio::sync::mpsc;
use url::Url;

use super::builtin::{BuiltinDirectory, detail_website, listing_cards};
use super::{DirectorySource, SourceError, SourceItem};
use pipeline_http::HttpClient;

/// Caps of one scrape (docs/original-system.md#ref-3: 50 detail pages, 50 companies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScraperCaps {
    /// Detail pages read per scrape (`directory.max_detail_pages`), to bound the load on the site.
    pub max_detail_pages: usize,
    /// Companies taken per scrape (`directory.max_companies_per_source`, or `once --limit`).
    pub max_companies: usize,
}

impl Default for ScraperCaps {
    fn default() -> Self {
        Self {
            max_detail_pages: 50,
            max_companies: 50,
        }
    }
}

/// One built-in directory at a listing URL (the real site's, or an override).
#[derive(Debug, Clone)]
pub struct BuiltinSource {
    /// Which directory (its page layout, its source name).
    pub directory: BuiltinDirectory,
    /// The listing page the scrape starts from.
    pub listing_url: Url,
    /// How much one scrape may read.
    pub caps: ScraperCaps,
    /// The client the pages are fetched with (the SSRF-guarded site client).
    pub http: HttpClient,
}

#[async_trait]
impl DirectorySource for BuiltinSource {
    fn name(&self) -> &str {
        self.directory.key()
    }

    async fn read(&self, sink: mpsc::Sender<SourceItem>) -> Result<(), SourceError> {
        let listing = self.http.get(&self.listing_url).await?;
        let cards = listing_cards(self.directory, &self.listing_url, &listing.text());
        if cards.is_empty() {
            tracing::warn!(source = self.name(), url = %self.listing_url, "listing page has no cards (layout changed?)");
        }
        let (mut names, mut domains, mut companies) = (HashSet::new(), HashSet::new(), 0);
        for card in cards.into_iter().take(self.caps.max_detail_pages) {
            if companies >= self.caps.max_companies {
                break;
            }
            let Some(normalized) = normalize_company_name(&card.name) else {
                continue;
            };
            if !names.insert(normalized) {
                continue;
            }
            let item = self.visit(&card.name, &card.detail_url, &mut domains).await;
            companies += usize::from(matches!(item, SourceItem::Company { .. }));
            sink.send(item).await.map_err(|_| SourceError::Stopped)?;
        }
        Ok(())
    }
}

impl BuiltinSource {
    async fn visit(&self, name: &str, detail_url: &Url, domains: &mut HashSet<String>) -> SourceItem {
        let location = detail_url.to_string();
        let page = match self.http.get(detail_url).await {
            Ok(page) => page,
            Err(e) => {
                return SourceItem::Bad {
                    location,
                    reason: format!("detail page: {e}"),
                };
            }
        };
        let website = detail_website(self.directory, detail_url, &page.text(), domains);
        if let Some(domain) = website.as_ref().and_then(website_domain) {
            domains.insert(domain);
        }
        match CompanyInput::from_listing(Some(name), website.as_ref().map(Url::as_str)) {
            Ok(input) => SourceItem::Company { input, location },
            Err(e) => SourceItem::Bad {
                location,
                reason: e.to_string(),
            },
        }
    }
}
