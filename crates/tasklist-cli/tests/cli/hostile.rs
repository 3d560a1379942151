//! The binary against a server that cannot be trusted (`tasklist_e2e::hostile`): the CLI side
//! of the workspace's hostile-server suite (`tests/tests/hostile.rs` runs the same scenarios
//! through the libraries). Each test scripts a hostile server on loopback, runs `tasklist`
//! against it and checks the exit code, the error line, what every server received, and that
//! no run printed a secret: the client secret, the password, their Basic encodings, and every
//! token, cookie value and CSRF token a server handed out in the test.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde_json::{Value, json};
use tasklist_e2e::hostile::{Hostile, Recorded, Reply};

use crate::common::{
    CLIENT_ID, CLIENT_SECRET, PASSWORD, Run, USERNAME, scratch_home, session_values, std_bare,
};

/// A run of the binary is stopped after this long: no scenario may take it.
const RUN_LIMIT: Duration = Duration::from_secs(20);
/// The token endpoint's path on every hostile server.
const TOKEN: &str = "/oauth/token";
/// The search endpoint.
const SEARCH: &str = "/v1/tasks/search";

/// One test's world: a Tokio runtime that runs the hostile servers while the test runs the
/// binary, a scratch home (HOME, XDG directories, token cache, session and password files),
/// and the secrets the servers handed out so far.
struct Scene {
    runtime: tokio::runtime::Runtime,
    home: tempfile::TempDir,
    secrets: RefCell<Vec<String>>,
}

impl Scene {
    fn new() -> Scene {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a Tokio runtime");
        let home = scratch_home("tasklist-cli-hostile-");
        let scene = Scene {
            runtime,
            home,
            secrets: RefCell::new(Vec::new()),
        };
        // The client's credentials in the encodings they travel in.
        let engine = base64::engine::general_purpose::STANDARD;
        scene.secret(&engine.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}")));
        scene.secret(&engine.encode(format!("{USERNAME}:{PASSWORD}")));
        scene.secret(&format!("client_secret={CLIENT_SECRET}"));
        scene.secret(&format!("password={PASSWORD}"));
        scene
    }

    /// A new hostile server on this scene's runtime.
    fn server(&self) -> Hostile {
        self.runtime
            .block_on(Hostile::start())
            .expect("a hostile server starts")
    }

    /// Registers `value` as a secret that no run may print, and returns it.
    fn secret(&self, value: &str) -> String {
        self.secrets.borrow_mut().push(value.to_owned());
        value.to_owned()
    }

    /// A token response handing out `token` (registered as a secret), `expires_in` as raw JSON.
    fn token(&self, token: &str, expires_in: &str) -> Reply {
        self.secret(token);
        Reply::json(
            200,
            format!(
                r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":{expires_in}}}"#
            ),
        )
    }

    /// A `204` login answer setting session cookie `session` and CSRF token `csrf` (both
    /// registered as secrets).
    fn login(&self, session: &str, csrf: &str) -> Reply {
        self.secret(session);
        self.secret(csrf);
        Reply::new(204)
            .header(
                "set-cookie",
                format!("TASKLIST-SESSION={session}; Path=/; HttpOnly"),
            )
            .header("x-csrf-token", csrf)
    }

    fn dir(&self) -> &Path {
        self.home.path()
    }

    fn token_dir(&self) -> PathBuf {
        self.dir().join("tokens")
    }

    fn session_file(&self) -> PathBuf {
        self.dir().join("state").join("session.json")
    }

