//! The Node.js tools some integration tests start: Stoplight Prism for the contract test of
//! `tasklist-api` (`crates/tasklist-api/tests/contract`) and the `oidc-provider` OAuth server
//! for the interoperability tests of `tasklist-auth` (`tests/interop/oidc-provider`). Each is
//! pinned by the `package-lock.json` committed in its directory.
//!
//! Each test binary that needs one includes this file with `#[path = "…"] mod node_tools;`.
//! It is test code only: the published crates' packages ship no tests, so nothing here becomes
//! part of their API or their packages.
//!
//! [`require`] installs a tool on first use and returns a guard to hold while the tool runs:
//!
//! - The first use in a checkout runs `npm ci` in the tool's directory; later uses find the
//!   install up to date and run nothing (see [`STAMP`] for how that is known).
//! - `npm ci` runs under an exclusive lock on [`LOCK`] in the tool's directory, and every test
//!   holds a shared lock on it while its tool runs (the guard). Tests running at once, in one
//!   binary or in several, thus never run `npm ci` twice at the same time in one directory,
//!   never start a tool from a half-installed tree, and never have the tree replaced under a
//!   running tool.
//! - Without Node.js 20+ (or without npm 7+ when an install is needed) the test is skipped with
//!   one line on stderr, or fails with that line when [`REQUIRE`] is set to `1`, as
//!   `cargo xtask test` does. A failing `npm ci` (the network, say) is always a failure, with
//!   npm's output; so is one still running after [`NPM_CI_TIMEOUT`], which is killed.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// Set to `1`, a test whose Node.js tools are missing fails instead of being skipped.
pub(crate) const REQUIRE: &str = "TASKLIST_REQUIRE_NODE_TOOLS";

/// The oldest Node.js major version the pinned tools are tested with.
const NODE_MAJOR: u64 = 20;

/// The oldest npm that reads the lock files (`lockfileVersion` 3).
const NPM_MAJOR: u64 = 7;

/// The lock file, in the tool's directory (ignored by git). It is never removed: removing it
/// while another process waits on it would let two installs run at once.
const LOCK: &str = ".install.lock";

/// Written after `npm ci` succeeded: the `package.json` and `package-lock.json` it installed.
/// The install is up to date while the stamp matches the committed files byte for byte.
///
/// A stamp of our own rather than npm's `node_modules/.package-lock.json`: npm rewrites that
/// file in its own format (it differs from the committed lock, so comparing would need npm's
/// rules) and also after a partial or hand-made `npm install`. The stamp is only ever written
/// by the process that ran `npm ci` to success under the lock, so it proves a complete install
/// of exactly these files. It lives inside `node_modules`, so removing that directory (or
/// `npm ci`, which empties it first) removes the stamp too: an interrupted install leaves no
/// stamp and is done again next time.
const STAMP: &str = "node_modules/.tasklist-npm-ci";

const NPM: &str = if cfg!(windows) { "npm.cmd" } else { "npm" };

/// How long `npm ci` may run before it is killed and the install fails: the other tests wait
/// on the lock it holds, so a stalled download must not keep them waiting forever.
const NPM_CI_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// A tool installed with `npm ci` from its directory's lock file.
pub(crate) struct Tool<'a> {
    /// What it is, for messages: `Stoplight Prism`.
    pub(crate) name: &'a str,
    /// Its directory, relative to the workspace root, with `/` separators.
    pub(crate) dir: &'a str,
}

/// Proof that a tool is installed; hold it while the tool runs, so that no `npm ci` replaces
/// the tree under it.
pub(crate) struct Installed {
    _shared: File,
}

/// Why a tool is not ready.
enum Problem {
    /// Node.js or npm is missing or too old: a skip, unless [`REQUIRE`] is set.
    Missing(String),
    /// Anything else, `npm ci` failing included: a failure.
    Failed(String),
}

