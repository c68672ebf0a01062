//! The `veeam-auth-mock` binary: parse the command line, run, report errors with their whole
//! cause chain, and exit with a meaningful code.

mod cli;
mod healthcheck;
mod watch;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
