//! The client stack against a server that cannot be trusted ([`tasklist_e2e::hostile`]), over
//! real HTTP on loopback: one test per way a hostile or broken server was seen to hurt a
//! client, and for the defences that already held. The CLI's suite (`tasklist-cli`'s
//! `tests/cli/hostile.rs`) runs the same servers through the built binary.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};
use tasklist_api::{Client, Error as ApiError, Variables};
use tasklist_auth::{
    ClientAuthMethod, ClientCredentials, CookieAuth, Error as AuthError, LoginPath, TokenCache,
};
use tasklist_e2e::hostile::{Hostile, Recorded, Reply};
use tasklist_transport::{
    Bytes, HttpTransport, RetryPolicy, SharedTransport, Transport, TransportExt, http,
};

const CLIENT_ID: &str = "hostile-client";
const SECRET: &str = "cs-HOSTILE-4kR9pQ2z-secret";
const USER: &str = "ann";
const PASSWORD: &str = "pw-HOSTILE-7Tn3Vw8x-password";

fn transport() -> HttpTransport {
    HttpTransport::builder()
        .no_proxy()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// A token response with `token` and `expires_in` given as raw JSON.
fn token_answer(token: &str, expires_in: &str) -> Reply {
    Reply::json(
        200,
        format!(r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":{expires_in}}}"#),
    )
}

fn credentials(server: &Hostile) -> ClientCredentials {
    ClientCredentials::builder(server.url("/oauth/token"), CLIENT_ID, SECRET.into())
        .audience("tasklist-api")
        .build(transport().into_shared())
        .unwrap()
}

fn cache(server: &Hostile) -> TokenCache {
    TokenCache::builder(Arc::new(credentials(server))).build()
}

/// The API stack: tracing, the authenticator, retries.
fn stack(authenticator: Arc<dyn tasklist_transport::Authenticator>) -> SharedTransport {
    transport()
        .with_tracing()
        .with_authenticator(authenticator)
        .with_retry(RetryPolicy::default())
        .into_shared()
}

fn get(url: &str) -> http::Request<Bytes> {
    http::Request::get(url).body(Bytes::new()).unwrap()
}

fn post(url: &str, body: &'static str) -> http::Request<Bytes> {
    http::Request::post(url)
        .header("content-type", "application/json")
        .body(Bytes::from_static(body.as_bytes()))
        .unwrap()
}

/// Asserts that `text` holds no secret of this suite.
#[track_caller]
fn clean(text: &str) {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{SECRET}"));
    for secret in [SECRET, PASSWORD, "4kR9pQ2z", "7Tn3Vw8x", basic.as_str()] {
        assert!(!text.contains(secret), "a secret leaked: {text}");
    }
}

/// The error chain of `error`, every level on a line.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        text.push('\n');
        text.push_str(&cause.to_string());
        next = cause.source();
    }
    text
}

/// Everything `tracing` writes while `run` runs (on this thread, at TRACE).
async fn logs_of<T>(run: impl Future<Output = T>) -> (T, String) {
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let sink = Sink::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    let out = run.await;
    drop(guard);
    let text = String::from_utf8_lossy(&sink.0.lock().unwrap()).into_owned();
    (out, text)
}

// ---------------------------------------------------------------------------------------------
// 1. Credentials never follow a redirect to another origin

#[tokio::test]
async fn a_token_endpoint_redirecting_to_another_port_never_passes_on_the_secret() {
    let server = Hostile::start().await.unwrap();
    let thief = Hostile::start().await.unwrap();
    thief.always("/steal", token_answer("stolen-token-0001", "300"));
    for status in [301, 302, 303, 307, 308] {
        server.once("/oauth/token", Reply::redirect(status, thief.url("/steal")));
        let err = cache(&server).token().await.unwrap_err();
        let text = chain(&err);
        assert!(
            text.contains("never sent to another origin"),
            "{status}: {text}"
        );
        clean(&text);
    }
    assert_eq!(thief.requests(), Vec::<Recorded>::new());
}

