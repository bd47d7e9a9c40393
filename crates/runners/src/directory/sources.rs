//! Builds the directory sources a configuration declares.

use std::sync::Arc;

use pipeline_directory::builtin::BuiltinDirectory;
use pipeline_directory::{
    BuiltinSource, CsvSource, DirectorySource, JsonSource, Location, ReadCaps, ScraperCaps,
};
use pipeline_domain::config::{DirectoryConfig, DirectorySourceConfig, SourceEncoding, SourceKind};
use pipeline_http::HttpClient;
use url::Url;

/// The built-in scrapers (in `directory.builtin` order) followed by the user's sources (in file order).
/// Errors name the offending key; the configuration was validated before, so they are not expected.
pub fn sources_from_config(
    cfg: &DirectoryConfig,
    http: &HttpClient,
) -> Result<Vec<Arc<dyn DirectorySource>>, String> {
    let caps = ScraperCaps {
        max_detail_pages: cfg.max_detail_pages as usize,
        max_companies: cfg.max_companies_per_source as usize,
    };
    let mut sources: Vec<Arc<dyn DirectorySource>> = Vec::new();
    for key in &cfg.builtin {
        let directory =
            BuiltinDirectory::parse(key).ok_or_else(|| format!("directory.builtin: unknown `{key}`"))?;
        let url = cfg
            .builtin_urls
            .get(key)
            .map(String::as_str)
            .unwrap_or(directory.default_listing_url());
        let listing_url = Url::parse(url).map_err(|e| format!("directory.builtin_urls.{key}: {e}"))?;
        sources.push(Arc::new(BuiltinSource {
            directory,
            listing_url,
            caps,
            http: http.clone(),
        }));
    }
    let read_caps = ReadCaps {
        max_record: cfg.max_record_size.as_usize(),
        max_source: cfg.max_source_size.as_u64(),
    };
    for source in &cfg.sources {
        sources.push(user_source(source, read_caps, http)?);
    }
    Ok(sources)
}

fn user_source(
    cfg: &DirectorySourceConfig,
    caps: ReadCaps,
    http: &HttpClient,
) -> Result<Arc<dyn DirectorySource>, String> {
    let key = |k: &str| format!("directory.sources `{}`: {k}", cfg.name);
    let location = match (&cfg.path, &cfg.url) {
        (Some(path), None) => Location::File(path.clone()),
        (None, Some(url)) => Location::Url(Url::parse(url).map_err(|e| format!("{}: {e}", key("url")))?),
        _ => return Err(key("exactly one of `path` and `url` is required")),
    };
    Ok(match cfg.kind {
        SourceKind::Csv => Arc::new(CsvSource {
            name: cfg.name.clone(),
            location,
            name_field: cfg.name_field.clone(),
            website_field: cfg.website_field.clone(),
            delimiter: cfg
                .delimiter_byte()
                .map_err(|e| format!("{}: {e}", key("delimiter")))?,
            encoding: match cfg
                .text_encoding()
                .map_err(|e| format!("{}: {e}", key("encoding")))?
            {
                SourceEncoding::Utf8 => None,
                SourceEncoding::Windows1252 => Some(encoding_rs::WINDOWS_1252),
            },
            multiline_fields: cfg.multiline_fields,
            caps,
            http: http.clone(),
        }),
        SourceKind::Json => Arc::new(JsonSource {
            name: cfg.name.clone(),
            location,
            name_field: cfg.name_field.clone(),
            website_field: cfg.website_field.clone(),
            caps,
            http: http.clone(),
        }),
    })
}
