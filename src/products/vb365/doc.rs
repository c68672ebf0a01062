//! The VB365 part of the mock's OpenAPI document: the only module that lists the VB365
//! handlers (their `#[utoipa::path]` attributes sit on the handlers, so a route and its
//! description change together), with the schemas of the bodies they read and write, and the
//! answers that cut across routes ([`CrossCutting`]).
//!
//! It depends on the handlers and the wire types, never the other way: the handlers' attributes
//! read only [`super::tags`]. [`crate::http`] gathers this part with the others.

use serde_json::json;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{KnownFormat, OpenApi as Document, RefOr, ResponseBuilder, SchemaFormat};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

use super::error::ExceptionInfoV8;
use super::request::TokenRequest;
use super::tags::{self, ExploreOptions, error_response};
use super::{info, restore, session, token, wire};
use crate::apidoc::{self, property};
use crate::products::Access;
use crate::products::declared::doc::{DeclaredDoc, Refusals};

/// The VB365 paths and schemas.
#[derive(OpenApi)]
#[openapi(
    paths(
        token::token,
        session::logout,
        session::auth_code,
        info::health,
        info::restore_portal_settings,
        info::service_instance,
        info::logged_in_user,
        info::operator_info,
        restore::explore_organization,
        restore::explore_own,
        restore::explore_operator,
        restore::legacy_own_action,
        restore::get,
        restore::stop,
        restore::legacy_organization_action,
        restore::legacy_session_action,
    ),
    components(schemas(TokenRequest, ExceptionInfoV8, ExploreOptions, wire::LegacyTokenResponse, super::UserView)),
    modifiers(&CrossCutting)
)]
struct Vb365Api;

/// The VB365 part: its paths, schemas, tags (with their descriptions) and the `bearer` scheme
/// its protected routes name.
pub(crate) fn document() -> Document {
    let mut document = Vb365Api::openapi();
    apidoc::set_tags(
        &mut document,
        &[
            (tags::AUTH, "VB365 sign-in, refresh and sign-out (`/vX/token`)."),
            (tags::SERVICE, "VB365 probes and the signed-in user."),
            (tags::RESTORE, "VB365 restore sessions."),
        ],
    );
    apidoc::add_bearer_scheme(&mut document, "bearer", "An `access_token` from a token endpoint.", true);
    document
}

/// How VB365's declared routes are described: its `bearer`, `offset`/`limit` pages and its
/// refusals (an empty 401 on v6+, a `RESTExceptionInfo` 403 and 404, a 400 for a bad page).
pub(crate) static DECLARED: DeclaredDoc = DeclaredDoc {
    scheme: "bearer",
    paging: &[
        ("offset", "How many items to skip (default 0)."),
        ("limit", "How many items to return (default 30, at most 10000)."),
    ],
    first_page: super::declared::first_page,
    refusals: declared_refusals,
};

fn declared_refusals(access: &Access, paged: bool) -> Refusals {
    let mut refusals = Vec::new();
    match access {
        Access::Anonymous => {}
        Access::AuthCode => refusals.push((
            "401",
            ResponseBuilder::new()
                .description("A missing, unknown, used or expired `authCode`")
                .build()
                .into(),
        )),
        Access::Session | Access::Roles(_) => refusals.push((
            "401",
            ResponseBuilder::new()
                .description("A missing, malformed, expired or revoked bearer")
                .build()
                .into(),
        )),
    }
    if let Access::Roles(_) = access {
        refusals.push(("403", error_response("The caller's role is not one the route allows")));
    }
    if paged {
        refusals.push((
            "400",
            error_response("An `offset` or `limit` that is not a number, or a `limit` over 10000"),
        ));
    }
    refusals.push(("404", error_response("A version the scenario does not serve")));
    refusals
}

/// Adds the answers every VB365 route of a kind can give, which the handlers' attributes leave
/// out because they come from rules that cut across routes:
/// - a `{version}` the scenario does not serve (or the route does not exist in) is 404, before
///   any other check: clients probe versions this way;
/// - a route behind a bearer answers 401 to a missing, expired or revoked one (an empty body on
///   v6+), and a POST behind one 403 to a role that may not;
/// - a POST answers 400 to a malformed request, and the token endpoint 413 and 415 to an
///   oversized body or a wrong content type;
/// - a route that reads a body answers 408 when it does not arrive within the body deadline
///   (and closes the connection).
struct CrossCutting;

impl Modify for CrossCutting {
    fn modify(&self, document: &mut Document) {
        apidoc::add_cross_cutting(document, |operation| {
            let mut answers = apidoc::product_answers(operation, "/{version}/token", error_response);
            let post = operation.method == "post";
            if operation.secured {
                let refused = "A missing, malformed, expired or revoked bearer";
                answers.push(("401", ResponseBuilder::new().description(refused).build().into()));
                if post {
                    answers.push(("403", error_response("The caller's role may not do this")));
                }
            }
            if post {
                answers.push(("400", error_response("A malformed request")));
            }
            answers
        });
    }
}

/// The token request's fields: [`TokenRequest`] keeps whatever fields come, by name, so the
/// names the grants read are listed here.
impl PartialSchema for TokenRequest {
    fn schema() -> RefOr<Schema> {
        let text = |description, example| property(Type::String, true, description, example);
        let password = ObjectBuilder::from(text("The password.", Some(json!("PassWord1"))))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)));
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "The body of `POST /vX/token`: form fields (every client sends a form), or a JSON \
                 object with\n\
                 the same names on v6+. Which fields a grant needs: `password` → `username`, `password`;\n\
                 `refresh_token` → `refresh_token`; jwt-bearer (v4+) → `client_id`, `assertion`; `operator`\n\
                 (v6+) → `client_id`, `assertion`; `integration` (v6-v7) → `integration_token`.",
            ))
            .property(
                "grant_type",
                property(
                    Type::String,
                    false,
                    "`password`, `refresh_token`, `urn:ietf:params:oauth:grant-type:jwt-bearer`, `operator`\n\
                     or `integration`.",
                    Some(json!("password")),
                ),
            )
            .required("grant_type")
            .property(
                "username",
                text(
                    "The user name (or an alias such as \
                    `TECH\\administrator`).",
                    Some(json!("Administrator")),
                ),
            )
            .property("password", password)
            .property("refresh_token", text("A refresh token from an earlier answer.", None))
            .property("client_id", text("The tenant or operator application's client id.", None))
            .property(
                "assertion",
                text("A Microsoft identity assertion (a JSON object with an `access_token`).", None),
            )
            .property("integration_token", text("The integration grant's token (v6-v7).", None))
            .property(
                "disable_antiforgery_token",
                property(
                    Type::Boolean,
                    true,
                    "v7+: `true` answers without the antiforgery cookie, so a bearer alone is enough.",
                    Some(json!(true)),
                ),
            )
            .into()
    }
}

impl ToSchema for TokenRequest {
    fn name() -> std::borrow::Cow<'static, str> {
        "TokenRequest".into()
    }
}
