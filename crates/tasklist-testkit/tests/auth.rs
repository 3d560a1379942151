//! The authentication entry points over real HTTP: the token endpoint, cookie login with CSRF,
//! HTTP Basic, the API's refusals, and the workspace's own authenticators against them.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use secrecy::SecretString;
use serde_json::{Value, json};
use tasklist_auth::{
    BasicAuth, ClientAuthMethod, ClientCredentials, CookieAuth, LoginPath, TokenCache,
};
use tasklist_testkit::{AuthMode, Profile, Route, TestServer};
use tasklist_transport::{Bytes, HttpTransport, SharedTransport, Transport, TransportExt, http};

/// A plain client that never goes through a proxy and never follows redirects.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The workspace's HTTP transport, without proxy.
fn transport() -> SharedTransport {
    HttpTransport::builder()
        .no_proxy()
        .build()
        .unwrap()
        .into_shared()
}

/// A request with a JSON body (empty body when `body` is `None`).
fn request(method: &str, url: &str, body: Option<Value>) -> tasklist_transport::Request {
    let mut builder = http::Request::builder().method(method).uri(url);
    if body.is_some() {
        builder = builder.header("content-type", "application/json");
    }
    let bytes = body.map(|b| Bytes::from(b.to_string())).unwrap_or_default();
    builder.body(bytes).unwrap()
}

/// The body of a response as JSON.
async fn json_of(response: reqwest::Response) -> Value {
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The claims of a JWT, decoded without checking the signature.
fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT has three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// An id of a seeded task.
fn some_task(server: &TestServer) -> String {
    let mut tasks = server.store().tasks();
    tasks.sort_by(|a, b| a.id.cmp(&b.id));
    tasks.first().expect("the server was seeded").id.clone()
}

// ------------------------------------------------------------------------------------------
// The token endpoint.
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn token_endpoint_accepts_form_json_and_basic_client_auth() {
    let server = TestServer::builder()
        .token_lifetime(Duration::from_secs(120))
        .start()
        .await
        .unwrap();
    let http = client();
    let form = post_form(
        &http,
        server.token_url(),
        "grant_type=client_credentials&client_id=tasklist&client_secret=tasklist-secret&audience=tasklist-api",
    )
    .await;
    let json_body = http
        .post(server.token_url())
        .header("content-type", "application/json")
        .body(
            json!({
                "grant_type": "client_credentials",
                "client_id": "tasklist",
                "client_secret": "tasklist-secret",
                "audience": "tasklist-api",
            })
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    let basic = http
        .post(server.token_url())
        .header(
            "authorization",
            format!("Basic {}", STANDARD.encode("tasklist:tasklist-secret")),
        )
        .form_body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    for response in [form, json_body, basic] {
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "no-store");
        let body = json_of(response).await;
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 120);
        let token = body["access_token"].as_str().unwrap();
        assert_eq!(claims(token)["aud"], "tasklist-api");
    }
    assert_eq!(server.token_requests(), 3);
    assert_eq!(server.tokens_issued(), 3);
}

#[tokio::test]
async fn tokens_carry_the_configured_claims_and_lifetime() {
    let server = TestServer::builder()
        .client("worker", "w-secret", "tasklist-api")
        .issuer("https://idp.test")
        .token_lifetime(Duration::from_secs(90))
        .start()
        .await
        .unwrap();
    let response = post_form(
        &client(),
        server.token_url(),
        "grant_type=client_credentials&client_id=worker&client_secret=w-secret",
    )
    .await;
    assert_eq!(response.status(), 200);
    let body = json_of(response).await;
    let token = body["access_token"].as_str().unwrap();
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "HS256");
    let claims = claims(token);
    assert_eq!(claims["sub"], "worker");
    assert_eq!(claims["iss"], "https://idp.test");
    // No audience was asked for: the client's own is given.
    assert_eq!(claims["aud"], "tasklist-api");
    let lifetime = claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap();
    assert!((90..=91).contains(&lifetime), "exp - iat = {lifetime}");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(claims["exp"].as_u64().unwrap() >= now + 89);
}

