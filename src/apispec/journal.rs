//! The calls a test suite made, read from the mock's journal export (`GET /__mock/journal`),
//! and the drift narrowed to them.

use std::collections::HashMap;

use serde_json::Value;

use super::document::Document;
use super::drift::{Change, ChangeKind, Place};

/// One call of the suite, as the journal shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Call {
    /// The method (`POST`).
    pub method: String,
    /// The path as sent (`/api/v1/Jobs/42/`).
    pub path: String,
    /// The query's `name=value` pairs (secrets masked by the journal).
    pub query: Vec<(String, String)>,
    /// The headers sent, `[name, value]` (secrets masked).
    pub headers: Vec<(String, String)>,
    /// The form or JSON fields of the body where the journal shows them (token requests);
    /// empty otherwise.
    pub fields: Vec<(String, String)>,
}

/// Reads the journal's JSON export: `{"entries": [{"method", "path", ...}]}` (a bare array of
/// entries is taken too).
pub fn read_calls(bytes: &[u8]) -> Result<Vec<Call>, String> {
    let root: Value = serde_json::from_slice(bytes).map_err(|err| format!("not a JSON document: {err}"))?;
    let entries = match &root {
        Value::Array(entries) => entries,
        Value::Object(object) => match object.get("entries").and_then(Value::as_array) {
            Some(entries) => entries,
            None => return Err("not a journal export: no `entries` list".into()),
        },
        _ => return Err("not a journal export: neither an object nor a list".into()),
    };
    entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            read_call(entry)
                .ok_or_else(|| format!("not a journal export: entry {index} has no `method` and `path`"))
        })
        .collect()
}

fn read_call(entry: &Value) -> Option<Call> {
    let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
    let pairs = |key: &str| -> Vec<(String, String)> {
        let list = entry.get(key).and_then(Value::as_array).into_iter().flatten();
        list.filter_map(|pair| {
            let name = pair.get(0)?.as_str()?;
            let value = pair.get(1).and_then(Value::as_str).unwrap_or("");
            Some((name.to_owned(), value.to_owned()))
        })
        .collect()
    };
    let query = text("query")
        .map(|query| serde_urlencoded::from_str::<Vec<(String, String)>>(&query).unwrap_or_default())
        .unwrap_or_default();
    Some(Call {
        method: text("method")?,
        path: text("path")?,
        query,
        headers: pairs("headers"),
        fields: pairs("fields"),
    })
}

/// The drift narrowed to a suite's calls.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    /// The calls in the journal.
    pub calls: usize,
    /// Calls that reach no operation of OLD (the mock's own `/__mock/...`, another product's).
    pub unmatched_calls: usize,
    /// Distinct operations of OLD the calls reach.
    pub operations: usize,
    /// Of those, the ones with a change kept.
    pub changed_operations: usize,
    /// The changes that concern the suite, in report order.
    pub changes: Vec<Change>,
}

/// Keeps the changes that concern `calls`: those of operations of `old` the calls reach, none
/// for an added operation, and, where the journal shows what the calls send (the query,
/// headers, a token request's fields), a newly required field only if some call lacks it and
/// an enum change only if some call sends the value that changed.
pub fn narrow(old: &Document, changes: &[Change], calls: &[Call]) -> Usage {
    let mut by_operation: Vec<Vec<&Call>> = vec![Vec::new(); old.operations.len()];
    let mut usage = Usage { calls: calls.len(), ..Usage::default() };
    for call in calls {
        match old.find(&call.method, &call.path) {
            Some(index) => by_operation[index].push(call),
            None => usage.unmatched_calls += 1,
        }
    }
    usage.operations = by_operation.iter().filter(|calls| !calls.is_empty()).count();
    // A change names OLD's method and template, so it finds its own operation here.
    let index_of: HashMap<(&str, &str), usize> = old
        .operations
        .iter()
        .enumerate()
        .rev()
        .map(|(index, operation)| ((operation.method.as_str(), operation.path.as_str()), index))
        .collect();
    let mut changed = vec![false; old.operations.len()];
    for change in changes {
        if change.kind == ChangeKind::OperationAdded {
            continue;
        }
        let Some(&index) = index_of.get(&(change.method.as_str(), change.path.as_str())) else {
            continue;
        };
        let calls = &by_operation[index];
        if !calls.is_empty() && concerns(change, calls) {
            changed[index] = true;
            usage.changes.push(change.clone());
        }
    }
    usage.changed_operations = changed.iter().filter(|&&c| c).count();
    usage
}

/// What the calls sent under one name at a place: `None` when the journal does not show it.
fn sent<'c>(call: &'c Call, place: &Place) -> Option<Vec<&'c str>> {
    let (list, name, any_case) = match place {
        Place::Parameter { location, name } if location == "query" => (&call.query, name.as_str(), true),
        Place::Parameter { location, name } if location == "header" => (&call.headers, name.as_str(), true),
        // A token request's top-level fields only; nested ones are not in the journal.
        Place::BodyField { field } if !call.fields.is_empty() && !field.contains(['.', '[']) => {
            (&call.fields, field.as_str(), false)
        }
        _ => return None,
    };
    let matches =
        |candidate: &str| if any_case { candidate.eq_ignore_ascii_case(name) } else { candidate == name };
    Some(list.iter().filter(|(n, _)| matches(n)).map(|(_, value)| value.as_str()).collect())
}

fn concerns(change: &Change, calls: &[&Call]) -> bool {
    let Some(place) = &change.place else { return true };
    match change.kind {
        ChangeKind::NewlyRequired if *place == Place::Body => calls.iter().any(|call| call.fields.is_empty()),
        // Kept unless every call already sends it.
        ChangeKind::NewlyRequired => {
            !calls.iter().all(|call| sent(call, place).is_some_and(|v| !v.is_empty()))
        }
        ChangeKind::EnumValueRemoved | ChangeKind::EnumCaseChanged => {
            let old = change.old_value.as_deref().unwrap_or("");
            calls.iter().any(|call| sent(call, place).is_none_or(|values| values.contains(&old)))
        }
        _ => true,
    }
}
