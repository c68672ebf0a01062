//! The request journal: every request the products saw (method, path, endpoint name, masked
//! headers and fields, status, timing, the fault that fired), newest last, capped so a long
//! run keeps flat memory. Secrets are masked before an entry is built ([`super::mask`]).
//!
//! # Limits
//!
//! - At most [`Journal::MAX_CAPACITY`] (10,000) entries; the scenario's `journal.capacity`
//!   (default 1000) and the admin API may choose fewer, never more.
//! - At most [`Journal::MAX_BYTES`] (16 MiB) of recorded text in all; beyond it the oldest
//!   entries are evicted even below the capacity.
//! - In each entry, a header or field value longer than [`MAX_VALUE_BYTES`] (1 KiB), a header
//!   or field name longer than [`MAX_NAME_BYTES`] (256 bytes) and a path or query longer than
//!   [`MAX_PATH_BYTES`] (2 KiB) is cut at that length and marked with its full size, as in
//!   `abc…(12288 bytes)`, so a client sending 12 KB headers cannot make each entry 12 KB.
//!
//! Entries are shared (`Arc`) between the journal and its readers: a read holds the lock only
//! to pick the matching entries (newest first, stopping at the limit) and copies them after
//! releasing it, so a client polling `GET /__mock/journal?limit=20` does not hold up the
//! product requests that are being recorded.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use parking_lot::Mutex;
use serde::{Serialize, Serializer};
use time::OffsetDateTime;

use super::plan::FaultId;
use crate::scenario::{Endpoint, ROUTE_PREFIX};

/// One recorded request.
///
/// In JSON (the admin API's journal), a request to a declared route shows its route as its
/// `endpoint`, `"route.<name>"`, beside the products' endpoint names (the `route` field does
/// not appear on its own).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalEntry {
    /// Its number since the journal was last cleared, from 1.
    pub seq: u64,
    /// When it arrived, on the scenario clock.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2024-08-07T15:56:22.9188632Z"))]
    pub time: OffsetDateTime,
    /// The HTTP method.
    pub method: String,
    /// The path as sent (before normalization).
    pub path: String,
    /// The query string, if any, with secrets masked.
    pub query: Option<String>,
    /// The product endpoint (`vb365.token`) or the declared route (`route.jobs`) the request
    /// went to, when one names it.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "vb365.token"))]
    pub endpoint: Option<Endpoint>,
    /// The declared route the request went to, by name (lower case, without `route.`), when
    /// one names it; shown as the JSON's `endpoint`.
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub route: Option<String>,
    /// The status answered; `None` when the connection was dropped or reset instead.
    pub status: Option<u16>,
    /// Time from arrival to the response head (including any fault delay), in milliseconds.
    pub duration_ms: f64,
    /// The fault that fired on it, if any.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u64>))]
    pub fault: Option<FaultId>,
    /// Request headers as `[name, value]` pairs, with credentials masked.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<String>>))]
    pub headers: Vec<(String, String)>,
    /// Form or JSON fields of a token request as `[name, value]` pairs, with secrets masked.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<String>>))]
    pub fields: Vec<(String, String)>,
}

impl JournalEntry {
    /// The name of what the request went to, as the JSON shows it: a product endpoint's
    /// (`vb365.token`), a declared route's (`route.jobs`), or none.
    ///
    /// ```
    /// use veeam_auth_mock::{Endpoint, JournalEntry};
    ///
    /// let entry = JournalEntry {
    ///     seq: 1,
    ///     time: veeam_auth_mock::time::OffsetDateTime::UNIX_EPOCH,
    ///     method: "GET".into(),
    ///     path: "/v8/Jobs".into(),
    ///     query: None,
    ///     endpoint: None,
    ///     route: Some("jobs".into()),
    ///     status: Some(200),
    ///     duration_ms: 0.5,
    ///     fault: None,
    ///     headers: Vec::new(),
    ///     fields: Vec::new(),
    /// };
    /// assert_eq!(entry.endpoint_name().as_deref(), Some("route.jobs"));
    /// let json = serde_json::to_value(&entry).expect("JSON");
    /// assert_eq!(json["endpoint"], "route.jobs");
    /// assert!(json.get("route").is_none());
    /// let login = JournalEntry { endpoint: Some(Endpoint::Vb365Token), route: None, ..entry };
    /// assert_eq!(login.endpoint_name().as_deref(), Some("vb365.token"));
    /// ```
    pub fn endpoint_name(&self) -> Option<String> {
        match (&self.route, self.endpoint) {
            (Some(route), _) => Some(format!("{ROUTE_PREFIX}{route}")),
            (None, Some(endpoint)) => Some(endpoint.name().to_owned()),
            (None, None) => None,
        }
    }
}