#[tokio::test]
async fn token_endpoint_errors_follow_rfc_6749() {
    let server = TestServer::builder()
        .client("other", "o-secret", "zeebe-api")
        .start()
        .await
        .unwrap();
    let http = client();
    let form = |body: &'static str| http.post(server.token_url()).form_body(body);

    // Unknown client, in the body: 401 invalid_client, no Basic challenge.
    let response = form("grant_type=client_credentials&client_id=nobody&client_secret=x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(response.headers().get("www-authenticate").is_none());
    let body = json_of(response).await;
    assert_eq!(body["error"], "invalid_client");
    assert!(body["error_description"].is_string());

    // Wrong secret by HTTP Basic: 401 invalid_client with a challenge.
    let response = http
        .post(server.token_url())
        .header(
            "authorization",
            format!("Basic {}", STANDARD.encode("tasklist:wrong")),
        )
        .form_body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(
        response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Basic ")
    );
    assert_eq!(json_of(response).await["error"], "invalid_client");

    // An audience the client may not use: 400 invalid_target (RFC 8707).
    let response = form(
        "grant_type=client_credentials&client_id=other&client_secret=o-secret&audience=tasklist-api",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), 400);
    let body = json_of(response).await;
    assert_eq!(body["error"], "invalid_target");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("tasklist-api")
    );

    // Another grant: 400 unsupported_grant_type.
    let response = form("grant_type=password&username=demo&password=demo")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(json_of(response).await["error"], "unsupported_grant_type");

    // No grant type, a broken JSON body, two client authentication methods: invalid_request.
    let response = form("client_id=tasklist&client_secret=tasklist-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(json_of(response).await["error"], "invalid_request");
    let response = http
        .post(server.token_url())
        .header("content-type", "application/json")
        .body("{\"grant_type\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(json_of(response).await["error"], "invalid_request");
    let response = http
        .post(server.token_url())
        .header(
            "authorization",
            format!("Basic {}", STANDARD.encode("tasklist:tasklist-secret")),
        )
        .form_body("grant_type=client_credentials&client_id=tasklist&client_secret=tasklist-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(json_of(response).await["error"], "invalid_request");

    // No client authentication at all.
    let response = form("grant_type=client_credentials").send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(json_of(response).await["error"], "invalid_client");

    assert_eq!(server.token_requests(), 8);
    assert_eq!(server.tokens_issued(), 0);
}

#[tokio::test]
async fn the_auth_crate_gets_tokens_with_body_and_basic_client_auth() {
    let server = TestServer::builder().tasks(3).start().await.unwrap();
    for method in [ClientAuthMethod::RequestBody, ClientAuthMethod::BasicAuth] {
        let credentials = ClientCredentials::builder(
            server.token_url(),
            "tasklist",
            SecretString::from("tasklist-secret"),
        )
        .audience("tasklist-api")
        .client_auth(method)
        .build(transport())
        .unwrap();
        let cache = TokenCache::builder(Arc::new(credentials)).build();
        let api = transport().with_authenticator(Arc::new(cache));
        let url = format!("{}/v1/tasks/search", server.base_url());
        let response = api
            .send(request("POST", &url, Some(json!({ "pageSize": 50 }))))
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{method:?}");
        let tasks: Value = serde_json::from_slice(response.body()).unwrap();
        assert_eq!(tasks.as_array().unwrap().len(), 3);
    }
    assert_eq!(server.token_requests(), 2);
    assert_eq!(server.requests(Route::SearchTasks), 2);
}

#[tokio::test]
async fn the_auth_crate_reports_the_token_endpoint_error() {
    let server = TestServer::builder().start().await.unwrap();
    let credentials =
        ClientCredentials::builder(server.token_url(), "tasklist", SecretString::from("wrong"))
            .audience("tasklist-api")
            .build(transport())
            .unwrap();
    let cache = TokenCache::builder(Arc::new(credentials)).build();
    let err = cache.token().await.unwrap_err();
    match err {
        tasklist_auth::Error::TokenEndpoint { status, code, .. } => {
            assert_eq!(status, 401);
            assert_eq!(code, "invalid_client");
        }
        other => panic!("expected a token endpoint error, got {other:?}"),
    }
}

// ------------------------------------------------------------------------------------------
// Bearer tokens at the API.
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_api_refuses_missing_and_foreign_tokens_with_the_87_bodies() {
    let server = TestServer::builder().tasks(1).start().await.unwrap();
    let url = format!("{}/v1/tasks/{}", server.base_url(), some_task(&server));
    let http = client();

    let response = http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(json_of(response).await, json!({ "message": "" }));

    let foreign = server
        .mint_token("tasklist", "zeebe-api", Duration::from_secs(60))
        .unwrap();
    let response = http.get(&url).bearer_auth(&foreign).send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(
        json_of(response).await,
        json!({ "message": "JWT payload validation failed" })
    );

    let response = http
        .get(&url)
        .bearer_auth("not-a-jwt")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let message = json_of(response).await["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.starts_with("An error occurred while attempting to decode the Jwt"),
        "{message}"
    );

    let good = server
        .mint_token("tasklist", "tasklist-api", Duration::from_secs(60))
        .unwrap();
    let response = http.get(&url).bearer_auth(&good).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.requests(Route::GetTask), 4);
}

#[tokio::test]
async fn the_88_profile_refuses_with_problem_details() {
    let server = TestServer::builder()
        .profile(Profile::V8_8)
        .start()
        .await
        .unwrap();
    let url = format!("{}/v1/tasks/search", server.base_url());
    let http = client();
    let response = http.post(&url).json_body(json!({})).send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/problem+json")
    );
    assert_eq!(
        json_of(response).await,
        json!({
            "type": "about:blank",
            "title": "Unauthorized",
            "status": 401,
            "detail": "Full authentication is required to access this resource",
            "instance": "/v1/tasks/search",
        })
    );
    let foreign = server
        .mint_token("tasklist", "zeebe-api", Duration::from_secs(60))
        .unwrap();
    let response = http
        .post(&url)
        .bearer_auth(&foreign)
        .json_body(json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(
        json_of(response).await["detail"],
        "An error occurred while attempting to decode the Jwt: Token audiences are [zeebe-api], \
         expected at least one of [tasklist-api]"
    );
}

#[tokio::test]
async fn an_expired_token_gets_401_then_the_auth_crate_renews_it() {
    let server = TestServer::builder().tasks(2).start().await.unwrap();
    let credentials = ClientCredentials::builder(
        server.token_url(),
        "tasklist",
        SecretString::from("tasklist-secret"),
    )
    .audience("tasklist-api")
    .build(transport())
    .unwrap();
    let cache = Arc::new(TokenCache::builder(Arc::new(credentials)).build());
    let api = transport().with_authenticator(cache.clone());
    let url = format!("{}/v1/tasks/{}", server.base_url(), some_task(&server));

    assert_eq!(
        api.send(request("GET", &url, None)).await.unwrap().status(),
        200
    );
    assert_eq!(server.token_requests(), 1);
    let old = cache.token().await.unwrap();

    server.expire_tokens();
    // On the wire, the old token is now refused with Spring's message.
    let raw = client()
        .get(&url)
        .bearer_auth(old.secret().expose_secret_for_test())
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 401);
    let message = json_of(raw).await["message"].as_str().unwrap().to_owned();
    assert!(message.contains("Jwt expired at"), "{message}");

    // Through the authenticator: 401, a new token, the retry succeeds.
    assert_eq!(
        api.send(request("GET", &url, None)).await.unwrap().status(),
        200
    );
    assert_eq!(server.token_requests(), 2);
    // The request counter saw: first call, the raw call, the refused call and its retry.
    assert_eq!(server.requests(Route::GetTask), 4);

    // Revocation (key rotation) is recovered from the same way.
    server.revoke_tokens();
    assert_eq!(
        api.send(request("GET", &url, None)).await.unwrap().status(),
        200
    );
    assert_eq!(server.token_requests(), 3);
}

