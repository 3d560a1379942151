//! Malformed request bodies, and the same failures on the 8.8 profile.

use serde_json::Value;
use tasklist_testkit::store::{TaskImplementation, TaskState};
use tasklist_testkit::{AuthMode, Profile, TestServer};

use crate::api_support::{Client, assert_error, task};
use crate::{not_assigned, server};

// ----- request bodies and profiles ----------------------------------------------------------

#[tokio::test]
async fn malformed_bodies_are_400_json_parse_errors_never_panics() {
    let server = server(AuthMode::OAuth).await;
    server.store().insert_task(task("1", 0));
    let client = Client::bearer(&server);
    for (method, path, wrong_type) in [
        ("POST", "/v1/tasks/search", r#"{"pageSize":"x"}"#),
        ("PATCH", "/v1/tasks/1/assign", r#"{"assignee":[]}"#),
        ("PATCH", "/v1/tasks/1/complete", r#"{"variables":{}}"#),
        ("POST", "/v1/tasks/1/variables", r#"{"variables":{}}"#),
        (
            "POST",
            "/v1/tasks/1/variables/search",
            r#"{"variableNames":7}"#,
        ),
    ] {
        for body in ["{", "[1,2]", "\"text\"", "\u{0}", "{\"a\":", wrong_type] {
            let reply = client.send(method, path, Some(body)).await;
            assert_eq!(reply.status, 400, "{method} {path} {body}: {}", reply.text);
            let json = reply.json();
            assert!(
                json["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("JSON parse error: "),
                "{method} {path} {body}: {}",
                reply.text
            );
            assert_eq!(json["instance"], Value::Null);
        }
    }
    // The draft endpoint's body is required.
    let reply = client.send("POST", "/v1/tasks/1/variables", None).await;
    assert_eq!(reply.status, 400);
    assert!(
        reply.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("Required request body is missing")
    );
    assert_eq!(server.store().task("1").unwrap().state, TaskState::Created);
}

#[tokio::test]
async fn the_8_8_profile_renders_the_same_failures_as_problem_details() {
    let server = TestServer::builder()
        .profile(Profile::V8_8)
        .auth(AuthMode::OAuth)
        .start()
        .await
        .unwrap();
    server.store().insert_task(task("1", 0));
    let client = Client::bearer(&server);
    let reply = client.get("/v1/tasks/9").await;
    assert_error(
        &reply,
        Profile::V8_8,
        404,
        "task with id 9 was not found",
        true,
    );
    assert_eq!(reply.json()["title"], "Not Found");
    assert!(reply.json()["instance"].is_string());
    let reply = client.patch("/v1/tasks/1/unassign", None).await;
    assert_error(&reply, Profile::V8_8, 400, &not_assigned(), true);
}

#[tokio::test]
async fn in_8_8_token_callers_may_not_change_zeebe_user_tasks_through_v1() {
    let server = TestServer::builder()
        .profile(Profile::V8_8)
        .auth(AuthMode::OAuth)
        .start()
        .await
        .unwrap();
    let mut t = task("1", 0);
    t.implementation = TaskImplementation::ZeebeUserTask;
    t.priority = Some(80);
    server.store().insert_task(t);
    let client = Client::bearer(&server);
    let message = "This operation is not supported using Tasklist V1 API. Please use the latest API. For more information, refer to the documentation: https://docs.camunda.io/docs/apis-tools/tasklist-api-rest/migrate-to-zeebe-user-tasks/";
    for (path, body) in [
        ("/v1/tasks/1/assign", Some(r#"{"assignee":"a"}"#)),
        ("/v1/tasks/1/unassign", None),
        ("/v1/tasks/1/complete", None),
    ] {
        assert_error(
            &client.patch(path, body).await,
            Profile::V8_8,
            400,
            message,
            true,
        );
    }
    // Reading is fine, and the priority is reported.
    assert_eq!(client.get("/v1/tasks/1").await.json()["priority"], 80);
}

#[tokio::test]
async fn a_task_without_priority_reports_50_and_dates_use_the_servers_format() {
    let server = server(AuthMode::None).await;
    let mut t = task("1", 0);
    t.due_date = Some(task("x", 90).creation_date);
    server.store().insert_task(t);
    let body = Client::anonymous(&server).get("/v1/tasks/1").await.json();
    assert_eq!(body["priority"], 50);
    assert_eq!(body["creationDate"], "2024-01-01T00:00:00.000+0000");
    assert_eq!(body["dueDate"], "2024-01-01T01:30:00.000+0000");
    assert_eq!(body["completionDate"], Value::Null);
    assert_eq!(body["implementation"], "JOB_WORKER");
}
