//! Whether what a client sent fits a schema of an OpenAPI 3.0 document, judged as leniently as
//! ASP.NET Core's model binding with System.Text.Json's web defaults judges it (the products are
//! .NET), with its messages.
//!
//! The rules:
//!
//! - **Types.** `integer` is a JSON integer (`1.0` is not), within the `int32` range for
//!   `int32`; `number` any JSON number. Both also accept a string holding one, as the web
//!   defaults' `AllowReadingFromString` does. `boolean` is a JSON boolean, `string` a JSON
//!   string, `object` an object, `array` an array. A string of format `uuid` must parse as a
//!   GUID (hyphenated, 32 hex digits, braced), of format `date-time` as an ISO 8601 date-time
//!   (with or without an offset or a fraction, or a date alone), of format `date` as
//!   `YYYY-MM-DD`. Other formats (`time-span`, `uri`, ..) and `pattern` are not checked.
//! - **Enums** of strings match case-insensitively (`JsonStringEnumConverter` reads any case);
//!   other enum values match exactly.
//! - **Bounds.** `minimum`/`maximum` (with 3.0's boolean exclusive flags), `minLength`/
//!   `maxLength`, `minItems`/`maxItems`.
//! - **Objects.** A `required` property missing is "The X field is required." (unless its
//!   schema gives a `default`: Veeam's documents require fields the products fill in); properties the
//!   schema does not name are ignored, as the binder ignores them, unless
//!   `additionalProperties` is a schema, which they are then checked against. Nested problems
//!   name their field by a dotted path (`schedule.daily`, `items[0].name`). A required name
//!   that no `properties` declares (a defect of Veeam's documents) is not enforced, unless
//!   the schema declares no properties at all.
//! - **`null`** is a problem only when the schema is not `nullable` and either the property is
//!   required ("The X field is required.", as `[Required]` says) or the type is a value type
//!   (`integer`, `number`, `boolean`), which .NET cannot set to null. An optional string,
//!   object or array may be null: the binder leaves it null.
//! - **Composition.** `allOf`: every part. `oneOf`/`anyOf`: any alternative; when the value's
//!   discriminator property names an alternative by the `mapping` (in any case), only that one.
//!   When none passes, the problems reported are the alternative's with the fewest.
//! - **Robustness.** A dangling `$ref` accepts anything; a `$ref` met again for the same value
//!   (a cycle, such as Veeam's children that are `allOf` their polymorphic parent) adds
//!   nothing; values nested deeper than 32 levels are not looked into; after `max` problems, or
//!   a fixed budget of work, checking stops.
//!
//! ```
//! use serde_json::json;
//! use veeam_auth_mock::apispec::check::check_value;
//!
//! let schema = json!({"type": "object", "required": ["name"], "properties": {
//!     "name": {"type": "string"}, "items": {"type": "array", "items": {"type": "integer"}}}});
//! let problems = check_value(&json!({}), &schema, &json!({"items": [1, "x"]}), "", 20);
//! assert_eq!(problems[0].field, "name");
//! assert_eq!(problems[0].message, "The name field is required.");
//! assert_eq!(problems[1].field, "items[1]");
//! ```

use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::generate::resolve;

/// One problem with what a client sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field as the product's error names it: a dotted JSON path (`schedule.daily`,
    /// `items[0].name`) or a parameter's name.
    pub field: String,
    /// What is wrong, in ASP.NET's words.
    pub message: String,
}

/// Levels of nested values looked into.
const MAX_DEPTH: usize = 32;

/// Steps one check may take (schema objects visited): far more than a real body needs, a
/// bound on a hostile document's nested `oneOf`s.
const MAX_WORK: usize = 200_000;

/// Checks `value` against `schema` (a schema object in the document `root`), `field` naming the
/// value (`""` for a whole body). Problems come in document order, at most `max` of them.
pub fn check_value(root: &Value, schema: &Value, value: &Value, field: &str, max: usize) -> Vec<Problem> {
    let mut checker = Checker { root, work: 0, strict: false };
    let mut out = Vec::new();
    checker.walk(schema, value, field, false, 0, max, &mut out);
    out.truncate(max);
    out
}

/// Checks a value the mock would send (a document's response example) against `schema` as a
/// JSON Schema validator judges it, not as a lenient binder reads it: `null` only where the
/// schema is `nullable`, no number written as a string, date-times in RFC 3339 (with seconds
/// and an offset), enum values in their exact case, every `required` property present (a
/// `default` does not excuse it), no property that `additionalProperties: false` forbids, and
/// a `oneOf` without a discriminator matched by exactly one alternative. A client's schema
/// validator (schemathesis, a generated client's model) fails on what this refuses.
///
/// ```
/// use serde_json::json;
/// use veeam_auth_mock::apispec::check::{check_example, check_value};
///
/// let schema = json!({"type": "object", "properties": {
///     "state": {"type": "string", "enum": ["Running", "Stopped"]},
///     "started": {"type": "string", "format": "date-time"}}});
/// let sent = json!({"state": "running", "started": "2024-01-02T03:04:05"});
/// assert!(check_value(&json!({}), &schema, &sent, "", 20).is_empty());
/// let problems = check_example(&json!({}), &schema, &sent, 20);
/// assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["state", "started"]);
/// ```
pub fn check_example(root: &Value, schema: &Value, value: &Value, max: usize) -> Vec<Problem> {
    let mut checker = Checker { root, work: 0, strict: true };
    let mut out = Vec::new();
    checker.walk(schema, value, "", false, 0, max, &mut out);
    out.truncate(max);
    out
}

