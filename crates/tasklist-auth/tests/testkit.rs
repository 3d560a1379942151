//! Every strategy, configured the way a user configures it (`AuthConfig::from_lookup` with
//! the SDKs' environment variable names), against the in-process Tasklist of
//! `tasklist-testkit`: its OAuth token endpoint issuing signed JWTs, its cookie logins with CSRF
//! (8.7 and 8.8), HTTP Basic, and bearer tokens it minted. The server's counters tell how many
//! tokens were requested and how many logins were made.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tasklist_auth::{
    AuthConfig, ClientCredentials, Component, CookieAuth, Error, LoginPath, ManualClock, Strategy,
    TokenCache,
};
use tasklist_testkit::store::Task as StoredTask;
use tasklist_testkit::{AuthMode, Fault, OAuthClient, Profile, Route, TestServer};
use tasklist_transport::{
    Authenticator, Bytes, HttpTransport, Idempotency, SharedTransport, TransportExt, http,
};

// ---------------------------------------------------------------------------------------------
// Building blocks.
// ---------------------------------------------------------------------------------------------

/// An environment made of these variables only.
fn env(vars: Vec<(&'static str, String)>) -> impl Fn(&str) -> Option<String> {
    move |name| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }
}

/// The plain HTTP transport (the server is on loopback: no proxy).
fn http() -> HttpTransport {
    HttpTransport::builder().no_proxy().build().unwrap()
}

/// The stack of `docs/api.md`: the transport from the configuration's TLS settings, signed by
/// the configuration's authenticator, whose own requests go through the plain transport.
fn stack(config: &AuthConfig) -> SharedTransport {
    let http = config
        .apply_tls(HttpTransport::builder().no_proxy())
        .build()
        .unwrap();
    let auth = config.authenticator(http.clone().into_shared()).unwrap();
    http.with_authenticator(auth).into_shared()
}

/// A transport signed by `auth`.
fn signed(auth: Arc<dyn Authenticator>) -> SharedTransport {
    http().with_authenticator(auth).into_shared()
}

/// Sends one API request and returns the status and the JSON body (`Null` when empty).
async fn call(
    transport: &SharedTransport,
    method: &str,
    url: String,
    body: Option<Value>,
) -> Result<(u16, Value), tasklist_transport::Error> {
    let mut builder = http::Request::builder()
        .method(method)
        .uri(url)
        .header("accept", "application/json");
    if body.is_some() {
        builder = builder.header("content-type", "application/json");
    }
    let mut request = builder
        .body(body.map(|b| Bytes::from(b.to_string())).unwrap_or_default())
        .unwrap();
    if method == "POST" {
        // Searches change nothing.
        Idempotency::Idempotent.mark(&mut request);
    }
    let response = transport.send(request).await?;
    let status = response.status().as_u16();
    let body = if response.body().is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(response.body()).unwrap()
    };
    Ok((status, body))
}

/// `POST /v1/tasks/search` with an empty query: the status and the number of tasks.
async fn search(
    transport: &SharedTransport,
    server: &TestServer,
) -> Result<(u16, Value), tasklist_transport::Error> {
    call(
        transport,
        "POST",
        format!("{}/v1/tasks/search", server.base_url()),
        Some(json!({})),
    )
    .await
}

/// A search that must succeed; returns how many tasks it found.
async fn search_ok(transport: &SharedTransport, server: &TestServer) -> usize {
    let (status, body) = search(transport, server).await.unwrap();
    assert_eq!(status, 200, "{body}");
    body.as_array().unwrap().len()
}

/// How many tasks a search without a state filter finds: all but the canceled ones.
fn visible(server: &TestServer) -> usize {
    server
        .store()
        .tasks()
        .iter()
        .filter(|t| t.state != tasklist_testkit::store::TaskState::Canceled)
        .count()
}

/// Adds an unassigned `CREATED` task `id`.
fn insert_task(server: &TestServer, id: &str) {
    server.store().insert_task(StoredTask::new(id, "Check"));
}

/// The auth crate's error behind a transport's authentication error.
fn auth_error(error: &tasklist_transport::Error) -> &Error {
    assert!(error.is_auth(), "{error:?}");
    std::error::Error::source(error)
        .and_then(|source| source.downcast_ref::<Error>())
        .unwrap_or_else(|| panic!("no tasklist_auth::Error behind {error:?}"))
}

