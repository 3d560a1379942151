//! The token cache and the client-credentials source over real HTTP on loopback, against a
//! token endpoint and an API the tests control: single-flight, renewal ahead of expiry, expiry
//! rules, failures and back-off, renewal on rejection, the form on the wire and secrecy.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::{HashMap, HashSet};
use std::future::{Future, IntoFuture};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, UNIX_EPOCH};

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response as AxumResponse};
use axum::routing::{get, post};
use base64::Engine;
use bytes::Bytes;
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use tasklist_auth::{
    AccessToken, ClientAuthMethod, ClientCredentials, ClientCredentialsBuilder, Clock, Error,
    ManualClock, TokenCache,
};
use tasklist_transport::{
    Authenticated, Authenticator, HttpTransport, Rejection, Request, Response, RetryPolicy,
    Transport, TransportExt,
};
use tokio::net::TcpListener;

const CLIENT_ID: &str = "worker-client";
const SECRET: &str = "sup3r-s3cret-client-value";
const HTML: &str = "<html><head><title>502 Bad Gateway</title></head><body><center>\
                    <h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

// ---------------------------------------------------------------------------------------------
// The token endpoint and API under the tests' control

/// How the token endpoint fails, when it does.
#[derive(Clone, Debug)]
enum Failure {
    /// This status with a plain-text body.
    Plain(u16),
    /// This status with an HTML error page.
    Html(u16),
    /// An RFC 6749 error response.
    OAuth {
        status: u16,
        code: &'static str,
        description: &'static str,
    },
}

/// What the token endpoint answers.
#[derive(Clone, Debug)]
struct Config {
    /// `expires_in` in the response; omitted when `None`.
    expires_in: Option<u64>,
    /// `Some(n)`: issue a JWT whose `exp` is `n` seconds after the (manual) wall clock;
    /// `None`: issue opaque tokens.
    jwt_exp_in: Option<u64>,
    /// How long to take before answering.
    delay: Duration,
    failure: Option<Failure>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            expires_in: Some(300),
            jwt_exp_in: None,
            delay: Duration::ZERO,
            failure: None,
        }
    }
}

struct Server {
    base: String,
    clock: Arc<ManualClock>,
    config: Mutex<Config>,
    token_requests: AtomicUsize,
    api_requests: AtomicUsize,
    issued: AtomicUsize,
    /// The last token issued: the only one the API accepts.
    current: Mutex<Option<String>>,
    revoked: Mutex<HashSet<String>>,
    reject_all: AtomicBool,
    last_form: Mutex<HashMap<String, String>>,
    last_authorization: Mutex<Option<String>>,
}

impl Server {
    async fn start(clock: Arc<ManualClock>, config: Config) -> Arc<Server> {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = Arc::new(Server {
            base: format!("http://{}", listener.local_addr().unwrap()),
            clock,
            config: Mutex::new(config),
            token_requests: AtomicUsize::new(0),
            api_requests: AtomicUsize::new(0),
            issued: AtomicUsize::new(0),
            current: Mutex::new(None),
            revoked: Mutex::new(HashSet::new()),
            reject_all: AtomicBool::new(false),
            last_form: Mutex::new(HashMap::new()),
            last_authorization: Mutex::new(None),
        });
        let app = Router::new()
            .route("/oauth/token", post(token_endpoint))
            .route("/v1/tasks/1", get(api_endpoint))
            .with_state(server.clone());
        tokio::spawn(axum::serve(listener, app).into_future());
        server
    }

    fn token_url(&self) -> String {
        format!("{}/oauth/token", self.base)
    }

    fn api_url(&self) -> String {
        format!("{}/v1/tasks/1", self.base)
    }

    fn token_requests(&self) -> usize {
        self.token_requests.load(Ordering::SeqCst)
    }

    fn api_requests(&self) -> usize {
        self.api_requests.load(Ordering::SeqCst)
    }

    fn set(&self, change: impl FnOnce(&mut Config)) {
        change(&mut self.config.lock().unwrap());
    }

    /// The API stops accepting the token issued last.
    fn revoke_current(&self) {
        let current = self.current.lock().unwrap().clone().unwrap();
        self.revoked.lock().unwrap().insert(current);
    }

    fn last_form(&self) -> HashMap<String, String> {
        self.last_form.lock().unwrap().clone()
    }

    fn last_authorization(&self) -> Option<String> {
        self.last_authorization.lock().unwrap().clone()
    }
}

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
}

/// An unsigned JWT with `exp` and `aud`, enough for a client that only reads the claims.
fn fake_jwt(n: usize, exp: u64) -> String {
    let header = json!({"alg": "none", "typ": "JWT"}).to_string();
    let payload =
        json!({"exp": exp, "aud": "tasklist-api", "sub": CLIENT_ID, "jti": n}).to_string();
    format!(
        "{}.{}.c2ln",
        b64(header.as_bytes()),
        b64(payload.as_bytes())
    )
}