#[tokio::test]
async fn a_short_token_lifetime_is_honoured() {
    let server = TestServer::builder()
        .tasks(1)
        .token_lifetime(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    let response = post_form(
        &client(),
        server.token_url(),
        "grant_type=client_credentials&client_id=tasklist&client_secret=tasklist-secret",
    )
    .await;
    let body = json_of(response).await;
    assert_eq!(body["expires_in"], 1);
    let token = body["access_token"].as_str().unwrap().to_owned();
    let url = format!("{}/v1/tasks/{}", server.base_url(), some_task(&server));
    let first = client().get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(first.status(), 200);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let later = client().get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(later.status(), 401);
}

// ------------------------------------------------------------------------------------------
// Cookie sessions and CSRF.
// ------------------------------------------------------------------------------------------

/// The `name=value` of cookie `name` among a response's `Set-Cookie` headers.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn cookie_login_issues_a_session_and_enforces_csrf_on_87() {
    let server = TestServer::builder()
        .auth(AuthMode::Cookie { csrf: true })
        .tasks(3)
        .start()
        .await
        .unwrap();
    let http = client();

    // Bad credentials: 401 with 8.7's small body, no session.
    let refused = post_form(&http, server.login_url(), "username=demo&password=wrong").await;
    assert_eq!(refused.status(), 401);
    assert!(set_cookie(&refused, "TASKLIST-SESSION").is_none());
    assert_eq!(json_of(refused).await, json!({ "message": "" }));

    // Good credentials: 204, the session cookie and the CSRF token.
    let login = post_form(
        &http,
        format!("{}/api/login", server.base_url()),
        "username=demo&password=demo",
    )
    .await;
    assert_eq!(login.status(), 204);
    let session = set_cookie(&login, "TASKLIST-SESSION").expect("a session cookie");
    let csrf = login.headers()["x-csrf-token"].to_str().unwrap().to_owned();
    assert!(!csrf.is_empty());
    assert_eq!(server.logins(), 2);
    assert_eq!(server.successful_logins(), 1);
    assert_eq!(server.active_sessions(), 1);

    let task = some_task(&server);
    // A GET needs no CSRF token, and carries it back.
    let got = http
        .get(format!("{}/v1/tasks/{task}", server.base_url()))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["x-csrf-token"], csrf.as_str());

    // A POST without the token: 403 with 8.7's CSRF body.
    let search = format!("{}/v1/tasks/search", server.base_url());
    let denied = http
        .post(&search)
        .header("cookie", &session)
        .json_body(json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);
    assert_eq!(
        denied.text().await.unwrap(),
        "{\"error\": \"Access denied due to invalid CSRF token.\"}"
    );
    // A wrong token is no better.
    let denied = http
        .post(&search)
        .header("cookie", &session)
        .header("x-csrf-token", "forged")
        .json_body(json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);
    // With the token: served.
    let allowed = http
        .post(&search)
        .header("cookie", &session)
        .header("x-csrf-token", &csrf)
        .json_body(json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.status(), 200);

    // Logout: 204, cookies cleared, the session is gone.
    let logout = http
        .post(format!("{}/api/logout", server.base_url()))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    assert!(
        logout
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("TASKLIST-SESSION=;"))
    );
    let after = http
        .get(format!("{}/v1/tasks/{task}", server.base_url()))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 401);
    assert_eq!(server.active_sessions(), 0);
}

