//! Body templates of declared routes: `{{path.NAME}}`, `{{query.NAME}}`, `{{user}}`,
//! `{{role}}`, `{{now}}` and `{{uuid}}`, checked when the route is declared and filled in per
//! call.
//!
//! `{{` cannot start a JSON token outside a string, so a JSON body can hold placeholders
//! anywhere; in a JSON body every value filled in is escaped as JSON string content, so that a
//! path segment or query value sent by a client can never change the body's structure.

/// The most bytes a filled-in body may have.
pub(crate) const MAX_RENDERED: usize = 16 * 1024 * 1024;

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Path(String),
    Query(String),
    User,
    Role,
    Now,
    Uuid,
}

/// A parsed body template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    pieces: Vec<Piece>,
}

/// What a call fills a template with.
pub(crate) struct Fill<'a> {
    /// The path parameters, by name, as the client sent them.
    pub(crate) path: &'a [(String, String)],
    /// The query parameters, as sent (names compared without regard to case).
    pub(crate) query: &'a [(String, String)],
    /// The caller's user name and role, empty for an anonymous call.
    pub(crate) user: &'a str,
    pub(crate) role: &'a str,
    /// The scenario clock's now, in the product's date format.
    pub(crate) now: &'a str,
    /// A fresh UUID for each `{{uuid}}`.
    pub(crate) uuid: &'a mut dyn FnMut() -> String,
    /// Whether values are escaped as JSON string content.
    pub(crate) json: bool,
}

impl Template {
    /// Parses `text`; `params` are the route's path parameters (a `{{path.x}}` must name one).
    pub(crate) fn parse(text: &str, params: &[String]) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                return Err("a `{{` is never closed by `}}`".to_owned());
            };
            if start > 0 {
                pieces.push(Piece::Text(rest[..start].to_owned()));
            }
            pieces.push(placeholder(after[..end].trim(), params)?);
            rest = &after[end + 2..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_owned()));
        }
        Ok(Template { pieces })
    }

    /// Whether the template has no placeholder (its text can be served as it is).
    pub(crate) fn is_plain(&self) -> bool {
        self.pieces.iter().all(|piece| matches!(piece, Piece::Text(_)))
    }

    /// The template filled in for one call; `None` past [`MAX_RENDERED`] bytes (client-sent
    /// values repeated by many placeholders must not make an answer without bound).
    pub(crate) fn render(&self, fill: &mut Fill<'_>) -> Option<String> {
        let mut out = String::new();
        for piece in &self.pieces {
            if out.len() > MAX_RENDERED {
                return None;
            }
            let value = match piece {
                Piece::Text(text) => {
                    out.push_str(text);
                    continue;
                }
                Piece::Path(name) => lookup(fill.path, name, false),
                Piece::Query(name) => lookup(fill.query, name, true),
                Piece::User => fill.user.to_owned(),
                Piece::Role => fill.role.to_owned(),
                Piece::Now => fill.now.to_owned(),
                Piece::Uuid => (fill.uuid)(),
            };
            if fill.json {
                push_json_escaped(&mut out, &value);
            } else {
                out.push_str(&value);
            }
        }
        (out.len() <= MAX_RENDERED).then_some(out)
    }
}

fn placeholder(name: &str, params: &[String]) -> Result<Piece, String> {
    let piece = match name {
        "user" => Piece::User,
        "role" => Piece::Role,
        "now" => Piece::Now,
        "uuid" => Piece::Uuid,
        _ => {
            if let Some(param) = name.strip_prefix("path.") {
                if !params.iter().any(|known| known == param) {
                    let known = if params.is_empty() {
                        "the path has no `{name}` segment".to_owned()
                    } else {
                        format!("the path's parameters are {}", params.join(", "))
                    };
                    return Err(format!("`{{{{{name}}}}}` names no path parameter; {known}"));
                }
                Piece::Path(param.to_owned())
            } else if let Some(param) = name.strip_prefix("query.").filter(|param| !param.is_empty()) {
                Piece::Query(param.to_owned())
            } else {
                return Err(format!(
                    "unknown placeholder `{{{{{name}}}}}`; expected path.NAME, query.NAME, user, role, now or uuid"
                ));
            }
        }
    };
    Ok(piece)
}

fn lookup(pairs: &[(String, String)], name: &str, ignore_case: bool) -> String {
    pairs
        .iter()
        .find(|(key, _)| if ignore_case { key.eq_ignore_ascii_case(name) } else { key == name })
        .map(|(_, value)| value.clone())
        .unwrap_or_default()
}

fn push_json_escaped(out: &mut String, value: &str) {
    let quoted = serde_json::Value::String(value.to_owned()).to_string();
    out.push_str(&quoted[1..quoted.len() - 1]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill_with(template: &Template, json: bool) -> String {
        let mut next = 0;
        let mut uuid = || {
            next += 1;
            format!("uuid-{next}")
        };
        let filled = template.render(&mut Fill {
            path: &[("id".into(), "A\"1".into())],
            query: &[("Limit".into(), "5".into())],
            user: "Administrator",
            role: "administrator",
            now: "2024-08-07T15:56:22Z",
            uuid: &mut uuid,
            json,
        });
        filled.expect("within the cap")
    }

    #[test]
    fn every_placeholder_is_filled_and_escaped_in_json() {
        let params = vec!["id".to_owned()];
        let template = Template::parse(
            r#"{"id":"{{path.id}}","limit":{{ query.limit }},"by":"{{user}}/{{role}}","at":"{{now}}","a":"{{uuid}}","b":"{{uuid}}"}"#,
            &params,
        )
        .expect("valid");
        assert_eq!(
            fill_with(&template, true),
            r#"{"id":"A\"1","limit":5,"by":"Administrator/administrator","at":"2024-08-07T15:56:22Z","a":"uuid-1","b":"uuid-2"}"#
        );
        assert_eq!(fill_with(&Template::parse("{{path.id}}", &params).expect("valid"), false), "A\"1");
    }

    #[test]
    fn unknown_placeholders_and_parameters_are_refused() {
        assert_eq!(
            Template::parse("{{nope}}", &[]).expect_err("unknown"),
            "unknown placeholder `{{nope}}`; expected path.NAME, query.NAME, user, role, now or uuid"
        );
        assert_eq!(
            Template::parse("{{path.id}}", &[]).expect_err("no such parameter"),
            "`{{path.id}}` names no path parameter; the path has no `{name}` segment"
        );
        assert!(Template::parse("{{user", &[]).is_err());
        let huge = Template::parse(&"{{path.id}}".repeat(1000), &["id".to_owned()]).expect("valid");
        let value = "x".repeat(20_000);
        let mut uuid = String::new;
        let mut fill = Fill {
            path: &[("id".into(), value)],
            query: &[],
            user: "",
            role: "",
            now: "",
            uuid: &mut uuid,
            json: false,
        };
        assert_eq!(huge.render(&mut fill), None, "20 MB of client-sent text is not rendered");
        assert!(Template::parse(r#"{"a":{"b":1}}"#, &[]).expect("no placeholder").is_plain());
    }
}