    /// The one token file in the cache directory.
    fn token_file(&self) -> PathBuf {
        let files: Vec<PathBuf> = std::fs::read_dir(self.token_dir())
            .expect("the token cache directory")
            .map(|e| e.expect("an entry").path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("oauth-token-") && n.ends_with(".json"))
            })
            .collect();
        assert_eq!(files.len(), 1, "one token file: {files:?}");
        files[0].clone()
    }

    /// The token file as JSON.
    fn token_entry(&self) -> Value {
        serde_json::from_slice(&std::fs::read(self.token_file()).expect("the token file"))
            .expect("the token file is JSON")
    }

    /// The binary in OAuth mode, everything from the environment: base URL `base`, token
    /// endpoint `token_url`, the disk cache in the scratch home.
    fn oauth_at(&self, base: &str, token_url: &str) -> Command {
        let mut cmd = std_bare(self.dir());
        cmd.env("CAMUNDA_TASKLIST_BASE_URL", base)
            .env("CAMUNDA_OAUTH_URL", token_url)
            .env("CAMUNDA_CLIENT_ID", CLIENT_ID)
            .env("CAMUNDA_CLIENT_SECRET", CLIENT_SECRET)
            .env("CAMUNDA_TASKLIST_OAUTH_AUDIENCE", "tasklist-api")
            .env("CAMUNDA_TOKEN_CACHE_DIR", self.token_dir());
        cmd
    }

    /// [`oauth_at`](Self::oauth_at) with `server` as Tasklist and as token endpoint.
    fn oauth(&self, server: &Hostile) -> Command {
        self.oauth_at(&server.base(), &server.url(TOKEN))
    }

    /// The binary in cookie mode against `server`, with the password file and the session file.
    fn cookie(&self, server: &Hostile) -> Command {
        let mut cmd = self.cookie_without_password(server);
        cmd.arg("--password-file").arg(self.dir().join("password"));
        cmd
    }

    /// The binary in cookie mode against `server` with only the session file: a kept session
    /// is all it can authenticate with.
    fn cookie_without_password(&self, server: &Hostile) -> Command {
        let mut cmd = std_bare(self.dir());
        cmd.arg("--base-url")
            .arg(server.base())
            .args(["--auth", "cookie", "--username", USERNAME])
            .arg("--session-file")
            .arg(self.session_file());
        cmd
    }

    /// Runs `cmd` with `args`; asserts it did not panic and printed no secret.
    #[track_caller]
    fn run(&self, mut cmd: Command, args: &[&str]) -> Run {
        cmd.args(args);
        let mut cmd = assert_cmd::Command::from_std(cmd);
        cmd.timeout(RUN_LIMIT);
        let run = Run::of(cmd.output().expect("tasklist runs"));
        self.check(&run);
        run
    }

    /// The checks every run passes: no panic, no secret on either stream.
    #[track_caller]
    fn check(&self, run: &Run) {
        assert!(
            !run.stderr.contains("panicked"),
            "the binary panicked:\n{}",
            run.stderr
        );
        let mut secrets = self.secrets.borrow().clone();
        if let Ok(text) = std::fs::read_to_string(self.session_file()) {
            secrets.extend(session_values(&text));
        }
        run.assert_no_secrets(&secrets);
    }
}

/// The binary in OAuth mode against `server`, plain, with `-v`, and with `-v` and
/// `RUST_LOG=trace`: every way its output could grow.
fn verbosities(scene: &Scene, server: &Hostile) -> Vec<(&'static str, Command)> {
    let plain = scene.oauth(server);
    let mut verbose = scene.oauth(server);
    verbose.arg("-v");
    let mut trace = scene.oauth(server);
    trace.arg("-v").env("RUST_LOG", "trace");
    vec![
        ("plain", plain),
        ("-v", verbose),
        ("-v, RUST_LOG=trace", trace),
    ]
}

/// The seconds since the epoch.
fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// The `Authorization` headers of the requests `server` received for `path`.
fn bearers(server: &Hostile, path: &str) -> Vec<Option<String>> {
    server
        .requests_to(path)
        .iter()
        .map(|r| r.header("authorization").map(str::to_owned))
        .collect()
}

/// Whether any request `server` received holds the client secret or the password anywhere.
fn saw_a_secret(server: &Hostile) -> bool {
    server
        .requests()
        .iter()
        .map(Recorded::text)
        .any(|t| t.contains("7hJq2Wv9") || t.contains("Xk93Lm4"))
}

/// A task as the API returns it.
fn task(id: &str) -> String {
    json!({"id": id, "name": "Approve invoice", "taskState": "CREATED",
           "sortValues": [format!("{id}000"), id]})
    .to_string()
}

/// A page of the tasks `ids`, as a JSON array.
fn page(ids: impl IntoIterator<Item = u64>) -> String {
    let tasks: Vec<Value> = ids
        .into_iter()
        .map(|n| serde_json::from_str(&task(&n.to_string())).expect("a task"))
        .collect();
    Value::Array(tasks).to_string()
}

// ---------------------------------------------------------------------------------------------
// 1. Credentials never follow a redirect to another origin

