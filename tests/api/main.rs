//! Integration tests: one binary, one module per concern, each driving a real server over HTTP.

mod antiforgery;
mod bad_input;
mod bearer;
mod cli;
mod helpers;
mod logout;
mod refresh;
mod runtimes;
mod token;
