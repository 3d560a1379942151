//! Running the tools a task drives (`cargo`, `git`, `tar`) in a given directory, with the
//! command shown before it runs and its outcome after.

use std::env;
use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// The `cargo` that runs this task (so that `cargo +toolchain xtask` stays on that toolchain).
pub(crate) fn cargo_program() -> String {
    env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Runs `program args` in `dir` with extra `envs`, its output going to the terminal; fails
/// with the command line when it cannot start or exits unsuccessfully.
pub(crate) fn run<S: AsRef<OsStr>>(
    program: &str,
    args: &[S],
    dir: &Path,
    envs: &[(&str, &OsStr)],
) -> Result<(), String> {
    let shown = shown(program, args);
    let prefix: String = envs
        .iter()
        .map(|(k, v)| format!("{k}={} ", v.to_string_lossy()))
        .collect();
    println!("\n==> {prefix}{shown}  (in {})", dir.display());
    let started = Instant::now();
    let status = Command::new(program)
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(dir)
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    println!("<== {shown}: {status} in {:.1?}", started.elapsed());
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{prefix}{shown}` failed ({status}) in {}",
            dir.display()
        ))
    }
}

/// Runs `program args` in `dir` and returns its standard output; its standard error goes to
/// the terminal. Fails with the command line and what it printed when it exits unsuccessfully.
pub(crate) fn output<S: AsRef<OsStr>>(
    program: &str,
    args: &[S],
    dir: &Path,
) -> Result<String, String> {
    let shown = shown(program, args);
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        Ok(stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(format!(
            "`{shown}` failed ({}) in {}:\n{}{}",
            output.status,
            dir.display(),
            stdout.trim_end(),
            stderr.trim_end()
        ))
    }
}

/// Whether `program args` runs and exits successfully (a probe: nothing is printed).
pub(crate) fn succeeds(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Makes sure the cargo subcommand `cargo-<name>` is installed, installing `package` at
/// `version` (with `--locked`) when it is not.
pub(crate) fn ensure_cargo_tool(name: &str, package: &str, version: &str) -> Result<(), String> {
    let cargo = cargo_program();
    if succeeds(&cargo, &[name, "--version"]) {
        return Ok(());
    }
    println!("\n`cargo {name}` is not installed: installing {package} {version}");
    run(
        &cargo,
        &["install", "--locked", package, "--version", version],
        &crate::root(),
        &[],
    )
}

fn shown<S: AsRef<OsStr>>(program: &str, args: &[S]) -> String {
    let mut line = program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(program)
        .to_owned();
    for arg in args {
        line.push(' ');
        line.push_str(&arg.as_ref().to_string_lossy());
    }
    line
}
