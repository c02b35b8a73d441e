//! Answers to hot reads, kept only while the database is unchanged.
//!
//! An entry is filled with the [`Stamp`] taken *before* its query ran and is served only while
//! the database's stamp is still that one, so a commit anywhere (a logout, a revoked key, a
//! role change, on any connection or process) makes every entry stale before the next request
//! can see it. A commit racing the query leaves the entry with the older stamp: never served.
//! Entries of one stamp are all there is; the first fill under a newer stamp drops them.
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use axum::body::Bytes;

use crate::auth::session::{SessionKey, SessionRow};
use crate::db::{Snapshots, Stamp};

/// Sessions and OData responses each fit many times in a few MiB at these counts.
const MAX_SESSIONS: usize = 10_000;
const MAX_RESPONSES: usize = 256;
/// Larger OData answers are rebuilt each time rather than kept.
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024;

/// The reads every authenticated request repeats: its session, and OData GETs (which depend
/// only on the caller's user, the path and the query, never on the clock).
pub struct Reads {
    pub snapshots: Snapshots,
    pub sessions: ReadCache<SessionKey, SessionRow>,
    /// By (user id, resource segment, raw query): the JSON body.
    pub odata: ReadCache<(i64, String, Option<String>), Bytes>,
}

impl Reads {
    pub fn new(snapshots: Snapshots) -> Self {
        Self {
            snapshots,
            sessions: ReadCache::new(MAX_SESSIONS),
            odata: ReadCache::new(MAX_RESPONSES),
        }
    }
}

pub struct ReadCache<K, V> {
    inner: Mutex<Inner<K, V>>,
    max_entries: usize,
}

struct Inner<K, V> {
    at: Option<Stamp>,
    entries: HashMap<K, V>,
}

impl<K: Eq + Hash, V: Clone> ReadCache<K, V> {
    pub fn new(max_entries: usize) -> Self {
        Self {
            inner: Mutex::new(Inner {
                at: None,
                entries: HashMap::new(),
            }),
            max_entries,
        }
    }

    /// The value filled under `at`, when `at` is a stamp and that is what it was filled under.
    pub fn get(&self, at: Option<Stamp>, key: &K) -> Option<V> {
        let at = at?;
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.at != Some(at) {
            return None;
        }
        inner.entries.get(key).cloned()
    }

    /// Keeps `value`, read from the database after `at` was taken. Beyond `max_entries` new
    /// keys are not kept, so memory stays bounded whatever the callers ask.
    pub fn put(&self, at: Option<Stamp>, key: K, value: V) {
        let Some(at) = at else {
            return;
        };
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.at != Some(at) {
            inner.entries.clear();
            inner.at = Some(at);
        }
        if inner.entries.len() < self.max_entries || inner.entries.contains_key(&key) {
            inner.entries.insert(key, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(n: u8) -> Option<Stamp> {
        Some(Stamp::for_tests(n))
    }

    #[test]
    fn serves_only_under_the_stamp_it_was_filled_with() {
        let cache = ReadCache::new(2);
        cache.put(stamp(1), "a", 1);
        assert_eq!(cache.get(stamp(1), &"a"), Some(1));
        assert_eq!(cache.get(stamp(2), &"a"), None);
        assert_eq!(cache.get(None, &"a"), None);
        cache.put(stamp(2), "b", 2);
        assert_eq!(
            cache.get(stamp(1), &"a"),
            None,
            "a newer fill drops older entries"
        );
        assert_eq!(cache.get(stamp(2), &"b"), Some(2));
    }

    #[test]
    fn without_a_stamp_nothing_is_kept() {
        let cache = ReadCache::new(2);
        cache.put(None, "a", 1);
        assert_eq!(cache.get(None, &"a"), None);
    }

    #[test]
    fn holds_at_most_max_entries() {
        let cache = ReadCache::new(2);
        for (i, k) in ["a", "b", "c"].into_iter().enumerate() {
            cache.put(stamp(1), k, i);
        }
        assert_eq!(cache.get(stamp(1), &"c"), None);
        cache.put(stamp(1), "a", 9);
        assert_eq!(
            cache.get(stamp(1), &"a"),
            Some(9),
            "a kept key is still updated"
        );
    }
}
