//! The harness of the end-to-end tests: a testkit server on a Tokio runtime owned by the test,
//! a scratch home (HOME, XDG directories, token cache, config) per test, and a way to run the
//! built `tasklist` binary against both with a cleared environment (`TASKLIST_TEST_BIN` names
//! another binary to run instead, see [`binary`]).
//!
//! Every run is checked for leaked secrets: the OAuth client secret, the user's password, the
//! Basic credentials in any encoding, any JWT (tokens from the testkit are JWTs, so their text
//! starts with `eyJ`) and the session cookie and CSRF token values of a persisted session.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;

use base64::Engine as _;
use serde_json::Value;
use tasklist_testkit::store::{Form, Task, TaskImplementation};
use tasklist_testkit::{
    AuthMode, OAuthClient, Profile, ServerHandle, TestServer, TestServerBuilder, User,
};

/// The OAuth client id the tests use.
pub(crate) const CLIENT_ID: &str = "cli-tests";
/// The OAuth client secret: distinctive, so that finding it in any output is a leak.
pub(crate) const CLIENT_SECRET: &str = "cs-SECRET-7hJq2Wv9-oauth";
/// The user of cookie and Basic modes.
pub(crate) const USERNAME: &str = "ann";
/// The user's password: distinctive, as the client secret.
pub(crate) const PASSWORD: &str = "pw-SECRET-Xk93Lm4-user";

/// How the CLI authenticates to the test server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// OAuth client credentials, configured through the environment; the 8.7 profile.
    OAuth,
    /// A cookie session with CSRF protection on, configured through flags and a password
    /// file; the 8.7 profile (`/api/login`, `TASKLIST-SESSION`).
    Cookie,
    /// HTTP Basic, configured through the environment plus `--base-url`; the 8.8 profile.
    Basic,
}

/// A test server, its runtime and a scratch home for the CLI.
pub(crate) struct Kit {
    server: Option<TestServer>,
    runtime: tokio::runtime::Runtime,
    home: tempfile::TempDir,
    /// How the CLI is pointed at the server.
    pub(crate) mode: Mode,
}

impl Drop for Kit {
    fn drop(&mut self) {
        // The server stops on its runtime before the runtime goes.
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }
}

/// The builder of a server for `mode`: its auth mode, profile, client and user.
pub(crate) fn builder(mode: Mode) -> TestServerBuilder {
    let base = TestServer::builder()
        .clients([OAuthClient::new(CLIENT_ID, CLIENT_SECRET, "tasklist-api")])
        .users([User::new(USERNAME, PASSWORD)]);
    match mode {
        Mode::OAuth => base.profile(Profile::V8_7).auth(AuthMode::OAuth),
        Mode::Cookie => base
            .profile(Profile::V8_7)
            .auth(AuthMode::Cookie { csrf: true }),
        Mode::Basic => base.profile(Profile::V8_8).auth(AuthMode::Basic),
    }
}

impl Kit {
    /// A server for `mode` with the defaults of [`builder`].
    pub(crate) fn start(mode: Mode) -> Kit {
        Kit::with(mode, builder(mode))
    }

    /// A server built by `builder`, the CLI pointed at it as `mode` says.
    pub(crate) fn with(mode: Mode, builder: TestServerBuilder) -> Kit {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a Tokio runtime");
        let server = runtime
            .block_on(builder.start())
            .expect("the test server starts");
        let home = scratch_home("tasklist-cli-test-");
        Kit {
            server: Some(server),
            runtime,
            home,
            mode,
        }
    }

    /// The server's handle: counters, faults, the store.
    pub(crate) fn server(&self) -> ServerHandle {
        self.server.as_ref().expect("running").handle()
    }

    /// Runs a future on the kit's runtime.
    pub(crate) fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// Serves `app` on a free loopback port on the kit's runtime; returns its base URL.
    pub(crate) fn serve(&self, app: axum::Router) -> String {
        let listener = self
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        self.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        url
    }

    /// Spawns a task on the kit's runtime (it ends with the runtime).
    pub(crate) fn spawn<F>(&self, future: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        self.runtime.spawn(future);
    }

