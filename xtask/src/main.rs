//! Maintenance tasks, run as `cargo xtask <task>`.
//!
//! | task | what it does |
//! |---|---|
//! | `ci` | everything CI runs, in order, stopping at the first failure |
//! | `codegen` | the `tasklist-api` models (v1 and v2 `generated.rs`) from `spec/`; `--check` fails if stale |
//! | `test` | the whole test suite, doc tests included |
//! | `lint` | `cargo fmt --check` and `cargo clippy -D warnings` |
//! | `doc` | the API docs, warnings denied |
//! | `bench` | the benchmarks, whose figures `docs/benchmarks.md` records; `bench stack` the whole client stack against a bare client |
//! | `fuzz` | the fuzz targets of `fuzz/` with `cargo +nightly fuzz`, each for a while; `--smoke` a few seconds each, as CI does |
//! | `dist` | the `tasklist` binary of the `dist` profile, its completion scripts and `SHA256SUMS` in `target/dist/` |
//!
//! Most tasks only run `cargo` with the right arguments; `codegen` reads the vendored API specs
//! and formats its output with the toolchain's `rustfmt` (its dependencies are in `Cargo.toml`).

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod codegen;
mod dist;
mod fuzz;

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  ci      everything CI runs: codegen --check, fmt, clippy, test, doc, fuzz --smoke
  codegen regenerate the tasklist-api models from spec/ (crates/tasklist-api/src/v1/models/
          generated.rs and src/v2/models/generated.rs); with --check, only verify that the
          committed files are up to date
  test    the whole test suite (unit, integration, end-to-end and doc tests)
  lint    cargo fmt --check and cargo clippy with warnings denied
  doc     build the API docs with warnings denied
  bench   run the benchmarks (figures are recorded in docs/benchmarks.md); `bench stack
          [-- --rounds N --requests N --concurrency N --latency-requests N]` only the
          whole client stack against a bare reqwest + serde_json client
  fuzz [--time S] [--smoke] [TARGET...]
          run the fuzz targets of fuzz/ (all by default) with `cargo +nightly fuzz`, S
          seconds each (default 300), corpus in fuzz/corpus/TARGET seeded from
          fuzz/seeds/TARGET; reports executions and crashes per target and fails on a
          crash. --smoke: a quick build (no sanitizer), 2 seconds each unless --time says
          otherwise, and without a nightly toolchain a skip (exit 0) instead of a
          failure. Installs cargo-fuzz when it is missing.
  dist [--target TRIPLE]
          build the `tasklist` binary with the dist profile (LTO, stripped) and write it,
          its shell completions (completions/) and SHA256SUMS to an emptied target/dist/
";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let task = args.first().map(String::as_str);
    let result = match task {
        Some("ci") => ci(),
        Some("codegen") => match args.get(1).map(String::as_str) {
            None => codegen::run(&root(), false),
            Some("--check") => codegen::run(&root(), true),
            Some(other) => Err(format!("unknown codegen option `{other}`\n\n{USAGE}")),
        },
        Some("test") => test(),
        Some("lint") => lint(),
        Some("doc") => doc(),
        Some("bench") => bench(&args[1..]),
        Some("fuzz") => fuzz::run(&root(), &args[1..]),
        Some("dist") => dist::run(&root(), &args[1..]),
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
    println!("\n==> cargo xtask codegen --check");
    codegen::run(&root(), true)?;
    lint()?;
    test()?;
    doc()?;
    println!("\n==> cargo xtask fuzz --smoke");
    fuzz::run(&root(), &["--smoke".to_owned()])
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
    // The contract test of `tasklist-api` starts Stoplight Prism as a validating mock of the
    // official spec (`@stoplight/prism-cli`, pinned by its lock file); install it unless it is
    // installed already.
    let prism = root().join("crates/tasklist-api/tests/contract");
    if !prism.join("node_modules/@stoplight/prism-cli").is_dir() {
        println!("\n==> npm ci --prefix {}", prism.display());
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prism)
            .status()
            .map_err(|e| {
                format!("could not run npm (Node.js 20+ is needed for the contract test): {e}")
            })?;
        if !status.success() {
            return Err(format!("`npm ci` in {} failed ({status})", prism.display()));
        }
    }
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

/// `bench`: every benchmark; `bench stack [-- OPTIONS]`: the whole client stack against a bare
/// `reqwest` + `serde_json` client (`tests/benches/stack.rs`).
fn bench(extra: &[String]) -> Result<(), String> {
    let mut args = vec!["bench", "--locked"];
    match extra.first().map(String::as_str) {
        Some("stack") => {
            args.extend(["-p", "tasklist-e2e", "--bench", "stack"]);
            args.extend(extra[1..].iter().map(String::as_str));
        }
        _ => {
            args.push("--workspace");
            args.extend(extra.iter().map(String::as_str));
        }
    }
    cargo(&args, &[])
}
