//! The scenario's `[[routes]]`: read and validated like a product's section, so that a route
//! refused in a file is reported with its line beside every other problem.

use std::sync::{Arc, LazyLock};

use serde::Deserialize;
use toml::Spanned;

use super::route::{Declared, DeclaredSection};
use super::spec::RouteSpec;
use super::store::{MAX_ROUTES, unique_name};
use super::validate::{compile, read_capped};
use crate::scenario::{Checker, Section, SectionDoc, SectionParser, UncheckedSection};

/// The `[[routes]]` parser, for the scenario parser's list.
pub(crate) static SECTION: RoutesSection = RoutesSection;

/// Reads and validates `[[routes]]`.
#[derive(Debug)]
pub(crate) struct RoutesSection;

#[derive(Deserialize)]
struct Doc {
    routes: Option<Vec<Spanned<RouteSpec>>>,
}

impl SectionParser for RoutesSection {
    fn key(&self) -> &'static str {
        "routes"
    }

    fn read(&self, doc: SectionDoc<'_>) -> Result<UncheckedSection, toml::de::Error> {
        let Doc { routes } = Doc::deserialize(doc)?;
        let routes = routes.unwrap_or_default();
        Ok(Box::new(move |check: &mut Checker| -> Section { Arc::new(check_routes(check, routes)) }))
    }

    fn default_section(&self) -> Section {
        DEFAULT.clone()
    }
}

static DEFAULT: LazyLock<Arc<DeclaredSection>> = LazyLock::new(Arc::default);

fn check_routes(check: &mut Checker, raw: Vec<Spanned<RouteSpec>>) -> DeclaredSection {
    let raw = check.capped("routes", raw, MAX_ROUTES, Spanned::span);
    let mut routes: Vec<Arc<Declared>> = Vec::with_capacity(raw.len());
    // The accepted routes' indexes in the file, for naming the first holder of a name.
    let mut indexes: Vec<usize> = Vec::with_capacity(raw.len());
    for (index, table) in raw.into_iter().enumerate() {
        let span = table.span();
        let read_file = |name: &str| read_capped(&check.file_path(name));
        match compile(table.into_inner(), &read_file) {
            Ok(mut route) => {
                if route.spec.name.is_none() {
                    route.name =
                        unique_name(&route.name, |name| routes.iter().any(|other| other.name == name));
                }
                if let Some(first) = routes.iter().position(|other| other.name == route.name) {
                    let first = indexes[first];
                    check.report(
                        format!("routes[{index}].name"),
                        span,
                        format!(
                            "the name `{}` is taken by routes[{first}]; give this route its own `name`",
                            route.name
                        ),
                    );
                } else {
                    indexes.push(index);
                    routes.push(Arc::new(route));
                }
            }
            Err(problems) => {
                for (key, message) in problems {
                    check.report(format!("routes[{index}].{key}"), span.clone(), message);
                }
            }
        }
    }
    DeclaredSection { routes }
}
