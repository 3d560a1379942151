//! Cookie-session authentication over real HTTP on loopback, against servers that imitate
//! Tasklist 8.7 (`/api/login`, `TASKLIST-SESSION`) and Camunda 8.8 (`/login`,
//! `camunda-session`): the login form on the wire, cookies and CSRF tokens, single-flight
//! logins, renewal on expiry and CSRF failures, logout, persistence and secrecy.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use bytes::Bytes;
use tasklist_auth::{CookieAuth, Error, LoginPath};
use tasklist_transport::{
    Authenticated, HttpTransport, Response, SharedTransport, Transport, TransportExt,
};
use tokio::net::TcpListener;

const USER: &str = "demo";
const PASSWORD: &str = "Pa55w0rd-never-to-be-seen";

// ---------------------------------------------------------------------------------------------
// A server that imitates Camunda's cookie login

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavor {
    /// Tasklist 8.7: `/api/login`, `/api/logout`, `TASKLIST-SESSION`.
    V87,
    /// Camunda 8.8: `/login`, `/logout`, `camunda-session`.
    V88,
}

impl Flavor {
    fn login(self) -> &'static str {
        match self {
            Flavor::V87 => "/api/login",
            Flavor::V88 => "/login",
        }
    }
    fn logout(self) -> &'static str {
        match self {
            Flavor::V87 => "/api/logout",
            Flavor::V88 => "/logout",
        }
    }
    fn cookie(self) -> &'static str {
        match self {
            Flavor::V87 => "TASKLIST-SESSION",
            Flavor::V88 => "camunda-session",
        }
    }
}

/// One login request as the server saw it.
#[derive(Clone, Debug)]
struct LoginSeen {
    query: Option<String>,
    content_type: Option<String>,
    body: String,
}

/// One API request as the server saw it.
#[derive(Clone, Debug)]
struct ApiSeen {
    method: Method,
    path: String,
    session: Option<String>,
    csrf: Option<String>,
}

struct Server {
    flavor: Flavor,
    /// Session id → its CSRF token.
    sessions: Mutex<HashMap<String, String>>,
    /// Successful logins.
    logins: AtomicUsize,
    /// Login requests, successful or not.
    login_seen: Mutex<Vec<LoginSeen>>,
    /// Requests to paths that do not exist here.
    misses: AtomicUsize,
    logouts: AtomicUsize,
    api_seen: Mutex<Vec<ApiSeen>>,
    login_delay: Duration,
}

fn random() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

fn respond(
    status: u16,
    headers: &[(&str, String)],
    body: impl Into<String>,
) -> axum::response::Response {
    let mut builder = axum::http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, value);
    }
    builder.body(Body::from(body.into())).unwrap()
}

fn unauthorized(path: &str) -> axum::response::Response {
    respond(
        401,
        &[("content-type", "application/json".to_owned())],
        format!(
            r#"{{"status":401,"message":"Full authentication is required to access this resource","instance":"{path}"}}"#
        ),
    )
}