/// Checks one path, query or header parameter's text (as sent, percent-decoded) against its
/// schema; for an array schema, `text` is one item. The error is ASP.NET's message,
/// "The value 'abc' is not valid.".
pub fn check_text(root: &Value, schema: &Value, text: &str) -> Result<(), String> {
    let mut checker = Checker { root, work: 0, strict: false };
    if checker.text_fits(schema, text, 0) { Ok(()) } else { Err(format!("The value '{text}' is not valid.")) }
}

/// The schemas that all apply to one value (`$ref`s and `allOf` followed), and the
/// `oneOf`/`anyOf` groups met on the way.
#[derive(Default)]
struct Gathered<'a> {
    parts: Vec<&'a Map<String, Value>>,
    choices: Vec<&'a Map<String, Value>>,
    /// The name of the last `$ref` followed, for messages about enums and objects.
    named: Option<&'a str>,
    /// The first value of each of the [`HOT`] keywords among the parts, found in one pass over
    /// each part's few keys as it is added: looking them up part by part was most of a check
    /// (which runs over every example of a document at load).
    hot: [Option<&'a Value>; HOT.len()],
}

/// The keywords every value's check asks for.
const HOT: [&str; 11] = [
    "type",
    "format",
    "enum",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "items",
    "additionalProperties",
];

impl<'a> Gathered<'a> {
    /// Adds a part, noting its hot keywords where no earlier part gave them.
    fn add(&mut self, part: &'a Map<String, Value>) {
        self.parts.push(part);
        for (key, value) in part {
            if let Some(slot) = HOT.iter().position(|hot| *hot == key) {
                self.hot[slot].get_or_insert(value);
            }
        }
    }

    /// The first part's value of `key`.
    fn keyword(&self, key: &str) -> Option<&'a Value> {
        match HOT.iter().position(|hot| *hot == key) {
            Some(slot) => self.hot[slot],
            None => self.parts.iter().find_map(|part| part.get(key)),
        }
    }

    fn flag(&self, key: &str) -> bool {
        self.parts.iter().any(|part| part.get(key).and_then(Value::as_bool) == Some(true))
    }

    fn type_name(&self) -> Option<&'a str> {
        if let Some(name) = self.keyword("type").and_then(Value::as_str) {
            return Some(name);
        }
        if self.parts.iter().any(|part| part.contains_key("properties")) {
            return Some("object");
        }
        None
    }
}

struct Checker<'a> {
    root: &'a Value,
    work: usize,
    /// Judging what the mock sends ([`check_example`]) rather than what a client sent.
    strict: bool,
}

