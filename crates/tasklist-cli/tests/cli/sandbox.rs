//! `--sandbox` on a machine with nothing configured, and `sandbox serve`.

use std::io::{BufRead as _, BufReader};
use std::process::Stdio;

use serde_json::Value;

use tasklist_testkit::seed::SeedSpec;
use tasklist_testkit::store::{Store, TaskState};

use crate::common::{Kit, Mode, Run, binary, files_under, id_set, ids};

/// The ids `tasks search --all` finds in a sandbox of `tasks` demo tasks (the generator is
/// deterministic: seed 1, as the sandbox uses; canceled tasks are not listed by default).
fn demo_ids(tasks: usize) -> std::collections::BTreeSet<String> {
    let store = Store::new();
    store.seed(&SeedSpec::new(tasks, 1));
    store
        .tasks()
        .into_iter()
        .filter(|t| t.state != TaskState::Canceled)
        .map(|t| t.id)
        .collect()
}

/// A scratch HOME and an environment holding nothing but PATH and HOME.
fn empty_environment() -> (tempfile::TempDir, std::process::Command) {
    let home = tempfile::Builder::new()
        .prefix("tasklist-sandbox-home-")
        .tempdir()
        .unwrap();
    let mut cmd = std::process::Command::new(binary());
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path());
    (home, cmd)
}

fn run(mut cmd: std::process::Command, args: &[&str]) -> Run {
    cmd.args(args);
    let mut cmd = assert_cmd::Command::from_std(cmd);
    cmd.timeout(std::time::Duration::from_secs(60));
    Run::of(cmd.output().unwrap())
}

#[test]
fn sandbox_search_works_with_an_empty_environment() {
    let (home, cmd) = empty_environment();
    let search = run(cmd, &["--sandbox", "tasks", "search"]);
    search.ok();
    // Not a terminal: JSON, the seeded demo tasks.
    let tasks = search.json();
    let tasks = tasks.as_array().expect("a JSON array of tasks");
    assert_eq!(id_set(tasks), demo_ids(25), "the sandbox's 25 demo tasks");
    // Deterministic: the same tasks every time.
    let (_home2, cmd) = empty_environment();
    let again = run(cmd, &["--sandbox", "tasks", "search"]);
    assert_eq!(ids(again.json().as_array().unwrap()), ids(tasks));
    assert!(search.stderr.is_empty(), "{}", search.stderr);
    // Nothing was written under HOME (the token cache is a temporary directory).
    assert!(
        files_under(home.path()).is_empty(),
        "{:?}",
        files_under(home.path())
    );

    let (_home, cmd) = empty_environment();
    let table = run(
        cmd,
        &["--sandbox", "-o", "table", "tasks", "search", "--all"],
    );
    table.ok();
    assert!(table.stdout.starts_with(" ID") || table.stdout.contains("ID "));
    assert_eq!(table.stdout.lines().count(), demo_ids(25).len() + 1);
}

#[test]
fn every_task_command_runs_in_the_sandbox() {
    let (_home, cmd) = empty_environment();
    let search = run(
        cmd,
        &[
            "--sandbox",
            "tasks",
            "search",
            "--state",
            "created",
            "--assigned",
            "false",
            "--page-size",
            "1",
        ],
    );
    search.ok();
    let id = search.json()[0]["id"].as_str().unwrap().to_owned();
    for (args, code) in [
        (vec!["tasks", "get", &id], 0),
        (vec!["tasks", "assign", &id, "--assignee", "demo"], 0),
        (vec!["tasks", "variables", &id, "--full"], 0),
        (vec!["auth", "check"], 0),
        (vec!["tasks", "get", "0"], 4),
    ] {
        let (_home, cmd) = empty_environment();
        let mut all = vec!["--sandbox"];
        all.extend(args.iter().copied());
        let result = run(cmd, &all);
        result.code(code);
        // The sandbox's tokens never show.
        assert!(!result.stdout.contains("eyJ") && !result.stderr.contains("eyJ"));
    }
    let (_home, cmd) = empty_environment();
    let shown = run(cmd, &["--sandbox", "config", "show", "-o", "json"]);
    shown.ok();
    let settings = shown.json();
    assert_eq!(settings["baseUrl"]["source"], "sandbox");
    assert_eq!(settings["auth"]["value"], "OAUTH");
    assert_eq!(settings["clientSecret"]["value"], "<set, from sandbox>");
}

/// A `sandbox serve` process this test started; killed (by its own handle) if the test fails
/// before stopping it.
struct Serving(Option<std::process::Child>);