/// Makes sure `tool` is installed (running `npm ci` if it is not) and returns the guard to hold
/// while it runs. Returns `None` after printing why when Node.js or npm is missing or too old:
/// the caller returns, and the test passes as skipped. Panics instead when [`REQUIRE`] is set,
/// and always when the install fails for another reason.
pub(crate) fn require(workspace: &Path, tool: &Tool<'_>) -> Option<Installed> {
    match prepare(&workspace.join(tool.dir), tool) {
        Ok(installed) => Some(installed),
        Err(Problem::Failed(message)) => panic!("{message}"),
        Err(Problem::Missing(what)) => {
            let message = format!(
                "{} needs Node.js {NODE_MAJOR}+ and npm, but {what}; install Node.js \
                 {NODE_MAJOR}+ with npm (https://nodejs.org/), and the test installs {} on first \
                 use with `npm ci --prefix {}`",
                tool.name, tool.name, tool.dir
            );
            if required() {
                panic!("{message}; {REQUIRE}=1 is set, so this fails instead of skipping");
            }
            let test = std::thread::current()
                .name()
                .filter(|name| *name != "main")
                .map(|name| format!(" {name}"))
                .unwrap_or_default();
            // Straight to the process's stderr: the test harness captures `eprintln!`, and a
            // skip that nobody sees is a silent one.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED{test}: {message}; set {REQUIRE}=1 to fail instead of skipping"
            );
            None
        }
    }
}

fn required() -> bool {
    std::env::var_os(REQUIRE).is_some_and(|value| !value.is_empty() && value != "0")
}

fn prepare(dir: &Path, tool: &Tool<'_>) -> Result<Installed, Problem> {
    // Node.js runs the tool, so it is needed even when the tool is installed already.
    check_node()?;
    let lock_path = dir.join(LOCK);
    let lock = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|e| Problem::Failed(format!("cannot open {}: {e}", lock_path.display())))?;
    let locking =
        |e: std::io::Error| Problem::Failed(format!("cannot lock {}: {e}", lock_path.display()));
    // Twice at most: after an install, the shared lock finds it up to date (installs only
    // ever make the stamp match).
    for _ in 0..2 {
        lock.lock_shared().map_err(locking)?;
        if up_to_date(dir)? {
            return Ok(Installed { _shared: lock });
        }
        lock.unlock().map_err(locking)?;
        check_npm()?;
        lock.lock().map_err(locking)?;
        // Another process may have installed it while this one waited for the lock.
        let installed = if up_to_date(dir)? {
            Ok(())
        } else {
            npm_ci_once(dir, tool)
        };
        lock.unlock().map_err(locking)?;
        installed?;
    }
    Err(Problem::Failed(format!(
        "{} in {} is still not up to date after `npm ci`",
        tool.name, tool.dir
    )))
}

/// The stamp's expected contents: the committed `package.json` and `package-lock.json`.
fn expected_stamp(dir: &Path) -> Result<Vec<u8>, Problem> {
    let mut stamp = Vec::new();
    for name in ["package.json", "package-lock.json"] {
        let path = dir.join(name);
        let contents = fs::read(&path)
            .map_err(|e| Problem::Failed(format!("cannot read {}: {e}", path.display())))?;
        stamp.extend_from_slice(format!("== {name} ({} bytes)\n", contents.len()).as_bytes());
        stamp.extend_from_slice(&contents);
    }
    Ok(stamp)
}

fn up_to_date(dir: &Path) -> Result<bool, Problem> {
    let expected = expected_stamp(dir)?;
    Ok(fs::read(dir.join(STAMP)).is_ok_and(|stamp| stamp == expected))
}

/// [`npm_ci`], unless it failed in `dir` already in this process: then that failure again, so
/// that the other tests of the binary do not each wait for the network to fail once more.
fn npm_ci_once(dir: &Path, tool: &Tool<'_>) -> Result<(), Problem> {
    static FAILED: Mutex<Vec<(PathBuf, String)>> = Mutex::new(Vec::new());
    let earlier = FAILED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .find(|(failed, _)| failed == dir)
        .map(|(_, message)| message.clone());
    if let Some(message) = earlier {
        return Err(Problem::Failed(format!(
            "(failed earlier in this test binary) {message}"
        )));
    }
    let result = npm_ci(dir, tool);
    if let Err(Problem::Failed(message)) = &result {
        FAILED
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((dir.to_path_buf(), message.clone()));
    }
    result
}

