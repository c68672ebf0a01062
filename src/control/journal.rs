//! The request journal: every request the products saw (method, path, endpoint name, masked
//! headers and fields, status, timing, the fault that fired), newest last, capped so a long
//! run keeps flat memory. Secrets are masked before an entry is built ([`super::mask`]).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};

use parking_lot::Mutex;
use serde::{Serialize, Serializer};
use time::OffsetDateTime;

use super::plan::FaultId;
use crate::scenario::Endpoint;

/// One recorded request.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct JournalEntry {
    /// Its number since the journal was last cleared, from 1.
    pub seq: u64,
    /// When it arrived, on the scenario clock.
    #[serde(serialize_with = "as_dotnet_date")]
    #[schema(value_type = String, example = "2024-08-07T15:56:22.9188632Z")]
    pub time: OffsetDateTime,
    /// The HTTP method.
    pub method: String,
    /// The path as sent (before normalization).
    pub path: String,
    /// The query string, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The product endpoint, when the path is one.
    #[schema(value_type = Option<String>, example = "vb365.token")]
    pub endpoint: Option<Endpoint>,
    /// The status answered; `None` when the connection was dropped or reset instead.
    pub status: Option<u16>,
    /// Time from arrival to the response head (including any fault delay), in milliseconds.
    pub duration_ms: f64,
    /// The fault that fired on it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<u64>)]
    pub fault: Option<FaultId>,
    /// Request headers as `[name, value]` pairs, with credentials masked.
    #[schema(value_type = Vec<Vec<String>>)]
    pub headers: Vec<(String, String)>,
    /// Form or JSON fields of a token request as `[name, value]` pairs, with secrets masked.
    #[schema(value_type = Vec<Vec<String>>)]
    pub fields: Vec<(String, String)>,
}

fn as_dotnet_date<S: Serializer>(time: &OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&crate::dates::dotnet_utc(*time))
}

/// An entry about to be recorded (the journal gives it its number).
#[derive(Debug)]
pub(crate) struct NewEntry {
    pub(crate) time: OffsetDateTime,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) endpoint: Option<Endpoint>,
    pub(crate) status: Option<u16>,
    pub(crate) duration_ms: f64,
    pub(crate) fault: Option<FaultId>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) fields: Vec<(String, String)>,
}

/// Which entries to find; every criterion given must hold.
///
/// ```
/// use veeam_auth_mock::{Endpoint, JournalQuery};
///
/// let refused_logins = JournalQuery::new().endpoint(Endpoint::Vb365Token).status(401);
/// # let _ = refused_logins;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalQuery {
    endpoint: Option<Endpoint>,
    method: Option<String>,
    path: Option<String>,
    status: Option<u16>,
    field: Option<(String, String)>,
}

impl JournalQuery {
    /// Matches every entry.
    pub fn new() -> JournalQuery {
        JournalQuery::default()
    }

    /// Only this endpoint.
    #[must_use]
    pub fn endpoint(mut self, endpoint: Endpoint) -> JournalQuery {
        self.endpoint = Some(endpoint);
        self
    }

    /// Only this method.
    #[must_use]
    pub fn method(mut self, method: &str) -> JournalQuery {
        self.method = Some(method.to_ascii_uppercase());
        self
    }

    /// Only this path (compared case-insensitively, trailing slash ignored).
    #[must_use]
    pub fn path(mut self, path: &str) -> JournalQuery {
        self.path = Some(path.trim_end_matches('/').to_ascii_lowercase());
        self
    }

    /// Only this status.
    #[must_use]
    pub fn status(mut self, status: u16) -> JournalQuery {
        self.status = Some(status);
        self
    }

    /// Only requests with this (unmasked) field value, such as `grant_type` = `refresh_token`.
    #[must_use]
    pub fn field(mut self, name: &str, value: &str) -> JournalQuery {
        self.field = Some((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// Whether `entry` passes.
    pub fn matches(&self, entry: &JournalEntry) -> bool {
        self.endpoint.is_none_or(|e| entry.endpoint == Some(e))
            && self.method.as_deref().is_none_or(|m| entry.method == m)
            && self.path.as_deref().is_none_or(|p| entry.path.trim_end_matches('/').eq_ignore_ascii_case(p))
            && self.status.is_none_or(|s| entry.status == Some(s))
            && self.field.as_ref().is_none_or(|(name, value)| {
                entry
                    .fields
                    .iter()
                    .any(|(n, v)| n.eq_ignore_ascii_case(name) && v.eq_ignore_ascii_case(value))
            })
    }
}

#[derive(Debug)]
struct Inner {
    entries: VecDeque<JournalEntry>,
    capacity: usize,
    next_seq: u64,
}

/// The request journal. Reached through `MockServer::journal()` or `/__mock/journal`.
///
/// ```
/// use veeam_auth_mock::{Endpoint, MockServer, Scenario};
///
/// let server = MockServer::start_blocking(Scenario::default());
/// // ... the client under test logs in ...
/// assert_eq!(server.journal().count(Endpoint::Vb365Token), 0);
/// ```
#[derive(Debug)]
pub struct Journal {
    inner: Mutex<Inner>,
    enabled: AtomicBool,
}

impl Journal {
    /// An empty journal keeping at most `capacity` entries.
    pub(crate) fn new(enabled: bool, capacity: usize) -> Journal {
        Journal {
            inner: Mutex::new(Inner { entries: VecDeque::new(), capacity: capacity.max(1), next_seq: 1 }),
            enabled: AtomicBool::new(enabled),
        }
    }

    /// Whether requests are being recorded.
    pub fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::Acquire)
    }

    /// Turns recording on or off (entries already kept stay).
    pub fn set_enabled(&self, enabled: bool) {
        self.enabled.store(enabled, Ordering::Release);
    }

    /// How many entries are kept at most.
    pub fn capacity(&self) -> usize {
        self.inner.lock().capacity
    }

    /// Changes the cap (at least 1), evicting the oldest entries beyond it.
    pub fn set_capacity(&self, capacity: usize) {
        let mut inner = self.inner.lock();
        inner.capacity = capacity.max(1);
        while inner.entries.len() > inner.capacity {
            inner.entries.pop_front();
        }
    }

    /// Every entry kept, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.inner.lock().entries.iter().cloned().collect()
    }

