//! Integration tests: one binary, one module per concern, each driving a real server over HTTP.

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
mod cli;
mod explorer;
mod grants;
mod helpers;
mod https;
mod legacy;
mod logout;
mod refresh;
mod restore_sessions;
mod runtimes;
mod token;
mod versions;
