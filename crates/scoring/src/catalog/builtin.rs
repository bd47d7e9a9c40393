//! The built-in catalog: the original's `data/catalog.json` v2.0.0 (docs/original-system.md#ref-7),
//! transcribed as data. `catalog/default.toml` in this crate is the same catalog as a file (a test keeps the
//! two equal).

use super::{Catalog, Category, Keyword, Phrase, ScoringRules};

const CATEGORIES: [(&str, &str, u8); 10] = [
    ("cat_fx_currency_ops", "FX & Currency Operations", 3),
    ("cat_fx_crossborder_payments", "Cross-Border Payments", 3),
    ("cat_fx_trade_ops", "International Trade Operations", 3),
    ("cat_intl_market_presence", "International Market Presence", 2),
    ("cat_biz_finance_ops", "Finance & Treasury Operations", 2),
    (
        "cat_biz_ecommerce_marketplace",
        "International Ecommerce & Marketplace",
        2,
    ),
    ("cat_biz_saas_international", "SaaS International Revenue", 2),
    ("cat_proxy_payment_stack", "Payment Stack (Proxy)", 1),
    ("cat_proxy_cloud_stack", "Cloud Stack (Proxy)", 1),
    ("cat_proxy_growth_stack", "Growth Stack (Proxy)", 1),
];

/// (id, category id, canonical, aliases).
const KEYWORDS: [(&str, &str, &str, &[&str]); 34] = [
    ("kw_usd_currency", "cat_fx_currency_ops", "USD", &["usd"]),
    ("kw_gbp_currency", "cat_fx_currency_ops", "GBP", &["gbp"]),
    ("kw_chf_currency", "cat_fx_currency_ops", "CHF", &["chf"]),
    ("kw_forex", "cat_fx_currency_ops", "Forex", &["forex", "fx"]),
    (
        "kw_divisa",
        "cat_fx_currency_ops",
        "Divisa",
        &["divisa", "divisas", "multidivisa"],
    ),
    (
        "kw_tipo_cambio",
        "cat_fx_currency_ops",
        "Tipo de Cambio",
        &["tipo de cambio", "cambio de divisa"],
    ),
    (
        "kw_international_payments",
        "cat_fx_crossborder_payments",
        "International Payments",
        &[
            "international payments",
            "pagos internacionales",
            "transferencias internacionales",
        ],
    ),
    (
        "kw_crossborder_payments",
        "cat_fx_crossborder_payments",
        "Cross-Border Payments",
        &[
            "cross-border payments",
            "cross border payments",
            "cobros internacionales",
        ],
    ),
    ("kw_swift", "cat_fx_crossborder_payments", "SWIFT", &["swift"]),
    (
        "kw_foreign_payments",
        "cat_fx_crossborder_payments",
        "Foreign Payments",
        &["pagos en divisa", "cobros en divisa"],
    ),
    (
        "kw_export_import",
        "cat_fx_trade_ops",
        "Export/Import",
        &["exportacion", "importacion", "export", "import"],
    ),
    (
        "kw_international_trade",
        "cat_fx_trade_ops",
        "International Trade",
        &["comercio internacional", "international trade"],
    ),
    (
        "kw_usa_market",
        "cat_intl_market_presence",
        "USA Market",
        &["clientes en usa", "mercado usa", "usa market", "us market"],
    ),
    (
        "kw_uk_market",
        "cat_intl_market_presence",
        "UK Market",
        &["clientes en uk", "mercado uk", "uk market"],
    ),
    (
        "kw_latam",
        "cat_intl_market_presence",
        "LATAM",
        &["latam", "latinoamerica", "mexico", "colombia", "chile"],
    ),
    (
        "kw_international_clients",
        "cat_intl_market_presence",
        "International Clients",
        &[
            "clientes internacionales",
            "international customers",
            "global customers",
        ],
    ),
    ("kw_emea", "cat_intl_market_presence", "EMEA", &["emea"]),
    (
        "kw_treasury",
        "cat_biz_finance_ops",
        "Treasury",
        &["treasury", "tesoreria"],
    ),
    (
        "kw_finance_ops",
        "cat_biz_finance_ops",
        "Finance Operations",
        &["operaciones financieras", "finance operations"],
    ),
    (
        "kw_ecommerce_international",
        "cat_biz_ecommerce_marketplace",
        "International Ecommerce",
        &[
            "ecommerce internacional",
            "ventas internacionales",
            "international sales",
        ],
    ),
    (
        "kw_marketplace",
        "cat_biz_ecommerce_marketplace",
        "Marketplace",
        &["marketplace", "marketplaces"],
    ),
    (
        "kw_subscriptions",
        "cat_biz_saas_international",
        "Subscriptions",
        &["subscriptions", "suscripciones", "recurring revenue"],
    ),
    (
        "kw_saas",
        "cat_biz_saas_international",
        "SaaS",
        &["saas", "software as a service"],
    ),
    (
        "kw_stripe",
        "cat_proxy_payment_stack",
        "Stripe",
        &["stripe", "stripe payments"],
    ),
    ("kw_adyen", "cat_proxy_payment_stack", "Adyen", &["adyen"]),
    (
        "kw_paypal",
        "cat_proxy_payment_stack",
        "PayPal",
        &["paypal", "braintree"],
    ),
    (
        "kw_aws",
        "cat_proxy_cloud_stack",
        "AWS",
        &["aws", "amazon web services", "ec2", "s3", "lambda"],
    ),
    (
        "kw_gcp",
        "cat_proxy_cloud_stack",
        "GCP",
        &["gcp", "google cloud", "google cloud platform"],
    ),
    (
        "kw_azure",
        "cat_proxy_cloud_stack",
        "Azure",
        &["azure", "microsoft azure"],
    ),
    (
        "kw_google_ads",
        "cat_proxy_growth_stack",
        "Google Ads",
        &["google ads", "adwords", "google adwords"],
    ),
    (
        "kw_meta_ads",
        "cat_proxy_growth_stack",
        "Meta Ads",
        &["meta ads", "facebook ads", "instagram ads"],
    ),
    (
        "kw_tiktok_ads",
        "cat_proxy_growth_stack",
        "TikTok Ads",
        &["tiktok ads", "tiktok for business"],
    ),
    (
        "kw_salesforce",
        "cat_proxy_growth_stack",
        "Salesforce",
        &["salesforce", "sfdc"],
    ),
    ("kw_hubspot", "cat_proxy_growth_stack", "HubSpot", &["hubspot"]),
];

