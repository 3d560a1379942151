#![doc = include_str!("../README.md")]
//!
//! # This library
//!
//! The `tasklist` command-line tool: a client of the Camunda 8 Tasklist REST API built on
//! `tasklist-api`, `tasklist-auth` and `tasklist-transport`, with a built-in sandbox from
//! `tasklist-testkit` (the default feature `sandbox`; a build without it says so when asked
//! for the sandbox).
//!
//! The binary's documentation (commands, flags, variables, exit codes) is on the `tasklist`
//! binary target and in `tasklist --help`; this library only holds its parts, and its one
//! public item is [`main`], which the binary calls.

mod api_cache;
mod cli;
mod commands;
mod config;
mod connect;
mod environment;
mod error;
mod exit;
mod output;
#[cfg(feature = "sandbox")]
mod sandbox;
mod vars;

use std::process::ExitCode;

use tasklist_transport::redact::Redacting;

use crate::cli::{Cli, Command};
use crate::commands::context::Context;
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

    let mut filter = std::env::var(environment::RUST_LOG)
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
    #[cfg(not(feature = "sandbox"))]
    refuse_sandbox(&cli)?;
    #[cfg(feature = "sandbox")]
    let version = sandbox::version(&cli.global, matches!(cli.command, Command::Sandbox(_)))?;
    match &cli.command {
        Command::Completions { shell } => return commands::other::completions(*shell),
        #[cfg(feature = "sandbox")]
        Command::Sandbox(cli::SandboxCommand::Serve { port, tasks }) => {
            if cli.global.sandbox {
                return Err(CliError::usage(
                    "`sandbox serve` starts its own sandbox; drop --sandbox",
                ));
            }
            return commands::other::sandbox_serve(&cli.global, *port, *tasks, version).await;
        }
        _ => {}
    }
    #[cfg(feature = "sandbox")]
    let sandbox = if cli.global.sandbox {
        Some(sandbox::Sandbox::start(0, cli::DEFAULT_TASKS, true, version).await?)
    } else {
        None
    };
    let env = |name: &str| std::env::var(name).ok();
    #[cfg(feature = "sandbox")]
    let resolved = match &sandbox {
        Some(sandbox) => Settings::resolve_for_sandbox(&cli.global, &env, sandbox.settings()),
        None => Settings::resolve(&cli.global, &env),
    };
    #[cfg(not(feature = "sandbox"))]
    let resolved = Settings::resolve(&cli.global, &env);
    let result = match resolved {
        Ok(settings) => {
            let ctx = Context {
                out: Output::new(settings.output_format().value),
                hints: settings.hints(),
                settings,
            };
            commands::run(cli.command, &ctx).await
        }
        Err(e) => Err(e),
    };
    #[cfg(feature = "sandbox")]
    if let Some(sandbox) = sandbox {
        sandbox.stop().await;
    }
    result
}

/// Refuses `--sandbox`, `--sandbox-version` and `sandbox serve` in a build without the
/// sandbox (the `sandbox` feature).
#[cfg(not(feature = "sandbox"))]
fn refuse_sandbox(cli: &Cli) -> Result<(), CliError> {
    let asked = if matches!(cli.command, Command::Sandbox(_)) {
        Some("`tasklist sandbox serve`")
    } else if cli.global.sandbox {
        Some("--sandbox")
    } else if cli.global.sandbox_version.is_some() {
        Some("--sandbox-version")
    } else {
        None
    };
    match asked {
        Some(what) => Err(CliError::usage(format!(
            "{what} needs the built-in sandbox, and this build of tasklist has none"
        ))
        .hint(
            "install a build with the `sandbox` feature (a default one, e.g. `cargo install \
             tasklist-cli`), or connect to a Tasklist with --base-url",
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
#[cfg(not(feature = "sandbox"))]
mod tests {
    use super::*;

    fn refused(args: &[&str]) -> Option<CliError> {
        let args = std::iter::once("tasklist")
            .chain(args.iter().copied())
            .map(Into::into)
            .collect();
        let cli = cli::parse_from(args).unwrap();
        refuse_sandbox(&cli).err()
    }

    #[test]
    fn a_build_without_the_sandbox_says_so() {
        for (args, what) in [
            (&["--sandbox", "tasks", "search"][..], "--sandbox"),
            (&["sandbox", "serve"], "`tasklist sandbox serve`"),
            (
                &["--sandbox-version", "8.8", "config", "show"],
                "--sandbox-version",
            ),
        ] {
            let err = refused(args).unwrap();
            assert_eq!(err.exit(), Exit::Usage, "{args:?}");
            let line = err.line();
            assert!(line.starts_with(what), "{line}");
            assert!(line.contains("this build of tasklist has none"), "{line}");
            assert!(line.contains("--base-url"), "{line}");
        }
        assert!(refused(&["tasks", "search"]).is_none());
    }
}
