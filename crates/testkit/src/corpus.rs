//! Words the generator draws from: company names, places, job titles and description text (Spanish and English).

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use crate::model::{Description, Lang};

pub const NAME_ROOTS: &[&str] = &[
    "Nubia",
    "Alba",
    "Brisa",
    "Cobalto",
    "Duna",
    "Faro",
    "Galena",
    "Hélice",
    "Iris",
    "Jara",
    "Kora",
    "Lince",
    "Marea",
    "Norte",
    "Olivo",
    "Prisma",
    "Quanta",
    "Roble",
    "Sierra",
    "Trébol",
    "Umbral",
    "Vega",
    "Zafiro",
    "Atlas",
    "Beacon",
    "Cedar",
    "Delta",
    "Ember",
    "Fjord",
    "Granite",
    "Harbor",
    "Ionic",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Nimbus",
    "Orbit",
    "Pioneer",
    "Quill",
    "Rivet",
    "Summit",
    "Tandem",
    "Vertex",
    "Willow",
    "Zenith",
    "Camino",
    "Paga",
    "Finca",
    "Logis",
    "Medix",
    "Agrova",
    "Ecolúmina",
    "Geomar",
    "Biotika",
    "Tukan",
    "Holo",
    "Nexo",
    "Verti",
    "Cuarzo",
    "Solera",
    "Azahar",
    "Mistral",
    "Tramuntana",
    "Albor",
    "Cierzo",
    "Lucero",
];

pub const NAME_SUFFIXES: &[&str] = &[
    "",
    " Labs",
    " Tech",
    " Pay",
    " Health",
    " Logistics",
    " Energy",
    " Analytics",
    " Robotics",
    " Foods",
    " Travel",
    " Finance",
    " Systems",
    " Bio",
    " Mobility",
    " Studio",
    " Cloud",
    " Data",
    "ly",
    "io",
    "ia",
    "ify",
    " Solutions",
    " Ventures",
    " Fintech",
    " Global",
];

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

/// (city, region, country code, country)
pub const LOCATIONS: &[(&str, &str, &str, &str)] = &[
    ("Madrid", "Comunidad de Madrid", "ES", "Spain"),
    ("Barcelona", "Catalonia", "ES", "Spain"),
    ("Valencia", "Comunitat Valenciana", "ES", "Spain"),
    ("Sevilla", "Andalucía", "ES", "Spain"),
    ("Bilbao", "País Vasco", "ES", "Spain"),
    ("Málaga", "Andalucía", "ES", "Spain"),
    ("Zaragoza", "Aragón", "ES", "Spain"),
    ("Lisboa", "Lisboa", "PT", "Portugal"),
    ("London", "England", "GB", "United Kingdom"),
    ("Berlin", "Berlin", "DE", "Germany"),
    ("Ciudad de México", "CDMX", "MX", "Mexico"),
    ("New York", "NY", "US", "United States"),
];

