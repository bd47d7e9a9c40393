//! A generated board and its postings: tenant names, board variants, posting counts with a long tail, titles,
//! locations, salaries, reposts and ids in each provider's own style.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rand::seq::IndexedRandom;

use super::{FX_POSTING_CHANCE, Gen};
use crate::corpus::{self, TITLES, pick, slugify};
use crate::model::{Board, BoardRef, Description, Employment, Lang, Posting, Provider, Salary, Workplace};

impl Gen {
    pub(super) fn reference(&mut self, provider: Provider, tenant: &str, name: &str) -> BoardRef {
        let mut reference = match provider {
            Provider::Workday => {
                let pod = *["wd1", "wd3", "wd5", "wd103"]
                    .choose(&mut self.rng)
                    .unwrap_or(&"wd3");
                let site = match self.rng.random_range(0..3) {
                    0 => "External".to_owned(),
                    1 => "Careers".to_owned(),
                    _ => format!("{}_Careers", slugify(name, '_')),
                };
                BoardRef::workday(tenant, pod, &site)
            }
            _ => BoardRef::new(provider, tenant),
        };
        reference.variant = match provider {
            Provider::Lever if self.rng.random_bool(0.3) => Some("eu".to_owned()),
            Provider::Greenhouse if self.rng.random_bool(0.15) => Some("eu".to_owned()),
            Provider::Personio if self.rng.random_bool(0.25) => Some("com".to_owned()),
            _ => None,
        };
        reference
    }

    pub(crate) fn new_board(
        &mut self,
        provider: Provider,
        name: &str,
        slug: &str,
        fx: bool,
        now: DateTime<Utc>,
    ) -> Board {
        self.new_board_scaled(provider, name, slug, fx, now, None)
    }

    /// [`Gen::new_board`] with its drawn posting count multiplied by `scale` (rounded); `None` draws exactly
    /// as `new_board`.
    pub(crate) fn new_board_scaled(
        &mut self,
        provider: Provider,
        name: &str,
        slug: &str,
        fx: bool,
        now: DateTime<Utc>,
        scale: Option<f64>,
    ) -> Board {
        let base = match provider {
            Provider::SmartRecruiters => name
                .split_whitespace()
                .collect::<String>()
                .replace(['é', 'ú', 'ó'], "e"),
            Provider::Lever | Provider::Recruitee if self.rng.random_bool(0.4) => slugify(name, '-'),
            _ => slug.to_owned(),
        };
        let mut tenant = base.clone();
        let mut n = 2;
        while self
            .tenants
            .contains(&format!("{}:{}", provider.key(), tenant.to_ascii_lowercase()))
        {
            tenant = format!("{base}{n}");
            n += 1;
        }
        self.tenants
            .insert(format!("{}:{}", provider.key(), tenant.to_ascii_lowercase()));
        let reference = self.reference(provider, &tenant, name);
        let company_name = if self.rng.random_bool(0.2) {
            format!("{name} S.L.")
        } else {
            name.to_owned()
        };
        let drawn = self.posting_count();
        let count = scale.map_or(drawn, |s| (drawn as f64 * s).round() as usize);
        let mut postings: Vec<Posting> = Vec::with_capacity(count);
        for _ in 0..count {
            let age = self.rng.random_range(0..90 * 24);
            if !postings.is_empty() && self.rng.random_bool(0.05) {
                let i = self.rng.random_range(0..postings.len());
                let mut repost = self.repost(provider, &postings[i], now);
                repost.published_at =
                    postings[i].published_at + Duration::hours(self.rng.random_range(1..200));
                repost.updated_at = repost.published_at;
                postings.push(repost);
            } else {
                postings.push(self.new_posting(provider, fx, now, age));
            }
        }
        if provider == Provider::Recruitee && self.rng.random_bool(0.15) {
            let mut sample = self.new_posting(provider, false, now, 2000);
            sample.title = format!("{} (Sample)", sample.title);
            sample.listed = false;
            postings.push(sample);
        }
        if provider == Provider::Ashby && count > 0 && self.rng.random_bool(0.3) {
            let mut hidden = self.new_posting(provider, false, now, 24);
            hidden.listed = false;
            postings.push(hidden);
        }
        postings.sort_by_key(|p| p.published_at);
        Board {
            reference,
            company_name,
            postings,
            updated_at: now,
        }
    }

