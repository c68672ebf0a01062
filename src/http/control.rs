//! The control middleware: every product request passes the journal and the fault plan here,
//! after path normalization and before routing.
//!
//! With no fault in force and the journal off it costs two atomic loads. Otherwise it names the
//! endpoint, reads a token request's fields when someone needs them (the journal, a fault that
//! matches on grant or user, a session fault) through the shared body reader ([`crate::request::body`]:
//! the same cap and deadline as the product's, read once), lets the plan decide, acts, and
//! records the outcome with secrets masked. The admin API and the explorer pages (`/__mock/...`,
//! `/swagger/...`) pass untouched: they are not the product.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes, Data};
use actix_web::{Error, FromRequest, HttpMessage};

use super::fault_response;
use super::normalize::OriginalPath;
use crate::control::{Decision, NewEntry, RequestFacts, mask_body, mask_header, mask_query};
use crate::products;
use crate::request::bearer::bearer_token;
use crate::request::body::{AlreadyRead, BodyError, MAX_BODY, read_limited};
use crate::request::media::content_type;
use crate::scenario::FaultAction;
use crate::state::World;

/// Path prefixes that belong to the mock itself, never journaled nor faulted: the admin API and
/// landing page, the explorer's OpenAPI document and Swagger UI. Other `/swagger/...` paths are
/// products' (VBR's per-version `/swagger/v{version}/swagger.json`, which clients probe).
const MOCK_PREFIXES: &[&str] = &["/__mock", "/swagger/ui", "/swagger/docs"];

/// The middleware function (wrap it with `middleware::from_fn`).
pub(crate) async fn control(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(world) = req.app_data::<Data<World>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let faults_on = world.faults.is_active();
    let journal_on = world.journal.is_enabled();
    if !faults_on && !journal_on {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    // The path the router matches on (unreserved characters percent-decoded), so that
    // `/%5F%5Fmock/...` is recognized for what the router will make of it.
    let routed = req.match_info().as_str().to_owned();
    if MOCK_PREFIXES.iter().any(|prefix| super::is_under(&routed, prefix)) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }

    let started = Instant::now();
    let arrived = world.clock.now();
    let route = products::route_of(&req, &routed);
    let endpoint = route.map(|route| route.endpoint);
    // A path no product route takes may be a declared route's: named here for the plan and
    // the journal, and left in the request so that its answer does not look it up again.
    let declared = if route.is_none() { declared_route(&req, &routed, &world) } else { None };
    // Token requests (as the route table marks them) are the ones whose fields faults and the
    // journal look at.
    let is_token_request = route.is_some_and(|route| route.reads_token && route.method == req.method());
    let (req, TokenFields { fields, body }) =
        if is_token_request { read_fields(req).await } else { (req, TokenFields::default()) };
    let field =
        |name: &str| fields.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());

    let decision = if faults_on {
        world.faults.decide(&RequestFacts {
            endpoint,
            route: declared.as_deref(),
            method: req.method().as_str(),
            path: &routed,
            grant_type: field("grant_type"),
            user: field("username"),
        })
    } else {
        None
    };
    let mut journal_facts = journal_on.then(|| JournalFacts::of(&req, body.as_deref(), &world));

    let fault = decision.as_ref().map(|d| d.id);
    let dropped = decision
        .as_ref()
        .is_some_and(|d| matches!(d.action, FaultAction::DropConnection | FaultAction::ResetConnection));
    let record = |facts: JournalFacts, status: Option<u16>| {
        world.journal.record(NewEntry {
            time: arrived,
            method: facts.method,
            path: facts.path,
            query: facts.query,
            endpoint,
            route: declared.clone(),
            status,
            duration_ms: started.elapsed().as_secs_f64() * 1000.0,
            fault,
            headers: facts.headers,
            fields: facts.fields,
        });
    };
    // A connection about to be cut is journaled first: the client sees the cut at once and may
    // read the journal before this middleware would run again.
    if dropped && let Some(facts) = journal_facts.take() {
        record(facts, None);
    }
    let response = match decision {
        None => next.call(req).await?.map_into_boxed_body(),
        Some(decision) => act(decision, req, next, &world, field("refresh_token")).await?,
    };
    if let Some(facts) = journal_facts {
        record(facts, Some(response.status().as_u16()));
    }
    Ok(response)
}