/// (department, English titles, Spanish titles)
pub const TITLES: &[(&str, &[&str], &[&str])] = &[
    (
        "Engineering",
        &[
            "Senior Backend Engineer",
            "Frontend Developer (React)",
            "Data Engineer",
            "DevOps Engineer",
            "QA Automation Engineer",
            "Mobile Developer (iOS)",
            "Machine Learning Engineer",
            "Site Reliability Engineer",
            "Staff Software Engineer",
            "Engineering Manager",
        ],
        &[
            "Ingeniero/a de Software Backend",
            "Desarrollador/a Full Stack",
            "Desarrollador/a Frontend",
            "Ingeniero/a de Datos",
            "Técnico/a de Sistemas",
            "Desarrollador/a Android",
            "Arquitecto/a Cloud",
        ],
    ),
    (
        "Finance",
        &[
            "Finance Operations Specialist",
            "Accounts Payable Specialist",
            "FP&A Manager",
            "Financial Controller",
        ],
        &[
            "Controller Financiero",
            "Responsable de Contabilidad",
            "Técnico/a de Administración",
            "Analista Financiero/a",
        ],
    ),
    (
        "Sales",
        &[
            "Account Executive",
            "Key Account Manager",
            "Business Development Representative",
            "Sales Manager",
        ],
        &[
            "Comercial B2B",
            "Responsable de Ventas",
            "Delegado/a Comercial",
            "Key Account Manager Retail",
        ],
    ),
    (
        "Marketing",
        &[
            "Performance Marketing Manager",
            "Content Marketing Specialist",
            "Growth Marketer",
            "Brand Designer",
        ],
        &[
            "Responsable de Marketing Digital",
            "Especialista SEO",
            "Community Manager",
            "Diseñador/a Gráfico/a",
        ],
    ),
    (
        "Operations",
        &[
            "Operations Manager",
            "Customer Success Manager",
            "Supply Chain Analyst",
            "Customer Support Agent",
        ],
        &[
            "Técnico/a de Logística",
            "Atención al Cliente",
            "Jefe/a de Almacén",
            "Coordinador/a de Operaciones",
        ],
    ),
    (
        "People",
        &[
            "Talent Acquisition Specialist",
            "HR Business Partner",
            "People Operations Generalist",
        ],
        &[
            "Técnico/a de Selección",
            "Responsable de Personas",
            "Administrativo/a de RRHH",
        ],
    ),
    (
        "Product",
        &[
            "Product Manager",
            "Product Designer",
            "UX Researcher",
            "Product Owner",
        ],
        &[
            "Product Manager Senior",
            "Diseñador/a UX/UI",
            "Product Owner Pagos",
        ],
    ),
];

/// Titles of postings that carry an FX signal in their title too.
pub const FX_TITLES_EN: &[&str] = &[
    "Treasury Analyst (FX)",
    "International Payments Specialist",
    "Export Manager",
    "FX Operations Associate",
    "Cross-border Payments Product Manager",
];
pub const FX_TITLES_ES: &[&str] = &[
    "Analista de Tesorería y Divisas",
    "Especialista en Pagos Internacionales",
    "Export Manager LATAM",
    "Técnico/a de Comercio Internacional",
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

pub fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or("")
}

fn sample<'a>(rng: &mut StdRng, items: &[&'a str], n: usize) -> Vec<&'a str> {
    rand::seq::index::sample(rng, items.len(), n.min(items.len()))
        .into_iter()
        .map(|i| items[i])
        .collect()
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Plain text of the world's own simple HTML: tags dropped (block ends become line breaks), entities decoded.
pub fn html_to_plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = &rest[open..];
            break;
        };
        let tag = &rest[open + 1..open + close];
        if matches!(tag, "/p" | "/li" | "/h3" | "/ul" | "br" | "br/") {
            out.push('\n');
        } else if tag == "li" {
            out.push_str("- ");
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    let lines: Vec<&str> = decoded.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    lines.join("\n")
}

/// ASCII lower-case slug: accents folded, runs of other characters become `sep`.
pub fn slugify(text: &str, sep: char) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let folded = fold(c);
        if folded.is_ascii_alphanumeric() {
            out.push(folded.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with(sep) && sep != '\0' {
            out.push(sep);
        }
    }
    while out.ends_with(sep) {
        out.pop();
    }
    out
}

fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'ä' | 'â' | 'Á' => 'a',
        'é' | 'è' | 'ë' | 'ê' | 'É' => 'e',
        'í' | 'ì' | 'ï' | 'Í' => 'i',
        'ó' | 'ò' | 'ö' | 'ô' | 'Ó' => 'o',
        'ú' | 'ù' | 'ü' | 'Ú' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' => 'c',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn slugs_fold_accents() {
        assert_eq!(slugify("Hélice Labs", '-'), "helice-labs");
        assert_eq!(slugify("Ecolúmina  Pay!", '\0'), "ecoluminapay");
    }
}