/// A [`JournalEntry`] as JSON: the keys, in order, that the admin API has always shown, with
/// the route folded into `endpoint`. Borrowed, so serializing copies nothing but the names.
#[derive(Serialize)]
struct EntryJson<'a> {
    seq: u64,
    #[serde(serialize_with = "as_dotnet_date")]
    time: &'a OffsetDateTime,
    method: &'a str,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<&'a str>,
    endpoint: Option<String>,
    status: Option<u16>,
    duration_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    fault: Option<FaultId>,
    headers: &'a [(String, String)],
    fields: &'a [(String, String)],
}

impl Serialize for JournalEntry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        EntryJson {
            seq: self.seq,
            time: &self.time,
            method: &self.method,
            path: &self.path,
            query: self.query.as_deref(),
            endpoint: self.endpoint_name(),
            status: self.status,
            duration_ms: self.duration_ms,
            fault: self.fault,
            headers: &self.headers,
            fields: &self.fields,
        }
        .serialize(serializer)
    }
}

fn as_dotnet_date<S: Serializer>(time: &&OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&crate::dates::dotnet_utc(**time))
}

/// An entry about to be recorded (the journal gives it its number).
#[derive(Debug)]
pub(crate) struct NewEntry {
    pub(crate) time: OffsetDateTime,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) endpoint: Option<Endpoint>,
    pub(crate) route: Option<String>,
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
    route: Option<String>,
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

    /// Only requests to the declared route named `name` (compared case-insensitively, without
    /// `route.`).
    ///
    /// ```
    /// use veeam_auth_mock::{JournalEntry, JournalQuery};
    ///
    /// let query = JournalQuery::new().route("Jobs").status(200);
    /// let entry = JournalEntry {
    ///     seq: 1,
    ///     time: veeam_auth_mock::time::OffsetDateTime::UNIX_EPOCH,
    ///     method: "GET".into(),
    ///     path: "/v8/Jobs".into(),
    ///     query: None,
    ///     endpoint: None,
    ///     route: Some("jobs".into()),
    ///     status: Some(200),
    ///     duration_ms: 0.5,
    ///     fault: None,
    ///     headers: Vec::new(),
    ///     fields: Vec::new(),
    /// };
    /// assert!(query.matches(&entry));
    /// assert!(!query.matches(&JournalEntry { route: Some("repositories".into()), ..entry }));
    /// ```
    #[must_use]
    pub fn route(mut self, name: &str) -> JournalQuery {
        self.route = Some(name.trim().to_ascii_lowercase());
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
            && self.route.as_deref().is_none_or(|r| entry.route.as_deref() == Some(r))
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

/// The longest header or field value kept whole, in bytes.
pub(crate) const MAX_VALUE_BYTES: usize = 1024;
/// The longest header or field name kept whole, in bytes.
pub(crate) const MAX_NAME_BYTES: usize = 256;
/// The longest path or query string kept whole, in bytes.
pub(crate) const MAX_PATH_BYTES: usize = 2048;

/// What an entry costs beside its text (its numbers, the `Arc`, the vectors' headers), as
/// counted against [`Journal::MAX_BYTES`]; each name-value pair adds [`PAIR_COST`].
const ENTRY_COST: usize = 160;
const PAIR_COST: usize = 48;

/// Cuts `text` to `max` bytes (on a character boundary), marking the cut with the full size.
fn clip(mut text: String, max: usize) -> String {
    if text.len() <= max {
        return text;
    }
    let full = text.len();
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push_str(&format!("…({full} bytes)"));
    text
}

fn clip_pairs(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(name, value)| (clip(name, MAX_NAME_BYTES), clip(value, MAX_VALUE_BYTES)))
        .collect()
}