#[tokio::test]
async fn a_token_endpoint_redirecting_to_another_name_of_itself_never_passes_on_the_secret() {
    let server = Hostile::start().await.unwrap();
    server.always(
        "/oauth/token",
        Reply::redirect(307, format!("{}/steal", server.base_as_localhost())),
    );
    server.always("/steal", token_answer("stolen-token-0002", "300"));
    let err = cache(&server).token().await.unwrap_err();
    assert!(chain(&err).contains("localhost"), "{err}");
    assert_eq!(server.count("/steal"), 0);
}

#[tokio::test]
async fn a_token_endpoint_redirect_within_its_origin_is_followed() {
    let server = Hostile::start().await.unwrap();
    server.always("/oauth/token", Reply::redirect(308, "/realms/token"));
    server.always("/realms/token", token_answer("moved-token-0003", "300"));
    let token = cache(&server).token().await.unwrap();
    assert_eq!(token.secret().expose_secret(), "moved-token-0003");
    let moved = &server.requests_to("/realms/token")[0];
    assert!(String::from_utf8_lossy(&moved.body).contains("client_secret="));
}

#[tokio::test]
async fn a_login_redirecting_to_another_origin_never_passes_on_the_password() {
    let server = Hostile::start().await.unwrap();
    let thief = Hostile::start().await.unwrap();
    server.always("/api/login", Reply::redirect(307, thief.url("/api/login")));
    thief.always(
        "/api/login",
        Reply::new(204).header("set-cookie", "TASKLIST-SESSION=planted-session-1; Path=/"),
    );
    let auth = CookieAuth::builder(&server.base())
        .username(USER)
        .password(PASSWORD.into())
        .build(transport().into_shared())
        .unwrap();
    let err = auth.login().await.unwrap_err();
    assert!(matches!(err, AuthError::Transport { .. }), "{err:?}");
    clean(&chain(&err));
    assert!(thief.requests().is_empty());
    assert!(!auth.is_logged_in());
}

#[tokio::test]
async fn an_api_call_with_a_body_is_never_sent_again_to_another_origin() {
    let server = Hostile::start().await.unwrap();
    let thief = Hostile::start().await.unwrap();
    server.always("/oauth/token", token_answer("api-token-0004", "300"));
    server.always(
        "/v1/tasks/7/complete",
        Reply::redirect(307, thief.url("/v1/tasks/7/complete")),
    );
    let client = Client::new(&server.base(), stack(Arc::new(cache(&server)))).unwrap();
    let variables = Variables::new().with("iban", &"DE00 1234").unwrap();
    let err = client
        .tasks()
        .complete("7")
        .variables(variables)
        .await
        .unwrap_err();
    assert!(chain(&err).contains("CrossOriginBody"), "{err}");
    assert!(thief.requests().is_empty());
}

