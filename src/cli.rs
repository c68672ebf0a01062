//! The command line: `serve`, `validate`, `drift` and the rest. Every flag of `serve` and
//! `health` can also come from an environment variable (useful in containers).
//!
//! Exit codes: 0 success; 1 `validate` found problems; 2 an error (bad flags, an empty or
//! blank admin token, a scenario that does not load, a port that cannot be bound, a `drift`
//! input that is not an OpenAPI 3 JSON document or a journal export).
//!
//! `serve` on an address other than loopback with the admin API on and no admin token prints
//! a warning on stderr at start: the admin API is then open to anyone who can reach the port.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use veeam_auth_mock::ApiDocument;
use veeam_auth_mock::standalone::ServeOptions;
use veeam_auth_mock::{Scenario, ScenarioError, Tls};

/// The environment variable that can give `--admin-token`.
const ADMIN_TOKEN_VAR: &str = "VEEAM_AUTH_MOCK_ADMIN_TOKEN";

/// The environment variable that can give `--scenario-toml`.
const SCENARIO_TOML_VAR: &str = "VEEAM_AUTH_MOCK_SCENARIO_TOML";

/// A high-fidelity mock of the Veeam authentication servers.
#[derive(Debug, Parser)]
#[command(name = "veeam-auth-mock", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the mock over HTTP and HTTPS until interrupted.
    Serve(ServeArgs),
    /// Check scenario files and print every problem found.
    Validate {
        /// Scenario files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the mock's OpenAPI document (JSON) and exit.
    Openapi,
    /// Print the embedded default scenario (TOML) and exit: a starting point for your own, and
    /// what a client that loaded another one can put back (`PUT /__mock/scenario`).
    DefaultScenario,
    /// List what changed between two versions of an OpenAPI 3 document (JSON) that can break
    /// a client: operations removed or added, parameters and body fields newly required,
    /// response fields removed, enum values removed or changed in letter case. A report: exits
    /// 0 whenever both documents load.
    Drift(DriftArgs),
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
struct DriftArgs {
    /// The older document.
    old: PathBuf,
    /// The newer document.
    new: PathBuf,
    /// Only what concerns the calls in this journal export (`GET /__mock/journal`, saved as
    /// JSON): the operations of OLD they reach, and the fields where the journal shows them.
    #[arg(long)]
    journal: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Scenario file (TOML); the embedded default scenario when absent.
    #[arg(long, env = "VEEAM_AUTH_MOCK_SCENARIO")]
    scenario: Option<PathBuf>,
    /// The scenario's TOML text itself, for containers that start before any file can be
    /// mounted (GitHub Actions service containers start before the checkout).
    #[arg(long, env = SCENARIO_TOML_VAR, conflicts_with = "scenario", hide_env_values = true)]
    scenario_toml: Option<String>,
    /// Address to listen on (0.0.0.0 to accept connections from other hosts).
    #[arg(long, env = "VEEAM_AUTH_MOCK_HOST", default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on; 0 picks a free one (the chosen port is printed).
    #[arg(long, env = "VEEAM_AUTH_MOCK_PORT", default_value_t = 8080)]
    port: u16,
    /// Protect the admin API (`/__mock/...`): calls need `Authorization: Bearer <token>`. It
    /// must be visible ASCII (inner spaces allowed), not empty or blank. Without it, the admin API on a non-loopback address is open to
    /// anyone who can reach the port (a warning says so at start).
    #[arg(long, env = ADMIN_TOKEN_VAR, hide_env_values = true)]
    admin_token: Option<String>,
    /// Turn the admin API off.
    #[arg(long, env = "VEEAM_AUTH_MOCK_NO_ADMIN", conflicts_with = "admin_token")]
    no_admin: bool,
    /// Stop when standard input reaches its end: a launcher that keeps a pipe open there (the
    /// Python package does) never leaves a mock behind, even when it is killed.
    #[arg(long, env = "VEEAM_AUTH_MOCK_STOP_WITH_STDIN")]
    stop_with_stdin: bool,
    /// A product's own OpenAPI document (JSON) whose every operation the mock serves behind
    /// real sessions; repeat for more (the environment variable takes a comma-separated list).
    /// Get one from your server's Swagger path (VB365 `/swagger/docs/v8`, VBR
    /// `/swagger/v1.3-rev2/swagger.json`) or from Veeam's documentation.
    #[arg(long = "openapi", env = "VEEAM_AUTH_MOCK_OPENAPI", value_delimiter = ',', value_name = "FILE")]
    openapi: Vec<PathBuf>,
    /// Reload the scenario file when it changes (an invalid file is reported and ignored).
    #[arg(long, env = "VEEAM_AUTH_MOCK_WATCH", requires = "scenario")]
    watch: bool,
    #[command(flatten)]
    tls: TlsArgs,
}

/// HTTPS, on a second port beside HTTP.
#[derive(Debug, clap::Args)]
struct TlsArgs {
    /// HTTPS port (default 4443, VB365's; 0 when --port is 0, so a test gets two free ports).
    #[arg(long, env = "VEEAM_AUTH_MOCK_TLS_PORT")]
    tls_port: Option<u16>,
    /// Serve HTTP only. It wins over the other TLS settings rather than conflicting with them,
    /// so that a container whose image sets VEEAM_AUTH_MOCK_TLS_PORT can still turn HTTPS off.
    #[arg(long, env = "VEEAM_AUTH_MOCK_NO_TLS")]
    no_tls: bool,
    /// More names or IP addresses for the generated certificate (besides localhost and 127.0.0.1).
    #[arg(long = "tls-name", env = "VEEAM_AUTH_MOCK_TLS_NAMES", value_delimiter = ',')]
    tls_name: Vec<String>,
    /// Certificate chain (PEM) to present instead of a generated one; needs --tls-key.
    #[arg(long, env = "VEEAM_AUTH_MOCK_TLS_CERT", requires = "tls_key", conflicts_with = "tls_name")]
    tls_cert: Option<PathBuf>,
    /// Private key (PEM) of --tls-cert.
    #[arg(long, env = "VEEAM_AUTH_MOCK_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Write the certificate the mock presents (PEM) to this file, for clients to trust.
    #[arg(long, env = "VEEAM_AUTH_MOCK_TLS_CERT_OUT")]
    tls_cert_out: Option<PathBuf>,
}

impl TlsArgs {
    /// The HTTPS address and certificate, or `None` with `--no-tls`.
    fn https(&self, host: IpAddr, http_port: u16) -> anyhow::Result<Option<(SocketAddr, Tls)>> {
        if self.no_tls {
            return Ok(None);
        }
        let port = self.tls_port.unwrap_or(if http_port == 0 { 0 } else { 4443 });
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => {
                Tls::from_pem_files(cert, key).context("cannot load the certificate")?
            }
            _ => Tls::self_signed(&self.tls_name).context("cannot make a certificate")?,
        };
        if let Some(out) = &self.tls_cert_out {
            std::fs::write(out, tls.certificate_pem())
                .with_context(|| format!("cannot write the certificate to {}", out.display()))?;
        }
        Ok(Some((SocketAddr::new(host, port), tls)))
    }
}