    /// The newest `n` entries, oldest first.
    pub fn last(&self, n: usize) -> Vec<JournalEntry> {
        let inner = self.inner.lock();
        let skip = inner.entries.len().saturating_sub(n);
        inner.entries.iter().skip(skip).cloned().collect()
    }

    /// The entries a query matches, oldest first.
    pub fn find(&self, query: &JournalQuery) -> Vec<JournalEntry> {
        self.inner.lock().entries.iter().filter(|entry| query.matches(entry)).cloned().collect()
    }

    /// How many kept entries a query matches.
    pub fn count_matching(&self, query: &JournalQuery) -> usize {
        self.inner.lock().entries.iter().filter(|entry| query.matches(entry)).count()
    }

    /// How many kept entries are for `endpoint`.
    pub fn count(&self, endpoint: Endpoint) -> usize {
        self.count_matching(&JournalQuery::new().endpoint(endpoint))
    }

    /// How many entries are kept.
    pub fn len(&self) -> usize {
        self.inner.lock().entries.len()
    }

    /// Whether no entry is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many requests were recorded since the last clear, evicted ones included.
    pub fn total(&self) -> u64 {
        self.inner.lock().next_seq - 1
    }

    /// Forgets every entry; numbering starts again at 1.
    pub fn clear(&self) {
        let mut inner = self.inner.lock();
        inner.entries.clear();
        inner.next_seq = 1;
    }

    /// Applies new settings and forgets every entry (a reset).
    pub(crate) fn reset(&self, enabled: bool, capacity: usize) {
        let mut inner = self.inner.lock();
        inner.entries.clear();
        inner.next_seq = 1;
        inner.capacity = capacity.max(1);
        self.set_enabled(enabled);
    }

    /// Records an entry, evicting the oldest beyond the cap.
    pub(crate) fn record(&self, new: NewEntry) {
        let mut inner = self.inner.lock();
        let seq = inner.next_seq;
        inner.next_seq += 1;
        if inner.entries.len() >= inner.capacity {
            inner.entries.pop_front();
        }
        inner.entries.push_back(JournalEntry {
            seq,
            time: new.time,
            method: new.method,
            path: new.path,
            query: new.query,
            endpoint: new.endpoint,
            status: new.status,
            duration_ms: new.duration_ms,
            fault: new.fault,
            headers: new.headers,
            fields: new.fields,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn entry(endpoint: Endpoint, status: u16) -> NewEntry {
        NewEntry {
            time: datetime!(2024-08-07 15:56:22 UTC),
            method: "POST".into(),
            path: "/v8/Token".into(),
            query: None,
            endpoint: Some(endpoint),
            status: Some(status),
            duration_ms: 1.0,
            fault: None,
            headers: Vec::new(),
            fields: vec![("grant_type".into(), "password".into())],
        }
    }

    #[test]
    fn the_cap_evicts_the_oldest_and_numbering_goes_on() {
        let journal = Journal::new(true, 2);
        for status in [200, 401, 503] {
            journal.record(entry(Endpoint::Vb365Token, status));
        }
        let seqs: Vec<u64> = journal.entries().iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [2, 3]);
        assert_eq!(journal.total(), 3);
        journal.set_capacity(1);
        assert_eq!(journal.last(5).len(), 1);
        journal.clear();
        assert!(journal.is_empty());
        assert_eq!(journal.total(), 0);
    }

    #[test]
    fn queries_combine_their_criteria() {
        let journal = Journal::new(true, 10);
        journal.record(entry(Endpoint::Vb365Token, 200));
        journal.record(entry(Endpoint::Vb365Token, 401));
        journal.record(entry(Endpoint::AzureToken, 200));
        assert_eq!(journal.count(Endpoint::Vb365Token), 2);
        let query = JournalQuery::new().endpoint(Endpoint::Vb365Token).status(401).path("/v8/token/");
        assert_eq!(journal.count_matching(&query), 1);
        assert_eq!(journal.count_matching(&JournalQuery::new().field("GRANT_TYPE", "Password")), 3);
        assert_eq!(journal.count_matching(&JournalQuery::new().method("get")), 0);
    }
}