    /// The scratch directory holding HOME, the XDG directories and the token cache.
    pub(crate) fn dir(&self) -> &Path {
        self.home.path()
    }

    /// The token cache directory the CLI is given.
    pub(crate) fn token_dir(&self) -> PathBuf {
        self.dir().join("tokens")
    }

    /// The file `auth login` keeps the session in (given with `--session-file`).
    pub(crate) fn session_file(&self) -> PathBuf {
        self.dir().join("state").join("session.json")
    }

    /// The `tasklist` binary with a cleared environment: PATH, the scratch HOME and XDG
    /// directories, `NO_COLOR`; nothing pointing at a server.
    pub(crate) fn bare(&self) -> assert_cmd::Command {
        wrap(std_bare(self.dir()))
    }

    /// The `tasklist` binary pointed at the server, authenticating as the mode says.
    pub(crate) fn cmd(&self) -> assert_cmd::Command {
        wrap(self.std_cmd())
    }

    /// [`cmd`](Self::cmd) with the base URL `base_url` instead of the server's.
    pub(crate) fn cmd_at(&self, base_url: &str) -> assert_cmd::Command {
        wrap(self.std_cmd_at(base_url))
    }

    /// [`cmd`](Self::cmd) as a `std::process::Command`, for spawning processes at once.
    pub(crate) fn std_cmd(&self) -> std::process::Command {
        self.std_cmd_at(self.server().base_url())
    }

    fn std_cmd_at(&self, base_url: &str) -> std::process::Command {
        let mut cmd = std_bare(self.dir());
        let server = self.server();
        cmd.env("CAMUNDA_TOKEN_CACHE_DIR", self.token_dir());
        match self.mode {
            Mode::OAuth => {
                cmd.env("CAMUNDA_TASKLIST_BASE_URL", base_url)
                    .env("CAMUNDA_OAUTH_URL", server.token_url())
                    .env("CAMUNDA_CLIENT_ID", CLIENT_ID)
                    .env("CAMUNDA_CLIENT_SECRET", CLIENT_SECRET)
                    .env("CAMUNDA_TASKLIST_OAUTH_AUDIENCE", "tasklist-api");
            }
            Mode::Cookie => {
                cmd.arg("--base-url")
                    .arg(base_url)
                    .args(["--auth", "cookie", "--username", USERNAME])
                    .arg("--password-file")
                    .arg(self.dir().join("password"))
                    .arg("--session-file")
                    .arg(self.session_file());
            }
            Mode::Basic => {
                cmd.arg("--base-url")
                    .arg(base_url)
                    .env("CAMUNDA_AUTH_STRATEGY", "BASIC")
                    .env("CAMUNDA_BASIC_AUTH_USERNAME", USERNAME)
                    .env("CAMUNDA_BASIC_AUTH_PASSWORD", PASSWORD)
                    // These tests read Tasklist's v1 API of 8.8 (its job-worker tasks, its
                    // error texts); 8.8's default, v2, is covered by the version matrix.
                    .env("TASKLIST_API", "v1");
            }
        }
        cmd
    }

