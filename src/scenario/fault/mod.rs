//! Faults: scripted failures of the mock's own routes ("the 2nd and 3rd token calls get 503",
//! "the token endpoint hangs for 5 s", "the next refresh fails").
//!
//! A [`Fault`] is a matcher (which requests), a call selector (which of the matching calls), an
//! optional use limit, an optional delay and an action. Faults come from a scenario's
//! `[[faults]]` tables, from the admin API (the same keys, in JSON) and from the builder methods
//! below; all three go through [`FaultSpec`], so they accept and report the same things. The
//! fault plan ([`crate::faults::FaultPlan`]) counts calls and decides; the HTTP layer acts.
//!
//! Here: [`Fault`], its builder and its checks ([`Fault::from_spec`], [`Fault::to_spec`]);
//! [`action`] holds what a fault does and on which calls, [`spec`] its written form.

mod action;
mod spec;

use std::time::Duration;

pub use self::action::{CallSelector, FaultAction};
pub use self::spec::FaultSpec;
use super::duration::parse_duration;
use super::endpoint::{Endpoint, ROUTE_PREFIX, route_name_problem};
use super::fault_text::{MAX_FAULT_TEXT, header_name_problem, header_value_problem};
use super::limits::MAX_CALLS;

/// The longest `delay` a fault may have.
pub(crate) const MAX_DELAY: Duration = Duration::from_secs(3600);
/// The longest `retry_after` a fault may announce.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(86_400);

/// The statuses a fault may answer: final answers only. A 1xx is an interim answer that the
/// client expects to be followed by the real one on the same connection; sending it as the
/// answer would leave the client waiting or out of step.
pub(crate) const FAULT_STATUSES: std::ops::RangeInclusive<u16> = 200..=599;

/// Whether an answer with `status` has no body by definition (204 No Content, 205 Reset
/// Content, 304 Not Modified): a fault sends it without one, and without the headers that would
/// announce one (`Content-Type`, `Content-Length`, `Transfer-Encoding`).
pub(crate) fn is_bodiless(status: u16) -> bool {
    matches!(status, 204 | 205 | 304)
}

/// One scripted failure: which requests, which calls, how often, and what happens.
///
/// ```
/// use std::time::Duration;
/// use veeam_auth_mock::{Endpoint, Fault};
///
/// // The 2nd and 3rd calls of the VB365 token endpoint get 503 in the product's error shape.
/// let flaky = Fault::status(503).on(Endpoint::Vb365Token).calls([2, 3]);
/// // The next refresh fails: its session is revoked before the product sees it.
/// let next_refresh = Fault::revoke_session().on(Endpoint::Vb365Token).grant_type("refresh_token").times(1);
/// // The Azure token endpoint hangs for 5 s, then answers normally.
/// let slow = Fault::delay(Duration::from_secs(5)).on(Endpoint::AzureToken);
/// # let _ = (flaky, next_refresh, slow);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub(crate) endpoint: Option<Endpoint>,
    /// The declared route it is limited to, by name (lower case, without `route.`).
    pub(crate) route: Option<String>,
    pub(crate) method: Option<String>,
    pub(crate) path: Option<String>,
    pub(crate) grant_type: Option<String>,
    pub(crate) user: Option<String>,
    pub(crate) calls: CallSelector,
    pub(crate) times: Option<u64>,
    pub(crate) delay: Option<Duration>,
    pub(crate) action: FaultAction,
}

impl Fault {
    fn with_action(action: FaultAction) -> Fault {
        Fault {
            endpoint: None,
            route: None,
            method: None,
            path: None,
            grant_type: None,
            user: None,
            calls: CallSelector::Every,
            times: None,
            delay: None,
            action,
        }
    }

    /// Answer `status` with the product's own error body for it; a 204, 205 or 304 is sent
    /// with no body (nor the headers that announce one), as HTTP requires.
    ///
    /// # Panics
    ///
    /// If `status` is not a final HTTP status (200-599): a 1xx is an interim answer that would
    /// leave the client out of step, and anything else is no status. Scenarios and the admin
    /// API report the same mistake as a problem instead.
    pub fn status(status: u16) -> Fault {
        assert!(
            FAULT_STATUSES.contains(&status),
            "veeam-auth-mock: Fault::status({status}): a fault answers a final status, 200-599"
        );
        Fault::with_action(FaultAction::Status {
            status,
            body: None,
            content_type: None,
            headers: Vec::new(),
            retry_after: None,
        })
    }