impl JournalEntry {
    /// Roughly the memory the entry holds, for the journal's byte budget.
    fn cost(&self) -> usize {
        let pairs = self.headers.iter().chain(&self.fields);
        ENTRY_COST
            + self.method.len()
            + self.path.len()
            + self.route.as_ref().map_or(0, String::len)
            + self.query.as_ref().map_or(0, String::len)
            + pairs.map(|(name, value)| PAIR_COST + name.len() + value.len()).sum::<usize>()
    }
}

#[derive(Debug)]
struct Inner {
    entries: VecDeque<Arc<JournalEntry>>,
    /// The [`JournalEntry::cost`] of `entries`.
    bytes: usize,
    capacity: usize,
    next_seq: u64,
}

impl Inner {
    /// Evicts the oldest entries while over the capacity or the byte budget.
    fn evict(&mut self) {
        while self.entries.len() > self.capacity
            || (self.bytes > Journal::MAX_BYTES && self.entries.len() > 1)
        {
            match self.entries.pop_front() {
                Some(gone) => self.bytes -= gone.cost(),
                None => break,
            }
        }
    }

    /// The newest `limit` entries `query` matches, oldest first, shared rather than copied:
    /// only what is returned is touched beyond the match test.
    fn select(&self, query: &JournalQuery, limit: usize) -> Vec<Arc<JournalEntry>> {
        let mut found: Vec<Arc<JournalEntry>> =
            self.entries.iter().rev().filter(|entry| query.matches(entry)).take(limit).cloned().collect();
        found.reverse();
        found
    }
}

/// Copies shared entries out (after the lock is released).
fn owned(entries: Vec<Arc<JournalEntry>>) -> Vec<JournalEntry> {
    entries.into_iter().map(Arc::unwrap_or_clone).collect()
}

/// The request journal. Reached through `MockServer::journal()` or `/__mock/journal`.
///
/// ```
/// use std::io::{Read, Write};
/// use veeam_auth_mock::{Endpoint, JournalQuery, MockServer, Scenario};
///
/// let server = MockServer::start_blocking(Scenario::default());
/// assert!(server.journal().is_empty());
///
/// // The client under test logs in (here, a bare HTTP/1.1 request).
/// let form = "grant_type=password&username=Administrator&password=PassWord1";
/// let mut stream = std::net::TcpStream::connect(server.address()).expect("connects");
/// write!(
///     stream,
///     "POST /v8/token HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\
///      Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
///     form.len()
/// )
/// .expect("sent");
/// stream.read_to_end(&mut Vec::new()).expect("an answer");
///
/// // The journal has the call, its answer, and its form with the password masked.
/// assert_eq!(server.journal().count(Endpoint::Vb365Token), 1);
/// let entry = &server.journal().find(&JournalQuery::new().status(200))[0];
/// assert_eq!((entry.method.as_str(), entry.path.as_str()), ("POST", "/v8/token"));
/// assert!(entry.fields.contains(&("username".to_owned(), "Administrator".to_owned())));
/// assert!(!entry.fields.iter().any(|(_, value)| value == "PassWord1"));
/// ```
#[derive(Debug)]
pub struct Journal {
    inner: Mutex<Inner>,
    enabled: AtomicBool,
}

impl Journal {
    /// The most entries a journal keeps, whatever its settings ask.
    pub const MAX_CAPACITY: usize = crate::scenario::limits::MAX_JOURNAL_CAPACITY;
    /// The most recorded text (headers, fields, paths, plus a fixed cost per entry and pair)
    /// a journal keeps, in bytes; beyond it the oldest entries go even below the capacity.
    pub const MAX_BYTES: usize = 16 * 1024 * 1024;

