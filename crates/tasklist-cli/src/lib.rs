//! The `tasklist` command-line tool: a client of the Camunda 8 Tasklist REST API built on
//! `tasklist-api`, `tasklist-auth` and `tasklist-transport`, with a built-in sandbox from
//! `tasklist-testkit`.
//!
//! The binary's documentation (commands, flags, variables, exit codes) is on the `tasklist`
//! binary target and in `tasklist --help`; this library only holds its parts, and its one
//! public item is [`main`], which the binary calls.
//!
//! # Dependencies
//!
//! - `tasklist-api`, `tasklist-auth`, `tasklist-transport`: every HTTP request and every way to
//!   authenticate; the tool adds none of its own.
//! - `tasklist-testkit`: the in-process Tasklist of `--sandbox` and `sandbox serve`.
//! - `clap` (derive; `wrap_help`, which wraps help to the terminal's width), `clap_complete`:
//!   the command line and its completion scripts.
//! - `toml`, `dirs`: the config file and the user's config and state directories.
//! - `comfy-table`, `anstyle`, `indicatif`: tables, colours, the progress spinner.
//! - `rpassword`: secret prompts without echo.
//! - `secrecy`, `sha2`, `hex`, `base64`: secrets kept out of output; session file names;
//!   reading a bearer token's claims.
//! - `serde`, `serde_json` (`raw_value`): output, and variable values kept exact.
//! - `tokio`, `futures`: the runtime and the stream of task pages. `tempfile`: the sandbox's
//!   token cache. `tracing-subscriber`: `RUST_LOG` diagnostics on stderr. `url`:
//!   the login URL.

mod api_cache;
mod cli;
mod commands;
mod config;
mod connect;
mod error;
mod exit;
mod output;
mod sandbox;
mod vars;

use std::process::ExitCode;

use tasklist_transport::redact::Redacting;

use crate::cli::{Cli, Command, SandboxCommand};
use crate::commands::Context;
use crate::config::Settings;
use crate::error::CliError;
use crate::exit::Exit;
use crate::output::Output;

/// Runs the tool with the process's arguments and environment and returns its exit code.
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     tasklist_cli::main()
/// }
/// ```
pub fn main() -> ExitCode {
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Usage.into()
            } else {
                Exit::Success.into()
            };
        }
    };
    let verbose = cli.global.verbose;
    init_tracing(verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let error = CliError::new(Exit::Failure, format!("cannot start the runtime: {e}"));
            output::report(&error, verbose);
            return error.exit().into();
        }
    };
    let result = runtime.block_on(run(cli));
    // A token renewal may still run in the background (the command was served a valid token
    // meanwhile), possibly waiting on another process's lock: the process does not wait for
    // it.
    runtime.shutdown_background();
    match result {
        Ok(()) => Exit::Success.into(),
        // A reader that went away (`tasklist … | head`) is not a failure.
        Err(e) if e.is_broken_pipe() => Exit::Success.into(),
        Err(e) => {
            output::report(&e, verbose);
            e.exit().into()
        }
    }
}

/// Logs to stderr: `RUST_LOG` when set, else nothing but errors (warnings too with
/// `--verbose`), so that a failure reads as its one `error:` line. The HTTP stack's own logs
/// stay at `info` at most, whatever `RUST_LOG` says, so that no header or body is ever logged.
fn init_tracing(verbose: bool) {
    use tracing_subscriber::EnvFilter;

    let mut filter = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .and_then(|v| EnvFilter::try_new(v).ok())
        .unwrap_or_else(|| EnvFilter::new(if verbose { "warn" } else { "error" }));
    for directive in [
        "hyper=info",
        "hyper_util=info",
        "h2=info",
        "reqwest=info",
        "rustls=info",
        "axum=info",
        "tower=info",
    ] {
        if let Ok(directive) = directive.parse() {
            filter = filter.add_directive(directive);
        }
    }
    // Each line is scrubbed of the secrets the process knows, then its control characters
    // (a server's text may carry terminal escapes) are shown escaped; the logs are therefore
    // never coloured, since colours are escapes too.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| Redacting::new(output::LogLines))
        .with_ansi(false)
        .with_target(false)
        .without_time()
        .try_init();
}

async fn run(cli: Cli) -> Result<(), CliError> {
    let serve = matches!(cli.command, Command::Sandbox(SandboxCommand::Serve { .. }));
    if let Some(version) = cli.global.sandbox_version
        && !cli.global.sandbox
        && !serve
    {
        return Err(CliError::usage(format!(
            "--sandbox-version {} chooses the version of the built-in sandbox, but no sandbox runs",
            clap::ValueEnum::to_possible_value(&version)
                .map(|v| v.get_name().to_owned())
                .unwrap_or_default()
        ))
        .hint("add --sandbox, or run `tasklist sandbox serve --sandbox-version VERSION`"));
    }
    let version = cli
        .global
        .sandbox_version
        .map_or_else(tasklist_testkit::Profile::default, Into::into);
    match &cli.command {
        Command::Completions { shell } => return commands::other::completions(*shell),
        Command::Sandbox(SandboxCommand::Serve { port, tasks }) => {
            if cli.global.sandbox {
                return Err(CliError::usage(
                    "`sandbox serve` starts its own sandbox; drop --sandbox",
                ));
            }
            return commands::other::sandbox_serve(&cli.global, *port, *tasks, version).await;
        }
        _ => {}
    }
    let sandbox = if cli.global.sandbox {
        Some(sandbox::Sandbox::start(0, sandbox::DEFAULT_TASKS, true, version).await?)
    } else {
        None
    };
    let env = |name: &str| std::env::var(name).ok();
    let settings =
        match Settings::resolve(&cli.global, &env, sandbox.as_ref().map(|s| s.settings())) {
            Ok(settings) => settings,
            Err(e) => {
                if let Some(sandbox) = sandbox {
                    sandbox.stop().await;
                }
                return Err(e);
            }
        };
    let ctx = Context {
        out: Output::new(settings.output_format().value),
        hints: connect::hint_context(&settings),
        settings,
    };
    let result = commands::run(cli.command, &ctx).await;
    if let Some(sandbox) = sandbox {
        sandbox.stop().await;
    }
    result
}
