//! The VBR part of the mock's OpenAPI document: the only module that lists the VBR handlers
//! (their `#[utoipa::path]` attributes sit on the handlers), with the schemas of the bodies
//! they read and write, and the answers that cut across routes ([`CrossCutting`]). The same part
//! is what `/swagger/v{version}/swagger.json` serves for a served revision.

use serde_json::json;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{KnownFormat, OpenApi as Document, RefOr, SchemaFormat};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

use super::request::TokenRequest;
use super::tags::{self, ErrorBody, error_response};
use super::{endpoints, token, wire};
use crate::apidoc::{self, property};
use crate::products::Access;
use crate::products::declared::doc::{DeclaredDoc, Refusals};

/// The VBR paths and schemas.
#[derive(OpenApi)]
#[openapi(
    paths(
        token::token,
        endpoints::logout,
        endpoints::authorization_code,
        endpoints::server_info,
        endpoints::server_time,
        endpoints::server_certificate,
        endpoints::swagger,
    ),
    components(schemas(
        TokenRequest,
        ErrorBody,
        wire::TokenModel,
        wire::ServerInfo,
        wire::Registration,
        wire::ServerTime,
        wire::Certificate,
        wire::AuthorizationCode,
        wire::Empty,
        super::UserView
    )),
    modifiers(&CrossCutting)
)]
struct VbrApi;

/// The VBR part: its paths, schemas, tags and the `vbr_bearer` scheme its protected routes name.
pub(crate) fn document() -> Document {
    let mut document = VbrApi::openapi();
    apidoc::set_tags(
        &mut document,
        &[
            (
                tags::AUTH,
                "VBR sign-in, refresh and sign-out. Every call needs `x-api-version` (a VBR revision such \
                 as `1.3-rev2`); on `/api/oauth2/token`, a request without one goes to VBAzure.",
            ),
            (tags::SERVER, "VBR server information and the per-revision documents clients probe."),
        ],
    );
    apidoc::add_bearer_scheme(
        &mut document,
        "vbr_bearer",
        "A VBR `access_token` (only the token itself).",
        true,
    );
    document
}

/// How VBR's declared routes are described: its `vbr_bearer`, `skip`/`limit` pages and its
/// `Error` refusals (400 for the version or a bad page, 401, 403 for a role).
pub(crate) static DECLARED: DeclaredDoc = DeclaredDoc {
    scheme: "vbr_bearer",
    paging: &[
        ("skip", "How many items to skip (default 0)."),
        ("limit", "How many items to return (default 200, at least 1)."),
    ],
    first_page: super::declared::first_page,
    refusals: declared_refusals,
};

fn declared_refusals(access: &Access, paged: bool) -> Refusals {
    let mut refusals = Vec::new();
    let bad_request = if paged {
        "A missing or unserved `x-api-version`, or a `skip` or `limit` that is not a number (or a `limit` under 1)"
    } else {
        "A missing or unserved `x-api-version`"
    };
    refusals.push(("400", error_response(bad_request)));
    if !matches!(access, Access::Anonymous) {
        refusals.push(("401", error_response("A missing, expired, revoked or logged-out bearer")));
        if matches!(access, Access::Roles(_)) {
            refusals.push(("403", error_response("The caller's role is not one the route allows")));
        }
    }
    refusals
}

/// Adds the answers every VBR route of a kind gives, all in the `Error` shape: a missing or
/// unserved `x-api-version` is 400 before anything else (not on the Swagger documents); a
/// route behind a bearer answers 401 to a missing, expired or revoked one; the token endpoint
/// answers 413 to an oversized body; a body that does not arrive in time is 408.
struct CrossCutting;

impl Modify for CrossCutting {
    fn modify(&self, document: &mut Document) {
        apidoc::add_cross_cutting(document, |operation| {
            let mut answers = apidoc::product_answers(operation, "/api/oauth2/token", error_response);
            answers.retain(|(status, _)| *status != "415" && *status != "404");
            if !operation.path.starts_with("/swagger/") {
                answers.push(("400", error_response("A missing, malformed or unserved `x-api-version`")));
            }
            if operation.secured {
                answers.push(("401", error_response("A missing, expired, revoked or logged-out bearer")));
            }
            answers
        });
    }
}

/// The token form's fields (`TokenLoginSpec`): [`TokenRequest`] keeps whatever fields come, by
/// name, so the names the grants read are listed here.
impl PartialSchema for TokenRequest {
    fn schema() -> RefOr<Schema> {
        let text = |description, example| property(Type::String, true, description, example);
        let password = ObjectBuilder::from(text("The password.", Some(json!("PassWord1"))))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)));
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "The form of `POST /api/oauth2/token` (`application/x-www-form-urlencoded` only): \
                 `password` → `username`, `password`; `refresh_token` → `refresh_token`; \
                 `authorization_code` → `code`; `vbr_token` → `vbr_token`.",
            ))
            .property(
                "grant_type",
                property(
                    Type::String,
                    false,
                    "`password`, `refresh_token`, `authorization_code`, `vbr_token` (1.2-rev1, 1.3-rev0) or \
                     `Password`, `Refresh_token`, ... (1.3-rev1 on); either under every revision.",
                    Some(json!("Password")),
                ),
            )
            .required("grant_type")
            .property(
                "username",
                text("`administrator`, `.\\administrator` or `DOMAIN\\user`.", Some(json!("administrator"))),
            )
            .property("password", password)
            .property("refresh_token", text("A refresh token from an earlier answer (good once).", None))
            .property("code", text("An authorization code.", None))
            .property("vbr_token", text("A platform service token the scenario lists.", None))
            .property(
                "use_short_term_refresh",
                property(
                    Type::Boolean,
                    true,
                    "`true`: the refresh token lives the access lifetime + 15 minutes.",
                    None,
                ),
            )
            .into()
    }
}

impl ToSchema for TokenRequest {
    fn name() -> std::borrow::Cow<'static, str> {
        "VbrTokenLoginSpec".into()
    }
}