async fn token_endpoint(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    body: Bytes,
) -> AxumResponse {
    server.token_requests.fetch_add(1, Ordering::SeqCst);
    *server.last_form.lock().unwrap() = url::form_urlencoded::parse(&body).into_owned().collect();
    *server.last_authorization.lock().unwrap() = headers
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap().to_owned());
    let config = server.config.lock().unwrap().clone();
    if !config.delay.is_zero() {
        tokio::time::sleep(config.delay).await;
    }
    let status = |code: u16| StatusCode::from_u16(code).unwrap();
    match config.failure {
        Some(Failure::Plain(code)) => {
            (status(code), "the service is unavailable, try again later").into_response()
        }
        Some(Failure::Html(code)) => {
            (status(code), [(header::CONTENT_TYPE, "text/html")], HTML).into_response()
        }
        Some(Failure::OAuth {
            status: code,
            code: error,
            description,
        }) => (
            status(code),
            Json(json!({"error": error, "error_description": description})),
        )
            .into_response(),
        None => {
            let n = server.issued.fetch_add(1, Ordering::SeqCst) + 1;
            let token = match config.jwt_exp_in {
                Some(exp_in) => {
                    let wall = server.clock.wall().duration_since(UNIX_EPOCH).unwrap();
                    fake_jwt(n, wall.as_secs() + exp_in)
                }
                None => format!("opaque-token-{n}"),
            };
            *server.current.lock().unwrap() = Some(token.clone());
            let mut body = json!({"access_token": token, "token_type": "Bearer"});
            if let Some(expires_in) = config.expires_in {
                body["expires_in"] = json!(expires_in);
            }
            Json(body).into_response()
        }
    }
}

async fn api_endpoint(State(server): State<Arc<Server>>, headers: HeaderMap) -> AxumResponse {
    let n = server.api_requests.fetch_add(1, Ordering::SeqCst) + 1;
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let current = server.current.lock().unwrap().clone();
    let accepted = !server.reject_all.load(Ordering::SeqCst)
        && presented.is_some()
        && presented == current
        && !server
            .revoked
            .lock()
            .unwrap()
            .contains(presented.as_deref().unwrap_or_default());
    if accepted {
        Json(json!({"id": "1", "name": "Review invoice"})).into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({
                "status": 401,
                "message": "Unauthorized: the access token is invalid or expired",
                "instance": format!("urn:request:{n}"),
            })),
        )
            .into_response()
    }
}

// ---------------------------------------------------------------------------------------------
// Clients

fn transport() -> HttpTransport {
    HttpTransport::builder().no_proxy().build().unwrap()
}

struct Fixture {
    server: Arc<Server>,
    clock: Arc<ManualClock>,
    http: HttpTransport,
    cache: TokenCache,
}

impl Fixture {
    async fn new(config: Config) -> Fixture {
        Fixture::with(config, |builder| builder).await
    }

    async fn with(
        config: Config,
        customize: impl FnOnce(ClientCredentialsBuilder) -> ClientCredentialsBuilder,
    ) -> Fixture {
        let clock = Arc::new(ManualClock::new());
        let server = Server::start(clock.clone(), config).await;
        let http = transport();
        let credentials = customize(ClientCredentials::builder(
            server.token_url(),
            CLIENT_ID,
            SECRET.into(),
        ))
        .build(http.clone().into_shared())
        .unwrap();
        let cache = TokenCache::builder(Arc::new(credentials))
            .clock(clock.clone())
            .build();
        Fixture {
            server,
            clock,
            http,
            cache,
        }
    }

    /// The API stack: signs with the cache, renews once on 401.
    fn api(&self) -> Authenticated<HttpTransport> {
        self.http
            .clone()
            .with_authenticator(Arc::new(self.cache.clone()))
    }

    fn request(&self) -> Request {
        http::Request::get(self.server.api_url())
            .body(Bytes::new())
            .unwrap()
    }

    fn advance(&self, seconds: f64) {
        self.clock.advance(Duration::from_secs_f64(seconds));
    }

    fn token_requests(&self) -> usize {
        self.server.token_requests()
    }

    async fn token(&self) -> String {
        secret(&self.cache.token().await.unwrap())
    }

    async fn api_status(&self) -> u16 {
        self.api()
            .send(self.request())
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

fn secret(token: &AccessToken) -> String {
    token.secret().expose_secret().to_owned()
}

/// Runs `future` and says how long it took.
async fn timed<T>(future: impl Future<Output = T>) -> (T, Duration) {
    let start = Instant::now();
    let out = future.await;
    (out, start.elapsed())
}

/// Waits (really) until `condition` holds, failing after 3 s.
async fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(3);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Waits until the cache serves a token other than `old`, failing after 3 s.
async fn served_other_than(cache: &TokenCache, old: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let now = secret(&cache.token().await.unwrap());
        if now != old {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "the renewed token is never served"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Gives a background renewal that was (wrongly) started time to reach the server.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(150)).await;
}

/// The error and every cause under it, one per line.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut out = format!("{error}\n{error:?}");
    let mut cause = error.source();
    while let Some(c) = cause {
        out.push_str(&format!("\n{c}\n{c:?}"));
        cause = c.source();
    }
    out
}

mod expiry;
mod failures;
mod rejection;
mod single_flight;
mod wire;
