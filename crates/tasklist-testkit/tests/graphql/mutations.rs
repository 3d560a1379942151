//! The mutations: `claimTask`, `unclaimTask` and `completeTask`.

use serde_json::{Value, json};
use tasklist_testkit::store::TaskState;
use tasklist_testkit::{AuthMode, Route};

use crate::api_support::{Client, task_error};
use crate::{CLAIM, COMPLETE, UNCLAIM, data, errors, gql, server};

#[tokio::test]
async fn a_user_claims_unclaims_and_completes_through_the_store() {
    let server = server(AuthMode::Basic).await;
    let demo = Client::basic(&server, "demo", "demo");
    let claimed = data(&demo, CLAIM, json!({"id": "1"})).await;
    assert_eq!(
        claimed["claimTask"],
        json!({"id": "1", "assignee": "demo", "taskState": "CREATED"})
    );
    assert_eq!(
        server.store().task("1").unwrap().assignee.as_deref(),
        Some("demo")
    );
    let unclaimed = data(&demo, UNCLAIM, json!({"id": "1"})).await;
    assert_eq!(unclaimed["unclaimTask"]["assignee"], Value::Null);
    assert!(server.store().task("1").unwrap().assignee.is_none());

    data(&demo, CLAIM, json!({"id": "1"})).await;
    // A draft saved through REST does not reach the GraphQL completion's snapshot.
    let reply = demo
        .post(
            "/v1/tasks/1/variables",
            r#"{"variables":[{"name":"customer","value":"\"Draft Inc\""}]}"#,
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    let completed = data(
        &demo,
        COMPLETE,
        json!({"id": "1", "variables": [
            {"name": "approved", "value": "true"},
            {"name": "amount", "value": "99"},
        ]}),
    )
    .await;
    let task = &completed["completeTask"];
    assert_eq!(task["taskState"], "COMPLETED");
    assert!(task["completionTime"].as_str().unwrap().ends_with("+0000"));
    assert_eq!(
        task["variables"],
        json!([
            {"name": "amount", "value": "99"},
            {"name": "approved", "value": "true"},
            {"name": "customer", "value": "\"ACME\""},
        ])
    );
    let stored = server.store().task("1").unwrap();
    assert_eq!(stored.state, TaskState::Completed);
    assert!(server.store().draft_variables("1").unwrap().is_empty());

    // A completed task can't be completed again, nor claimed.
    let (messages, data) = errors(&demo, COMPLETE, json!({"id": "1", "variables": []})).await;
    assert_eq!(
        messages,
        [task_error("TASK_IS_NOT_ACTIVE", "Task is not active")]
    );
    assert_eq!(data, Value::Null);
    let (messages, _) = errors(&demo, CLAIM, json!({"id": "1"})).await;
    assert_eq!(
        messages,
        [task_error("TASK_IS_NOT_ACTIVE", "Task is not active")]
    );
    assert_eq!(server.requests(Route::Graphql), 6);
    assert_eq!(server.requests(Route::AssignTask), 0);
}

#[tokio::test]
async fn claiming_an_assigned_task_is_an_error_in_the_errors_array() {
    let server = server(AuthMode::Basic).await;
    let demo = Client::basic(&server, "demo", "demo");
    let reply = gql(&demo, CLAIM, json!({"id": "3"})).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["data"], Value::Null);
    assert_eq!(
        body["errors"][0]["message"],
        task_error("TASK_ALREADY_ASSIGNED", "Task is already assigned")
    );
    assert_eq!(body["errors"][0]["path"], json!(["claimTask"]));
    assert_eq!(
        server.store().task("3").unwrap().assignee.as_deref(),
        Some("bob")
    );
    // The other user rules of REST: no claiming for someone else, no completing someone
    // else's task, no unclaiming an unassigned one.
    let (messages, _) = errors(&demo, CLAIM, json!({"id": "1", "assignee": "bob"})).await;
    assert_eq!(
        messages,
        ["User doesn't have the permission to assign another user to this task"]
    );
    let (messages, _) = errors(&demo, COMPLETE, json!({"id": "3", "variables": []})).await;
    assert_eq!(
        messages,
        [task_error(
            "TASK_NOT_ASSIGNED_TO_CURRENT_USER",
            "Task is not assigned to demo"
        )]
    );
    let (messages, _) = errors(&demo, UNCLAIM, json!({"id": "1"})).await;
    assert_eq!(
        messages,
        [task_error("TASK_NOT_ASSIGNED", "Task is not assigned")]
    );
    // A value that is not JSON text.
    data(&demo, CLAIM, json!({"id": "1"})).await;
    let (messages, _) = errors(
        &demo,
        COMPLETE,
        json!({"id": "1", "variables": [{"name": "a", "value": "nope"}]}),
    )
    .await;
    assert!(
        messages[0].starts_with("Unrecognized token 'nope'"),
        "{messages:?}"
    );
    assert_eq!(server.store().task("1").unwrap().state, TaskState::Created);
}

#[tokio::test]
async fn an_api_client_names_the_assignee_and_may_override() {
    let server = server(AuthMode::OAuth).await;
    let client = Client::bearer(&server);
    let (messages, _) = errors(&client, CLAIM, json!({"id": "1"})).await;
    assert_eq!(messages, ["Assignee must be specified"]);
    let claimed = data(&client, CLAIM, json!({"id": "3", "assignee": "carol"})).await;
    assert_eq!(claimed["claimTask"]["assignee"], "carol");
    let (messages, _) = errors(
        &client,
        CLAIM,
        json!({"id": "3", "assignee": "dave", "override": false}),
    )
    .await;
    assert_eq!(
        messages,
        [task_error(
            "TASK_ALREADY_ASSIGNED",
            "Task is already assigned"
        )]
    );
    // An API client completes a task assigned to anyone.
    let completed = data(&client, COMPLETE, json!({"id": "3", "variables": []})).await;
    assert_eq!(completed["completeTask"]["taskState"], "COMPLETED");
    // Zeebe user tasks are not changed through GraphQL, whoever asks; unknown ids are named.
    for mutation in [CLAIM, UNCLAIM, COMPLETE] {
        let (messages, _) = errors(
            &client,
            mutation,
            json!({"id": "5", "assignee": "x", "variables": []}),
        )
        .await;
        assert!(
            messages[0].starts_with("This operation is not supported using Tasklist graphql API."),
            "{messages:?}"
        );
        let (messages, _) = errors(
            &client,
            mutation,
            json!({"id": "99", "assignee": "x", "variables": []}),
        )
        .await;
        assert_eq!(messages, ["task with id 99 was not found"]);
    }
    assert!(server.store().task("5").unwrap().assignee.is_none());
}
