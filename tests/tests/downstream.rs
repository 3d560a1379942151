//! The crates as a downstream team takes them, from their READMEs alone: two tiny crates are
//! written from the README examples (the `Cargo.toml` lines and the complete program, as
//! printed) and built outside this workspace, where only what a crate names resolves.
//!
//! - `auth-alone` depends on `tasklist-auth` only and searches an Operate-like endpoint (the
//!   testkit serves Operate's process-definition search), configured from the environment.
//! - `api-testkit` depends on `tasklist-api`, with `tasklist-testkit` for its tests, and runs
//!   the testkit README's program, which tests an application function against a local
//!   Camunda.
//!
//! The published names (`tasklist-auth = "0.1"`) are pointed at this checkout with
//! `[patch.crates-io]`; the build is offline, from the versions of this workspace's lock file.
//! It has its own target directory (`target/downstream`), since its dependency features are
//! not this workspace's.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use tasklist_auth::env;
use tasklist_testkit::{OAuthClient, TestServer};

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The first fenced block of `readme` whose info string starts with `lang`, as a program:
/// rustdoc's hidden lines (`# code`) are shown, as the compiler sees them.
fn block(readme: &str, lang: &str) -> String {
    let mut lines = readme.lines();
    lines
        .by_ref()
        .find(|line| {
            line.strip_prefix("```")
                .is_some_and(|info| info.split(',').next() == Some(lang))
        })
        .unwrap_or_else(|| panic!("the README has no ```{lang} block"));
    let mut out = String::new();
    for line in lines.take_while(|line| !line.starts_with("```")) {
        let shown = if lang != "rust" {
            line
        } else if line == "#" {
            ""
        } else if let Some(hidden) = line.strip_prefix("# ") {
            hidden
        } else {
            line
        };
        writeln!(out, "{shown}").unwrap();
    }
    out
}

fn readme(krate: &str) -> String {
    std::fs::read_to_string(root().join("crates").join(krate).join("README.md")).unwrap()
}

/// A crate named `name` whose `Cargo.toml` ends with `dependencies` (the README's lines).
fn write_crate(dir: &Path, name: &str, dependencies: &str, file: &str, source: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.join(file).parent().unwrap()).unwrap();
    std::fs::write(
        path.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
             publish = false\n\n{dependencies}"
        ),
    )
    .unwrap();
    std::fs::write(path.join(file), source).unwrap();
}

/// `cargo` with the downstream workspace's target directory, offline.
fn cargo(dir: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .arg("--offline");
    for name in env::ALL {
        command.env_remove(name);
    }
    command
}

fn check(output: &std::process::Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_readme_examples_build_and_run_as_downstream_crates() {
    let dir = root().join("target/downstream");
    std::fs::create_dir_all(&dir).unwrap();
    let mut patch = String::from("[patch.crates-io]\n");
    for krate in [
        "tasklist-transport",
        "tasklist-auth",
        "tasklist-api",
        "tasklist-testkit",
    ] {
        let path = root().join("crates").join(krate).canonicalize().unwrap();
        writeln!(
            patch,
            "{krate} = {{ path = {:?} }}",
            path.display().to_string()
        )
        .unwrap();
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nmembers = [\"auth-alone\", \"api-testkit\"]\nresolver = \"3\"\n\n{patch}"
        ),
    )
    .unwrap();
    // The versions this workspace is tested with; cargo drops what the two crates don't use.
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();

    let auth = readme("tasklist-auth");
    write_crate(
        &dir,
        "auth-alone",
        &block(&auth, "toml"),
        "src/main.rs",
        &block(&auth, "rust"),
    );
    let testkit = readme("tasklist-testkit");
    write_crate(
        &dir,
        "api-testkit",
        &block(&testkit, "toml"),
        "examples/readme.rs",
        &block(&testkit, "rust"),
    );
    // The application under test would live in its src/; the README's program holds it all.
    std::fs::create_dir_all(dir.join("api-testkit/src")).unwrap();
    std::fs::write(dir.join("api-testkit/src/lib.rs"), "").unwrap();

    // Both crates build: every name their code uses resolves from what their README adds.
    let build = cargo(&dir)
        .args(["build", "--quiet", "--workspace", "--all-targets"])
        .output()
        .unwrap();
    check(&build, "building the downstream crates");

    // The auth-only program searches Operate on the testkit, with OAuth from the environment.
    let server = TestServer::builder()
        .clients([OAuthClient::new("worker", "worker-secret", "operate-api")])
        .api_audience("operate-api")
        .tasks(3)
        .start()
        .await
        .unwrap();
    let binary = dir.join("target/debug/auth-alone");
    let run = Command::new(&binary)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env(env::OPERATE_BASE_URL, server.base_url())
        .env(env::OAUTH_URL, server.token_url())
        .env(env::CLIENT_ID, "worker")
        .env(env::CLIENT_SECRET, "worker-secret")
        .env(env::TOKEN_DISK_CACHE_DISABLE, "true")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .output()
        .unwrap();
    check(&run, "the auth-alone program");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.starts_with("200 OK"), "{stdout}");
    assert!(stdout.contains("\"items\""), "{stdout}");
    assert_eq!(server.token_requests(), 1, "one token for the search");

    // The api + testkit program tests an application function against a local Camunda.
    let example = cargo(&dir)
        .args(["run", "--quiet", "-p", "api-testkit", "--example", "readme"])
        .output()
        .unwrap();
    check(&example, "the api-testkit program");
}