impl Drop for Serving {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn sandbox_serve_prints_the_environment_to_reach_it() {
    let (_home, mut cmd) = empty_environment();
    cmd.args([
        "sandbox",
        "serve",
        "--port",
        "0",
        "--tasks",
        "7",
        "--sandbox-version",
        "8.9",
        "-o",
        "jsonl",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut serving = Serving(Some(cmd.spawn().unwrap()));
    let child = serving.0.as_mut().unwrap();
    let stdout = child.stdout.take().unwrap();
    let pid = child.id();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let doc: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    let environment = doc["environment"].as_object().unwrap().clone();
    assert_eq!(doc["tasks"], 7);
    assert_eq!(doc["version"], "8.9");
    for name in [
        "CAMUNDA_TASKLIST_BASE_URL",
        "CAMUNDA_OAUTH_URL",
        "CAMUNDA_CLIENT_ID",
        "CAMUNDA_CLIENT_SECRET",
    ] {
        assert!(environment.contains_key(name), "{name} in {doc}");
    }

    // Another process, given that environment, reaches it.
    let (_home2, mut client) = empty_environment();
    for (name, value) in &environment {
        client.env(name, value.as_str().unwrap());
    }
    // Pinned to v1: one of the demo tasks is a job-worker task, which only v1 lists.
    client.env("TASKLIST_API", "v1");
    let search = run(client, &["tasks", "search", "--all", "-o", "jsonl"]);
    let (_home3, mut checker) = empty_environment();
    for (name, value) in &environment {
        checker.env(name, value.as_str().unwrap());
    }
    let check = run(checker, &["auth", "check", "-o", "json"]);
    // Stop the server this test started, by its process id, as Ctrl-C would.
    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let stopped = serving.0.take().unwrap().wait_with_output().unwrap();
    assert!(stopped.status.success(), "{stopped:?}");
    assert!(
        String::from_utf8_lossy(&stopped.stderr).contains("The sandbox has stopped."),
        "{stopped:?}"
    );
    search.ok();
    assert_eq!(id_set(&search.jsonl()), demo_ids(7));
    check.ok();
    assert_eq!(check.json()["taskApi"], "v2");
    assert_eq!(check.json()["camundaVersion"], "8.9.0");
}

/// `sandbox serve` prints the testkit's `export` lines: those of `TestServer::export_lines` for
/// a server of the sandbox's settings (the testkit's defaults), which the testkit's own tests
/// find the `tasklist-testkit` binary printing too; the lines `docs/cli.md` shows; and lines
/// that `sh` takes.
#[test]
fn sandbox_serve_prints_the_export_lines_of_the_testkit() {
    let (_home, mut cmd) = empty_environment();
    cmd.args(["sandbox", "serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut serving = Serving(Some(cmd.spawn().unwrap()));
    let stdout = serving.0.as_mut().unwrap().stdout.take().unwrap();
    let mut lines = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        let done = line == "Press Ctrl-C to stop.";
        lines.push(line);
        if done {
            break;
        }
    }
    drop(serving);
    let exports: Vec<String> = lines
        .iter()
        .filter(|line| line.starts_with("export "))
        .cloned()
        .collect();
    let base_url = exports
        .first()
        .and_then(|line| line.strip_prefix("export CAMUNDA_TASKLIST_BASE_URL="))
        .unwrap_or_else(|| panic!("no base URL first in {lines:?}"))
        .to_owned();

    // The testkit's defaults are OAuth, as the sandbox's.
    let kit = Kit::with(Mode::OAuth, tasklist_testkit::TestServer::builder());
    let server = kit.server();
    let expected: Vec<String> = server
        .export_lines()
        .into_iter()
        .map(|line| line.replace(server.base_url(), &base_url))
        .collect();
    drop(kit);
    assert_eq!(exports, expected);

    let guide = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/cli.md"),
    )
    .unwrap();
    let shown: Vec<String> = guide
        .lines()
        .skip_while(|line| !line.starts_with("$ tasklist sandbox serve --port 18080"))
        .take_while(|line| !line.starts_with("```"))
        .filter(|line| line.starts_with("export "))
        .map(|line| line.replace("http://127.0.0.1:18080", &base_url))
        .collect();
    assert_eq!(shown, expected, "docs/cli.md, \"The sandbox\"");

    let evaluated = std::process::Command::new("sh")
        .env_clear()
        .args([
            "-c",
            "eval \"$1\" && printenv CAMUNDA_TASKLIST_BASE_URL CAMUNDA_AUTH_STRATEGY \
             CAMUNDA_CLIENT_ID CAMUNDA_CLIENT_SECRET",
            "sh",
            &exports.join("\n"),
        ])
        .output()
        .unwrap();
    assert!(evaluated.status.success(), "{evaluated:?}");
    assert_eq!(
        String::from_utf8_lossy(&evaluated.stdout),
        format!("{base_url}\nOAUTH\ntasklist\ntasklist-secret\n")
    );
}
