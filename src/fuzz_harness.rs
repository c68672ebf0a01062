//! Entry points for the fuzz targets in `fuzz/` and for the regression tests that replay their
//! corpus. Not part of the supported API (hidden from the docs); kept in the library so the
//! targets exercise exactly the code the server runs.
//!
//! [`http_request`] drives the whole app in-process (normalization, the journal and faults,
//! the admin API, both products' parsers, bearer and cookie checks) with one request decoded
//! from the fuzzer's bytes, against one world that lives for the whole run, so state built by
//! one input (sessions, faults, a loaded scenario) is there for the next.

use std::cell::RefCell;
use std::rc::Rc;

use actix_service::ServiceExt;
use actix_service::boxed::BoxService;
use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::rt::SystemRunner;
use actix_web::test::{TestRequest, call_service, init_service};
use actix_web::web::Data;

use crate::scenario::{FaultSpec, Scenario};
use crate::state::{AdminSettings, World};

/// The app, initialized once per thread: actix-router interns route names for good, so an app
/// per input would leak a little every time (and cost more than the request).
type App = Rc<BoxService<actix_http::Request, ServiceResponse<BoxBody>, actix_web::Error>>;

thread_local! {
    static RUNNER: SystemRunner = actix_web::rt::System::new();
    static WORLD: RefCell<Option<(Data<World>, App)>> = const { RefCell::new(None) };
}

/// This thread's world and app, made on first use.
fn world_and_app() -> (Data<World>, App) {
    WORLD.with(|cell| {
        if let Some((world, app)) = cell.borrow().as_ref() {
            return (world.clone(), app.clone());
        }
        let world = Data::new(World::new(
            Scenario::default(),
            AdminSettings::default(),
            crate::products::sections::new_states,
        ));
        let service = RUNNER.with(|runner| {
            runner.block_on(init_service(crate::http::app(world.clone(), Default::default())))
        });
        let app: App =
            Rc::new(actix_service::boxed::service(service.map(ServiceResponse::map_into_boxed_body)));
        *cell.borrow_mut() = Some((world.clone(), app.clone()));
        (world, app)
    })
}

/// Decodes `data` into one HTTP request, serves it, and returns the status.
///
/// Layout: the first byte picks the method; then lines (`\n`): the path, then header lines
/// `Name: value` up to an empty line; the rest is the body. Anything malformed is skipped, not
/// refused, so every input reaches the app.
///
/// # Panics
///
/// When the mock answers 500 or more without a fault asking for it: that is a bug to find.
pub fn http_request(data: &[u8]) -> u16 {
    let Some((&selector, rest)) = data.split_first() else { return 0 };
    let method = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"][usize::from(selector) % 7];
    let text = String::from_utf8_lossy(rest);
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let path = lines.next().unwrap_or("/");
    let path = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
    let Ok(uri) = path.parse::<actix_web::http::Uri>() else { return 0 };
    let Ok(method) = method.parse::<actix_web::http::Method>() else { return 0 };
    let mut request = TestRequest::default().method(method).uri(&uri.to_string());
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            let (Ok(name), Ok(value)) = (
                actix_web::http::header::HeaderName::try_from(name.trim()),
                actix_web::http::header::HeaderValue::from_str(value.trim()),
            ) else {
                continue;
            };
            request = request.insert_header((name, value));
        }
    }
    let request = request.set_payload(body.as_bytes().to_vec()).to_request();
    let (world, app) = world_and_app();
    let faults_on = world.faults.is_active();
    let status =
        RUNNER.with(|runner| runner.block_on(async { call_service(&*app, request).await.status().as_u16() }));
    assert!(faults_on || status < 500, "the mock answered {status} to {data:?}");
    // A delay fault added by one input (over the admin API, or in a loaded scenario) would make
    // every later input wait: a hang by request, not a bug. Such faults do not outlive the input.
    for fault in world.faults.list().into_iter().filter(|state| state.spec.delay.is_some()) {
        world.faults.remove(fault.id);
    }
    status
}

/// Loads a scenario from arbitrary text; it must either load or report problems, never panic.
pub fn scenario_toml(data: &[u8]) -> bool {
    match std::str::from_utf8(data) {
        Ok(text) => Scenario::from_toml_str(text).is_ok(),
        Err(_) => false,
    }
}

/// Reads a fault from arbitrary JSON, as the admin API does, and writes it back.
pub fn fault_json(data: &[u8]) -> bool {
    let Ok(spec) = serde_json::from_slice::<FaultSpec>(data) else { return false };
    match crate::scenario::Fault::from_spec(spec) {
        Ok(fault) => {
            let again = crate::scenario::Fault::from_spec(fault.to_spec());
            assert_eq!(again.as_ref().ok(), Some(&fault), "a fault reads back as itself");
            true
        }
        Err(_) => false,
    }
}
