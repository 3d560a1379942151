//! One test per semantic rule of the v1 endpoints, over real HTTP against a started server,
//! asserting the status and message the real Tasklist server answers with (the origin of each
//! fact is named in `src/api.rs` and `src/store.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_support;

use api_support::{Client, assert_error, ids, task, task_error};
use serde_json::{Value, json};
use tasklist_testkit::seed::SeedSpec;
use tasklist_testkit::store::{Form, Task, TaskImplementation, TaskState};
use tasklist_testkit::{AuthMode, Profile, TestServer};

const V87: Profile = Profile::V8_7;

async fn server(auth: AuthMode) -> TestServer {
    TestServer::builder()
        .auth(auth)
        .user("john", "john")
        .start()
        .await
        .expect("server")
}

async fn seeded(tasks: usize) -> TestServer {
    let server = server(AuthMode::None).await;
    server.store().seed(&SeedSpec::new(tasks, 11));
    server
}

fn not_active() -> String {
    task_error("TASK_IS_NOT_ACTIVE", "Task is not active")
}

fn not_assigned() -> String {
    task_error("TASK_NOT_ASSIGNED", "Task is not assigned")
}

fn already_assigned() -> String {
    task_error("TASK_ALREADY_ASSIGNED", "Task is already assigned")
}

/// A `CREATED` task (see [`task`]) assigned to `assignee`.
fn assigned(id: &str, assignee: &str) -> Task {
    let mut task = task(id, 0);
    task.assignee = Some(assignee.to_owned());
    task
}

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

// ----- search: paging and sorting -----------------------------------------------------------

#[tokio::test]
async fn only_one_cursor_may_be_sent() {
    let server = seeded(5).await;
    let reply = Client::anonymous(&server)
        .post(
            "/v1/tasks/search",
            r#"{"searchAfter":["1","2"],"searchBeforeOrEqual":["1","2"]}"#,
        )
        .await;
    assert_error(
        &reply,
        V87,
        400,
        "Only one of [searchAfter, searchAfterOrEqual, searchBefore, searchBeforeOrEqual] must be present in request.",
        true,
    );
}

