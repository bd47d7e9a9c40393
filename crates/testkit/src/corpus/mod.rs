//! Words the generator draws from: company names, places and job titles (Spanish and English). Description
//! text is in `description.rs`, the HTML and slug helpers in `text.rs`.

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;

mod description;
mod text;

pub use description::render_description;
pub use text::{escape, html_to_plain, slugify};

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

pub fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or("")
}