#[tokio::test]
async fn the_88_profile_logs_in_at_login_with_camunda_session() {
    let server = TestServer::builder()
        .profile(Profile::V8_8)
        .auth(AuthMode::Cookie { csrf: true })
        .start()
        .await
        .unwrap();
    let http = client();

    // 8.8 has no /api/login: it is an API path, so an anonymous post is a 401.
    let wrong_path = post_form(
        &http,
        format!("{}/api/login", server.base_url()),
        "username=demo&password=demo",
    )
    .await;
    assert_eq!(wrong_path.status(), 401);
    assert_eq!(json_of(wrong_path).await["instance"], "/api/login");

    let refused = post_form(
        &http,
        format!("{}/login", server.base_url()),
        "username=demo&password=nope",
    )
    .await;
    assert_eq!(refused.status(), 401);
    let body = json_of(refused).await;
    assert_eq!(body["detail"], "Bad credentials");
    assert_eq!(body["title"], "Unauthorized");

    let login = post_form(
        &http,
        format!("{}/login", server.base_url()),
        "username=demo&password=demo",
    )
    .await;
    assert_eq!(login.status(), 204);
    let session = set_cookie(&login, "camunda-session").expect("camunda-session");
    assert!(set_cookie(&login, "TASKLIST-SESSION").is_none());

    // CSRF failure on 8.8: a 401 (not 403) problem naming the CSRF token.
    let denied = http
        .post(format!("{}/v1/tasks/search", server.base_url()))
        .header("cookie", &session)
        .json_body(json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 401);
    let body = json_of(denied).await;
    assert_eq!(body["status"], 401);
    assert!(
        body["detail"].as_str().unwrap().contains("CSRF Token"),
        "{body}"
    );

    let logout = http
        .post(format!("{}/logout", server.base_url()))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    assert_eq!(server.active_sessions(), 0);
}

