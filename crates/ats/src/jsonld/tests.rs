//! Whole pages as sites serve them — a WordPress careers page (Yoast's `@graph`, a job plugin's sloppy
//! script), a Next.js job page (`__NEXT_DATA__` beside the JSON-LD), broken scripts — read into postings.

use chrono::{DateTime, Utc};
use url::Url;

use super::board::assemble;
use super::page::{postings, read_page};

fn url(text: &str) -> Url {
    Url::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn now() -> DateTime<Utc> {
    "2026-12-01T12:00:00Z".parse().unwrap_or_default()
}

#[test]
fn a_wordpress_careers_page_with_a_yoast_graph_and_a_sloppy_job_plugin_script() {
    let html = include_str!("fixtures/yoast_careers.html");
    let page = url("https://acmepagos.es/trabaja-con-nosotros/");
    let read = postings(&page, html);
    assert_eq!(
        read.malformed, 0,
        "comments, raw line breaks, trailing commas: repaired"
    );
    assert_eq!(read.postings.len(), 2);
    let summary = read_page(html);
    assert_eq!((summary.job_postings, summary.malformed), (2, 0));
    assert_eq!(
        summary.titles,
        ["Responsable de Tesorería", "Becario/a de Operaciones"]
    );
    let (open, company) = assemble(read.postings, now());
    assert_eq!(open.len(), 1, "the internship's validThrough has passed");
    let treasury = &open[0];
    assert_eq!(treasury.title, "Responsable de Tesorería");
    assert_eq!(treasury.external_id, "TES-2026-04");
    assert_eq!(
        treasury.description,
        "Gestionarás los pagos internacionales y la cobertura de divisas (USD, GBP).\n\n- Conciliación bancaria\n\n- Forwards de divisa"
    );
    assert_eq!(treasury.locations, ["Valencia, Comunidad Valenciana, ES"]);
    assert_eq!(company.as_deref(), Some("Acme Pagos"));
}

#[test]
fn a_nextjs_job_page_reads_its_json_ld_not_its_next_data() {
    let html = include_str!("fixtures/nextjs_job.html");
    let page = url("https://vela.io/careers/jobs/a3f9c2d1-senior-backend-engineer");
    let read = postings(&page, html);
    assert_eq!(
        read.postings.len(),
        1,
        "__NEXT_DATA__ is application/json: not read"
    );
    let (open, company) = assemble(read.postings, now());
    let job = &open[0];
    assert_eq!(job.external_id, "a3f9c2d1");
    assert_eq!(job.url, page.as_str());
    assert_eq!(
        job.description,
        "About the role\n\nBuild our multi-currency ledger in Rust & Postgres.\n\n- SEPA and SWIFT rails"
    );
    assert_eq!(job.locations, ["Barcelona, ES", "Madrid, ES"]);
    assert_eq!(job.employment_type.as_deref(), Some("FULL_TIME"));
    let salary = job.salary.clone().unwrap_or_else(|| panic!("no salary"));
    assert_eq!((salary.min, salary.max), (Some(5000.0), Some(6500.0)));
    assert_eq!(
        job.published_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-25T10:15:00+00:00")
    );
    assert_eq!(company.as_deref(), Some("Vela Technologies"));
}

#[test]
fn broken_scripts_are_counted_and_the_readable_ones_kept() {
    let html = include_str!("fixtures/sloppy_scripts.html");
    let read = postings(&url("https://acme.com/jobs"), html);
    let titles: Vec<&str> = read.postings.iter().map(|p| p.posting.title.as_str()).collect();
    assert_eq!(titles, ["Product Designer", "QA Engineer", "Support Agent"]);
    assert_eq!(read.postings[0].posting.description, "Line one\nLine two");
    assert_eq!(read.malformed, 2, "a truncated script and one with bare quotes");
    assert!(read.first_error.is_some());
}

#[test]
fn two_megabytes_of_json_ld_read_in_one_pass() {
    let job = r#"{"@type":"JobPosting","title":"Ingeniero de datos","identifier":"ID","description":"<p>Pagos internacionales en USD y GBP, conciliación y tesorería.</p>","hiringOrganization":{"name":"Acme"}}"#;
    let mut graph =
        String::from(r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":["#);
    let mut n = 0;
    while graph.len() < 1_990_000 {
        if n > 0 {
            graph.push(',');
        }
        graph.push_str(&job.replace("\"ID\"", &format!("\"J-{n}\"")));
        n += 1;
    }
    graph.push_str("]}</script>");
    let started = std::time::Instant::now();
    let read = postings(&url("https://acme.com/careers"), &graph);
    let (open, _) = assemble(read.postings, now());
    assert_eq!(open.len(), n);
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}
