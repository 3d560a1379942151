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
//! | `release` | bumps crates and their dependents, moves their changelogs, runs the release checks; a dry run unless `--execute` (then commit and tags) |
//! | `publish` | `cargo publish` of the tagged release, in dependency order (never in CI) |
//! | `package` | `cargo package` of every publishable crate and a build from the packaged sources |
//! | `deny` | `cargo deny check licenses bans sources` with `deny.toml`; `--advisories` adds the RustSec advisories |
//! | `metadata` | every publishable crate's crates.io and docs.rs metadata is complete |
//! | `msrv` | the declared `rust-version` is the pinned toolchain; `--full` builds with it |
//! | `dist` | the `tasklist` binary of the `dist` profile, its completion scripts and `SHA256SUMS` in `target/dist/` |
//!
//! Most tasks only run `cargo` with the right arguments; `codegen` reads the vendored API specs
//! and formats its output with the toolchain's `rustfmt` (its dependencies are in `Cargo.toml`).

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod checks;
mod cmd;
mod codegen;
mod dist;
mod fuzz;
mod publish;
mod release;

use std::env;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  ci      everything CI runs: codegen --check, fmt, clippy, test, doc, metadata, msrv,
          package, deny, fuzz --smoke
  codegen regenerate the tasklist-api models from spec/ (crates/tasklist-api/src/v1/models/
          generated.rs and src/v2/models/generated.rs); with --check, only verify that the
          committed files are up to date
  test    the whole test suite (unit, integration, end-to-end and doc tests)
  lint    cargo fmt --check and cargo clippy with warnings denied
  doc     build the API docs with warnings denied
  bench   run the benchmarks (figures are recorded in docs/benchmarks.md); `bench stack
          [-- --rounds N --requests N --concurrency N --latency-requests N]` only the
          whole client stack against a bare reqwest + serde_json client
  release <CRATE...|--all> <major|minor|patch|VERSION> [--execute] [--baseline REV]
          bump the crates and every crate that depends on them, move their CHANGELOG.md
          Unreleased sections under the new versions, and run the release checks (metadata,
          msrv, package, deny, semver), all in a temporary copy; a dry run unless --execute,
          which then commits and tags <crate>-v<version>. `release --help` for more
  publish [--dry-run] [CRATE...]
          cargo publish the tagged release, in dependency order, stopping at the first failure
  package [--full]
          cargo package every publishable crate and check them from the packaged sources
          alone (--full: cargo's own verification, a build of each .crate, as a release does)
  deny [--advisories]
          cargo deny check licenses bans sources (deny.toml); --advisories also checks the
          RustSec advisory database, which it fetches from the network
  metadata
          every publishable crate has its crates.io and docs.rs metadata
  msrv [--full]
          each crate's rust-version is the toolchain rust-toolchain.toml pins; --full also
          builds the crates with it
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
        // Their own parsers take no `-h`: the usage is printed here, and is not a failure.
        Some("release" | "publish") if args[1..].iter().any(|a| a == "-h" || a == "--help") => {
            let usage = if args[0] == "release" {
                release::USAGE
            } else {
                publish::USAGE
            };
            print!("{usage}");
            return ExitCode::SUCCESS;
        }
        Some("release") => release::run(&root(), &args[1..]),
        Some("publish") => publish::run(&root(), &args[1..]),
        Some("package") => depth(&args[1..], "package")
            .and_then(|d| checks::package(&root(), &checks::target_dir(&root()), d)),
        Some("deny") => match args.get(1).map(String::as_str) {
            None => checks::deny(&root(), false),
            Some("--advisories") => checks::deny(&root(), true),
            Some(other) => Err(format!("unknown deny option `{other}`\n\n{USAGE}")),
        },
        Some("metadata") => checks::metadata(&root()),
        Some("msrv") => depth(&args[1..], "msrv")
            .and_then(|d| checks::msrv(&root(), &checks::target_dir(&root()), d)),
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

/// `--full` or nothing, for the checks that have a fast form.
fn depth(args: &[String], task: &str) -> Result<checks::Depth, String> {
    match args {
        [] => Ok(checks::Depth::Fast),
        [full] if full == "--full" => Ok(checks::Depth::Full),
        [other, ..] => Err(format!("unknown {task} option `{other}`\n\n{USAGE}")),
    }
}

/// The workspace root: the parent of this crate's directory.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Reads a file, saying which when it cannot.
fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("could not read {}: {e}", path.display()))
}