    /// `429 Too Many Requests` with `Retry-After` (whole seconds, at most a day).
    pub fn too_many_requests(retry_after: Duration) -> Fault {
        let retry_after = retry_after.min(MAX_RETRY_AFTER);
        Fault::with_action(FaultAction::Status {
            status: 429,
            body: None,
            content_type: None,
            headers: Vec::new(),
            retry_after: Some(retry_after),
        })
    }

    /// Wait `delay` (real time, at most an hour), then answer normally. No connection deadline
    /// cuts a request being handled: the connection stays open for the whole delay, and the
    /// next request's head is due 10 s after the delayed answer.
    pub fn delay(delay: Duration) -> Fault {
        Fault { delay: Some(delay.min(MAX_DELAY)), ..Fault::with_action(FaultAction::DelayOnly) }
    }

    /// Close the connection without answering.
    pub fn drop_connection() -> Fault {
        Fault::with_action(FaultAction::DropConnection)
    }

    /// Abort the connection with a TCP reset.
    pub fn reset_connection() -> Fault {
        Fault::with_action(FaultAction::ResetConnection)
    }

    /// Let the product answer, but cut the body halfway and close the connection.
    pub fn truncated_body() -> Fault {
        Fault::with_action(FaultAction::TruncatedBody)
    }

    /// Let the product answer, but send its body cut to invalid JSON.
    pub fn malformed_body() -> Fault {
        Fault::with_action(FaultAction::MalformedBody)
    }

    /// `200 OK` with an empty body.
    pub fn empty_ok() -> Fault {
        Fault::with_action(FaultAction::EmptyOk)
    }

    /// Revoke the session whose token the request carries, then let the product answer.
    pub fn revoke_session() -> Fault {
        Fault::with_action(FaultAction::RevokeSession)
    }

    /// Expire the access tokens of the session whose token the request carries, then let the
    /// product answer.
    pub fn expire_token() -> Fault {
        Fault::with_action(FaultAction::ExpireToken)
    }

    /// Only requests to this endpoint (in place of any route named by [`Fault::on_route`]).
    #[must_use]
    pub fn on(mut self, endpoint: Endpoint) -> Fault {
        self.endpoint = Some(endpoint);
        self.route = None;
        self
    }

    /// Only requests to the declared route named `name` (what `endpoint = "route.<name>"`
    /// says in a scenario or the admin API; in place of any endpoint named by [`Fault::on`]).
    /// The route need not exist yet: one added later with this name is matched.
    ///
    /// ```
    /// use veeam_auth_mock::Fault;
    ///
    /// let fault = Fault::status(503).on_route("Jobs").calls([2]);
    /// assert_eq!(fault.to_spec().endpoint.as_deref(), Some("route.jobs"));
    /// ```
    ///
    /// # Panics
    ///
    /// If `name` cannot be a route's name (1 to 100 letters, digits, `-`, `_` or `.`): no route
    /// could ever match. Scenarios and the admin API report the same mistake as a problem.
    #[must_use]
    pub fn on_route(mut self, name: &str) -> Fault {
        if let Some(problem) = route_name_problem(name) {
            panic!("veeam-auth-mock: Fault::on_route: {problem}");
        }
        self.route = Some(name.to_ascii_lowercase());
        self.endpoint = None;
        self
    }

    /// Only requests to this path (any product, matched case-insensitively, without the query;
    /// a trailing `*` matches any path with that prefix).
    #[must_use]
    pub fn on_path(mut self, path: &str) -> Fault {
        self.path = Some(normalize_path(path));
        self
    }

    /// Only requests with this method (`GET`, `POST`, ...).
    #[must_use]
    pub fn method(mut self, method: &str) -> Fault {
        self.method = Some(method.trim().to_ascii_uppercase());
        self
    }

    /// Only token requests with this `grant_type` (case-insensitive).
    #[must_use]
    pub fn grant_type(mut self, grant_type: &str) -> Fault {
        self.grant_type = Some(grant_type.trim().to_ascii_lowercase());
        self
    }

    /// Only token requests whose `username` is this one (case-insensitive).
    #[must_use]
    pub fn user(mut self, user: &str) -> Fault {
        self.user = Some(user.trim().to_ascii_lowercase());
        self
    }

    /// Only these matching calls, counted from 1.
    #[must_use]
    pub fn calls(mut self, calls: impl IntoIterator<Item = u64>) -> Fault {
        self.calls = CallSelector::Calls(calls.into_iter().collect());
        self
    }

