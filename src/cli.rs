//! The command line: `serve` and `validate`. Every flag can also come from an environment
//! variable (useful in containers).
//!
//! Exit codes: 0 success; 1 `validate` found problems; 2 an error (bad flags, a scenario that
//! does not load, a port that cannot be bound).

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use veeam_auth_mock::{Scenario, ScenarioError, ServeOptions};

/// A high-fidelity mock of the Veeam authentication servers.
#[derive(Debug, Parser)]
#[command(name = "veeam-auth-mock", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the mock over HTTP until interrupted.
    Serve(ServeArgs),
    /// Check scenario files and print every problem found.
    Validate {
        /// Scenario files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Ask a running mock whether it answers (exit 0 if so); for container health checks.
    Health {
        /// Port of the mock on 127.0.0.1.
        #[arg(long, env = "VEEAM_AUTH_MOCK_PORT", default_value_t = 8080)]
        port: u16,
        /// Path to ask for.
        #[arg(long, default_value = "/__mock/health")]
        path: String,
    },
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Scenario file (TOML); the embedded default scenario when absent.
    #[arg(long, env = "VEEAM_AUTH_MOCK_SCENARIO")]
    scenario: Option<PathBuf>,
    /// Address to listen on (0.0.0.0 to accept connections from other hosts).
    #[arg(long, env = "VEEAM_AUTH_MOCK_HOST", default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on; 0 picks a free one (the chosen port is printed).
    #[arg(long, env = "VEEAM_AUTH_MOCK_PORT", default_value_t = 8080)]
    port: u16,
    /// Protect the admin API (`/__mock/...`): calls need `Authorization: Bearer <token>`.
    #[arg(long, env = "VEEAM_AUTH_MOCK_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Turn the admin API off.
    #[arg(long, env = "VEEAM_AUTH_MOCK_NO_ADMIN", conflicts_with = "admin_token")]
    no_admin: bool,
    /// Reload the scenario file when it changes (an invalid file is reported and ignored).
    #[arg(long, env = "VEEAM_AUTH_MOCK_WATCH", requires = "scenario")]
    watch: bool,
}

/// Runs the command line and turns the outcome into an exit code.
pub(crate) fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve(args) => serve(args).map(|()| ExitCode::SUCCESS),
        Command::Validate { files } => Ok(validate(&files)),
        Command::Health { port, path } => {
            crate::healthcheck::check(SocketAddr::from(([127, 0, 0, 1], port)), &path).map(|status| {
                println!("healthy: HTTP {status}");
                ExitCode::SUCCESS
            })
        }
    };
    outcome.unwrap_or_else(|err| {
        eprintln!("veeam-auth-mock: {err:#}");
        ExitCode::from(2)
    })
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let scenario = match &args.scenario {
        Some(path) => Scenario::from_path(path).context("cannot load the scenario")?,
        None => Scenario::default(),
    };
    let address = SocketAddr::new(args.host, args.port);
    let mut options = ServeOptions::default();
    if let Some(token) = args.admin_token {
        options = options.admin_token(token);
    }
    if args.no_admin {
        options = options.without_admin();
    }
    let watched = args.scenario.clone().filter(|_| args.watch);
    veeam_auth_mock::serve_blocking(scenario, address, options, |bound, control| {
        println!("listening on http://{bound}");
        let _ = std::io::stdout().flush();
        if let Some(path) = watched {
            crate::watch::spawn(path, control);
        }
    })
    .with_context(|| format!("cannot serve on {address}"))
}

/// Prints each file's verdict and every problem; 1 if any file has a problem.
fn validate(files: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    for file in files {
        let shown = file.display();
        match Scenario::from_path(file) {
            Ok(_) => println!("{shown}: ok"),
            Err(ScenarioError::Read { source, .. }) => {
                failed = true;
                println!("{shown}: cannot read: {source}");
            }
            Err(err) => {
                failed = true;
                for problem in err.problems() {
                    println!("{shown}: {problem}");
                }
            }
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
