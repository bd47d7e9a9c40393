//! Matcher and scorer throughput (docs/stages.md#scoring-speed) on 10,000 generated postings of ~400 words,
//! Spanish and English: the matcher in bytes of posting text per second on one core, with the built-in
//! catalog and with a generated catalog of 5,000 more aliases (`matcher/*`, target ≥ 50 MB/s, and the large
//! catalog within 2× of the built-in one); match + score in postings per second (`scoring/*`). Each is timed
//! by the CPU time of the benchmark's thread (`/proc/thread-self/schedstat`, wall time where it does not
//! exist), so a machine shared with other work does not lower the per-core figures.
//! `cargo xtask bench scoring` runs it.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pipeline_scoring::catalog::Keyword;
use pipeline_scoring::{Catalog, CompiledCatalog};

const POSTINGS: usize = 10_000;
const WORDS_PER_POSTING: usize = 400;

const SPANISH: &[&str] = &[
    "buscamos",
    "una",
    "persona",
    "con",
    "experiencia",
    "en",
    "el",
    "equipo",
    "de",
    "desarrollo",
    "producto",
    "clientes",
    "gestión",
    "análisis",
    "datos",
    "empresa",
    "crecimiento",
    "oficina",
    "teletrabajo",
    "horario",
    "flexible",
    "formación",
    "salario",
    "competitivo",
    "responsabilidades",
    "requisitos",
    "valorable",
    "inglés",
    "comunicación",
    "proyectos",
    "tecnología",
    "soluciones",
    "mejora",
    "continua",
    "procesos",
    "calidad",
    "sin",
    "no",
    "también",
    "nuestra",
    "misión",
    "años",
    "conocimientos",
    "herramientas",
    "informes",
    "y",
    "la",
];
const ENGLISH: &[&str] = &[
    "we",
    "are",
    "looking",
    "for",
    "an",
    "engineer",
    "with",
    "experience",
    "in",
    "building",
    "scalable",
    "services",
    "team",
    "product",
    "customers",
    "growth",
    "remote",
    "office",
    "benefits",
    "salary",
    "skills",
    "requirements",
    "nice",
    "to",
    "have",
    "ownership",
    "communication",
    "projects",
    "platform",
    "data",
    "pipelines",
    "quality",
    "not",
    "without",
    "our",
    "mission",
    "years",
    "knowledge",
    "tools",
    "reports",
    "and",
];
/// Catalog signals and near misses, mixed in at about one word in forty.
const SIGNALS: &[&str] = &[
    "USD",
    "$120k",
    "multidivisa",
    "pagos internacionales",
    "foreign exchange",
    "EEUU",
    "U.S.",
    "LATAM",
    "Latinoamérica",
    "SaaS",
    "Stripe",
    "AWS",
    "Google Cloud",
    "HubSpot",
    "tesorería",
    "marketplace",
    "international customers",
    "awsome",
    "stripey",
    "https://stripe.com/jobs/1",
    "cross-border payments",
    "€",
];

/// A small deterministic generator (xorshift64*), so every run scores the same postings.
struct Words(u64);

impl Words {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % below
    }

    fn text(&mut self, words: usize, spanish: bool) -> String {
        let vocabulary = if spanish { SPANISH } else { ENGLISH };
        let mut out = String::with_capacity(words * 8);
        for i in 0..words {
            let word = if self.next(40) == 0 {
                SIGNALS[self.next(SIGNALS.len())]
            } else {
                vocabulary[self.next(vocabulary.len())]
            };
            out.push_str(word);
            out.push_str(match i % 37 {
                36 => ".\n",
                12 | 25 => ", ",
                _ => " ",
            });
        }
        out
    }
}

fn postings() -> Vec<(String, String)> {
    let mut words = Words(0x9e37_79b9_7f4a_7c15);
    (0..POSTINGS)
        .map(|i| {
            let spanish = i % 2 == 0;
            (words.text(5, spanish), words.text(WORDS_PER_POSTING, spanish))
        })
        .collect()
}

