//! The claimed units waiting to start, kept by pause key (provider) in claim order, so that choosing the
//! next one looks at each key once instead of at every unit queued.

use std::collections::{HashMap, VecDeque};

use super::Claimed;

/// Claimed units not started yet.
pub(super) struct Queue<U> {
    /// Each key's units, with their place in the claim order.
    by_key: HashMap<Option<String>, VecDeque<(u64, Claimed<U>)>>,
    /// The place of the next unit pushed.
    next: u64,
    len: usize,
}

impl<U> Default for Queue<U> {
    fn default() -> Self {
        Queue {
            by_key: HashMap::new(),
            next: 0,
            len: 0,
        }
    }
}

impl<U> Queue<U> {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(super) fn push(&mut self, claimed: Claimed<U>) {
        let place = self.next;
        self.next += 1;
        self.len += 1;
        let key = claimed.pause_key.clone();
        self.by_key.entry(key).or_default().push_back((place, claimed));
    }

    /// Takes the earliest claimed unit of the key with the fewest units in flight (`flying`), among the
    /// keys under their cap (`cap`; `None`: no cap).
    pub(super) fn take(
        &mut self,
        flying: impl Fn(&Option<String>) -> usize,
        cap: impl Fn(&str) -> Option<usize>,
    ) -> Option<Claimed<U>> {
        let (key, _) = self
            .by_key
            .iter()
            .filter_map(|(key, units)| {
                let (place, _) = units.front()?;
                let n = flying(key);
                let open = key.as_deref().and_then(&cap).is_none_or(|cap| n < cap);
                open.then_some((key, (n, *place)))
            })
            .min_by_key(|(_, order)| *order)?;
        let key = key.clone();
        let units = self.by_key.get_mut(&key)?;
        let (_, claimed) = units.pop_front()?;
        if units.is_empty() {
            self.by_key.remove(&key);
        }
        self.len -= 1;
        Some(claimed)
    }

    /// Every unit left, emptying the queue.
    pub(super) fn drain(&mut self) -> Vec<Claimed<U>> {
        self.len = 0;
        let mut all: Vec<(u64, Claimed<U>)> = self.by_key.drain().flat_map(|(_, units)| units).collect();
        all.sort_by_key(|(place, _)| *place);
        all.into_iter().map(|(_, claimed)| claimed).collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::{TimeZone, Utc};
    use pipeline_db::repo::leases::Lease;

    use super::*;

    fn claimed(key: &str, unit: u32) -> Claimed<u32> {
        let at = Utc.with_ymd_and_hms(2026, 12, 4, 0, 0, 0).unwrap();
        Claimed {
            unit,
            lease: Lease {
                kind: "ingestion".into(),
                unit_key: unit.to_string(),
                owner: "o".into(),
                attempt: 1,
                expires_at: at,
            },
            pause_key: (!key.is_empty()).then(|| key.to_owned()),
        }
    }

    #[test]
    fn the_earliest_unit_of_the_least_busy_open_key_goes_first() {
        let mut queue = Queue::default();
        for (key, unit) in [("a", 1), ("a", 2), ("b", 3), ("", 4), ("b", 5)] {
            queue.push(claimed(key, unit));
        }
        let flying: HashMap<Option<String>, usize> =
            [(Some("a".to_owned()), 1), (Some("b".to_owned()), 0)].into();
        let n = |k: &Option<String>| flying.get(k).copied().unwrap_or(0);
        // "b" and the keyless units have none in flight: the earlier claimed of them first.
        assert_eq!(queue.take(n, |_| None).unwrap().unit, 3);
        assert_eq!(queue.take(n, |_| None).unwrap().unit, 4);
        assert_eq!(queue.take(n, |_| None).unwrap().unit, 5);
        // "a" at its cap of one: nothing to start.
        assert!(queue.take(n, |_| Some(1)).is_none());
        assert_eq!(queue.len(), 2);
        assert_eq!(queue.take(n, |_| Some(2)).unwrap().unit, 1);
        queue.push(claimed("b", 6));
        let left: Vec<u32> = queue.drain().into_iter().map(|c| c.unit).collect();
        assert_eq!(left, [2, 6]);
        assert!(queue.is_empty());
    }
}
