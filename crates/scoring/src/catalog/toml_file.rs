//! Reading a TOML catalog: serde for the shape (its errors carry a span), then validation, with every
//! problem located on its line through the document's spans.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::line_at;
use super::validate::{self, Seg};
use super::{Catalog, CatalogError, CatalogFormat, CatalogIssue};

pub(super) fn parse(text: &str) -> Result<Catalog, CatalogError> {
    let catalog: Catalog = toml::from_str(text).map_err(|e| CatalogError::Syntax {
        format: "TOML",
        line: e.span().map(|span| line_at(text, span.start)),
        message: e.message().trim().to_owned(),
    })?;
    let issues = validate::issues(&catalog);
    if issues.is_empty() {
        return Ok(catalog);
    }
    let document = DeTable::parse(text).ok();
    let issues = issues
        .iter()
        .map(|issue| CatalogIssue {
            line: document
                .as_ref()
                .and_then(|doc| span_of(doc, &issue.path))
                .map(|span| line_at(text, span.start)),
            ..CatalogIssue::unlocated(issue, CatalogFormat::Toml)
        })
        .collect();
    Err(CatalogError::Invalid { issues })
}

/// The span of the deepest part of `path` present in the document (a defaulted key has no span of its
/// own, so its table's is used; a wholly defaulted section has none).
fn span_of(document: &Spanned<DeTable<'_>>, path: &[Seg]) -> Option<Range<usize>> {
    let (Seg::Key(first), rest) = path.split_first()? else {
        return None;
    };
    let mut current: &Spanned<DeValue<'_>> = document.get_ref().get(*first)?;
    for seg in rest {
        let next = match seg {
            Seg::Key(key) => current.get_ref().get(*key),
            Seg::Index(index) => current.get_ref().get(*index),
        };
        match next {
            Some(value) => current = value,
            None => break,
        }
    }
    Some(current.span())
}
