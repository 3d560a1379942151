//! Every fault hook, observed by a client built from the workspace's transport and auth crates,
//! with the counters asserted.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{Value, json};
use tasklist_auth::{ClientCredentials, CookieAuth, TokenCache};
use tasklist_testkit::{AuthMode, Fault, Profile, Route, TestServer};
use tasklist_transport::{
    Bytes, HttpTransport, HttpTransportBuilder, RetryPolicy, SharedTransport, Transport,
    TransportExt, http,
};

/// The transport builder every test starts from (no proxy).
fn builder() -> HttpTransportBuilder {
    HttpTransport::builder().no_proxy()
}

/// A plain transport.
fn transport() -> SharedTransport {
    builder().build().unwrap().into_shared()
}

/// A request with an optional JSON body.
fn request(method: &str, url: &str, body: Option<Value>) -> tasklist_transport::Request {
    let mut b = http::Request::builder().method(method).uri(url);
    if body.is_some() {
        b = b.header("content-type", "application/json");
    }
    b.body(body.map(|v| Bytes::from(v.to_string())).unwrap_or_default())
        .unwrap()
}

/// A server without authentication, seeded.
async fn open_server() -> TestServer {
    TestServer::builder()
        .auth(AuthMode::None)
        .tasks(5)
        .start()
        .await
        .unwrap()
}

/// The URL of one seeded task.
fn task_url(server: &TestServer) -> String {
    let mut tasks = server.store().tasks();
    tasks.sort_by(|a, b| a.id.cmp(&b.id));
    format!("{}/v1/tasks/{}", server.base_url(), tasks[0].id)
}

/// A quick retry policy.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(20))
}

/// The fields of a task a client would insist on.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct TaskView {
    id: String,
    name: String,
    #[serde(rename = "taskState")]
    task_state: String,
}

#[tokio::test]
async fn a_503_with_retry_after_is_retried_after_the_wait() {
    let server = open_server().await;
    let url = task_url(&server);
    server.fail_next(
        Route::GetTask,
        1,
        Fault::Unavailable {
            retry_after: Some(Duration::from_secs(1)),
        },
    );
    let client = transport().with_retry(quick_retries());
    let started = Instant::now();
    let response = client.send(request("GET", &url, None)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After was not waited for: {:?}",
        started.elapsed()
    );
    assert_eq!(server.requests(Route::GetTask), 2);
    assert_eq!(server.pending_faults(Route::GetTask), 0);

    // On the wire: the header and the profile's error body.
    server.fail_next(
        Route::GetTask,
        1,
        Fault::Unavailable {
            retry_after: Some(Duration::from_millis(1500)),
        },
    );
    let raw = transport().send(request("GET", &url, None)).await.unwrap();
    assert_eq!(raw.status(), 503);
    assert_eq!(raw.headers()["retry-after"], "2");
    let body: Value = serde_json::from_slice(raw.body()).unwrap();
    assert_eq!(body["status"], 503);

    // A search is a POST: not idempotent, so its 503 comes back after one attempt.
    server.fail_next(
        Route::SearchTasks,
        1,
        Fault::Unavailable {
            retry_after: Some(Duration::ZERO),
        },
    );
    let search = format!("{}/v1/tasks/search", server.base_url());
    let response = client
        .send(request("POST", &search, Some(json!({}))))
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(server.requests(Route::SearchTasks), 1);
}

