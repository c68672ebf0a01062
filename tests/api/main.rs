//! Integration tests: one binary, one module per concern, each driving a real server over HTTP.

mod admin;
mod antiforgery;
mod azure_endpoints;
mod azure_errors;
mod azure_grants;
mod azure_helpers;
mod azure_mfa;
mod azure_refresh;
mod azure_token;
mod bad_input;
mod bearer;
#[cfg(feature = "cli")]
mod cli;
mod concurrency;
mod declared;
mod declared_control;
mod declared_explore;
mod documents;
#[cfg(feature = "cli")]
mod drift;
mod explorer;
mod faults;
mod fidelity;
#[cfg(feature = "fuzzing")]
mod fuzz_replay;
mod grants;
mod helpers;
#[cfg(feature = "cli")]
mod https;
mod journal;
mod legacy;
mod limits;
mod logout;
mod refresh;
mod restore_sessions;
mod runtimes;
mod samples;
mod scenario_size;
mod time_range;
mod token;
mod vbr_declared;
mod vbr_errors;
mod vbr_helpers;
mod vbr_routing;
mod vbr_sessions;
mod vbr_token;
mod versions;