#[tokio::test]
async fn an_api_redirect_to_another_origin_arrives_without_credentials() {
    let server = Hostile::start().await.unwrap();
    let other = Hostile::start().await.unwrap();
    server.always("/oauth/token", token_answer("api-token-0005", "300"));
    server.always(
        "/v1/forms/1",
        Reply::redirect(302, other.url("/v1/forms/1")),
    );
    other.always("/v1/forms/1", Reply::json(200, r#"{"id":"1"}"#));
    let api = stack(Arc::new(cache(&server)));
    let response = api.send(get(&server.url("/v1/forms/1"))).await.unwrap();
    assert_eq!(response.status(), 200);
    let landed = &other.requests()[0];
    assert_eq!(landed.header("authorization"), None, "{}", landed.text());
}

// ---------------------------------------------------------------------------------------------
// 2. Secrets in error text

#[tokio::test]
async fn an_expires_in_given_as_a_numeric_string_is_accepted() {
    let server = Hostile::start().await.unwrap();
    server.always(
        "/oauth/token",
        token_answer("string-expiry-0006", r#""300""#),
    );
    let token = cache(&server).token().await.unwrap();
    let left = token
        .expires_at()
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(
        left > Duration::from_secs(290) && left <= Duration::from_secs(300),
        "{left:?}"
    );
}

#[tokio::test]
async fn a_token_response_that_cannot_be_used_names_the_field_never_the_token() {
    let server = Hostile::start().await.unwrap();
    for (body, field) in [
        (
            r#"{"access_token":"tok-LEAK-0007-abcdef","expires_in":"soon"}"#,
            "expires_in",
        ),
        (
            r#"{"access_token":"tok-LEAK-0007-abcdef","expires_in":-1}"#,
            "expires_in",
        ),
        (r#"{"token":"tok-LEAK-0007-abcdef"}"#, "access_token"),
        (r#"{"access_token":"","expires_in":300}"#, "access_token"),
    ] {
        server.once("/oauth/token", Reply::json(200, body));
        let err = cache(&server).token().await.unwrap_err();
        let text = chain(&err);
        assert!(text.contains(field), "{body}: {text}");
        assert!(!text.contains("tok-LEAK"), "the token leaked: {text}");
        assert!(
            text.contains("did not answer like an OAuth 2.0 server"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn a_token_endpoint_echoing_the_request_never_gets_the_secret_into_errors_or_logs() {
    let server = Hostile::start().await.unwrap();
    // Three ways to echo: the whole request as text, the form inside an OAuth error's
    // description, and the Authorization header inside it.
    let echoes: [fn(&Recorded) -> Reply; 3] = [
        |_| Reply::new(400).echo(),
        |request| {
            let description = String::from_utf8_lossy(&request.body).into_owned();
            Reply::json(
                400,
                json!({"error": "invalid_request", "error_description": description}).to_string(),
            )
        },
        |request| {
            let description = format!("refused {}", request.header("authorization").unwrap_or("-"));
            Reply::json(
                401,
                json!({"error": "invalid_client", "error_description": description}).to_string(),
            )
        },
    ];
    for (n, echo) in echoes.into_iter().enumerate() {
        server.respond_with("/oauth/token", echo);
        for method in [ClientAuthMethod::RequestBody, ClientAuthMethod::BasicAuth] {
            let credentials =
                ClientCredentials::builder(server.url("/oauth/token"), CLIENT_ID, SECRET.into())
                    .client_auth(method)
                    .build(transport().into_shared())
                    .unwrap();
            let cache = TokenCache::builder(Arc::new(credentials)).build();
            let (result, logs) = logs_of(cache.token()).await;
            let err = result.unwrap_err();
            let text = format!("{}\n{err:?}", chain(&err));
            clean(&text);
            clean(&logs);
            assert!(logs.contains("token request failed"), "{logs}");
            let echoed = match (n, method) {
                (0, _) => false, // cut before the form, at 200 characters
                (1, ClientAuthMethod::RequestBody) | (2, ClientAuthMethod::BasicAuth) => true,
                _ => false,
            };
            if echoed {
                assert!(text.contains("<redacted>"), "{n} {method:?}: {text}");
            }
        }
    }
    // The echoes really held the secret: what the server received.
    let sent = server.requests()[0].text();
    assert!(sent.contains("4kR9pQ2z"), "{sent}");
}

#[tokio::test]
async fn an_api_error_echoing_the_authorization_header_is_redacted() {
    let server = Hostile::start().await.unwrap();
    server.always(
        "/oauth/token",
        token_answer("tok-ECHO-0008-abcdefgh", "300"),
    );
    server.always("/v1/tasks/search", Reply::new(400).echo());
    let client = Client::new(&server.base(), stack(Arc::new(cache(&server)))).unwrap();
    let err = client.tasks().search().await.unwrap_err();
    let text = format!("{}\n{err:?}", chain(&err));
    assert!(matches!(err, ApiError::InvalidRequest(_)), "{err:?}");
    assert!(text.contains("Bearer <redacted>"), "{text}");
    assert!(!text.contains("tok-ECHO"), "{text}");
}

#[tokio::test]
async fn a_login_echoing_the_form_never_gets_the_password_into_the_error() {
    let server = Hostile::start().await.unwrap();
    server.always("/api/login", Reply::new(401).echo());
    let auth = CookieAuth::builder(&server.base())
        .username(USER)
        .password(PASSWORD.into())
        .build(transport().into_shared())
        .unwrap();
    let err = auth.login().await.unwrap_err();
    let text = format!("{err}\n{err:?}");
    assert!(text.contains("<redacted>"), "{text}");
    clean(&text);
}

// ---------------------------------------------------------------------------------------------
// 3. Huge, negative and fractional expiry values

/// A JWT (unsigned; the client only reads it) with `claims`.
fn jwt(claims: &str) -> String {
    let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!("{}.{}.c2ln", enc(r#"{"alg":"none"}"#), enc(claims))
}

#[tokio::test]
async fn huge_or_fractional_lifetimes_are_clamped_not_a_panic() {
    let year = Duration::from_secs(365 * 24 * 3600);
    for (token, expires_in) in [
        ("opaque-huge-0009".to_owned(), "1e20"),
        ("opaque-huge-0010".to_owned(), "18446744073709551615"),
        ("opaque-frac-0011".to_owned(), "299.5"),
        (jwt(r#"{"exp":1e300}"#), "300"),
        (jwt(r#"{"exp":9999999999999.5}"#), "1e20"),
    ] {
        let server = Hostile::start().await.unwrap();
        server.always("/oauth/token", token_answer(&token, expires_in));
        server.always("/v1/forms/1", Reply::json(200, "{}"));
        let cache = cache(&server);
        let got = cache.token().await.unwrap();
        let left = got.expires_at().duration_since(SystemTime::now()).unwrap();
        assert!(left <= year, "{expires_in}: {left:?}");
        let response = stack(Arc::new(cache))
            .send(get(&server.url("/v1/forms/1")))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
}

/// The one token file in `dir`.
fn token_file(dir: &Path) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a token file")
}

fn disk_cache(server: &Hostile, dir: &Path) -> TokenCache {
    TokenCache::builder(Arc::new(credentials(server)))
        .disk_cache_dir(dir)
        .build()
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn a_cache_file_with_an_impossible_expiry_is_replaced_not_a_panic() {
    let server = Hostile::start().await.unwrap();
    server.always("/oauth/token", token_answer("fresh-token-0012", "300"));
    let dir = tempfile::tempdir().unwrap();
    disk_cache(&server, dir.path()).token().await.unwrap();
    let file = token_file(dir.path());
    for expires_at in [json!(u64::MAX), json!(1e300), json!(-5)] {
        std::fs::write(
            &file,
            json!({"format": "tasklist-rs/token/v1", "access_token": "poison-0012",
                   "expires_at": expires_at, "lifetime": u64::MAX})
            .to_string(),
        )
        .unwrap();
        let token = disk_cache(&server, dir.path()).token().await.unwrap();
        assert_eq!(token.secret().expose_secret(), "fresh-token-0012");
        let entry: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(entry["access_token"], "fresh-token-0012", "{expires_at}");
    }
}

// ---------------------------------------------------------------------------------------------
// 4. A valid token on disk is used whatever happens to its renewal

/// Writes a token file for `server`'s credentials into `dir` that has `left` seconds of a
/// 300 s lifetime left.
async fn token_on_disk(server: &Hostile, dir: &Path, token: &str, left: u64) {
    server.once("/oauth/token", token_answer(token, "300"));
    disk_cache(server, dir).token().await.unwrap();
    let file = token_file(dir);
    let mut entry: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    entry["expires_at"] = json!(now_secs() + left);
    entry["lifetime"] = json!(300);
    std::fs::write(&file, entry.to_string()).unwrap();
}

#[tokio::test]
async fn a_valid_token_on_disk_is_used_when_its_renewal_fails() {
    // 34 s left of 300: valid, renewal due within seconds (the margin is 30 s less up to 20 %
    // jitter). 20 s left: renewal due now, so it starts at once, in the background.
    for (left, renewal_due) in [(34, false), (20, true)] {
        let server = Hostile::start().await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let token = format!("disk-token-0013-{left}");
        token_on_disk(&server, dir.path(), &token, left).await;
        server.always("/oauth/token", Reply::new(503).body("down"));
        server.always("/v1/forms/1", Reply::json(200, "{}"));
        let before = server.count("/oauth/token");

        // A new process reads the token and calls the API with it.
        let cache = disk_cache(&server, dir.path());
        let response = stack(Arc::new(cache))
            .send(get(&server.url("/v1/forms/1")))
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{left} s left");
        let api = &server.requests_to("/v1/forms/1")[0];
        assert_eq!(
            api.header("authorization"),
            Some(format!("Bearer {token}").as_str())
        );
        if renewal_due {
            // Its renewal was tried in the background, and failed without harm.
            let deadline = Instant::now() + Duration::from_secs(5);
            while server.count("/oauth/token") == before && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            assert!(
                server.count("/oauth/token") > before,
                "no renewal was tried"
            );
        }
    }
}

#[tokio::test]
async fn a_valid_token_on_disk_is_used_at_once_when_the_endpoint_hangs() {
    let server = Hostile::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    token_on_disk(&server, dir.path(), "disk-token-0014", 34).await;
    server.always("/oauth/token", Reply::hang());
    server.always("/v1/forms/1", Reply::json(200, "{}"));

    // Another process is stuck renewing: it holds the entry's lock on a hanging request.
    let stuck = disk_cache(&server, dir.path());
    stuck.token().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let started = Instant::now();
    let token = disk_cache(&server, dir.path()).token().await.unwrap();
    let waited = started.elapsed();
    assert_eq!(token.secret().expose_secret(), "disk-token-0014");
    // The endpoint would hold it for the whole 5 s timeout; reading the disk takes milliseconds
    // (a loaded machine gets room).
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
}

// ---------------------------------------------------------------------------------------------
// 5. What the server changes in a cookie session is saved at once

/// A cookie server (8.7 paths): login sets `session-1` and CSRF `csrf-1`.
async fn cookie_server() -> Hostile {
    let server = Hostile::start().await.unwrap();
    server.always(
        "/api/login",
        Reply::new(204)
            .header(
                "set-cookie",
                "TASKLIST-SESSION=session-value-0001; Path=/; HttpOnly",
            )
            .header("x-csrf-token", "csrf-value-0001"),
    );
    server
}

/// The `Cookie` and `X-CSRF-TOKEN` headers of the first search `server` received.
fn session_of_first_search(server: &Hostile) -> [String; 2] {
    let search = &server.requests_to("/v1/tasks/search")[0];
    ["cookie", "x-csrf-token"].map(|name| search.header(name).unwrap_or_default().to_owned())
}

fn cookie_auth(server: &Hostile, file: Option<&Path>, password: bool) -> CookieAuth {
    let mut builder = CookieAuth::builder(&server.base())
        .username(USER)
        .login_path(LoginPath::Api);
    if password {
        builder = builder.password(PASSWORD.into());
    }
    if let Some(file) = file {
        builder = builder.persist_to(file);
    }
    builder.build(transport().into_shared()).unwrap()
}

#[tokio::test]
async fn a_rotated_csrf_token_and_session_cookie_are_saved_before_the_call_returns() {
    let server = cookie_server().await;
    server.always(
        "/v1/forms/1",
        Reply::json(200, "{}")
            .header(
                "set-cookie",
                "TASKLIST-SESSION=session-value-0002; Path=/; HttpOnly",
            )
            .header("x-csrf-token", "csrf-value-0002"),
    );
    server.always("/v1/tasks/search", Reply::json(200, "[]"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("session.json");

    let first = cookie_auth(&server, Some(&file), true);
    let response = stack(Arc::new(first))
        .send(get(&server.url("/v1/forms/1")))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(
        saved.contains("session-value-0002") && saved.contains("csrf-value-0002"),
        "{saved}"
    );
    assert!(!saved.contains("session-value-0001"), "{saved}");
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // The next process, without a password, carries on with the rotated session.
    let next = cookie_auth(&server, Some(&file), false);
    let response = stack(Arc::new(next))
        .send(post(&server.url("/v1/tasks/search"), "{}"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        session_of_first_search(&server),
        ["TASKLIST-SESSION=session-value-0002", "csrf-value-0002"]
    );
    assert_eq!(server.count("/api/login"), 1);
}

// ---------------------------------------------------------------------------------------------
// 6. Cookies and CSRF tokens of another origin are not taken

#[tokio::test]
async fn cookies_and_a_csrf_token_planted_by_another_origin_are_ignored() {
    let server = cookie_server().await;
    let planter = Hostile::start().await.unwrap();
    server.always(
        "/v1/forms/1",
        Reply::redirect(302, planter.url("/v1/forms/1")),
    );
    planter.always(
        "/v1/forms/1",
        Reply::json(200, "{}")
            .header(
                "set-cookie",
                "TASKLIST-SESSION=planted-session-0003; Path=/",
            )
            .header("set-cookie", "tracker=planted-tracker-0003; Path=/")
            .header("x-csrf-token", "planted-csrf-0003"),
    );
    server.always("/v1/tasks/search", Reply::json(200, "[]"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("session.json");
    let auth = cookie_auth(&server, Some(&file), true);
    let api = stack(Arc::new(auth));

    let response = api.send(get(&server.url("/v1/forms/1"))).await.unwrap();
    assert_eq!(response.status(), 200);
    let response = api
        .send(post(&server.url("/v1/tasks/search"), "{}"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        session_of_first_search(&server),
        ["TASKLIST-SESSION=session-value-0001", "csrf-value-0001"]
    );
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(!saved.contains("planted"), "{saved}");
}

// ---------------------------------------------------------------------------------------------
// 7. Paging that never ends

#[tokio::test]
async fn a_server_that_repeats_its_page_ends_the_stream_with_an_error() {
    use futures::StreamExt as _;
    let server = Hostile::start().await.unwrap();
    server.always("/oauth/token", token_answer("paging-token-0018", "300"));
    let page: Vec<Value> = (1..=2)
        .map(|n| json!({"id": n.to_string(), "name": "t", "sortValues": [n.to_string()]}))
        .collect();
    server.always(
        "/v1/tasks/search",
        Reply::json(200, json!(page).to_string()),
    );
    let client = Client::new(&server.base(), stack(Arc::new(cache(&server)))).unwrap();
    let items: Vec<_> = client
        .tasks()
        .search()
        .page_size(2)
        .into_stream()
        .collect()
        .await;
    assert_eq!(items.len(), 3, "two tasks, then the error");
    assert!(items[..2].iter().all(Result::is_ok));
    let err = items[2].as_ref().unwrap_err();
    assert!(matches!(err, ApiError::PagingStalled { .. }), "{err:?}");
    assert_eq!(server.count("/v1/tasks/search"), 2);
}

// ---------------------------------------------------------------------------------------------
// 9. The smaller ones

#[tokio::test]
async fn expires_in_zero_costs_one_token_request_not_one_per_call() {
    let server = Hostile::start().await.unwrap();
    server.always("/oauth/token", token_answer("zero-token-0015", "0"));
    server.always("/v1/forms/1", Reply::json(200, "{}"));
    let api = stack(Arc::new(cache(&server)));
    let (_, logs) = logs_of(async {
        for _ in 0..50 {
            let response = api.send(get(&server.url("/v1/forms/1"))).await.unwrap();
            assert_eq!(response.status(), 200);
        }
    })
    .await;
    assert_eq!(server.count("/oauth/token"), 1);
    assert!(logs.contains("lifetime of 0ns"), "{logs}");
}

#[tokio::test]
async fn a_503_and_a_reset_from_the_token_endpoint_are_retried() {
    let server = Hostile::start().await.unwrap();
    server.once("/oauth/token", Reply::new(503).body("busy"));
    server.once("/oauth/token", Reply::reset());
    server.always("/oauth/token", token_answer("third-time-0016", "300"));
    let token = cache(&server).token().await.unwrap();
    assert_eq!(token.secret().expose_secret(), "third-time-0016");
    assert_eq!(server.count("/oauth/token"), 3);
}

#[tokio::test]
async fn a_wrong_password_on_8_7_is_sent_once_and_the_error_names_that_path() {
    let server = Hostile::start().await.unwrap();
    // 8.7: its login form refuses with `{"message":""}`; `/login` is a protected path.
    server.always("/api/login", Reply::json(401, r#"{"message":""}"#));
    server.always("/login", Reply::json(401, r#"{"message":""}"#));
    let auth = CookieAuth::builder(&server.base())
        .username(USER)
        .password(PASSWORD.into())
        .login_path(LoginPath::TryBoth)
        .build(transport().into_shared())
        .unwrap();
    let err = auth.login().await.unwrap_err();
    assert_eq!(server.count("/api/login"), 1);
    assert_eq!(server.count("/login"), 0);
    assert!(err.to_string().contains(&server.url("/api/login")), "{err}");

    // 8.8: `/api/login` is an API path asking for authentication; its form is at /login.
    let server = Hostile::start().await.unwrap();
    server.always(
        "/api/login",
        Reply::new(401)
            .header("content-type", "application/problem+json")
            .body(r#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"Full authentication is required to access this resource","instance":"/api/login"}"#),
    );
    server.always(
        "/login",
        Reply::new(401)
            .header("content-type", "application/problem+json")
            .body(r#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"Bad credentials","instance":"/login"}"#),
    );
    let auth = CookieAuth::builder(&server.base())
        .username(USER)
        .password(PASSWORD.into())
        .login_path(LoginPath::TryBoth)
        .build(transport().into_shared())
        .unwrap();
    let err = auth.login().await.unwrap_err();
    assert_eq!(server.count("/api/login"), 1);
    assert_eq!(server.count("/login"), 1);
    let text = err.to_string();
    assert!(text.contains(&server.url("/login")), "{text}");
    assert!(text.contains("Bad credentials"), "{text}");
}

#[tokio::test]
async fn an_html_200_from_the_token_endpoint_says_it_is_not_an_oauth_server() {
    let server = Hostile::start().await.unwrap();
    server.always(
        "/oauth/token",
        Reply::new(200)
            .header("content-type", "text/html")
            .body("<html><body>Welcome to the portal</body></html>"),
    );
    let err = cache(&server).token().await.unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, AuthError::TokenResponse { status: 200, .. }),
        "{err:?}"
    );
    assert!(
        text.contains("did not answer like an OAuth 2.0 server"),
        "{text}"
    );
    assert!(text.contains("an HTML page"), "{text}");
    assert!(text.contains("CAMUNDA_OAUTH_URL"), "{text}");
    assert!(!err.is_bad_credentials());
}

// ---------------------------------------------------------------------------------------------
// What already held, kept

#[tokio::test]
async fn an_oversized_body_is_refused_at_the_cap() {
    let server = Hostile::start().await.unwrap();
    server.always("/big", Reply::new(200).body(vec![b'x'; 64 * 1024]));
    server.always(
        "/liar",
        Reply::new(200)
            .header("content-length", "99999999999")
            .body("x"),
    );
    let capped = HttpTransport::builder()
        .no_proxy()
        .max_response_body_bytes(16 * 1024)
        .build()
        .unwrap();
    for path in ["/big", "/liar"] {
        let err = capped.send(get(&server.url(path))).await.unwrap_err();
        assert!(err.is_body_too_large(), "{path}: {err:?}");
    }
}

#[tokio::test]
async fn a_slowloris_is_bounded_by_the_total_timeout() {
    let server = Hostile::start().await.unwrap();
    server.always(
        "/slow",
        Reply::new(200)
            .body("x".repeat(1000))
            .trickle(Duration::from_millis(50)),
    );
    server.always("/hang", Reply::hang());
    let bounded = HttpTransport::builder()
        .no_proxy()
        .timeout(Duration::from_millis(700))
        .build()
        .unwrap();
    for path in ["/slow", "/hang"] {
        let started = Instant::now();
        let err = bounded.send(get(&server.url(path))).await.unwrap_err();
        let took = started.elapsed();
        assert!(err.is_timeout(), "{path}: {err:?}");
        assert!(took < Duration::from_secs(3), "{path}: {took:?}");
    }
}

#[tokio::test]
async fn complete_and_assign_are_never_repeated_after_a_503_or_a_reset() {
    let server = Hostile::start().await.unwrap();
    server.always("/oauth/token", token_answer("once-token-0017", "300"));
    let client = Client::new(&server.base(), stack(Arc::new(cache(&server)))).unwrap();
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
        let id = path.split('/').nth(3).unwrap();
        let result = if path.ends_with("complete") {
            client.tasks().complete(id).await.map(drop)
        } else {
            client.tasks().assign(id).await.map(drop)
        };
        assert!(result.is_err(), "{path}");
        assert_eq!(server.count(path), 1, "{path} was repeated");
    }
}
