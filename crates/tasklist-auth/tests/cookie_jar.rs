//! A cookie session shared with an HTTP client of the application's own: the session that
//! `CookieAuth` logs in for is in a `reqwest_cookie_store` jar that a plain `reqwest::Client`
//! uses through `cookie_provider`, against the testkit's Camunda 8.8 with CSRF protection.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;

use secrecy::ExposeSecret as _;
use serde_json::Value;
use tasklist_auth::{
    AuthConfig, Authentication, Component, CookieAuth, CookieJar, HttpTransport, LoginPath,
    TransportExt as _,
};
use tasklist_testkit::TestServer;
use tasklist_testkit::config::{AuthMode, Profile};

const USER: &str = "demo";
const PASSWORD: &str = "demo-password";

async fn server() -> TestServer {
    TestServer::builder()
        .profile(Profile::V8_8)
        .auth(AuthMode::Cookie { csrf: true })
        .user(USER, PASSWORD)
        .tasks(3)
        .start()
        .await
        .unwrap()
}

/// A task search with `client`, with the CSRF token when one is given.
async fn search(client: &reqwest::Client, server: &TestServer, csrf: Option<&str>) -> (u16, Value) {
    let mut request = client
        .post(format!("{}/v2/user-tasks/search", server.base_url()))
        .header("content-type", "application/json")
        .body("{}");
    if let Some(token) = csrf {
        request = request.header("x-csrf-token", token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.bytes().await.unwrap();
    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (status, body)
}

#[tokio::test]
async fn a_reqwest_client_shares_the_session_through_the_jar() {
    let server = server().await;
    let config = AuthConfig::builder(Component::Tasklist)
        .cookie(server.base_url(), USER, Some(PASSWORD.into()))
        .login_path(LoginPath::Root)
        .build()
        .unwrap();
    let stack = config.stack(HttpTransport::builder()).build().unwrap();
    let Authentication::Cookie(session) = stack.authentication().clone() else {
        panic!("a cookie configuration builds a cookie session");
    };

    // Without the session, the application's own client is refused.
    let anonymous = reqwest::Client::new();
    assert_eq!(search(&anonymous, &server, None).await.0, 401);

    session.login().await.unwrap();
    assert_eq!(server.successful_logins(), 1);
    let shared = reqwest::Client::builder()
        .cookie_provider(session.cookie_jar())
        .build()
        .unwrap();

    // A search is a POST: with the cookie but without the CSRF token it is refused.
    let (status, found) = search(&shared, &server, None).await;
    assert_eq!(
        status, 401,
        "8.8 wants the CSRF token on every POST: {found}"
    );
    let token = session.csrf_token().expect("the login issued a CSRF token");
    let (status, found) = search(&shared, &server, Some(token.expose_secret())).await;
    assert_eq!(status, 200, "{found}");
    let key = found["items"][0]["userTaskKey"]
        .as_str()
        .unwrap()
        .to_owned();
    // A read goes with the cookie alone.
    let task = shared
        .get(format!("{}/v2/user-tasks/{key}", server.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(task.status(), 200);

    // Both clients used the one session: no second login.
    assert_eq!(server.successful_logins(), 1);

    // Logging out empties the jar, for the application's client too.
    session.logout().await.unwrap();
    assert_eq!(
        session
            .cookie_jar()
            .lock()
            .unwrap()
            .iter_unexpired()
            .count(),
        0
    );
    assert_eq!(
        search(&shared, &server, Some(token.expose_secret()))
            .await
            .0,
        401
    );
}

#[tokio::test]
async fn a_jar_the_application_made_receives_the_session() {
    let server = server().await;
    let jar = Arc::new(CookieJar::default());
    let shared = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .build()
        .unwrap();
    let http = HttpTransport::builder().build().unwrap().into_shared();
    let session = CookieAuth::builder(server.base_url())
        .username(USER)
        .password(PASSWORD.into())
        .login_path(LoginPath::Root)
        .cookie_jar(jar.clone())
        .build(http)
        .unwrap();
    assert!(Arc::ptr_eq(&jar, &session.cookie_jar()));

    session.login().await.unwrap();
    let names: Vec<String> = jar
        .lock()
        .unwrap()
        .iter_unexpired()
        .map(|c| c.name().to_owned())
        .collect();
    assert!(names.iter().any(|n| n == "camunda-session"), "{names:?}");
    let token = session.csrf_token().unwrap();
    let (status, found) = search(&shared, &server, Some(token.expose_secret())).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["items"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn the_cookies_of_the_applications_other_sites_are_left_alone() {
    let server = server().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("session.json");
    let jar = Arc::new(CookieJar::default());
    let elsewhere = url::Url::parse("https://shop.example/").unwrap();
    jar.lock()
        .unwrap()
        .parse("cart=app-cookie-value; Path=/", &elsewhere)
        .unwrap();
    let http = HttpTransport::builder().build().unwrap().into_shared();
    let session = CookieAuth::builder(server.base_url())
        .username(USER)
        .password(PASSWORD.into())
        .login_path(LoginPath::Root)
        .cookie_jar(jar.clone())
        .persist_to(&file)
        .build(http)
        .unwrap();

    session.login().await.unwrap();
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("camunda-session"), "{saved}");
    assert!(
        !saved.contains("app-cookie-value"),
        "another site's cookie was saved: {saved}"
    );

    session.logout().await.unwrap();
    let left: Vec<String> = jar
        .lock()
        .unwrap()
        .iter_unexpired()
        .map(|c| c.name().to_owned())
        .collect();
    assert_eq!(left, ["cart"], "logout forgets the session's cookies only");
}