/// Client credentials of the testkit's default client.
fn credentials(server: &TestServer) -> Arc<ClientCredentials> {
    Arc::new(
        ClientCredentials::builder(server.token_url(), "tasklist", "tasklist-secret".into())
            .audience("tasklist-api")
            .build(http().into_shared())
            .unwrap(),
    )
}

async fn oauth_server(tasks: usize) -> TestServer {
    TestServer::builder().tasks(tasks).start().await.unwrap()
}

// ---------------------------------------------------------------------------------------------
// AuthConfig::from_lookup, one strategy after the other.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn oauth_from_the_environment_gets_one_token_and_caches_it_on_disk() {
    let server = oauth_server(4).await;
    let dir = tempfile::tempdir().unwrap();
    let config = AuthConfig::from_lookup(
        Component::Tasklist,
        env(vec![
            ("CAMUNDA_CLIENT_ID", "tasklist".to_owned()),
            ("CAMUNDA_CLIENT_SECRET", "tasklist-secret".to_owned()),
            ("CAMUNDA_OAUTH_URL", server.token_url()),
            ("CAMUNDA_TOKEN_CACHE_DIR", dir.path().display().to_string()),
        ]),
    )
    .unwrap();
    assert_eq!(config.strategy(), Strategy::OAuth);
    // A self-managed token URL: Tasklist's self-managed audience, which the testkit expects.
    assert_eq!(config.audience(), Some("tasklist-api"));
    assert_eq!(config.disk_cache_dir(), Some(dir.path()));

    let transport = stack(&config);
    assert_eq!(search_ok(&transport, &server).await, visible(&server));
    search_ok(&transport, &server).await;
    // A JWT caller names the assignee.
    insert_task(&server, "77");
    let (status, body) = call(
        &transport,
        "PATCH",
        format!("{}/v1/tasks/77/assign", server.base_url()),
        Some(json!({"assignee": "john"})),
    )
    .await
    .unwrap();
    assert_eq!((status, &body["assignee"]), (200, &json!("john")));
    assert_eq!(server.token_requests(), 1);
    assert_eq!(server.tokens_issued(), 1);
    assert_eq!(server.requests(Route::SearchTasks), 2);

    // The token on disk is the one the server issued: it is accepted as a bearer token.
    let saved = saved_tokens(dir.path());
    assert_eq!(saved.len(), 1);
    let bearer = AuthConfig::from_lookup(
        Component::Tasklist,
        env(vec![("CAMUNDA_OAUTH_TOKEN", saved[0].clone())]),
    )
    .unwrap();
    search_ok(&stack(&bearer), &server).await;
    assert_eq!(server.tokens_issued(), 1);
}

