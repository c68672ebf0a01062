//! Integration tests: one binary, one module per concern, each driving a real server over HTTP.

mod antiforgery;
mod bad_input;
mod bearer;
mod cli;
mod grants;
mod helpers;
mod legacy;
mod logout;
mod refresh;
mod restore_sessions;
mod runtimes;
mod token;
mod versions;
