//! The world's companies by domain: every company-site request looks its company up by host, so the lookup is
//! a hash index built as companies are added, not a scan (worlds of 10,000–50,000 companies stay cheap).

use std::borrow::Cow;
use std::collections::HashMap;

use crate::model::Company;
use crate::world::World;

/// Position in [`World::companies`] by domain in lower case. Derived from the companies, so it takes no part
/// in a world's equality.
#[derive(Debug, Clone, Default)]
pub(crate) struct DomainIndex(HashMap<String, usize>);

impl PartialEq for DomainIndex {
    fn eq(&self, _: &DomainIndex) -> bool {
        true
    }
}

impl World {
    /// The company with this domain (any case).
    pub fn company(&self, domain: &str) -> Option<&Company> {
        self.position(domain).map(|i| &self.companies[i])
    }

    pub fn company_mut(&mut self, domain: &str) -> Option<&mut Company> {
        self.position(domain).map(|i| &mut self.companies[i])
    }

    /// Adds a company or replaces the one with the same domain.
    pub fn add_company(&mut self, company: Company) {
        match self.position(&company.domain) {
            Some(i) => self.companies[i] = company,
            None => {
                let key = company.domain.to_ascii_lowercase();
                self.by_domain.0.insert(key, self.companies.len());
                self.companies.push(company);
            }
        }
    }

    /// Where the company with this domain is: through the index; by a scan only when the index does not
    /// cover every company (some were pushed onto `companies` directly) or points at another one.
    fn position(&self, domain: &str) -> Option<usize> {
        let key = match domain.bytes().any(|b| b.is_ascii_uppercase()) {
            true => Cow::Owned(domain.to_ascii_lowercase()),
            false => Cow::Borrowed(domain),
        };
        let indexed = self.by_domain.0.get(key.as_ref()).copied();
        let found = |i: usize| {
            self.companies
                .get(i)
                .is_some_and(|c| c.domain.eq_ignore_ascii_case(domain))
        };
        match indexed {
            Some(i) if found(i) => Some(i),
            None if self.by_domain.0.len() == self.companies.len() => None,
            _ => self
                .companies
                .iter()
                .position(|c| c.domain.eq_ignore_ascii_case(domain)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan<'w>(world: &'w World, domain: &str) -> Option<&'w Company> {
        world
            .companies
            .iter()
            .find(|c| c.domain.eq_ignore_ascii_case(domain))
    }

    #[test]
    fn the_index_finds_what_a_scan_finds_across_days_and_direct_pushes() {
        let mut world = World::generate(5, 400);
        assert_eq!(world.by_domain.0.len(), 400);
        for _ in 0..2 {
            for company in &world.companies {
                let upper = company.domain.to_ascii_uppercase();
                assert!(std::ptr::eq(world.company(&upper).unwrap(), company));
            }
            assert!(world.company("nobody.test").is_none());
            world.advance_day();
        }
        // Replaced in place: the index still points at it, nothing is added.
        let mut replaced = world.companies[7].clone();
        replaced.name = "Renamed".to_owned();
        world.add_company(replaced);
        assert_eq!(world.companies.len(), 400);
        assert_eq!(
            world.company(&world.companies[7].domain.clone()).unwrap().name,
            "Renamed"
        );
        // Pushed past the index, then the vector reordered: found by a scan, the same as before.
        let mut extra = world.companies[0].clone();
        extra.domain = "extra.test".to_owned();
        world.companies.push(extra);
        world.companies.swap(0, 1);
        for domain in [
            "extra.test",
            world.companies[0].domain.as_str(),
            world.companies[1].domain.as_str(),
        ] {
            assert!(std::ptr::eq(
                world.company(domain).unwrap(),
                scan(&world, domain).unwrap()
            ));
        }
        assert!(world.company("nobody.test").is_none());
    }
}