#[test]
fn a_token_endpoint_redirecting_to_another_origin_never_gets_the_secret_there() {
    let scene = Scene::new();
    let server = scene.server();
    let thief = scene.server();
    // Both other origins would hand out a token for the secret: the thief on another port,
    // and the server itself under another name.
    let stolen = scene.token("tok-STOLEN-a1b2c3d4", "300");
    thief.always("/steal", stolen.clone());
    server.always("/steal", stolen);
    thief.always(SEARCH, Reply::json(200, "[]"));
    server.always(SEARCH, Reply::json(200, "[]"));
    let elsewhere = [
        ("another port", thief.url("/steal")),
        (
            "another name",
            format!("{}/steal", server.base_as_localhost()),
        ),
    ];
    for (what, location) in elsewhere {
        for status in [307, 302] {
            server.always(TOKEN, Reply::redirect(status, location.clone()));
            let before = server.count(TOKEN);
            let line = scene
                .run(scene.oauth(&server), &["tasks", "search"])
                .fails(3);
            let case = format!("{what}, {status}");
            assert!(
                line.contains("redirected") && line.contains("another origin"),
                "{case}: {line}"
            );
            assert!(
                line.contains("--oauth-url") && line.contains("CAMUNDA_OAUTH_URL"),
                "{case}: {line}"
            );
            assert!(server.count(TOKEN) > before, "{case}: nothing was asked");
            assert_eq!(server.count(SEARCH), 0, "{case}: the API was called");
        }
    }
    // Nothing reached the other origin, under either name.
    assert_eq!(thief.requests(), Vec::<Recorded>::new());
    assert_eq!(server.count("/steal"), 0);
    let landed: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.path() != TOKEN)
        .map(Recorded::text)
        .collect();
    assert!(landed.is_empty(), "{landed:?}");
    let own = format!("127.0.0.1:{}", server.port());
    for asked in server.requests_to(TOKEN) {
        assert_eq!(asked.header("host"), Some(own.as_str()), "{}", asked.text());
    }
    assert!(scene.token_dir().read_dir().unwrap().all(|e| {
        let name = e.unwrap().file_name();
        !name.to_string_lossy().ends_with(".json")
    }));
}

#[test]
fn a_login_redirecting_to_another_origin_never_gets_the_password_there() {
    let scene = Scene::new();
    let server = scene.server();
    let thief = scene.server();
    for path in ["/api/login", "/login"] {
        server.always(path, Reply::redirect(307, thief.url(path)));
        thief.always(
            path,
            scene.login("planted-SESSION-0201", "planted-CSRF-0201"),
        );
    }
    server.always(SEARCH, Reply::json(200, "[]"));
    for args in [&["auth", "login"][..], &["tasks", "search"][..]] {
        let line = scene.run(scene.cookie(&server), args).fails(3);
        assert!(
            line.contains("redirected") && line.contains("another origin"),
            "{args:?}: {line}"
        );
        assert!(line.contains("--login-url"), "{args:?}: {line}");
    }
    assert_eq!(thief.requests(), Vec::<Recorded>::new());
    assert!(server.count("/api/login") > 0);
    assert_eq!(server.count(SEARCH), 0);
    assert!(!scene.session_file().exists());
}

// ---------------------------------------------------------------------------------------------
// 2. Secrets in error text

#[test]
fn a_token_endpoint_echoing_the_request_never_gets_the_secret_printed() {
    let scene = Scene::new();
    let server = scene.server();
    /// How a server answers a token request by quoting it.
    type Echo = fn(&Recorded) -> Reply;
    let echoes: [(&str, Echo); 2] = [
        ("the whole request", |_| {
            Reply::new(400).header("content-type", "text/plain").echo()
        }),
        ("the form in an OAuth error", |request| {
            let description = String::from_utf8_lossy(&request.body).into_owned();
            Reply::json(
                400,
                json!({"error": "invalid_request", "error_description": description}).to_string(),
            )
        }),
    ];
    for (what, echo) in echoes {
        server.respond_with(TOKEN, echo);
        for (verbosity, cmd) in verbosities(&scene, &server) {
            let run = scene.run(cmd, &["tasks", "search"]);
            let line = run.fails(3);
            let case = format!("{what}, {verbosity}");
            assert!(line.contains("400"), "{case}: {line}");
            if what.contains("OAuth") {
                assert!(line.contains("<redacted>"), "{case}: {line}");
                assert!(line.contains("invalid_request"), "{case}: {line}");
            }
            if verbosity != "plain" {
                // The failure was logged too, and the log passed the scan.
                assert!(
                    run.stderr.contains("token request failed"),
                    "{case}: no log"
                );
                assert!(run.stderr.contains("caused by"), "{case}: no causes");
            }
        }
    }
    // What the echoes quoted really held the secret.
    assert!(saw_a_secret(&server));
    assert!(
        String::from_utf8_lossy(&server.requests_to(TOKEN)[0].body)
            .contains(&format!("client_secret={CLIENT_SECRET}"))
    );
}