    /// Postings per board: most 1–20, some empty, a long tail past 500.
    fn posting_count(&mut self) -> usize {
        let u: f64 = self.rng.random();
        match u {
            u if u < 0.07 => 0,
            u if u < 0.80 => self.rng.random_range(1..=20),
            u if u < 0.97 => self.rng.random_range(21..=120),
            u if u < 0.99 => self.rng.random_range(121..=400),
            _ => self.rng.random_range(500..=900),
        }
    }

    pub(crate) fn new_posting(
        &mut self,
        provider: Provider,
        fx_exposed: bool,
        now: DateTime<Utc>,
        age_hours: i64,
    ) -> Posting {
        let chance = if fx_exposed {
            FX_POSTING_CHANCE.0
        } else {
            FX_POSTING_CHANCE.1
        };
        let fx = self.rng.random_bool(chance);
        let lang = if self.rng.random_bool(0.55) {
            Lang::Es
        } else {
            Lang::En
        };
        let (dept, en, es) = TITLES[self.rng.random_range(0..TITLES.len())];
        let mut title = pick(&mut self.rng, if lang == Lang::En { en } else { es }).to_owned();
        let mut department = dept.to_owned();
        if fx && self.rng.random_bool(0.3) {
            title = pick(
                &mut self.rng,
                if lang == Lang::En {
                    corpus::FX_TITLES_EN
                } else {
                    corpus::FX_TITLES_ES
                },
            )
            .to_owned();
            department = "Finance".to_owned();
        }
        let (city, region, code, country) =
            corpus::LOCATIONS[self.rng.random_range(0..corpus::LOCATIONS.len())];
        let location = crate::model::Location::new(city, region, code, country);
        let workplace = *[
            Workplace::Remote,
            Workplace::Hybrid,
            Workplace::OnSite,
            Workplace::Hybrid,
        ]
        .choose(&mut self.rng)
        .unwrap_or(&Workplace::Hybrid);
        let employment = match self.rng.random_range(0..20) {
            0 => Employment::Internship,
            1 => Employment::PartTime,
            2 => Employment::Contract,
            _ => Employment::FullTime,
        };
        let salary = self.rng.random_bool(0.3).then(|| {
            let min = self.rng.random_range(25..80) * 1000;
            Salary {
                min,
                max: min + self.rng.random_range(5..30) * 1000,
                currency: if location.country_code == "US" {
                    "USD"
                } else {
                    "EUR"
                }
                .to_owned(),
                period: "year".to_owned(),
            }
        });
        let published_at = now - Duration::hours(age_hours);
        let id = self.posting_id(provider);
        Posting {
            requisition_id: format!("R{:05}", self.rng.random_range(1000..99999)),
            id,
            title,
            description: Description::Generated {
                seed: self.rng.random(),
                lang,
                fx,
            },
            location,
            department,
            employment,
            workplace,
            salary,
            published_at,
            updated_at: published_at,
            valid_through: None,
            listed: true,
            fx,
            repost_of: None,
        }
    }

    pub(crate) fn repost(&mut self, provider: Provider, original: &Posting, now: DateTime<Utc>) -> Posting {
        let mut repost = original.clone();
        repost.id = self.posting_id(provider);
        repost.published_at = now;
        repost.updated_at = now;
        repost.repost_of = Some(original.repost_of.clone().unwrap_or_else(|| original.id.clone()));
        repost
    }

    /// An id in the provider's own style.
    pub(crate) fn posting_id(&mut self, provider: Provider) -> String {
        match provider {
            Provider::Lever | Provider::Ashby => {
                let b: [u8; 16] = self.rng.random();
                let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
                format!(
                    "{}-{}-4{}-a{}-{}",
                    &h[0..8],
                    &h[8..12],
                    &h[13..16],
                    &h[17..20],
                    &h[20..32]
                )
            }
            Provider::Greenhouse => self.rng.random_range(4_000_000_u64..9_999_999).to_string(),
            Provider::Workable => {
                let b: [u8; 5] = self.rng.random();
                b.iter().map(|x| format!("{x:02X}")).collect()
            }
            Provider::SmartRecruiters => format!("7440000{:08}", self.rng.random_range(0..100_000_000_u64)),
            Provider::Recruitee | Provider::Teamtailor => {
                self.rng.random_range(100_000_u64..999_999).to_string()
            }
            Provider::Personio => self.rng.random_range(1_000_000_u64..9_999_999).to_string(),
            Provider::Workday => format!("R-{:06}", self.rng.random_range(0..1_000_000_u64)),
            // A careers site's own job code, given as the posting's `identifier`.
            Provider::JsonLd => format!("JOB-{:07}", self.rng.random_range(1_000_000..10_000_000_u32)),
        }
    }
}