#[tokio::test]
async fn the_page_size_defaults_to_50_and_must_be_positive() {
    let server = seeded(80).await;
    let client = Client::anonymous(&server);
    assert_eq!(client.search("").await.len(), 50);
    assert_eq!(client.search("{}").await.len(), 50);
    assert_eq!(client.search(r#"{"pageSize":7}"#).await.len(), 7);
    let reply = client.post("/v1/tasks/search", r#"{"pageSize":0}"#).await;
    assert_error(
        &reply,
        V87,
        400,
        "Page size should be a positive number",
        true,
    );
}

#[tokio::test]
async fn the_default_order_is_newest_first_with_the_key_breaking_ties() {
    let server = server(AuthMode::None).await;
    for (id, minutes) in [("10", 5), ("11", 9), ("12", 5), ("9", 1)] {
        server.store().insert_task(task(id, minutes));
    }
    let tasks = Client::anonymous(&server).search("{}").await;
    assert_eq!(ids(&tasks), ["11", "10", "12", "9"]);
    // sortValues: the creation time in epoch milliseconds, then the key.
    assert_eq!(tasks[0]["sortValues"], json!(["1704067740000", "11"]));
    assert_eq!(tasks[0]["isFirst"], true);
    assert_eq!(tasks[1]["isFirst"], false);
}

#[tokio::test]
async fn completed_tasks_sort_by_completion_time_and_canceled_ones_are_hidden_by_default() {
    let server = server(AuthMode::None).await;
    for (id, done) in [("1", 30), ("2", 10), ("3", 20)] {
        let mut t = task(id, 0);
        t.state = TaskState::Completed;
        t.completion_date = Some(task(id, done).creation_date);
        server.store().insert_task(t);
    }
    let mut canceled = task("4", 0);
    canceled.state = TaskState::Canceled;
    server.store().insert_task(canceled);
    let client = Client::anonymous(&server);
    let tasks = client.search(r#"{"state":"COMPLETED"}"#).await;
    assert_eq!(ids(&tasks), ["1", "3", "2"]);
    assert_eq!(tasks[0]["sortValues"][0], "1704069000000");
    assert!(!ids(&client.search("{}").await).contains(&"4".to_owned()));
    assert_eq!(ids(&client.search(r#"{"state":"CANCELED"}"#).await), ["4"]);
}

#[tokio::test]
async fn requested_sorts_order_by_each_field_with_nulls_last() {
    let server = seeded(60).await;
    let client = Client::anonymous(&server);
    for field in [
        "creationTime",
        "completionTime",
        "followUpDate",
        "dueDate",
        "priority",
    ] {
        for order in ["ASC", "DESC"] {
            let body =
                json!({"pageSize": 100, "state": null, "sort": [{"field": field, "order": order}]});
            let tasks = client.search(&body.to_string()).await;
            let key = |t: &Value| -> Option<f64> {
                let name = match field {
                    "creationTime" => "creationDate",
                    "completionTime" => "completionDate",
                    other => other,
                };
                match &t[name] {
                    Value::Null => None,
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => Some(
                        jiff::Timestamp::strptime("%Y-%m-%dT%H:%M:%S%.f%z", s)
                            .unwrap()
                            .as_millisecond() as f64,
                    ),
                    other => panic!("{other}"),
                }
            };
            let keys: Vec<Option<f64>> = tasks.iter().map(key).collect();
            let present: Vec<f64> = keys.iter().flatten().copied().collect();
            let mut sorted = present.clone();
            sorted.sort_by(f64::total_cmp);
            if order == "DESC" {
                sorted.reverse();
            }
            assert_eq!(present, sorted, "{field} {order}");
            // Nulls come after every value.
            if let Some(first_null) = keys.iter().position(Option::is_none) {
                assert!(
                    keys[first_null..].iter().all(Option::is_none),
                    "{field} {order}"
                );
            }
            if field == "priority" {
                assert!(
                    tasks
                        .iter()
                        .all(|t| t["sortValues"][0].as_str().unwrap().ends_with(".0"))
                );
            }
        }
    }
}

#[tokio::test]
async fn search_after_walks_every_task_once_and_search_before_walks_back() {
    let server = seeded(47).await;
    let client = Client::anonymous(&server);
    let all = ids(&client.search(r#"{"pageSize":100}"#).await);
    assert_eq!(
        all.len(),
        server
            .store()
            .tasks()
            .iter()
            .filter(|t| t.state != TaskState::Canceled)
            .count()
    );

    let mut seen = Vec::new();
    let mut cursor: Option<Value> = None;
    loop {
        let mut body = json!({"pageSize": 10});
        if let Some(c) = &cursor {
            body["searchAfter"] = c.clone();
        }
        let page = client.search(&body.to_string()).await;
        if page.is_empty() {
            break;
        }
        cursor = Some(page.last().unwrap()["sortValues"].clone());
        seen.extend(ids(&page));
    }
    assert_eq!(seen, all);

    // Backwards from the last task: pages arrive in normal order.
    let mut back = Vec::new();
    let mut cursor =
        client.search(r#"{"pageSize":100}"#).await.last().unwrap()["sortValues"].clone();
    back.insert(0, all.last().unwrap().clone());
    loop {
        let page = client
            .search(&json!({"pageSize": 10, "searchBefore": cursor}).to_string())
            .await;
        if page.is_empty() {
            break;
        }
        let page_ids = ids(&page);
        back.splice(0..0, page_ids);
        cursor = page[0]["sortValues"].clone();
        if page[0]["isFirst"] == true {
            break;
        }
    }
    assert_eq!(back, all);
}

#[tokio::test]
async fn or_equal_cursors_include_the_cursor_task() {
    let server = seeded(20).await;
    let client = Client::anonymous(&server);
    let all = client.search(r#"{"pageSize":100}"#).await;
    let cursor = all[5]["sortValues"].clone();
    let page = client
        .search(&json!({"pageSize": 3, "searchAfterOrEqual": cursor}).to_string())
        .await;
    assert_eq!(ids(&page), ids(&all[5..8]));
    let page = client
        .search(&json!({"pageSize": 3, "searchBeforeOrEqual": cursor}).to_string())
        .await;
    assert_eq!(ids(&page), ids(&all[3..6]));
    let page = client
        .search(&json!({"pageSize": 3, "searchBefore": all[2]["sortValues"]}).to_string())
        .await;
    assert_eq!(ids(&page), ids(&all[0..2]));
    assert_eq!(page[0]["isFirst"], true);
}

// ----- search: filters ----------------------------------------------------------------------

#[tokio::test]
async fn every_filter_selects_what_it_names() {
    let server = seeded(120).await;
    let client = Client::anonymous(&server);
    let tasks = server.store().tasks();
    let visible: Vec<_> = tasks
        .iter()
        .filter(|t| t.state != TaskState::Canceled)
        .collect();
    let sample = visible
        .iter()
        .find(|t| t.assignee.is_some() && t.candidate_groups.is_some() && t.due_date.is_some())
        .unwrap();
    let group = sample.candidate_groups.as_ref().unwrap()[0].clone();
    let user_task = visible
        .iter()
        .find(|t| t.candidate_users.is_some())
        .unwrap();
    let candidate_user = user_task.candidate_users.as_ref().unwrap()[0].clone();
    let due = sample.due_date.unwrap();
    let follow = visible.iter().find_map(|t| t.follow_up_date).unwrap();
    let priority = visible.iter().find_map(|t| t.priority).unwrap();
    let fmt = |t: jiff::Timestamp| t.to_string();

    let contains = |list: &Option<Vec<String>>, x: &str| {
        list.as_ref().is_some_and(|l| l.iter().any(|y| y == x))
    };
    type Pred<'a> = Box<dyn Fn(&tasklist_testkit::store::Task) -> bool + 'a>;
    let cases: Vec<(Value, Pred<'_>)> = vec![
        (
            json!({"state": "CREATED"}),
            Box::new(|t| t.state == TaskState::Created),
        ),
        (
            json!({"state": "COMPLETED"}),
            Box::new(|t| t.state == TaskState::Completed),
        ),
        (
            json!({"assigned": true}),
            Box::new(|t| t.state != TaskState::Canceled && t.assignee.is_some()),
        ),
        (
            json!({"assigned": false}),
            Box::new(|t| t.state != TaskState::Canceled && t.assignee.is_none()),
        ),
        (
            json!({"assignee": "demo"}),
            Box::new(|t| t.state != TaskState::Canceled && t.assignee.as_deref() == Some("demo")),
        ),
        (
            json!({"assignees": ["demo", "jane"]}),
            Box::new(|t| {
                t.state != TaskState::Canceled
                    && matches!(t.assignee.as_deref(), Some("demo" | "jane"))
            }),
        ),
        (
            json!({"taskDefinitionId": sample.task_definition_id}),
            Box::new(|t| {
                t.state != TaskState::Canceled && t.task_definition_id == sample.task_definition_id
            }),
        ),
        (
            json!({"candidateGroup": group}),
            Box::new(|t| t.state != TaskState::Canceled && contains(&t.candidate_groups, &group)),
        ),
        (
            json!({"candidateGroups": [group, "hr"]}),
            Box::new(|t| {
                t.state != TaskState::Canceled
                    && (contains(&t.candidate_groups, &group)
                        || contains(&t.candidate_groups, "hr"))
            }),
        ),
        (
            json!({"candidateUser": candidate_user}),
            Box::new(|t| {
                t.state != TaskState::Canceled && contains(&t.candidate_users, &candidate_user)
            }),
        ),
        (
            json!({"candidateUsers": [candidate_user, "peter"]}),
            Box::new(|t| {
                t.state != TaskState::Canceled
                    && (contains(&t.candidate_users, &candidate_user)
                        || contains(&t.candidate_users, "peter"))
            }),
        ),
        (
            json!({"processDefinitionKey": sample.process_definition_key}),
            Box::new(|t| {
                t.state != TaskState::Canceled
                    && t.process_definition_key == sample.process_definition_key
            }),
        ),
        (
            json!({"processInstanceKey": sample.process_instance_key}),
            Box::new(|t| t.id == sample.id),
        ),
        (
            json!({"dueDate": {"from": fmt(due), "to": fmt(due)}}),
            Box::new(|t| t.state != TaskState::Canceled && t.due_date == Some(due)),
        ),
        (
            json!({"dueDate": {"to": fmt(due)}}),
            Box::new(|t| t.state != TaskState::Canceled && t.due_date.is_some_and(|d| d <= due)),
        ),
        (
            json!({"followUpDate": {"from": fmt(follow)}}),
            Box::new(|t| {
                t.state != TaskState::Canceled && t.follow_up_date.is_some_and(|d| d >= follow)
            }),
        ),
        (
            json!({"implementation": "ZEEBE_USER_TASK"}),
            Box::new(|t| {
                t.state != TaskState::Canceled
                    && t.implementation == TaskImplementation::ZeebeUserTask
            }),
        ),
        (
            json!({"implementation": "JOB_WORKER"}),
            Box::new(|t| {
                t.state != TaskState::Canceled && t.implementation == TaskImplementation::JobWorker
            }),
        ),
        (
            json!({"priority": {"gte": 30, "lt": 70}}),
            Box::new(|t| {
                t.state != TaskState::Canceled && t.priority.is_some_and(|p| (30..70).contains(&p))
            }),
        ),
        (
            json!({"priority": {"eq": priority, "gt": 100}}),
            Box::new(|t| t.state != TaskState::Canceled && t.priority == Some(priority)),
        ),
        (
            json!({"tenantIds": ["<default>"]}),
            Box::new(|t| t.state != TaskState::Canceled),
        ),
        (json!({"tenantIds": ["other"]}), Box::new(|_| false)),
        (
            json!({"taskVariables": [{"name": "approved", "value": "true", "operator": "eq"}]}),
            Box::new(|t| {
                matches!(t.state, TaskState::Created | TaskState::Completed)
                    && server_has(&server, &t.id, "approved", "true")
            }),
        ),
    ];
    for (filter, predicate) in cases {
        let mut body = filter.clone();
        body["pageSize"] = json!(1000);
        let mut got = ids(&client.search(&body.to_string()).await);
        got.sort();
        let mut expected: Vec<String> = tasks
            .iter()
            .filter(|t| predicate(t))
            .map(|t| t.id.clone())
            .collect();
        expected.sort();
        assert_eq!(got, expected, "{filter}");
        assert!(
            !expected.is_empty() || filter.get("tenantIds").is_some(),
            "vacuous case {filter}"
        );
    }
}

fn server_has(server: &TestServer, task_id: &str, name: &str, value: &str) -> bool {
    let task = server.store().task(task_id).unwrap();
    let variables = if task.state == TaskState::Completed {
        server.store().completed_variables(task_id)
    } else {
        server.store().variables(task_id)
    };
    variables
        .unwrap()
        .iter()
        .any(|v| v.name == name && v.value == value)
}

// ----- includeVariables and truncation ------------------------------------------------------

#[tokio::test]
async fn include_variables_truncates_long_values_unless_the_full_value_is_asked_for() {
    let server = TestServer::builder()
        .auth(AuthMode::None)
        .truncation_threshold(10)
        .start()
        .await
        .unwrap();
    server.store().insert_task(task("1", 0));
    let store = server.store();
    store.insert_variable("1", "short", "\"abc\"").unwrap();
    store
        .insert_variable("1", "long", "\"0123456789abcdef\"")
        .unwrap();
    store.insert_variable("1", "other", "1").unwrap();
    store
        .insert_variable("1", "taskContextDisplayName", "\"Case \\\"7\\\"\"")
        .unwrap();
    let client = Client::anonymous(&server);

    let tasks = client
        .search(r#"{"includeVariables":[{"name":"short"},{"name":"long"}]}"#)
        .await;
    let variables = tasks[0]["variables"].as_array().unwrap();
    assert_eq!(variables.len(), 2);
    let long = &variables[0];
    assert_eq!(long["name"], "long");
    assert_eq!(long["isValueTruncated"], true);
    assert_eq!(long["previewValue"], "\"012345678");
    assert_eq!(long["value"], Value::Null);
    assert!(long.get("draft").is_none());
    let short = &variables[1];
    assert_eq!(short["value"], "\"abc\"");
    assert_eq!(short["previewValue"], "\"abc\"");
    assert_eq!(short["isValueTruncated"], false);
    // The context variable is not in `variables` but gives `context`, without quotes.
    assert_eq!(tasks[0]["context"], "Case \\7\\");

    let tasks = client
        .search(r#"{"includeVariables":[{"name":"long","alwaysReturnFullValue":true}]}"#)
        .await;
    assert_eq!(tasks[0]["variables"][0]["value"], "\"0123456789abcdef\"");
    assert_eq!(tasks[0]["variables"][0]["isValueTruncated"], true);
}

#[tokio::test]
async fn task_variables_search_filters_by_name_and_truncates() {
    let server = TestServer::builder()
        .auth(AuthMode::None)
        .truncation_threshold(4)
        .start()
        .await
        .unwrap();
    server.store().insert_task(task("1", 0));
    for (name, value) in [("a", "1"), ("b", "\"long text\""), ("c", "[1,2]")] {
        server.store().insert_variable("1", name, value).unwrap();
    }
    let client = Client::anonymous(&server);
    let all = client.post("/v1/tasks/1/variables/search", "").await.json();
    assert_eq!(all.as_array().unwrap().len(), 3);
    let some = client
        .post(
            "/v1/tasks/1/variables/search",
            r#"{"variableNames":["b","zzz"]}"#,
        )
        .await
        .json();
    assert_eq!(some.as_array().unwrap().len(), 1);
    assert_eq!(some[0]["previewValue"], "\"lon");
    assert_eq!(some[0]["isValueTruncated"], true);
    assert_eq!(some[0]["value"], Value::Null);
    let full = client
        .post(
            "/v1/tasks/1/variables/search",
            r#"{"includeVariables":[{"name":"b","alwaysReturnFullValue":true}]}"#,
        )
        .await
        .json();
    assert_eq!(full[0]["value"], "\"long text\"");
    let reply = client
        .post(
            "/v1/tasks/1/variables/search",
            r#"{"variableNames":["a"],"includeVariables":[{"name":"b"}]}"#,
        )
        .await;
    assert_error(
        &reply,
        V87,
        400,
        "Only one of [variableNames, includeVariables] must be present in request.",
        true,
    );
}

// ----- draft variables ----------------------------------------------------------------------

#[tokio::test]
async fn drafts_replace_the_whole_set_keep_the_last_duplicate_and_skip_unchanged_values() {
    let server = server(AuthMode::OAuth).await;
    server.store().insert_task(task("1", 0));
    server.store().insert_variable("1", "a", "1").unwrap();
    let client = Client::bearer(&server);
    let reply = client
        .post(
            "/v1/tasks/1/variables",
            r#"{"variables":[{"name":"x","value":"1"},{"name":"y","value":"2"}]}"#,
        )
        .await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.text, "");
    let reply = client
        .post(
            "/v1/tasks/1/variables",
            r#"{"variables":[{"name":"a","value":"1"},{"name":"z","value":"\"first\""},{"name":"z","value":"\"last\""}]}"#,
        )
        .await;
    assert_eq!(reply.status, 204);
    let drafts = server.store().draft_variables("1").unwrap();
    let pairs: Vec<(&str, &str)> = drafts
        .iter()
        .map(|d| (d.name.as_str(), d.value.as_str()))
        .collect();
    assert_eq!(pairs, [("z", "\"last\"")]);
    assert_eq!(drafts[0].id, "1-z");

    // A changed value of an existing variable is stored under the variable's id and shows up as
    // its draft; a new one shows up alone.
    client
        .post(
            "/v1/tasks/1/variables",
            r#"{"variables":[{"name":"a","value":"2"},{"name":"n","value":"true"}]}"#,
        )
        .await;
    let found = client
        .post("/v1/tasks/1/variables/search", "{}")
        .await
        .json();
    assert_eq!(found[0]["name"], "a");
    assert_eq!(found[0]["value"], "1");
    assert_eq!(found[0]["draft"]["value"], "2");
    assert_eq!(found[1]["name"], "n");
    assert_eq!(found[1]["value"], Value::Null);
    assert_eq!(found[1]["previewValue"], Value::Null);
    assert_eq!(found[1]["draft"]["value"], "true");
    let variable = client.get("/v1/variables/1-a").await.json();
    assert_eq!(variable["value"], "1");
    assert_eq!(variable["draft"]["value"], "2");
    let draft_only = client.get("/v1/variables/1-n").await.json();
    assert_eq!(draft_only["value"], Value::Null);
    assert_eq!(draft_only["draft"]["value"], "true");
}

#[tokio::test]
async fn drafts_must_be_json_text() {
    let server = server(AuthMode::OAuth).await;
    server.store().insert_task(task("1", 0));
    let reply = Client::bearer(&server)
        .post(
            "/v1/tasks/1/variables",
            r#"{"variables":[{"name":"x","value":"not json"}]}"#,
        )
        .await;
    assert_error(
        &reply,
        V87,
        400,
        "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 5]",
        true,
    );
}

#[tokio::test]
async fn drafts_follow_the_completion_rules_for_users_but_not_for_token_callers() {
    let server = server(AuthMode::Basic).await;
    server.store().insert_task(task("1", 0));
    let mut t = task("2", 0);
    t.state = TaskState::Completed;
    server.store().insert_task(t);
    let client = Client::basic(&server, "demo", "demo");
    let body = r#"{"variables":[]}"#;
    assert_error(
        &client.post("/v1/tasks/1/variables", body).await,
        V87,
        400,
        &not_assigned(),
        true,
    );
    assert_error(
        &client.post("/v1/tasks/2/variables", body).await,
        V87,
        400,
        &not_active(),
        true,
    );

    let oauth = self::server(AuthMode::OAuth).await;
    oauth.store().insert_task(task("1", 0));
    let reply = Client::bearer(&oauth)
        .post("/v1/tasks/1/variables", body)
        .await;
    assert_eq!(reply.status, 204);
}

#[tokio::test]
async fn a_completed_task_shows_its_snapshot_and_variables_are_json_text() {
    let server = server(AuthMode::OAuth).await;
    server.store().insert_task(task("1", 0));
    let text = "\"He said \\\"hi\\\"\\nünï ✓\"";
    server.store().insert_variable("1", "s", text).unwrap();
    let client = Client::bearer(&server);
    client.patch("/v1/tasks/1/complete", None).await;
    let found = client.post("/v1/tasks/1/variables/search", "").await.json();
    assert_eq!(found[0]["id"], "1-s");
    assert_eq!(found[0]["value"], text);
    let snapshot = client.get("/v1/variables/1-s").await.json();
    assert_eq!(snapshot["value"], text);
    // The value is JSON text: parsing it gives the string.
    let parsed: String = serde_json::from_str(snapshot["value"].as_str().unwrap()).unwrap();
    assert_eq!(parsed, "He said \"hi\"\nünï ✓");
}

// ----- forms --------------------------------------------------------------------------------

#[tokio::test]
async fn forms_are_found_by_id_and_process_definition_with_versions() {
    let server = server(AuthMode::OAuth).await;
    let store = server.store();
    store.insert_form(Form::embedded("userTaskForm_1", "100", "{\"e\":1}"));
    store.insert_form(Form::deployed("invoice", 1, "100", "{\"v\":1}"));
    store.insert_form(Form::deployed("invoice", 2, "100", "{\"v\":2}"));
    let mut deleted = Form::deployed("invoice", 3, "100", "{\"v\":3}");
    deleted.is_deleted = true;
    store.insert_form(deleted);
    let client = Client::bearer(&server);

    let embedded = client
        .get("/v1/forms/userTaskForm_1?processDefinitionKey=100")
        .await
        .json();
    assert_eq!(embedded["schema"], "{\"e\":1}");
    assert_eq!(embedded["version"], Value::Null);
    assert_eq!(embedded["processDefinitionKey"], "100");
    assert_eq!(embedded["isDeleted"], false);
    assert!(embedded.get("title").is_none());
    // Another process definition does not have it.
    assert_error(
        &client
            .get("/v1/forms/userTaskForm_1?processDefinitionKey=101")
            .await,
        V87,
        404,
        "form with id userTaskForm_1 was not found",
        true,
    );
    // Deployed: the highest version not deleted, or the version asked for.
    let latest = client
        .get("/v1/forms/invoice?processDefinitionKey=100")
        .await
        .json();
    assert_eq!(latest["version"], 2);
    let third = client
        .get("/v1/forms/invoice?processDefinitionKey=100&version=3")
        .await
        .json();
    assert_eq!(third["isDeleted"], true);
    // The process definition key is required.
    assert_error(
        &client.get("/v1/forms/invoice").await,
        V87,
        400,
        "Required request parameter 'processDefinitionKey' for method parameter type String is not present",
        true,
    );
}

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
