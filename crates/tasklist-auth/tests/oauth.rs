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

// ---------------------------------------------------------------------------------------------
// Single flight

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_token_calls_on_a_cold_cache_make_one_request_and_again_after_expiry() {
    let fx = Fixture::new(Config::default()).await;

    for round in 1..=2 {
        let calls: Vec<_> = (0..1000)
            .map(|_| {
                let cache = fx.cache.clone();
                tokio::spawn(async move { secret(&cache.token().await.unwrap()) })
            })
            .collect();
        let tokens: HashSet<String> = futures::future::join_all(calls)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(fx.token_requests(), round, "round {round}");
        assert_eq!(
            tokens.len(),
            1,
            "every caller gets the one token: {tokens:?}"
        );
        assert!(
            tokens.contains(&format!("opaque-token-{round}")),
            "{tokens:?}"
        );
        // Past the 300 s lifetime: the next round finds the cache expired.
        fx.advance(301.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_api_requests_on_a_cold_cache_make_one_token_request_and_again_after_expiry() {
    let fx = Fixture::new(Config::default()).await;
    let api = Arc::new(fx.api());

    for round in 1..=2 {
        let calls: Vec<_> = (0..1000)
            .map(|_| {
                let api = api.clone();
                let request = fx.request();
                tokio::spawn(async move { api.send(request).await.unwrap().status() })
            })
            .collect();
        for status in futures::future::join_all(calls).await {
            assert_eq!(status.unwrap(), 200);
        }
        assert_eq!(fx.token_requests(), round, "round {round}");
        assert_eq!(
            fx.server.api_requests(),
            1000 * round,
            "no request needed a retry"
        );
        fx.advance(301.0);
    }
}

// ---------------------------------------------------------------------------------------------
// Renewal ahead of expiry

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_tokens_are_served_without_waiting_even_while_a_renewal_runs() {
    let fx = Fixture::new(Config {
        delay: Duration::from_millis(200),
        ..Config::default()
    })
    .await;
    let api = fx.api();

    // The cold call waits for the slow endpoint.
    let (first, took) = timed(fx.cache.token()).await;
    let first = secret(&first.unwrap());
    assert!(took >= Duration::from_millis(200), "{took:?}");

    for _ in 0..50 {
        let (token, took) = timed(fx.cache.token()).await;
        assert_eq!(secret(&token.unwrap()), first);
        assert!(
            took < Duration::from_millis(50),
            "a cached token took {took:?}"
        );
    }

    // Into the renewal window of the 300 s token (it starts at most 30 s before expiry and
    // the token is served until 5 s before it).
    fx.advance(280.0);
    for _ in 0..50 {
        let (token, took) = timed(fx.cache.token()).await;
        assert_eq!(
            secret(&token.unwrap()),
            first,
            "the current token is still served"
        );
        assert!(
            took < Duration::from_millis(50),
            "a call during renewal took {took:?}"
        );
    }
    for _ in 0..5 {
        let (response, took) = timed(api.send(fx.request())).await;
        assert_eq!(response.unwrap().status(), 200);
        // Well under the token endpoint's 200 ms: the API call did not wait for the renewal.
        assert!(
            took < Duration::from_millis(150),
            "an API call during renewal took {took:?}"
        );
    }

    // The renewal ran in the background, once.
    eventually("the background renewal", || fx.token_requests() == 2).await;
    let renewed = served_other_than(&fx.cache, &first).await;
    assert_eq!(renewed, "opaque-token-2");
    let (token, took) = timed(fx.cache.token()).await;
    assert_eq!(secret(&token.unwrap()), renewed);
    assert!(took < Duration::from_millis(50), "{took:?}");
    assert_eq!(api.send(fx.request()).await.unwrap().status(), 200);
    settle().await;
    assert_eq!(fx.token_requests(), 2);
}

/// A token of `expires_in` seconds is not renewed at `quiet` seconds and is being renewed by
/// `due` seconds, while still being served.
async fn assert_renewal_window(expires_in: u64, quiet: f64, due: f64) {
    let fx = Fixture::new(Config {
        expires_in: Some(expires_in),
        ..Config::default()
    })
    .await;
    let first = fx.token().await;

    fx.advance(quiet);
    assert_eq!(fx.token().await, first);
    settle().await;
    assert_eq!(
        fx.token_requests(),
        1,
        "a {expires_in} s token was renewed at {quiet} s"
    );

    fx.advance(due - quiet);
    assert_eq!(
        fx.token().await,
        first,
        "the valid token is served during renewal"
    );
    eventually("the renewal", || fx.token_requests() == 2).await;
    assert_eq!(served_other_than(&fx.cache, &first).await, "opaque-token-2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_token_is_renewed_between_30_and_24_seconds_before_expiry() {
    // Margin min(30 s, 3600 s / 2) = 30 s, less up to 20 % jitter: renew_at in [3570, 3576].
    assert_renewal_window(3600, 3569.9, 3576.1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_token_is_renewed_in_its_last_10_seconds() {
    // Margin min(30 s, 20 s / 2) = 10 s, less up to 20 % jitter: renew_at in [10, 12].
    assert_renewal_window(20, 9.9, 12.1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_is_not_served_in_its_last_seconds() {
    // Skew min(5 s, lifetime / 10): a 20 s token is served until 18 s, not after. (Token
    // requests are not retried here: each failure is one request.)
    let fx = Fixture::with(
        Config {
            expires_in: Some(20),
            ..Config::default()
        },
        |builder| builder.retry(RetryPolicy::never()),
    )
    .await;
    let first = fx.token().await;
    // Renewals fail, so only the skew decides what is served.
    fx.server.set(|c| c.failure = Some(Failure::Plain(503)));
    fx.advance(17.9);
    assert_eq!(fx.token().await, first);
    eventually("the failed renewal", || fx.token_requests() == 2).await;
    settle().await;
    fx.advance(0.1); // 18.0 s: no longer usable, though 2 s are left.
    // The failed renewal is backed off from (at least 0.5 s): the caller gets that error
    // rather than the old token.
    let err = fx.cache.token().await.unwrap_err();
    assert!(matches!(err, Error::BackingOff { .. }), "{err:?}");
    // Once the back-off is over, a new token is fetched before anything is served.
    fx.server.set(|c| c.failure = None);
    fx.advance(1.0);
    assert_eq!(fx.token().await, "opaque-token-2");
    assert_eq!(fx.token_requests(), 3);
}

// ---------------------------------------------------------------------------------------------
// Expiry: expires_in, JWT exp

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jwt_exp_wins_when_it_is_earlier_than_expires_in() {
    let fx = Fixture::new(Config {
        expires_in: Some(3600),
        jwt_exp_in: Some(100),
        ..Config::default()
    })
    .await;
    let token = fx.cache.token().await.unwrap();
    assert_eq!(token.audience(), ["tasklist-api"]);
    let left = token.expires_at().duration_since(fx.clock.wall()).unwrap();
    assert!(
        left > Duration::from_secs(98) && left <= Duration::from_secs(100),
        "{left:?}"
    );

    // With a ~100 s lifetime the renewal starts 24..30 s before the end, not near 3600 s.
    fx.advance(65.0);
    let first = fx.token().await;
    settle().await;
    assert_eq!(fx.token_requests(), 1);
    fx.advance(13.0); // 78 s
    assert_eq!(fx.token().await, first);
    eventually("the renewal driven by exp", || fx.token_requests() == 2).await;
    served_other_than(&fx.cache, &first).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expires_in_wins_when_it_is_earlier_than_the_jwt_exp() {
    let fx = Fixture::new(Config {
        expires_in: Some(100),
        jwt_exp_in: Some(3600),
        ..Config::default()
    })
    .await;
    let token = fx.cache.token().await.unwrap();
    assert_eq!(
        token.expires_at().duration_since(fx.clock.wall()).unwrap(),
        Duration::from_secs(100)
    );
    // Past 100 s - min(5 s, 10 s): a new token is fetched before anything is served.
    fx.advance(95.0);
    let second = fx.token().await;
    assert_ne!(second, secret(&token));
    assert_eq!(fx.token_requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opaque_token_lives_by_expires_in() {
    let fx = Fixture::new(Config {
        expires_in: Some(120),
        ..Config::default()
    })
    .await;
    let token = fx.cache.token().await.unwrap();
    assert!(token.audience().is_empty());
    assert_eq!(
        token.expires_at().duration_since(fx.clock.wall()).unwrap(),
        Duration::from_secs(120)
    );
    fx.advance(89.0); // renewal starts at 120 - 30 s (less jitter) = 90..96 s at the earliest
    assert_eq!(fx.token().await, "opaque-token-1");
    settle().await;
    assert_eq!(fx.token_requests(), 1);
    fx.advance(26.0); // 115 s: unusable, fetched before being served
    assert_eq!(fx.token().await, "opaque-token-2");
    assert_eq!(fx.token_requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_without_expires_in_or_exp_is_taken_to_live_60_seconds() {
    let fx = Fixture::new(Config {
        expires_in: None,
        ..Config::default()
    })
    .await;
    let token = fx.cache.token().await.unwrap();
    assert_eq!(
        token.expires_at().duration_since(fx.clock.wall()).unwrap(),
        Duration::from_secs(60)
    );
    fx.advance(55.0);
    assert_eq!(fx.token().await, "opaque-token-2");
}

// ---------------------------------------------------------------------------------------------
// Failures

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_renewal_keeps_serving_the_valid_token_and_the_error_surfaces_after_expiry() {
    let fx = Fixture::new(Config {
        expires_in: Some(3600),
        ..Config::default()
    })
    .await;
    let first = fx.token().await;
    fx.server.set(|c| c.failure = Some(Failure::Plain(500)));

    fx.advance(3580.0); // in the renewal window
    assert_eq!(fx.token().await, first);
    eventually("the failed renewal", || fx.token_requests() == 2).await;
    settle().await;
    // No error while the token is valid, and the failure is backed off from.
    for _ in 0..10 {
        assert_eq!(fx.token().await, first);
    }
    assert_eq!(fx.api_status().await, 200);
    settle().await;
    assert_eq!(fx.token_requests(), 2);

    // 3596 s: the token is no longer usable (skew 5 s); the failure reaches the caller.
    fx.advance(16.0);
    let err = fx.cache.token().await.unwrap_err();
    let cause = match &err {
        Error::BackingOff { last, .. } => last.as_ref(),
        other => other,
    };
    assert!(
        matches!(cause, Error::TokenResponse { status: 500, .. }),
        "{err:?}"
    );
    assert!(err.is_transient());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_503_is_backed_off_without_requests_until_the_wait_is_over() {
    // Each fetch is one request here (no retries), so the count shows the cache's back-off.
    let fx = Fixture::with(
        Config {
            failure: Some(Failure::Plain(503)),
            ..Config::default()
        },
        |builder| builder.retry(RetryPolicy::never()),
    )
    .await;
    let api = fx.api();

    let err = fx.cache.token().await.unwrap_err();
    assert!(
        matches!(err, Error::TokenResponse { status: 503, ref detail, .. } if detail.contains("unavailable")),
        "{err:?}"
    );
    assert!(err.is_transient());

    // Immediately again: no request, the back-off error.
    let again = fx.cache.token().await.unwrap_err();
    let Error::BackingOff { last, retry_in } = &again else {
        panic!("expected BackingOff, got {again:?}");
    };
    assert!(matches!(**last, Error::TokenResponse { status: 503, .. }));
    assert!(*retry_in <= Duration::from_secs(1), "{retry_in:?}");
    // Through the API stack as well: the API is not called either.
    let err = api.send(fx.request()).await.unwrap_err();
    assert!(err.is_auth(), "{err:?}");
    let cause = std::error::Error::source(&err)
        .unwrap()
        .downcast_ref::<Error>()
        .unwrap();
    assert!(matches!(cause, Error::BackingOff { .. }), "{cause:?}");
    assert_eq!(fx.token_requests(), 1);
    assert_eq!(fx.server.api_requests(), 0);

    // Exponential: each further failure waits longer, up to 60 s (jitter: half to all of it).
    let mut failures = 1;
    for ceiling in [1u64, 2, 4, 8, 16, 32, 60, 60, 60] {
        let Error::BackingOff { retry_in, .. } = fx.cache.token().await.unwrap_err() else {
            panic!("not backing off after {failures} failures");
        };
        let ceiling = Duration::from_secs(ceiling);
        assert!(
            retry_in <= ceiling && retry_in >= ceiling / 2,
            "after {failures} failures: {retry_in:?}, expected {:?}..={ceiling:?}",
            ceiling / 2
        );
        assert_eq!(fx.token_requests(), failures);
        fx.clock.advance(retry_in);
        assert!(fx.cache.token().await.is_err());
        failures += 1;
        assert_eq!(
            fx.token_requests(),
            failures,
            "a request once the wait is over"
        );
    }

    // Healthy again; after 60 s (the longest back-off) a request is made and succeeds.
    fx.server.set(|c| c.failure = None);
    assert!(matches!(
        fx.cache.token().await,
        Err(Error::BackingOff { .. })
    ));
    fx.advance(60.1);
    assert_eq!(fx.token().await, "opaque-token-1");
    assert_eq!(fx.token_requests(), failures + 1);
    assert_eq!(api.send(fx.request()).await.unwrap().status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_client_is_reported_and_not_retried_for_60_seconds() {
    let fx = Fixture::new(Config {
        failure: Some(Failure::OAuth {
            status: 401,
            code: "invalid_client",
            description: "Invalid client or Invalid client credentials",
        }),
        ..Config::default()
    })
    .await;
    let err = fx.cache.token().await.unwrap_err();
    match &err {
        Error::TokenEndpoint {
            url,
            status,
            code,
            description,
        } => {
            assert_eq!(*status, 401);
            assert_eq!(code, "invalid_client");
            assert_eq!(
                description.as_deref(),
                Some("Invalid client or Invalid client credentials")
            );
            assert_eq!(*url, fx.server.token_url());
        }
        other => panic!("expected TokenEndpoint, got {other:?}"),
    }
    assert!(err.is_bad_credentials() && !err.is_transient());
    let text = err.to_string();
    assert!(text.contains("invalid_client: Invalid client"), "{text}");
    assert!(text.contains("CAMUNDA_CLIENT_SECRET"), "{text}");

    fx.advance(59.9);
    for _ in 0..5 {
        let err = fx.cache.token().await.unwrap_err();
        assert!(matches!(err, Error::BackingOff { .. }), "{err:?}");
        assert!(err.is_bad_credentials());
    }
    assert_eq!(
        fx.token_requests(),
        1,
        "refused credentials retried within 60 s"
    );
    fx.advance(0.2);
    assert!(fx.cache.token().await.is_err());
    assert_eq!(fx.token_requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_html_page_is_reported_with_an_excerpt() {
    let fx = Fixture::new(Config {
        failure: Some(Failure::Html(502)),
        ..Config::default()
    })
    .await;
    let err = fx.cache.token().await.unwrap_err();
    match &err {
        Error::TokenResponse { status, detail, .. } => {
            assert_eq!(*status, 502);
            assert!(
                detail.contains("<title>502 Bad Gateway</title>"),
                "{detail}"
            );
        }
        other => panic!("expected TokenResponse, got {other:?}"),
    }
    assert!(err.is_transient());
    let text = err.to_string();
    assert!(
        text.contains("did not answer like an OAuth 2.0 server"),
        "{text}"
    );
    assert!(text.contains("CAMUNDA_OAUTH_URL"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_token_endpoint_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let credentials = ClientCredentials::builder(
        format!("http://127.0.0.1:{port}/oauth/token"),
        CLIENT_ID,
        SECRET.into(),
    )
    .build(transport().into_shared())
    .unwrap();
    let cache = TokenCache::builder(Arc::new(credentials)).build();
    let err = cache.token().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_transient());
    assert!(!chain(&err).contains(SECRET));
}

// ---------------------------------------------------------------------------------------------
// Rejection by the API

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_drops_the_token_and_the_request_is_retried_once_with_a_new_one() {
    let fx = Fixture::new(Config::default()).await;
    let api = fx.api();
    assert_eq!(api.send(fx.request()).await.unwrap().status(), 200);
    assert_eq!(fx.token_requests(), 1);

    fx.server.revoke_current();
    let response = api.send(fx.request()).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(fx.token_requests(), 2, "exactly one new token");
    assert_eq!(
        fx.server.api_requests(),
        3,
        "the rejected request was sent once more"
    );
    assert_eq!(fx.token().await, "opaque-token-2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_401s_for_the_same_token_renew_it_once() {
    let fx = Fixture::new(Config::default()).await;
    let api = Arc::new(fx.api());
    assert_eq!(api.send(fx.request()).await.unwrap().status(), 200);
    fx.server.revoke_current();

    let calls: Vec<_> = (0..100)
        .map(|_| {
            let api = api.clone();
            let request = fx.request();
            tokio::spawn(async move { api.send(request).await.unwrap().status() })
        })
        .collect();
    for status in futures::future::join_all(calls).await {
        assert_eq!(status.unwrap(), 200);
    }
    assert_eq!(fx.token_requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_401_is_returned_with_the_servers_body() {
    let fx = Fixture::new(Config::default()).await;
    fx.server.reject_all.store(true, Ordering::SeqCst);
    let response = fx.api().send(fx.request()).await.unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(body["status"], 401);
    assert_eq!(
        body["message"],
        "Unauthorized: the access token is invalid or expired"
    );
    assert_eq!(
        body["instance"], "urn:request:2",
        "the second answer, as sent"
    );
    assert_eq!(fx.token_requests(), 2, "one token, and one renewal");
    assert_eq!(fx.server.api_requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalidating_an_old_token_keeps_the_newer_one() {
    let fx = Fixture::new(Config::default()).await;
    let api = fx.api();

    // A request signed with the first token, whose 401 arrives late.
    let mut late = fx.request();
    fx.cache.sign(&mut late).await.unwrap();
    let old = fx.cache.token().await.unwrap();
    assert_eq!(
        late.headers()[header::AUTHORIZATION],
        format!("Bearer {}", secret(&old))
    );

    fx.server.revoke_current();
    assert_eq!(api.send(fx.request()).await.unwrap().status(), 200);
    assert_eq!(fx.token_requests(), 2);
    let new = fx.token().await;
    assert_ne!(new, secret(&old));

    // The late rejection of the old token, and an explicit invalidation of it, keep the new one.
    let unauthorized: Response = http::Response::builder()
        .status(401)
        .body(Bytes::new())
        .unwrap();
    assert_eq!(
        fx.cache.rejected(&late, &unauthorized).await.unwrap(),
        Rejection::RetryOnce
    );
    fx.cache.invalidate(&old);
    assert_eq!(fx.token().await, new);
    assert_eq!(api.send(fx.request()).await.unwrap().status(), 200);
    assert_eq!(fx.token_requests(), 2, "the newer token was kept");

    // Invalidating the current token does drop it.
    fx.cache.invalidate(&fx.cache.token().await.unwrap());
    assert_eq!(fx.token().await, "opaque-token-3");
    assert_eq!(fx.token_requests(), 3);
}

// ---------------------------------------------------------------------------------------------
// The request on the wire

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_carries_every_parameter_with_client_secret_post() {
    let fx = Fixture::with(Config::default(), |b| {
        b.audience("tasklist-api")
            .scope("tasklist:read tasklist:write")
            .resource("urn:camunda:tasklist-api")
    })
    .await;
    fx.token().await;
    let form = fx.server.last_form();
    let field = |name: &str| form.get(name).map(String::as_str);
    assert_eq!(field("grant_type"), Some("client_credentials"));
    assert_eq!(field("client_id"), Some(CLIENT_ID));
    assert_eq!(field("client_secret"), Some(SECRET));
    assert_eq!(field("audience"), Some("tasklist-api"));
    assert_eq!(field("scope"), Some("tasklist:read tasklist:write"));
    assert_eq!(field("resource"), Some("urn:camunda:tasklist-api"));
    assert_eq!(form.len(), 6, "{form:?}");
    assert_eq!(fx.server.last_authorization(), None);

    // Unset parameters are not sent.
    let bare = Fixture::new(Config::default()).await;
    bare.token().await;
    let mut names: Vec<_> = bare.server.last_form().into_keys().collect();
    names.sort();
    assert_eq!(names, ["client_id", "client_secret", "grant_type"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn basic_auth_sends_the_secret_in_the_header_and_not_in_the_body() {
    let fx = Fixture::with(Config::default(), |b| {
        b.audience("tasklist-api")
            .client_auth(ClientAuthMethod::BasicAuth)
    })
    .await;
    fx.token().await;
    let authorization = fx
        .server
        .last_authorization()
        .expect("an Authorization header");
    let encoded = authorization.strip_prefix("Basic ").expect(&authorization);
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    assert_eq!(
        String::from_utf8(decoded).unwrap(),
        format!("{CLIENT_ID}:{SECRET}")
    );
    let form = fx.server.last_form();
    assert_eq!(
        form.get("grant_type").map(String::as_str),
        Some("client_credentials")
    );
    assert_eq!(
        form.get("audience").map(String::as_str),
        Some("tasklist-api")
    );
    assert!(!form.contains_key("client_secret"), "{form:?}");
    assert!(
        !form.values().any(|v| v.contains(SECRET)),
        "the secret is in the body: {form:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Errors

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_secret_never_appears_in_an_error() {
    let failures = [
        Failure::Plain(503),
        Failure::Html(502),
        Failure::OAuth {
            status: 401,
            code: "invalid_client",
            description: "Invalid client credentials",
        },
        Failure::OAuth {
            status: 400,
            code: "invalid_scope",
            description: "unknown scope",
        },
    ];
    for method in [ClientAuthMethod::RequestBody, ClientAuthMethod::BasicAuth] {
        for failure in failures.clone() {
            let fx = Fixture::with(
                Config {
                    failure: Some(failure.clone()),
                    ..Config::default()
                },
                |b| b.client_auth(method),
            )
            .await;
            let first = fx.cache.token().await.unwrap_err();
            let backing_off = fx.cache.token().await.unwrap_err();
            let through_stack = fx.api().send(fx.request()).await.unwrap_err();
            for text in [chain(&first), chain(&backing_off), chain(&through_stack)] {
                assert!(!text.contains(SECRET), "{method:?} {failure:?}: {text}");
            }
            let debug = format!("{:?}", fx.cache);
            assert!(!debug.contains(SECRET), "{debug}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_through_the_stack_are_auth_errors_caused_by_the_auth_error() {
    let fx = Fixture::new(Config {
        failure: Some(Failure::OAuth {
            status: 401,
            code: "invalid_client",
            description: "Invalid client credentials",
        }),
        ..Config::default()
    })
    .await;
    let err = fx.api().send(fx.request()).await.unwrap_err();
    assert!(
        matches!(err, tasklist_transport::Error::Auth { .. }),
        "{err:?}"
    );
    assert!(err.is_auth());
    let cause = std::error::Error::source(&err)
        .expect("a source")
        .downcast_ref::<Error>()
        .expect("a tasklist_auth::Error");
    assert!(
        matches!(cause, Error::TokenEndpoint { status: 401, code, .. } if code == "invalid_client"),
        "{cause:?}"
    );
    assert!(cause.is_bad_credentials());
    assert_eq!(
        fx.server.api_requests(),
        0,
        "an unsigned request is never sent"
    );
}
