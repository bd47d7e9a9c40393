//! Aggregation tests: the original's 14 aggregateCompany cases (docs/original-system.md#ref-12) and the
//! activity metrics.

use chrono::{DateTime, TimeZone, Utc};

use super::*;

fn at(month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, month, day, 0, 0, 0).unwrap()
}

fn now() -> DateTime<Utc> {
    at(3, 1)
}

fn posting(id: i64, score: u8) -> PostingForAggregation {
    PostingForAggregation {
        id,
        canonical_id: None,
        repost_count: 0,
        published_at: None,
        updated_at: None,
        first_seen_at: at(1, 1),
        last_seen_at: at(1, 1),
        closed_at: None,
        score: Some(score),
        top_category_id: None,
    }
}

fn with_category(mut p: PostingForAggregation, category: &str) -> PostingForAggregation {
    p.top_category_id = Some(category.into());
    p
}

fn run(postings: &[PostingForAggregation]) -> CompanyAggregate {
    aggregate(postings, now(), 6)
}

/// The nine metrics of docs/original-system.md#ref-9-2, with the activity fields blanked.
fn original_metrics(mut a: CompanyAggregate) -> CompanyAggregate {
    (
        a.open_offer_count,
        a.new_offers_30d,
        a.closed_offers_30d,
        a.first_seen_at,
        a.last_seen_at,
    ) = (0, 0, 0, None, None);
    a
}

#[test]
fn no_postings_give_the_defaults() {
    assert_eq!(run(&[]), CompanyAggregate::default());
    assert_eq!(run(&[]).avg_strong_score, None);
}

#[test]
fn only_reposts_give_the_defaults() {
    let mut a = posting(1, 8);
    let mut b = posting(2, 7);
    (a.canonical_id, b.canonical_id) = (Some(100), Some(100));
    assert_eq!(original_metrics(run(&[a, b])), CompanyAggregate::default());
}

#[test]
fn unique_offer_count_counts_canonical_postings_only() {
    let mut reposts = [posting(3, 7), posting(4, 8)];
    for p in &mut reposts {
        p.canonical_id = Some(1);
    }
    let [c, d] = reposts;
    assert_eq!(run(&[posting(1, 5), posting(2, 6), c, d]).unique_offer_count, 2);
}

#[test]
fn offer_count_weights_reposts() {
    let mut postings = [posting(1, 5), posting(2, 6), posting(3, 7)];
    (postings[0].repost_count, postings[2].repost_count) = (3, 2);
    assert_eq!(run(&postings).offer_count, 8);
}

#[test]
fn strong_means_at_least_the_threshold() {
    let postings = [posting(1, 5), posting(2, 6), posting(3, 8), posting(4, 10)];
    assert_eq!(run(&postings).strong_offer_count, 3);
    assert_eq!(aggregate(&postings, now(), 9).strong_offer_count, 1);
}

#[test]
fn avg_strong_score_is_a_plain_mean() {
    let mut postings = [posting(1, 5), posting(2, 6), posting(3, 8), posting(4, 10)];
    (postings[1].repost_count, postings[3].repost_count) = (10, 5);
    let result = run(&postings);
    assert_eq!(
        (result.avg_strong_score, result.strong_offer_count),
        (Some(8.0), 3)
    );
}

#[test]
fn no_strong_postings_no_average() {
    let result = run(&[posting(1, 3), posting(2, 5)]);
    assert_eq!((result.strong_offer_count, result.avg_strong_score), (0, None));
}

#[test]
fn the_top_posting_has_the_highest_score() {
    let postings = [
        with_category(posting(1, 5), "cat_tier1"),
        with_category(posting(2, 9), "cat_tier3"),
        with_category(posting(3, 7), "cat_tier2"),
    ];
    let result = run(&postings);
    assert_eq!(
        (
            result.max_score,
            result.top_offer_id,
            result.top_category_id.as_deref()
        ),
        (9, Some(2), Some("cat_tier3"))
    );
}

