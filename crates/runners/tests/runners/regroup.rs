//! Repost groups of a company on several boards (docs/stages.md#repost-groups-across-boards): the same
//! groups whichever board is written first, even where resemblance is not transitive, and stable when the
//! same postings are written again.

use std::collections::BTreeMap;

use pipeline_db::testing::TestDb;
use pipeline_domain::{Counter, NormalizedPosting};

use super::persist::{another_board, board, posting, rows, write};

/// `n` distinct words starting with `prefix`.
fn words(prefix: &str, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!(
                "{prefix}{}{}",
                (b'a' + (i / 26) as u8) as char,
                (b'a' + (i % 26) as u8) as char
            )
        })
        .collect()
}

/// Three postings where resemblance is not transitive: x is like y (overlap 0.900) and more like z
/// (0.925), while z is not like y (0.825). y and z are on one board, published on days 1 and 2; x on the
/// other, on day 3.
fn postings() -> (NormalizedPosting, NormalizedPosting, NormalizedPosting) {
    let shared = words("core", 40);
    let b = words("bee", 4);
    let c = words("sea", 3);
    let y = shared.join(" ");
    let x = [&shared[..36], &b[..]].concat().join(" ");
    let z = [&shared[..33], &b[..], &c[..]].concat().join(" ");
    (
        posting("x", "Role Xavier", &x, 3),
        posting("y", "Role Yolanda", &y, 1),
        posting("z", "Role Zoe", &z, 2),
    )
}

/// Each posting's external id → (its canonical's external id, its repost count), after the boards are
/// written in `order` (0: x's board, 1: the board of y and z), each as often as it appears.
fn groups_after(order: &[usize]) -> (BTreeMap<String, (Option<String>, i32)>, u64) {
    let test = TestDb::new();
    let first = board(&test, "acme.test", "greenhouse:acme");
    let second = another_board(&test, first.0, "lever:acme");
    let (x, y, z) = postings();
    let boards = [(first, vec![x]), (second, vec![y, z])];
    let mut reposts = 0;
    for &i in order {
        let (ids, postings) = boards[i].clone();
        let counters = write(&test, ids, postings, true, super::start());
        reposts += counters.get(Counter::PostingsReposts);
    }
    let rows = rows(&test, first.0);
    let external = |id: i64| rows.iter().find(|r| r.id == id).map(|r| r.external_id.clone());
    let groups = rows
        .iter()
        .map(|r| {
            let canonical = r.canonical_id.and_then(external);
            (r.external_id.clone(), (canonical, r.repost_count))
        })
        .collect();
    (groups, reposts)
}

#[test]
fn a_companys_groups_do_not_depend_on_which_board_is_written_first() {
    let expected: BTreeMap<String, (Option<String>, i32)> = [
        ("x".to_owned(), (Some("z".to_owned()), 0)),
        ("y".to_owned(), (None, 0)),
        ("z".to_owned(), (None, 1)),
    ]
    .into();
    let (one_way, reposts) = groups_after(&[0, 1]);
    assert_eq!(one_way, expected, "x's board first");
    assert_eq!(reposts, 1, "x counted once as a repost");
    let (other_way, reposts) = groups_after(&[1, 0]);
    assert_eq!(other_way, expected, "y and z's board first");
    assert_eq!(reposts, 1);
}

#[test]
fn writing_the_same_postings_again_changes_no_group() {
    let (again, reposts) = groups_after(&[0, 1, 0, 1, 1]);
    let (once, _) = groups_after(&[1, 0]);
    assert_eq!(again, once);
    assert_eq!(reposts, 1, "a repost is counted once, never again on re-runs");
}
