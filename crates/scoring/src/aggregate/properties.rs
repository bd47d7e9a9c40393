//! Aggregation properties (docs/stages.md#aggregation): deterministic and idempotent, whatever the order the
//! postings come in — aggregating twice, or a shuffled copy, gives identical metrics.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;

use super::{PostingForAggregation, aggregate};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

/// The fields of one generated posting before ids are given out: `repost_of` picks an earlier posting
/// (modulo how many there are) to repost, when that one is canonical.
#[derive(Debug, Clone)]
struct Raw {
    repost_of: Option<usize>,
    repost_count: u32,
    published_hours_ago: Option<i64>,
    updated_hours_ago: Option<i64>,
    first_seen_hours_ago: i64,
    seen_for_hours: i64,
    closed_after_hours: Option<i64>,
    score: Option<u8>,
    category: Option<usize>,
}

const CATEGORIES: [&str; 4] = [
    "cat_fx_currency_ops",
    "cat_fx_trade_ops",
    "cat_proxy_cloud_stack",
    "",
];

fn raw() -> impl Strategy<Value = Raw> {
    // A handful of distinct hours, so ties of score and timestamp are frequent.
    let hours = || prop_oneof![Just(0i64), Just(24), Just(24 * 29), Just(24 * 31), 0i64..24 * 90];
    (
        (proptest::option::of(0..40usize), 0..3u32),
        (proptest::option::of(hours()), proptest::option::of(hours())),
        (hours(), 0..24 * 40i64, proptest::option::of(0..24 * 40i64)),
        (
            proptest::option::of(0..=10u8),
            proptest::option::of(0..CATEGORIES.len()),
        ),
    )
        .prop_map(
            |((repost_of, repost_count), (published, updated), (first, seen, closed), (score, category))| {
                Raw {
                    repost_of,
                    repost_count,
                    published_hours_ago: published,
                    updated_hours_ago: updated,
                    first_seen_hours_ago: first,
                    seen_for_hours: seen,
                    closed_after_hours: closed,
                    score,
                    category,
                }
            },
        )
}

/// A company's postings: ids 1..=n (as stored), each repost pointing at an earlier canonical posting.
fn company() -> impl Strategy<Value = Vec<PostingForAggregation>> {
    proptest::collection::vec(raw(), 0..30).prop_map(|raws| {
        let hours_ago = |h: i64| now() - TimeDelta::hours(h);
        let mut postings: Vec<PostingForAggregation> = Vec::with_capacity(raws.len());
        for (index, r) in raws.into_iter().enumerate() {
            let canonical_id = r
                .repost_of
                .filter(|_| index > 0)
                .map(|pick| &postings[pick % index])
                .filter(|p| p.canonical_id.is_none())
                .map(|p| p.id);
            let first_seen_at = hours_ago(r.first_seen_hours_ago);
            postings.push(PostingForAggregation {
                id: i64::try_from(index).unwrap() + 1,
                canonical_id,
                repost_count: r.repost_count,
                published_at: r.published_hours_ago.map(hours_ago),
                updated_at: r.updated_hours_ago.map(hours_ago),
                first_seen_at,
                last_seen_at: first_seen_at + TimeDelta::hours(r.seen_for_hours),
                closed_at: r.closed_after_hours.map(|h| first_seen_at + TimeDelta::hours(h)),
                score: r.score,
                top_category_id: r.category.map(|c| CATEGORIES[c].to_owned()),
            });
        }
        postings
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn aggregating_twice_gives_identical_metrics(postings in company(), strong in 1..=10u8) {
        let first = aggregate(&postings, now(), strong);
        let second = aggregate(&postings.clone(), now(), strong);
        prop_assert_eq!(first, second);
    }

    #[test]
    fn the_order_of_the_postings_does_not_matter(
        (postings, shuffled) in company().prop_flat_map(|p| (Just(p.clone()), Just(p).prop_shuffle())),
        strong in 1..=10u8,
    ) {
        let in_order = aggregate(&postings, now(), strong);
        let reordered = aggregate(&shuffled, now(), strong);
        prop_assert_eq!(in_order, reordered);
    }

    #[test]
    fn reversed_input_gives_identical_metrics(postings in company()) {
        let mut reversed = postings.clone();
        reversed.reverse();
        prop_assert_eq!(aggregate(&postings, now(), 6), aggregate(&reversed, now(), 6));
    }
}
