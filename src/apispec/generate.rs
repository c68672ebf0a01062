//! A JSON value for a schema of an OpenAPI 3.0 document: what the mock answers when a loaded
//! document gives no example for a response.
//!
//! The rules, in the order they apply:
//!
//! - **Deterministic.** One PCG (`Pcg64Mcg`) seeded from `seed` is drawn in a fixed walk order
//!   (properties in document order, array items in order), so the same document, schema and
//!   seed give the same value on every run and platform. Another seed gives other uuids,
//!   numbers, dates and enum picks.
//! - **Leaves.** The schema's `example` when its JSON type fits the schema's type (a string for
//!   a string with a format; the nil UUID, VB365's placeholder example for every uuid, is not
//!   taken), else its `default` (same conditions), else a seeded pick among
//!   the non-null `enum` values, else a value made from the type and format: `uuid` a random
//!   version 4 UUID; `date-time` the product's own text ([`Style::date_time`]) of an instant
//!   within two years after 2024-01-01T00:00:00Z; `date` `YYYY-MM-DD`; `time` `HH:MM:SS`;
//!   `time-span` `01:30:00`; integers within `minimum`/`maximum` (3.0's boolean
//!   `exclusiveMinimum`/`exclusiveMaximum` honoured), 1..=1000 when unbounded, within the
//!   `int32` range for `int32`; numbers with two decimals within the same bounds; `byte`
//!   base64; `binary` a short text; `password` `P@ssw0rd-NNNN`; `uri`/`url` an
//!   `https://example.com/..` address; `email` (or a property whose name says email)
//!   `userN@example.com`; `ipv4` an address of TEST-NET-1; `hostname` `host-N.example.com`;
//!   other strings from the property's name (`name`/`displayName` give `Name N`, others
//!   `<property>-N`, `string-N` without a name), padded or cut to `minLength`/`maxLength`.
//!   Unknown formats (Veeam's `"false"`) are plain strings. A schema without `type` is an
//!   object when it has properties, an array when it has `items`, else takes the type its
//!   enum, format or example implies; a schema that says nothing gives `{}`.
//! - **Nullable** schemas still get a value; `null` is only what a cut gives (below).
//! - **Objects** have every property of `properties` in document order (the properties of
//!   `allOf` parts and of the chosen `oneOf`/`anyOf` alternative merged in, a property named
//!   twice keeping its first place and its last schema), except `writeOnly` ones (these are
//!   responses); `readOnly` ones are included. `additionalProperties` adds nothing.
//! - **Arrays** have `max(minItems, min(max_items, maxItems))` items (`minItems` honoured up to
//!   100, otherwise at most 10). With `uniqueItems` an item equal to an earlier one is drawn
//!   again, up to three times.
//! - **`$ref`** is resolved in the document (local JSON pointers only). A stack of the
//!   references being expanded catches cycles: a reference already on it adds nothing inside
//!   `allOf` (and `oneOf`/`anyOf`, which merge like it); elsewhere it is a *cut*: an array
//!   whose items are cut stays empty, an optional property that is cut is left out, a required
//!   one gets the cut value. A dangling reference is a cut too (nothing inside `allOf`).
//! - **`oneOf`/`anyOf`** take the first alternative, merged into the value like an `allOf`
//!   part. When one of the alternatives is already being expanded (Veeam's documents list a
//!   child in its parent's `oneOf`, the child being `allOf [parent, ..]`), none is entered:
//!   the value is that child. A `discriminator` with a `mapping` sets its property to the
//!   mapping key naming the alternative the value is (the chosen one, or the child being
//!   expanded), so the body is self-consistent.
//! - **Cuts.** A cut value is `null` for a nullable schema, else the empty value of its type
//!   (`""`, `0`, `0.0`, `false`, `[]`, `{}`; `null` for a schema of no type).
//! - **Bounds** ([`Limits`]). Past `max_depth` levels of objects and arrays, objects keep only
//!   their required properties and arrays only `minItems` items (leaves are still made, so
//!   required fields stay valid); `max_depth + 16` levels down everything is cut. Once
//!   `max_nodes` values are made, arrays stop growing, optional properties are left out and
//!   required ones are cut. Expanding schemas counts against a fixed budget of work too, so a
//!   hostile document (long `allOf` chains, huge enums or property lists, references to
//!   itself) costs bounded time; past it, values are cut.
//!
//! ```
//! use serde_json::json;
//! use veeam_auth_mock::apispec::generate::{Limits, Style, generate};
//!
//! let doc = json!({"components": {"schemas": {"Job": {"type": "object", "required": ["id"],
//!     "properties": {"id": {"type": "string", "format": "uuid"}, "name": {"type": "string"}}}}}});
//! let format = |at: time::OffsetDateTime| at.unix_timestamp().to_string();
//! let style = Style { date_time: &format };
//! let schema = json!({"$ref": "#/components/schemas/Job"});
//! let one = generate(&doc, &schema, 7, &style, &Limits::default());
//! assert_eq!(one, generate(&doc, &schema, 7, &style, &Limits::default()));
//! assert_eq!(one["id"].as_str().map(str::len), Some(36));
//! ```

