//! CSRF on cookie sessions, bearer and Basic callers, and the base path.

use tasklist_testkit::{AuthMode, Fault, Profile, Route, TestServer};

use crate::api_support::Client;
use crate::{assert_problem, keys, zeebe};

#[tokio::test]
async fn a_cookie_session_needs_the_csrf_token_on_searches_too() {
    for profile in [Profile::V8_8, Profile::V8_9, Profile::V8_10] {
        let server = TestServer::builder()
            .profile(profile)
            .csrf(true)
            .start()
            .await
            .unwrap();
        server.store().insert_task(zeebe(1, 0));
        let session = Client::session(&server, "demo", "demo").await;
        let denied = session.post("/v2/user-tasks/search", "{}").await;
        assert_problem(&denied, 401, "Unauthorized");
        assert!(denied.json()["detail"].as_str().unwrap().contains("CSRF"));
        // A GET needs no token and carries it back.
        let get = session.get("/v2/user-tasks/1").await;
        assert_eq!(get.status, 200);
        let token = session
            .get("/v2/topology")
            .await
            .csrf_token
            .expect("X-CSRF-TOKEN header");
        let with_token = session.clone().with_header("X-CSRF-TOKEN", &token);
        assert_eq!(
            with_token.post("/v2/user-tasks/search", "{}").await.status,
            200
        );
        assert_eq!(
            with_token
                .post("/v2/user-tasks/1/assignment", r#"{"assignee":"demo"}"#)
                .await
                .status,
            204
        );
        assert_eq!(
            session.delete("/v2/user-tasks/1/assignee").await.status,
            401
        );
    }
}

#[tokio::test]
async fn bearer_and_basic_callers_need_no_csrf_and_v1_refuses_zeebe_tasks_to_clients() {
    let server = TestServer::builder()
        .profile(Profile::V8_9)
        .start()
        .await
        .unwrap();
    server.store().insert_task(zeebe(1, 0));
    let bearer = Client::bearer(&server);
    assert_eq!(bearer.post("/v2/user-tasks/search", "{}").await.status, 200);
    assert_eq!(
        bearer
            .post("/v2/user-tasks/1/assignment", r#"{"assignee":"x"}"#)
            .await
            .status,
        204
    );
    assert_eq!(bearer.patch("/v1/tasks/1/unassign", None).await.status, 400);
    let anonymous = Client::anonymous(&server);
    assert_problem(&anonymous.get("/v2/topology").await, 401, "Unauthorized");
}

#[tokio::test]
async fn a_base_path_prefixes_every_route() {
    let server = TestServer::builder()
        .profile(Profile::V8_10)
        .auth(AuthMode::Cookie { csrf: false })
        .base_path("/physical-tenants/abc")
        .start()
        .await
        .unwrap();
    server.store().insert_task(zeebe(1, 0));
    assert!(server.login_url().ends_with("/physical-tenants/abc/login"));
    let session = Client::session(&server, "demo", "demo").await;
    assert_eq!(
        keys(&session.post("/v2/user-tasks/search", "{}").await),
        ["1"]
    );
    assert_eq!(server.requests(Route::SearchUserTasks), 1);
    server.fail_next(Route::GetUserTask, 1, Fault::Internal500);
    assert_eq!(session.get("/v2/user-tasks/1").await.status, 500);
    // Not at the root.
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let root = http
        .get(format!("{}/v2/topology", server.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(root.status(), 404);
}
