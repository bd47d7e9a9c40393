//! Tests of `board_from_url`: every URL form of docs/ats-apis.md#url-recognition, and the decoys that name no board.

#![allow(clippy::unwrap_used)]

use url::Url;

use super::{board_from_url, is_ats_host};

fn board(url: &str) -> Option<String> {
    board_from_url(&Url::parse(url).unwrap()).map(|b| b.to_string())
}

#[track_caller]
fn accepts(cases: &[(&str, &str)]) {
    for (url, expected) in cases {
        assert_eq!(board(url).as_deref(), Some(*expected), "{url}");
    }
}

#[track_caller]
fn rejects(urls: &[&str]) {
    for url in urls {
        assert_eq!(board(url), None, "{url}");
    }
}

#[test]
fn greenhouse_hosts_embeds_and_api_name_the_token() {
    accepts(&[
        ("https://boards.greenhouse.io/acme", "greenhouse:acme"),
        ("https://boards.greenhouse.io/acme/", "greenhouse:acme"),
        ("https://BOARDS.Greenhouse.IO/AcmeCo", "greenhouse:AcmeCo"),
        ("https://job-boards.greenhouse.io/acme", "greenhouse:acme"),
        ("https://job-boards.eu.greenhouse.io/acme", "greenhouse:acme@eu"),
        ("https://boards.eu.greenhouse.io/acme", "greenhouse:acme@eu"),
        (
            "https://boards-api.greenhouse.io/v1/boards/acme",
            "greenhouse:acme",
        ),
        (
            "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true",
            "greenhouse:acme",
        ),
        (
            "https://boards-api.eu.greenhouse.io/v1/boards/acme/jobs",
            "greenhouse:acme@eu",
        ),
        (
            "https://boards.greenhouse.io/embed/job_board?for=acme",
            "greenhouse:acme",
        ),
        (
            "https://boards.greenhouse.io/embed/job_board?for=acme&b=https%3A%2F%2Facme.test",
            "greenhouse:acme",
        ),
        (
            "https://boards.greenhouse.io/embed/job_board/js?for=acme",
            "greenhouse:acme",
        ),
        (
            "https://boards.greenhouse.io/embed/job_app?for=acme&token=4012345",
            "greenhouse:acme",
        ),
        (
            "https://boards.greenhouse.io/acme/jobs/4012345",
            "greenhouse:acme",
        ),
        ("http://boards.greenhouse.io/acme", "greenhouse:acme"),
    ]);
}

#[test]
fn greenhouse_reserved_segments_are_never_tokens() {
    // Defect 10: the original took `embed` (and any first segment) for a token.
    rejects(&[
        "https://boards.greenhouse.io/embed/job_board",
        "https://boards.greenhouse.io/embed/job_board/js",
        "https://boards.greenhouse.io/embed/job_app?token=4012345",
        "https://boards.greenhouse.io/embed/job_board?for=",
        "https://boards.greenhouse.io/embed/job_board?for=embed",
        "https://boards.greenhouse.io/v1/boards/acme",
        "https://boards.greenhouse.io/api/acme",
        "https://boards.greenhouse.io/jobs/4012345",
        "https://boards.greenhouse.io/job_board",
        "https://boards.greenhouse.io/static/app.js",
        "https://boards.greenhouse.io/assets/logo.png",
        "https://boards.greenhouse.io/favicon.ico",
        "https://boards.greenhouse.io/%C3%A1cme",
        "https://boards.greenhouse.io/",
        "https://boards-api.greenhouse.io/v1/boards/",
        "https://boards-api.greenhouse.io/v1/acme",
        "https://boards-api.greenhouse.io/acme",
        "https://www.greenhouse.io/",
        "https://greenhouse.io/acme",
        "https://app.greenhouse.io/acme",
    ]);
}

#[test]
fn a_greenhouse_job_on_a_custom_domain_names_no_token() {
    // `?gh_jid=` says "Greenhouse" but the token is only in the page's embed script.
    rejects(&[
        "https://acme.com/careers?gh_jid=4012345",
        "https://acme.com/careers/?gh_jid=4012345&gh_src=abc",
    ]);
}