/// Runs the command line and turns the outcome into an exit code.
pub(crate) fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve(args) => serve(args).map(|()| ExitCode::SUCCESS),
        Command::Validate { files } => Ok(validate(&files)),
        Command::DefaultScenario => {
            print!("{}", veeam_auth_mock::DEFAULT_SCENARIO_TOML);
            Ok(ExitCode::SUCCESS)
        }
        Command::Openapi => {
            println!("{}", veeam_auth_mock::standalone::openapi_json());
            Ok(ExitCode::SUCCESS)
        }
        Command::Drift(args) => drift(&args).map(|()| ExitCode::SUCCESS),
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
    check_admin_token(args.admin_token.as_deref())?;
    if let Some(warning) = exposure_warning(args.host, args.admin_token.is_some(), args.no_admin) {
        eprintln!("{warning}");
    }
    let scenario = match (&args.scenario, &args.scenario_toml) {
        (Some(path), _) => Scenario::from_path(path).context("cannot load the scenario")?,
        (None, Some(text)) => Scenario::from_toml_str(text)
            .with_context(|| format!("cannot load the scenario in --scenario-toml ({SCENARIO_TOML_VAR})"))?,
        (None, None) => Scenario::default(),
    };
    let address = SocketAddr::new(args.host, args.port);
    let https = args.tls.https(args.host, args.port)?;
    let https_address = https.as_ref().map(|(address, _)| *address);
    let mut options = ServeOptions::default();
    if let Some((address, tls)) = https {
        options = options.https(address, tls);
    }
    if let Some(token) = args.admin_token {
        options = options.admin_token(token);
    }
    if args.no_admin {
        options = options.without_admin();
    }
    let mut documents = Vec::new();
    for path in &args.openapi {
        documents.push(ApiDocument::from_path(path).context("cannot load the OpenAPI document")?);
    }
    report_documents(documents.iter().chain(scenario.documents()));
    for document in documents {
        options = options.openapi_document(document);
    }
    let watched = args.scenario.clone().filter(|_| args.watch);
    if args.stop_with_stdin {
        stop_when_stdin_ends();
    }
    veeam_auth_mock::standalone::serve_blocking(scenario, address, options, |bound, control| {
        // Written without println!, which panics (and would stop the server) when whoever
        // started us has stopped reading stdout after the first line.
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "listening on http://{}", bound.http);
        if let Some(https) = bound.https {
            let _ = writeln!(stdout, "listening on https://{https}");
        }
        let _ = stdout.flush();
        if let Some(path) = watched {
            crate::watch::spawn(path, control);
        }
    })
    .with_context(|| match https_address {
        Some(https) => format!("cannot serve on {address} and {https}"),
        None => format!("cannot serve on {address}"),
    })
}