    /// Runs `tasklist ARGS` against the server and checks that nothing secret was printed.
    pub(crate) fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.cmd();
        cmd.args(args);
        self.finish(&mut cmd)
    }

    /// Runs a prepared command and checks that nothing secret was printed.
    pub(crate) fn finish(&self, cmd: &mut assert_cmd::Command) -> Run {
        let run = Run::of(cmd.output().expect("tasklist runs"));
        run.assert_no_secrets(&self.session_secrets());
        run
    }

    /// The session cookie and CSRF token values of the persisted session, if there is one.
    pub(crate) fn session_secrets(&self) -> Vec<String> {
        let Ok(text) = std::fs::read_to_string(self.session_file()) else {
            return Vec::new();
        };
        session_values(&text)
    }

    /// Adds a `CREATED`, unassigned task with a form, a candidate group and two variables.
    pub(crate) fn add_task(&self, id: &str, name: &str) -> Task {
        let mut task = Task::new(id, name);
        task.candidate_groups = Some(vec!["cli-testers".to_owned()]);
        task.process_definition_key = "777".to_owned();
        task.form_key = Some("camunda-forms:bpmn:cli-form".to_owned());
        task.is_form_embedded = Some(true);
        task.implementation = TaskImplementation::JobWorker;
        let server = self.server();
        server.store().insert_task(task.clone());
        server
            .store()
            .insert_variable(id, "amount", "1250.5")
            .expect("a variable");
        server
            .store()
            .insert_variable(id, "region", "\"EMEA\"")
            .expect("a variable");
        task
    }

    /// Adds the embedded form `cli-form` of process definition 777.
    pub(crate) fn add_form(&self) -> String {
        let schema = r#"{"id":"cli-form","components":[{"key":"amount","type":"number"}]}"#;
        self.server()
            .store()
            .insert_form(Form::embedded("cli-form", "777", schema));
        schema.to_owned()
    }

    /// Runs `forms get` for the form of [`add_form`](Self::add_form) with output `format`.
    pub(crate) fn get_form(&self, format: &str) -> Run {
        self.run([
            "forms",
            "get",
            "cli-form",
            "--process-definition-key",
            "777",
            "-o",
            format,
        ])
    }

    /// Runs `auth check -o json`, asserts success and returns the report.
    #[track_caller]
    pub(crate) fn auth_check(&self) -> Value {
        let check = self.run(["auth", "check", "-o", "json"]);
        check.ok();
        check.json()
    }

    /// Runs `forms get` for the form of [`add_form`](Self::add_form) in the table format and
    /// asserts that it prints the form's `schema` itself, as JSON.
    #[track_caller]
    pub(crate) fn assert_form_table_is_schema(&self, schema: &str) {
        let table = self.get_form("table");
        table.ok();
        assert_eq!(
            serde_json::from_str::<Value>(&table.stdout).unwrap(),
            serde_json::from_str::<Value>(schema).unwrap()
        );
    }

    /// Makes `task` assigned to `who` directly in the store.
    pub(crate) fn assign_in_store(&self, id: &str, who: &str) {
        let store = self.server();
        let mut task = store.store().task(id).expect("the task exists");
        task.assignee = Some(who.to_owned());
        store.store().insert_task(task);
    }

    /// The token cache files the CLI wrote.
    pub(crate) fn cached_tokens(&self) -> Vec<PathBuf> {
        files_under(&self.token_dir())
    }
}

/// A scratch directory for one test: HOME, the XDG directories, the token cache, and the
/// password file.
pub(crate) fn scratch_home(prefix: &str) -> tempfile::TempDir {
    let home = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .expect("a scratch home");
    for dir in ["home", "config", "cache", "state", "data", "tokens"] {
        std::fs::create_dir_all(home.path().join(dir)).expect("scratch directories");
    }
    std::fs::write(home.path().join("password"), format!("{PASSWORD}\n"))
        .expect("the password file");
    home
}

/// The `tasklist` binary with a cleared environment rooted at `dir`.
pub(crate) fn bare_command(dir: &Path) -> assert_cmd::Command {
    wrap(std_bare(dir))
}

/// A `std` command as an `assert_cmd` one, with a time limit.
fn wrap(cmd: std::process::Command) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::from_std(cmd);
    cmd.timeout(std::time::Duration::from_secs(60));
    cmd
}

/// The `tasklist` binary with a cleared environment rooted at `dir`: PATH, HOME and the XDG
/// directories under `dir`, `NO_COLOR`.
pub(crate) fn std_bare(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(binary());
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.join("home"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("TMPDIR", std::env::temp_dir())
        .env("NO_COLOR", "1");
    cmd
}

/// The path of the binary under test, for spawning it with `std::process::Command`: the one
/// Cargo built, or the one named by `TASKLIST_TEST_BIN` when that is set (to run this suite
/// against another build, e.g. one of an earlier commit:
/// `TASKLIST_TEST_BIN=/path/to/tasklist cargo test -p tasklist-cli --test cli`).
pub(crate) fn binary() -> PathBuf {
    match std::env::var_os("TASKLIST_TEST_BIN") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => assert_cmd::cargo::cargo_bin("tasklist"),
    }
}

