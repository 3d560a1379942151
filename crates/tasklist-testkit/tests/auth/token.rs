//! The token endpoint: grants, claims and RFC 6749 errors, and the workspace's token client.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use secrecy::SecretString;
use serde_json::{Value, json};
use tasklist_auth::{ClientAuthMethod, ClientCredentials, TokenCache};
use tasklist_testkit::{Route, TestServer};
use tasklist_transport::{Transport, TransportExt};

use crate::{FormBody, claims, client, json_of, post_form, request, transport};

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
