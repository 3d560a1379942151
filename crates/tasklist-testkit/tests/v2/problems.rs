//! Problems with the real titles, and what each version changes.

use serde_json::json;
use tasklist_testkit::Profile;

use crate::api_support::Client;
use crate::{assert_problem, server, zeebe};

#[tokio::test]
async fn problems_carry_the_real_titles() {
    let server = server(Profile::V8_9, [zeebe(1, 0), zeebe(2, 1)]).await;
    let api = Client::anonymous(&server);
    assert_problem(&api.get("/v2/user-tasks/99").await, 404, "NOT_FOUND");
    assert_problem(
        &api.get("/v2/user-tasks/abc").await,
        400,
        "INVALID_ARGUMENT",
    );
    for page in [
        r#"{"limit":10001}"#,
        r#"{"limit":0}"#,
        r#"{"after":"not a cursor!"}"#,
        r#"{"after":"WzFd","from":1}"#,
        r#"{"after":"WzFd","before":"WzFd"}"#,
    ] {
        let reply = api
            .post("/v2/user-tasks/search", &format!(r#"{{"page":{page}}}"#))
            .await;
        assert_problem(&reply, 400, "INVALID_ARGUMENT");
    }
    // `{limit}` alone is valid everywhere, as is a missing body.
    assert_eq!(
        api.post("/v2/user-tasks/search", r#"{"page":{"limit":1}}"#)
            .await
            .status,
        200
    );
    assert_eq!(
        api.send("POST", "/v2/user-tasks/search", None).await.status,
        200
    );
    // Unknown properties and unreadable bodies.
    let reply = api
        .post("/v2/user-tasks/search", r#"{"tenantId":"x"}"#)
        .await;
    assert_eq!(reply.status, 400);
    let reply = api.post("/v2/user-tasks/search", "{oops").await;
    assert_problem(&reply, 400, "Bad Request");
    // Effective variables: offset paging only.
    let reply = api
        .post(
            "/v2/user-tasks/1/effective-variables/search",
            r#"{"page":{"after":"WzFd"}}"#,
        )
        .await;
    assert_eq!(reply.status, 400);
    // Assignment rules.
    let reply = api.post("/v2/user-tasks/1/assignment", r#"{}"#).await;
    assert_problem(&reply, 400, "INVALID_ARGUMENT");
    let reply = api
        .post("/v2/user-tasks/1/assignment", r#"{"assignee":""}"#)
        .await;
    assert_eq!(reply.status, 400);
    api.post("/v2/user-tasks/1/assignment", r#"{"assignee":"ann"}"#)
        .await;
    let reply = api
        .post(
            "/v2/user-tasks/1/assignment",
            r#"{"assignee":"bob","allowOverride":false}"#,
        )
        .await;
    assert_problem(&reply, 409, "INVALID_STATE");
    assert!(
        reply.json()["detail"]
            .as_str()
            .unwrap()
            .contains("INVALID_STATE")
    );
    // The same assignee again, or with the default override: fine.
    let reply = api
        .post(
            "/v2/user-tasks/1/assignment",
            r#"{"assignee":"ann","allowOverride":false}"#,
        )
        .await;
    assert_eq!(reply.status, 204);
    let reply = api
        .post("/v2/user-tasks/1/assignment", r#"{"assignee":"bob"}"#)
        .await;
    assert_eq!(reply.status, 204);
    // Completing twice: the engine no longer has the task.
    assert_eq!(
        api.post("/v2/user-tasks/2/completion", "").await.status,
        204
    );
    let reply = api.post("/v2/user-tasks/2/completion", "").await;
    assert_problem(&reply, 404, "NOT_FOUND");
    assert_eq!(
        reply.json()["instance"],
        "/v2/user-tasks/2/completion",
        "{}",
        reply.text
    );
    let reply = api
        .patch(
            "/v2/user-tasks/1",
            Some(r#"{"changeset":{"priority":101}}"#),
        )
        .await;
    assert_problem(&reply, 400, "INVALID_ARGUMENT");
    let reply = api
        .post("/v2/user-tasks/1/completion", r#"{"variables":[1]}"#)
        .await;
    assert_eq!(reply.status, 400);
}

#[tokio::test]
async fn versions_differ_in_audit_logs_v1_and_topology() {
    for profile in [Profile::V8_8, Profile::V8_9, Profile::V8_10] {
        let server = server(profile, [zeebe(1, 0)]).await;
        let api = Client::anonymous(&server);
        let topology = api.get("/v2/topology").await.json();
        assert_eq!(topology["gatewayVersion"], profile.version());
        let audit = api.post("/v2/user-tasks/1/audit-logs/search", "{}").await;
        let v1 = api.get("/v1/tasks/1").await;
        let page = api.post("/v2/user-tasks/search", "{}").await.json()["page"].clone();
        let task = api.get("/v2/user-tasks/1").await.json();
        match profile {
            Profile::V8_8 => {
                assert_eq!(audit.status, 404);
                assert_eq!(v1.status, 200);
                assert!(page.get("hasMoreTotalItems").is_none());
                assert!(task.get("assignee").is_none());
                assert!(task.get("tags").is_none());
            }
            Profile::V8_9 => {
                assert_eq!(audit.status, 200);
                assert_eq!(v1.status, 200);
                assert_eq!(page["hasMoreTotalItems"], false);
                assert!(task["assignee"].is_null() && task.get("assignee").is_some());
                assert_eq!(task["tags"], json!([]));
                assert!(task.get("businessId").is_none());
            }
            _ => {
                assert_eq!(audit.status, 200);
                assert_problem(&v1, 404, "NOT_FOUND");
                assert!(task.get("businessId").is_some());
            }
        }
    }
    // 8.7 serves no v2.
    let server = server(Profile::V8_7, [zeebe(1, 0)]).await;
    assert_eq!(
        Client::anonymous(&server).get("/v2/topology").await.status,
        404
    );
}
