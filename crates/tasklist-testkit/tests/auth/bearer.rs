//! Bearer tokens at the API.

use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use serde_json::json;
use tasklist_auth::{ClientCredentials, TokenCache};
use tasklist_testkit::{Profile, Route, TestServer};
use tasklist_transport::{Transport, TransportExt};

use crate::{ExposeForTest, JsonBody, client, json_of, post_form, request, some_task, transport};

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
