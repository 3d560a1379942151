//! Cookie sessions and CSRF, and the workspace's cookie authenticator.

use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use serde_json::json;
use tasklist_auth::{CookieAuth, LoginPath};
use tasklist_testkit::{AuthMode, Profile, Route, TestServer};
use tasklist_transport::{Transport, TransportExt};

use crate::{JsonBody, client, json_of, post_form, request, set_cookie, some_task, transport};

// ------------------------------------------------------------------------------------------
// Cookie sessions and CSRF.
// ------------------------------------------------------------------------------------------

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
