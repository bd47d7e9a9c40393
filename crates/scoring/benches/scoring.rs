//! Match + score throughput (docs/stages.md#scoring-speed): 10,000 generated postings of ~400 words, Spanish
//! and English, against the built-in catalog. `cargo bench -p pipeline-scoring` reports postings per second.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pipeline_scoring::CompiledCatalog;

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

fn match_and_score(c: &mut Criterion) {
    let catalog = CompiledCatalog::builtin();
    let postings = postings();
    let mut group = c.benchmark_group("scoring");
    group.throughput(Throughput::Elements(postings.len() as u64));
    group.sample_size(10);
    group.bench_function("match_and_score_10k_postings", |b| {
        b.iter(|| {
            let total: u64 = postings
                .iter()
                .map(|(title, description)| u64::from(catalog.score_posting(title, description).score))
                .sum();
            black_box(total)
        });
    });
    group.finish();
}

criterion_group!(benches, match_and_score);
criterion_main!(benches);
