//! A bounded map of short-lived entries (pending MFA challenges, authorization codes) with
//! O(1) amortized inserts.
//!
//! Entries are keyed by a random token and remembered in insertion order beside the map. An
//! insert prunes from the front of that order: entries that have expired, then the oldest
//! while the map is over its cap. It never scans the whole map, so a frozen clock that lets
//! nothing expire costs no more per insert than a ticking one (the review measured the old
//! scan-everything insert falling from 5,500/s to 950/s at 160,000 pending challenges).

use std::collections::{HashMap, VecDeque};

use time::OffsetDateTime;

/// What the map needs to know about an entry: when it stops being good.
pub(crate) trait Expiring {
    /// The instant from which the entry is no longer accepted.
    fn expires_at(&self) -> OffsetDateTime;
}

/// A map from token to entry, capped at a number of entries, oldest forgotten first.
#[derive(Debug)]
pub(crate) struct PendingMap<V> {
    entries: HashMap<String, V>,
    /// Keys in insertion order. Entries taken out of the map (answered challenges, redeemed
    /// codes) leave their key here until it reaches the front or a compaction drops it.
    order: VecDeque<String>,
    cap: usize,
}

impl<V: Expiring> PendingMap<V> {
    /// An empty map keeping at most `cap` entries.
    pub(crate) fn new(cap: usize) -> PendingMap<V> {
        PendingMap { entries: HashMap::new(), order: VecDeque::new(), cap: cap.max(1) }
    }

    /// Remembers `value` under `key`, first forgetting expired entries at the front and then the
    /// oldest beyond the cap. Returns how many keys it examined (for the cost test).
    pub(crate) fn insert(&mut self, key: String, value: V, now: OffsetDateTime) -> usize {
        let mut examined = 0;
        while let Some(front) = self.order.front() {
            let stale = self.entries.get(front).is_none_or(|entry| entry.expires_at() <= now);
            if !stale && self.entries.len() < self.cap {
                break;
            }
            examined += 1;
            if let Some(front) = self.order.pop_front() {
                self.entries.remove(&front);
            }
        }
        // Keys of entries removed out of order pile up in `order`; drop them once they are half
        // of it, which costs O(n) every n removals: O(1) amortized.
        if self.order.len() > 64 && self.order.len() > 2 * self.entries.len() {
            examined += self.order.len();
            let entries = &self.entries;
            self.order.retain(|key| entries.contains_key(key));
        }
        if self.entries.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
        }
        examined + 1
    }

    /// The entry under `key`, if remembered.
    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        self.entries.get(key)
    }

    /// Takes the entry under `key` out (its key leaves `order` lazily).
    pub(crate) fn remove(&mut self, key: &str) -> Option<V> {
        self.entries.remove(key)
    }

    /// Forgets everything.
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.order.clear();
    }

    /// How many entries are remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// How many keys the insertion order holds (live and stale).
    #[cfg(test)]
    fn order_len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2024-08-07 15:56:22 UTC);

    #[derive(Debug)]
    struct Until(OffsetDateTime);

    impl Expiring for Until {
        fn expires_at(&self) -> OffsetDateTime {
            self.0
        }
    }

    fn later(minutes: i64) -> OffsetDateTime {
        T0 + time::Duration::minutes(minutes)
    }

    #[test]
    fn inserts_cost_o1_amortized_on_a_frozen_clock() {
        // Nothing expires: the old store scanned every pending entry on each insert.
        let mut map = PendingMap::new(1000);
        let inserts = 100_000;
        let examined: usize = (0..inserts).map(|n| map.insert(format!("k{n}"), Until(later(5)), T0)).sum();
        assert!(examined <= 2 * inserts, "{examined} keys examined for {inserts} inserts");
        assert_eq!(map.len(), 1000);
        assert!(map.get("k99999").is_some(), "the newest is kept");
        assert!(map.get("k0").is_none(), "the oldest went first");
    }

    #[test]
    fn expired_entries_at_the_front_are_dropped_and_good_ones_kept() {
        let mut map = PendingMap::new(10);
        map.insert("old".into(), Until(later(5)), T0);
        map.insert("young".into(), Until(later(20)), later(1));
        map.insert("new".into(), Until(later(30)), later(10));
        assert!(map.get("old").is_none());
        assert!(map.get("young").is_some());
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn keys_removed_out_of_order_do_not_pile_up() {
        let mut map = PendingMap::new(1000);
        map.insert("pending".into(), Until(later(60)), T0);
        let mut examined = 0;
        for n in 0..100_000 {
            examined += map.insert(format!("k{n}"), Until(later(60)), T0);
            assert!(map.remove(&format!("k{n}")).is_some());
        }
        assert!(map.order_len() <= 200, "{}", map.order_len());
        assert!(examined <= 3 * 100_000, "{examined}");
        assert!(map.get("pending").is_some(), "answered entries do not push out a pending one");
    }
}
