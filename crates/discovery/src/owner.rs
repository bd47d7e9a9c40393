//! Whether a board's owner, as its provider's API names it, plausibly is the company whose site linked it
//! (docs/stages.md#discovery-validation). A board that fails this check is kept as `suspect`: a site may
//! link a partner's or a parent's board, and ingesting it would credit the wrong company.

use pipeline_domain::{Provider, normalize_company_name};

/// Words that name no company in particular.
const GENERIC: &[&str] = &[
    "the",
    "and",
    "inc",
    "ltd",
    "llc",
    "gmbh",
    "group",
    "company",
    "careers",
    "career",
    "jobs",
    "job",
    "empleo",
    "talent",
    "team",
    "hiring",
    "global",
    "international",
    "labs",
    "technologies",
    "tech",
    // Sectors and trades: two companies of one sector share them ("Azahar Finance", "Vegakora Finance").
    "finance",
    "financial",
    "fintech",
    "pay",
    "payments",
    "capital",
    "bank",
    "insurance",
    "ventures",
    "health",
    "healthcare",
    "bio",
    "pharma",
    "medical",
    "energy",
    "solar",
    "logistics",
    "mobility",
    "transport",
    "travel",
    "robotics",
    "analytics",
    "data",
    "cloud",
    "software",
    "digital",
    "systems",
    "solutions",
    "consulting",
    "services",
    "studio",
    "media",
    "foods",
    "food",
    "retail",
    "security",
    "legal",
    "education",
    "games",
    // Spanish
    "grupo",
    "soluciones",
    "servicios",
    "sistemas",
    "tecnologia",
    "tecnologias",
    "energia",
    "salud",
    "logistica",
    "consultoria",
    "ingenieria",
    "digital",
];

/// Providers whose API answers any tenant, even one that does not exist, with an empty list
/// (SmartRecruiters, docs/ats-apis.md): there, an empty board with no company name confirms nothing.
pub fn answers_unknown_tenants(provider: Provider) -> bool {
    matches!(provider, Provider::SmartRecruiters)
}

fn words(text: &str) -> Vec<String> {
    let normalized = normalize_company_name(text).unwrap_or_default();
    normalized
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !GENERIC.contains(w))
        .map(str::to_owned)
        .collect()
}

fn squashed(text: &str) -> String {
    normalize_company_name(text)
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// `Ok` when the API gives no name, or its name shares a distinctive word with the company's name or the
/// first label of its domain (accents, case, legal forms and punctuation ignored: "Acme Corp, S.L." is
/// `acme-corp.es`). `Err` says why the board is suspect.
pub fn check_owner(
    api_name: Option<&str>,
    company_name: Option<&str>,
    domain: Option<&str>,
) -> Result<(), String> {
    let Some(api_name) = api_name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(());
    };
    let label = domain
        .and_then(|d| d.trim_start_matches("www.").split('.').next())
        .map(squashed)
        .unwrap_or_default();
    let ours: Vec<String> = company_name.map(words).unwrap_or_default();
    let (theirs, theirs_squashed) = (words(api_name), squashed(api_name));
    let company_squashed = company_name.map(squashed).unwrap_or_default();
    let shared_word = theirs
        .iter()
        .any(|w| ours.contains(w) || (label.len() >= 3 && label.contains(w.as_str())));
    let same_squashed = !theirs_squashed.is_empty()
        && [label.as_str(), company_squashed.as_str()].iter().any(|ours| {
            ours.len() >= 3 && (ours.contains(&theirs_squashed) || theirs_squashed.contains(ours))
        });
    if shared_word || same_squashed {
        Ok(())
    } else {
        Err(format!(
            "the provider names the board's company `{api_name}`, which matches neither the company's name nor its domain"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::check_owner;

    #[test]
    fn names_that_share_a_word_or_the_domain_match_and_strangers_do_not() {
        let ok = |api, name, domain| check_owner(Some(api), name, domain).is_ok();
        assert!(ok("Acme", Some("Acme Corp S.L."), Some("acme.com")));
        assert!(ok("ACME Careers", None, Some("acme.io")));
        assert!(ok("Pérez Logística", Some("Perez Logistica SA"), Some("pl.es")));
        assert!(ok("acmecorp", Some("Acme Corp"), Some("acme-corp.es")));
        assert!(ok("Acme Corp GmbH", Some("Something"), Some("acmecorp.de")));
        assert!(!ok("Zeta Industries", Some("Acme Corp"), Some("acme.com")));
        assert!(
            !ok(
                "dunaanalytics",
                Some("Vertex Logistics"),
                Some("vertexlogistics.test")
            ),
            "a partner's board"
        );
        assert!(
            !ok("Careers Team", Some("Acme"), Some("acme.com")),
            "generic words prove nothing"
        );
        assert!(
            check_owner(None, Some("Acme"), Some("acme.com")).is_ok(),
            "no name, nothing to doubt"
        );
        assert!(check_owner(Some("  "), Some("Acme"), None).is_ok());
        assert!(
            !ok(
                "Vegakora Finance",
                Some("Azahar Finance"),
                Some("azaharfinance.test")
            ),
            "a sector word is not a name"
        );
        assert!(ok(
            "Azahar Finance S.L.",
            Some("Azahar Finance"),
            Some("azaharfinance.test")
        ));
    }
}
