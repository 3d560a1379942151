//! The `tasklist-testkit` binary as a process: the `export` lines it prints are
//! `ServerHandle::export_lines` of an in-process server with the same settings (as are those of
//! `tasklist sandbox serve`, checked by the CLI's tests against the same function), a shell's
//! `eval` of them sets every variable to its value, and `docs/testing.md`, the README and the
//! binary's own docs show what it prints.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use tasklist_testkit::{AuthMode, Profile, TestServer, TestServerBuilder, User};

/// The last line the binary prints before it serves.
const SERVING: &str = "serving until Ctrl-C";

/// How long the binary may take to print [`SERVING`].
const STARTUP: Duration = Duration::from_secs(60);

/// A running binary, started by this test, and what it printed up to [`SERVING`]; killed (by
/// its own handle) when dropped.
struct Serving {
    child: Child,
    lines: Vec<String>,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serving {
    /// Starts the binary with `args` on a free port (`--port 0` comes first, so an `--port`
    /// among `args` wins) and reads its output until it serves, for [`STARTUP`] at most.
    fn start(args: &[&str]) -> Serving {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tasklist-testkit"))
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut serving = Serving {
            child,
            lines: Vec::new(),
        };
        // Read on a thread of its own, so that a binary that never serves fails the test
        // instead of hanging it; the thread ends when the binary (killed on drop) closes stdout.
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines() {
                if sender.send(line.unwrap()).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + STARTUP;
        loop {
            match lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) => {
                    let done = line == SERVING;
                    serving.lines.push(line);
                    if done {
                        return serving;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "{args:?}: the binary ended before serving: {:?}",
                    serving.lines
                ),
                Err(RecvTimeoutError::Timeout) => panic!(
                    "{args:?}: the binary did not serve within {STARTUP:?}: {:?}",
                    serving.lines
                ),
            }
        }
    }

    /// The base URL it printed (`http://127.0.0.1:<port>`).
    fn base_url(&self) -> String {
        self.lines
            .iter()
            .find_map(|line| line.strip_prefix("base URL:"))
            .map(|url| url.trim().to_owned())
            .unwrap_or_else(|| panic!("no base URL in {:?}", self.lines))
    }

    /// Its `export` lines.
    fn exports(&self) -> Vec<String> {
        self.lines
            .iter()
            .filter(|line| line.starts_with("export "))
            .cloned()
            .collect()
    }
}

/// The binary's settings that matter to the environment, and the same as builder settings.
fn cases() -> Vec<(Vec<&'static str>, TestServerBuilder)> {
    let awkward = "it's a \"pass\" for $HOME ~ `id` \\ *;";
    vec![
        (vec![], TestServer::builder()),
        (
            vec![
                "--client-id",
                "worker",
                "--client-secret",
                awkward,
                "--audience",
                "aud ience",
            ],
            TestServer::builder().clients([tasklist_testkit::OAuthClient::new(
                "worker",
                awkward,
                "aud ience",
            )]),
        ),
        (
            vec![
                "--profile",
                "8.8",
                "--auth",
                "cookie-csrf",
                "--username",
                "ann",
                "--password",
                awkward,
            ],
            TestServer::builder()
                .profile(Profile::V8_8)
                .auth(AuthMode::Cookie { csrf: true })
                .users([User::new("ann", awkward)]),
        ),
        (
            vec![
                "--profile",
                "8.10",
                "--auth",
                "basic",
                "--base-path",
                "/physical-tenants/t1",
                "--password",
                "",
            ],
            TestServer::builder()
                .profile(Profile::V8_10)
                .auth(AuthMode::Basic)
                .base_path("/physical-tenants/t1")
                .users([User::new("demo", "")]),
        ),
        (
            vec!["--auth", "none"],
            TestServer::builder().auth(AuthMode::None),
        ),
    ]
}

/// What an in-process server of `builder` says, with its base URL replaced by `base_url`: its
/// `export_lines` and its `environment`.
async fn in_process(
    builder: TestServerBuilder,
    base_url: &str,
) -> (Vec<String>, BTreeMap<String, String>) {
    let server = builder.start().await.unwrap();
    let here = server.base_url().to_owned();
    let lines = server
        .export_lines()
        .into_iter()
        .map(|line| line.replace(&here, base_url))
        .collect();
    let environment: BTreeMap<String, String> = server
        .environment()
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.replace(&here, base_url)))
        .collect();
    server.shutdown().await;
    // Never two empty lists compared: there is always the base URL (with its base path).
    let tasklist = environment.get("CAMUNDA_TASKLIST_BASE_URL");
    assert!(
        tasklist.is_some_and(|url| url.starts_with(base_url)),
        "{environment:?}"
    );
    (lines, environment)
}