fn csrf_forbidden(token: Option<&str>) -> axum::response::Response {
    let message = match token {
        Some(t) => format!(
            "Invalid CSRF Token '{t}' was found on the request parameter '_csrf' or header 'X-CSRF-TOKEN'."
        ),
        None => "Could not verify the provided CSRF token because no session was found.".to_owned(),
    };
    respond(
        403,
        &[("content-type", "application/json".to_owned())],
        format!(r#"{{"status":403,"message":"{message}"}}"#),
    )
}

impl Server {
    fn new(flavor: Flavor, login_delay: Duration) -> Self {
        Server {
            flavor,
            sessions: Mutex::new(HashMap::new()),
            logins: AtomicUsize::new(0),
            login_seen: Mutex::new(Vec::new()),
            misses: AtomicUsize::new(0),
            logouts: AtomicUsize::new(0),
            api_seen: Mutex::new(Vec::new()),
            login_delay,
        }
    }

    fn logins(&self) -> usize {
        self.logins.load(Ordering::SeqCst)
    }

    fn login_attempts(&self) -> usize {
        self.login_seen.lock().unwrap().len()
    }

    /// Forgets every session, as after a restart or a session timeout.
    fn expire_all(&self) {
        self.sessions.lock().unwrap().clear();
    }

    /// Gives every session a new CSRF token without telling anyone.
    fn rotate_csrf(&self) {
        for token in self.sessions.lock().unwrap().values_mut() {
            *token = random();
        }
    }

    /// The secrets the server handed out: session ids and CSRF tokens.
    fn secrets(&self) -> Vec<String> {
        let sessions = self.sessions.lock().unwrap();
        sessions
            .iter()
            .flat_map(|(id, token)| [id.clone(), token.clone()])
            .collect()
    }

    fn api_seen(&self, path: &str) -> Vec<ApiSeen> {
        self.api_seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.path == path)
            .cloned()
            .collect()
    }

    fn session_of(&self, headers: &HeaderMap) -> Option<String> {
        let cookie = headers.get("cookie")?.to_str().ok()?;
        let prefix = format!("{}=", self.flavor.cookie());
        cookie
            .split(';')
            .map(str::trim)
            .find_map(|pair| pair.strip_prefix(prefix.as_str()))
            .map(str::to_owned)
    }

    async fn login(
        &self,
        uri: &Uri,
        headers: &HeaderMap,
        body: &Bytes,
    ) -> axum::response::Response {
        let body = String::from_utf8_lossy(body).into_owned();
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        self.login_seen.lock().unwrap().push(LoginSeen {
            query: uri.query().map(str::to_owned),
            content_type: content_type.clone(),
            body: body.clone(),
        });
        tokio::time::sleep(self.login_delay).await;
        if uri.query().is_some() {
            return respond(400, &[], "credentials do not belong in the URL");
        }
        if content_type.as_deref() != Some("application/x-www-form-urlencoded") {
            return respond(415, &[], "expected a form");
        }
        let form: HashMap<String, String> = url::form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect();
        let (user, password) = (form.get("username"), form.get("password"));
        if user.map(String::as_str) != Some(USER) || password.map(String::as_str) != Some(PASSWORD)
        {
            // A careless server that echoes what it was given.
            return respond(
                401,
                &[("content-type", "application/json".to_owned())],
                format!(
                    r#"{{"message":"Bad credentials for {} / {}"}}"#,
                    user.cloned().unwrap_or_default(),
                    password.cloned().unwrap_or_default()
                ),
            );
        }
        let id = random();
        let token = random();
        self.sessions
            .lock()
            .unwrap()
            .insert(id.clone(), token.clone());
        self.logins.fetch_add(1, Ordering::SeqCst);
        respond(
            204,
            &[
                (
                    "set-cookie",
                    format!("{}={id}; Path=/; HttpOnly", self.flavor.cookie()),
                ),
                ("x-csrf-token", token),
            ],
            "",
        )
    }

    fn logout(&self, headers: &HeaderMap) -> axum::response::Response {
        let Some(id) = self.session_of(headers) else {
            return unauthorized(self.flavor.logout());
        };
        let mut sessions = self.sessions.lock().unwrap();
        let Some(token) = sessions.get(&id) else {
            return unauthorized(self.flavor.logout());
        };
        let sent = headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
        if sent != Some(token.as_str()) {
            return csrf_forbidden(sent);
        }
        sessions.remove(&id);
        self.logouts.fetch_add(1, Ordering::SeqCst);
        respond(
            204,
            &[(
                "set-cookie",
                format!("{}=; Path=/; Max-Age=0", self.flavor.cookie()),
            )],
            "",
        )
    }

    fn api(&self, method: &Method, path: &str, headers: &HeaderMap) -> axum::response::Response {
        let session = self.session_of(headers);
        let csrf = headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        self.api_seen.lock().unwrap().push(ApiSeen {
            method: method.clone(),
            path: path.to_owned(),
            session: session.clone(),
            csrf: csrf.clone(),
        });
        let token = {
            let sessions = self.sessions.lock().unwrap();
            match session.as_ref().and_then(|id| sessions.get(id)) {
                Some(token) => token.clone(),
                None => return unauthorized(path),
            }
        };
        if *method != Method::GET && csrf.as_deref() != Some(token.as_str()) {
            return csrf_forbidden(csrf.as_deref());
        }
        match (method.clone(), path) {
            (Method::POST, "/v1/tasks/search") => respond(
                200,
                &[("content-type", "application/json".to_owned())],
                r#"[{"id":"1","name":"Review"}]"#,
            ),
            (Method::GET, "/v1/forms/1") => respond(
                200,
                &[
                    ("content-type", "application/json".to_owned()),
                    // Tasklist tells the current token on its responses.
                    ("x-csrf-token", token),
                ],
                r#"{"id":"1"}"#,
            ),
            (Method::POST, "/v1/forbidden") => respond(
                403,
                &[("content-type", "application/json".to_owned())],
                r#"{"status":403,"message":"User does not have permission to perform on this resource.","instance":"x"}"#,
            ),
            _ => respond(404, &[], "not found"),
        }
    }
}

