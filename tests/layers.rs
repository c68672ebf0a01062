//! The house rules of `src/`, checked on every `cargo test` (see `DESIGN.md`):
//!
//! 1. **Floors.** Every top-level module sits on a floor, and a module only imports from floors
//!    below its own: products never reach into `http/`, and `tokens`, `control`, `scenario` and
//!    `clock` know nothing of HTTP or products. Modules on the same floor do not import each
//!    other.
//! 2. **No import circles** between sibling modules anywhere in the tree (a parent naming its
//!    children, and children using their parent's items, is how Rust modules work and is not
//!    counted).
//!
//! The check reads the source text: every `crate::a::b` and `super::c` path in code (comments
//! and string literals are skipped), resolved to the deepest module file that exists. It is a
//! reader of paths, not a compiler, so it errs on the side of seeing an import: a path written
//! in a doc comment does not count, one written in code always does. Unit-test modules
//! (`#[cfg(test)] mod tests { .. }` and `#[cfg(test)] mod x;`) are left out: they are not part
//! of the library, and a test of one product's section may well parse a whole scenario.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Floors, top to bottom. A module may import only from a strictly lower floor.
const FLOORS: &[(u8, &[&str])] = &[
    (12, &["main"]),
    (11, &["cli"]),
    (10, &["watch", "healthcheck"]),
    (9, &["server", "fuzz_harness"]),
    (8, &["handle"]),
    (7, &["http"]),
    (6, &["products"]),
    (5, &["state", "request", "response", "routing", "apidoc"]),
    (4, &["tokens", "control"]),
    (3, &["scenario"]),
    (2, &["clock", "dates", "paths", "seed", "apispec"]),
];

fn floor_of(top: &str) -> Option<u8> {
    FLOORS.iter().find(|(_, names)| names.contains(&top)).map(|(floor, _)| *floor)
}

/// A module's path from the crate root, such as `["products", "vb365", "token"]`.
type ModPath = Vec<String>;

/// Every module file under `src/`, by module path (`lib.rs` is the root and is left out: it
/// only declares modules and re-exports).
fn modules(src: &Path) -> BTreeMap<ModPath, PathBuf> {
    let mut found = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|ext| ext != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).expect("under src");
            let mut parts: Vec<String> = relative
                .iter()
                .map(|part| part.to_string_lossy().trim_end_matches(".rs").to_owned())
                .collect();
            if parts.last().is_some_and(|last| last == "mod") {
                parts.pop();
            }
            if parts == ["lib"] {
                continue;
            }
            found.insert(parts, path);
        }
    }
    found
}

/// The code of a Rust file with comments and string literals blanked out, so that only paths
/// written in code are seen.
fn code_only(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').map_or(text.len(), |n| i + n);
            i = end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(text.len(), |n| i + n + 2);
            i = end;
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].bytes().take_while(|&b| b == b'#').count();
            let closing = format!("\"{}", "#".repeat(hashes));
            let body = i + 2 + hashes;
            let end = text[body..].find(&closing).map_or(text.len(), |n| body + n + closing.len());
            out.push_str("\"\"");
            i = end;
        } else if rest.starts_with('"') {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            i = j + 1;
        } else if rest.starts_with("'\"'") {
            i += 3;
        } else {
            let c = rest.chars().next().expect("not at the end");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// `code` without its `#[cfg(test)] mod name { .. }` blocks, and the names of its
/// `#[cfg(test)] mod name;` file modules.
fn without_tests(code: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(code.len());
    let mut test_files = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = rest[at + "#[cfg(test)]".len()..].trim_start();
        let Some(declaration) = after.strip_prefix("mod ") else {
            out.push_str("#[cfg(test)]");
            rest = &rest[at + "#[cfg(test)]".len()..];
            continue;
        };
        let name: String = declaration.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let tail = declaration[name.len()..].trim_start();
        if let Some(after_semicolon) = tail.strip_prefix(';') {
            test_files.push(name);
            rest = after_semicolon;
        } else if let Some(body) = tail.strip_prefix('{') {
            let mut depth = 1;
            let mut end = body.len();
            for (i, c) in body.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = i + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            rest = &body[end..];
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    (out, test_files)
}

/// The module paths a file's code names, resolved against the known modules.
fn imports(module: &ModPath, code: &str, known: &BTreeMap<ModPath, PathBuf>) -> BTreeSet<ModPath> {
    let mut found = BTreeSet::new();
    for (start, _) in code.match_indices("crate::").chain(code.match_indices("super::")) {
        let before = code[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        // `super` is the parent module, for `a/b.rs` and for `a/b/mod.rs` alike.
        let mut base: ModPath = if code[start..].starts_with("crate::") {
            Vec::new()
        } else {
            let mut parent = module.clone();
            parent.pop();
            parent
        };
        let mut rest = &code[start + code[start..].find("::").expect("has ::") + 2..];
        // Further `super::` hops.
        while let Some(after) = rest.strip_prefix("super::") {
            base.pop();
            rest = after;
        }
        for path in expand(rest) {
            let mut full = base.clone();
            full.extend(path);
            // The deepest prefix that is a module.
            while !full.is_empty() && !known.contains_key(&full) {
                full.pop();
            }
            if !full.is_empty() {
                found.insert(full);
            }
        }
    }
    found
}

/// The paths a `use` tail names: `a::b::C` gives `[a, b, C]`; `a::{b, c::D}` gives both.
fn expand(rest: &str) -> Vec<Vec<String>> {
    let mut prefix = Vec::new();
    let mut chars = rest.char_indices().peekable();
    let mut ident = String::new();
    while let Some((index, c)) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            ident.push(c);
        } else if c == ':' && chars.peek().is_some_and(|&(_, n)| n == ':') {
            chars.next();
            prefix.push(std::mem::take(&mut ident));
        } else if c == '{' && ident.is_empty() {
            let inner = &rest[index + 1..];
            let mut depth = 1;
            let mut end = inner.len();
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let mut out = Vec::new();
            let mut depth = 0;
            let mut piece_start = 0;
            let group = &inner[..end];
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        for tail in expand(group[piece_start..i].trim()) {
                            out.push(prefix.iter().cloned().chain(tail).collect());
                        }
                        piece_start = i + 1;
                    }
                    _ => {}
                }
            }
            for tail in expand(group[piece_start..].trim()) {
                out.push(prefix.iter().cloned().chain(tail).collect());
            }
            return out;
        } else {
            break;
        }
    }
    if !ident.is_empty() {
        prefix.push(ident);
    }
    vec![prefix]
}

