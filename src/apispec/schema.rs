//! Schemas flattened into fields: every property a request or response can carry, by its
//! dotted path (`schedule.daily`, `data[].name`), with whether it is required and its enum
//! values. `$ref`, `allOf`, `oneOf` and `anyOf` are followed; a `$ref` already being expanded
//! on the way down is not expanded again, and nesting stops at [`MAX_DEPTH`], so recursive
//! schemas (a folder of folders) end.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

/// How many levels of properties and array items are followed below a body or a response.
/// Veeam's documents nest about five levels deep; the bound is what keeps a recursive schema
/// that goes through several `$ref`s, or a very wide one, from growing without end.
pub const MAX_DEPTH: usize = 8;

/// What the drift needs to know of one field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Field {
    /// Named in its object's `required` list (never inside a `oneOf`/`anyOf` alternative,
    /// where it is required only when that alternative is sent).
    pub required: bool,
    /// The `enum` values, in the document's order (empty when there is no `enum`).
    pub enum_values: Vec<String>,
}

/// Fields by dotted path; the schema's own value is the empty path (an enum parameter), its
/// array items `[]`.
pub type Fields = BTreeMap<String, Field>;

/// Flattens schemas of one document, remembering what a top-level `$ref` flattens to: Veeam's
/// documents answer many operations with the same model (a job: four operations, 2,500 fields
/// each), and from the top the result does not depend on where the reference is written.
#[derive(Debug)]
pub(crate) struct Flattener<'a> {
    root: &'a Value,
    cache: HashMap<&'a str, Fields>,
    targets: Targets<'a>,
}

/// What each `$ref` met so far points to: `Value::pointer` splits and unescapes the pointer
/// on every call, which was a third of the walk on a 4 MB document.
type Targets<'a> = HashMap<&'a str, Option<&'a Value>>;

impl<'a> Flattener<'a> {
    /// A flattener for the document `root`.
    pub(crate) fn new(root: &'a Value) -> Flattener<'a> {
        Flattener { root, cache: HashMap::new(), targets: HashMap::new() }
    }

    /// The document.
    pub(crate) fn root(&self) -> &'a Value {
        self.root
    }

    /// Flattens `schema` into `out`, merging with what is already there: a field required in
    /// any branch is required, enum values are the union.
    pub(crate) fn flatten_into(&mut self, schema: &'a Value, out: &mut Fields) {
        let root = self.root;
        let targets = &mut self.targets;
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            Walker { root, targets, expanding: Vec::new(), out }.walk(schema, "", false, 0);
            return;
        };
        let fields = self.cache.entry(reference).or_insert_with(|| {
            let mut fields = Fields::new();
            Walker { root, targets, expanding: Vec::new(), out: &mut fields }.walk(schema, "", false, 0);
            fields
        });
        for (path, field) in fields.iter() {
            merge(out.entry(path.clone()).or_default(), field);
        }
    }
}

/// Adds `from` to `into`: required if either is, the enum values of both.
fn merge(into: &mut Field, from: &Field) {
    into.required |= from.required;
    for value in &from.enum_values {
        if !into.enum_values.contains(value) {
            into.enum_values.push(value.clone());
        }
    }
}

/// Resolves a local `$ref` (`#/components/schemas/X`, JSON pointer escapes included); `None`
/// for a reference to another file or a dangling one.
pub(crate) fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
}

/// Follows `$ref`s (a bounded number, in case they form a loop) to the value itself.
pub(crate) fn deref<'a>(root: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match value.get("$ref").and_then(Value::as_str).and_then(|r| resolve(root, r)) {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

/// The value of an enum entry as text (`"Password"` for a string, `3` for a number).
fn enum_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// `parent.child`, or `child` at the top.
pub(crate) fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() { child.to_owned() } else { format!("{parent}.{child}") }
}

struct Walker<'a, 'o> {
    root: &'a Value,
    targets: &'o mut Targets<'a>,
    /// The `$ref`s being expanded on the current way down.
    expanding: Vec<&'a str>,
    out: &'o mut Fields,
}

impl<'a> Walker<'a, '_> {
    /// `in_choice`: inside a `oneOf`/`anyOf` alternative, whose `required` lists hold only
    /// when that alternative is the one sent.
    fn walk(&mut self, schema: &'a Value, path: &str, in_choice: bool, depth: usize) {
        let Some(object) = schema.as_object() else { return };
        // One pass over the keys rather than a hashed lookup per keyword: this runs a few
        // hundred thousand times on a 4 MB document.
        let mut keywords = Keywords::default();
        for (key, value) in object {
            match key.as_str() {
                "$ref" => keywords.reference = value.as_str(),
                "enum" => keywords.enum_values = value.as_array(),
                "allOf" => keywords.all_of = value.as_array(),
                "oneOf" => keywords.one_of = value.as_array(),
                "anyOf" => keywords.any_of = value.as_array(),
                "properties" => keywords.properties = value.as_object(),
                "required" => keywords.required = value.as_array(),
                "items" => keywords.items = Some(value),
                _ => {}
            }
        }
        if let Some(reference) = keywords.reference {
            if self.expanding.contains(&reference) {
                return;
            }
            let root = self.root;
            let target = *self.targets.entry(reference).or_insert_with(|| resolve(root, reference));
            if let Some(target) = target {
                self.expanding.push(reference);
                self.walk(target, path, in_choice, depth);
                self.expanding.pop();
            }
            return;
        }
        if let Some(values) = keywords.enum_values {
            let field = self.field(path);
            for value in values {
                // A string is compared before it is copied: the same enum is met again and again
                // through `oneOf` alternatives, and nothing new is added then.
                match value.as_str() {
                    Some(text) if field.enum_values.iter().any(|known| known == text) => {}
                    _ => {
                        let text = enum_text(value);
                        if !field.enum_values.contains(&text) {
                            field.enum_values.push(text);
                        }
                    }
                }
            }
        }
        for part in keywords.all_of.into_iter().flatten() {
            self.walk(part, path, in_choice, depth);
        }
        for part in keywords.one_of.into_iter().chain(keywords.any_of).flatten() {
            self.walk(part, path, true, depth);
        }
        if depth >= MAX_DEPTH {
            return;
        }
        for (name, property) in keywords.properties.into_iter().flatten() {
            let child = join(path, name);
            self.field(&child);
            self.walk(property, &child, false, depth + 1);
        }
        // Applied after the properties, and to names another `allOf` part declares.
        if !in_choice {
            for name in keywords.required.into_iter().flatten().filter_map(Value::as_str) {
                self.field(&join(path, name)).required = true;
            }
        }
        if let Some(items) = keywords.items {
            let child = format!("{path}[]");
            self.walk(items, &child, in_choice, depth + 1);
        }
    }
}

impl Walker<'_, '_> {
    /// The field at `path`, added if new (without allocating a key when it is not).
    fn field(&mut self, path: &str) -> &mut Field {
        if !self.out.contains_key(path) {
            self.out.insert(path.to_owned(), Field::default());
        }
        self.out.get_mut(path).expect("just inserted")
    }
}

/// The keywords of one schema object the walk reads.
#[derive(Default)]
struct Keywords<'a> {
    reference: Option<&'a str>,
    enum_values: Option<&'a Vec<Value>>,
    all_of: Option<&'a Vec<Value>>,
    one_of: Option<&'a Vec<Value>>,
    any_of: Option<&'a Vec<Value>>,
    properties: Option<&'a serde_json::Map<String, Value>>,
    required: Option<&'a Vec<Value>>,
    items: Option<&'a Value>,
}