    /// An empty journal keeping at most `capacity` entries (clamped to
    /// 1..=[`Journal::MAX_CAPACITY`]).
    pub(crate) fn new(enabled: bool, capacity: usize) -> Journal {
        Journal {
            inner: Mutex::new(Inner {
                entries: VecDeque::new(),
                bytes: 0,
                capacity: capacity.clamp(1, Journal::MAX_CAPACITY),
                next_seq: 1,
            }),
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

    /// Changes the cap, evicting the oldest entries beyond it. The cap is clamped to
    /// 1..=[`Journal::MAX_CAPACITY`] (read [`Journal::capacity`] for the one applied); the
    /// admin API refuses a value outside that range instead.
    pub fn set_capacity(&self, capacity: usize) {
        let mut inner = self.inner.lock();
        inner.capacity = capacity.clamp(1, Journal::MAX_CAPACITY);
        inner.evict();
    }

    /// Every entry kept, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.find(&JournalQuery::new())
    }

    /// The newest `n` entries, oldest first.
    pub fn last(&self, n: usize) -> Vec<JournalEntry> {
        self.find_last(&JournalQuery::new(), n)
    }

    /// The entries a query matches, oldest first.
    pub fn find(&self, query: &JournalQuery) -> Vec<JournalEntry> {
        self.find_last(query, usize::MAX)
    }

    /// The newest `n` entries a query matches, oldest first. The lock is held only to pick
    /// them; they are copied after it is released.
    pub fn find_last(&self, query: &JournalQuery, n: usize) -> Vec<JournalEntry> {
        let picked = self.inner.lock().select(query, n);
        owned(picked)
    }

    /// How many kept entries a query matches.
    pub fn count_matching(&self, query: &JournalQuery) -> usize {
        self.inner.lock().entries.iter().filter(|entry| query.matches(entry)).count()
    }

    /// How many kept entries are for `endpoint`.
    pub fn count(&self, endpoint: Endpoint) -> usize {
        self.count_matching(&JournalQuery::new().endpoint(endpoint))
    }

    /// How many kept entries are for the declared route named `name` (without `route.`).
    pub fn count_route(&self, name: &str) -> usize {
        self.count_matching(&JournalQuery::new().route(name))
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
        let forgotten = {
            let mut inner = self.inner.lock();
            inner.next_seq = 1;
            inner.bytes = 0;
            std::mem::take(&mut inner.entries)
        };
        // Freed after the lock is released.
        drop(forgotten);
    }

    /// Applies new settings and forgets every entry (a reset).
    pub(crate) fn reset(&self, enabled: bool, capacity: usize) {
        let forgotten = {
            let mut inner = self.inner.lock();
            inner.next_seq = 1;
            inner.bytes = 0;
            inner.capacity = capacity.clamp(1, Journal::MAX_CAPACITY);
            std::mem::take(&mut inner.entries)
        };
        drop(forgotten);
        self.set_enabled(enabled);
    }

    /// Records an entry (its long texts cut, see the module's limits), evicting the oldest
    /// beyond the cap and the byte budget. The entry is built before the lock is taken.
    pub(crate) fn record(&self, new: NewEntry) {
        let mut entry = JournalEntry {
            seq: 0,
            time: new.time,
            method: clip(new.method, MAX_NAME_BYTES),
            path: clip(new.path, MAX_PATH_BYTES),
            query: new.query.map(|query| clip(query, MAX_PATH_BYTES)),
            endpoint: new.endpoint,
            route: new.route,
            status: new.status,
            duration_ms: new.duration_ms,
            fault: new.fault,
            headers: clip_pairs(new.headers),
            fields: clip_pairs(new.fields),
        };
        let cost = entry.cost();
        let mut inner = self.inner.lock();
        entry.seq = inner.next_seq;
        inner.next_seq += 1;
        inner.bytes += cost;
        inner.entries.push_back(Arc::new(entry));
        inner.evict();
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
            route: None,
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

    #[test]
    fn a_declared_route_is_found_and_shown_by_its_name() {
        let journal = Journal::new(true, 10);
        journal.record(entry(Endpoint::Vb365Token, 200));
        let mut call = entry(Endpoint::Vb365Token, 200);
        call.endpoint = None;
        call.route = Some("jobs".into());
        call.method = "GET".into();
        call.query = Some("offset=0".into());
        journal.record(call);
        assert_eq!(journal.count_route("JOBS"), 1);
        assert_eq!(journal.count_route("other"), 0);
        assert_eq!(journal.count(Endpoint::Vb365Token), 1);
        let json = serde_json::to_value(journal.find(&JournalQuery::new().route("jobs"))).expect("JSON");
        assert_eq!(
            json,
            serde_json::json!([{
                "seq": 2, "time": "2024-08-07T15:56:22.0000000Z", "method": "GET", "path": "/v8/Token",
                "query": "offset=0", "endpoint": "route.jobs", "status": 200, "duration_ms": 1.0,
                "headers": [], "fields": [["grant_type", "password"]]
            }])
        );
        let login = serde_json::to_value(&journal.entries()[0]).expect("JSON");
        assert_eq!(login["endpoint"], "vb365.token");
        assert!(login.get("query").is_none() && login.get("fault").is_none());
    }

    #[test]
    fn long_texts_are_cut_and_marked_with_their_size() {
        let journal = Journal::new(true, 10);
        let mut new = entry(Endpoint::Vb365Token, 200);
        new.headers = vec![("x-big".into(), "v".repeat(12 * 1024)), ("n".repeat(300), "é".repeat(600))];
        new.path = format!("/v8/{}", "p".repeat(5000));
        new.query = Some("q".repeat(3000));
        journal.record(new);
        let kept = &journal.entries()[0];
        assert_eq!(kept.headers[0].1, format!("{}…(12288 bytes)", "v".repeat(MAX_VALUE_BYTES)));
        assert_eq!(kept.headers[1].0, format!("{}…(300 bytes)", "n".repeat(MAX_NAME_BYTES)));
        // 1024 bytes fall on a character boundary of two-byte characters: 512 of them.
        assert_eq!(kept.headers[1].1, format!("{}…(1200 bytes)", "é".repeat(512)));
        assert_eq!(kept.path, format!("/v8/{}…(5004 bytes)", "p".repeat(MAX_PATH_BYTES - 4)));
        assert_eq!(
            kept.query.as_deref(),
            Some(format!("{}…(3000 bytes)", "q".repeat(MAX_PATH_BYTES)).as_str())
        );
    }

    #[test]
    fn the_capacity_is_clamped_and_the_bytes_are_budgeted() {
        let journal = Journal::new(true, usize::MAX);
        assert_eq!(journal.capacity(), Journal::MAX_CAPACITY);
        journal.set_capacity(0);
        assert_eq!(journal.capacity(), 1);
        journal.set_capacity(Journal::MAX_CAPACITY);
        // 96 headers of 12 KB each, cut to 1 KiB: the budget holds a few hundred such entries.
        for _ in 0..1000 {
            let mut new = entry(Endpoint::Vb365Token, 200);
            new.headers = (0..96).map(|n| (format!("x-h{n}"), "v".repeat(12 * 1024))).collect();
            journal.record(new);
        }
        let inner = journal.inner.lock();
        assert!(inner.bytes <= Journal::MAX_BYTES, "{}", inner.bytes);
        assert_eq!(inner.bytes, inner.entries.iter().map(|e| e.cost()).sum::<usize>());
        assert!(inner.entries.len() < 1000, "the oldest were evicted by size");
        assert_eq!(inner.entries.back().map(|e| e.seq), Some(1000), "the newest is kept");
    }

    #[test]
    fn a_limited_query_shares_only_the_entries_it_returns() {
        let journal = Journal::new(true, 1000);
        for n in 0..1000 {
            journal.record(entry(Endpoint::Vb365Token, if n % 2 == 0 { 200 } else { 401 }));
        }
        let inner = journal.inner.lock();
        let picked = inner.select(&JournalQuery::new().status(401), 20);
        assert_eq!(picked.len(), 20);
        let seqs: Vec<u64> = picked.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, (0..20).map(|n| 962 + 2 * n).collect::<Vec<u64>>(), "the newest 20, oldest first");
        // Nothing else was copied, not even shared: every other entry has only the journal's handle.
        let shared = inner.entries.iter().filter(|e| Arc::strong_count(e) > 1).count();
        assert_eq!(shared, 20);
    }
}