use std::fmt;

use base64::Engine as _;
use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde_json::{Map, Number, Value};
use time::{Duration, OffsetDateTime, macros::datetime};

/// How the product writes what the generator cannot know from the schema.
pub struct Style<'a> {
    /// The product's own date-time text (the product's formatter).
    pub date_time: &'a dyn Fn(OffsetDateTime) -> String,
}

impl fmt::Debug for Style<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Style").finish_non_exhaustive()
    }
}

/// Bounds on one generated value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Levels of objects and arrays past which only required properties are made (6).
    pub max_depth: usize,
    /// Items of an array whose `minItems` does not demand more (2; at most 10 are made).
    pub max_items: usize,
    /// JSON values made for one body, after which arrays stop growing and the rest is cut
    /// (2000).
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 6, max_items: 2, max_nodes: 2000 }
    }
}

/// Steps of schema expansion one value may cost: generous for the official documents (whose
/// largest responses take a few thousand), small enough to bound a hostile one.
const MAX_WORK: usize = 2_000_000;

/// Nesting of `$ref`/`allOf`/`oneOf` followed within one value before giving up: deeper than any
/// real document, shallow enough for the thread's stack.
const MAX_MERGE_LEVEL: usize = 64;

/// Levels below `max_depth` at which everything is cut, however little is required.
const HARD_DEPTH_SLACK: usize = 16;

/// VB365's documents give this as the example of every uuid: a placeholder, not a value.
const NIL_UUID: &str = "00000000-0000-0000-0000-000000000000";

/// The instant generated date-times count from (dates in documents' examples are of this era).
const BASE: OffsetDateTime = datetime!(2024-01-01 0:00 UTC);

/// A value for `schema` (a schema object inside the document `root`): the same for the same
/// `root`, `schema` and `seed`. See the module documentation for the rules.
pub fn generate(root: &Value, schema: &Value, seed: u64, style: &Style<'_>, limits: &Limits) -> Value {
    let mut generator = Generator {
        root,
        style,
        limits: *limits,
        rng: Pcg64Mcg::seed_from_u64(seed),
        nodes: 0,
        work: 0,
        stack: Vec::new(),
    };
    generator.value(schema, None, 0, false).0
}

/// The value a cut gives for `schema` (in `root`): `null` when it is nullable, else the empty
/// value of its type (`""`, `0`, `false`, `[]`, `{}`), `null` for a schema of no type.
pub fn cut_value(root: &Value, schema: &Value) -> Value {
    let style = Style { date_time: &|_| String::new() };
    let mut generator = Generator {
        root,
        style: &style,
        limits: Limits::default(),
        rng: Pcg64Mcg::seed_from_u64(0),
        nodes: 0,
        work: 0,
        stack: Vec::new(),
    };
    let mut shape = Shape::default();
    generator.collect(schema, false, &mut shape, 0);
    generator.cut(&shape)
}

/// Resolves a local `$ref` (`#/components/schemas/X`, JSON pointer escapes included); `None`
/// for a reference to another file or a dangling one.
pub fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
}

/// What one schema comes to once its `$ref`s, `allOf` parts and chosen `oneOf` alternative
/// are merged.
#[derive(Default)]
struct Shape<'a> {
    /// The schema objects merged, outer first: a keyword is taken from the first that has it.
    parts: Vec<&'a Map<String, Value>>,
    /// Properties in document order.
    properties: Vec<(&'a str, &'a Value)>,
    /// Required property names.
    required: Vec<&'a str>,
    /// Discriminator properties and the mapping key they take.
    fixed: Vec<(&'a str, &'a str)>,
    /// A cycle or a dangling reference made this a cut.
    cut: bool,
    /// The schema a cycle cut at, for the cut value's type.
    cut_at: Option<&'a Value>,
    /// References this shape pushed on the generator's stack (popped when its value is made).
    pushed: usize,
}

impl<'a> Shape<'a> {
    fn keyword(&self, key: &str) -> Option<&'a Value> {
        self.parts.iter().find_map(|part| part.get(key))
    }

    fn flag(&self, key: &str) -> bool {
        self.parts.iter().any(|part| part.get(key).and_then(Value::as_bool) == Some(true))
    }

    fn number(&self, key: &str) -> Option<f64> {
        self.keyword(key).and_then(Value::as_f64)
    }

    fn count(&self, key: &str) -> Option<usize> {
        self.keyword(key).and_then(Value::as_u64).map(|n| usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn kind(&self) -> Kind {
        if let Some(kind) = self.keyword("type").and_then(Value::as_str).and_then(Kind::from_type) {
            return kind;
        }
        if !self.properties.is_empty() || self.keyword("additionalProperties").is_some() {
            return Kind::Object;
        }
        if self.keyword("items").is_some() {
            return Kind::Array;
        }
        if let Some(first) = self
            .keyword("enum")
            .and_then(Value::as_array)
            .and_then(|values| values.iter().find(|v| !v.is_null()))
        {
            return Kind::of(first);
        }
        match self.keyword("format").and_then(Value::as_str) {
            Some("int32" | "int64") => return Kind::Integer,
            Some("double" | "float") => return Kind::Number,
            Some(_) => return Kind::String,
            None => {}
        }
        match self.keyword("example") {
            Some(example) if !example.is_null() => Kind::of(example),
            _ => Kind::Any,
        }
    }
}

/// The JSON type a schema asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
    Any,
}

