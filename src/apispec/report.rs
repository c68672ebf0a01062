//! The drift as a report: text (one line per change, then a summary line) or JSON.

use serde_json::{Map, Value, json};

use super::document::Document;
use super::drift::{Change, ChangeKind};
use super::journal::Usage;

/// What a report is about: the two documents, the changes to list, and the suite's usage when
/// a journal narrowed them (then `changes` are `usage.changes`).
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// OLD.
    pub old: &'a Document,
    /// NEW.
    pub new: &'a Document,
    /// The changes listed.
    pub changes: &'a [Change],
    /// The journal's narrowing, if any.
    pub usage: Option<&'a Usage>,
}

impl Report<'_> {
    /// One line per change, then `summary: ...` (and `journal: ...` with a journal).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for change in self.changes {
            out.push_str(&line(change));
            out.push('\n');
        }
        let counts: Vec<String> =
            ChangeKind::ALL.iter().map(|kind| format!("{}: {}", kind.label(), self.count(*kind))).collect();
        out.push_str(&format!(
            "summary: {} changes ({}); OLD {} has {} operations, NEW {} has {}\n",
            self.changes.len(),
            counts.join(", "),
            shown_version(self.old),
            self.old.operations.len(),
            shown_version(self.new),
            self.new.operations.len(),
        ));
        if let Some(usage) = self.usage {
            out.push_str(&format!(
                "journal: {} of the {} operations your suite calls change in NEW ({} calls in the journal, {} reaching no operation of OLD)\n",
                usage.changed_operations, usage.operations, usage.calls, usage.unmatched_calls,
            ));
        }
        out
    }

    /// The report as JSON: `old`, `new`, `summary` (counts by kind), `changes` and, with a
    /// journal, `journal`.
    pub fn json(&self) -> Value {
        let mut summary = Map::new();
        summary.insert("changes".into(), json!(self.changes.len()));
        for kind in ChangeKind::ALL {
            let name = serde_json::to_value(kind).unwrap_or(Value::Null);
            summary.insert(name.as_str().unwrap_or_default().to_owned(), json!(self.count(kind)));
        }
        let document = |document: &Document| {
            json!({
                "title": document.title,
                "version": document.version,
                "operations": document.operations.len(),
            })
        };
        let mut report = json!({
            "old": document(self.old),
            "new": document(self.new),
            "summary": summary,
            "changes": self.changes,
        });
        if let Some(usage) = self.usage {
            report["journal"] = json!({
                "calls": usage.calls,
                "unmatched_calls": usage.unmatched_calls,
                "operations": usage.operations,
                "changed_operations": usage.changed_operations,
            });
        }
        report
    }

    fn count(&self, kind: ChangeKind) -> usize {
        self.changes.iter().filter(|change| change.kind == kind).count()
    }
}

fn shown_version(document: &Document) -> &str {
    if document.version.is_empty() { "(no version)" } else { &document.version }
}

/// `kind: METHOD /path[: place][: value]`.
fn line(change: &Change) -> String {
    let mut line = format!("{}: {} {}", change.kind.label(), change.method, change.path);
    if let Some(place) = &change.place {
        line.push_str(": ");
        line.push_str(&place.describe());
    }
    match (&change.old_value, &change.new_value) {
        (Some(old), Some(new)) => line.push_str(&format!(": {old} -> {new}")),
        (Some(old), None) => line.push_str(&format!(": {old}")),
        _ => {}
    }
    line
}
