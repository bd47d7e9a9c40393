//! Repost tests: the original's repostDetection and offerFingerprint cases (docs/original-system.md#ref-12),
//! the boilerplate refinement and the processing order of docs/stages.md#repost-detection.

use std::collections::HashSet;

use chrono::{DateTime, TimeZone, Utc};

use super::*;

fn profile(title: &str, description: &str) -> RepostProfile {
    RepostProfile::new(title, description, &HashSet::new())
}

fn canonical(id: i64, title: &str, description: &str) -> CanonicalPosting {
    CanonicalPosting {
        id,
        profile: profile(title, description),
        last_seen_at: None,
        published_at: None,
        updated_at: None,
    }
}

fn day(d: u32) -> Option<DateTime<Utc>> {
    Some(Utc.with_ymd_and_hms(2024, 1, d, 10, 0, 0).unwrap())
}

#[test]
fn no_canonicals_no_repost() {
    assert_eq!(
        find_canonical(&profile("Senior Developer", "We hire."), &[]),
        None
    );
}

#[test]
fn identical_normalized_title_is_a_repost_of_the_lowest_id() {
    let incoming = profile("FULL-STACK Developer (React/Node)", "");
    let canonicals = [
        canonical(3, "Full-Stack Developer (React/Node)", "Another"),
        canonical(1, "Different Title", "Something"),
        canonical(2, "full stack developer react node", "Different description"),
    ];
    let found = detect_repost(&incoming, &canonicals).unwrap();
    assert_eq!((found.canonical_id, found.reason), (2, RepostReason::ExactTitle));
}

#[test]
fn no_description_and_no_title_match_is_not_a_repost() {
    let canonicals = [canonical(50, "Backend Developer", "Looking for backend engineer")];
    assert_eq!(
        find_canonical(&profile("Frontend Developer", "  "), &canonicals),
        None
    );
}

#[test]
fn multiset_overlap_at_threshold_is_a_repost() {
    let incoming = profile("Position A", "python python python node node javascript");
    let found = detect_repost(
        &incoming,
        &[canonical(
            80,
            "Position B",
            "python python python node node javascript",
        )],
    );
    assert_eq!(
        found,
        Some(RepostMatch {
            canonical_id: 80,
            reason: RepostReason::DescriptionSimilarity,
            similarity: Some(1.0)
        })
    );
    let multiset = ["python", "python", "node"].map(String::from);
    assert_eq!(
        token_overlap(&multiset, &["python", "node", "node"].map(String::from)),
        2.0 / 3.0
    );
}

#[test]
fn overlap_below_threshold_is_not_a_repost() {
    let incoming = profile("Job X", "one two three four five six seven eight nine ten");
    let canonicals = [canonical(
        110,
        "Job Y",
        "one two three four five six seven eight DIFF1 DIFF2",
    )];
    assert_eq!(find_canonical(&incoming, &canonicals), None);
}

#[test]
fn canonicals_without_description_are_skipped() {
    let incoming = profile(
        "Engineer",
        "We need an experienced engineer with JavaScript skills",
    );
    let canonicals = [
        canonical(130, "Developer", ""),
        canonical(131, "Programmer", " - "),
        canonical(
            132,
            "Coder",
            "We need an experienced engineer with JavaScript skills",
        ),
    ];
    assert_eq!(find_canonical(&incoming, &canonicals), Some(132));
}

#[test]
fn the_highest_overlap_wins() {
    let incoming = profile("Offer", "one two three four five six seven eight nine ten");
    let canonicals = [
        canonical(
            160,
            "Candidate A",
            "one two three four five six seven eight nine DIFF",
        ),
        canonical(
            161,
            "Candidate B",
            "one two three four five six seven eight nine ten",
        ),
    ];
    assert_eq!(find_canonical(&incoming, &canonicals), Some(161));
    assert_eq!(find_canonical(&incoming, &canonicals[..1]), Some(160)); // 0.90 is enough
}

#[test]
fn equal_overlap_prefers_the_most_recent_last_seen_then_published_then_updated() {
    let incoming = profile("Job", "skill1 skill2 skill3");
    let mut a = canonical(180, "Other", "skill1 skill2 skill3");
    let mut b = canonical(181, "Another", "skill1 skill2 skill3");
    (a.last_seen_at, a.published_at, b.last_seen_at, b.published_at) = (day(10), day(1), day(20), day(1));
    assert_eq!(find_canonical(&incoming, &[a.clone(), b.clone()]), Some(181));
    (a.last_seen_at, b.last_seen_at, a.published_at, b.published_at) = (None, None, day(15), day(5));
    assert_eq!(find_canonical(&incoming, &[a.clone(), b.clone()]), Some(180));
    (a.published_at, b.published_at, a.updated_at, b.updated_at) = (None, None, day(8), day(18));
    assert_eq!(find_canonical(&incoming, &[a.clone(), b.clone()]), Some(181));
    (b.updated_at, a.updated_at) = (None, day(1));
    assert_eq!(find_canonical(&incoming, &[b, a]), Some(180)); // having a timestamp beats none
}

