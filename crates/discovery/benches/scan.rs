//! Scanning speed of one large page (docs/stages.md#discovery-scanning): a deterministic 2 MB home page,
//! ≈1.9 MB of it inline `<script>` (bundles full of URLs and strings, a JSON blob with escaped slashes), some
//! ordinary markup, and in the footer a Greenhouse board link and a `/careers` link.
//! `cargo bench -p pipeline-discovery --bench scan` reports the time of one `scan_page` call.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pipeline_discovery::scan_page;
use url::Url;

/// The page's size: the discovery page client's body cap, 2 MB (docs/stages.md#discovery-fetching).
const PAGE_BYTES: usize = 2_000_000;
/// Bytes of each inline script block.
const SCRIPT_BLOCK_BYTES: usize = 96 * 1024;

/// A small deterministic generator (xorshift64*), so every run scans the same page.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % below
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next(items.len())]
    }
}

const WORDS: &[&str] = &[
    "product",
    "team",
    "customers",
    "platform",
    "data",
    "growth",
    "secure",
    "fast",
    "learn",
    "more",
    "pricing",
    "about",
    "contact",
    "blog",
    "solutions",
    "enterprise",
    "start",
    "free",
    "trial",
    "integrations",
];
const HOSTS: &[&str] = &[
    "https://cdn.acme.test",
    "https://www.googletagmanager.com",
    "https://api.segment.io",
    "https://fonts.gstatic.com",
    "https://js.stripe.com",
    "https://static.hotjar.com",
    "//connect.facebook.net",
];
const PATHS: &[&str] = &[
    "/_next/static/chunks/",
    "/v1/track?id=",
    "/assets/img/hero-",
    "/s/inter/v12/",
    "/analytics.js?v=",
];

/// One minified-bundle-like statement: functions, string literals, URLs, numbers.
fn js_statement(rng: &mut Rng, out: &mut String) {
    let id = rng.next(100_000);
    match rng.next(6) {
        0 => out.push_str(&format!(
            "function _{id:x}(e,t){{return e.fetch(\"{}{}{}\"+t,{{method:\"POST\"}})}}",
            rng.pick(HOSTS),
            rng.pick(PATHS),
            rng.next(1_000_000)
        )),
        1 => out.push_str(&format!(
            "var s{id}=\"{} {} {}\",n{id}=[{},{},{}];",
            rng.pick(WORDS),
            rng.pick(WORDS),
            rng.pick(WORDS),
            rng.next(1000),
            rng.next(1000),
            rng.next(1000)
        )),
        2 => out.push_str(&format!(
            "e.exports={{src:'{}{}{}.webp',alt:'{} {}'}};",
            rng.pick(HOSTS),
            rng.pick(PATHS),
            id,
            rng.pick(WORDS),
            rng.pick(WORDS)
        )),
        3 => out.push_str(&format!(
            "if(t&&t.{}){{n.push(`${{a}}/{}/{}`);}}else{{r({id},\"{}\");}}",
            rng.pick(WORDS),
            rng.pick(WORDS),
            id,
            rng.pick(WORDS)
        )),
        4 => out.push_str(&format!(
            "o[{id}]=function(e){{var t=e&&e.__esModule?e.default:e;return t<{}?\"{}\":null}};",
            rng.next(500),
            rng.pick(WORDS)
        )),
        _ => out.push_str(&format!(
            "window.dataLayer=window.dataLayer||[];dataLayer.push({{event:\"{}_{id}\",page:location.pathname}});",
            rng.pick(WORDS)
        )),
    }
    out.push('\n');
}

/// A `__NEXT_DATA__`-style JSON blob: escaped slashes, many URLs, no ATS.
fn json_blob(rng: &mut Rng, out: &mut String) {
    out.push_str(r#"<script id="__NEXT_DATA__" type="application/json">{"props":{"items":["#);
    while out.len() % SCRIPT_BLOCK_BYTES < SCRIPT_BLOCK_BYTES - 300 {
        out.push_str(&format!(
            r#"{{"title":"{} {}","href":"https:\/\/www.acme.test\/{}\/{}","img":"https:\/\/cdn.acme.test\/i\/{}.png"}},"#,
            rng.pick(WORDS),
            rng.pick(WORDS),
            rng.pick(WORDS),
            rng.next(100_000),
            rng.next(100_000)
        ));
    }
    out.push_str("{}]}}</script>\n");
}

/// The 2 MB page, the same at every call.
fn page() -> String {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut html = String::with_capacity(PAGE_BYTES + 64 * 1024);
    html.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Acme</title>");
    html.push_str(
        "<link rel=\"stylesheet\" href=\"/_next/static/css/app.css\"><style>body{margin:0}</style>",
    );
    html.push_str("<script src=\"https://www.googletagmanager.com/gtag/js?id=G-1\"></script></head><body>\n");
    html.push_str("<header><nav><a href=\"/\">Home</a><a href=\"/product\">Product</a>");
    html.push_str("<a href=\"/pricing\">Pricing</a><a href=\"/blog\">Blog</a></nav></header><main>\n");
    for section in 0..80 {
        html.push_str(&format!(
            "<section id=\"s{section}\"><h2>{}</h2>",
            rng.pick(WORDS)
        ));
        for _ in 0..3 {
            html.push_str("<p>");
            for _ in 0..40 {
                html.push_str(rng.pick(WORDS));
                html.push(' ');
            }
            html.push_str(&format!(
                "<a href=\"/{}\">{}</a></p>",
                rng.pick(WORDS),
                rng.pick(WORDS)
            ));
        }
        html.push_str("<img src=\"/assets/img/hero.webp\" alt=\"\"></section>\n");
    }
    html.push_str("</main>\n");
    json_blob(&mut rng, &mut html);
    let footer = "<footer><a href=\"/careers\">Careers</a> \
                  <a href=\"https://boards.greenhouse.io/acme\">Open positions</a> \
                  <a href=\"/privacy\">Privacy</a></footer></body></html>\n";
    while html.len() + footer.len() + 1000 < PAGE_BYTES {
        let block_end = (html.len() + SCRIPT_BLOCK_BYTES).min(PAGE_BYTES - footer.len() - 16);
        html.push_str("<script>");
        while html.len() < block_end - 400 {
            js_statement(&mut rng, &mut html);
        }
        html.push_str("</script>\n");
    }
    html.push_str(footer);
    html
}

fn scan(c: &mut Criterion) {
    let page_url = Url::parse("https://www.acme.test/").expect("a valid URL");
    let html = page();
    let found = scan_page(&page_url, &html);
    assert!(
        found.iter().any(|c| c.board.to_string() == "greenhouse:acme"),
        "the footer's board is found: {found:?}"
    );
    let script: usize = html
        .split("<script")
        .skip(1)
        .filter_map(|rest| rest.find("</script>"))
        .sum();
    eprintln!("page: {} bytes, {script} of them inside <script>", html.len());
    let mut group = c.benchmark_group("discovery");
    group.throughput(Throughput::Bytes(html.len() as u64));
    group.sample_size(20);
    group.bench_function("scan_page_2mb", |b| {
        b.iter(|| black_box(scan_page(&page_url, black_box(&html))));
    });
    group.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