const PHRASES: [(&str, &str, u8); 14] = [
    ("phrase_usd", "USD", 3),
    ("phrase_gbp", "GBP", 3),
    ("phrase_eur", "EUR", 3),
    ("phrase_mxn", "MXN", 3),
    ("phrase_brl", "BRL", 3),
    ("phrase_multicurrency", "multidivisa", 3),
    ("phrase_international_payments", "pagos internacionales", 3),
    ("phrase_forex", "foreign exchange", 3),
    (
        "phrase_crossborder_transfers",
        "transferencias internacionales",
        3,
    ),
    ("phrase_currency_exchange", "cambio de divisa", 3),
    ("phrase_global_expansion", "expansión internacional", 2),
    ("phrase_international_sales", "ventas internacionales", 2),
    ("phrase_global_clients", "clientes globales", 2),
    ("phrase_international_market", "mercado internacional", 2),
];

pub(super) fn catalog() -> Catalog {
    Catalog {
        label: "2.0.0".into(),
        categories: CATEGORIES
            .iter()
            .map(|&(id, name, tier)| Category {
                id: id.into(),
                name: name.into(),
                tier,
            })
            .collect(),
        keywords: KEYWORDS
            .iter()
            .map(|&(id, category_id, canonical, aliases)| Keyword {
                id: id.into(),
                category_id: category_id.into(),
                canonical: canonical.into(),
                aliases: aliases.iter().map(|&a| a.into()).collect(),
            })
            .collect(),
        phrases: PHRASES
            .iter()
            .map(|&(id, phrase, tier)| Phrase {
                id: id.into(),
                phrase: phrase.into(),
                tier,
            })
            .collect(),
        scoring: ScoringRules::default(),
    }
}