/// This thread's CPU time so far; `None` where the kernel does not say.
fn thread_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// Runs `work` `iters` times; returns the CPU time it took (wall time where CPU time is unknown).
fn cpu_timed<T>(iters: u64, mut work: impl FnMut() -> T) -> Duration {
    let (wall, cpu) = (Instant::now(), thread_cpu_time());
    for _ in 0..iters {
        black_box(work());
    }
    match (cpu, thread_cpu_time()) {
        (Some(before), Some(after)) => after.saturating_sub(before),
        _ => wall.elapsed(),
    }
}

/// Aliases the generated catalog adds to the built-in one.
const GENERATED_ALIASES: usize = 5_000;
const ALIASES_PER_KEYWORD: usize = 5;

/// The built-in catalog plus [`GENERATED_ALIASES`] aliases a large real catalog could hold: 60% made-up
/// terms of one to three tokens that never occur in the postings, 30% starting with a common word of the
/// postings ("datos ...", "team ...": every occurrence of that word is a candidate the matcher must check),
/// 10% two common words in a row (they match now and then).
fn generated_catalog() -> CompiledCatalog {
    let mut catalog = Catalog::builtin();
    let mut words = Words(0x2545_f491_4f6c_dd1d);
    let common: Vec<&str> = SPANISH.iter().chain(ENGLISH).copied().collect();
    let made_up = |words: &mut Words| format!("zq{}x{}", words.next(100_000), words.next(1_000));
    let categories: Vec<String> = catalog.categories.iter().map(|c| c.id.clone()).collect();
    for k in 0..GENERATED_ALIASES / ALIASES_PER_KEYWORD {
        let aliases = (0..ALIASES_PER_KEYWORD)
            .map(|_| match words.next(10) {
                0..=5 => (0..=words.next(3))
                    .map(|_| made_up(&mut words))
                    .collect::<Vec<_>>()
                    .join(" "),
                6..=8 => format!("{} {}", common[words.next(common.len())], made_up(&mut words)),
                _ => format!(
                    "{} {}",
                    common[words.next(common.len())],
                    common[words.next(common.len())]
                ),
            })
            .collect();
        catalog.keywords.push(Keyword {
            id: format!("kw_generated_{k}"),
            category_id: categories[k % categories.len()].clone(),
            canonical: format!("generated {k}"),
            aliases,
        });
    }
    CompiledCatalog::new(&catalog).expect("the generated catalog is valid")
}

/// Bytes per second of title and description text through `match_posting`, one core.
fn matcher(c: &mut Criterion) {
    let postings = postings();
    let bytes: usize = postings.iter().map(|(t, d)| t.len() + d.len()).sum();
    let mut group = c.benchmark_group("matcher");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    for (name, catalog) in [
        ("builtin_catalog", CompiledCatalog::builtin()),
        ("builtin_plus_5000_aliases", generated_catalog()),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                cpu_timed(iters, || -> usize {
                    postings
                        .iter()
                        .map(|(title, description)| {
                            catalog.match_posting(title, description).keyword_hits.len()
                        })
                        .sum()
                })
            });
        });
    }
    group.finish();
}

fn match_and_score(c: &mut Criterion) {
    let catalog = CompiledCatalog::builtin();
    let postings = postings();
    let mut group = c.benchmark_group("scoring");
    group.throughput(Throughput::Elements(postings.len() as u64));
    group.sample_size(10);
    group.bench_function("match_and_score_10k_postings", |b| {
        b.iter_custom(|iters| {
            cpu_timed(iters, || -> u64 {
                postings
                    .iter()
                    .map(|(title, description)| u64::from(catalog.score_posting(title, description).score))
                    .sum()
            })
        });
    });
    group.finish();
}

criterion_group!(benches, matcher, match_and_score);
criterion_main!(benches);
