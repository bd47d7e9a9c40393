//! Generated posting descriptions: intro, duties, requirements and benefits in Spanish or English, with FX
//! sentences, negated mentions and proxy signals mixed in, all a pure function of the description's seed.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{escape, pick};
use crate::model::{Description, Lang};

pub const SECTORS_ES: &[&str] = &[
    "pagos B2B",
    "logística",
    "salud digital",
    "energía renovable",
    "agrotecnología",
    "movilidad urbana",
    "comercio electrónico",
    "software para restaurantes",
    "turismo",
    "ciberseguridad",
    "inteligencia artificial",
];

pub const SECTORS_EN: &[&str] = &[
    "B2B payments",
    "logistics",
    "digital health",
    "renewable energy",
    "agritech",
    "urban mobility",
    "e-commerce",
    "restaurant software",
    "travel",
    "cybersecurity",
    "applied AI",
];

const FX_SENTENCES_EN: &[&str] = &[
    "You will manage cross-border payments in USD, GBP and EUR with our banking partners.",
    "Own our foreign exchange exposure and day-to-day treasury operations.",
    "Work with international customers across the US market and LATAM, invoicing in USD.",
    "Reconcile multi-currency payouts sent via SWIFT and SEPA every week.",
    "Help us hedge currency risk as we grow our international sales.",
];
const FX_SENTENCES_ES: &[&str] = &[
    "Gestionarás cobros y pagos internacionales en USD y GBP con nuestros bancos.",
    "Coordinarás la tesorería multidivisa y el seguimiento del tipo de cambio.",
    "Trabajarás con clientes internacionales en LATAM y EE.UU., facturando en divisas.",
    "Conciliarás pagos en divisa con proveedores de Asia y Estados Unidos.",
    "Darás soporte a nuestra expansión internacional y a las ventas internacionales.",
];
/// Mentions that look like signals but are negated or irrelevant.
const NEGATED_EN: &[&str] = &[
    "No experience with foreign exchange or international payments is required.",
    "This role has no treasury duties.",
];
const NEGATED_ES: &[&str] = &[
    "No se requiere experiencia en pagos internacionales ni divisas.",
    "Puesto sin responsabilidades de tesorería.",
];
const PROXY_EN: &[&str] = &[
    "Our stack runs on AWS (Lambda, S3) and we take payments with Stripe.",
    "We use HubSpot and Salesforce to keep our customers happy.",
    "Experience with Google Ads and Meta Ads is a plus.",
];
const PROXY_ES: &[&str] = &[
    "Nuestra plataforma corre en AWS y cobramos con Stripe.",
    "Usamos HubSpot y Salesforce en el día a día.",
    "Valoraremos experiencia con Google Ads y Meta Ads.",
];

const DUTIES_EN: &[&str] = &[
    "Design, build and operate services used by thousands of customers.",
    "Work closely with product and design to ship improvements every week.",
    "Own your projects end to end, from discovery to rollout.",
    "Improve our processes and documentation as the team grows.",
    "Mentor teammates and take part in hiring.",
    "Analyse data to find what to improve next.",
    "Keep our customers informed and happy.",
];
const DUTIES_ES: &[&str] = &[
    "Diseñar, desarrollar y mantener servicios que usan miles de clientes.",
    "Colaborar con producto y diseño para lanzar mejoras cada semana.",
    "Liderar tus proyectos de principio a fin.",
    "Mejorar nuestros procesos y documentación a medida que crecemos.",
    "Acompañar a compañeros/as y participar en los procesos de selección.",
    "Analizar datos para decidir qué mejorar.",
    "Atender a nuestros clientes y resolver sus dudas.",
];
const REQUIREMENTS_EN: &[&str] = &[
    "3+ years of experience in a similar role.",
    "Fluent English; Spanish is a plus.",
    "Strong communication skills & a sense of ownership.",
    "Experience in a fast-growing startup.",
    "A degree in a related field, or equivalent experience.",
];
const REQUIREMENTS_ES: &[&str] = &[
    "Al menos 3 años de experiencia en un puesto similar.",
    "Nivel alto de inglés.",
    "Buenas habilidades de comunicación y organización.",
    "Experiencia en startups en crecimiento.",
    "Titulación universitaria relacionada o experiencia equivalente.",
];
const BENEFITS_EN: &[&str] = &[
    "Flexible hours and hybrid work.",
    "Private health insurance.",
    "Budget for training and conferences.",
    "Stock options.",
];
const BENEFITS_ES: &[&str] = &[
    "Horario flexible y teletrabajo parcial.",
    "Seguro médico privado.",
    "Presupuesto para formación.",
    "Retribución flexible (tickets restaurante, transporte).",
];