/// The access tokens of the token cache files in `dir`.
fn saved_tokens(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let entry: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
            entry["access_token"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[tokio::test]
async fn oauth_from_the_legacy_names_with_a_custom_audience() {
    let server = TestServer::builder()
        .clients([OAuthClient::new("worker", "s3cret", "custom-api")])
        .api_audience("custom-api")
        .tasks(2)
        .start()
        .await
        .unwrap();
    let base = |audience: &str| {
        vec![
            ("ZEEBE_CLIENT_ID", "worker".to_owned()),
            ("ZEEBE_CLIENT_SECRET", "s3cret".to_owned()),
            ("ZEEBE_AUTHORIZATION_SERVER_URL", server.token_url()),
            ("CAMUNDA_TASKLIST_OAUTH_AUDIENCE", audience.to_owned()),
            ("CAMUNDA_TOKEN_DISK_CACHE_DISABLE", "true".to_owned()),
        ]
    };
    let config = AuthConfig::from_lookup(Component::Tasklist, env(base("custom-api"))).unwrap();
    assert_eq!(config.audience(), Some("custom-api"));
    assert_eq!(config.disk_cache_dir(), None);
    search_ok(&stack(&config), &server).await;
    assert_eq!(server.token_requests(), 1);

    // An audience the client may not use: the token endpoint refuses, nothing is sent.
    let config = AuthConfig::from_lookup(Component::Tasklist, env(base("operate-api"))).unwrap();
    let error = search(&stack(&config), &server).await.unwrap_err();
    match auth_error(&error) {
        Error::TokenEndpoint { status, code, .. } => {
            assert_eq!((*status, code.as_str()), (400, "invalid_target"));
        }
        other => panic!("{other:?}"),
    }
    // A wrong secret: refused as bad credentials.
    let mut vars = base("custom-api");
    vars[1].1 = "wrong".to_owned();
    let config = AuthConfig::from_lookup(Component::Tasklist, env(vars)).unwrap();
    let error = search(&stack(&config), &server).await.unwrap_err();
    let refused = auth_error(&error);
    assert!(
        refused.is_bad_credentials() && !refused.is_transient(),
        "{refused:?}"
    );
    assert!(
        matches!(refused, Error::TokenEndpoint { status: 401, .. }),
        "{refused:?}"
    );

    assert_eq!(server.token_requests(), 3);
    assert_eq!(server.tokens_issued(), 1);
    assert_eq!(server.requests(Route::SearchTasks), 1);
}

/// Cookie login configured by URL; with CSRF on, GETs and PATCHes both work.
async fn cookie_from_the_environment(profile: Profile, login_url: &str, logins: u64) {
    let server = TestServer::builder()
        .profile(profile)
        .auth(AuthMode::Cookie { csrf: true })
        .start()
        .await
        .unwrap();
    insert_task(&server, "77");
    let url = login_url.replace("{base}", server.base_url());
    let config = AuthConfig::from_lookup(
        Component::Tasklist,
        env(vec![
            ("CAMUNDA_COOKIE_AUTH_URL", url),
            ("CAMUNDA_COOKIE_AUTH_USERNAME", "demo".to_owned()),
            ("CAMUNDA_COOKIE_AUTH_PASSWORD", "demo".to_owned()),
        ]),
    )
    .unwrap();
    assert_eq!(config.strategy(), Strategy::Cookie);
    let transport = stack(&config);
    let task_url = format!("{}/v1/tasks/77", server.base_url());

    let (status, _) = call(&transport, "GET", task_url.clone(), None)
        .await
        .unwrap();
    assert_eq!(status, 200);
    // A user assigns to themself; the PATCH needs the CSRF token.
    let (status, body) = call(
        &transport,
        "PATCH",
        format!("{task_url}/assign"),
        Some(json!({})),
    )
    .await
    .unwrap();
    assert_eq!((status, &body["assignee"]), (200, &json!("demo")), "{body}");
    let (status, body) = call(
        &transport,
        "PATCH",
        format!("{task_url}/complete"),
        Some(json!({"variables": [{"name": "ok", "value": "true"}]})),
    )
    .await
    .unwrap();
    assert_eq!(
        (status, &body["taskState"]),
        (200, &json!("COMPLETED")),
        "{body}"
    );
    let done = server.store().task("77").unwrap();
    assert_eq!(done.assignee.as_deref(), Some("demo"));
    assert_eq!(
        server.store().completed_variables("77").unwrap()[0].value,
        "true"
    );

    assert_eq!(server.logins(), logins, "{profile} {login_url}");
    assert_eq!(server.successful_logins(), 1);
    assert_eq!(server.active_sessions(), 1);
    assert_eq!(server.requests(Route::AssignTask), 1);
}

#[tokio::test]
async fn cookie_login_from_the_environment_on_8_7() {
    cookie_from_the_environment(Profile::V8_7, "{base}/api/login", 1).await;
}

#[tokio::test]
async fn cookie_login_from_the_environment_on_8_8() {
    cookie_from_the_environment(Profile::V8_8, "{base}/login", 1).await;
}

#[tokio::test]
async fn cookie_login_from_a_base_url_tries_both_paths() {
    // 8.7 logs in at the first path tried; 8.8 answers 401 there, then logs in at `/login`.
    cookie_from_the_environment(Profile::V8_7, "{base}/", 1).await;
    cookie_from_the_environment(Profile::V8_8, "{base}", 2).await;
}

#[tokio::test]
async fn cookie_login_with_a_wrong_password_sends_nothing() {
    let server = TestServer::builder()
        .profile(Profile::V8_8)
        .auth(AuthMode::Cookie { csrf: true })
        .start()
        .await
        .unwrap();
    let config = AuthConfig::from_lookup(
        Component::Tasklist,
        env(vec![
            ("CAMUNDA_COOKIE_AUTH_URL", server.login_url()),
            ("CAMUNDA_COOKIE_AUTH_USERNAME", "demo".to_owned()),
            ("CAMUNDA_COOKIE_AUTH_PASSWORD", "wrong-password".to_owned()),
        ]),
    )
    .unwrap();
    let error = search(&stack(&config), &server).await.unwrap_err();
    let refused = auth_error(&error);
    assert!(refused.is_bad_credentials(), "{refused:?}");
    assert!(!refused.to_string().contains("wrong-password"), "{refused}");
    assert_eq!(server.logins(), 1);
    assert_eq!(server.requests(Route::SearchTasks), 0);
}

#[tokio::test]
async fn basic_from_the_environment_on_8_8() {
    let server = TestServer::builder()
        .profile(Profile::V8_8)
        .auth(AuthMode::Basic)
        .tasks(3)
        .start()
        .await
        .unwrap();
    insert_task(&server, "77");
    let config = |password: &str| {
        AuthConfig::from_lookup(
            Component::Tasklist,
            env(vec![
                ("CAMUNDA_BASIC_AUTH_USERNAME", "demo".to_owned()),
                ("CAMUNDA_BASIC_AUTH_PASSWORD", password.to_owned()),
            ]),
        )
        .unwrap()
    };
    let good = config("demo");
    assert_eq!(good.strategy(), Strategy::Basic);
    let transport = stack(&good);
    search_ok(&transport, &server).await;
    let (status, body) = call(
        &transport,
        "PATCH",
        format!("{}/v1/tasks/77/assign", server.base_url()),
        Some(json!({})),
    )
    .await
    .unwrap();
    assert_eq!((status, &body["assignee"]), (200, &json!("demo")));

    // Basic cannot renew anything: the 401 is the caller's, sent once.
    let (status, body) = search(&stack(&config("nope")), &server).await.unwrap();
    assert_eq!(status, 401);
    assert_eq!(body["detail"], "Bad credentials");
    assert_eq!(server.requests(Route::SearchTasks), 2);
    assert_eq!((server.logins(), server.token_requests()), (0, 0));
}

#[tokio::test]
async fn bearer_from_the_environment_with_a_minted_token() {
    let server = oauth_server(2).await;
    let token = server
        .mint_token("tasklist", "tasklist-api", Duration::from_secs(60))
        .unwrap();
    let config = AuthConfig::from_lookup(
        Component::Tasklist,
        env(vec![("CAMUNDA_OAUTH_TOKEN", format!("Bearer {token}"))]),
    )
    .unwrap();
    assert_eq!(config.strategy(), Strategy::Bearer);
    let transport = stack(&config);
    search_ok(&transport, &server).await;
    assert_eq!(server.token_requests(), 0);
    assert_eq!(server.tokens_issued(), 1);

    // A fixed token cannot be renewed: once it expires, the server's 401 reaches the caller.
    server.expire_tokens();
    let (status, body) = search(&transport, &server).await.unwrap();
    assert_eq!(status, 401);
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("Jwt expired at"), "{message}");

    // A token for another API is refused by the server.
    let foreign = server
        .mint_token("tasklist", "zeebe-api", Duration::from_secs(60))
        .unwrap();
    let config = AuthConfig::from_lookup(
        Component::Tasklist,
        env(vec![("CAMUNDA_OAUTH_TOKEN", foreign)]),
    )
    .unwrap();
    let (status, body) = search(&stack(&config), &server).await.unwrap();
    assert_eq!(status, 401);
    assert_eq!(body["message"], "JWT payload validation failed");
    assert_eq!(server.requests(Route::SearchTasks), 3);
    assert_eq!(server.token_requests(), 0);
}

#[tokio::test]
async fn no_credentials_reach_a_server_without_authentication() {
    let server = TestServer::builder()
        .auth(AuthMode::None)
        .tasks(2)
        .start()
        .await
        .unwrap();
    let config = AuthConfig::from_lookup(Component::Tasklist, env(vec![])).unwrap();
    assert_eq!(config.strategy(), Strategy::None);
    search_ok(&stack(&config), &server).await;
    // The same strategy against a server that wants a token: its 401 passes through.
    let secured = oauth_server(0).await;
    let (status, _) = search(&stack(&config), &secured).await.unwrap();
    assert_eq!(status, 401);
}

// ---------------------------------------------------------------------------------------------
// The token cache against the real token endpoint.
// ---------------------------------------------------------------------------------------------

/// Sends `n` searches at once through `transport` and checks each succeeded.
async fn concurrent_searches(transport: &SharedTransport, server: &TestServer, n: usize) {
    let barrier = Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let transport = transport.clone();
            let url = format!("{}/v1/tasks/search", server.base_url());
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                call(&transport, "POST", url, Some(json!({}))).await
            })
        })
        .collect();
    for task in tasks {
        let (status, body) = task.await.unwrap().unwrap();
        assert_eq!(status, 200, "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_requests_share_one_token_request() {
    const N: usize = 32;
    let server = oauth_server(1).await;
    let cache = TokenCache::builder(credentials(&server)).build();
    let transport = signed(Arc::new(cache));
    // The token endpoint answers slowly, so every request is waiting for the first token.
    server.fail_next(Route::Token, 1, Fault::Latency(Duration::from_millis(200)));
    concurrent_searches(&transport, &server, N).await;
    assert_eq!(server.token_requests(), 1);
    assert_eq!(server.requests(Route::SearchTasks), N as u64);

    // The server expires the token: the first 401 starts one renewal that serves every
    // request (those refused, and those signed after it started).
    server.expire_tokens();
    server.fail_next(Route::Token, 1, Fault::Latency(Duration::from_millis(200)));
    concurrent_searches(&transport, &server, N).await;
    assert_eq!(server.token_requests(), 2);
    assert_eq!(server.tokens_issued(), 2);
    // N successes, plus one refusal per request that went out with the expired token: at
    // least one, and never two for the same request.
    let second_round = server.requests(Route::SearchTasks) - N as u64;
    assert!(
        second_round > N as u64 && second_round <= 2 * N as u64,
        "{second_round}"
    );
}

#[tokio::test]
async fn expired_and_revoked_tokens_are_renewed_once_each() {
    let server = oauth_server(1).await;
    let transport = signed(Arc::new(TokenCache::builder(credentials(&server)).build()));
    search_ok(&transport, &server).await;
    server.expire_tokens();
    search_ok(&transport, &server).await;
    assert_eq!(server.token_requests(), 2);
    server.revoke_tokens();
    search_ok(&transport, &server).await;
    assert_eq!(server.token_requests(), 3);
    // Each renewal cost one refused request and one repeated one.
    assert_eq!(server.requests(Route::SearchTasks), 5);
}

#[tokio::test]
async fn a_token_past_its_lifetime_by_the_cache_clock_is_replaced_before_sending() {
    let server = TestServer::builder()
        .token_lifetime(Duration::from_secs(120))
        .tasks(1)
        .start()
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::new());
    let cache = TokenCache::builder(credentials(&server))
        .clock(clock.clone())
        .build();
    let transport = signed(Arc::new(cache.clone()));
    search_ok(&transport, &server).await;
    let first = cache.token().await.unwrap();
    assert_eq!(server.token_requests(), 1);

    // Still well within its lifetime: the same token.
    clock.advance(Duration::from_secs(60));
    search_ok(&transport, &server).await;
    assert_eq!(server.token_requests(), 1);

    // Past it: a new token is fetched before the request goes out. The server would still
    // accept the old one (its own clock did not move), so only the cache can have decided.
    clock.advance(Duration::from_secs(61));
    search_ok(&transport, &server).await;
    assert_eq!(server.token_requests(), 2);
    assert!(cache.token().await.unwrap().expires_at() > first.expires_at());
    assert_eq!(server.requests(Route::SearchTasks), 3);
}

