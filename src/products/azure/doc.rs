//! The VBAzure part of the mock's OpenAPI document: the only module that lists the VBAzure
//! handlers (their `#[utoipa::path]` attributes sit on the handlers, so a route and its
//! description change together), with the schemas of the bodies they read and write, and the
//! answers that cut across routes ([`CrossCutting`]).
//!
//! It depends on the handlers and the wire types, never the other way: the handlers' attributes
//! read only [`super::tags`]. [`crate::http`] gathers this part with the others.

use serde_json::json;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{KnownFormat, OpenApi as Document, RefOr, SchemaFormat};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

use super::request::LoginRequest;
use super::tags::{self, DocumentChecksum, ProblemDetails, problem_response};
use super::{endpoints, token, wire};
use crate::apidoc::{self, property};
use crate::products::Access;
use crate::products::declared::doc::{DeclaredDoc, Refusals};

/// The VBAzure paths and schemas.
#[derive(OpenApi)]
#[openapi(
    paths(
        token::token,
        endpoints::logout,
        endpoints::authorization_code,
        endpoints::about,
        endpoints::server_info,
        endpoints::status,
        endpoints::service_is_up,
        endpoints::license_accepted,
        endpoints::accept_license,
    ),
    components(schemas(LoginRequest, ProblemDetails, DocumentChecksum, wire::Login, super::UserView)),
    modifiers(&CrossCutting)
)]
struct AzureApi;

/// The VBAzure part: its paths, schemas, tags (with their descriptions) and the `bearer`
/// scheme its protected routes name.
pub(crate) fn document() -> Document {
    let mut document = AzureApi::openapi();
    apidoc::set_tags(
        &mut document,
        &[
            (tags::AUTH, "VBAzure sign-in (every grant, MFA), refresh and sign-out."),
            (tags::SYSTEM, "VBAzure probes and the licence agreement."),
        ],
    );
    apidoc::add_bearer_scheme(&mut document, "bearer", "An `access_token` from a token endpoint.", true);
    document
}

/// How VBAzure's declared routes are described: its `bearer`, `Offset`/`Limit` pages and its
/// problem+json refusals (401, 403 for an unaccepted licence or a role, 404, 400 for a bad page).
pub(crate) static DECLARED: DeclaredDoc = DeclaredDoc {
    scheme: "bearer",
    paging: &[
        ("Offset", "How many items to skip (default 0)."),
        ("Limit", "How many items to return (-1, the default: every item)."),
    ],
    first_page: super::declared::first_page,
    refusals: declared_refusals,
};

fn declared_refusals(access: &Access, paged: bool) -> Refusals {
    let mut refusals = Vec::new();
    if !matches!(access, Access::Anonymous) {
        refusals.push(("401", problem_response("A missing, malformed, expired or revoked bearer")));
        refusals.push((
            "403",
            problem_response(
                "The licence agreement is not accepted, or the caller's role is not one the route allows",
            ),
        ));
    }
    if paged {
        refusals.push((
            "400",
            problem_response("An `Offset` or `Limit` that is not a number, or a `Limit` under -1"),
        ));
    }
    refusals.push(("404", problem_response("A version the scenario does not serve")));
    refusals
}

/// Adds the answers every VBAzure route of a kind can give, all in problem+json, which the
/// handlers' attributes leave out because they come from rules that cut across routes:
/// - a `{version}` the scenario does not serve (or the route does not exist in) is 404, before
///   any other check;
/// - a route behind a bearer answers 401 to a missing, expired or revoked one;
/// - the token endpoint answers 413 and 415 to an oversized body or a wrong content type;
/// - a route that reads a body answers 408 when it does not arrive within the body deadline
///   (and closes the connection).
struct CrossCutting;

impl Modify for CrossCutting {
    fn modify(&self, document: &mut Document) {
        apidoc::add_cross_cutting(document, |operation| {
            let mut answers = apidoc::product_answers(operation, "/api/oauth2/token", problem_response);
            if operation.secured {
                answers.push(("401", problem_response("A missing, malformed, expired or revoked bearer")));
            }
            answers
        });
    }
}

/// The token form's fields: [`LoginRequest`] keeps whatever fields come, by name, so the names
/// the grants read are listed here (documented as the product's `LoginSpec`).
impl PartialSchema for LoginRequest {
    fn schema() -> RefOr<Schema> {
        let text = |description, example| property(Type::String, true, description, example);
        let password = ObjectBuilder::from(text("The password.", Some(json!("PassWord1"))))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)));
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "The form of `POST /api/oauth2/token` (`application/x-www-form-urlencoded` only). Which \
                 fields\n\
                 a grant needs: `Password` → `username`, `password`; `Mfa` → `mfa_token`, `mfa_code`;\n\
                 `Refresh_token` → `refresh_token`; `Authentication_code` → `authorization_code`;\n\
                 `Updater_token`, `Saml`, `SsoToken` → `updater_token`, `saml_response`, `sso_token`.",
            ))
            .property(
                "grant_type",
                property(
                    Type::String,
                    false,
                    "`Password` (the default), `Mfa`, `Refresh_token`, `Updater_token`, `Saml`, \
                     `SsoToken` or\n\
                     `Authentication_code`, in any case.",
                    Some(json!("Password")),
                ),
            )
            .required("grant_type")
            .property("username", text("The user name.", Some(json!("administrator"))))
            .property("password", password)
            .property("refresh_token", text("A refresh token from an earlier answer.", None))
            .property("mfa_token", text("The `mfa_token` of an MFA challenge.", None))
            .property("mfa_code", text("The one-time code answering the challenge.", None))
            .property("authorization_code", text("A code from `POST /api/oauth2/authorization_code`.", None))
            .property(
                "short_lived_refresh_token",
                property(
                    Type::Boolean,
                    true,
                    "`true` for a refresh token that lives 60 minutes instead of 14 days.",
                    None,
                ),
            )
            .into()
    }
}

impl ToSchema for LoginRequest {
    fn name() -> std::borrow::Cow<'static, str> {
        "LoginSpec".into()
    }
}