#[test]
fn an_expires_in_given_as_a_numeric_string_is_accepted() {
    let scene = Scene::new();
    let server = scene.server();
    server.always(TOKEN, scene.token("tok-STRING-0401-abcdef", r#""300""#));
    server.always(SEARCH, Reply::json(200, "[]"));
    let run = scene.run(scene.oauth(&server), &["tasks", "search"]);
    run.ok();
    assert_eq!(run.json(), json!([]));
    assert_eq!(
        bearers(&server, SEARCH),
        [Some("Bearer tok-STRING-0401-abcdef".to_owned())]
    );
    let left = scene.token_entry()["expires_at"].as_u64().unwrap() - now_secs();
    assert!((280..=300).contains(&left), "{left}");
}

#[test]
fn an_unusable_expires_in_names_the_field_never_the_token() {
    let scene = Scene::new();
    let server = scene.server();
    server.always(TOKEN, scene.token("tok-LEAK-0402-abcdef", r#""soon""#));
    server.always(SEARCH, Reply::json(200, "[]"));
    for (verbosity, cmd) in verbosities(&scene, &server) {
        let line = scene.run(cmd, &["tasks", "search"]).fails(3);
        assert!(line.contains("expires_in"), "{verbosity}: {line}");
        assert!(
            line.contains("did not answer like an OAuth 2.0 server"),
            "{line}"
        );
    }
    assert_eq!(server.count(SEARCH), 0);
}

// ---------------------------------------------------------------------------------------------
// 3. Huge expiry values

/// An unsigned JWT with `claims` (the client only reads it).
fn jwt(claims: &str) -> String {
    let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!("{}.{}.c2ln", enc(r#"{"alg":"none"}"#), enc(claims))
}

#[test]
fn huge_lifetimes_are_clamped_not_a_panic() {
    for (token, expires_in) in [
        ("tok-HUGE-0501-abcdef".to_owned(), "1e20"),
        (jwt(r#"{"exp":1e300}"#), "300"),
    ] {
        let scene = Scene::new();
        let server = scene.server();
        server.always(TOKEN, scene.token(&token, expires_in));
        server.always(SEARCH, Reply::json(200, "[]"));
        // The first run takes the token from the endpoint, the second from the disk cache.
        for _ in 0..2 {
            scene.run(scene.oauth(&server), &["tasks", "search"]).ok();
        }
        assert_eq!(server.count(TOKEN), 1, "{expires_in}");
        let bearer = Some(format!("Bearer {token}"));
        assert_eq!(bearers(&server, SEARCH), [bearer.clone(), bearer]);
        let expires_at = scene.token_entry()["expires_at"].as_u64().unwrap();
        assert!(
            expires_at <= now_secs() + 366 * 24 * 3600,
            "{expires_in}: {expires_at}"
        );
    }
}

#[test]
fn a_cache_file_with_an_impossible_expiry_is_replaced_not_a_panic() {
    let scene = Scene::new();
    let server = scene.server();
    server.once(TOKEN, scene.token("tok-FIRST-0502-abcdef", "300"));
    server.always(TOKEN, scene.token("tok-FRESH-0502-abcdef", "300"));
    server.always(SEARCH, Reply::json(200, "[]"));
    scene.run(scene.oauth(&server), &["tasks", "search"]).ok();
    let file = scene.token_file();
    scene.secret("poison");
    std::fs::write(
        &file,
        r#"{"format":"tasklist-rs/token/v1","access_token":"poison","expires_at":18446744073709551615,"lifetime":18446744073709551615}"#,
    )
    .unwrap();

    scene.run(scene.oauth(&server), &["tasks", "search"]).ok();
    assert_eq!(server.count(TOKEN), 2, "a new token was fetched");
    let entry = scene.token_entry();
    assert_eq!(entry["access_token"], "tok-FRESH-0502-abcdef", "{entry}");
    assert!(entry["expires_at"].as_u64().unwrap() <= now_secs() + 300);
    // The next run reads the replaced entry.
    scene.run(scene.oauth(&server), &["tasks", "search"]).ok();
    assert_eq!(server.count(TOKEN), 2);
    let fresh = Some("Bearer tok-FRESH-0502-abcdef".to_owned());
    assert_eq!(
        bearers(&server, SEARCH),
        [
            Some("Bearer tok-FIRST-0502-abcdef".to_owned()),
            fresh.clone(),
            fresh
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// 4. A valid token on disk is used whatever happens to its renewal

/// Caches `token` (issued for 300 s) through one run, then rewrites its entry to have `left`
/// seconds of its 300 s lifetime left.
fn token_on_disk(scene: &Scene, server: &Hostile, token: &str, left: u64) {
    server.once(TOKEN, scene.token(token, "300"));
    scene.run(scene.oauth(server), &["tasks", "search"]).ok();
    let mut entry = scene.token_entry();
    assert_eq!(entry["access_token"], token);
    entry["expires_at"] = json!(now_secs() + left);
    entry["lifetime"] = json!(300);
    std::fs::write(scene.token_file(), entry.to_string()).unwrap();
}

#[test]
fn a_valid_token_on_disk_is_used_when_its_renewal_fails_or_hangs() {
    // 34 s left of 300: valid, its renewal due within seconds. 20 s left: renewal due now.
    for (failure, left) in [("503", 34), ("503", 20), ("hang", 34), ("hang", 20)] {
        let scene = Scene::new();
        let server = scene.server();
        server.always(SEARCH, Reply::json(200, "[]"));
        let token = format!("tok-DISK-0601-{failure}-{left}");
        token_on_disk(&scene, &server, &token, left);
        server.always(
            TOKEN,
            match failure {
                "503" => Reply::new(503).body("down"),
                _ => Reply::hang(),
            },
        );

        let started = Instant::now();
        let run = scene.run(scene.oauth(&server), &["tasks", "search"]);
        let took = started.elapsed();
        run.ok();
        // Waiting on the endpoint would take the 30 s timeout; a loaded machine gets room.
        assert!(took < Duration::from_secs(10), "{failure} {left}: {took:?}");
        assert_eq!(
            bearers(&server, SEARCH)[1],
            Some(format!("Bearer {token}")),
            "{failure} {left}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Cookie sessions: what the server changes is saved, what another origin plants is not

#[test]
fn a_rotated_session_cookie_and_csrf_token_are_saved() {
    let scene = Scene::new();
    let server = scene.server();
    server.always(
        "/api/login",
        scene.login("session-ONE-0701-abcdef", "csrf-ONE-0701-abcdef"),
    );
    scene.secret("session-TWO-0701-abcdef");
    scene.secret("csrf-TWO-0701-abcdef");
    server.always(
        "/v1/tasks/1",
        Reply::json(200, task("1"))
            .header(
                "set-cookie",
                "TASKLIST-SESSION=session-TWO-0701-abcdef; Path=/; HttpOnly",
            )
            .header("x-csrf-token", "csrf-TWO-0701-abcdef"),
    );
    server.always(SEARCH, Reply::json(200, "[]"));

    scene.run(scene.cookie(&server), &["auth", "login"]).ok();
    let saved = std::fs::read_to_string(scene.session_file()).unwrap();
    assert!(saved.contains("session-ONE-0701-abcdef"), "{saved}");
    let get = scene.run(scene.cookie(&server), &["tasks", "get", "1"]);
    get.ok();
    assert_eq!(get.json()["id"], "1");
    let sent = &server.requests_to("/v1/tasks/1")[0];
    assert_eq!(
        sent.header("cookie"),
        Some("TASKLIST-SESSION=session-ONE-0701-abcdef")
    );

    // The next process has no password: only the saved session can authenticate it.
    let search = scene.run(scene.cookie_without_password(&server), &["tasks", "search"]);
    search.ok();
    let sent = &server.requests_to(SEARCH)[0];
    assert_eq!(
        sent.header("cookie"),
        Some("TASKLIST-SESSION=session-TWO-0701-abcdef"),
        "{}",
        sent.text()
    );
    assert_eq!(sent.header("x-csrf-token"), Some("csrf-TWO-0701-abcdef"));
    assert_eq!(server.count("/api/login"), 1);

    let saved = std::fs::read_to_string(scene.session_file()).unwrap();
    assert!(
        saved.contains("session-TWO-0701-abcdef") && saved.contains("csrf-TWO-0701-abcdef"),
        "{saved}"
    );
    assert!(!saved.contains("ONE-0701"), "{saved}");
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(scene.session_file())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}

#[test]
fn cookies_and_a_csrf_token_planted_by_another_origin_are_not_taken() {
    let scene = Scene::new();
    let server = scene.server();
    let planter = scene.server();
    server.always(
        "/api/login",
        scene.login("session-OWN-0801-abcdef", "csrf-OWN-0801-abcdef"),
    );
    scene.secret("planted-SESSION-0801");
    scene.secret("planted-CSRF-0801");
    // The planter answers whatever it is sent on to with a session cookie and a CSRF token.
    let planting = |reply: Reply| {
        reply
            .header(
                "set-cookie",
                "TASKLIST-SESSION=planted-SESSION-0801; Path=/",
            )
            .header("x-csrf-token", "planted-CSRF-0801")
    };
    server.always(
        "/v1/tasks/1",
        Reply::redirect(302, planter.url("/v1/tasks/1")),
    );
    planter.always("/v1/tasks/1", planting(Reply::json(200, task("1"))));
    // The first page of a search is sent on to the planter, the rest is served here.
    server.once(SEARCH, Reply::redirect(302, planter.url(SEARCH)));
    planter.always(SEARCH, planting(Reply::json(200, page(1..=2))));
    server.always(SEARCH, Reply::json(200, "[]"));

    // One process: logs in, is sent to the planter, and saves its session.
    let get = scene.run(scene.cookie(&server), &["tasks", "get", "1"]);
    get.ok();
    assert_eq!(get.json()["id"], "1");
    let saved = std::fs::read_to_string(scene.session_file()).unwrap();
    assert!(!saved.contains("planted"), "{saved}");
    assert!(saved.contains("session-OWN-0801-abcdef"), "{saved}");

    // Another: its first page comes from the planter; the next request, in the same process,
    // still carries its own session.
    let all = scene.run(
        scene.cookie(&server),
        &[
            "tasks",
            "search",
            "--all",
            "--page-size",
            "2",
            "-o",
            "jsonl",
        ],
    );
    all.ok();
    assert_eq!(all.jsonl().len(), 2, "{}", all.stdout);
    // A third, without a password: only the saved session can authenticate it.
    scene
        .run(scene.cookie_without_password(&server), &["tasks", "search"])
        .ok();

    for landed in planter.requests() {
        assert_eq!(landed.header("cookie"), None, "{}", landed.text());
        assert_eq!(landed.header("x-csrf-token"), None, "{}", landed.text());
    }
    assert_eq!(planter.count("/v1/tasks/1"), 1);
    assert_eq!(planter.count(SEARCH), 1);
    let searches = server.requests_to(SEARCH);
    assert_eq!(
        searches.len(),
        3,
        "the redirected page, the next page, the third run"
    );
    for sent in &searches {
        assert_eq!(
            sent.header("cookie"),
            Some("TASKLIST-SESSION=session-OWN-0801-abcdef"),
            "{}",
            sent.text()
        );
        assert_eq!(
            sent.header("x-csrf-token"),
            Some("csrf-OWN-0801-abcdef"),
            "{}",
            sent.text()
        );
    }
    let saved = std::fs::read_to_string(scene.session_file()).unwrap();
    assert!(!saved.contains("planted"), "{saved}");
    assert_eq!(server.count("/api/login"), 1);
}

// ---------------------------------------------------------------------------------------------
// 6. Errors that point at the right setting

#[test]
fn an_html_page_from_the_token_endpoint_points_at_the_token_url() {
    let scene = Scene::new();
    let server = scene.server();
    server.always(
        TOKEN,
        Reply::new(200)
            .header("content-type", "text/html")
            .body("<html><body>Welcome to the portal</body></html>"),
    );
    let line = scene
        .run(scene.oauth(&server), &["tasks", "search"])
        .fails(3);
    assert!(
        line.contains("did not answer like an OAuth 2.0 server"),
        "{line}"
    );
    assert!(line.contains("--oauth-url"), "{line}");
    assert!(line.contains(&server.url(TOKEN)), "{line}");
    assert!(!line.contains("check the client id and secret"), "{line}");
    assert_eq!(server.count(SEARCH), 0);
}

#[test]
fn a_wrong_password_on_8_7_is_sent_once_and_the_error_names_that_path() {
    let scene = Scene::new();
    let server = scene.server();
    server.always("/api/login", Reply::json(401, r#"{"message":""}"#));
    server.always("/login", Reply::json(401, r#"{"message":""}"#));
    let wrong = scene.dir().join("wrong-password");
    let password = scene.secret("pw-WRONG-0a9Fz3Qe-user");
    std::fs::write(&wrong, format!("{password}\n")).unwrap();
    for login_url in [
        None,
        Some(server.base()),
        Some(format!("{}/", server.base())),
    ] {
        let before = server.count("/api/login");
        let mut cmd = scene.cookie_without_password(&server);
        cmd.arg("--password-file").arg(&wrong);
        if let Some(url) = &login_url {
            cmd.arg("--login-url").arg(url);
        }
        let line = scene.run(cmd, &["auth", "login"]).fails(3);
        assert_eq!(server.count("/api/login"), before + 1, "{login_url:?}");
        assert_eq!(server.count("/login"), 0, "{login_url:?}");
        assert!(line.contains(&server.url("/api/login")), "{line}");
    }
    let sent = String::from_utf8_lossy(&server.requests_to("/api/login")[0].body).into_owned();
    assert!(sent.contains("0a9Fz3Qe"), "{sent}");
}

// ---------------------------------------------------------------------------------------------
// 7. The smaller ones

#[test]
fn a_503_and_a_reset_from_the_token_endpoint_are_retried() {
    let scene = Scene::new();
    let server = scene.server();
    server.once(TOKEN, Reply::new(503).body("busy"));
    server.once(TOKEN, Reply::reset());
    server.always(TOKEN, scene.token("tok-THIRD-1101-abcdef", "300"));
    server.always(SEARCH, Reply::json(200, "[]"));
    scene.run(scene.oauth(&server), &["tasks", "search"]).ok();
    assert_eq!(server.count(TOKEN), 3);
    assert_eq!(
        bearers(&server, SEARCH),
        [Some("Bearer tok-THIRD-1101-abcdef".to_owned())]
    );
}

#[test]
fn expires_in_zero_costs_one_token_request_for_every_page() {
    let scene = Scene::new();
    let server = scene.server();
    server.always(TOKEN, scene.token("tok-ZERO-1201-abcdef", "0"));
    // Five tasks, ids 1..=5, served two at a time after the cursor.
    server.respond_with(SEARCH, |request| {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let size = body["pageSize"].as_u64().unwrap_or(50);
        let after = body["searchAfter"][1]
            .as_str()
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0);
        Reply::json(200, page((after + 1..=5).take(size as usize)))
    });
    let run = scene.run(
        scene.oauth(&server),
        &[
            "tasks",
            "search",
            "--all",
            "--page-size",
            "2",
            "-o",
            "jsonl",
        ],
    );
    run.ok();
    let ids: Vec<Value> = run.jsonl().iter().map(|t| t["id"].clone()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    assert_eq!(server.count(SEARCH), 3);
    assert_eq!(server.count(TOKEN), 1);
    let afters: Vec<Value> = server
        .requests_to(SEARCH)
        .iter()
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap()["searchAfter"].clone())
        .collect();
    assert_eq!(
        afters,
        [Value::Null, json!(["2000", "2"]), json!(["4000", "4"])]
    );
}

#[test]
fn a_stale_temporary_of_a_killed_writer_is_removed() {
    let scene = Scene::new();
    let server = scene.server();
    server.always(TOKEN, scene.token("tok-WRITE-1301-abcdef", "300"));
    server.always(SEARCH, Reply::json(200, "[]"));
    scene.run(scene.oauth(&server), &["tasks", "search"]).ok();
    let file = scene.token_file();
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    // A writer killed between creating its temporary and renaming it: its pid is above the
    // kernel's maximum (2^22), so it cannot be alive.
    let stale = scene
        .token_dir()
        .join(format!(".{name}.4194305-00000000deadbeef.tmp"));
    std::fs::write(&stale, r#"{"access_token":"tok-HALF-1301-abcdef"}"#).unwrap();
    scene.secret("tok-HALF-1301-abcdef");
    std::fs::remove_file(&file).unwrap();

    scene.run(scene.oauth(&server), &["tasks", "search"]).ok();
    assert_eq!(server.count(TOKEN), 2, "the second run wrote a token");
    assert!(file.exists());
    assert!(!stale.exists(), "the stale temporary is still there");
}

// ---------------------------------------------------------------------------------------------
// What already held, kept

#[test]
fn an_api_redirect_to_another_origin_arrives_without_the_token() {
    let scene = Scene::new();
    let server = scene.server();
    let other = scene.server();
    server.always(TOKEN, scene.token("tok-API-1401-abcdef", "300"));
    server.always(
        "/v1/tasks/1",
        Reply::redirect(302, other.url("/v1/tasks/1")),
    );
    other.always("/v1/tasks/1", Reply::json(200, task("1")));
    let run = scene.run(scene.oauth(&server), &["tasks", "get", "1"]);
    run.ok();
    assert_eq!(run.json()["id"], "1");
    assert_eq!(
        bearers(&server, "/v1/tasks/1"),
        [Some("Bearer tok-API-1401-abcdef".to_owned())]
    );
    let landed = other.requests();
    assert_eq!(landed.len(), 1);
    assert_eq!(
        landed[0].header("authorization"),
        None,
        "{}",
        landed[0].text()
    );
    assert!(!saw_a_secret(&other));
}

#[test]
fn complete_and_assign_are_sent_once_after_a_503_or_a_reset() {
    let scene = Scene::new();
    let server = scene.server();
    server.always(TOKEN, scene.token("tok-ONCE-1402-abcdef", "300"));
    for (path, failure) in [
        (
            "/v1/tasks/1/complete",
            Reply::new(503).header("retry-after", "0"),
        ),
        ("/v1/tasks/2/complete", Reply::reset()),
        (
            "/v1/tasks/3/assign",
            Reply::new(503).header("retry-after", "0"),
        ),
        ("/v1/tasks/4/assign", Reply::reset()),
    ] {
        server.always(path, failure);
        let mut parts = path.split('/').skip(3);
        let (id, verb) = (parts.next().unwrap(), parts.next().unwrap());
        let mut args = vec!["tasks", verb, id];
        if verb == "assign" {
            args.extend(["--assignee", "demo"]);
        }
        scene.run(scene.oauth(&server), &args).fails(6);
        assert_eq!(server.count(path), 1, "{path} was repeated");
    }
    assert_eq!(server.count(TOKEN), 1);
}

#[test]
fn a_short_secret_is_not_blanked_out_of_the_tools_own_words() {
    // `secret` is a common development value and an ordinary word: the tool's own wording
    // (`--client-secret-file`, "the client id and secret") stays whole, and the server's
    // echo of the form still loses it (every `secret` in the server's words goes, the field
    // name's included: short secrets are blanked wherever the server wrote them).
    let scene = Scene::new();
    let server = scene.server();
    server.respond_with(TOKEN, |request| {
        let form = String::from_utf8_lossy(&request.body).into_owned();
        Reply::json(
            401,
            json!({"error": "invalid_client", "error_description": format!("rejected {form}")})
                .to_string(),
        )
    });
    let mut cmd = scene.oauth(&server);
    cmd.env("CAMUNDA_CLIENT_SECRET", "secret");
    let run = scene.run(cmd, &["tasks", "search"]);
    let line = run.fails(3);
    assert!(line.contains("--client-secret-file"), "{line}");
    assert!(line.contains("the client id and secret"), "{line}");
    assert!(line.contains("=<redacted>&audience"), "{line}");
    assert!(!line.contains("=secret"), "{line}");
}

#[test]
fn log_lines_show_the_servers_control_characters_escaped() {
    // The token endpoint's error description carries a title-setting OSC and a screen clear;
    // with `-v` the failed token request is also logged (WARN), and at `RUST_LOG=trace` much
    // more: no raw control character but the line breaks reaches the terminal.
    let scene = Scene::new();
    let server = scene.server();
    server.always(
        TOKEN,
        Reply::json(
            400,
            r#"{"error":"invalid_request","error_description":"bad \u001b]0;pwned\u0007 \u001b[2J\u009b6n"}"#,
        ),
    );
    for args in [&["-v", "tasks", "search"][..], &["tasks", "search"][..]] {
        let mut cmd = scene.oauth(&server);
        if args.len() == 2 {
            cmd.env("RUST_LOG", "trace");
        }
        let run = scene.run(cmd, args);
        run.code(3);
        assert!(run.stderr.contains("WARN"), "{}", run.stderr);
        let raw: Vec<char> = run
            .stderr
            .chars()
            .filter(|c| *c != '\n' && (c.is_control() || ('\u{80}'..='\u{9f}').contains(c)))
            .collect();
        assert!(raw.is_empty(), "raw controls {raw:?} in:\n{}", run.stderr);
        assert!(
            run.stderr.contains(r"bad \x1b]0;pwned\x07"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_plain_http_tasklist_on_a_remote_host_gets_no_credentials() {
    // The token endpoint is fine (loopback); the API base URL is plain http to another
    // machine: the token would cross the network in the clear. Nothing is sent, not even the
    // token request, unless the user opts in.
    let scene = Scene::new();
    let server = scene.server();
    server.always(TOKEN, scene.token("tok-PLAIN-0901-abcdef", "300"));
    let remote = "http://tasklist.invalid:8080";
    let line = scene
        .run(
            scene.oauth_at(remote, &server.url(TOKEN)),
            &["tasks", "search"],
        )
        .fails(2);
    assert!(
        line.contains("plain http") && line.contains("tasklist.invalid"),
        "{line}"
    );
    assert!(line.contains("--allow-insecure-http"), "{line}");
    assert_eq!(server.count(TOKEN), 0, "a token was asked for");

    // Opted in: the token is fetched and the call goes out (to a host that does not exist).
    let mut cmd = scene.oauth_at(remote, &server.url(TOKEN));
    cmd.arg("--allow-insecure-http");
    scene.run(cmd, &["tasks", "search"]).fails(6);
    assert_eq!(server.count(TOKEN), 1);
}
