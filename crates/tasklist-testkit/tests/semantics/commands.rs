//! Assigning, unassigning and completing tasks, and the 404s of unknown tasks, variables and
//! forms.

use serde_json::Value;
use tasklist_testkit::AuthMode;
use tasklist_testkit::store::TaskState;

use crate::api_support::{Client, assert_error, task, task_error};
use crate::{V87, already_assigned, assigned, not_active, not_assigned, server};

// ----- assign -------------------------------------------------------------------------------

#[tokio::test]
async fn a_user_assigns_an_unassigned_task_to_themself() {
    let server = server(AuthMode::Basic).await;
    server.store().insert_task(task("1", 0));
    let reply = Client::basic(&server, "demo", "demo")
        .patch("/v1/tasks/1/assign", None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["assignee"], "demo");
    assert_eq!(
        server.store().task("1").unwrap().assignee.as_deref(),
        Some("demo")
    );
}

#[tokio::test]
async fn a_cookie_session_user_assigns_to_themself_too() {
    let server = server(AuthMode::Cookie { csrf: false }).await;
    server.store().insert_task(task("1", 0));
    let client = Client::session(&server, "john", "john").await;
    let reply = client.patch("/v1/tasks/1/assign", Some("{}")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["assignee"], "john");
}

#[tokio::test]
async fn a_token_caller_must_name_the_assignee() {
    let server = server(AuthMode::OAuth).await;
    server.store().insert_task(task("1", 0));
    let client = Client::bearer(&server);
    let reply = client.patch("/v1/tasks/1/assign", None).await;
    assert_error(&reply, V87, 400, "Assignee must be specified", true);
    let reply = client
        .patch("/v1/tasks/1/assign", Some(r#"{"assignee":""}"#))
        .await;
    assert_error(&reply, V87, 400, "Assignee must be specified", true);
    let reply = client
        .patch("/v1/tasks/1/assign", Some(r#"{"assignee":"mary"}"#))
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["assignee"], "mary");
}

#[tokio::test]
async fn an_assigned_task_cannot_be_assigned_again_by_a_user() {
    let server = server(AuthMode::Basic).await;
    server.store().insert_task(assigned("1", "demo"));
    let reply = Client::basic(&server, "demo", "demo")
        .patch("/v1/tasks/1/assign", None)
        .await;
    assert_error(&reply, V87, 400, &already_assigned(), true);
}

#[tokio::test]
async fn a_token_caller_overrides_an_assignment_unless_told_not_to() {
    let server = server(AuthMode::OAuth).await;
    server.store().insert_task(assigned("1", "john"));
    let client = Client::bearer(&server);
    // allowOverrideAssignment defaults to true (TaskService.assignTask).
    let reply = client
        .patch("/v1/tasks/1/assign", Some(r#"{"assignee":"mary"}"#))
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["assignee"], "mary");
    let reply = client
        .patch(
            "/v1/tasks/1/assign",
            Some(r#"{"assignee":"jane","allowOverrideAssignment":false}"#),
        )
        .await;
    assert_error(&reply, V87, 400, &already_assigned(), true);
}

#[tokio::test]
async fn a_user_may_not_assign_someone_else() {
    let server = server(AuthMode::Basic).await;
    server.store().insert_task(task("1", 0));
    let reply = Client::basic(&server, "demo", "demo")
        .patch("/v1/tasks/1/assign", Some(r#"{"assignee":"john"}"#))
        .await;
    assert_error(
        &reply,
        V87,
        403,
        "User doesn't have the permission to assign another user to this task",
        true,
    );
    // Naming oneself is fine.
    let reply = Client::basic(&server, "demo", "demo")
        .patch("/v1/tasks/1/assign", Some(r#"{"assignee":"demo"}"#))
        .await;
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn only_created_tasks_can_be_assigned() {
    let server = server(AuthMode::OAuth).await;
    for (id, state) in [("1", TaskState::Completed), ("2", TaskState::Canceled)] {
        let mut t = task(id, 0);
        t.state = state;
        t.completion_date = Some(t.creation_date);
        server.store().insert_task(t);
        let reply = Client::bearer(&server)
            .patch(
                &format!("/v1/tasks/{id}/assign"),
                Some(r#"{"assignee":"x"}"#),
            )
            .await;
        assert_error(&reply, V87, 400, &not_active(), true);
    }
}

// ----- unassign -----------------------------------------------------------------------------

#[tokio::test]
async fn unassign_clears_the_assignee() {
    let server = server(AuthMode::OAuth).await;
    server.store().insert_task(assigned("1", "john"));
    let reply = Client::bearer(&server)
        .patch("/v1/tasks/1/unassign", None)
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["assignee"], Value::Null);
    assert_eq!(server.store().task("1").unwrap().assignee, None);
}

#[tokio::test]
async fn unassign_requires_an_assigned_task() {
    let server = server(AuthMode::OAuth).await;
    server.store().insert_task(task("1", 0));
    let reply = Client::bearer(&server)
        .patch("/v1/tasks/1/unassign", None)
        .await;
    assert_error(&reply, V87, 400, &not_assigned(), true);
}

#[tokio::test]
async fn unassign_requires_an_active_task() {
    let server = server(AuthMode::OAuth).await;
    let mut t = assigned("1", "john");
    t.state = TaskState::Completed;
    server.store().insert_task(t);
    let reply = Client::bearer(&server)
        .patch("/v1/tasks/1/unassign", None)
        .await;
    assert_error(&reply, V87, 400, &not_active(), true);
}

// ----- complete -----------------------------------------------------------------------------

#[tokio::test]
async fn the_assignee_completes_a_task() {
    let server = server(AuthMode::Cookie { csrf: false }).await;
    server.store().insert_task(assigned("1", "demo"));
    let client = Client::session(&server, "demo", "demo").await;
    let reply = client.patch("/v1/tasks/1/complete", None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["taskState"], "COMPLETED");
    assert!(body["completionDate"].as_str().unwrap().ends_with("+0000"));
    assert_eq!(
        server.store().task("1").unwrap().state,
        TaskState::Completed
    );
}

#[tokio::test]
async fn a_user_cannot_complete_an_unassigned_task() {
    let server = server(AuthMode::Cookie { csrf: false }).await;
    server.store().insert_task(task("1", 0));
    let client = Client::session(&server, "demo", "demo").await;
    let reply = client.patch("/v1/tasks/1/complete", None).await;
    assert_error(&reply, V87, 400, &not_assigned(), true);
}

#[tokio::test]
async fn a_cookie_session_user_completes_only_their_own_tasks() {
    let server = server(AuthMode::Cookie { csrf: false }).await;
    server.store().insert_task(assigned("1", "john"));
    let client = Client::session(&server, "demo", "demo").await;
    let reply = client.patch("/v1/tasks/1/complete", None).await;
    assert_error(
        &reply,
        V87,
        400,
        &task_error(
            "TASK_NOT_ASSIGNED_TO_CURRENT_USER",
            "Task is not assigned to demo",
        ),
        true,
    );
}

#[tokio::test]
async fn a_token_caller_completes_tasks_assigned_to_anyone_or_no_one() {
    let server = server(AuthMode::OAuth).await;
    server.store().insert_task(task("1", 0));
    server.store().insert_task(assigned("2", "john"));
    let client = Client::bearer(&server);
    for id in ["1", "2"] {
        let reply = client
            .patch(&format!("/v1/tasks/{id}/complete"), None)
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json()["taskState"], "COMPLETED");
    }
    assert_eq!(server.store().task("1").unwrap().assignee, None);
}

#[tokio::test]
async fn only_created_tasks_can_be_completed() {
    let server = server(AuthMode::OAuth).await;
    let mut t = task("1", 0);
    t.state = TaskState::Canceled;
    server.store().insert_task(t);
    let reply = Client::bearer(&server)
        .patch("/v1/tasks/1/complete", None)
        .await;
    assert_error(&reply, V87, 400, &not_active(), true);
}

#[tokio::test]
async fn completion_merges_variables_drafts_and_the_request() {
    let server = server(AuthMode::OAuth).await;
    server.store().insert_task(task("1", 0));
    let store = server.store();
    store.insert_variable("1", "a", "1").unwrap();
    store.insert_variable("1", "b", "2").unwrap();
    let client = Client::bearer(&server);
    let reply = client
        .post(
            "/v1/tasks/1/variables",
            r#"{"variables":[{"name":"b","value":"20"},{"name":"c","value":"\"draft\""}]}"#,
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    let reply = client
        .patch(
            "/v1/tasks/1/complete",
            Some(r#"{"variables":[{"name":"c","value":"{\"x\":[1,2]}"},{"name":"d","value":"null"}]}"#),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let variables = client.post("/v1/tasks/1/variables/search", "").await.json();
    let pairs: Vec<(String, String)> = variables
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap().to_owned(),
                v["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("a".to_owned(), "1".to_owned()),
            ("b".to_owned(), "20".to_owned()),
            ("c".to_owned(), "{\"x\":[1,2]}".to_owned()),
            ("d".to_owned(), "null".to_owned()),
        ]
    );
    assert_eq!(variables[0]["id"], "1-a");
    assert_eq!(store.draft_variables("1").unwrap().len(), 0);
}

#[tokio::test]
async fn completion_with_a_value_that_is_not_json_is_a_server_error() {
    // TaskService.extractTypedValue wraps Jackson's failure in a TasklistRuntimeException: 500.
    let server = server(AuthMode::OAuth).await;
    server.store().insert_task(task("1", 0));
    let reply = Client::bearer(&server)
        .patch(
            "/v1/tasks/1/complete",
            Some(r#"{"variables":[{"name":"a","value":"abc"}]}"#),
        )
        .await;
    assert_error(
        &reply,
        V87,
        500,
        // Jackson's whole message, with the location after the token.
        "Unrecognized token 'abc': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 4]",
        false,
    );
    assert_eq!(server.store().task("1").unwrap().state, TaskState::Created);
}

// ----- not found ----------------------------------------------------------------------------

#[tokio::test]
async fn unknown_tasks_variables_and_forms_are_404_with_the_servers_messages() {
    let server = server(AuthMode::OAuth).await;
    let client = Client::bearer(&server);
    let message = "task with id 42 was not found";
    assert_error(&client.get("/v1/tasks/42").await, V87, 404, message, true);
    assert_error(
        &client
            .patch("/v1/tasks/42/assign", Some(r#"{"assignee":"a"}"#))
            .await,
        V87,
        404,
        message,
        true,
    );
    assert_error(
        &client.patch("/v1/tasks/42/unassign", None).await,
        V87,
        404,
        message,
        true,
    );
    assert_error(
        &client.patch("/v1/tasks/42/complete", None).await,
        V87,
        404,
        message,
        true,
    );
    assert_error(
        &client
            .post("/v1/tasks/42/variables", r#"{"variables":[]}"#)
            .await,
        V87,
        404,
        message,
        true,
    );
    assert_error(
        &client.post("/v1/tasks/42/variables/search", "{}").await,
        V87,
        404,
        message,
        true,
    );
    assert_error(
        &client.get("/v1/variables/42-x").await,
        V87,
        404,
        "Variable with id 42-x not found.",
        true,
    );
    assert_error(
        &client.get("/v1/forms/f?processDefinitionKey=1").await,
        V87,
        404,
        "form with id f was not found",
        true,
    );
}