#[test]
fn top_ties_go_to_the_latest_published_time() {
    let mut postings = [
        with_category(posting(1, 8), "cat_a"),
        with_category(posting(2, 8), "cat_b"),
        with_category(posting(3, 8), "cat_c"),
    ];
    (postings[0].published_at, postings[0].updated_at) = (Some(at(1, 1)), Some(at(1, 5)));
    (postings[1].published_at, postings[1].updated_at) = (Some(at(1, 10)), Some(at(1, 2)));
    (postings[2].published_at, postings[2].updated_at) = (Some(at(1, 3)), Some(at(1, 15)));
    let result = run(&postings);
    assert_eq!(
        (result.top_offer_id, result.top_category_id.as_deref()),
        (Some(2), Some("cat_b"))
    );
}

#[test]
fn top_ties_fall_back_to_the_updated_time() {
    let mut postings = [posting(1, 7), posting(2, 7)];
    (postings[0].updated_at, postings[1].updated_at) = (Some(at(1, 1)), Some(at(1, 10)));
    assert_eq!(run(&postings).top_offer_id, Some(2));
}

#[test]
fn top_ties_without_times_keep_the_first_posting() {
    assert_eq!(run(&[posting(200, 6), posting(100, 6)]).top_offer_id, Some(100));
}

#[test]
fn category_max_scores_keep_each_top_categorys_best_score() {
    let postings = [
        with_category(posting(1, 5), "cat_a"),
        with_category(posting(2, 8), "cat_a"),
        with_category(posting(3, 7), "cat_b"),
        with_category(posting(4, 9), "cat_c"),
        posting(5, 10),
        with_category(posting(6, 0), "cat_d"),
        with_category(posting(7, 4), ""),
    ];
    let scores: Vec<(String, u8)> = run(&postings).category_max_scores.into_iter().collect();
    assert_eq!(
        scores,
        [("cat_a".into(), 8), ("cat_b".into(), 7), ("cat_c".into(), 9)]
    );
}

#[test]
fn last_strong_at_is_the_latest_strong_time() {
    let mut postings = [posting(1, 7), posting(2, 8), posting(3, 5)];
    (
        postings[0].published_at,
        postings[1].published_at,
        postings[2].published_at,
    ) = (Some(at(1, 1)), Some(at(1, 15)), Some(at(1, 20)));
    assert_eq!(run(&postings).last_strong_at, Some(at(1, 15)));
}

#[test]
fn last_strong_at_needs_a_time() {
    assert_eq!(run(&[posting(1, 7)]).last_strong_at, None);
}

#[test]
fn unscored_postings_count_as_zero() {
    let mut p = posting(1, 0);
    p.score = None;
    let result = run(&[p, posting(2, 0)]);
    assert_eq!(
        (result.max_score, result.top_offer_id, result.unique_offer_count),
        (0, Some(1), 2)
    );
}

#[test]
fn activity_counts_open_new_and_closed_postings_with_their_reposts() {
    let mut open_old = posting(1, 5);
    let mut new_one = posting(2, 5);
    let mut closed_recently = posting(3, 5);
    let mut closed_long_ago = posting(4, 5);
    let mut reposted = posting(5, 5);
    let mut repost = posting(6, 5);
    new_one.first_seen_at = at(2, 20);
    (closed_recently.closed_at, closed_long_ago.closed_at) = (Some(at(2, 15)), Some(at(1, 10)));
    // The canonical closed long ago, but its repost (first seen recently) is still open.
    (
        reposted.closed_at,
        repost.canonical_id,
        repost.first_seen_at,
        repost.last_seen_at,
    ) = (Some(at(1, 5)), Some(5), at(2, 25), at(2, 28));
    open_old.last_seen_at = at(2, 27);
    let result = run(&[
        open_old,
        new_one,
        closed_recently,
        closed_long_ago,
        reposted,
        repost,
    ]);
    assert_eq!(
        (
            result.open_offer_count,
            result.new_offers_30d,
            result.closed_offers_30d
        ),
        (3, 1, 1)
    );
    assert_eq!(
        (result.first_seen_at, result.last_seen_at),
        (Some(at(1, 1)), Some(at(2, 28)))
    );
    assert_eq!(result.unique_offer_count, 5);
}
