//! The three built-in Spanish startup directories (docs/original-system.md#ref-3,
//! docs/stages.md#directory-builtin): which pages to start from and how to read their listing and detail
//! pages. Pure HTML parsing with `scraper`; no I/O happens here.

mod detail_url;
mod dom;
mod listing;
mod website;

#[cfg(test)]
mod detail_url_tests;
#[cfg(test)]
mod directory_tests;
#[cfg(test)]
mod listing_tests;
#[cfg(test)]
mod website_tests;

pub use listing::listing_cards;
pub use website::detail_website;

/// One of the built-in directories, run in the order of [`BuiltinDirectory::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BuiltinDirectory {
    /// Startups Hub Catalonia.
    Catalonia,
    /// Madri+d "casos de éxito" startups.
    Madrimasd,
    /// Lanzadera (Valencia) portfolio.
    Lanzadera,
}

impl BuiltinDirectory {
    /// Every built-in directory, in the order the original ran them.
    pub const ALL: [BuiltinDirectory; 3] = [Self::Catalonia, Self::Madrimasd, Self::Lanzadera];

    /// The key used in configuration and logs.
    pub fn key(self) -> &'static str {
        match self {
            Self::Catalonia => "catalonia",
            Self::Madrimasd => "madrimasd",
            Self::Lanzadera => "lanzadera",
        }
    }

    /// The directory whose [`key`](Self::key) is exactly `key`.
    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|dir| dir.key() == key)
    }

    /// The listing page the original scraped.
    pub fn default_listing_url(self) -> &'static str {
        match self {
            Self::Catalonia => "https://startupshub.catalonia.com/list-of-startups",
            Self::Madrimasd => {
                "https://startups.madrimasd.org/emprendedores/emprendedores-casos-exito/nuevas-empresas-madrid"
            }
            Self::Lanzadera => "https://lanzadera.es/proyectos/",
        }
    }
}

/// A company card of a listing page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The card title: text of the title element, whitespace collapsed, trimmed; never empty.
    pub name: String,
    /// The canonical detail page: same host as the listing, no query or fragment, no trailing slash.
    pub detail_url: url::Url,
}
