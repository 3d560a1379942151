//! HTTP Basic, and modes refusing each other's credentials.

use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use serde_json::json;
use tasklist_auth::BasicAuth;
use tasklist_testkit::{AuthMode, Profile, TestServer};
use tasklist_transport::{Transport, TransportExt};

use crate::{JsonBody, client, json_of, post_form, request, set_cookie, transport};

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