#[tokio::test]
async fn cookie_auth_logs_in_and_logs_in_again_after_sessions_expire() {
    for (profile, login_path) in [
        (Profile::V8_7, LoginPath::Api),
        (Profile::V8_8, LoginPath::Root),
    ] {
        let server = TestServer::builder()
            .profile(profile)
            .auth(AuthMode::Cookie { csrf: true })
            .tasks(4)
            .start()
            .await
            .unwrap();
        let auth = Arc::new(
            CookieAuth::builder(server.base_url())
                .username("demo")
                .password(SecretString::from("demo"))
                .login_path(login_path)
                .build(transport())
                .unwrap(),
        );
        let api = transport().with_authenticator(auth.clone());
        let search = format!("{}/v1/tasks/search", server.base_url());
        // A POST: the session cookie and the CSRF token both go along.
        let response = api
            .send(request("POST", &search, Some(json!({ "pageSize": 2 }))))
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{profile}");
        assert_eq!(server.successful_logins(), 1);

        server.expire_sessions();
        let response = api
            .send(request("POST", &search, Some(json!({}))))
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{profile}");
        assert_eq!(server.successful_logins(), 2);

        server.revoke_sessions();
        let response = api
            .send(request("POST", &search, Some(json!({}))))
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{profile}");
        assert_eq!(server.successful_logins(), 3);

        auth.logout().await.unwrap();
        assert_eq!(server.active_sessions(), 0);
        assert_eq!(server.requests(Route::Logout), 1);
    }
}

#[tokio::test]
async fn cookie_auth_reports_refused_credentials() {
    let server = TestServer::builder()
        .auth(AuthMode::Cookie { csrf: false })
        .start()
        .await
        .unwrap();
    let auth = CookieAuth::builder(server.base_url())
        .username("demo")
        .password(SecretString::from("not-it"))
        .build(transport())
        .unwrap();
    let err = auth.login().await.unwrap_err();
    match err {
        tasklist_auth::Error::Login { status, .. } => assert_eq!(status, 401),
        other => panic!("expected a login error, got {other:?}"),
    }
    assert_eq!(server.logins(), 1);
    assert_eq!(server.successful_logins(), 0);
}

#[tokio::test]
async fn an_idle_session_times_out() {
    let server = TestServer::builder()
        .auth(AuthMode::Cookie { csrf: false })
        .session_lifetime(Duration::from_millis(300))
        .tasks(1)
        .start()
        .await
        .unwrap();
    let http = client();
    let login = post_form(&http, server.login_url(), "username=demo&password=demo").await;
    let session = set_cookie(&login, "TASKLIST-SESSION").unwrap();
    let url = format!("{}/v1/tasks/{}", server.base_url(), some_task(&server));
    let ok = http
        .get(&url)
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    tokio::time::sleep(Duration::from_millis(450)).await;
    let late = http
        .get(&url)
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(late.status(), 401);
}