/// Runs `npm ci` in `dir` (the caller holds the exclusive lock), then writes the stamp.
fn npm_ci(dir: &Path, tool: &Tool<'_>) -> Result<(), Problem> {
    let expected = expected_stamp(dir)?;
    let mut stderr = std::io::stderr();
    let _ = writeln!(
        stderr,
        "node tools: `npm ci` in {} ({}, first use in this checkout)",
        tool.dir, tool.name
    );
    let started = Instant::now();
    // npm's output goes to a file rather than a pipe: nothing has to drain it while npm runs,
    // and a process npm started that outlives a killed npm cannot keep a read waiting.
    let log_path = std::env::temp_dir().join(format!(
        "tasklist-npm-ci-{}-{}.log",
        std::process::id(),
        tool.dir.replace('/', "-")
    ));
    let log = File::create(&log_path)
        .map_err(|e| Problem::Failed(format!("cannot create {}: {e}", log_path.display())))?;
    let log_err = log
        .try_clone()
        .map_err(|e| Problem::Failed(format!("cannot use {}: {e}", log_path.display())))?;
    let mut child = Command::new(NPM)
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .map_err(|e| {
            let _ = fs::remove_file(&log_path);
            Problem::Missing(cannot_run(NPM, &e))
        })?;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if started.elapsed() < NPM_CI_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                break Err(format!(
                    "did not finish in {} s and was killed",
                    NPM_CI_TIMEOUT.as_secs()
                ));
            }
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                break Err(format!("could not be waited for ({e})"));
            }
        }
    };
    let printed = fs::read(&log_path).unwrap_or_default();
    let _ = fs::remove_file(&log_path);
    let failure = match status {
        Ok(status) if status.success() => None,
        Ok(status) => Some(format!("failed ({status})")),
        Err(why) => Some(why),
    };
    if let Some(failure) = failure {
        return Err(Problem::Failed(format!(
            "`npm ci` in {} {failure}; it printed:\n{}",
            tool.dir,
            String::from_utf8_lossy(&printed)
        )));
    }
    let stamp = dir.join(STAMP);
    fs::write(&stamp, expected)
        .map_err(|e| Problem::Failed(format!("cannot write {}: {e}", stamp.display())))?;
    let _ = writeln!(
        stderr,
        "node tools: `npm ci` in {} done in {:.1} s",
        tool.dir,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `node` runs and is recent enough; checked once per test binary.
fn check_node() -> Result<(), Problem> {
    static NODE: OnceLock<Result<(), String>> = OnceLock::new();
    NODE.get_or_init(|| check_version("node", "Node.js", NODE_MAJOR))
        .clone()
        .map_err(Problem::Missing)
}

/// `npm` runs and is recent enough; checked once per test binary, and only when an install is
/// needed.
fn check_npm() -> Result<(), Problem> {
    static NPM_CHECK: OnceLock<Result<(), String>> = OnceLock::new();
    NPM_CHECK
        .get_or_init(|| check_version(NPM, "npm", NPM_MAJOR))
        .clone()
        .map_err(Problem::Missing)
}

/// Runs `program --version` and compares its major version with `major`; the error says what
/// is missing or too old.
fn check_version(program: &str, name: &str, major: u64) -> Result<(), String> {
    let output = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|e| cannot_run(program, &e))?;
    let version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if !output.status.success() {
        return Err(format!("`{program} --version` failed ({})", output.status));
    }
    let found = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse::<u64>().ok());
    match found {
        Some(found) if found >= major => Ok(()),
        Some(_) => Err(format!("{name} {version} is too old")),
        None => Err(format!(
            "`{program} --version` printed {version:?}, not a version"
        )),
    }
}

fn cannot_run(program: &str, error: &std::io::Error) -> String {
    if error.kind() == std::io::ErrorKind::NotFound {
        format!("`{program}` is not on PATH")
    } else {
        format!("`{program}` cannot be run ({error})")
    }
}