/// The name of the declared route `req` goes to, if one takes it; what was found (a route,
/// the path's other methods, or nothing) is left in the request's extensions for
/// [`products::declared::answer`].
fn declared_route(req: &ServiceRequest, routed: &str, world: &World) -> Option<String> {
    let found = {
        let extensions = req.extensions();
        let original = extensions.get::<OriginalPath>().map(|original| original.0.as_str());
        products::declared::find(world, req.method(), routed, original, req.query_string(), req.headers())
    };
    let name = found.route_name().map(str::to_owned);
    req.extensions_mut().insert(found);
    name
}

/// Carries out a fault's decision.
async fn act(
    decision: Decision,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    world: &World,
    refresh_token: Option<&str>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if let Some(delay) = decision.delay {
        actix_web::rt::time::sleep(delay).await;
    }
    if let Some(response) = fault_response::replacement(&req, &decision.action) {
        return Ok(req.into_response(response));
    }
    match &decision.action {
        FaultAction::RevokeSession | FaultAction::ExpireToken => {
            let bearer = bearer_token(req.headers()).map(str::to_owned);
            for token in [bearer.as_deref(), refresh_token].into_iter().flatten() {
                if matches!(decision.action, FaultAction::RevokeSession) {
                    world.revoke_session_of(token);
                } else {
                    world.expire_session_of(token);
                }
            }
            Ok(next.call(req).await?.map_into_boxed_body())
        }
        FaultAction::TruncatedBody | FaultAction::MalformedBody => {
            let response = next.call(req).await?.map_into_boxed_body();
            Ok(fault_response::reshape(response, &decision.action).await)
        }
        _ => Ok(next.call(req).await?.map_into_boxed_body()),
    }
}

/// A token request's fields as sent (for the fault plan), and its body (masked for the journal
/// only when the journal is on).
#[derive(Default)]
struct TokenFields {
    fields: Vec<(String, String)>,
    body: Option<Bytes>,
}

/// Reads a token request's body through the shared reader (cap and deadline) and takes its
/// fields (form or JSON). The outcome, failure included, is left in the
/// request's extensions ([`AlreadyRead`]) so the product answers from it in its own words
/// without reading again; a body that arrived is also put back as the payload.
async fn read_fields(req: ServiceRequest) -> (ServiceRequest, TokenFields) {
    let (http_req, mut payload) = req.into_parts();
    let outcome = match web::Payload::from_request(&http_req, &mut payload).await {
        Ok(body) => read_limited(&http_req, body, MAX_BODY).await,
        Err(_) => Err(BodyError::Unreadable),
    };
    let (payload, fields) = match &outcome {
        Ok(bytes) => {
            let is_json = content_type(http_req.headers())
                .is_some_and(|value| value.to_ascii_lowercase().contains("json"));
            let fields = if is_json { json_fields(bytes) } else { form_fields(bytes) };
            (Payload::from(bytes.clone()), TokenFields { fields, body: Some(bytes.clone()) })
        }
        Err(_) => (Payload::None, TokenFields::default()),
    };
    http_req.extensions_mut().insert(AlreadyRead(outcome));
    (ServiceRequest::from_parts(http_req, payload), fields)
}

fn form_fields(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default()
}

fn json_fields(body: &[u8]) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(object)) = serde_json::from_slice(body) else { return Vec::new() };
    object
        .into_iter()
        .map(|(name, value)| {
            let text = match value {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            (name, text)
        })
        .collect()
}

/// What the journal keeps of a request, masked, taken before the request is handed on.
struct JournalFacts {
    method: String,
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
    fields: Vec<(String, String)>,
}

impl JournalFacts {
    fn of(req: &ServiceRequest, body: Option<&[u8]>, world: &World) -> JournalFacts {
        let path = req
            .extensions()
            .get::<OriginalPath>()
            .map_or_else(|| req.path().to_owned(), |original| original.0.clone());
        let query = Some(req.query_string()).filter(|q| !q.is_empty()).map(mask_query);
        let scenario = world.scenario();
        let secret_headers = crate::products::secret_headers(&scenario);
        let headers = req
            .headers()
            .iter()
            .map(|(name, value)| {
                (name.as_str().to_owned(), mask_header(name.as_str(), value.as_bytes(), &secret_headers))
            })
            .collect();
        let fields = body.map(|body| mask_body(content_type(req.headers()), body)).unwrap_or_default();
        JournalFacts { method: req.method().as_str().to_owned(), path, query, headers, fields }
    }
}
