//! Variable searches with truncation, and one variable read whole by its key.

use tasklist_testkit::{AuthMode, Fault, Profile, Route, TestServer};

use crate::api_support::Client;
use crate::{assert_problem, server, zeebe};

#[tokio::test]
async fn variable_values_are_truncated_unless_asked_not_to() {
    let server = TestServer::builder()
        .profile(Profile::V8_8)
        .auth(AuthMode::None)
        .truncation_threshold(5)
        .start()
        .await
        .unwrap();
    server.store().insert_task(zeebe(1, 0));
    server
        .store()
        .insert_variable("1", "long", "\"abcdefgh\"")
        .unwrap();
    server.store().insert_variable("1", "short", "1").unwrap();
    let api = Client::anonymous(&server);
    let body = r#"{"sort":[{"field":"name"}]}"#;
    let reply = api.post("/v2/user-tasks/1/variables/search", body).await;
    let items = reply.json()["items"].clone();
    assert_eq!(items[0]["value"], "\"abcd");
    assert_eq!(items[0]["isTruncated"], true);
    assert_eq!(items[1]["isTruncated"], false);
    let reply = api
        .post(
            "/v2/user-tasks/1/variables/search?truncateValues=false",
            body,
        )
        .await;
    assert_eq!(reply.json()["items"][0]["value"], "\"abcdefgh\"");
    assert_eq!(reply.json()["items"][0]["isTruncated"], false);
    let reply = api
        .post(
            "/v2/user-tasks/1/effective-variables/search?truncateValues=false",
            r#"{"filter":{"name":{"$like":"lo*"}}}"#,
        )
        .await;
    assert_eq!(reply.json()["items"].as_array().unwrap().len(), 1);
    let reply = api
        .post(
            "/v2/user-tasks/1/variables/search?truncateValues=maybe",
            "{}",
        )
        .await;
    assert_eq!(reply.status, 400);
}

/// The `variableKey` the variable search of task `task` gives variable `name`.
async fn variable_key(api: &Client, task: &str, name: &str) -> String {
    let body = format!(r#"{{"filter":{{"name":"{name}"}}}}"#);
    let reply = api
        .post(&format!("/v2/user-tasks/{task}/variables/search"), &body)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["items"][0]["variableKey"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_variable_is_read_whole_by_its_key() {
    for profile in [Profile::V8_8, Profile::V8_9, Profile::V8_10] {
        let server = TestServer::builder()
            .profile(profile)
            .auth(AuthMode::None)
            .truncation_threshold(5)
            .start()
            .await
            .unwrap();
        server.store().insert_task(zeebe(1, 0));
        let quoted = r#""she said \"hi\" and left""#;
        server.store().insert_variable("1", "note", quoted).unwrap();
        server
            .store()
            .insert_variable("1", "big", "18446744073709551615")
            .unwrap();
        let api = Client::anonymous(&server);

        // The whole value (the search cuts it at 5 characters), and the search's other fields.
        let key = variable_key(&api, "1", "note").await;
        let reply = api.get(&format!("/v2/variables/{key}")).await;
        assert_eq!(reply.status, 200, "{profile}: {}", reply.text);
        let variable = reply.json();
        assert_eq!(variable["variableKey"], key.as_str());
        assert_eq!(variable["name"], "note");
        assert_eq!(variable["value"], quoted);
        assert_eq!(variable["tenantId"], "<default>");
        assert_eq!(variable["scopeKey"], "1000001");
        assert_eq!(variable["processInstanceKey"], "1000001");
        assert!(variable.get("isTruncated").is_none(), "{profile}");
        assert_eq!(
            variable.get("rootProcessInstanceKey").is_some(),
            profile != Profile::V8_8,
            "{profile}"
        );
        let big = variable_key(&api, "1", "big").await;
        let reply = api.get(&format!("/v2/variables/{big}")).await;
        assert_eq!(reply.json()["value"], "18446744073709551615");
        // Leading zeros name the same number.
        let padded = api.get(&format!("/v2/variables/000{big}")).await;
        assert_eq!(padded.json()["name"], "big", "{}", padded.text);

        // Unknown, and not a key.
        assert_problem(&api.get("/v2/variables/404404").await, 404, "NOT_FOUND");
        let bad = api.get("/v2/variables/12a").await;
        assert_problem(&bad, 400, "INVALID_ARGUMENT");
        assert!(
            bad.json()["detail"]
                .as_str()
                .unwrap()
                .contains("variableKey")
        );

        // A completed task's variables: its completion snapshot, as the search shows them.
        api.post(
            "/v2/user-tasks/1/completion",
            r#"{"variables":{"approved":true}}"#,
        )
        .await;
        let approved = variable_key(&api, "1", "approved").await;
        let reply = api.get(&format!("/v2/variables/{approved}")).await;
        assert_eq!(reply.json()["value"], "true", "{profile}: {}", reply.text);

        // Counted under its own route, and faults apply to it.
        assert_eq!(server.requests(Route::GetVariableByKey), 6, "{profile}");
        server.fail_next(Route::GetVariableByKey, 1, Fault::Internal500);
        assert_eq!(api.get(&format!("/v2/variables/{key}")).await.status, 500);
    }
    // 8.7 serves no v2.
    let server = server(Profile::V8_7, [zeebe(1, 0)]).await;
    let reply = Client::anonymous(&server).get("/v2/variables/1").await;
    assert_eq!(reply.status, 404);
    assert_eq!(server.requests(Route::GetVariableByKey), 1);
}

#[tokio::test]
async fn a_variable_read_needs_authentication_but_no_csrf_token() {
    let server = TestServer::builder()
        .profile(Profile::V8_9)
        .csrf(true)
        .start()
        .await
        .unwrap();
    server.store().insert_task(zeebe(1, 0));
    server.store().insert_variable("1", "a", "1").unwrap();
    let session = Client::session(&server, "demo", "demo").await;
    let token = session
        .get("/v2/topology")
        .await
        .csrf_token
        .expect("X-CSRF-TOKEN header");
    let key = variable_key(
        &session.clone().with_header("X-CSRF-TOKEN", &token),
        "1",
        "a",
    )
    .await;
    assert_eq!(
        session.get(&format!("/v2/variables/{key}")).await.status,
        200
    );
    assert_problem(
        &Client::anonymous(&server)
            .get(&format!("/v2/variables/{key}"))
            .await,
        401,
        "Unauthorized",
    );
}
