//! VBR's other endpoints: logout, the 1.2-rev1 authorization-code issuer, the anonymous
//! `serverTime` and `serverCertificate`, the protected `serverInfo` (what clients call first
//! after login), and the per-revision Swagger documents clients probe to find the served
//! revisions.

use actix_web::http::StatusCode;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::auth::{caller, version, world};
use super::config::VbrRole;
use super::error::VbrError;
use super::state::{IssuedCode, VbrSession};
#[cfg(feature = "openapi")]
use super::tags;
use super::version::ApiVersion;
use super::wire::{AuthorizationCode, Certificate, Empty, Registration, ServerInfo, ServerTime, json};
use crate::clock::later;
use crate::dates::iso_with_offset;
use crate::state::World;

/// `POST /api/oauth2/logout`: ends the caller's login (every token its refreshes issued, both
/// kinds) and answers 200 `{}`.
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/api/oauth2/logout",
    operation_id = "vbr_logout",
    tag = tags::AUTH,
    summary = "Sign out: both tokens of the login are refused afterwards",
    params(tags::ApiVersionHeader),
    responses((status = 200, description = "Signed out", body = super::wire::Empty)),
    security(("vbr_bearer" = []))
))]
pub(crate) async fn logout(req: HttpRequest, world: Data<World>) -> Result<HttpResponse, VbrError> {
    let (_, auth) = caller(&req, &[])?;
    world.vbr().sessions.revoke(auth.session);
    json(StatusCode::OK, &Empty {})
}

/// `POST /api/oauth2/authorization_code` (1.2-rev1 and older; removed in 1.3-rev0, so 404
/// under a newer revision): a single-use code that signs another client in with the caller's
/// permissions (`grant_type=authorization_code`).
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/api/oauth2/authorization_code",
    operation_id = "vbr_authorization_code",
    tag = tags::AUTH,
    summary = "A single-use code for grant_type=authorization_code (revisions up to 1.2-rev1)",
    params(tags::ApiVersionHeader),
    responses(
        (status = 200, body = super::wire::AuthorizationCode),
        (status = 404, description = "Under 1.3-rev0 and later", body = tags::ErrorBody),
    ),
    security(("vbr_bearer" = []))
))]
pub(crate) async fn authorization_code(
    req: HttpRequest,
    world: Data<World>,
) -> Result<HttpResponse, VbrError> {
    let scenario = world.scenario();
    if !version(&req, scenario.vbr())?.has_authorization_code_issuer() {
        return Err(VbrError::NotFound);
    }
    let (_, auth) = caller(&req, &[])?;
    // 272 random bytes in standard base64 (364 characters), the documented example's shape.
    let mut bytes = [0u8; 272];
    world.random.fill(&mut bytes);
    let code = STANDARD.encode(bytes);
    let now = world.clock.now();
    let issued = IssuedCode {
        session: VbrSession { short_term: false, ..(*auth.payload).clone() },
        expires_at: later(now, scenario.vbr().authorization_code_lifetime),
    };
    world.vbr().add_code(code.clone(), issued, now);
    json(StatusCode::OK, &AuthorizationCode { code: &code })
}

/// `GET /api/v1/serverInfo` (Backup Administrator): the 1.2 members, plus `platform` and
/// `veeamRegistration` from 1.3-rev0 (veeam-br's 1.3 models require them).
#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/api/v1/serverInfo",
    operation_id = "vbr_server_info",
    tag = tags::SERVER,
    summary = "The backup server's build and database (Backup Administrator)",
    params(tags::ApiVersionHeader),
    responses(
        (status = 200, body = super::wire::ServerInfo),
        (status = 403, description = "A role other than Backup Administrator", body = tags::ErrorBody),
    ),
    security(("vbr_bearer" = []))
))]
pub(crate) async fn server_info(req: HttpRequest, world: Data<World>) -> Result<HttpResponse, VbrError> {
    let (version, _) = caller(&req, &[VbrRole::BackupAdministrator])?;
    let scenario = world.scenario();
    let settings = scenario.vbr();
    let newer = version.has_platform();
    let (vendor, edition, sql_version) = if settings.platform == "Linux" {
        ("PostgreSQL", "", "PostgreSQL 17.5")
    } else {
        ("MicrosoftSQLServer", "Express", "15.0.2000.5")
    };
    let body = ServerInfo {
        platform: newer.then_some(settings.platform),
        vbr_id: settings.vbr_id.to_string(),
        name: &settings.server_name,
        build_version: &settings.build_version,
        patches: [],
        database_vendor: vendor,
        sql_server_edition: edition,
        sql_server_version: sql_version,
        database_schema_version: "9688",
        database_content_version: "9688",
        veeam_registration: newer.then_some(Registration { is_registered: false }),
    };
    json(StatusCode::OK, &body)
}

