//! Maintenance tasks, run as `cargo xtask <task>`.
//!
//! | task | what it does |
//! |---|---|
//! | `ci` | everything CI runs, in order, stopping at the first failure |
//! | `test` | the whole test suite, doc tests included |
//! | `lint` | `cargo fmt --check` and `cargo clippy -D warnings` |
//! | `doc` | the API docs, warnings denied |
//! | `bench` | the benchmarks, whose figures `docs/benchmarks.md` records |
//!
//! It has no dependencies: it only runs `cargo` with the right arguments, so it builds in
//! seconds on a fresh machine.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  ci      everything CI runs: fmt, clippy, test, doc
  test    the whole test suite (unit, integration, end-to-end and doc tests)
  lint    cargo fmt --check and cargo clippy with warnings denied
  doc     build the API docs with warnings denied
  bench   run the benchmarks (figures are recorded in docs/benchmarks.md)
";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let task = args.first().map(String::as_str);
    let result = match task {
        Some("ci") => ci(),
        Some("test") => test(),
        Some("lint") => lint(),
        Some("doc") => doc(),
        Some("bench") => bench(&args[1..]),
        Some("-h" | "--help" | "help") | None => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown task `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's directory.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Runs `cargo` with `args` (and extra environment) in the workspace root.
fn cargo(args: &[&str], envs: &[(&str, &str)]) -> Result<(), String> {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let shown = format!("cargo {}", args.join(" "));
    let prefix: String = envs.iter().map(|(k, v)| format!("{k}={v} ")).collect();
    println!("\n==> {prefix}{shown}");
    let started = Instant::now();
    let status = Command::new(cargo)
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(root())
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    println!("<== {shown}: {status} in {:.1?}", started.elapsed());
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{prefix}{shown}` failed ({status})"))
    }
}

fn ci() -> Result<(), String> {
    lint()?;
    test()?;
    doc()
}

fn lint() -> Result<(), String> {
    cargo(&["fmt", "--all", "--", "--check"], &[])?;
    cargo(
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )
}

/// `cargo test` rather than nextest: it also runs the doc tests, which are part of the suite.
fn test() -> Result<(), String> {
    interop_server()?;
    cargo(&["test", "--workspace", "--all-features", "--locked"], &[])
}

/// Installs the independent OAuth server the auth crate's interoperability tests start
/// (`oidc-provider`, pinned by its lock file), unless it is installed already.
fn interop_server() -> Result<(), String> {
    let dir = root().join("tests/interop/oidc-provider");
    if dir.join("node_modules/oidc-provider").is_dir() {
        return Ok(());
    }
    println!("\n==> npm ci --prefix {}", dir.display());
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(&dir)
        .status()
        .map_err(|e| {
            format!("could not run npm (Node.js 20+ is needed for the interop tests): {e}")
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`npm ci` in {} failed ({status})", dir.display()))
    }
}

fn doc() -> Result<(), String> {
    cargo(
        &[
            "doc",
            "--workspace",
            "--no-deps",
            "--all-features",
            "--locked",
        ],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )
}

fn bench(extra: &[String]) -> Result<(), String> {
    let mut args = vec!["bench", "--workspace", "--locked"];
    args.extend(extra.iter().map(String::as_str));
    cargo(&args, &[])
}