#[tokio::test]
async fn a_429_is_retried_until_the_faults_are_used_up_or_attempts_run_out() {
    let server = open_server().await;
    let url = task_url(&server);
    let client = transport().with_retry(quick_retries());

    server.fail_next(
        Route::GetTask,
        2,
        Fault::TooManyRequests { retry_after: None },
    );
    let response = client.send(request("GET", &url, None)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.requests(Route::GetTask), 3);

    server.fail_next(
        Route::GetTask,
        5,
        Fault::TooManyRequests {
            retry_after: Some(Duration::ZERO),
        },
    );
    let response = client.send(request("GET", &url, None)).await.unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(server.requests(Route::GetTask), 6);
    assert_eq!(server.pending_faults(Route::GetTask), 2);
    server.clear_faults();
    assert_eq!(
        client
            .send(request("GET", &url, None))
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn a_500_is_not_retried_and_carries_the_profile_body() {
    for profile in [Profile::V8_7, Profile::V8_8] {
        let server = TestServer::builder()
            .profile(profile)
            .auth(AuthMode::None)
            .tasks(1)
            .start()
            .await
            .unwrap();
        let url = task_url(&server);
        server.fail_next(Route::GetTask, 1, Fault::Internal500);
        let client = transport().with_retry(quick_retries());
        let response = client.send(request("GET", &url, None)).await.unwrap();
        assert_eq!(response.status(), 500);
        let body: Value = serde_json::from_slice(response.body()).unwrap();
        match profile {
            Profile::V8_7 => assert_eq!(body["message"], "Unexpected server error occurred."),
            _ => assert_eq!(body["detail"], "Unexpected server error occurred."),
        }
        assert_eq!(server.requests(Route::GetTask), 1);
    }
}

#[tokio::test]
async fn a_one_shot_401_is_recovered_by_token_renewal() {
    let server = TestServer::builder().tasks(2).start().await.unwrap();
    let credentials = ClientCredentials::builder(
        server.token_url(),
        "tasklist",
        SecretString::from("tasklist-secret"),
    )
    .audience("tasklist-api")
    .build(transport())
    .unwrap();
    let cache = TokenCache::builder(Arc::new(credentials)).build();
    let client = transport().with_authenticator(Arc::new(cache));
    let url = task_url(&server);

    assert_eq!(
        client
            .send(request("GET", &url, None))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(server.token_requests(), 1);

    server.fail_next(Route::GetTask, 1, Fault::Status401);
    let response = client.send(request("GET", &url, None)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.token_requests(), 2);
    assert_eq!(server.requests(Route::GetTask), 3);

    // Two in a row: the authenticator renews once, then gives the 401 back.
    server.fail_next(Route::GetTask, 2, Fault::Status401);
    let response = client.send(request("GET", &url, None)).await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(server.token_requests(), 3);

    // The token endpoint itself can fail: the fetch reports it.
    server.fail_next(Route::Token, 1, Fault::Internal500);
    server.expire_tokens();
    let err = client.send(request("GET", &url, None)).await.unwrap_err();
    assert!(err.is_auth(), "{err:?}");
}

#[tokio::test]
async fn a_csrf_403_makes_cookie_auth_log_in_again() {
    let server = TestServer::builder()
        .auth(AuthMode::Cookie { csrf: true })
        .tasks(3)
        .start()
        .await
        .unwrap();
    let auth = CookieAuth::builder(server.base_url())
        .username("demo")
        .password(SecretString::from("demo"))
        .build(transport())
        .unwrap();
    let client = transport().with_authenticator(Arc::new(auth));
    let search = format!("{}/v1/tasks/search", server.base_url());

    let response = client
        .send(request("POST", &search, Some(json!({}))))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.logins(), 1);

    server.fail_next(Route::SearchTasks, 1, Fault::Csrf403);
    let response = client
        .send(request("POST", &search, Some(json!({}))))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.logins(), 2);
    assert_eq!(server.requests(Route::SearchTasks), 3);

    // The raw fault body is 8.7's CSRF complaint.
    server.fail_next(Route::SearchTasks, 1, Fault::Csrf403);
    let raw = transport()
        .send(request("POST", &search, Some(json!({}))))
        .await
        .unwrap();
    assert_eq!(raw.status(), 403);
    assert_eq!(
        raw.body().as_ref(),
        b"{\"error\": \"Access denied due to invalid CSRF token.\"}"
    );
}

#[tokio::test]
async fn latency_beyond_the_timeout_is_a_timeout() {
    let server = open_server().await;
    let url = task_url(&server);
    let client = builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    server.fail_next(Route::GetTask, 1, Fault::Latency(Duration::from_secs(2)));
    let err = client.send(request("GET", &url, None)).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");

    // The fault is used up: the next request is fast again.
    let response = client.send(request("GET", &url, None)).await.unwrap();
    assert_eq!(response.status(), 200);

    // Global latency below the timeout: slower, still served.
    server.set_latency(Duration::from_millis(150));
    let started = Instant::now();
    let response = client.send(request("GET", &url, None)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(150));
    // Global latency beyond the timeout: every route times out.
    server.set_latency(Duration::from_millis(600));
    let search = format!("{}/v1/tasks/search", server.base_url());
    let err = client
        .send(request("POST", &search, Some(json!({}))))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    server.set_latency(Duration::ZERO);
    assert_eq!(server.requests(Route::GetTask), 3);
    assert_eq!(server.requests(Route::SearchTasks), 1);
}

#[tokio::test]
async fn closing_mid_body_is_a_network_error() {
    let server = open_server().await;
    let url = task_url(&server);
    let client = transport();
    server.fail_next(Route::GetTask, 1, Fault::CloseMidBody);
    let err = client.send(request("GET", &url, None)).await.unwrap_err();
    assert!(err.is_network(), "{err:?}");
    assert!(err.is_retryable());
    // Retried (GET is idempotent), the second attempt succeeds.
    server.fail_next(Route::GetTask, 1, Fault::CloseMidBody);
    let retried = transport()
        .with_retry(quick_retries())
        .send(request("GET", &url, None))
        .await
        .unwrap();
    assert_eq!(retried.status(), 200);
    assert_eq!(server.requests(Route::GetTask), 3);
}

#[tokio::test]
async fn truncated_malformed_and_wrong_type_json_fail_to_parse_each_its_way() {
    let server = open_server().await;
    let url = task_url(&server);
    let client = transport();
    let whole = client.send(request("GET", &url, None)).await.unwrap();
    let task: TaskView = serde_json::from_slice(whole.body()).unwrap();
    assert!(!task.id.is_empty());

    server.fail_next(Route::GetTask, 1, Fault::TruncatedJson);
    let truncated = client.send(request("GET", &url, None)).await.unwrap();
    assert_eq!(truncated.status(), 200);
    assert_eq!(truncated.body().len(), whole.body().len() / 2);
    let err = serde_json::from_slice::<TaskView>(truncated.body()).unwrap_err();
    assert!(err.is_eof(), "{err}");

    server.fail_next(Route::GetTask, 1, Fault::MalformedJson);
    let malformed = client.send(request("GET", &url, None)).await.unwrap();
    assert_eq!(malformed.status(), 200);
    assert!(
        malformed.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("json")
    );
    let err = serde_json::from_slice::<Value>(malformed.body()).unwrap_err();
    assert!(err.is_syntax(), "{err}");

    server.fail_next(Route::GetTask, 1, Fault::WrongTypeJson);
    let wrong = client.send(request("GET", &url, None)).await.unwrap();
    let value: Value = serde_json::from_slice(wrong.body()).unwrap();
    assert!(value.is_array(), "an object answer becomes an array");
    let err = serde_json::from_slice::<TaskView>(wrong.body()).unwrap_err();
    assert!(err.is_data(), "{err}");

    // A search answers an array, which becomes an object.
    let search = format!("{}/v1/tasks/search", server.base_url());
    server.fail_next(Route::SearchTasks, 1, Fault::WrongTypeJson);
    let wrong = client
        .send(request("POST", &search, Some(json!({}))))
        .await
        .unwrap();
    let err = serde_json::from_slice::<Vec<TaskView>>(wrong.body()).unwrap_err();
    assert!(err.is_data(), "{err}");

    assert_eq!(server.requests(Route::GetTask), 4);
    assert_eq!(server.requests(Route::SearchTasks), 1);
}

#[tokio::test]
async fn an_oversized_body_trips_the_transport_limit() {
    let server = open_server().await;
    let url = task_url(&server);
    let limited = builder()
        .max_response_body_bytes(1024 * 1024)
        .build()
        .unwrap();
    server.fail_next(Route::GetTask, 1, Fault::Oversized(3 * 1024 * 1024));
    let err = limited.send(request("GET", &url, None)).await.unwrap_err();
    assert!(err.is_body_too_large(), "{err:?}");

    // With room for it, the body is the task padded with spaces: still valid JSON.
    let roomy = builder()
        .max_response_body_bytes(8 * 1024 * 1024)
        .build()
        .unwrap();
    server.fail_next(Route::GetTask, 1, Fault::Oversized(3 * 1024 * 1024));
    let response = roomy.send(request("GET", &url, None)).await.unwrap();
    assert_eq!(response.body().len(), 3 * 1024 * 1024);
    let task: TaskView = serde_json::from_slice(response.body()).unwrap();
    assert!(!task.name.is_empty());
    assert_eq!(server.requests(Route::GetTask), 2);
}

#[tokio::test]
async fn counters_count_every_route_and_reset() {
    let server = TestServer::builder().tasks(2).start().await.unwrap();
    let client = transport();
    let base = server.base_url().to_owned();
    // Unauthenticated API calls are refused, and still counted.
    let _ = client
        .send(request(
            "POST",
            &format!("{base}/v1/tasks/search"),
            Some(json!({})),
        ))
        .await
        .unwrap();
    let _ = client
        .send(request(
            "GET",
            &format!("{base}/v1/forms/f?processDefinitionKey=1"),
            None,
        ))
        .await
        .unwrap();
    let _ = client
        .send(request("GET", &format!("{base}/nowhere"), None))
        .await
        .unwrap();
    let token = client
        .send(
            http::Request::builder()
                .method("POST")
                .uri(server.token_url())
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Bytes::from_static(
                    b"grant_type=client_credentials&client_id=tasklist&client_secret=tasklist-secret",
                ))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(token.status(), 200);
    assert_eq!(server.requests(Route::SearchTasks), 1);
    assert_eq!(server.requests(Route::GetForm), 1);
    assert_eq!(server.requests(Route::Other), 1);
    assert_eq!(server.token_requests(), 1);
    assert_eq!(server.requests(Route::GetTask), 0);
    assert_eq!(server.total_requests(), 4);
    server.reset_counters();
    assert_eq!(server.total_requests(), 0);
    assert_eq!(server.token_requests(), 0);
}

#[tokio::test]
async fn faults_on_the_token_route_reach_the_token_fetch() {
    let server = TestServer::builder().tasks(1).start().await.unwrap();
    server.fail_next(
        Route::Token,
        1,
        Fault::Unavailable {
            retry_after: Some(Duration::ZERO),
        },
    );
    // Token requests go through the transport given to the credentials: with retries there,
    // the 503 is retried (token requests are marked idempotent).
    let credentials = ClientCredentials::builder(
        server.token_url(),
        "tasklist",
        SecretString::from("tasklist-secret"),
    )
    .audience("tasklist-api")
    .build(transport().with_retry(quick_retries()).into_shared())
    .unwrap();
    let cache = TokenCache::builder(Arc::new(credentials)).build();
    let client = transport().with_authenticator(Arc::new(cache));
    let response = client
        .send(request("GET", &task_url(&server), None))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.token_requests(), 2);
    assert_eq!(server.tokens_issued(), 1);
}
