//! Tests of the `jsonld` candidates: which page is the board (a listing, or the careers page linking a job
//! page), and which validated `jsonld` boards are dropped as repeating another board's postings.

#![allow(clippy::unwrap_used)]

use pipeline_domain::NormalizedPosting;
use pipeline_http::{HttpClient, HttpSettings};
use url::Url;

use super::jsonld::{candidates, drop_duplicates, seen_duplicates};
use super::{Candidate, DetectedBoard, How, Rejection};

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

fn job(title: &str) -> String {
    format!(
        "<script type=\"application/ld+json\">{{\"@type\":\"JobPosting\",\"title\":\"{title}\"}}</script>"
    )
}

fn no_network() -> HttpClient {
    pipeline_http::install_crypto_provider();
    HttpClient::new(HttpSettings::default()).unwrap()
}

#[tokio::test]
async fn a_job_page_linked_from_a_careers_page_makes_the_careers_page_the_board() {
    let mut read = vec![
        (
            url("https://acme.test/"),
            "<a href=\"/careers\">Careers</a>".to_owned(),
        ),
        (
            url("https://acme.test/careers"),
            "<a href=\"/careers/backend\">Backend</a><a href=\"/careers/ops\">Ops</a>".to_owned(),
        ),
        (url("https://acme.test/careers/backend"), job("Backend")),
    ];
    let site = candidates(&mut read, &no_network()).await;
    assert_eq!(site.malformed, 0);
    let [(found, titles)] = site.candidates.as_slice() else {
        panic!("{:?}", site.candidates)
    };
    assert_eq!(titles, &["Backend"]);
    assert_eq!(found.board.to_string(), "jsonld:https://acme.test/careers");
    assert_eq!(found.evidence_url, "https://acme.test/careers/backend");
    assert_eq!(found.found_on.as_str(), "https://acme.test/careers");
    assert_eq!(found.how, How::JsonLd);
    assert_eq!(read.len(), 3, "nothing probed: a posting was found");
}

#[tokio::test]
async fn a_listing_with_its_postings_inline_is_its_own_board_and_the_home_page_names_no_board() {
    let listing = format!(
        "{}{}<!-- --><script type=\"application/ld+json\">{{broken</script>",
        job("A"),
        job("B")
    );
    let mut read = vec![
        (
            url("https://acme.test/"),
            format!("<a href=\"/jobs\">Jobs</a>{}", job("Single")),
        ),
        (url("https://acme.test/jobs?utm_source=x"), listing.clone()),
        (url("https://acme.test/jobs/"), listing),
    ];
    let site = candidates(&mut read, &no_network()).await;
    let boards: Vec<String> = site.candidates.iter().map(|(c, _)| c.board.to_string()).collect();
    assert_eq!(
        boards,
        ["jsonld:https://acme.test/", "jsonld:https://acme.test/jobs"],
        "the home page's one posting is linked by no careers page: the home page is the board; \
         /jobs/ is /jobs again"
    );
    assert_eq!(site.malformed, 2);
    assert_eq!(
        site.candidates[1].1,
        ["A", "B", "A", "B"],
        "the titles of both readings"
    );
}

fn detected(board: &str, postings: &[(&str, &str)]) -> (DetectedBoard, Vec<NormalizedPosting>) {
    let candidate = Candidate {
        board: board.parse().unwrap(),
        evidence_url: "https://acme.test/careers".into(),
        found_on: url("https://acme.test/careers"),
        how: How::JsonLd,
    };
    let postings: Vec<NormalizedPosting> = postings
        .iter()
        .map(|(title, posting_url)| NormalizedPosting {
            external_id: (*posting_url).to_owned(),
            url: (*posting_url).to_owned(),
            title: (*title).to_owned(),
            description: String::new(),
            locations: Vec::new(),
            department: None,
            employment_type: None,
            workplace: None,
            salary: None,
            requisition_id: None,
            published_at: None,
            updated_at: None,
        })
        .collect();
    let board = DetectedBoard {
        candidate,
        job_count: postings.len(),
        company_name: None,
    };
    (board, postings)
}

#[test]
fn a_jsonld_board_repeating_the_ats_boards_postings_is_dropped_and_one_with_its_own_kept() {
    let ats = detected(
        "greenhouse:acme",
        &[
            ("Backend Engineer", "https://boards.greenhouse.io/acme/jobs/1"),
            ("Ops", "https://x/2"),
        ],
    );
    let same = detected(
        "jsonld:https://acme.test/careers",
        &[
            ("Backend engineer", "https://acme.test/careers?gh_jid=1"),
            ("OPS", "https://acme.test/o"),
        ],
    );
    let own = detected(
        "jsonld:https://acme.test/empleo",
        &[
            ("Backend Engineer", "https://acme.test/e/1"),
            ("Cocinero", "https://acme.test/e/2"),
        ],
    );
    let mut rejected = Vec::new();
    let kept = drop_duplicates(vec![ats, same, own], &mut rejected);
    let kept: Vec<String> = kept.iter().map(|b| b.candidate.board.to_string()).collect();
    assert_eq!(kept, ["greenhouse:acme", "jsonld:https://acme.test/empleo"]);
    let [(candidate, Rejection::Duplicate(reason))] = rejected.as_slice() else {
        panic!("{rejected:?}")
    };
    assert_eq!(candidate.board.to_string(), "jsonld:https://acme.test/careers");
    assert!(reason.contains("greenhouse:acme"), "{reason}");

    let mut rejected = Vec::new();
    let alone = drop_duplicates(
        vec![detected("jsonld:https://acme.test/careers", &[])],
        &mut rejected,
    );
    assert_eq!(
        alone.len(),
        1,
        "an empty jsonld board with nothing beside it is kept"
    );
    assert!(rejected.is_empty());
}

#[test]
fn a_jsonld_candidate_whose_seen_postings_are_an_ats_boards_is_not_fetched() {
    let ats = detected(
        "greenhouse:acme",
        &[("Backend Engineer", "https://x/1"), ("Ops", "https://x/2")],
    );
    let candidate = |board: &str| detected(board, &[]).0.candidate;
    let (fresh, duplicates) = seen_duplicates(
        vec![
            (
                candidate("jsonld:https://acme.test/careers"),
                vec!["backend  engineer".into()],
            ),
            (
                candidate("jsonld:https://acme.test/empleo"),
                vec!["Backend Engineer".into(), "Chef".into()],
            ),
            (candidate("jsonld:https://acme.test/jobs"), Vec::new()),
        ],
        &[ats],
    );
    let fresh: Vec<String> = fresh.iter().map(|c| c.board.to_string()).collect();
    assert_eq!(
        fresh,
        ["jsonld:https://acme.test/empleo", "jsonld:https://acme.test/jobs"]
    );
    assert_eq!(duplicates.len(), 1);
    assert_eq!(
        duplicates[0].0.board.to_string(),
        "jsonld:https://acme.test/careers"
    );
    let (fresh, duplicates) =
        seen_duplicates(vec![(candidate("jsonld:https://a.test/"), vec!["X".into()])], &[]);
    assert_eq!(
        (fresh.len(), duplicates.len()),
        (1, 0),
        "nothing validated: nothing to repeat"
    );
}