/// Every regular file under `dir`, recursively.
pub(crate) fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The values of the cookies and the CSRF token of a persisted session file (any JSON shape:
/// every `value` and `csrf…` string, and the value part of every `NAME=VALUE` cookie string).
pub(crate) fn session_values(text: &str) -> Vec<String> {
    fn walk(value: &Value, key: Option<&str>, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    walk(v, Some(k), out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, key, out)),
            Value::String(s) => {
                let key = key.unwrap_or_default().to_ascii_lowercase();
                if key == "value" || key.contains("csrf") {
                    out.push(s.clone());
                } else if key.contains("cookie")
                    && let Some((_, v)) = s.split(';').next().and_then(|c| c.split_once('='))
                {
                    out.push(v.to_owned());
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(json) = serde_json::from_str::<Value>(text) {
        walk(&json, None, &mut out);
    }
    out.retain(|v| v.len() >= 8);
    out
}

/// The result of one run of the binary.
#[derive(Debug)]
pub(crate) struct Run {
    /// The exit code (`-1` when killed by a signal).
    pub(crate) code: i32,
    /// Standard output.
    pub(crate) stdout: String,
    /// Standard error.
    pub(crate) stderr: String,
}

impl Run {
    /// Wraps a finished process.
    pub(crate) fn of(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Asserts the exit code, showing both streams when it differs.
    #[track_caller]
    pub(crate) fn code(&self, expected: i32) -> &Run {
        assert_eq!(
            self.code, expected,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts success (exit 0).
    #[track_caller]
    pub(crate) fn ok(&self) -> &Run {
        self.code(0)
    }

    /// Asserts a failure with exit code `expected` reported as one `error: …` line on stderr
    /// (plus `caused by` lines with `--verbose`) and nothing on stdout; returns the line.
    #[track_caller]
    pub(crate) fn fails(&self, expected: i32) -> String {
        self.code(expected);
        assert!(
            self.stdout.trim().is_empty(),
            "a failure prints no result: {}",
            self.stdout
        );
        let errors: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect();
        assert_eq!(errors.len(), 1, "one error line: {}", self.stderr);
        errors[0].to_owned()
    }

    /// Stdout as one JSON document.
    #[track_caller]
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", self.stdout))
    }

    /// Stdout as JSON lines.
    #[track_caller]
    pub(crate) fn jsonl(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"))
            })
            .collect()
    }

    /// Asserts that neither stream holds a secret (the fixed ones, any JWT, and `extra`).
    #[track_caller]
    pub(crate) fn assert_no_secrets(&self, extra: &[String]) {
        let basic =
            base64::engine::general_purpose::STANDARD.encode(format!("{USERNAME}:{PASSWORD}"));
        let mut secrets = vec![
            CLIENT_SECRET.to_owned(),
            PASSWORD.to_owned(),
            basic,
            // The secret-looking middle parts, in case they are printed cut or escaped.
            "7hJq2Wv9".to_owned(),
            "Xk93Lm4".to_owned(),
        ];
        secrets.extend(extra.iter().cloned());
        for (name, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            for secret in &secrets {
                assert!(
                    !text.contains(secret.as_str()),
                    "a secret ({}…) appears on {name}:\n{text}",
                    secret.chars().take(4).collect::<String>()
                );
            }
            assert!(
                !text.contains("eyJ"),
                "something like a JWT appears on {name}:\n{text}"
            );
        }
    }
}

/// The ids of the tasks in a JSON array (or JSON lines) of tasks.
pub(crate) fn ids(tasks: &[Value]) -> Vec<String> {
    tasks
        .iter()
        .map(|t| t["id"].as_str().expect("a task id").to_owned())
        .collect()
}

/// The ids as a set.
pub(crate) fn id_set(tasks: &[Value]) -> BTreeSet<String> {
    ids(tasks).into_iter().collect()
}

/// A port on 127.0.0.1 that nothing listens on.
pub(crate) fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}