#[test]
fn equal_overlap_and_time_prefers_the_lowest_id() {
    let incoming = profile("Opening", "tool1 tool2 tool3");
    let mut a = canonical(230, "Open A", "tool1 tool2 tool3");
    let mut b = canonical(220, "Open B", "tool1 tool2 tool3");
    (a.published_at, b.published_at) = (day(10), day(10));
    assert_eq!(find_canonical(&incoming, &[a.clone(), b.clone()]), Some(220));
    (a.published_at, b.published_at) = (None, None);
    assert_eq!(find_canonical(&incoming, &[a, b]), Some(220));
}

#[test]
fn fingerprint_is_stable_across_case_spacing_and_accents() {
    let a = fingerprint("Ingeniero de Datos", "Análisis de datos en  Python.\nRemoto.").unwrap();
    let b = fingerprint("  INGENIERO de datos ", "analisis DE DATOS en python remoto").unwrap();
    assert_eq!(a, b);
    assert_eq!(a.len(), 64);
    assert!(
        a.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    assert_ne!(fingerprint("Ingeniero de Datos", "Otro texto").unwrap(), a);
}

#[test]
fn fingerprint_needs_title_and_description_tokens() {
    assert_eq!(fingerprint("", "desc"), None);
    assert_eq!(fingerprint("Title", "   "), None);
    assert_eq!(fingerprint("--", "desc"), None);
    assert_eq!(fingerprint("Title", "..."), None);
}

#[test]
fn same_fingerprint_wins_before_titles_and_overlap() {
    let incoming = profile("Data Engineer", "Build pipelines in Python.");
    let canonicals = [
        canonical(9, "Data Engineer!", "build PIPELINES in python"),
        canonical(4, "data engineer", "Build pipelines in Python"),
        canonical(2, "Data engineer", "Something else entirely"),
    ];
    let found = detect_repost(&incoming, &canonicals).unwrap();
    assert_eq!((found.canonical_id, found.reason), (4, RepostReason::Fingerprint));
}

#[test]
fn overlap_ignores_the_boards_boilerplate() {
    let blurb = "Acme is a fintech company founded in 2015 with offices in Madrid Barcelona and Lisbon serving \
                 thousands of small businesses across Europe with payments lending and accounting software";
    let a = format!("Backend engineer Go\n{blurb}");
    let b = format!("Frontend engineer React\n{blurb}");
    let c = format!("Sales manager\n{blurb}");
    let plain = [canonical(1, "Backend", &a)];
    assert_eq!(find_canonical(&profile("Frontend", &b), &plain), Some(1));

    let boilerplate = boilerplate_paragraphs(&[&a, &b, &c]);
    let stripped = |id, title, text: &str| CanonicalPosting {
        profile: RepostProfile::new(title, text, &boilerplate),
        ..canonical(id, title, text)
    };
    let candidate = RepostProfile::new("Frontend", &b, &boilerplate);
    assert_eq!(find_canonical(&candidate, &[stripped(1, "Backend", &a)]), None);
    let repost = RepostProfile::new(
        "Backend (Go)",
        &format!("Backend engineer, Go.\n{blurb}"),
        &boilerplate,
    );
    assert_eq!(find_canonical(&repost, &[stripped(1, "Backend", &a)]), Some(1));
}

#[test]
fn all_boilerplate_descriptions_compare_in_full() {
    let boilerplate = boilerplate_paragraphs(&["Same text here", "Same text here", "Same text here"]);
    let incoming = RepostProfile::new("Job A", "Same text here", &boilerplate);
    let existing = CanonicalPosting {
        profile: RepostProfile::new("Job B", "Same text here", &boilerplate),
        ..canonical(7, "Job B", "Same text here")
    };
    assert_eq!(
        find_canonical(&incoming, std::slice::from_ref(&existing)),
        Some(7)
    );
    let other = RepostProfile::new("Job C", "Different words altogether", &boilerplate);
    assert_eq!(find_canonical(&other, &[existing]), None);
}

#[test]
fn processing_order_is_published_time_then_external_id() {
    let mut postings = [
        (day(3), "b"),
        (None, "a"),
        (day(1), "z"),
        (day(3), "a"),
        (None, "0"),
    ];
    postings.sort_by_key(|&(published, id)| ordering_key(published, id));
    assert_eq!(postings.map(|(_, id)| id), ["z", "a", "b", "0", "a"]);
}

#[test]
fn overlap_of_empty_token_lists() {
    assert_eq!(token_overlap(&[], &[]), 1.0);
    assert_eq!(token_overlap(&["a".into()], &[]), 0.0);
}
