//! `examples/operate.rs` against the in-process server of `tasklist-testkit`, which also serves
//! Operate's `POST /v1/process-definitions/search`: the example's exact stack (configuration
//! from the environment for `Component::Operate`, tracing, the authenticator, retries) and
//! request, with OAuth (Operate's self-managed audience `operate-api`) and with a cookie login.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use serde_json::Value;
use tasklist_auth::{AuthConfig, Component, Strategy};
use tasklist_auth::{Bytes, HttpTransport, Idempotency, Transport, http};
use tasklist_testkit::{AuthMode, OAuthClient, Route, TestServer};

/// An environment made of these variables only.
fn env(vars: Vec<(&'static str, String)>) -> impl Fn(&str) -> Option<String> {
    move |name| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }
}

/// What `examples/operate.rs` does with `CAMUNDA_OPERATE_BASE_URL` = `base`: the status and
/// the body of the search.
async fn run_example(config: &AuthConfig, base: &str) -> (u16, Value) {
    // The example's stack; only `no_proxy` is added, for the loopback server.
    let operate = config
        .transport(HttpTransport::builder().no_proxy())
        .unwrap();
    let mut search = http::Request::post(format!(
        "{}/v1/process-definitions/search",
        base.trim_end_matches('/')
    ))
    .header("content-type", "application/json")
    .body(Bytes::from_static(br#"{"size":20}"#))
    .unwrap();
    Idempotency::Idempotent.mark(&mut search);
    let response = operate.send(search).await.unwrap();
    let status = response.status().as_u16();
    (status, serde_json::from_slice(response.body()).unwrap())
}

/// The process definitions the server's tasks imply.
fn process_count(server: &TestServer) -> usize {
    let mut keys: Vec<String> = server
        .store()
        .tasks()
        .into_iter()
        .map(|t| t.process_definition_key)
        .collect();
    keys.sort();
    keys.dedup();
    keys.len()
}

#[tokio::test]
async fn the_operate_example_searches_process_definitions_with_oauth() {
    // Operate's self-managed audience is the one the example asks for by default.
    let server = TestServer::builder()
        .clients([OAuthClient::new("operate", "operate-secret", "operate-api")])
        .api_audience("operate-api")
        .tasks(30)
        .start()
        .await
        .unwrap();
    let config = AuthConfig::from_lookup(
        Component::Operate,
        env(vec![
            ("CAMUNDA_OPERATE_BASE_URL", server.base_url().to_owned()),
            ("CAMUNDA_OAUTH_URL", server.token_url()),
            ("CAMUNDA_CLIENT_ID", "operate".to_owned()),
            ("CAMUNDA_CLIENT_SECRET", "operate-secret".to_owned()),
            ("CAMUNDA_TOKEN_DISK_CACHE_DISABLE", "true".to_owned()),
        ]),
    )
    .unwrap();
    assert_eq!(config.strategy(), Strategy::OAuth);
    assert_eq!(config.audience(), Some("operate-api"));

    let (status, body) = run_example(&config, server.base_url()).await;
    assert_eq!(status, 200, "{body}");
    let processes = process_count(&server);
    assert_eq!(body["total"], processes);
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), processes.min(20));
    assert!(
        items
            .iter()
            .all(|i| i["key"].is_i64() && i["bpmnProcessId"].is_string()),
        "{body}"
    );
    assert_eq!(server.token_requests(), 1);
    assert_eq!(server.requests(Route::SearchProcessDefinitions), 1);
}

#[tokio::test]
async fn the_operate_example_searches_process_definitions_with_a_cookie_login() {
    // 8.7 with CSRF protection: the search is a POST, so the token must go along.
    let server = TestServer::builder()
        .auth(AuthMode::Cookie { csrf: true })
        .tasks(10)
        .start()
        .await
        .unwrap();
    let config = AuthConfig::from_lookup(
        Component::Operate,
        env(vec![
            ("CAMUNDA_AUTH_STRATEGY", "COOKIE".to_owned()),
            ("CAMUNDA_COOKIE_AUTH_URL", server.login_url()),
            ("CAMUNDA_COOKIE_AUTH_USERNAME", "demo".to_owned()),
            ("CAMUNDA_COOKIE_AUTH_PASSWORD", "demo".to_owned()),
        ]),
    )
    .unwrap();
    assert_eq!(config.strategy(), Strategy::Cookie);

    let (status, body) = run_example(&config, server.base_url()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"], process_count(&server));
    assert_eq!(server.successful_logins(), 1);
}