#[test]
fn lever_hosts_and_api_name_the_site() {
    accepts(&[
        ("https://jobs.lever.co/acme", "lever:acme"),
        ("https://jobs.lever.co/PiCorp", "lever:PiCorp"),
        (
            "https://jobs.lever.co/acme-labs/0b5f3a1c-2d4e-4f60-a1b2-c3d4e5f60718",
            "lever:acme-labs",
        ),
        (
            "https://jobs.lever.co/acme/0b5f3a1c-2d4e-4f60-a1b2-c3d4e5f60718/apply",
            "lever:acme",
        ),
        ("https://jobs.eu.lever.co/acme", "lever:acme@eu"),
        ("https://api.lever.co/v0/postings/acme?mode=json", "lever:acme"),
        ("https://api.eu.lever.co/v0/postings/acme", "lever:acme@eu"),
    ]);
}

#[test]
fn lever_mentions_without_a_site_are_not_boards() {
    rejects(&[
        "https://lever.co/",
        "https://www.lever.co/",
        "https://lever.co/acme",
        "https://jobs.lever.co/",
        "https://api.lever.co/v0/postings/",
        "https://api.lever.co/v0/acme",
        "https://api.lever.co/acme",
        "https://hire.lever.co/acme",
        "https://jobs.lever.co/embed",
        "https://jobs.lever.co/v0",
    ]);
}

#[test]
fn ashby_board_embed_job_and_api_name_the_board() {
    accepts(&[
        ("https://jobs.ashbyhq.com/acme", "ashby:acme"),
        ("https://jobs.ashbyhq.com/Acme/embed", "ashby:Acme"),
        ("https://jobs.ashbyhq.com/acme/embed?version=2", "ashby:acme"),
        (
            "https://jobs.ashbyhq.com/acme/0b5f3a1c-2d4e-4f60-a1b2-c3d4e5f60718",
            "ashby:acme",
        ),
        (
            "https://api.ashbyhq.com/posting-api/job-board/acme?includeCompensation=true",
            "ashby:acme",
        ),
    ]);
    rejects(&[
        "https://jobs.ashbyhq.com/",
        "https://jobs.ashbyhq.com/api/non-user-graphql",
        "https://api.ashbyhq.com/posting-api/job-board/",
        "https://api.ashbyhq.com/acme",
        "https://www.ashbyhq.com/acme",
        "https://cdn.ashbyhq.com/acme/logo.png",
    ]);
}

#[test]
fn workable_apply_paths_and_account_hosts_name_the_account() {
    accepts(&[
        ("https://apply.workable.com/acme", "workable:acme"),
        ("https://apply.workable.com/acme/", "workable:acme"),
        ("https://apply.workable.com/acme/j/AB12CD34EF/", "workable:acme"),
        ("https://acme.workable.com/", "workable:acme"),
        ("https://acme.workable.com/jobs/123", "workable:acme"),
    ]);
    rejects(&[
        "https://apply.workable.com/",
        "https://apply.workable.com/api/v1/widget/accounts/acme",
        "https://apply.workable.com/j/AB12CD34EF",
        "https://www.workable.com/",
        "https://workable.com/acme",
        "https://jobs.workable.com/",
        "https://api.workable.com/acme",
        "https://a.b.workable.com/",
    ]);
}

#[test]
fn smartrecruiters_careers_jobs_and_api_name_the_company() {
    accepts(&[
        (
            "https://careers.smartrecruiters.com/AcmeGroup",
            "smartrecruiters:AcmeGroup",
        ),
        (
            "https://jobs.smartrecruiters.com/AcmeGroup",
            "smartrecruiters:AcmeGroup",
        ),
        (
            "https://jobs.smartrecruiters.com/AcmeGroup/744000012345678-backend-engineer",
            "smartrecruiters:AcmeGroup",
        ),
        (
            "https://jobs.smartrecruiters.com/oneclick-ui/company/AcmeGroup/publication/0b5f3a1c?dcr_ci=AcmeGroup",
            "smartrecruiters:AcmeGroup",
        ),
        (
            "https://api.smartrecruiters.com/v1/companies/AcmeGroup/postings",
            "smartrecruiters:AcmeGroup",
        ),
    ]);
    rejects(&[
        "https://careers.smartrecruiters.com/",
        "https://jobs.smartrecruiters.com/oneclick-ui/",
        "https://api.smartrecruiters.com/v1/companies/",
        "https://www.smartrecruiters.com/AcmeGroup",
    ]);
}