/// `GET /api/v1/serverTime` (anyone, but still with `x-api-version`).
#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/api/v1/serverTime",
    operation_id = "vbr_server_time",
    tag = tags::SERVER,
    summary = "The server's clock (anonymous)",
    params(tags::ApiVersionHeader),
    responses((status = 200, body = super::wire::ServerTime)),
))]
pub(crate) async fn server_time(req: HttpRequest, world: Data<World>) -> Result<HttpResponse, VbrError> {
    let scenario = world.scenario();
    let settings = scenario.vbr();
    let version = version(&req, settings)?;
    let body = ServerTime {
        server_time: iso_with_offset(world.clock.now(), settings.time_offset, true),
        time_zone: &settings.time_zone,
        iana_time_zone_id: version.has_iana_time_zone().then_some(settings.iana_time_zone.as_str()),
    };
    json(StatusCode::OK, &body)
}

/// The mock's key certificate (`fixtures/signing-cert.pem`): its subject, serial and validity.
const CERTIFICATE_NAME: &str = "veeam-auth-mock test signing key";
const CERTIFICATE_SERIAL: &str = "01";
const CERTIFICATE_VALID_FROM: time::OffsetDateTime = time::macros::datetime!(2026-11-25 08:11:46 UTC);
const CERTIFICATE_VALID_BY: time::OffsetDateTime = time::macros::datetime!(2126-11-01 08:11:46 UTC);

/// `GET /api/v1/serverCertificate` (anyone): the certificate whose SHA-1 thumbprint is the
/// JWTs' `kid`.
#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/api/v1/serverCertificate",
    operation_id = "vbr_server_certificate",
    tag = tags::SERVER,
    summary = "The server's certificate; its thumbprint is the JWTs' kid (anonymous)",
    params(tags::ApiVersionHeader),
    responses((status = 200, body = super::wire::Certificate)),
))]
pub(crate) async fn server_certificate(
    req: HttpRequest,
    world: Data<World>,
) -> Result<HttpResponse, VbrError> {
    let scenario = world.scenario();
    let settings = scenario.vbr();
    version(&req, settings)?;
    let offset = settings.time_offset;
    let body = Certificate {
        thumbprint: world.key.kid(),
        serial_number: CERTIFICATE_SERIAL,
        key_algorithm: "RSA",
        key_size: "2048",
        subject: format!("CN={CERTIFICATE_NAME}"),
        issued_to: CERTIFICATE_NAME,
        issued_by: CERTIFICATE_NAME,
        valid_from: iso_with_offset(CERTIFICATE_VALID_FROM, offset, false),
        valid_by: iso_with_offset(CERTIFICATE_VALID_BY, offset, false),
        is_trusted: false,
    };
    json(StatusCode::OK, &body)
}

/// `GET /swagger/v{version}/swagger.json`: 200 with the mock's VBR document for a served
/// revision (what veeam-br's discovery probes, anonymous and without `x-api-version`), a bare
/// 404 for any other, as the server's Swagger middleware answers.
#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/swagger/{version}/swagger.json",
    operation_id = "vbr_swagger",
    tag = tags::SERVER,
    summary = "The revision's OpenAPI document, for version discovery (anonymous, no header)",
    params(("version" = String, Path, description = "`v` and a revision: `v1.3-rev2`", example = "v1.3-rev2")),
    responses((status = 200, description = "Served"), (status = 404, description = "Not served")),
))]
pub(crate) async fn swagger(req: HttpRequest) -> Result<HttpResponse, VbrError> {
    let world = world(&req)?;
    let segment = req.match_info().get("version").unwrap_or_default();
    let served = segment
        .strip_prefix(['v', 'V'])
        .and_then(ApiVersion::parse)
        .filter(|version| world.scenario().vbr().serves(*version));
    let Some(version) = served else { return Ok(HttpResponse::NotFound().finish()) };
    json(StatusCode::OK, &document(version))
}

/// The document served for `version`: the product's own part of the mock's OpenAPI document
/// ([`super::own_document`]), its `info` naming the revision.
fn document(version: ApiVersion) -> serde_json::Value {
    let mut document = super::own_document();
    document["info"] = serde_json::json!({
        "title": "Veeam Backup & Replication REST API (veeam-auth-mock)",
        "version": version.to_string(),
    });
    document
}