#[tokio::test]
async fn a_second_cache_on_the_same_directory_reuses_the_token_and_its_renewal() {
    let server = oauth_server(1).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = || {
        TokenCache::builder(credentials(&server))
            .disk_cache_dir(dir.path())
            .build()
    };
    let first = signed(Arc::new(cache()));
    search_ok(&first, &server).await;
    assert_eq!(server.token_requests(), 1);

    // Another instance (another process, in real life) finds the token on disk.
    let second = signed(Arc::new(cache()));
    search_ok(&second, &server).await;
    assert_eq!(
        server.token_requests(),
        1,
        "the second cache requested a token"
    );
    assert_eq!(server.requests(Route::SearchTasks), 2);

    // The server expires it: the second cache must not read the rejected token back from
    // disk, so it requests a new one...
    server.expire_tokens();
    search_ok(&second, &server).await;
    assert_eq!(server.token_requests(), 2);
    // ...which the first cache, rejected in turn, finds on disk instead of requesting one.
    search_ok(&first, &server).await;
    assert_eq!(server.token_requests(), 2);
    assert_eq!(server.requests(Route::SearchTasks), 6);
}

#[tokio::test]
async fn a_saved_cookie_session_is_reused_and_renewed() {
    let server = TestServer::builder()
        .profile(Profile::V8_8)
        .auth(AuthMode::Cookie { csrf: true })
        .tasks(1)
        .start()
        .await
        .unwrap();
    insert_task(&server, "77");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("session.json");
    let auth = || {
        CookieAuth::builder(server.base_url())
            .username("demo")
            .password("demo".into())
            .login_path(LoginPath::Root)
            .persist_to(&file)
            .build(http().into_shared())
            .unwrap()
    };
    let first = signed(Arc::new(auth()));
    search_ok(&first, &server).await;
    assert_eq!(server.logins(), 1);

    // A second authenticator reads the session (with its CSRF token) from the file.
    let second = auth();
    assert!(second.is_logged_in());
    let second = signed(Arc::new(second));
    let (status, _) = call(
        &second,
        "PATCH",
        format!("{}/v1/tasks/77/assign", server.base_url()),
        Some(json!({})),
    )
    .await
    .unwrap();
    assert_eq!(status, 200);
    assert_eq!(server.logins(), 1);

    // The server forgets its sessions: one new login, and the request goes through.
    server.revoke_sessions();
    search_ok(&second, &server).await;
    assert_eq!(server.logins(), 2);
    // A CSRF rejection logs in again too.
    server.fail_next(Route::UnassignTask, 1, Fault::Csrf403);
    let (status, _) = call(
        &second,
        "PATCH",
        format!("{}/v1/tasks/77/unassign", server.base_url()),
        None,
    )
    .await
    .unwrap();
    assert_eq!(status, 200);
    assert_eq!(server.logins(), 3);
    assert_eq!(server.store().task("77").unwrap().assignee, None);
}