/// Writes a file, saying which when it cannot.
fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("could not write {}: {e}", path.display()))
}

/// Runs `cargo` with `args` (and extra environment) in the workspace root.
fn cargo(args: &[&str], envs: &[(&str, &str)]) -> Result<(), String> {
    let envs: Vec<(&str, &OsStr)> = envs.iter().map(|(k, v)| (*k, OsStr::new(*v))).collect();
    cmd::run(&cmd::cargo_program(), args, &root(), &envs)
}

fn ci() -> Result<(), String> {
    println!("\n==> cargo xtask codegen --check");
    codegen::run(&root(), true)?;
    lint()?;
    test()?;
    doc()?;
    let workspace = root();
    let target = checks::target_dir(&workspace);
    println!("\n==> cargo xtask metadata");
    checks::metadata(&workspace)?;
    println!("\n==> cargo xtask msrv");
    checks::msrv(&workspace, &target, checks::Depth::Fast)?;
    println!("\n==> cargo xtask package");
    checks::package(&workspace, &target, checks::Depth::Fast)?;
    println!("\n==> cargo xtask deny");
    checks::deny(&workspace, false)?;
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
    // xtask's own tests show `cargo semver-checks` refusing a breaking change; install it
    // here, where the time it takes (about five minutes) is shown, rather than in the test.
    cmd::ensure_cargo_tool(
        "semver-checks",
        "cargo-semver-checks",
        checks::CARGO_SEMVER_CHECKS_VERSION,
    )?;
    // The tests that start Node.js tools (Stoplight Prism for the contract test of
    // `tasklist-api`, the OAuth server for the interop tests of `tasklist-auth`) install them
    // with `npm ci` on first use (`tests/support/node_tools.rs`), and skip without Node.js
    // unless this is set: here they fail instead, so the suite never skips them silently.
    cargo(
        &["test", "--workspace", "--all-features", "--locked"],
        &[(REQUIRE_NODE_TOOLS, "1")],
    )
}

/// The variable that makes a test fail, instead of skipping, when its Node.js tools are missing.
const REQUIRE_NODE_TOOLS: &str = "TASKLIST_REQUIRE_NODE_TOOLS";

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The `cargo xtask` alias's arguments, as cargo splits them (a string alias on spaces).
    fn xtask_alias() -> Vec<String> {
        let path = root().join(".cargo/config.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: toml_edit::DocumentMut = text.parse().unwrap();
        let alias = &doc["alias"]["xtask"];
        if let Some(line) = alias.as_str() {
            line.split_whitespace().map(str::to_owned).collect()
        } else {
            let array = alias
                .as_array()
                .expect("alias.xtask is a string or an array");
            array
                .iter()
                .map(|arg| arg.as_str().unwrap().to_owned())
                .collect()
        }
    }

    /// With `--quiet`, cargo prints nothing while xtask compiles, and a first `cargo xtask …`
    /// looks hung for a minute; the alias must let cargo show its progress.
    #[test]
    fn the_xtask_alias_lets_cargo_show_its_progress() {
        let args = xtask_alias();
        let cargo_args: Vec<&String> = args.iter().take_while(|arg| *arg != "--").collect();
        for arg in &cargo_args {
            let short_quiet = arg.starts_with('-') && !arg.starts_with("--") && arg.contains('q');
            assert!(
                *arg != "--quiet" && !short_quiet,
                "the xtask alias in .cargo/config.toml passes `{arg}`: {args:?}"
            );
        }
        assert_eq!(
            cargo_args.first().map(|arg| arg.as_str()),
            Some("run"),
            "{args:?}"
        );
        assert!(
            cargo_args
                .windows(2)
                .any(|pair| ["--package", "-p"].contains(&pair[0].as_str()) && pair[1] == "xtask"),
            "{args:?}"
        );
    }

    /// `cargo xtask test` sets the variable the Node.js tools' helper reads.
    #[test]
    fn the_test_task_sets_the_variable_the_node_tools_helper_reads() {
        let helper = std::fs::read_to_string(root().join("tests/support/node_tools.rs")).unwrap();
        assert!(
            helper.contains(&format!("\"{REQUIRE_NODE_TOOLS}\"")),
            "tests/support/node_tools.rs does not read {REQUIRE_NODE_TOOLS}"
        );
    }
}