// ------------------------------------------------------------------------------------------
// HTTP Basic, and modes refusing each other's credentials.
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn basic_auth_is_accepted_and_bad_credentials_refused() {
    let server = TestServer::builder()
        .profile(Profile::V8_8)
        .auth(AuthMode::Basic)
        .user("ann", "ann-pw")
        .tasks(2)
        .start()
        .await
        .unwrap();
    let search = format!("{}/v1/tasks/search", server.base_url());
    let basic = BasicAuth::new("ann", SecretString::from("ann-pw")).unwrap();
    let api = transport().with_authenticator(Arc::new(basic));
    let response = api
        .send(request("POST", &search, Some(json!({}))))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let http = client();
    let wrong = http
        .post(&search)
        .basic_auth("ann", Some("nope"))
        .json_body(json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(json_of(wrong).await["detail"], "Bad credentials");
    let none = http
        .post(&search)
        .json_body(json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 401);
    assert_eq!(
        json_of(none).await["detail"],
        "Full authentication is required to access this resource"
    );
}

#[tokio::test]
async fn each_mode_refuses_the_other_modes_credentials() {
    let http = client();

    // OAuth refuses Basic and a session cookie.
    let oauth = TestServer::builder().start().await.unwrap();
    let search = format!("{}/v1/tasks/search", oauth.base_url());
    let response = http
        .post(&search)
        .basic_auth("demo", Some("demo"))
        .json_body(json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let login = post_form(&http, oauth.login_url(), "username=demo&password=demo").await;
    let session = set_cookie(&login, "TASKLIST-SESSION").unwrap();
    let response = http
        .post(&search)
        .header("cookie", &session)
        .json_body(json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    // Basic refuses a bearer token.
    let basic = TestServer::builder()
        .auth(AuthMode::Basic)
        .start()
        .await
        .unwrap();
    let token = basic
        .mint_token("tasklist", "tasklist-api", Duration::from_secs(60))
        .unwrap();
    let response = http
        .post(format!("{}/v1/tasks/search", basic.base_url()))
        .bearer_auth(&token)
        .json_body(json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    // Cookie refuses Basic and a bearer token.
    let cookie = TestServer::builder()
        .auth(AuthMode::Cookie { csrf: false })
        .start()
        .await
        .unwrap();
    let search = format!("{}/v1/tasks/search", cookie.base_url());
    let token = cookie
        .mint_token("tasklist", "tasklist-api", Duration::from_secs(60))
        .unwrap();
    for response in [
        http.post(&search)
            .basic_auth("demo", Some("demo"))
            .json_body(json!({}))
            .send()
            .await
            .unwrap(),
        http.post(&search)
            .bearer_auth(&token)
            .json_body(json!({}))
            .send()
            .await
            .unwrap(),
    ] {
        assert_eq!(response.status(), 401);
    }

    // None needs nothing.
    let open = TestServer::builder()
        .auth(AuthMode::None)
        .start()
        .await
        .unwrap();
    let response = http
        .post(format!("{}/v1/tasks/search", open.base_url()))
        .json_body(json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_server_without_users_for_its_mode_does_not_start() {
    let err = TestServer::builder()
        .auth(AuthMode::Basic)
        .users([])
        .start()
        .await
        .unwrap_err();
    assert!(matches!(err, tasklist_testkit::Error::Config(_)), "{err:?}");
}

/// POSTs the form-encoded `body` to `url`.
async fn post_form(
    http: &reqwest::Client,
    url: impl reqwest::IntoUrl,
    body: &'static str,
) -> reqwest::Response {
    http.post(url).form_body(body).send().await.unwrap()
}

/// A form-encoded body (`application/x-www-form-urlencoded`).
trait FormBody {
    fn form_body(self, body: &'static str) -> Self;
}

impl FormBody for reqwest::RequestBuilder {
    fn form_body(self, body: &'static str) -> Self {
        self.header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    }
}

/// `reqwest` without its `json` feature: a JSON body by hand.
trait JsonBody {
    fn json_body(self, body: Value) -> Self;
}

impl JsonBody for reqwest::RequestBuilder {
    fn json_body(self, body: Value) -> Self {
        self.header("content-type", "application/json")
            .body(body.to_string())
    }
}

/// The secret text of an access token, for a raw request in a test.
trait ExposeForTest {
    fn expose_secret_for_test(&self) -> String;
}

impl ExposeForTest for SecretString {
    fn expose_secret_for_test(&self) -> String {
        use secrecy::ExposeSecret as _;
        self.expose_secret().to_owned()
    }
}