impl<'a> Checker<'a> {
    /// Follows `$ref`s and `allOf`s from `schema`, `seen` holding the references already
    /// followed for this value.
    fn gather(&mut self, schema: &'a Value, seen: &mut Vec<&'a str>, into: &mut Gathered<'a>, level: usize) {
        self.work += 1;
        if level > MAX_DEPTH || self.work > MAX_WORK {
            return;
        }
        let Some(object) = schema.as_object() else { return };
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            if seen.contains(&reference) {
                return;
            }
            seen.push(reference);
            into.add(object);
            if let Some(target) = resolve(self.root, reference) {
                into.named = reference.rsplit('/').next();
                self.gather(target, seen, into, level + 1);
            }
            return;
        }
        into.add(object);
        if let Some(parts) = object.get("allOf").and_then(Value::as_array) {
            for part in parts {
                self.gather(part, seen, into, level + 1);
            }
        }
        if object.get("oneOf").or_else(|| object.get("anyOf")).is_some_and(Value::is_array) {
            into.choices.push(object);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn walk(
        &mut self,
        schema: &'a Value,
        value: &Value,
        field: &str,
        required: bool,
        depth: usize,
        max: usize,
        out: &mut Vec<Problem>,
    ) {
        self.walk_seen(schema, value, field, required, depth, max, out, &mut Vec::new());
    }

    #[allow(clippy::too_many_arguments)]
    fn walk_seen(
        &mut self,
        schema: &'a Value,
        value: &Value,
        field: &str,
        required: bool,
        depth: usize,
        max: usize,
        out: &mut Vec<Problem>,
        seen: &mut Vec<&'a str>,
    ) {
        if depth > MAX_DEPTH || out.len() >= max || self.work > MAX_WORK {
            return;
        }
        let mut gathered = Gathered::default();
        self.gather(schema, seen, &mut gathered, 0);
        let name = field_name(field);
        let type_name = gathered.type_name();
        if value.is_null() {
            if gathered.flag("nullable") {
                return;
            }
            if self.strict {
                out.push(problem(
                    field,
                    format!("The {name} field is null, which its schema does not allow."),
                ));
                return;
            }
            if required {
                out.push(problem(field, format!("The {name} field is required.")));
            } else if matches!(type_name, Some("integer" | "number" | "boolean")) {
                out.push(problem(field, not_converted(&gathered)));
            }
            return;
        }
        if !self.value_fits_type(&gathered, type_name, value) {
            out.push(problem(field, not_converted(&gathered)));
            return;
        }
        self.check_leaf(&gathered, value, field, name, out);
        match value {
            Value::Object(map) => self.check_object(&gathered, map, field, depth, max, out),
            Value::Array(items) => {
                if let Some(item_schema) = gathered.keyword("items") {
                    // One buffer for every item's path: a check allocates per object, not per
                    // value (it runs over every example of a 4 MB document at load).
                    let mut path = String::with_capacity(field.len() + 8);
                    for (index, item) in items.iter().enumerate() {
                        if out.len() >= max {
                            break;
                        }
                        path.clear();
                        let _ = write!(path, "{field}[{index}]");
                        self.walk(item_schema, item, &path, false, depth + 1, max, out);
                    }
                }
            }
            _ => {}
        }
        for choice in &gathered.choices {
            if out.len() >= max {
                break;
            }
            self.check_choice(choice, value, field, depth, max, out, seen);
        }
    }

    fn value_fits_type(&self, gathered: &Gathered<'a>, type_name: Option<&str>, value: &Value) -> bool {
        let format = gathered.keyword("format").and_then(Value::as_str).unwrap_or("");
        match type_name {
            Some("integer") => match value {
                Value::Number(_) => integer_fits(value.as_i64(), value.as_u64(), format),
                Value::String(text) => !self.strict && integer_text_fits(text, format),
                _ => false,
            },
            Some("number") => match value {
                Value::Number(_) => true,
                Value::String(text) => !self.strict && text.parse::<f64>().is_ok_and(f64::is_finite),
                _ => false,
            },
            Some("boolean") => value.is_boolean(),
            Some("string") if self.strict && format == "date-time" => {
                value.as_str().is_some_and(rfc3339_fits)
            }
            Some("string") => value.as_str().is_some_and(|text| string_format_fits(text, format)),
            Some("object") => value.is_object(),
            Some("array") => value.is_array(),
            _ => true,
        }
    }

    fn check_leaf(
        &mut self,
        gathered: &Gathered<'a>,
        value: &Value,
        field: &str,
        name: &str,
        out: &mut Vec<Problem>,
    ) {
        for part in &gathered.parts {
            let values = part.get("enum").and_then(Value::as_array);
            self.work += values.map_or(0, |values| values.len() / 64);
            if let Some(values) = values
                && !(if self.strict { values.contains(value) } else { enum_has(values, value) })
            {
                out.push(problem(field, not_converted(gathered)));
                return;
            }
        }
        let number = match value {
            Value::Number(n) => n.as_f64(),
            Value::String(text) if matches!(gathered.type_name(), Some("integer" | "number")) => {
                text.parse().ok()
            }
            _ => None,
        };
        if let Some(number) = number {
            let low = gathered.keyword("minimum").and_then(Value::as_f64);
            let high = gathered.keyword("maximum").and_then(Value::as_f64);
            let below =
                low.is_some_and(
                    |low| {
                        if gathered.flag("exclusiveMinimum") { number <= low } else { number < low }
                    },
                );
            let above = high.is_some_and(|high| {
                if gathered.flag("exclusiveMaximum") { number >= high } else { number > high }
            });
            if below || above {
                let low = low.map_or_else(|| "-Infinity".to_owned(), show);
                let high = high.map_or_else(|| "Infinity".to_owned(), show);
                out.push(problem(field, format!("The field {name} must be between {low} and {high}.")));
            }
            return;
        }
        let length = match value {
            Value::String(text) => Some(text.chars().count()),
            Value::Array(items) => Some(items.len()),
            _ => None,
        };
        if let Some(length) = length {
            let (low_key, high_key) =
                if value.is_array() { ("minItems", "maxItems") } else { ("minLength", "maxLength") };
            if let Some(low) = gathered.keyword(low_key).and_then(Value::as_u64)
                && (length as u64) < low
            {
                out.push(problem(
                    field,
                    format!(
                        "The field {name} must be a string or array type with a minimum length of '{low}'."
                    ),
                ));
            } else if let Some(high) = gathered.keyword(high_key).and_then(Value::as_u64)
                && (length as u64) > high
            {
                out.push(problem(
                    field,
                    format!(
                        "The field {name} must be a string or array type with a maximum length of '{high}'."
                    ),
                ));
            }
        }
    }

    fn check_object(
        &mut self,
        gathered: &Gathered<'a>,
        map: &Map<String, Value>,
        field: &str,
        depth: usize,
        max: usize,
        out: &mut Vec<Problem>,
    ) {
        let mut required: Vec<&str> = Vec::new();
        for part in &gathered.parts {
            for name in part.get("required").and_then(Value::as_array).into_iter().flatten() {
                if let Some(name) = name.as_str()
                    && !required.contains(&name)
                {
                    required.push(name);
                }
            }
        }
        let mut named: Vec<&str> = Vec::new();
        // One buffer for every property's path (see the items' in `walk_seen`).
        let mut path = String::new();
        for part in &gathered.parts {
            let Some(properties) = part.get("properties").and_then(Value::as_object) else { continue };
            for (name, property) in properties {
                if out.len() >= max {
                    return;
                }
                // The scans of `named` and `required` below are charged, so that a schema of
                // thousands of properties stops at the budget rather than costing their square.
                self.work += 1 + (named.len() + required.len()) / 8;
                // Declared again by a later part (a child restating its parent's): checked once.
                if named.contains(&name.as_str()) {
                    continue;
                }
                named.push(name);
                path.clear();
                if !field.is_empty() {
                    path.push_str(field);
                    path.push('.');
                }
                path.push_str(name);
                match map.get(name) {
                    Some(value) => self.walk(
                        property,
                        value,
                        &path,
                        required.contains(&name.as_str()),
                        depth + 1,
                        max,
                        out,
                    ),
                    None if required.contains(&name.as_str()) => {
                        required.retain(|known| known != name);
                        if self.strict || !self.has_default(property) {
                            out.push(problem(&path, format!("The {name} field is required.")));
                        }
                    }
                    None => {}
                }
            }
        }
        // A required name no `properties` declares is a document's mistake (Veeam's name fields
        // their classes renamed or never had): the product's class has no such property, so its
        // binder cannot require it. It is enforced only for a schema that declares no properties.
        if named.is_empty() {
            for name in required {
                if !map.contains_key(name) && out.len() < max {
                    out.push(problem(&join(field, name), format!("The {name} field is required.")));
                }
            }
        }
        if self.strict && gathered.keyword("additionalProperties") == Some(&Value::Bool(false)) {
            for key in map.keys() {
                if !named.contains(&key.as_str()) && out.len() < max {
                    out.push(problem(&join(field, key), format!("The {key} field is not allowed here.")));
                }
            }
        }
        if let Some(extra) = gathered.keyword("additionalProperties").filter(|schema| schema.is_object()) {
            for (key, value) in map {
                if out.len() >= max {
                    return;
                }
                if !named.contains(&key.as_str()) {
                    self.walk(extra, value, &join(field, key), false, depth + 1, max, out);
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check_choice(
        &mut self,
        choice: &'a Map<String, Value>,
        value: &Value,
        field: &str,
        depth: usize,
        max: usize,
        out: &mut Vec<Problem>,
        seen: &mut Vec<&'a str>,
    ) {
        let Some(alternatives) =
            choice.get("oneOf").or_else(|| choice.get("anyOf")).and_then(Value::as_array)
        else {
            return;
        };
        if alternatives.is_empty() {
            return;
        }
        let discriminator = choice.get("discriminator");
        let chosen = discriminator
            .and_then(|d| Some((d.get("propertyName")?.as_str()?, d.get("mapping")?.as_object()?)))
            .and_then(|(property, mapping)| {
                let sent = value.get(property)?.as_str()?;
                mapping.iter().find(|(key, _)| key.eq_ignore_ascii_case(sent)).and_then(|(_, to)| to.as_str())
            });
        if let Some(chosen) = chosen {
            let schema = alternatives
                .iter()
                .find(|alternative| alternative.get("$ref").and_then(Value::as_str) == Some(chosen));
            if let Some(schema) = schema {
                // The alternative's references are followed on `seen` and taken off again after.
                let mark = seen.len();
                self.walk_seen(schema, value, field, false, depth + 1, max, out, seen);
                seen.truncate(mark);
                return;
            }
        }
        // Strictly, a `oneOf` is matched by exactly one alternative; a binder takes the first.
        let exactly_one = self.strict && choice.contains_key("oneOf");
        let mut matched = 0;
        let mut best: Option<Vec<Problem>> = None;
        for alternative in alternatives {
            let mut problems = Vec::new();
            let mark = seen.len();
            self.walk_seen(alternative, value, field, false, depth + 1, max, &mut problems, seen);
            seen.truncate(mark);
            if problems.is_empty() {
                matched += 1;
                if !exactly_one {
                    return;
                }
                continue;
            }
            if best.as_ref().is_none_or(|best| problems.len() < best.len()) {
                best = Some(problems);
            }
            if self.work > MAX_WORK {
                return;
            }
        }
        if exactly_one && matched > 0 {
            if matched > 1 && out.len() < max {
                out.push(problem(
                    field,
                    format!("The value matches {matched} alternatives of a oneOf, not one."),
                ));
            }
            return;
        }
        for found in best.into_iter().flatten() {
            if out.len() >= max {
                break;
            }
            out.push(found);
        }
    }

    /// Whether a property's schema (or one its `$ref`s and `allOf` name) gives a `default`.
    fn has_default(&mut self, property: &'a Value) -> bool {
        let mut gathered = Gathered::default();
        self.gather(property, &mut Vec::new(), &mut gathered, 0);
        gathered.keyword("default").is_some()
    }

    /// Whether a parameter's text fits `schema`.
    fn text_fits(&mut self, schema: &'a Value, text: &str, level: usize) -> bool {
        let mut gathered = Gathered::default();
        self.gather(schema, &mut Vec::new(), &mut gathered, 0);
        let type_name = gathered.type_name();
        if type_name == Some("array") {
            return match gathered.keyword("items") {
                Some(items) if level < MAX_DEPTH => self.text_fits(items, text, level + 1),
                _ => true,
            };
        }
        let format = gathered.keyword("format").and_then(Value::as_str).unwrap_or("");
        let as_value = match type_name {
            Some("integer") if integer_text_fits(text, format) => match text.parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => return false,
            },
            Some("integer") => return false,
            Some("number") => match text.parse::<f64>().ok().filter(|n| n.is_finite()) {
                Some(n) => Value::from(n),
                None => return false,
            },
            Some("boolean") if text.eq_ignore_ascii_case("true") => Value::Bool(true),
            Some("boolean") if text.eq_ignore_ascii_case("false") => Value::Bool(false),
            Some("boolean") => return false,
            _ if !string_format_fits(text, format) => return false,
            _ => Value::String(text.to_owned()),
        };
        let mut problems = Vec::new();
        self.check_leaf(&gathered, &as_value, "", "", &mut problems);
        if !problems.is_empty() {
            return false;
        }
        for choice in &gathered.choices {
            let alternatives = choice.get("oneOf").or_else(|| choice.get("anyOf")).and_then(Value::as_array);
            if let Some(alternatives) = alternatives.filter(|a| !a.is_empty())
                && level < MAX_DEPTH
                && !alternatives.iter().any(|alternative| self.text_fits(alternative, text, level + 1))
            {
                return false;
            }
        }
        true
    }
}

fn problem(field: &str, message: String) -> Problem {
    Problem { field: field.to_owned(), message }
}

/// The last name of a dotted path (`b` of `a.b[1]`), for messages that name the field.
fn field_name(field: &str) -> &str {
    let last = field.rsplit('.').next().unwrap_or(field);
    last.split('[').next().unwrap_or(last)
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() { name.to_owned() } else { format!("{parent}.{name}") }
}

/// A number as .NET prints it in a range message (`5`, not `5.0`).
fn show(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        number.to_string()
    }
}

/// System.Text.Json's message for a value it cannot read as the schema's .NET type.
fn not_converted(gathered: &Gathered<'_>) -> String {
    let format = gathered.keyword("format").and_then(Value::as_str).unwrap_or("");
    let has_enum = gathered.keyword("enum").is_some();
    let dotnet = match (gathered.type_name(), format) {
        _ if has_enum => gathered.named.unwrap_or("System.Enum"),
        (Some("integer"), "int64") => "System.Int64",
        (Some("integer"), _) => "System.Int32",
        (Some("number"), "float") => "System.Single",
        (Some("number"), _) => "System.Double",
        (Some("boolean"), _) => "System.Boolean",
        (Some("string"), "uuid") => "System.Guid",
        (Some("string"), "date-time") => "System.DateTime",
        (Some("string"), _) => "System.String",
        (Some("object"), _) => gathered.named.unwrap_or("System.Object"),
        (Some("array"), _) => "System.Collections.Generic.List",
        _ => "System.Object",
    };
    format!("The JSON value could not be converted to {dotnet}.")
}

fn integer_fits(signed: Option<i64>, unsigned: Option<u64>, format: &str) -> bool {
    match (signed, format) {
        (Some(n), "int32") => i32::try_from(n).is_ok(),
        (Some(_), _) => true,
        (None, "int32" | "int64") => false,
        (None, _) => unsigned.is_some(),
    }
}

fn integer_text_fits(text: &str, format: &str) -> bool {
    match text.parse::<i64>() {
        Ok(n) => integer_fits(Some(n), None, format),
        Err(_) => format.is_empty() && text.parse::<u64>().is_ok(),
    }
}

fn enum_has(values: &[Value], value: &Value) -> bool {
    values.iter().any(|allowed| match (allowed, value) {
        (Value::String(allowed), Value::String(sent)) => allowed.eq_ignore_ascii_case(sent),
        (Value::Number(allowed), Value::Number(sent)) => allowed.as_f64() == sent.as_f64(),
        (allowed, sent) => allowed == sent,
    })
}

fn string_format_fits(text: &str, format: &str) -> bool {
    match format {
        "uuid" => uuid::Uuid::parse_str(text).is_ok(),
        "date-time" => date_time_fits(text),
        "date" => date_fits(text),
        _ => true,
    }
}

/// `YYYY-MM-DD`, a real day.
fn date_fits(text: &str) -> bool {
    let bytes = text.as_bytes();
    if !text.is_ascii() || bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) =
        (digits(&text[0..4]), digits(&text[5..7]), digits(&text[8..10]))
    else {
        return false;
    };
    let Ok(month) = time::Month::try_from(month as u8) else { return false };
    time::Date::from_calendar_date(year as i32, month, day as u8).is_ok()
}

/// ISO 8601 as System.Text.Json reads a `DateTime`: a date, optionally `T` and `hh:mm[:ss[.f]]`,
/// optionally `Z` or `±hh:mm`.
fn date_time_fits(text: &str) -> bool {
    if !text.is_ascii() || text.len() < 10 || !date_fits(&text[..10]) {
        return false;
    }
    let rest = &text[10..];
    if rest.is_empty() {
        return true;
    }
    let Some(rest) = rest.strip_prefix('T').or_else(|| rest.strip_prefix('t')) else { return false };
    let (clock, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let (clock, fraction) = match clock.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (clock, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || f.len() > 16 || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let pieces: Vec<&str> = clock.split(':').collect();
    let limits = [23, 59, 59];
    if !(2..=3).contains(&pieces.len()) || (fraction.is_some() && pieces.len() != 3) {
        return false;
    }
    if !pieces
        .iter()
        .zip(limits)
        .all(|(piece, most)| piece.len() == 2 && digits(piece).is_some_and(|n| n <= most))
    {
        return false;
    }
    match offset {
        "" | "Z" | "z" => true,
        offset => {
            let sign_less = &offset[1..];
            sign_less.len() == 5
                && sign_less.as_bytes()[2] == b':'
                && digits(&sign_less[..2]).is_some_and(|h| h <= 14)
                && digits(&sign_less[3..]).is_some_and(|m| m <= 59)
        }
    }
}

/// RFC 3339's `date-time`, as JSON Schema validators read the format: a date, `T`, a time with
/// seconds, and `Z` or an offset.
fn rfc3339_fits(text: &str) -> bool {
    let Some(time) = text.get(11..) else { return false };
    let has_offset = time.ends_with(['Z', 'z'])
        || time.get(time.len().saturating_sub(6)..).is_some_and(|end| end.starts_with(['+', '-']));
    let clock = time.split(['.', 'Z', 'z', '+', '-']).next().unwrap_or("");
    has_offset && clock.len() == 8 && date_time_fits(text)
}

fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn a_missing_required_property_is_named() {
        let schema = json!({"type": "object", "required": ["Name", "id"], "properties": {
            "Name": {"type": "string"}, "id": {"type": "string", "format": "uuid"}}});
        let problems =
            check_value(&json!({}), &schema, &json!({"id": "6a9f5d1e-0000-4000-8000-000000000000"}), "", 20);
        assert_eq!(
            problems,
            [Problem { field: "Name".into(), message: "The Name field is required.".into() }]
        );
    }

    #[test]
    fn a_required_name_no_property_declares_is_not_enforced() {
        let schema = json!({"type": "object", "required": ["id", "renamed"], "properties": {"id": {"type": "string"}}});
        assert_eq!(check_value(&json!({}), &schema, &json!({"id": "x"}), "", 20), []);
        let bare = json!({"type": "object", "required": ["id"]});
        assert_eq!(fields(&check_value(&json!({}), &bare, &json!({}), "", 20)), ["id"]);
    }

    #[test]
    fn a_required_property_with_a_default_may_be_left_out() {
        let root =
            json!({"components": {"schemas": {"EMode": {"type": "string", "enum": ["A"], "default": "A"}}}});
        let schema = json!({"type": "object", "required": ["flag", "mode", "name"], "properties": {
            "flag": {"type": "boolean", "default": false},
            "mode": {"$ref": "#/components/schemas/EMode"},
            "name": {"type": "string"}}});
        assert_eq!(fields(&check_value(&root, &schema, &json!({}), "", 20)), ["name"]);
    }

    #[test]
    fn odd_schemas_and_values_do_not_panic() {
        let root = json!({"components": {"schemas": {"Loop": {"$ref": "#/components/schemas/Loop"}}}});
        let schemas = [
            json!(true),
            json!(5),
            json!("x"),
            json!([1]),
            json!(null),
            json!({}),
            json!({"$ref": "#/components/schemas/Loop"}),
            json!({"$ref": "elsewhere.json#/X"}),
            json!({"type": "array", "items": [{"type": "string"}]}),
            json!({"required": "id", "properties": 3}),
            json!({"enum": []}),
            json!({"type": "integer", "minimum": 9, "maximum": 1}),
            json!({"type": "string", "format": "date-time"}),
            json!({"type": "string", "format": "date"}),
            json!({"oneOf": []}),
            json!({"anyOf": [true, {"discriminator": 1}]}),
            json!({"type": "object", "additionalProperties": true}),
            json!({"type": ["string", "null"]}),
        ];
        let values = [
            json!(null),
            json!(true),
            json!(-1),
            json!(1.5),
            json!(u64::MAX),
            json!("é-1-é-1é"),
            json!("2024-01-01Té"),
            json!("2024-01-01T10:00+"),
            json!("2024-13-01"),
            json!([]),
            json!({"id": 1}),
        ];
        for schema in &schemas {
            for value in &values {
                let _ = check_value(&root, schema, value, "f", 20);
                if let Some(text) = value.as_str() {
                    let _ = check_text(&root, schema, text);
                }
            }
        }
    }

    #[test]
    fn wrong_types_are_problems() {
        let schema = json!({"type": "object", "properties": {
            "count": {"type": "integer", "format": "int32"},
            "ratio": {"type": "number"},
            "flag": {"type": "boolean"},
            "name": {"type": "string"},
            "id": {"type": "string", "format": "uuid"},
            "when": {"type": "string", "format": "date-time"},
            "list": {"type": "array", "items": {"type": "integer"}},
            "inner": {"type": "object", "properties": {}}}});
        let bad = json!({"count": 1.5, "ratio": "x", "flag": "true", "name": 3, "id": "nope",
            "when": "yesterday", "list": {}, "inner": []});
        let problems = check_value(&json!({}), &schema, &bad, "", 20);
        assert_eq!(fields(&problems), ["count", "ratio", "flag", "name", "id", "when", "list", "inner"]);
        assert_eq!(problems[0].message, "The JSON value could not be converted to System.Int32.");
        let good = json!({"count": "12", "ratio": 1, "flag": true, "name": "n",
            "id": "6A9F5D1E00004000800000000000000A", "when": "2024-05-01T10:00:00.1234567",
            "list": [1, 2], "inner": {"x": 1}});
        assert_eq!(check_value(&json!({}), &schema, &good, "", 20), []);
        let overflow = json!({"count": 3_000_000_000_i64});
        assert_eq!(fields(&check_value(&json!({}), &schema, &overflow, "", 20)), ["count"]);
    }

    #[test]
    fn an_example_is_judged_as_a_schema_validator_judges_it() {
        let root = json!({"components": {"schemas": {"EMode": {"type": "string", "enum": ["Daily"]}}}});
        let schema = json!({"type": "object", "required": ["id", "mode"], "properties": {
            "id": {"type": "integer", "default": 0},
            "mode": {"$ref": "#/components/schemas/EMode"},
            "name": {"type": "string"},
            "note": {"type": "string", "nullable": true},
            "when": {"type": "string", "format": "date-time"}}});
        let good = json!({"id": 1, "mode": "Daily", "name": "a", "note": null, "when": "2024-01-02T03:04:05.5+01:00"});
        assert_eq!(check_example(&root, &schema, &good, 20), []);
        let lenient = json!({"mode": "daily", "name": null, "when": "2024-01-02T03:04"});
        assert_eq!(check_value(&root, &schema, &lenient, "", 20), []);
        assert_eq!(fields(&check_example(&root, &schema, &lenient, 20)), ["id", "mode", "name", "when"]);
        assert_eq!(fields(&check_example(&root, &schema, &json!({"id": "1", "mode": "Daily"}), 20)), ["id"]);
        for text in ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05.1234567-05:30"] {
            assert!(rfc3339_fits(text), "{text}");
        }
        for text in ["2024-01-02", "2024-01-02T03:04:05", "2024-01-02T03:04Z", "2024-01-02 03:04:05Z"] {
            assert!(!rfc3339_fits(text), "{text}");
        }
    }

    #[test]
    fn an_example_matches_exactly_one_alternative_and_no_forbidden_property() {
        let choice = json!({"oneOf": [{"type": "integer"}, {"type": "number"}]});
        assert_eq!(check_value(&json!({}), &choice, &json!(3), "", 20), []);
        assert_eq!(check_example(&json!({}), &choice, &json!(3), 20).len(), 1);
        assert_eq!(check_example(&json!({}), &choice, &json!(3.5), 20), []);
        let closed = json!({"type": "object", "additionalProperties": false, "properties": {"a": {}}});
        assert_eq!(fields(&check_example(&json!({}), &closed, &json!({"a": 1, "b": 2}), 20)), ["b"]);
    }

    #[test]
    fn a_long_chain_of_one_ofs_stops_at_the_depth_limit() {
        // S0 = oneOf [S1], S1 = oneOf [S2], ...: each step was a stack frame, 5000 of them a
        // stack overflow (the whole process) before a `oneOf` counted as a level.
        let mut schemas = serde_json::Map::new();
        for n in 0..5000 {
            schemas.insert(
                format!("S{n}"),
                json!({"oneOf": [{"$ref": format!("#/components/schemas/S{}", n + 1)}]}),
            );
        }
        schemas.insert("S5000".to_owned(), json!({"type": "integer"}));
        let root = json!({"components": {"schemas": schemas}});
        let schema = json!({"$ref": "#/components/schemas/S0"});
        assert_eq!(check_value(&root, &schema, &json!("x"), "", 20), []);
        assert_eq!(check_example(&root, &schema, &json!({}), 20), []);
    }

    #[test]
    fn enums_match_in_any_case() {
        let root =
            json!({"components": {"schemas": {"EMode": {"type": "string", "enum": ["Daily", "Monthly"]}}}});
        let schema =
            json!({"type": "object", "properties": {"mode": {"$ref": "#/components/schemas/EMode"}}});
        assert_eq!(check_value(&root, &schema, &json!({"mode": "dAILY"}), "", 20), []);
        let problems = check_value(&root, &schema, &json!({"mode": "Weekly"}), "", 20);
        assert_eq!(problems[0].message, "The JSON value could not be converted to EMode.");
    }

    #[test]
    fn unknown_properties_are_ignored_unless_additional_properties_has_a_schema() {
        let schema = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        assert_eq!(check_value(&json!({}), &schema, &json!({"a": "x", "zzz": 1}), "", 20), []);
        let typed = json!({"type": "object", "additionalProperties": {"type": "integer"}});
        assert_eq!(fields(&check_value(&json!({}), &typed, &json!({"ok": 1, "bad": "no"}), "", 20)), ["bad"]);
    }

    #[test]
    fn nested_fields_have_dotted_paths() {
        let schema = json!({"type": "object", "properties": {"a": {"type": "object", "properties": {
            "b": {"type": "array", "items": {"type": "object", "required": ["c"], "properties": {
                "c": {"type": "integer", "minimum": 1, "maximum": 5}}}}}}}});
        let value = json!({"a": {"b": [{"c": 2}, {"c": 9}, {}]}});
        let problems = check_value(&json!({}), &schema, &value, "body", 20);
        assert_eq!(fields(&problems), ["body.a.b[1].c", "body.a.b[2].c"]);
        assert_eq!(problems[0].message, "The field c must be between 1 and 5.");
        assert_eq!(problems[1].message, "The c field is required.");
        assert_eq!(check_value(&json!({}), &schema, &value, "", 1).len(), 1);
    }

    #[test]
    fn one_of_passes_when_any_alternative_does() {
        let schema = json!({"oneOf": [{"type": "integer"}, {"type": "string", "format": "uuid"}]});
        assert_eq!(check_value(&json!({}), &schema, &json!(5), "x", 20), []);
        assert_eq!(
            check_value(&json!({}), &schema, &json!("6a9f5d1e-0000-4000-8000-000000000000"), "x", 20),
            []
        );
        assert_eq!(check_value(&json!({}), &schema, &json!(true), "x", 20).len(), 1);
    }

    #[test]
    fn a_discriminator_picks_the_alternative_and_cycles_end() {
        let root = json!({"components": {"schemas": {
            "Schedule": {"type": "object", "required": ["type"],
                "properties": {"type": {"type": "string", "enum": ["Immediate", "Periodic"]}},
                "oneOf": [{"$ref": "#/components/schemas/Immediate"}, {"$ref": "#/components/schemas/Periodic"}],
                "discriminator": {"propertyName": "type", "mapping": {
                    "Immediate": "#/components/schemas/Immediate", "Periodic": "#/components/schemas/Periodic"}}},
            "Immediate": {"allOf": [{"$ref": "#/components/schemas/Schedule"},
                {"type": "object", "properties": {"delay": {"type": "integer"}}}]},
            "Periodic": {"allOf": [{"$ref": "#/components/schemas/Schedule"},
                {"type": "object", "required": ["every"], "properties": {"every": {"type": "integer"}}}]}}}});
        let schedule = json!({"$ref": "#/components/schemas/Schedule"});
        assert_eq!(check_value(&root, &schedule, &json!({"type": "Immediate"}), "", 20), []);
        let problems = check_value(&root, &schedule, &json!({"type": "periodic"}), "", 20);
        assert_eq!(fields(&problems), ["every"]);
        let child = json!({"$ref": "#/components/schemas/Periodic"});
        assert_eq!(fields(&check_value(&root, &child, &json!({"every": 1}), "", 20)), ["type"]);
    }

    #[test]
    fn null_is_a_problem_only_where_dotnet_cannot_take_it() {
        let schema = json!({"type": "object", "required": ["must"], "properties": {
            "must": {"type": "string"},
            "text": {"type": "string"},
            "count": {"type": "integer"},
            "maybe": {"type": "integer", "nullable": true},
            "inner": {"type": "object"}}});
        let value = json!({"must": null, "text": null, "count": null, "maybe": null, "inner": null});
        let problems = check_value(&json!({}), &schema, &value, "", 20);
        assert_eq!(fields(&problems), ["must", "count"]);
        assert_eq!(problems[0].message, "The must field is required.");
    }

    #[test]
    fn a_dangling_reference_and_a_self_reference_accept() {
        let root =
            json!({"components": {"schemas": {"Loop": {"allOf": [{"$ref": "#/components/schemas/Loop"}]}}}});
        let schema = json!({"type": "object", "properties": {
            "gone": {"$ref": "#/components/schemas/Gone"}, "loop": {"$ref": "#/components/schemas/Loop"}}});
        assert_eq!(check_value(&root, &schema, &json!({"gone": [1], "loop": "x"}), "", 20), []);
    }

    #[test]
    fn lengths_and_items_are_bounded() {
        let schema = json!({"type": "object", "properties": {
            "s": {"type": "string", "minLength": 2, "maxLength": 3},
            "l": {"type": "array", "maxItems": 1, "items": {}}}});
        let problems = check_value(&json!({}), &schema, &json!({"s": "abcd", "l": [1, 2]}), "", 20);
        assert_eq!(fields(&problems), ["s", "l"]);
        assert_eq!(
            problems[0].message,
            "The field s must be a string or array type with a maximum length of '3'."
        );
    }

    #[test]
    fn parameter_texts_are_checked() {
        let root = json!({"components": {"schemas": {"EKind": {"type": "string", "enum": ["Full", "Incremental"]}}}});
        let int32 = json!({"type": "integer", "format": "int32", "minimum": 0});
        assert_eq!(check_text(&root, &int32, "12"), Ok(()));
        assert_eq!(check_text(&root, &int32, "abc"), Err("The value 'abc' is not valid.".to_owned()));
        assert!(check_text(&root, &int32, "3000000000").is_err());
        assert!(check_text(&root, &int32, "-1").is_err());
        let id = json!({"type": "string", "format": "uuid"});
        assert!(check_text(&root, &id, "6a9f5d1e-0000-4000-8000-000000000000").is_ok());
        assert!(check_text(&root, &id, "{6a9f5d1e-0000-4000-8000-000000000000}").is_ok());
        assert!(check_text(&root, &id, "6a9f5d1e").is_err());
        let flag = json!({"type": "boolean"});
        assert!(check_text(&root, &flag, "TRUE").is_ok());
        assert!(check_text(&root, &flag, "yes").is_err());
        let kind = json!({"$ref": "#/components/schemas/EKind"});
        assert!(check_text(&root, &kind, "full").is_ok());
        assert_eq!(check_text(&root, &kind, "X"), Err("The value 'X' is not valid.".to_owned()));
        let when = json!({"type": "string", "format": "date-time"});
        for good in ["2024-01-01T10:00:00Z", "2024-01-01T10:00:00.5+01:00", "2024-01-01T10:00", "2024-02-29"]
        {
            assert!(check_text(&root, &when, good).is_ok(), "{good}");
        }
        for bad in ["2023-02-29T10:00:00Z", "2024-01-01 10:00:00", "2024-01-01T25:00:00", "now"] {
            assert!(check_text(&root, &when, bad).is_err(), "{bad}");
        }
        let list = json!({"type": "array", "items": {"type": "integer"}});
        assert!(check_text(&root, &list, "5").is_ok());
        assert!(check_text(&root, &list, "x").is_err());
    }
}