    /// Only the matching calls after the `n`-th.
    #[must_use]
    pub fn after(mut self, n: u64) -> Fault {
        self.calls = CallSelector::After(n);
        self
    }

    /// Only every `n`-th matching call (`n` of at least 1).
    #[must_use]
    pub fn every(mut self, n: u64) -> Fault {
        self.calls = CallSelector::EveryNth(n.max(1));
        self
    }

    /// Each matching call with this probability (clamped to 0..=1).
    #[must_use]
    pub fn probability(mut self, probability: f64) -> Fault {
        self.calls = CallSelector::Probability(probability.clamp(0.0, 1.0));
        self
    }

    /// Fire at most `n` times, then stay inert.
    #[must_use]
    pub fn times(mut self, n: u64) -> Fault {
        self.times = Some(n);
        self
    }

    /// Wait this long (real time, at most an hour) before acting.
    #[must_use]
    pub fn with_delay(mut self, delay: Duration) -> Fault {
        self.delay = Some(delay.min(MAX_DELAY));
        self
    }

    /// A body to send instead of the product's error body (for [`Fault::status`]; not sent
    /// with a 204, 205 or 304, which have none).
    #[must_use]
    pub fn body(mut self, content_type: &str, body: &str) -> Fault {
        if let FaultAction::Status { body: b, content_type: c, .. } = &mut self.action {
            *b = Some(body.to_owned());
            *c = Some(content_type.to_owned());
        }
        self
    }