#[tokio::test]
async fn the_binary_prints_the_export_lines_of_a_server_with_the_same_settings() {
    for (args, builder) in cases() {
        let serving = Serving::start(&args);
        let (expected, _) = in_process(builder, &serving.base_url()).await;
        assert_eq!(serving.exports(), expected, "{args:?}");
        // One `export` line per variable, right after `environment:`, then `serving`.
        let at = serving
            .lines
            .iter()
            .position(|l| l == "environment:")
            .unwrap();
        assert_eq!(
            &serving.lines[at + 1..serving.lines.len() - 1],
            expected,
            "{args:?}"
        );
    }
}

#[cfg(unix)]
#[tokio::test]
async fn eval_of_the_printed_lines_in_sh_sets_every_variable() {
    for (args, builder) in cases() {
        let serving = Serving::start(&args);
        let (_, expected) = in_process(builder, &serving.base_url()).await;
        let lines = serving.exports().join("\n");
        // A shell with nothing in its environment: what `env` shows after `eval` came from it.
        let shown = Command::new("sh")
            .env_clear()
            .args(["-c", "eval \"$1\" && env -0", "sh", &lines])
            .output()
            .unwrap();
        assert!(shown.status.success(), "{args:?}: {shown:?}");
        let shown: BTreeMap<String, String> = String::from_utf8(shown.stdout)
            .unwrap()
            .split('\0')
            .filter_map(|pair| pair.split_once('='))
            .filter(|(name, _)| name.starts_with("CAMUNDA_"))
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        assert_eq!(shown, expected, "{args:?}:\n{lines}");
    }
}

/// The workspace's root.
fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The first fenced block of `doc` after the line `after` starts with, without its fences.
fn block_after<'a>(doc: &'a str, after: &str) -> Vec<&'a str> {
    let mut lines = doc.lines().skip_while(|line| !line.starts_with(after));
    lines.by_ref().find(|line| line.starts_with("```"));
    lines.take_while(|line| !line.starts_with("```")).collect()
}

/// The words in backticks of `text`.
fn quoted(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// The `CAMUNDA_*` names `text` mentions, in order, each once.
fn camunda_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if word.starts_with("CAMUNDA_") && !names.iter().any(|n| n == word) {
            names.push(word.to_owned());
        }
    }
    names
}

/// The names of `export NAME=value` lines.
fn exported_names(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|line| line.strip_prefix("export ")?.split_once('='))
        .map(|(name, _)| name.to_owned())
        .collect()
}

#[test]
fn the_testing_guide_shows_what_the_binary_prints() {
    let guide = std::fs::read_to_string(root().join("docs/testing.md")).unwrap();
    let transcript = block_after(&guide, "## Other languages");
    let command = transcript
        .first()
        .expect("a transcript after \"## Other languages\"")
        .strip_prefix("$ cargo run -p tasklist-testkit -- ")
        .expect("the transcript starts with the command");
    let args: Vec<&str> = command.split_whitespace().collect();
    let at = args.iter().position(|a| *a == "--port").unwrap();
    let port = args[at + 1];
    let mut free = args.clone();
    free[at + 1] = "0";
    let serving = Serving::start(&free);
    let (base_url, shown_url) = (serving.base_url(), format!("http://127.0.0.1:{port}"));
    let printed: Vec<String> = serving
        .lines
        .iter()
        .map(|line| {
            line.replace(&base_url, &shown_url).replace(
                &format!("tasklist-testkit {} ", env!("CARGO_PKG_VERSION")),
                "tasklist-testkit 0.1.0 ",
            )
        })
        .collect();
    assert_eq!(
        printed,
        transcript[1..],
        "docs/testing.md, \"Other languages\""
    );

    // The table of variables by `--auth`: every mode, and what each prints.
    let rows: Vec<&str> = guide
        .lines()
        .skip_while(|line| !line.starts_with("The variables after `CAMUNDA_TASKLIST_BASE_URL`"))
        .skip_while(|line| !line.starts_with("|---"))
        .skip(1)
        .take_while(|line| line.starts_with('|'))
        .collect();
    let mut modes = Vec::new();
    for row in rows {
        let cells: Vec<&str> = row.split('|').collect();
        let mut expected = vec!["CAMUNDA_TASKLIST_BASE_URL".to_owned()];
        expected.extend(camunda_names(cells[2]));
        for auth in quoted(cells[1]) {
            let serving = Serving::start(&["--auth", auth]);
            assert_eq!(
                exported_names(&serving.exports()),
                expected,
                "--auth {auth}"
            );
            modes.push(auth);
        }
    }
    modes.sort_unstable();
    assert_eq!(modes, ["basic", "cookie", "cookie-csrf", "none", "oauth"]);
}

#[test]
fn the_readme_and_the_binarys_docs_name_the_variables_it_prints() {
    let printed = exported_names(&Serving::start(&[]).exports());
    let readme = std::fs::read_to_string(root().join("crates/tasklist-testkit/README.md")).unwrap();
    assert_eq!(camunda_names(&readme), printed, "README.md");
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin/tasklist-testkit.rs"),
    )
    .unwrap();
    let docs: String = source
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(camunda_names(&docs), printed, "the binary's module docs");
}