struct Graph {
    /// Module → the modules its own file names.
    edges: BTreeMap<ModPath, BTreeSet<ModPath>>,
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let known = modules(&src);
    let mut edges = BTreeMap::new();
    let mut test_only: Vec<ModPath> = Vec::new();
    for (module, file) in &known {
        let text = fs::read_to_string(file).expect("readable source");
        let (code, test_files) = without_tests(&code_only(&text));
        test_only.extend(test_files.into_iter().map(|name| {
            let mut child = module.clone();
            child.push(name);
            child
        }));
        let mut found = imports(module, &code, &known);
        found.remove(module);
        edges.insert(module.clone(), found);
    }
    edges.retain(|module, _| !test_only.iter().any(|test| module.starts_with(test)));
    Graph { edges }
}

#[test]
fn every_module_imports_only_from_the_floors_below_its_own() {
    let graph = graph();
    assert!(graph.edges.len() > 60, "read {} modules; is this src/?", graph.edges.len());
    let mut violations = Vec::new();
    for (from, targets) in &graph.edges {
        let from_top = &from[0];
        let Some(from_floor) = floor_of(from_top) else {
            violations.push(format!("`{from_top}` has no floor in this test's FLOORS table"));
            continue;
        };
        for to in targets {
            let to_top = &to[0];
            if to_top == from_top {
                continue;
            }
            match floor_of(to_top) {
                Some(to_floor) if to_floor < from_floor => {}
                _ => violations.push(format!("{} imports {}", from.join("::"), to.join("::"))),
            }
        }
    }
    violations.sort();
    violations.dedup();
    assert!(violations.is_empty(), "imports that point up or sideways:\n{}", violations.join("\n"));
}

#[test]
fn no_import_circle_between_sibling_modules() {
    let graph = graph();
    // Each edge seen at the level where the two modules are siblings.
    let mut sibling_edges: BTreeMap<ModPath, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, targets) in &graph.edges {
        for to in targets {
            let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
            if common == from.len() || common == to.len() {
                continue; // one is the other's ancestor
            }
            let parent: ModPath = from[..common].to_vec();
            sibling_edges
                .entry(parent)
                .or_default()
                .entry(from[common].clone())
                .or_default()
                .insert(to[common].clone());
        }
    }
    let mut circles = Vec::new();
    for (parent, edges) in &sibling_edges {
        for start in edges.keys() {
            if let Some(path) = path_back(edges, start) {
                let shown = if parent.is_empty() { "crate".to_owned() } else { parent.join("::") };
                circles.push(format!("in {shown}: {}", path.join(" -> ")));
            }
        }
    }
    circles.sort();
    circles.dedup();
    assert!(circles.is_empty(), "import circles:\n{}", circles.join("\n"));
}

/// A path of sibling imports from `start` back to itself, if there is one.
fn path_back(edges: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_owned(), vec![start.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        for next in edges.get(&at).into_iter().flatten() {
            if next == start {
                let mut circle = path.clone();
                circle.push(start.to_owned());
                return Some(circle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn the_path_reader_sees_grouped_and_nested_imports() {
    let paths = expand("a::{b, c::{D, e::F}}, g");
    let shown: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(shown, ["a::b", "a::c::D", "a::c::e::F"]);
    assert_eq!(code_only("x // crate::http\n\"crate::http\" y"), "x \n\"\" y");
    let (code, files) = without_tests(
        "a\n#[cfg(test)]\nmod tests {\n fn f() { crate::http::x() }\n}\nb #[cfg(test)] mod more;",
    );
    assert_eq!((code.as_str(), files), ("a\n\nb ", vec!["more".to_owned()]));
}