#[test]
fn host_per_tenant_providers_name_the_tenant_in_the_host() {
    accepts(&[
        ("https://acme.recruitee.com/", "recruitee:acme"),
        ("https://acme.recruitee.com/o/backend-engineer", "recruitee:acme"),
        ("https://acme.jobs.personio.de/", "personio:acme"),
        (
            "https://acme.jobs.personio.de/job/1234567?language=en",
            "personio:acme",
        ),
        ("https://acme.jobs.personio.com/", "personio:acme@com"),
        ("https://acme.teamtailor.com/jobs", "teamtailor:acme"),
        ("https://ACME-labs.Teamtailor.com/jobs", "teamtailor:acme-labs"),
    ]);
    rejects(&[
        "https://www.recruitee.com/",
        "https://app.recruitee.com/acme",
        "https://api.recruitee.com/acme",
        "https://recruitee.com/acme",
        "https://acme.personio.de/",
        "https://jobs.personio.de/acme",
        "https://www.jobs.personio.de/",
        "https://www.teamtailor.com/",
        "https://app.teamtailor.com/acme",
        "https://career.teamtailor.com/",
        "https://assets.teamtailor-cdn.com/acme/logo.png",
        "https://acme.teamtailor-cdn.com/jobs",
    ]);
}

#[test]
fn workday_hosts_name_tenant_pod_and_site_never_a_locale() {
    accepts(&[
        (
            "https://acme.wd3.myworkdayjobs.com/External",
            "workday:acme/wd3/External",
        ),
        (
            "https://acme.wd3.myworkdayjobs.com/en-US/External",
            "workday:acme/wd3/External",
        ),
        (
            "https://acme.wd103.myworkdayjobs.com/es/Acme_Careers/job/Madrid/Dev_R-1",
            "workday:acme/wd103/Acme_Careers",
        ),
        (
            "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/Careers/jobs",
            "workday:acme/wd5/Careers",
        ),
        (
            "https://wd3.myworkdaysite.com/recruiting/acme/External",
            "workday:acme/wd3/External",
        ),
        (
            "https://wd3.myworkdaysite.com/en-US/recruiting/acme/External/job/x",
            "workday:acme/wd3/External",
        ),
    ]);
    rejects(&[
        "https://acme.wd3.myworkdayjobs.com/",
        "https://acme.wd3.myworkdayjobs.com/en-US",
        "https://acme.wd3.myworkdayjobs.com/en-US/",
        "https://acme.wd3.myworkdayjobs.com/fr_CA",
        "https://acme.wd3.myworkdayjobs.com/en-US/es/",
        "https://acme.myworkdayjobs.com/External",
        "https://wd3.myworkdayjobs.com/External",
        "https://acme.impl.myworkdayjobs.com/External",
        "https://wd3.myworkdaysite.com/recruiting/acme",
        "https://wd3.myworkdaysite.com/acme/External",
        "https://www.myworkdaysite.com/recruiting/acme/External",
    ]);
}

#[test]
fn other_schemes_and_hosts_name_no_board() {
    rejects(&[
        "ftp://jobs.lever.co/acme",
        "mailto:jobs@acme.recruitee.com",
        "https://acme.com/careers",
        "https://jobs.lever.co.evil.com/acme",
        "https://notlever.co/acme",
    ]);
}

#[test]
fn ats_hosts_are_recognised_by_domain() {
    for host in [
        "jobs.lever.co",
        "lever.co",
        "acme.recruitee.com",
        "ACME.wd3.myworkdayjobs.com",
        "boards.greenhouse.io.",
    ] {
        assert!(is_ats_host(host), "{host}");
    }
    for host in [
        "acme.com",
        "notlever.co",
        "lever.co.evil.com",
        "assets.teamtailor-cdn.com",
    ] {
        assert!(!is_ats_host(host), "{host}");
    }
}