impl Kind {
    fn from_type(name: &str) -> Option<Kind> {
        Some(match name {
            "object" => Kind::Object,
            "array" => Kind::Array,
            "string" => Kind::String,
            "integer" => Kind::Integer,
            "number" => Kind::Number,
            "boolean" => Kind::Boolean,
            _ => return None,
        })
    }

    fn of(value: &Value) -> Kind {
        match value {
            Value::Object(_) => Kind::Object,
            Value::Array(_) => Kind::Array,
            Value::String(_) => Kind::String,
            Value::Number(n) if n.is_i64() || n.is_u64() => Kind::Integer,
            Value::Number(_) => Kind::Number,
            Value::Bool(_) => Kind::Boolean,
            Value::Null => Kind::Any,
        }
    }

    /// Whether `value` (an example or default) is of this type.
    fn fits(self, value: &Value) -> bool {
        match self {
            Kind::Integer => value.is_i64() || value.is_u64(),
            Kind::Number => value.is_number(),
            Kind::Any => !value.is_null(),
            kind => Kind::of(value) == kind,
        }
    }

    fn empty(self) -> Value {
        match self {
            Kind::Object => Value::Object(Map::new()),
            Kind::Array => Value::Array(Vec::new()),
            Kind::String => Value::String(String::new()),
            Kind::Integer => Value::from(0),
            Kind::Number => Value::from(0.0),
            Kind::Boolean => Value::Bool(false),
            Kind::Any => Value::Null,
        }
    }
}

struct Generator<'a, 's> {
    root: &'a Value,
    style: &'s Style<'s>,
    limits: Limits,
    rng: Pcg64Mcg,
    /// Values made so far.
    nodes: usize,
    /// Steps of schema expansion so far.
    work: usize,
    /// References being expanded, outermost first.
    stack: Vec<&'a str>,
}