    /// An extra response header (for [`Fault::status`]); one the mock cannot send (not an HTTP
    /// token name, a control character in the value) is left out.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Fault {
        if let FaultAction::Status { headers, .. } = &mut self.action {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    /// What the fault does.
    pub fn action(&self) -> &FaultAction {
        &self.action
    }

    /// Reads a fault from its spec (a scenario table or an admin API body), reporting every
    /// problem as `(key, message)`.
    pub fn from_spec(spec: FaultSpec) -> Result<Fault, Vec<(String, String)>> {
        let mut problems = Vec::new();
        let mut report = |key: &str, message: String| problems.push((key.to_owned(), message));
        let duration = |text: &str| -> Result<Duration, String> {
            parse_duration(text).and_then(|d| Duration::try_from(d).map_err(|_| "cannot be negative".into()))
        };
        // `route.<name>` names a declared route (which may be added later, so only its form is
        // checked); any other name is a product endpoint's.
        let (endpoint, route) = match spec.endpoint.as_deref().map(str::trim) {
            None => (None, None),
            Some(name) => match name.get(..ROUTE_PREFIX.len()) {
                Some(prefix) if prefix.eq_ignore_ascii_case(ROUTE_PREFIX) => {
                    let route = &name[ROUTE_PREFIX.len()..];
                    if let Some(problem) = route_name_problem(route) {
                        report("endpoint", problem);
                    }
                    (None, Some(route.to_ascii_lowercase()))
                }
                _ => (name.parse::<Endpoint>().map_err(|err| report("endpoint", err.to_string())).ok(), None),
            },
        };
        // Bounded, so that every value writes back and reads again as itself, and because a
        // longer delay is a hang (`connection = "drop"` says that better).
        let bounded = |text: &str, most: Duration, what: &str| -> Result<Duration, String> {
            let value = duration(text)?;
            if value > most {
                return Err(format!("{what} can be at most {}", format_duration(most)));
            }
            Ok(value)
        };
        let delay = spec
            .delay
            .as_deref()
            .and_then(|text| bounded(text, MAX_DELAY, "a delay").map_err(|m| report("delay", m)).ok());
        let retry_after = spec.retry_after.as_deref().and_then(|text| {
            bounded(text, MAX_RETRY_AFTER, "Retry-After").map_err(|m| report("retry_after", m)).ok()
        });

        let selectors =
            [spec.calls.is_some(), spec.after.is_some(), spec.every.is_some(), spec.probability.is_some()];
        if selectors.iter().filter(|&&given| given).count() > 1 {
            report("calls", "give at most one of `calls`, `after`, `every` and `probability`".into());
        }
        let calls = if let Some(calls) = spec.calls {
            if calls.is_empty() || calls.contains(&0) {
                report("calls", "list call numbers counted from 1, like [2, 3]".into());
            }
            // Every matching request looks through the list.
            if calls.len() > MAX_CALLS {
                report(
                    "calls",
                    format!("list at most {MAX_CALLS} call numbers (`after` or `every` cover more)"),
                );
            }
            CallSelector::Calls(calls)
        } else if let Some(after) = spec.after {
            CallSelector::After(after)
        } else if let Some(every) = spec.every {
            if every == 0 {
                report("every", "must be 1 or more".into());
            }
            CallSelector::EveryNth(every.max(1))
        } else if let Some(probability) = spec.probability {
            if !(0.0..=1.0).contains(&probability) {
                report("probability", "must be between 0 and 1".into());
            }
            CallSelector::Probability(probability.clamp(0.0, 1.0))
        } else {
            CallSelector::Every
        };
        if spec.times == Some(0) {
            report("times", "must be 1 or more (leave it out for no limit)".into());
        }

        let mut actions = Vec::new();
        if spec.status.is_some() || spec.retry_after.is_some() {
            actions.push("status");
        }
        if spec.connection.is_some() {
            actions.push("connection");
        }
        if spec.response.is_some() {
            actions.push("response");
        }
        if spec.session.is_some() {
            actions.push("session");
        }
        if actions.len() > 1 {
            report(
                actions[1],
                format!(
                    "give only one of `status`, `connection`, `response` and `session` (found {})",
                    actions.join(", ")
                ),
            );
        }
        let status_only = |key: &str, given: bool, report: &mut dyn FnMut(&str, String)| {
            if given && spec.status.is_none() {
                report(key, "only goes with `status`".into());
            }
        };
        status_only("body", spec.body.is_some(), &mut report);
        status_only("content_type", spec.content_type.is_some(), &mut report);
        status_only("headers", spec.headers.is_some(), &mut report);
        if let Some(problem) = spec.content_type.as_deref().and_then(header_value_problem) {
            report("content_type", problem);
        }
        for (name, value) in spec.headers.iter().flatten() {
            if let Some(problem) = header_name_problem(name).or_else(|| header_value_problem(value)) {
                report("headers", problem);
            }
        }
        let text = spec.body.as_ref().map_or(0, String::len)
            + spec.content_type.as_ref().map_or(0, String::len)
            + spec.headers.iter().flatten().map(|(name, value)| name.len() + value.len()).sum::<usize>();
        if text > MAX_FAULT_TEXT {
            report(
                "body",
                format!("the body, content type and headers hold {text} bytes; at most {MAX_FAULT_TEXT} fit"),
            );
        }

        let action = if let Some(connection) = &spec.connection {
            match connection.as_str() {
                "drop" => FaultAction::DropConnection,
                "reset" => FaultAction::ResetConnection,
                other => {
                    report("connection", format!("unknown `{other}`; expected \"drop\" or \"reset\""));
                    FaultAction::DropConnection
                }
            }
        } else if let Some(response) = &spec.response {
            match response.as_str() {
                "truncated" => FaultAction::TruncatedBody,
                "malformed" => FaultAction::MalformedBody,
                "empty" => FaultAction::EmptyOk,
                other => {
                    report(
                        "response",
                        format!("unknown `{other}`; expected \"truncated\", \"malformed\" or \"empty\""),
                    );
                    FaultAction::EmptyOk
                }
            }
        } else if let Some(session) = &spec.session {
            match session.as_str() {
                "revoke" => FaultAction::RevokeSession,
                "expire" => FaultAction::ExpireToken,
                other => {
                    report("session", format!("unknown `{other}`; expected \"revoke\" or \"expire\""));
                    FaultAction::RevokeSession
                }
            }
        } else if spec.status.is_some() || retry_after.is_some() {
            let status = spec.status.unwrap_or(429);
            if !FAULT_STATUSES.contains(&status) {
                let why = if (100..=199).contains(&status) {
                    "is an interim (1xx) status, which would leave the client out of step"
                } else {
                    "is not an HTTP status"
                };
                report("status", format!("{status} {why}; a fault answers a final status, 200-599"));
            }
            if is_bodiless(status) {
                for (key, given) in
                    [("body", spec.body.is_some()), ("content_type", spec.content_type.is_some())]
                {
                    if given {
                        report(key, format!("a {status} answer has no body; leave out `{key}`"));
                    }
                }
            }
            if retry_after.is_some() && status != 429 && status != 503 {
                report("retry_after", "only goes with status 429 or 503".into());
            }
            FaultAction::Status {
                status,
                body: spec.body.clone(),
                content_type: spec.content_type.clone(),
                headers: spec.headers.clone().unwrap_or_default().into_iter().collect(),
                retry_after,
            }
        } else if spec.delay.is_some() {
            FaultAction::DelayOnly
        } else {
            report(
                "",
                "a fault needs something to do: `status`, `retry_after`, `delay`, `connection`, `response` or `session`".into(),
            );
            FaultAction::DelayOnly
        };

        if problems.is_empty() {
            Ok(Fault {
                endpoint,
                route,
                method: spec.method.map(|m| m.trim().to_ascii_uppercase()),
                path: spec.path.as_deref().map(normalize_path),
                grant_type: spec.grant_type.map(|g| g.trim().to_ascii_lowercase()),
                user: spec.user.map(|u| u.trim().to_ascii_lowercase()),
                calls,
                times: spec.times,
                delay,
                action,
            })
        } else {
            Err(problems)
        }
    }

    /// The fault as the keys a scenario or the admin API would write.
    pub fn to_spec(&self) -> FaultSpec {
        let mut spec = FaultSpec {
            endpoint: match &self.route {
                Some(route) => Some(format!("{ROUTE_PREFIX}{route}")),
                None => self.endpoint.map(|e| e.name().to_owned()),
            },
            method: self.method.clone(),
            path: self.path.clone(),
            grant_type: self.grant_type.clone(),
            user: self.user.clone(),
            times: self.times,
            delay: self.delay.map(format_duration),
            ..FaultSpec::default()
        };
        match &self.calls {
            CallSelector::Every => {}
            CallSelector::Calls(calls) => spec.calls = Some(calls.clone()),
            CallSelector::After(n) => spec.after = Some(*n),
            CallSelector::EveryNth(n) => spec.every = Some(*n),
            CallSelector::Probability(p) => spec.probability = Some(*p),
        }
        match &self.action {
            FaultAction::DelayOnly => {}
            FaultAction::Status { status, body, content_type, headers, retry_after } => {
                spec.status = Some(*status);
                spec.body.clone_from(body);
                spec.content_type.clone_from(content_type);
                if !headers.is_empty() {
                    spec.headers = Some(headers.iter().cloned().collect());
                }
                spec.retry_after = retry_after.map(format_duration);
            }
            FaultAction::DropConnection => spec.connection = Some("drop".into()),
            FaultAction::ResetConnection => spec.connection = Some("reset".into()),
            FaultAction::TruncatedBody => spec.response = Some("truncated".into()),
            FaultAction::MalformedBody => spec.response = Some("malformed".into()),
            FaultAction::EmptyOk => spec.response = Some("empty".into()),
            FaultAction::RevokeSession => spec.session = Some("revoke".into()),
            FaultAction::ExpireToken => spec.session = Some("expire".into()),
        }
        spec
    }
}

/// `"5s"`, `"1500ms"`, `"1020us"`, `"7ns"`: the coarsest unit that loses nothing, which
/// [`parse_duration`] reads back as the same duration (the fuzzer found "1.020ms" turned into
/// "1ms" when only seconds and milliseconds were written).
fn format_duration(duration: Duration) -> String {
    let nanos = duration.subsec_nanos();
    if nanos == 0 {
        format!("{}s", duration.as_secs())
    } else if nanos.is_multiple_of(1_000_000) {
        format!("{}ms", duration.as_millis())
    } else if nanos.is_multiple_of(1_000) {
        format!("{}us", duration.as_micros())
    } else {
        format!("{}ns", duration.as_nanos())
    }
}

/// A fault's path in the form the HTTP layer routes on (without any query).
fn normalize_path(path: &str) -> String {
    crate::paths::normal(path.split('?').next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(toml_text: &str) -> FaultSpec {
        toml::from_str(toml_text).expect("a fault table")
    }

    #[test]
    fn a_status_fault_reads_and_writes_back_the_same() {
        let fault = Fault::from_spec(spec("endpoint = \"vb365.token\"\ncalls = [2, 3]\nstatus = 503"))
            .expect("valid");
        assert_eq!(fault, Fault::status(503).on(Endpoint::Vb365Token).calls([2, 3]));
        assert_eq!(Fault::from_spec(fault.to_spec()), Ok(fault));
    }

    #[test]
    fn every_problem_is_reported_with_its_key() {
        let problems = Fault::from_spec(spec(
            "endpoint = \"vb365.tokens\"\ncalls = [0]\nevery = 2\nstatus = 503\nconnection = \"drop\"\ndelay = \"5\"",
        ))
        .unwrap_err();
        let keys: Vec<&str> = problems.iter().map(|(key, _)| key.as_str()).collect();
        assert_eq!(keys, ["endpoint", "delay", "calls", "calls", "connection"], "{problems:?}");
    }

    #[test]
    fn retry_after_alone_means_429() {
        let fault = Fault::from_spec(spec("retry_after = \"30s\"")).expect("valid");
        assert_eq!(fault, Fault::too_many_requests(Duration::from_secs(30)));
        assert!(Fault::from_spec(FaultSpec::default()).is_err(), "a fault must do something");
    }

    #[test]
    fn delays_are_bounded() {
        let problems =
            Fault::from_spec(FaultSpec { delay: Some("2h".into()), ..FaultSpec::default() }).unwrap_err();
        assert_eq!(problems[0], ("delay".to_owned(), "a delay can be at most 3600s".to_owned()));
        assert!(
            Fault::from_spec(FaultSpec { retry_after: Some("25h".into()), ..FaultSpec::default() }).is_err()
        );
    }

    #[test]
    fn durations_write_back_without_losing_precision() {
        for text in ["5s", "1500ms", "1.020ms", "7ns", "1h"] {
            let fault = Fault::from_spec(FaultSpec { delay: Some(text.into()), ..FaultSpec::default() })
                .expect("valid");
            assert_eq!(Fault::from_spec(fault.to_spec()), Ok(fault.clone()), "{text}");
        }
    }

    #[test]
    fn interim_and_unknown_statuses_are_refused() {
        for (status, why) in [
            (100, "is an interim (1xx) status, which would leave the client out of step"),
            (103, "is an interim (1xx) status, which would leave the client out of step"),
            (99, "is not an HTTP status"),
            (600, "is not an HTTP status"),
        ] {
            let problems = Fault::from_spec(spec(&format!("status = {status}"))).unwrap_err();
            let expected = format!("{status} {why}; a fault answers a final status, 200-599");
            assert_eq!(problems, [("status".to_owned(), expected)]);
        }
        assert!(Fault::from_spec(spec("status = 200")).is_ok());
        assert!(Fault::from_spec(spec("status = 599")).is_ok());
    }

    #[test]
    fn a_bodiless_status_takes_no_body() {
        let problems =
            Fault::from_spec(spec("status = 204\nbody = \"{}\"\ncontent_type = \"application/json\""))
                .unwrap_err();
        assert_eq!(
            problems,
            [
                ("body".to_owned(), "a 204 answer has no body; leave out `body`".to_owned()),
                ("content_type".to_owned(), "a 204 answer has no body; leave out `content_type`".to_owned()),
            ]
        );
        assert!(Fault::from_spec(spec("status = 304\nheaders = { ETag = '\"x\"' }")).is_ok());
    }

    #[test]
    #[should_panic(expected = "Fault::status(101): a fault answers a final status, 200-599")]
    fn the_builder_refuses_an_interim_status() {
        let _ = Fault::status(101);
    }

    #[test]
    fn a_route_name_reads_and_writes_back_the_same() {
        let fault = Fault::from_spec(spec("endpoint = \"Route.Jobs\"\nstatus = 503")).expect("valid");
        assert_eq!(fault, Fault::status(503).on_route("jobs"));
        assert_eq!(fault.to_spec().endpoint.as_deref(), Some("route.jobs"));
        assert_eq!(Fault::from_spec(fault.to_spec()), Ok(fault));
        // The last of `on` and `on_route` wins: a fault names one endpoint.
        assert_eq!(Fault::status(503).on_route("jobs").on(Endpoint::Vb365Token).route, None);
        assert_eq!(Fault::status(503).on(Endpoint::Vb365Token).on_route("jobs").endpoint, None);
    }

    #[test]
    fn a_malformed_route_name_is_a_problem() {
        for name in ["route.", "route.bad name", "route.jobs?"] {
            let problems =
                Fault::from_spec(spec(&format!("endpoint = \"{name}\"\nstatus = 503"))).unwrap_err();
            let route = &name["route.".len()..];
            assert_eq!(
                problems,
                [(
                    "endpoint".to_owned(),
                    format!("`{route}`: a route name is 1 to 100 letters, digits, `-`, `_` or `.`")
                )]
            );
        }
    }

    #[test]
    #[should_panic(expected = "Fault::on_route: `a b`: a route name is 1 to 100 letters")]
    fn the_builder_refuses_a_malformed_route_name() {
        let _ = Fault::status(503).on_route("a b");
    }

    #[test]
    fn paths_are_normalized_like_requests() {
        assert_eq!(Fault::status(500).on_path("/V8/Token/?x=1").path.as_deref(), Some("/v8/token"));
    }
}
