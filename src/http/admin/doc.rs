//! The admin API's part of the OpenAPI document: the only module that lists the admin
//! handlers (their `#[utoipa::path]` attributes sit on the handlers), with the schemas of the
//! bodies and the answers that cut across routes ([`CrossCutting`]).
//!
//! It depends on the handlers and [`super::views`], and nothing depends on it but the
//! document's assembly in [`crate::http`].

use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};

use super::views::{AdminErrorBody, TAG, error_response};
use super::{clock, faults, journal, routes, scenario};
use crate::apidoc;
use crate::control::{FaultState, JournalEntry};
use crate::products::declared::{ResponseSpec, RouteSpec, RouteState};
use crate::scenario::FaultSpec;

/// The admin operations and their schemas.
#[derive(OpenApi)]
#[openapi(
    paths(
        scenario::health,
        clock::clock,
        clock::move_clock,
        faults::list_faults,
        faults::add_fault,
        faults::clear_faults,
        faults::get_fault,
        faults::remove_fault,
        routes::list_routes,
        routes::add_route,
        routes::clear_routes,
        routes::get_route,
        routes::remove_route,
        journal::journal,
        journal::clear_journal,
        journal::journal_count,
        journal::journal_settings,
        journal::set_journal,
        scenario::reset,
        scenario::load_scenario,
        scenario::revoke_sessions,
        scenario::users,
        scenario::products,
    ),
    components(schemas(
        FaultSpec,
        FaultState,
        RouteSpec,
        ResponseSpec,
        RouteState,
        JournalEntry,
        AdminErrorBody
    )),
    modifiers(&CrossCutting)
)]
struct AdminApi;

/// The admin part: its paths, schemas, tag (with its description) and the `admin` scheme.
pub(crate) fn document() -> Document {
    let mut document = AdminApi::openapi();
    apidoc::set_tags(
        &mut document,
        &[(
            TAG,
            "The mock's own control plane (`/__mock/`): clock, faults, declared routes, journal, \
             reset, scenario. \
             With `--admin-token`, every route but health needs `Authorization: Bearer <token>`.",
        )],
    );
    apidoc::add_bearer_scheme(
        &mut document,
        "admin",
        "The admin token given with `--admin-token`, when one is.",
        false,
    );
    document
}

/// Adds the answers every admin route of a kind can give, which the handlers' attributes leave
/// out because they come from rules that cut across routes: a POST answers 400 to a malformed
/// request, and a route that reads a body 408 when it does not arrive within the body deadline
/// (closing the connection) and 413 when it is over the admin cap.
struct CrossCutting;

impl Modify for CrossCutting {
    fn modify(&self, document: &mut Document) {
        apidoc::add_cross_cutting(document, |operation| {
            let mut answers = Vec::new();
            if operation.method == "post" {
                answers.push(("400", error_response("A malformed request")));
            }
            if operation.has_body {
                answers.push((
                    "408",
                    error_response("The body did not arrive within 10 s; the connection is then closed"),
                ));
                answers.push((
                    "413",
                    error_response(
                        "A body over 1 MiB (a larger Content-Length is refused before it is sent)",
                    ),
                ));
            }
            answers
        });
    }
}