impl<'a> Generator<'a, '_> {
    /// The value of `schema` at `depth`, and whether it is a cut. `name` is the property the
    /// value is for; `minimal` asks for required properties only.
    fn value(&mut self, schema: &'a Value, name: Option<&str>, depth: usize, minimal: bool) -> (Value, bool) {
        let mut shape = Shape::default();
        self.collect(schema, false, &mut shape, 0);
        let made = if shape.cut
            || self.nodes >= self.limits.max_nodes
            || self.work > MAX_WORK
            || depth > self.limits.max_depth + HARD_DEPTH_SLACK
        {
            (self.cut(&shape), true)
        } else {
            self.nodes += 1;
            (self.make(&shape, name, depth, minimal), false)
        };
        let keep = self.stack.len().saturating_sub(shape.pushed);
        self.stack.truncate(keep);
        made
    }

    fn cut(&self, shape: &Shape<'_>) -> Value {
        if shape.flag("nullable") {
            return Value::Null;
        }
        match (shape.kind(), shape.cut_at) {
            (Kind::Any, Some(at)) => probe(self.root, at, 0).unwrap_or(Value::Null),
            (kind, _) => kind.empty(),
        }
    }

    /// Merges `schema` into `shape`. `merging` is set inside `allOf`/`oneOf`/`anyOf`, where a
    /// cycle or a dangling reference adds nothing instead of cutting the value.
    fn collect(&mut self, schema: &'a Value, merging: bool, shape: &mut Shape<'a>, level: usize) {
        self.work += 1;
        if self.work > MAX_WORK || level > MAX_MERGE_LEVEL {
            shape.cut |= !merging;
            return;
        }
        let Some(object) = schema.as_object() else { return };
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            if self.stack.contains(&reference) {
                if !merging {
                    shape.cut = true;
                    shape.cut_at = resolve(self.root, reference);
                }
                return;
            }
            let Some(target) = resolve(self.root, reference) else {
                shape.cut |= !merging;
                return;
            };
            // A `$ref`'s siblings are ignored by OpenAPI 3.0, but `nullable` or `readOnly` next to
            // one is what the author meant, so they are kept (before the target: they win).
            shape.parts.push(object);
            self.stack.push(reference);
            shape.pushed += 1;
            self.collect(target, merging, shape, level + 1);
            return;
        }
        shape.parts.push(object);
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                self.work += shape.properties.len() / 8 + 1;
                match shape.properties.iter_mut().find(|(known, _)| known == name) {
                    Some(known) => known.1 = property,
                    None => shape.properties.push((name, property)),
                }
            }
        }
        if let Some(required) = object.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                self.work += shape.required.len() / 8 + 1;
                if !shape.required.contains(&name) {
                    shape.required.push(name);
                }
            }
        }
        if let Some(mapping) = object.get("discriminator").and_then(|d| d.get("mapping")) {
            self.fix_discriminator(object, mapping, None, shape);
        }
        if let Some(parts) = object.get("allOf").and_then(Value::as_array) {
            for part in parts {
                self.collect(part, true, shape, level + 1);
            }
        }
        let alternatives = object.get("oneOf").or_else(|| object.get("anyOf")).and_then(Value::as_array);
        if let Some(alternatives) = alternatives {
            // Already inside one of them (a child that is `allOf [this, ..]`): that is the choice.
            let inside = alternatives.iter().any(|alternative| {
                alternative.get("$ref").and_then(Value::as_str).is_some_and(|r| self.stack.contains(&r))
            });
            if !inside && let Some(first) = alternatives.first() {
                if let (Some(mapping), Some(reference)) = (
                    object.get("discriminator").and_then(|d| d.get("mapping")),
                    first.get("$ref").and_then(Value::as_str),
                ) {
                    self.fix_discriminator(object, mapping, Some(reference), shape);
                }
                self.collect(first, true, shape, level + 1);
            }
        }
    }

    /// Sets the discriminator of `object` to the key of `mapping` naming `chosen`, or (without
    /// one) naming the innermost reference being expanded; the first setting of a property wins.
    fn fix_discriminator(
        &mut self,
        object: &'a Map<String, Value>,
        mapping: &'a Value,
        chosen: Option<&str>,
        shape: &mut Shape<'a>,
    ) {
        let Some(property) =
            object.get("discriminator").and_then(|d| d.get("propertyName")).and_then(Value::as_str)
        else {
            return;
        };
        let Some(mapping) = mapping.as_object() else { return };
        if shape.fixed.iter().any(|(known, _)| *known == property) {
            return;
        }
        self.work += mapping.len();
        let names = |target: &str| mapping.iter().find(|(_, to)| to.as_str() == Some(target));
        let found = match chosen {
            Some(chosen) => names(chosen),
            None => self.stack.iter().rev().find_map(|reference| names(reference)),
        };
        if let Some((key, _)) = found {
            shape.fixed.push((property, key));
        }
    }

    fn make(&mut self, shape: &Shape<'a>, name: Option<&str>, depth: usize, minimal: bool) -> Value {
        match shape.kind() {
            Kind::Object => self.object(shape, depth, minimal),
            Kind::Array => self.array(shape, name, depth, minimal),
            kind => self.leaf(shape, kind, name),
        }
    }

    fn object(&mut self, shape: &Shape<'a>, depth: usize, minimal: bool) -> Value {
        let mut map = Map::new();
        let deep = minimal || depth >= self.limits.max_depth;
        for &(name, property) in &shape.properties {
            let required = shape.required.contains(&name);
            if !required && (deep || self.nodes >= self.limits.max_nodes) {
                continue;
            }
            if self.write_only(property) {
                continue;
            }
            let (value, cut) = self.value(property, Some(name), depth + 1, deep);
            if cut && !required {
                continue;
            }
            map.insert(name.to_owned(), value);
        }
        for &(property, key) in &shape.fixed {
            map.insert(property.to_owned(), Value::String(key.to_owned()));
        }
        Value::Object(map)
    }

    /// Whether a property is `writeOnly` (on it, or on the schema its `$ref` or `allOf` names).
    fn write_only(&mut self, property: &'a Value) -> bool {
        let mut shape = Shape::default();
        let saved = self.stack.len();
        self.collect(property, false, &mut shape, 0);
        self.stack.truncate(saved);
        shape.flag("writeOnly")
    }

    fn array(&mut self, shape: &Shape<'a>, name: Option<&str>, depth: usize, minimal: bool) -> Value {
        let Some(items) = shape.keyword("items") else { return Value::Array(Vec::new()) };
        let at_least = shape.count("minItems").unwrap_or(0);
        let at_least = if at_least > 100 { 0 } else { at_least };
        let wanted = if minimal || depth >= self.limits.max_depth {
            at_least
        } else {
            let most = shape.count("maxItems").unwrap_or(usize::MAX);
            at_least.max(self.limits.max_items.min(most).min(10))
        };
        let unique = shape.flag("uniqueItems");
        let mut list: Vec<Value> = Vec::new();
        while list.len() < wanted {
            if list.len() >= at_least && self.nodes >= self.limits.max_nodes {
                break;
            }
            let (mut item, mut cut) = self.value(items, name, depth + 1, minimal);
            if cut && list.len() >= at_least {
                break;
            }
            for _ in 0..3 {
                if !unique || cut || !list.contains(&item) {
                    break;
                }
                (item, cut) = self.value(items, name, depth + 1, minimal);
            }
            if unique && list.contains(&item) && list.len() >= at_least {
                break;
            }
            list.push(item);
        }
        Value::Array(list)
    }

    fn leaf(&mut self, shape: &Shape<'a>, kind: Kind, name: Option<&str>) -> Value {
        let format = shape.keyword("format").and_then(Value::as_str).unwrap_or("");
        for key in ["example", "default"] {
            if let Some(given) = shape.keyword(key)
                && kind.fits(given)
                && !(format == "uuid" && given.as_str() == Some(NIL_UUID))
            {
                return given.clone();
            }
        }
        if let Some(values) = shape.keyword("enum").and_then(Value::as_array) {
            // Two scans of a hostile document's enum of millions: charged to the budget.
            self.work += values.len() / 32;
            let fitting =
                values.iter().filter(|v| !v.is_null() && (kind == Kind::Any || kind.fits(v))).count();
            if fitting > 0 {
                let pick = self.below(fitting as u64) as usize;
                if let Some(value) =
                    values.iter().filter(|v| !v.is_null() && (kind == Kind::Any || kind.fits(v))).nth(pick)
                {
                    return value.clone();
                }
            }
        }
        match kind {
            Kind::Boolean => Value::Bool(self.rng.next_u32() & 1 == 1),
            Kind::Integer => self.integer(shape, format),
            Kind::Number => self.number(shape),
            Kind::String => Value::String(self.string(shape, format, name)),
            Kind::Any | Kind::Object | Kind::Array => Value::Object(Map::new()),
        }
    }

    /// A draw in `0..n` (`n` > 0; the modulo bias does not matter for a mock's values).
    fn below(&mut self, n: u64) -> u64 {
        self.rng.next_u64() % n.max(1)
    }

    /// The bounds a number must keep, `minimum`/`maximum` with 3.0's boolean exclusive flags.
    fn bounds(shape: &Shape<'_>, step: f64) -> (Option<f64>, Option<f64>) {
        let low = shape.number("minimum").map(|m| if shape.flag("exclusiveMinimum") { m + step } else { m });
        let high = shape.number("maximum").map(|m| if shape.flag("exclusiveMaximum") { m - step } else { m });
        (low, high)
    }

    fn integer(&mut self, shape: &Shape<'_>, format: &str) -> Value {
        let (low, high) = Self::bounds(shape, 1.0);
        let (floor, ceiling) =
            if format == "int32" { (f64::from(i32::MIN), f64::from(i32::MAX)) } else { (-9.0e15, 9.0e15) };
        let low = low.map(f64::ceil).unwrap_or(1.0).clamp(floor, ceiling);
        let high = high.map(f64::floor).unwrap_or(low + 999.0).clamp(floor, ceiling);
        let (low, high) = match (shape.number("minimum"), shape.number("maximum")) {
            (None, Some(_)) if high < low => (high - 999.0, high),
            _ => (low, high.max(low)),
        };
        // Both within ±9e15, so the span and the sum are exact in an i64.
        let (low, high) = (low as i64, high as i64);
        let span = high.abs_diff(low).saturating_add(1);
        Value::from(low.saturating_add(self.below(span) as i64))
    }

    fn number(&mut self, shape: &Shape<'_>) -> Value {
        let (low, high) = Self::bounds(shape, 0.01);
        let low = low.unwrap_or(1.0).clamp(-1e15, 1e15);
        let high = high.unwrap_or(low + 1000.0).clamp(-1e15, 1e15).max(low);
        let fraction = (self.rng.next_u32() as f64) / f64::from(u32::MAX);
        let value = ((low + fraction * (high - low)) * 100.0).round() / 100.0;
        let value = value.clamp(low, high);
        Number::from_f64(value).map_or(Value::from(0), Value::Number)
    }

    fn string(&mut self, shape: &Shape<'_>, format: &str, name: Option<&str>) -> String {
        let n = self.below(100) + 1;
        let lower = name.map(str::to_ascii_lowercase).unwrap_or_default();
        match format {
            "uuid" => {
                let mut bytes = [0u8; 16];
                self.rng.fill_bytes(&mut bytes);
                return uuid::Builder::from_random_bytes(bytes).into_uuid().hyphenated().to_string();
            }
            "date-time" => return (self.style.date_time)(self.instant()),
            "date" => {
                let date = self.instant().date();
                return format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day());
            }
            "time" => {
                let seconds = self.below(86_400);
                return format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
            }
            "time-span" => return "01:30:00".to_owned(),
            "byte" => {
                let mut bytes = [0u8; 12];
                self.rng.fill_bytes(&mut bytes);
                return base64::engine::general_purpose::STANDARD.encode(bytes);
            }
            "ipv4" => return format!("192.0.2.{n}"),
            "ipv6" => return format!("2001:db8::{n:x}"),
            "hostname" => return format!("host-{n}.example.com"),
            _ => {}
        }
        let text = match format {
            "binary" => format!("binary-{n}"),
            "password" => format!("P@ssw0rd-{:04}", self.below(10_000)),
            "uri" | "url" | "uri-reference" => format!("https://example.com/{}/{n}", name.unwrap_or("item")),
            "email" => format!("user{n}@example.com"),
            _ if lower.contains("email") => format!("user{n}@example.com"),
            _ if lower == "name" || lower == "displayname" => format!("Name {n}"),
            _ => format!("{}-{n}", name.unwrap_or("string")),
        };
        fit_length(text, shape.count("minLength"), shape.count("maxLength"))
    }

    /// An instant within two years after [`BASE`], to the second.
    fn instant(&mut self) -> OffsetDateTime {
        let seconds = self.below(2 * 365 * 86_400);
        BASE + Duration::seconds(seconds as i64)
    }
}

