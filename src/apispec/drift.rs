//! What changed between two versions of a document, in the terms that break a client:
//! operations gone, requests that must now carry more, responses that carry less, enum
//! values gone (and those whose letter case alone changed).

use std::collections::BTreeMap;

use serde::Serialize;

use super::document::{Document, Operation};
use super::schema::{Field, Fields};

/// The kinds of change, in the order a report lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// The operation is in OLD and not in NEW.
    OperationRemoved,
    /// A parameter, the request body or a body field must now be sent.
    NewlyRequired,
    /// A field of a 2xx response is gone.
    ResponseFieldRemoved,
    /// An enum value is gone.
    EnumValueRemoved,
    /// An enum value is still there, in another letter case (`password` became `Password`).
    EnumCaseChanged,
    /// The operation is new in NEW.
    OperationAdded,
}

impl ChangeKind {
    /// Every kind, in report order.
    pub const ALL: [ChangeKind; 6] = [
        ChangeKind::OperationRemoved,
        ChangeKind::NewlyRequired,
        ChangeKind::ResponseFieldRemoved,
        ChangeKind::EnumValueRemoved,
        ChangeKind::EnumCaseChanged,
        ChangeKind::OperationAdded,
    ];

    /// How a report line names the kind.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::OperationRemoved => "operation removed",
            ChangeKind::NewlyRequired => "newly required",
            ChangeKind::ResponseFieldRemoved => "response field removed",
            ChangeKind::EnumValueRemoved => "enum value removed",
            ChangeKind::EnumCaseChanged => "enum case changed",
            ChangeKind::OperationAdded => "operation added",
        }
    }
}

/// Where in an operation a change is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// A parameter: its `in` (`query`, `header`, `path`, `cookie`) and name.
    Parameter {
        /// `query`, `header`, `path` or `cookie`.
        #[serde(rename = "in")]
        location: String,
        /// The parameter's name.
        name: String,
    },
    /// The request body as a whole.
    Body,
    /// A field of the request body, by dotted path (`schedule.daily`, `items[].id`).
    BodyField {
        /// The dotted path.
        field: String,
    },
    /// A field of a 2xx response, by dotted path.
    ResponseField {
        /// The dotted path.
        field: String,
    },
}

impl Place {
    /// How a report line names the place (`query parameter force`, `body field a.b`).
    pub fn describe(&self) -> String {
        match self {
            Place::Parameter { location, name } => format!("{location} parameter {name}"),
            Place::Body => "request body".to_owned(),
            Place::BodyField { field } => format!("body field {field}"),
            Place::ResponseField { field } => format!("response field {field}"),
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What kind of change.
    pub kind: ChangeKind,
    /// The operation's method (`GET`).
    pub method: String,
    /// The operation's path template, as OLD writes it (NEW for an added operation).
    pub path: String,
    /// Where in the operation; absent for an operation removed or added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    /// The enum value in OLD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_value: Option<String>,
    /// The enum value in NEW (for a change of case).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_value: Option<String>,
}

impl Change {
    fn at(kind: ChangeKind, operation: &Operation, place: Option<Place>) -> Change {
        Change {
            kind,
            method: operation.method.clone(),
            path: operation.path.clone(),
            place,
            old_value: None,
            new_value: None,
        }
    }

    /// The order of a report: kind, path (ignoring case), method, place, value.
    fn sort_key(&self) -> (ChangeKind, String, &str, &Option<Place>, &Option<String>) {
        (self.kind, self.path.to_ascii_lowercase(), &self.method, &self.place, &self.old_value)
    }
}

/// Every change from `old` to `new`, in report order (see [`Change`]'s fields).
pub fn diff(old: &Document, new: &Document) -> Vec<Change> {
    let new_by_key: BTreeMap<&str, &Operation> =
        new.operations.iter().rev().map(|operation| (operation.key.as_str(), operation)).collect();
    let old_by_key: BTreeMap<&str, &Operation> =
        old.operations.iter().rev().map(|operation| (operation.key.as_str(), operation)).collect();
    let mut changes = Vec::new();
    for operation in &old.operations {
        match new_by_key.get(operation.key.as_str()) {
            None => changes.push(Change::at(ChangeKind::OperationRemoved, operation, None)),
            Some(newer) => operation_changes(operation, newer, &mut changes),
        }
    }
    for operation in &new.operations {
        if !old_by_key.contains_key(operation.key.as_str()) {
            changes.push(Change::at(ChangeKind::OperationAdded, operation, None));
        }
    }
    changes.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    changes.dedup();
    changes
}

fn operation_changes(old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    for (key, parameter) in &new.parameters {
        let before = old.parameters.get(key);
        let place =
            || Some(Place::Parameter { location: parameter.location.clone(), name: parameter.name.clone() });
        // A path parameter is always required; a renamed one is no change for a client.
        if parameter.location != "path" && parameter.required && !before.is_some_and(|p| p.required) {
            out.push(Change::at(ChangeKind::NewlyRequired, old, place()));
        }
        if let Some(before) = before {
            enum_changes(old, place, &before.enum_values, &parameter.enum_values, out);
        }
    }
    if new.body_required && !old.body_required {
        out.push(Change::at(ChangeKind::NewlyRequired, old, Some(Place::Body)));
    }
    for (path, field) in &new.body {
        let before = old.body.get(path);
        let sendable = ancestors(path)
            .all(|parent| old.body.contains_key(parent) || new.body.get(parent).is_some_and(|f| f.required));
        if field.required && !before.is_some_and(|f| f.required) && sendable {
            let place = Some(Place::BodyField { field: path.clone() });
            out.push(Change::at(ChangeKind::NewlyRequired, old, place));
        }
        if let Some(before) = before {
            let place = || Some(Place::BodyField { field: path.clone() });
            enum_changes(old, place, &before.enum_values, &field.enum_values, out);
        }
    }
    response_changes(old, &old.response, &new.response, out);
}

fn response_changes(operation: &Operation, old: &Fields, new: &Fields, out: &mut Vec<Change>) {
    for (path, field) in old {
        let place = || Some(Place::ResponseField { field: path.clone() });
        match new.get(path) {
            // Only the outermost field gone: its own fields went with it.
            None if ancestors(path).all(|parent| new.contains_key(parent)) => {
                out.push(Change::at(ChangeKind::ResponseFieldRemoved, operation, place()));
            }
            None => {}
            Some(Field { enum_values, .. }) => {
                enum_changes(operation, place, &field.enum_values, enum_values, out);
            }
        }
    }
}

/// Enum values of `old` missing from `new`; one whose letter case alone changed is reported
/// as such. A field that lost its `enum` altogether now takes any value: no change.
fn enum_changes(
    operation: &Operation,
    place: impl Fn() -> Option<Place>,
    old: &[String],
    new: &[String],
    out: &mut Vec<Change>,
) {
    if new.is_empty() {
        return;
    }
    for value in old.iter().filter(|value| !new.contains(value)) {
        let renamed =
            new.iter().find(|candidate| candidate.eq_ignore_ascii_case(value) && !old.contains(candidate));
        let kind = if renamed.is_some() { ChangeKind::EnumCaseChanged } else { ChangeKind::EnumValueRemoved };
        let mut change = Change::at(kind, operation, place());
        change.old_value = Some(value.clone());
        change.new_value = renamed.cloned();
        out.push(change);
    }
}

/// The fields a dotted path lies in, outermost first: `a`, `a.b` for `a.b[].c` (an array's
/// items stand for the array).
pub(crate) fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('.').map(move |(at, _)| path[..at].trim_end_matches("[]"))
}