/// Renders a description as HTML. Generated descriptions are a pure function of their seed.
pub fn render_description(description: &Description, title: &str, company: &str) -> String {
    match description {
        Description::Html(html) => html.clone(),
        Description::Generated { seed, lang, fx } => generate_html(*seed, *lang, *fx, title, company),
    }
}

fn generate_html(seed: u64, lang: Lang, fx: bool, title: &str, company: &str) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let (sectors, duties, reqs, benefits, fxs, negated, proxy) = match lang {
        Lang::En => (
            SECTORS_EN,
            DUTIES_EN,
            REQUIREMENTS_EN,
            BENEFITS_EN,
            FX_SENTENCES_EN,
            NEGATED_EN,
            PROXY_EN,
        ),
        Lang::Es => (
            SECTORS_ES,
            DUTIES_ES,
            REQUIREMENTS_ES,
            BENEFITS_ES,
            FX_SENTENCES_ES,
            NEGATED_ES,
            PROXY_ES,
        ),
    };
    let sector = pick(&mut rng, sectors);
    let title = escape(title);
    let company = escape(company);
    let mut html = match lang {
        Lang::En => format!(
            "<p><strong>{company}</strong> is a fast-growing {sector} startup. We are looking for a <strong>{title}</strong> to join our team.</p>"
        ),
        Lang::Es => format!(
            "<p>En <strong>{company}</strong> somos una startup de {sector} en pleno crecimiento. Buscamos un/a <strong>{title}</strong> para unirse a nuestro equipo.</p>"
        ),
    };
    let (h_duties, h_reqs, h_benefits) = match lang {
        Lang::En => ("What you will do", "What we are looking for", "What we offer"),
        Lang::Es => ("Qué harás", "Qué buscamos", "Qué ofrecemos"),
    };
    let mut items: Vec<&str> = sample(&mut rng, duties, 3);
    if fx {
        let at = rng.random_range(0..=items.len());
        items.insert(at, pick(&mut rng, fxs));
    }
    push_list(&mut html, h_duties, &items);
    let mut req_items = sample(&mut rng, reqs, 3);
    if !fx && rng.random_bool(0.08) {
        req_items.push(pick(&mut rng, negated));
    }
    push_list(&mut html, h_reqs, &req_items);
    if rng.random_bool(0.3) {
        html.push_str(&format!("<p>{}</p>", escape(pick(&mut rng, proxy))));
    }
    push_list(&mut html, h_benefits, &sample(&mut rng, benefits, 2));
    html
}

fn push_list(html: &mut String, heading: &str, items: &[&str]) {
    html.push_str(&format!("<h3>{heading}</h3><ul>"));
    for item in items {
        html.push_str(&format!("<li>{}</li>", escape(item)));
    }
    html.push_str("</ul>");
}

fn sample<'a>(rng: &mut StdRng, items: &[&'a str], n: usize) -> Vec<&'a str> {
    rand::seq::index::sample(rng, items.len(), n.min(items.len()))
        .into_iter()
        .map(|i| items[i])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html_to_plain;

    #[test]
    fn generated_descriptions_are_a_function_of_their_seed() {
        let d = Description::Generated {
            seed: 7,
            lang: Lang::Es,
            fx: true,
        };
        assert_eq!(
            render_description(&d, "T", "Acme"),
            render_description(&d, "T", "Acme")
        );
        let plain = html_to_plain(&render_description(&d, "Analista & <Datos>", "Acme"));
        assert!(plain.contains("Analista & <Datos>"), "{plain}");
        assert!(!plain.contains("<li>"));
    }
}