async fn handle(
    State(server): State<Arc<Server>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    let path = uri.path().to_owned();
    let flavor = server.flavor;
    if method == Method::POST && path == flavor.login() {
        server.login(&uri, &headers, &body).await
    } else if method == Method::POST && path == flavor.logout() {
        server.logout(&headers)
    } else if path.starts_with("/v1/") {
        server.api(&method, &path, &headers)
    } else {
        server.misses.fetch_add(1, Ordering::SeqCst);
        // As the real servers answer at the other version's login path: 8.8 guards `/api/**`
        // as API paths (401), 8.7 guards `/login` like any other path (401).
        match flavor {
            Flavor::V88 if path.starts_with("/api/") => respond(
                401,
                &[],
                r#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"Full authentication is required to access this resource","instance":"/api/login"}"#,
            ),
            Flavor::V87 if path == "/login" => respond(401, &[], r#"{"message":""}"#),
            _ => respond(404, &[], r#"{"status":404,"message":"Not Found"}"#),
        }
    }
}

async fn start(flavor: Flavor) -> (Arc<Server>, String) {
    start_with_delay(flavor, Duration::from_millis(20)).await
}

async fn start_with_delay(flavor: Flavor, login_delay: Duration) -> (Arc<Server>, String) {
    let server = Arc::new(Server::new(flavor, login_delay));
    let app = Router::new().fallback(handle).with_state(server.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (server, format!("http://{addr}"))
}

// ---------------------------------------------------------------------------------------------
// The client side

fn http() -> SharedTransport {
    HttpTransport::builder()
        .no_proxy()
        .build()
        .unwrap()
        .into_shared()
}

fn auth(base: &str, login_path: LoginPath) -> CookieAuth {
    CookieAuth::builder(base)
        .username(USER)
        .password(PASSWORD.into())
        .login_path(login_path)
        .build(http())
        .unwrap()
}

/// An authenticator with the password that keeps its session in `path`.
fn kept(base: &str, path: &std::path::Path) -> CookieAuth {
    CookieAuth::builder(base)
        .username(USER)
        .password(PASSWORD.into())
        .persist_to(path)
        .build(http())
        .unwrap()
}

fn api(auth: &CookieAuth) -> Arc<Authenticated<HttpTransport>> {
    Arc::new(
        HttpTransport::builder()
            .no_proxy()
            .build()
            .unwrap()
            .with_authenticator(Arc::new(auth.clone())),
    )
}

async fn search(api: &impl Transport, base: &str) -> Response {
    let request = http::Request::post(format!("{base}/v1/tasks/search"))
        .header("content-type", "application/json")
        .body(Bytes::from_static(b"{}"))
        .unwrap();
    api.send(request).await.unwrap()
}

async fn get_form(api: &impl Transport, base: &str) -> Response {
    let request = http::Request::get(format!("{base}/v1/forms/1"))
        .body(Bytes::new())
        .unwrap();
    api.send(request).await.unwrap()
}

// ---------------------------------------------------------------------------------------------
// Tests

#[tokio::test]
async fn login_posts_a_form_body_and_keeps_the_password_out_of_the_url() {
    let (server, base) = start(Flavor::V87).await;
    let auth = auth(&base, LoginPath::Api);
    let api = api(&auth);

    assert_eq!(search(&*api, &base).await.status(), 200);

    let seen = server.login_seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].query, None);
    assert_eq!(
        seen[0].content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    let form: HashMap<String, String> = url::form_urlencoded::parse(seen[0].body.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(form.get("username").map(String::as_str), Some(USER));
    assert_eq!(form.get("password").map(String::as_str), Some(PASSWORD));
    assert_eq!(server.logins(), 1);
    assert!(auth.is_logged_in());
}

#[tokio::test]
async fn get_sends_the_cookie_only_and_post_adds_the_csrf_token() {
    let (server, base) = start(Flavor::V87).await;
    let auth = auth(&base, LoginPath::Api);
    let api = api(&auth);

    assert_eq!(get_form(&*api, &base).await.status(), 200);
    assert_eq!(search(&*api, &base).await.status(), 200);

    let (id, token) = {
        let sessions = server.sessions.lock().unwrap();
        assert_eq!(sessions.len(), 1);
        let (id, token) = sessions.iter().next().unwrap();
        (id.clone(), token.clone())
    };
    let get = server.api_seen("/v1/forms/1");
    assert_eq!(get.len(), 1);
    assert_eq!(get[0].method, Method::GET);
    assert_eq!(get[0].session.as_deref(), Some(id.as_str()));
    assert_eq!(get[0].csrf, None, "a GET must not carry the CSRF token");

    let post = server.api_seen("/v1/tasks/search");
    assert_eq!(post.len(), 1);
    assert_eq!(post[0].session.as_deref(), Some(id.as_str()));
    assert_eq!(post[0].csrf.as_deref(), Some(token.as_str()));
    assert_eq!(server.logins(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_first_requests_log_in_once() {
    let (server, base) = start_with_delay(Flavor::V87, Duration::from_millis(100)).await;
    let auth = auth(&base, LoginPath::Api);
    let api = api(&auth);

    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let api = api.clone();
            let base = base.clone();
            tokio::spawn(async move { search(&*api, &base).await.status() })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    assert_eq!(server.logins(), 1);
    assert_eq!(server.login_attempts(), 1);
}

#[tokio::test]
async fn an_expired_session_is_renewed_once_and_the_request_succeeds() {
    let (server, base) = start(Flavor::V87).await;
    let auth = auth(&base, LoginPath::Api);
    let api = api(&auth);

    assert_eq!(search(&*api, &base).await.status(), 200);
    assert_eq!(server.logins(), 1);

    server.expire_all();
    let response = search(&*api, &base).await;
    assert_eq!(response.status(), 200);
    assert_eq!(server.logins(), 2);
    // First call, the rejected one, and its retry.
    assert_eq!(server.api_seen("/v1/tasks/search").len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_after_expiry_renew_once() {
    let (server, base) = start_with_delay(Flavor::V87, Duration::from_millis(50)).await;
    let auth = auth(&base, LoginPath::Api);
    let api = api(&auth);
    assert_eq!(search(&*api, &base).await.status(), 200);

    server.expire_all();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let api = api.clone();
            let base = base.clone();
            tokio::spawn(async move { search(&*api, &base).await.status() })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    assert_eq!(server.logins(), 2);
}

#[tokio::test]
async fn a_csrf_rejection_renews_once_and_succeeds() {
    let (server, base) = start(Flavor::V87).await;
    let auth = auth(&base, LoginPath::Api);
    let api = api(&auth);
    assert_eq!(search(&*api, &base).await.status(), 200);

    server.rotate_csrf();
    assert_eq!(search(&*api, &base).await.status(), 200);
    assert_eq!(server.logins(), 2);
    let seen = server.api_seen("/v1/tasks/search");
    assert_eq!(seen.len(), 3);
    assert_ne!(
        seen[1].session, seen[2].session,
        "the retry uses the new session"
    );
}

#[tokio::test]
async fn a_rotated_csrf_token_is_picked_up_from_a_response_without_logging_in() {
    let (server, base) = start(Flavor::V87).await;
    let auth = auth(&base, LoginPath::Api);
    let api = api(&auth);
    assert_eq!(search(&*api, &base).await.status(), 200);

    server.rotate_csrf();
    // The GET needs no token, and its response announces the new one.
    assert_eq!(get_form(&*api, &base).await.status(), 200);
    assert_eq!(search(&*api, &base).await.status(), 200);
    assert_eq!(server.logins(), 1);
    assert_eq!(server.api_seen("/v1/tasks/search").len(), 2);
}

#[tokio::test]
async fn a_permission_403_is_returned_as_is_without_logging_in_again() {
    let (server, base) = start(Flavor::V87).await;
    let auth = auth(&base, LoginPath::Api);
    let api = api(&auth);

    let request = http::Request::post(format!("{base}/v1/forbidden"))
        .body(Bytes::new())
        .unwrap();
    let response = api.send(request).await.unwrap();
    assert_eq!(response.status(), 403);
    let body = String::from_utf8_lossy(response.body()).into_owned();
    assert!(body.contains("does not have permission"), "{body}");
    assert_eq!(server.logins(), 1);
    assert_eq!(server.api_seen("/v1/forbidden").len(), 1, "not retried");
}

#[tokio::test]
async fn a_wrong_password_is_a_login_error_that_never_shows_the_password() {
    let (server, base) = start(Flavor::V87).await;
    let wrong = "Wr0ng-pa55word-also-secret";
    let auth = CookieAuth::builder(&base)
        .username(USER)
        .password(wrong.into())
        .build(http())
        .unwrap();
    let api = api(&auth);

    let request = http::Request::post(format!("{base}/v1/tasks/search"))
        .body(Bytes::from_static(b"{}"))
        .unwrap();
    let err = api.send(request).await.unwrap_err();
    assert!(
        matches!(err, tasklist_transport::Error::Auth { .. }),
        "{err:?}"
    );
    let source = std::error::Error::source(&err).unwrap();
    let cause = source
        .downcast_ref::<Error>()
        .expect("a tasklist_auth::Error");
    match cause {
        Error::Login { status, url, .. } => {
            assert_eq!(*status, 401);
            assert!(url.ends_with("/api/login"), "{url}");
        }
        other => panic!("expected Error::Login, got {other:?}"),
    }
    assert!(cause.is_bad_credentials());
    let shown = format!("{err} {err:?} {cause} {cause:?}");
    assert!(!shown.contains(wrong), "{shown}");
    assert!(shown.contains("CAMUNDA_COOKIE_AUTH_PASSWORD"), "{shown}");
    // The server's own echo of the user name got through, the password was blanked.
    assert!(
        cause.to_string().contains("Bad credentials for demo"),
        "{cause}"
    );
    assert_eq!(server.logins(), 0);
    assert!(
        server.api_seen("/v1/tasks/search").is_empty(),
        "nothing sent unsigned"
    );

    // `login()` reports the same.
    let err = auth.login().await.unwrap_err();
    assert!(matches!(err, Error::Login { status: 401, .. }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_share_one_failed_login() {
    let (server, base) = start_with_delay(Flavor::V87, Duration::from_millis(200)).await;
    let auth = CookieAuth::builder(&base)
        .username(USER)
        .password("wrong".into())
        .build(http())
        .unwrap();
    let api = api(&auth);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let api = api.clone();
            let base = base.clone();
            tokio::spawn(async move {
                let request = http::Request::post(format!("{base}/v1/tasks/search"))
                    .body(Bytes::new())
                    .unwrap();
                api.send(request).await.is_err()
            })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap());
    }
    // One refused attempt, not twenty (which could lock the account).
    assert_eq!(server.login_attempts(), 1);
}

#[tokio::test]
async fn try_both_falls_back_to_the_8_8_login_and_remembers_it() {
    let (server, base) = start(Flavor::V88).await;
    let auth = auth(&base, LoginPath::TryBoth);
    let api = api(&auth);

    assert_eq!(search(&*api, &base).await.status(), 200);
    assert_eq!(server.logins(), 1);
    assert_eq!(
        server.misses.load(Ordering::SeqCst),
        1,
        "/api/login tried once"
    );
    let seen = server.api_seen("/v1/tasks/search");
    assert!(seen[0].session.is_some(), "camunda-session sent");
    assert!(seen[0].csrf.is_some());

    server.expire_all();
    assert_eq!(search(&*api, &base).await.status(), 200);
    assert_eq!(server.logins(), 2);
    assert_eq!(
        server.misses.load(Ordering::SeqCst),
        1,
        "went straight to /login"
    );

    auth.logout().await.unwrap();
    assert_eq!(
        server.logouts.load(Ordering::SeqCst),
        1,
        "logged out at /logout"
    );
}

#[tokio::test]
async fn try_both_on_8_7_logs_in_at_api_login_and_a_wrong_password_is_sent_once() {
    let (server, base) = start(Flavor::V87).await;
    let good = auth(&base, LoginPath::TryBoth);
    good.login().await.unwrap();
    assert_eq!(server.logins(), 1);
    assert_eq!(
        server.misses.load(Ordering::SeqCst),
        0,
        "/login never tried"
    );

    // Once /api/login has worked, a 401 there is a refusal: the other path is not tried.
    server.expire_all();
    let bad = CookieAuth::builder(&base)
        .username(USER)
        .password("wrong".into())
        .login_path(LoginPath::TryBoth)
        .build(http())
        .unwrap();
    let err = bad.login().await.unwrap_err();
    assert!(matches!(err, Error::Login { status: 401, .. }), "{err:?}");
    // A client that never logged in tries /api/login; 8.7's login form refuses the password
    // there, so /login is not tried: one attempt (a lockout counts each), and the error names
    // the path that refused.
    assert_eq!(
        server.login_attempts(),
        2,
        "the good login and one wrong one"
    );
    assert_eq!(server.misses.load(Ordering::SeqCst), 0, "/login was tried");
    let text = err.to_string();
    assert!(text.contains(&format!("{base}/api/login")), "{text}");
    assert!(text.contains("refused the user name or password"), "{text}");
    assert!(!text.contains("wrong"), "{text}");
}

#[tokio::test]
async fn root_login_path_speaks_to_8_8_and_api_explains_the_401() {
    let (server, base) = start(Flavor::V88).await;
    let root = auth(&base, LoginPath::Root);
    assert_eq!(search(&*api(&root), &base).await.status(), 200);
    assert_eq!(server.misses.load(Ordering::SeqCst), 0);

    let err = auth(&base, LoginPath::Api).login().await.unwrap_err();
    match &err {
        Error::Login { status: 401, .. } => assert!(err.to_string().contains("newer at /login")),
        other => panic!("expected a 401 login error, got {other:?}"),
    }
}

#[tokio::test]
async fn logout_calls_the_endpoint_and_the_next_request_logs_in_again() {
    let (server, base) = start(Flavor::V87).await;
    let auth = auth(&base, LoginPath::Api);
    let api = api(&auth);
    assert_eq!(search(&*api, &base).await.status(), 200);

    // The server demands the session cookie and the CSRF token to log out.
    auth.logout().await.unwrap();
    assert_eq!(server.logouts.load(Ordering::SeqCst), 1);
    assert!(server.sessions.lock().unwrap().is_empty());
    assert!(!auth.is_logged_in());

    assert_eq!(search(&*api, &base).await.status(), 200);
    assert_eq!(server.logins(), 2);
    // Only the two successful calls: nothing was sent with the dead session.
    assert_eq!(server.api_seen("/v1/tasks/search").len(), 2);

    // Logging out without a session sends nothing.
    auth.logout().await.unwrap();
    auth.logout().await.unwrap();
    assert_eq!(server.logouts.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_persisted_session_is_private_and_reused_without_logging_in() {
    let (server, base) = start(Flavor::V87).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state").join("session.json");

    let first = kept(&base, &path);
    assert!(!first.is_logged_in());
    assert_eq!(search(&*api(&first), &base).await.status(), 200);
    assert_eq!(server.logins(), 1);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let contents = std::fs::read_to_string(&path).unwrap();
    assert!(!contents.contains(PASSWORD));

    // Another process: the session cookie (a session cookie, without expiry) and the CSRF
    // token come from the file, so a POST works at once.
    let second = kept(&base, &path);
    assert!(second.is_logged_in());
    assert_eq!(search(&*api(&second), &base).await.status(), 200);
    assert_eq!(server.logins(), 1, "no second login");

    second.logout().await.unwrap();
    let third = kept(&base, &path);
    assert!(!third.is_logged_in(), "the logout emptied the file");
    assert_eq!(search(&*api(&third), &base).await.status(), 200);
    assert_eq!(server.logins(), 2);
}

#[tokio::test]
async fn without_a_password_a_kept_session_is_reused_and_never_renewed() {
    let (server, base) = start(Flavor::V87).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.json");
    let session_only = || {
        CookieAuth::builder(&base)
            .username(USER)
            .persist_to(&path)
            .build(http())
            .unwrap()
    };

    // No session kept yet: nothing is sent, and the error says so.
    let none = session_only();
    let request = http::Request::post(format!("{base}/v1/tasks/search"))
        .body(Bytes::from_static(b"{}"))
        .unwrap();
    let err = api(&none).send(request).await.unwrap_err();
    assert!(err.is_auth(), "{err:?}");
    let cause = std::error::Error::source(&err).unwrap();
    assert!(
        matches!(cause.downcast_ref::<Error>(), Some(Error::NoSession)),
        "{cause:?}"
    );
    assert!(cause.to_string().contains("not logged in"), "{cause}");
    assert_eq!(server.login_attempts(), 0);

    // A session kept by a login with the password is reused as it is.
    let with_password = kept(&base, &path);
    with_password.login().await.unwrap();
    let reused = session_only();
    assert!(reused.is_logged_in());
    assert_eq!(search(&*api(&reused), &base).await.status(), 200);
    assert_eq!(server.logins(), 1);

    // Once the server ends it, its 401 stands: there is no password to log in again with.
    server.expire_all();
    assert_eq!(search(&*api(&reused), &base).await.status(), 401);
    assert_eq!(server.login_attempts(), 1);

    // Without a session file, a password is still required.
    let err = CookieAuth::builder(&base)
        .username(USER)
        .build(http())
        .unwrap_err();
    assert!(
        err.to_string().contains("CAMUNDA_COOKIE_AUTH_PASSWORD"),
        "{err}"
    );
}

#[tokio::test]
async fn a_corrupt_session_file_is_ignored() {
    let (server, base) = start(Flavor::V87).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.json");
    std::fs::write(&path, b"{ this is not json").unwrap();

    let auth = kept(&base, &path);
    assert!(!auth.is_logged_in());
    assert_eq!(search(&*api(&auth), &base).await.status(), 200);
    assert_eq!(server.logins(), 1);
    // Replaced by a valid, private file.
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let value: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert!(value.get("cookies").is_some());
}

#[tokio::test]
async fn debug_output_holds_no_secret() {
    let (server, base) = start(Flavor::V87).await;
    let builder = CookieAuth::builder(&base)
        .username(USER)
        .password(PASSWORD.into());
    let auth = builder.clone().build(http()).unwrap();
    let api = api(&auth);
    assert_eq!(search(&*api, &base).await.status(), 200);

    let secrets = server.secrets();
    assert_eq!(secrets.len(), 2);
    let shown = format!("{builder:?} {auth:?} {api:?} {auth:#?}");
    assert!(shown.contains(USER), "{shown}");
    assert!(shown.contains(&base), "{shown}");
    assert!(!shown.contains(PASSWORD), "{shown}");
    for secret in secrets {
        assert!(!shown.contains(&secret), "{shown}");
    }
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let build = |url: &str, allow: bool| {
        CookieAuth::builder(url)
            .username(USER)
            .password(PASSWORD.into())
            .allow_insecure_http(allow)
            .build(http())
    };
    match build("http://tasklist.example", false) {
        Err(Error::InsecureHttp { host, .. }) => assert_eq!(host, "tasklist.example"),
        other => panic!("expected InsecureHttp, got {other:?}"),
    }
    assert!(build("http://tasklist.example", true).is_ok());
    assert!(build("https://tasklist.example", false).is_ok());
    assert!(build("http://localhost:8080", false).is_ok());
}

#[test]
fn missing_settings_name_the_variables() {
    let err = CookieAuth::builder("http://localhost:8080")
        .password(PASSWORD.into())
        .build(http())
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Config {
                variable: Some("CAMUNDA_COOKIE_AUTH_USERNAME"),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("CAMUNDA_COOKIE_AUTH_USERNAME"));

    let err = CookieAuth::builder("http://localhost:8080")
        .username(USER)
        .build(http())
        .unwrap_err();
    assert!(
        err.to_string().contains("CAMUNDA_COOKIE_AUTH_PASSWORD"),
        "{err}"
    );

    let err = CookieAuth::builder("not a url")
        .username(USER)
        .password(PASSWORD.into())
        .build(http())
        .unwrap_err();
    assert!(err.to_string().contains("CAMUNDA_COOKIE_AUTH_URL"), "{err}");
}