/// Says on stderr which documents are served, and once each what they get wrong.
fn report_documents<'a>(documents: impl Iterator<Item = &'a ApiDocument>) {
    let mut stderr = std::io::stderr().lock();
    for document in documents {
        let _ = writeln!(
            stderr,
            "serving {} {} of {} {} ({}) from {}",
            document.operations(),
            if document.operations() == 1 { "operation" } else { "operations" },
            document.product(),
            document.version(),
            document.title(),
            document.source()
        );
        for note in document.notes() {
            let _ = writeln!(stderr, "note: {}: {note}", document.source());
        }
    }
}

/// Exits the process once standard input ends (EOF or an error: the launcher is gone). Abrupt on
/// purpose: a test mock has nothing to flush, and its launcher cannot be waiting for it.
fn stop_when_stdin_ends() {
    std::thread::spawn(|| {
        let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
        std::process::exit(0);
    });
}

/// Refuses an admin token no client could send (empty or blank, white space at an end, a
/// character outside visible ASCII): it would lock the admin API without saying so. clap treats
/// an empty environment variable as absent, which would silently leave the admin API open
/// instead, so the variable is looked at here too.
fn check_admin_token(flag: Option<&str>) -> anyhow::Result<()> {
    let from_env = std::env::var_os(ADMIN_TOKEN_VAR);
    let problem = match flag {
        Some(token) => ServeOptions::admin_token_problem(token),
        None => from_env.and_then(|value| ServeOptions::admin_token_problem(&value.to_string_lossy())),
    };
    if let Some(problem) = problem {
        let advice = if problem == "is empty" { "give a token" } else { "give another token" };
        anyhow::bail!(
            "the admin token (--admin-token or {ADMIN_TOKEN_VAR}) {problem}; {advice}, unset it, \
             or turn the admin API off with --no-admin"
        );
    }
    Ok(())
}

/// The warning printed at start when the admin API is served, without a token, on an address
/// other hosts can reach: `/__mock/users` hands out every password, and anyone can change the
/// mock. `None` when there is nothing to warn about.
fn exposure_warning(host: IpAddr, has_token: bool, no_admin: bool) -> Option<String> {
    if no_admin || has_token || host.to_canonical().is_loopback() {
        return None;
    }
    Some(format!(
        "veeam-auth-mock: warning: the admin API (/__mock/...) is served on {host} without a token: anyone \
         who can reach this port can change the mock, and /__mock/users shows every password. \
         Protect it with --admin-token <token> (or {ADMIN_TOKEN_VAR}), or turn it off with --no-admin \
         (VEEAM_AUTH_MOCK_NO_ADMIN=true)."
    ))
}

/// Prints the drift from OLD to NEW (narrowed to a journal's calls with `--journal`).
fn drift(args: &DriftArgs) -> anyhow::Result<()> {
    use veeam_auth_mock::apispec::{Document, Report, diff, narrow, read_calls};

    let load = |path: &PathBuf| -> anyhow::Result<Document> {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        Document::from_slice(&bytes).with_context(|| format!("{}", path.display()))
    };
    // The two documents load side by side: reading a 4 MB one is most of the run.
    let (old, new) = std::thread::scope(|scope| {
        let old = scope.spawn(|| load(&args.old));
        let new = load(&args.new);
        (old.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), new)
    });
    let (old, new) = (old?, new?);
    let usage = match &args.journal {
        Some(path) => {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            let calls = read_calls(&bytes)
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("{}", path.display()))?;
            Some(calls)
        }
        None => None,
    };
    let changes = diff(&old, &new);
    let usage = usage.map(|calls| narrow(&old, &changes, &calls));
    let listed = usage.as_ref().map_or(changes.as_slice(), |usage| usage.changes.as_slice());
    let report = Report { old: &old, new: &new, changes: listed, usage: usage.as_ref() };
    let text = if args.json { format!("{:#}\n", report.json()) } else { report.text() };
    // Written without print!, which panics when the reader (`| head`) has gone.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
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
