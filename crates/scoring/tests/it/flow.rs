//! The pieces together, as the ingestion and scoring stages use them: a board's postings processed in
//! order, reposts found without the board's boilerplate, canonical postings scored, the company aggregated.
//! Also a catalog of another sales team, with its own buckets and core, loaded from TOML.

use std::collections::HashSet;

use chrono::{DateTime, TimeZone, Utc};
use pipeline_scoring::{
    CanonicalPosting, Catalog, CompiledCatalog, PostingForAggregation, RepostProfile, RepostReason,
    aggregate, boilerplate_paragraphs, detect_repost, ordering_key,
};

const BLURB: &str = "About us: Acme Pagos is a Madrid fintech serving twenty thousand small companies across \
                     Spain and Portugal with invoicing, cards and expense management in one simple app.";

fn jan(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, day, 9, 0, 0).unwrap()
}

struct Fetched {
    external_id: &'static str,
    published_at: DateTime<Utc>,
    title: &'static str,
    body: &'static str,
}

fn board() -> Vec<Fetched> {
    let treasury = "Gestionarás la tesorería y los pagos internacionales en USD y GBP con bancos de EEUU.";
    vec![
        Fetched {
            external_id: "t-2",
            published_at: jan(5),
            title: "Treasury Analyst (Madrid)",
            body: treasury,
        },
        Fetched {
            external_id: "b-1",
            published_at: jan(1),
            title: "Backend Engineer",
            body: "Go, AWS and Postgres.",
        },
        Fetched {
            external_id: "t-1",
            published_at: jan(3),
            title: "Treasury Analyst",
            body: treasury,
        },
        Fetched {
            external_id: "s-1",
            published_at: jan(2),
            title: "Sales",
            body: "Sell our SaaS to SMEs.",
        },
    ]
}

#[test]
fn a_board_from_fetch_to_company_aggregate() {
    let catalog = CompiledCatalog::builtin();
    let mut fetched = board();
    fetched.sort_by_key(|f| ordering_key(Some(f.published_at), f.external_id));
    let descriptions: Vec<String> = fetched.iter().map(|f| format!("{}\n{BLURB}", f.body)).collect();
    let boilerplate = boilerplate_paragraphs(&descriptions.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(boilerplate.len(), 1);

    let mut canonicals: Vec<CanonicalPosting> = Vec::new();
    let mut rows: Vec<PostingForAggregation> = Vec::new();
    for (i, (posting, description)) in fetched.iter().zip(&descriptions).enumerate() {
        let id = i64::try_from(i).unwrap() + 1;
        let profile = RepostProfile::new(posting.title, description, &boilerplate);
        let repost = detect_repost(&profile, &canonicals);
        let result = catalog.score_posting(posting.title, description);
        rows.push(PostingForAggregation {
            id,
            canonical_id: repost.map(|r| r.canonical_id),
            repost_count: 0,
            published_at: Some(posting.published_at),
            updated_at: None,
            first_seen_at: posting.published_at,
            last_seen_at: posting.published_at,
            closed_at: None,
            score: Some(result.score),
            top_category_id: result.top_category_id,
        });
        match repost {
            Some(found) => {
                assert_eq!(
                    (posting.external_id, found.reason),
                    ("t-2", RepostReason::DescriptionSimilarity)
                );
                rows.iter_mut()
                    .find(|r| r.id == found.canonical_id)
                    .unwrap()
                    .repost_count += 1;
            }
            None => canonicals.push(CanonicalPosting {
                id,
                profile,
                last_seen_at: None,
                published_at: Some(posting.published_at),
                updated_at: None,
            }),
        }
    }
    let ids: Vec<&str> = fetched.iter().map(|f| f.external_id).collect();
    assert_eq!(ids, ["b-1", "s-1", "t-1", "t-2"]);

    let company = aggregate(&rows, jan(20), catalog.rules().strong_threshold);
    assert_eq!(
        (
            company.unique_offer_count,
            company.offer_count,
            company.strong_offer_count
        ),
        (3, 4, 1)
    );
    assert_eq!((company.max_score, company.top_offer_id), (10, Some(3)));
    assert_eq!(
        company.top_category_id.as_deref(),
        Some("cat_fx_crossborder_payments")
    );
    assert_eq!(company.category_max_scores.len(), 3);
    assert_eq!(
        (
            company.last_strong_at,
            company.open_offer_count,
            company.new_offers_30d
        ),
        (Some(jan(3)), 3, 3)
    );
}

const CLOUD_TEAM: &str = r#"
version = "cloud-1"

[[categories]]
id = "migration"
name = "Cloud migration"
tier = 3

[[categories]]
id = "stack"
name = "Cloud stack"
tier = 1

[[keywords]]
id = "kw_migration"
category_id = "migration"
canonical = "Migration"
aliases = ["cloud migration", "migración a la nube"]

[[keywords]]
id = "kw_aws"
category_id = "stack"
canonical = "AWS"
aliases = ["aws", "amazon web services"]

[scoring]
strong_threshold = 5
default_bucket = "tools"
synergies = []

[scoring.core]
bucket = "intent"
threshold = 4.0
no_core_max_score = 2.0

[[scoring.buckets]]
name = "intent"
cap = 8.0
category_prefixes = ["migration"]

[[scoring.buckets]]
name = "tools"
cap = 2.0

[scoring.negation]
cues = ["ningún", "never"]
"#;

#[test]
fn another_team_targets_another_signal_with_catalog_data_only() {
    let catalog = CompiledCatalog::new(&Catalog::from_toml_str(CLOUD_TEAM).unwrap()).unwrap();
    assert_ne!(catalog.version(), CompiledCatalog::builtin().version());

    let lead = catalog.score_posting("Platform engineer", "Lidera la migración a la nube hacia AWS.");
    assert_eq!(
        (lead.score, lead.strong, lead.top_category_id.as_deref()),
        (5, true, Some("migration"))
    );
    assert_eq!(lead.explanation.bucket_scores["intent"], 4.0);

    let tools_only = catalog.score_posting("AWS engineer", "AWS, never a cloud migration. No USD.");
    assert!(!tools_only.explanation.fx_core);
    assert_eq!((tools_only.score, tools_only.explanation.raw_score), (2, 1.5));
    assert!(
        tools_only
            .explanation
            .keyword_hits
            .iter()
            .any(|h| h.keyword_id == "kw_migration" && h.negated)
    );
    assert!(tools_only.explanation.phrase_hits.is_empty());

    let unrelated: HashSet<&str> = ["kw_usd_currency"].into();
    assert!(
        lead.explanation
            .keyword_hits
            .iter()
            .all(|h| !unrelated.contains(h.keyword_id.as_str()))
    );
}