/// The cut value of a schema met again in a cycle: its own `nullable` and type, or the first
/// found through its `$ref`s and `allOf` parts (a few levels, without expanding anything).
fn probe(root: &Value, schema: &Value, level: usize) -> Option<Value> {
    let object = schema.as_object()?;
    if level > 8 {
        return None;
    }
    if object.get("nullable").and_then(Value::as_bool) == Some(true) {
        return Some(Value::Null);
    }
    if let Some(kind) = object.get("type").and_then(Value::as_str).and_then(Kind::from_type) {
        return Some(kind.empty());
    }
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        return probe(root, resolve(root, reference)?, level + 1);
    }
    if object.contains_key("properties") {
        return Some(Kind::Object.empty());
    }
    let parts = object.get("allOf").and_then(Value::as_array)?;
    parts.iter().take(8).find_map(|part| probe(root, part, level + 1))
}

/// `text` padded with `x` to `at_least` characters and cut to `at_most` (padding capped at 4096,
/// in case of a hostile `minLength`).
fn fit_length(mut text: String, at_least: Option<usize>, at_most: Option<usize>) -> String {
    let length = text.chars().count();
    if let Some(at_least) = at_least.map(|n| n.min(4096))
        && length < at_least
    {
        text.extend(std::iter::repeat_n('x', at_least - length));
    }
    if let Some(at_most) = at_most
        && let Some((cut, _)) = text.char_indices().nth(at_most)
    {
        text.truncate(cut);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rfc3339(at: OffsetDateTime) -> String {
        at.format(&time::format_description::well_known::Rfc3339).expect("formattable")
    }

    fn run(root: &Value, schema: &Value, seed: u64) -> Value {
        let style = Style { date_time: &rfc3339 };
        generate(root, schema, seed, &style, &Limits::default())
    }

    fn count(value: &Value) -> usize {
        1 + match value {
            Value::Array(items) => items.iter().map(count).sum(),
            Value::Object(map) => map.values().map(count).sum(),
            _ => 0,
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_value_and_another_seed_another() {
        let root = json!({});
        let schema = json!({"type": "object", "properties": {
            "id": {"type": "string", "format": "uuid"},
            "when": {"type": "string", "format": "date-time"},
            "count": {"type": "integer"}}});
        assert_eq!(run(&root, &schema, 1), run(&root, &schema, 1));
        assert_ne!(run(&root, &schema, 1)["id"], run(&root, &schema, 2)["id"]);
    }

    #[test]
    fn formats_have_their_shapes() {
        let root = json!({});
        let schema = json!({"type": "object", "properties": {
            "id": {"type": "string", "format": "uuid"},
            "when": {"type": "string", "format": "date-time"},
            "day": {"type": "string", "format": "date"},
            "at": {"type": "string", "format": "time"},
            "span": {"type": "string", "format": "time-span"},
            "small": {"type": "integer", "format": "int32", "minimum": 5, "maximum": 7},
            "big": {"type": "integer", "format": "int64"},
            "ratio": {"type": "number", "format": "double", "minimum": 0, "maximum": 1},
            "blob": {"type": "string", "format": "byte"},
            "secret": {"type": "string", "format": "password"},
            "link": {"type": "string", "format": "uri"},
            "userEmail": {"type": "string"},
            "name": {"type": "string"},
            "short": {"type": "string", "maxLength": 3},
            "long": {"type": "string", "minLength": 40},
            "odd": {"type": "string", "format": "false"},
            "flag": {"type": "boolean"}}});
        for seed in 0..20 {
            let value = run(&root, &schema, seed);
            let id = value["id"].as_str().expect("a string");
            let parsed = uuid::Uuid::parse_str(id).expect("a uuid");
            assert_eq!(parsed.get_version_num(), 4);
            assert_eq!(id, id.to_lowercase());
            let when = value["when"].as_str().expect("a string");
            let at = OffsetDateTime::parse(when, &time::format_description::well_known::Rfc3339)
                .expect("the closure's format");
            assert!(at >= BASE && at < BASE + Duration::days(731));
            assert_eq!(value["day"].as_str().map(str::len), Some(10));
            assert_eq!(value["at"].as_str().map(str::len), Some(8));
            assert_eq!(value["span"], "01:30:00");
            let small = value["small"].as_i64().expect("an integer");
            assert!((5..=7).contains(&small), "{small}");
            assert!(value["big"].is_i64());
            let ratio = value["ratio"].as_f64().expect("a number");
            assert!((0.0..=1.0).contains(&ratio));
            let blob = value["blob"].as_str().expect("a string");
            base64::engine::general_purpose::STANDARD.decode(blob).expect("base64");
            assert!(value["secret"].as_str().is_some_and(|s| s.starts_with("P@ssw0rd-")));
            assert!(value["link"].as_str().is_some_and(|s| s.starts_with("https://example.com/")));
            assert!(value["userEmail"].as_str().is_some_and(|s| s.ends_with("@example.com")));
            assert!(value["name"].as_str().is_some_and(|s| s.starts_with("Name ")));
            assert!(value["short"].as_str().is_some_and(|s| s.chars().count() <= 3));
            assert!(value["long"].as_str().is_some_and(|s| s.chars().count() >= 40));
            assert!(value["odd"].as_str().is_some_and(|s| s.starts_with("odd-")));
            assert!(value["flag"].is_boolean());
        }
    }

    #[test]
    fn the_date_time_is_the_style_s() {
        let root = json!({});
        let schema = json!({"type": "string", "format": "date-time"});
        let style = Style { date_time: &|_| "product text".to_owned() };
        assert_eq!(generate(&root, &schema, 3, &style, &Limits::default()), "product text");
    }

    #[test]
    fn enums_are_picked_among_non_null_values() {
        let root = json!({});
        let schema = json!({"type": "string", "nullable": true, "enum": [null, "A", "B", "C"]});
        let mut seen = std::collections::BTreeSet::new();
        for seed in 0..50 {
            let value = run(&root, &schema, seed);
            seen.insert(value.as_str().expect("a string").to_owned());
        }
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), ["A", "B", "C"]);
    }

    #[test]
    fn example_wins_over_default_and_default_over_enum() {
        let root = json!({});
        let both = json!({"type": "string", "example": "ex", "default": "def", "enum": ["def", "ex", "z"]});
        assert_eq!(run(&root, &both, 1), "ex");
        let default = json!({"type": "string", "default": "def", "enum": ["def", "ex", "z"]});
        assert_eq!(run(&root, &default, 1), "def");
        // An example that is not a string is not taken for a formatted string.
        let wrong = json!({"type": "string", "format": "uuid", "example": 5});
        assert!(uuid::Uuid::parse_str(run(&root, &wrong, 1).as_str().expect("a string")).is_ok());
        let placeholder = json!({"type": "string", "format": "uuid", "example": NIL_UUID});
        assert_ne!(run(&root, &placeholder, 1), NIL_UUID);
        let number = json!({"type": "integer", "example": 42});
        assert_eq!(run(&root, &number, 1), 42);
    }

    #[test]
    fn write_only_properties_are_left_out_and_read_only_kept() {
        let root = json!({"components": {"schemas": {"Secret": {"type": "string", "writeOnly": true}}}});
        let schema = json!({"type": "object", "properties": {
            "password": {"type": "string", "writeOnly": true},
            "token": {"$ref": "#/components/schemas/Secret"},
            "id": {"type": "string", "readOnly": true}}});
        let value = run(&root, &schema, 1);
        assert_eq!(
            value.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()),
            Some(vec!["id".to_owned()])
        );
    }

    #[test]
    fn required_properties_are_present_past_the_depth_limit() {
        let mut schema = json!({"type": "object", "required": ["leaf"], "properties": {
            "leaf": {"type": "string", "format": "uuid"}, "optional": {"type": "string"}}});
        for _ in 0..10 {
            schema = json!({"type": "object", "required": ["next"], "properties": {
                "next": schema, "optional": {"type": "string"}}});
        }
        let value = run(&json!({}), &schema, 1);
        let mut at = &value;
        for level in 0..10 {
            assert_eq!(at.get("optional").is_some(), level < 6, "level {level}: {at}");
            at = &at["next"];
        }
        assert!(uuid::Uuid::parse_str(at["leaf"].as_str().expect("a string")).is_ok());
        assert!(at.get("optional").is_none());
    }

    #[test]
    fn recursion_ends() {
        let root = json!({"components": {"schemas": {"Folder": {"type": "object", "required": ["parent"],
            "properties": {
                "name": {"type": "string"},
                "parent": {"$ref": "#/components/schemas/Folder"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Folder"}}}}}}});
        let value = run(&root, &json!({"$ref": "#/components/schemas/Folder"}), 1);
        assert_eq!(value["children"], json!([]));
        assert_eq!(value["parent"], json!({}));
        assert!(value["name"].is_string());
    }

    fn polymorphic() -> Value {
        json!({"components": {"schemas": {
            "Schedule": {"type": "object", "required": ["type"],
                "properties": {"type": {"$ref": "#/components/schemas/EMode"}, "enabled": {"type": "boolean"}},
                "oneOf": [{"$ref": "#/components/schemas/Immediate"}, {"$ref": "#/components/schemas/Periodic"}],
                "discriminator": {"propertyName": "type", "mapping": {
                    "Immediate": "#/components/schemas/Immediate", "Periodic": "#/components/schemas/Periodic"}}},
            "EMode": {"type": "string", "enum": ["Immediate", "Periodic"]},
            "Immediate": {"allOf": [{"$ref": "#/components/schemas/Schedule"},
                {"type": "object", "properties": {"delay": {"type": "integer"}}}]},
            "Periodic": {"allOf": [{"$ref": "#/components/schemas/Schedule"},
                {"type": "object", "required": ["every"], "properties": {"every": {"type": "integer"}}}]},
            "Job": {"type": "object", "properties": {"schedule": {"$ref": "#/components/schemas/Schedule"}}}}}})
    }

    #[test]
    fn the_parent_takes_its_first_alternative_and_says_so() {
        let root = polymorphic();
        let value = run(&root, &json!({"$ref": "#/components/schemas/Job"}), 1);
        let schedule = value["schedule"].as_object().expect("an object");
        assert_eq!(schedule.keys().collect::<Vec<_>>(), ["type", "enabled", "delay"]);
        assert_eq!(schedule["type"], "Immediate");
    }

    #[test]
    fn a_child_of_a_polymorphic_parent_is_itself() {
        let root = polymorphic();
        let value = run(&root, &json!({"$ref": "#/components/schemas/Periodic"}), 1);
        let map = value.as_object().expect("an object");
        assert_eq!(map.keys().collect::<Vec<_>>(), ["type", "enabled", "every"]);
        assert_eq!(map["type"], "Periodic");
    }

    #[test]
    fn a_dangling_reference_is_a_cut() {
        let root = json!({});
        let schema = json!({"type": "object", "required": ["gone"], "properties": {
            "gone": {"$ref": "#/components/schemas/Gone"},
            "optional": {"$ref": "#/components/schemas/Gone"},
            "merged": {"allOf": [{"$ref": "#/components/schemas/Gone"}, {"type": "integer", "minimum": 3, "maximum": 3}]}}});
        assert_eq!(run(&root, &schema, 1), json!({"gone": null, "merged": 3}));
        assert_eq!(cut_value(&root, &json!({"type": "array"})), json!([]));
        assert_eq!(cut_value(&root, &json!({"type": "string", "nullable": true})), Value::Null);
    }

    #[test]
    fn the_node_budget_bounds_a_wide_schema() {
        let item = json!({"type": "object", "properties": {
            "a": {"type": "string"}, "b": {"type": "integer"}, "c": {"type": "array", "items": {"type": "string"}}}});
        let mut properties = Map::new();
        for n in 0..100 {
            properties.insert(format!("p{n}"), json!({"type": "array", "maxItems": 10, "items": item}));
        }
        let schema = json!({"type": "object", "properties": properties});
        let limits = Limits { max_items: 10, ..Limits::default() };
        let style = Style { date_time: &rfc3339 };
        let value = generate(&json!({}), &schema, 1, &style, &limits);
        assert!(count(&value) <= limits.max_nodes + 50, "{}", count(&value));
    }

    #[test]
    fn a_hostile_document_costs_bounded_work() {
        // Each schema is an allOf of the next, twice: without the stack this is exponential.
        let mut schemas = Map::new();
        for n in 0..200 {
            let next = format!("#/components/schemas/S{}", n + 1);
            schemas.insert(
                format!("S{n}"),
                json!({"allOf": [{"$ref": next}, {"$ref": next}], "properties": {
                    format!("p{n}"): {"$ref": "#/components/schemas/S0"},
                    "self": {"type": "array", "minItems": 5, "items": {"$ref": format!("#/components/schemas/S{n}")}}}}),
            );
        }
        let root = json!({"components": {"schemas": schemas}});
        let started = std::time::Instant::now();
        let value = run(&root, &json!({"$ref": "#/components/schemas/S0"}), 1);
        assert!(count(&value) <= Limits::default().max_nodes + 50);
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }

    #[test]
    fn odd_schemas_and_limits_do_not_panic() {
        let root = json!({"components": {"schemas": {"Loop": {"$ref": "#/components/schemas/Loop"}}}});
        let schemas = [
            json!(true),
            json!(5),
            json!(null),
            json!({}),
            json!({"$ref": "#/components/schemas/Loop"}),
            json!({"$ref": "elsewhere.json#/X"}),
            json!({"type": "array", "items": [{"type": "string"}]}),
            json!({"required": "id", "properties": 3}),
            json!({"enum": []}),
            json!({"enum": [null]}),
            json!({"type": "integer", "minimum": 9, "maximum": 1}),
            json!({"type": "integer", "format": "int32", "minimum": 1e300}),
            json!({"type": "number", "maximum": -1e300}),
            json!({"type": "integer", "maximum": -5000}),
            json!({"type": "string", "minLength": 1_000_000_000, "maxLength": 0}),
            json!({"type": "array", "minItems": 1_000_000_000, "items": {"type": "string"}}),
            json!({"oneOf": []}),
            json!({"anyOf": [true], "discriminator": {"propertyName": 1, "mapping": 2}}),
            json!({"type": ["string", "null"]}),
            json!({"format": "int32"}),
            json!({"example": [1, 2]}),
        ];
        let style = Style { date_time: &rfc3339 };
        for limits in [Limits::default(), Limits { max_depth: 0, max_items: 0, max_nodes: 0 }] {
            for schema in &schemas {
                let _ = generate(&root, schema, 1, &style, &limits);
                let _ = cut_value(&root, schema);
            }
        }
        let low = run(&root, &json!({"type": "integer", "maximum": -5000}), 1);
        assert!(low.as_i64().is_some_and(|n| n <= -5000), "{low}");
    }

    #[test]
    fn unique_items_are_distinct_when_they_can_be() {
        let schema = json!({"type": "array", "minItems": 3, "uniqueItems": true,
            "items": {"type": "string", "enum": ["a", "b", "c", "d"]}});
        for seed in 0..20 {
            let value = run(&json!({}), &schema, seed);
            let items = value.as_array().expect("an array");
            assert_eq!(items.len(), 3);
        }
    }
}