#[tokio::test]
async fn token_and_login_outages_fail_before_anything_is_sent() {
    let server = oauth_server(1).await;
    let transport = signed(Arc::new(TokenCache::builder(credentials(&server)).build()));
    // A token request is retried as any idempotent call (three attempts by default): the
    // outage outlasts them.
    server.fail_next(Route::Token, 3, Fault::Unavailable { retry_after: None });
    let error = search(&transport, &server).await.unwrap_err();
    let outage = auth_error(&error);
    assert!(
        outage.is_transient() && !outage.is_bad_credentials(),
        "{outage:?}"
    );
    assert!(outage.to_string().contains("503"), "{outage}");
    assert_eq!(server.token_requests(), 3);
    assert_eq!(server.requests(Route::SearchTasks), 0);

    let server = TestServer::builder()
        .auth(AuthMode::Cookie { csrf: false })
        .start()
        .await
        .unwrap();
    let auth = CookieAuth::builder(server.base_url())
        .username("demo")
        .password("demo".into())
        .build(http().into_shared())
        .unwrap();
    let transport = signed(Arc::new(auth));
    server.fail_next(Route::Login, 1, Fault::Internal500);
    let error = search(&transport, &server).await.unwrap_err();
    match auth_error(&error) {
        Error::Login { status, .. } => assert_eq!(*status, 500),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests(Route::SearchTasks), 0);
}
