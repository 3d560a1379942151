//! The v2 user-task API over real HTTP: every endpoint, paging, filters, sorting, problems,
//! forms, truncation, audit logs by version, auth (CSRF 401), the base path, the consistency
//! lag, the task-listener faults and the command counters, and one variable by its key.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_support;

use std::collections::BTreeSet;
use std::time::Duration;

use api_support::{Client, Reply};
use serde_json::json;
use tasklist_testkit::store::{Form, Task, TaskImplementation, TaskState};
use tasklist_testkit::{AuthMode, CommandKind, Fault, Profile, Route, TestServer};

/// A `CREATED` Zeebe user task with key `key`, created at 2024-01-01T00:00:00Z + `minutes`.
fn zeebe(key: u64, minutes: i64) -> Task {
    let mut task = api_support::task(&key.to_string(), minutes);
    task.implementation = TaskImplementation::ZeebeUserTask;
    task.process_instance_key = (key + 1_000_000).to_string();
    task
}

async fn server(profile: Profile, tasks: impl IntoIterator<Item = Task>) -> TestServer {
    let server = TestServer::builder()
        .profile(profile)
        .auth(AuthMode::None)
        .start()
        .await
        .unwrap();
    for task in tasks {
        server.store().insert_task(task);
    }
    server
}

fn keys(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["userTaskKey"].as_str().unwrap().to_owned())
        .collect()
}

fn assert_problem(reply: &Reply, status: u16, title: &str) {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert!(
        reply.content_type.starts_with("application/problem+json"),
        "{}",
        reply.content_type
    );
    let body = reply.json();
    assert_eq!(body["status"], status, "{}", reply.text);
    assert_eq!(body["title"], title, "{}", reply.text);
    assert_eq!(body["type"], "about:blank");
    assert!(body["detail"].is_string());
    assert!(body["instance"].as_str().unwrap().starts_with('/'));
}

#[tokio::test]
async fn every_endpoint_answers() {
    let mut with_form = zeebe(2251799813685251, 1);
    with_form.form_id = Some("invoice-form".to_owned());
    with_form.form_key = Some("2251799813684365".to_owned());
    with_form.form_version = Some(2);
    with_form.is_form_embedded = Some(false);
    let server = server(Profile::V8_9, [with_form, zeebe(2251799813685252, 2)]).await;
    server.store().insert_form(Form::deployed(
        "invoice-form",
        2,
        "1",
        "{\"components\":[]}",
    ));
    server
        .store()
        .insert_variable("2251799813685251", "amount", "1200.5")
        .unwrap();
    let api = Client::anonymous(&server);

    let topology = api.get("/v2/topology").await;
    assert_eq!(topology.status, 200);
    assert_eq!(topology.json()["gatewayVersion"], "8.9.0");

    let reply = api.post("/v2/user-tasks/search", "{}").await;
    assert_eq!(keys(&reply), ["2251799813685251", "2251799813685252"]);
    let page = &reply.json()["page"];
    assert_eq!(page["totalItems"], 2);
    assert_eq!(page["hasMoreTotalItems"], false);

    let task = api.get("/v2/user-tasks/2251799813685251").await;
    assert_eq!(task.status, 200, "{}", task.text);
    let task = task.json();
    assert_eq!(task["userTaskKey"], "2251799813685251");
    assert_eq!(task["state"], "CREATED");
    assert_eq!(task["processInstanceKey"], "2251799814685251");
    assert_eq!(task["priority"], 50);
    assert_eq!(task["formKey"], "2251799813684365");
    assert!(task["assignee"].is_null());

    let form = api.get("/v2/user-tasks/2251799813685251/form").await;
    assert_eq!(form.status, 200, "{}", form.text);
    assert_eq!(form.json()["schema"], "{\"components\":[]}");
    assert_eq!(form.json()["version"], 2);
    let no_form = api.get("/v2/user-tasks/2251799813685252/form").await;
    assert_eq!(no_form.status, 204);
    assert!(no_form.text.is_empty());

    let update = api
        .patch(
            "/v2/user-tasks/2251799813685251",
            Some(r#"{"changeset":{"priority":80,"dueDate":"2024-05-01T10:00:00Z","candidateGroups":["ops"],"unknown":1},"action":"escalate"}"#),
        )
        .await;
    assert_eq!(update.status, 204, "{}", update.text);
    let task = api.get("/v2/user-tasks/2251799813685251").await.json();
    assert_eq!(task["priority"], 80);
    assert_eq!(task["dueDate"], "2024-05-01T10:00:00Z");
    assert_eq!(task["candidateGroups"], json!(["ops"]));
    // An empty string resets a date, an empty list the candidates.
    let reset = api
        .patch(
            "/v2/user-tasks/2251799813685251",
            Some(r#"{"changeset":{"dueDate":"","candidateGroups":[]}}"#),
        )
        .await;
    assert_eq!(reset.status, 204);
    let task = api.get("/v2/user-tasks/2251799813685251").await.json();
    assert!(task["dueDate"].is_null());
    assert_eq!(task["candidateGroups"], json!([]));
    assert_eq!(task["priority"], 80);

    let assign = api
        .post(
            "/v2/user-tasks/2251799813685251/assignment",
            r#"{"assignee":"demo"}"#,
        )
        .await;
    assert_eq!(assign.status, 204, "{}", assign.text);
    assert_eq!(
        api.get("/v2/user-tasks/2251799813685251").await.json()["assignee"],
        "demo"
    );
    let unassign = api.delete("/v2/user-tasks/2251799813685251/assignee").await;
    assert_eq!(unassign.status, 204);
    assert!(api.get("/v2/user-tasks/2251799813685251").await.json()["assignee"].is_null());

    let variables = api
        .post("/v2/user-tasks/2251799813685251/variables/search", "{}")
        .await;
    assert_eq!(variables.status, 200, "{}", variables.text);
    let item = &variables.json()["items"][0];
    assert_eq!(item["name"], "amount");
    assert_eq!(item["value"], "1200.5");
    assert_eq!(item["isTruncated"], false);
    assert!(item["variableKey"].as_str().unwrap().parse::<u64>().is_ok());
    let effective = api
        .post(
            "/v2/user-tasks/2251799813685251/effective-variables/search",
            r#"{"page":{"from":0,"limit":10}}"#,
        )
        .await;
    assert_eq!(effective.status, 200, "{}", effective.text);
    assert_eq!(effective.json()["items"][0]["name"], "amount");

    let complete = api
        .post(
            "/v2/user-tasks/2251799813685251/completion",
            r#"{"variables":{"approved":true,"note":"ok"}}"#,
        )
        .await;
    assert_eq!(complete.status, 204, "{}", complete.text);
    let task = api.get("/v2/user-tasks/2251799813685251").await.json();
    assert_eq!(task["state"], "COMPLETED");
    assert!(task["completionDate"].is_string());
    let names: BTreeSet<String> = api
        .post("/v2/user-tasks/2251799813685251/variables/search", "{}")
        .await
        .json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        ["amount", "approved", "note"].map(str::to_owned).into()
    );

    let audit = api
        .post("/v2/user-tasks/2251799813685251/audit-logs/search", "{}")
        .await;
    assert_eq!(audit.status, 200, "{}", audit.text);
    let operations: Vec<String> = audit.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operationType"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        operations,
        ["UPDATE", "UPDATE", "ASSIGN", "UNASSIGN", "COMPLETE"]
    );
    let only = api
        .post(
            "/v2/user-tasks/2251799813685251/audit-logs/search",
            r#"{"filter":{"operationType":{"$in":["ASSIGN","COMPLETE"]}}}"#,
        )
        .await;
    assert_eq!(only.json()["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_store_feeds_both_apis_and_v2_sees_only_zeebe_user_tasks() {
    let mut job_worker = zeebe(10, 0);
    job_worker.implementation = TaskImplementation::JobWorker;
    let server = server(Profile::V8_8, [job_worker, zeebe(11, 1)]).await;
    let api = Client::anonymous(&server);
    assert_eq!(api.search("{}").await.len(), 2);
    assert_eq!(keys(&api.post("/v2/user-tasks/search", "{}").await), ["11"]);
    assert_problem(&api.get("/v2/user-tasks/10").await, 404, "NOT_FOUND");
    assert_problem(
        &api.post("/v2/user-tasks/10/completion", "{}").await,
        404,
        "NOT_FOUND",
    );
    // A v2 change shows in v1.
    api.post("/v2/user-tasks/11/assignment", r#"{"assignee":"ann"}"#)
        .await;
    assert_eq!(api.get("/v1/tasks/11").await.json()["assignee"], "ann");
}

#[tokio::test]
async fn a_cursor_walk_returns_every_task_once() {
    let tasks = (0..120).map(|i| {
        let mut task = zeebe(1000 + i, (i as i64 * 7) % 50);
        task.priority = Some((i % 5) as i32 * 20);
        task
    });
    let server = server(Profile::V8_10, tasks).await;
    let api = Client::anonymous(&server);
    let sort = r#"[{"field":"priority","order":"DESC"},{"field":"creationDate"}]"#;
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = match &after {
            Some(cursor) => json!({"after": cursor, "limit": 25}),
            None => json!({"limit": 25}),
        };
        let body = format!(r#"{{"sort":{sort},"page":{page}}}"#);
        let reply = api.post("/v2/user-tasks/search", &body).await;
        let page_keys = keys(&reply);
        assert_eq!(reply.json()["page"]["totalItems"], 120);
        if page_keys.is_empty() {
            assert!(reply.json()["page"]["endCursor"].is_null());
            break;
        }
        pages += 1;
        seen.extend(page_keys);
        after = reply.json()["page"]["endCursor"]
            .as_str()
            .map(str::to_owned);
    }
    assert_eq!(pages, 5);
    assert_eq!(seen.len(), 120);
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 120);

    // The same order in one page; priorities descending.
    let all = api
        .post(
            "/v2/user-tasks/search",
            &format!(r#"{{"sort":{sort},"page":{{"limit":200}}}}"#),
        )
        .await;
    assert_eq!(keys(&all), seen);
    let priorities: Vec<i64> = all.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["priority"].as_i64().unwrap())
        .collect();
    assert!(priorities.windows(2).all(|w| w[0] >= w[1]));

    // Backwards from the start cursor of the third page: the second page.
    let third = api
        .post(
            "/v2/user-tasks/search",
            &format!(r#"{{"sort":{sort},"page":{{"from":50,"limit":25}}}}"#),
        )
        .await;
    assert_eq!(keys(&third), seen[50..75].to_vec());
    let start = third.json()["page"]["startCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = api
        .post(
            "/v2/user-tasks/search",
            &format!(r#"{{"sort":{sort},"page":{{"before":"{start}","limit":25}}}}"#),
        )
        .await;
    assert_eq!(keys(&before), seen[25..50].to_vec());
}

#[tokio::test]
async fn filters_and_operators() {
    let mut a = zeebe(1, 0);
    a.assignee = Some("demo".to_owned());
    a.priority = Some(90);
    a.candidate_groups = Some(vec!["sales".to_owned(), "ops".to_owned()]);
    a.due_date = Some("2024-06-01T00:00:00Z".parse().unwrap());
    let mut b = zeebe(2, 10);
    b.assignee = Some("john".to_owned());
    b.priority = Some(10);
    b.name = "Review contract".to_owned();
    let mut c = zeebe(3, 20);
    c.state = TaskState::Completed;
    c.completion_date = Some("2024-01-02T00:00:00Z".parse().unwrap());
    let server = server(Profile::V8_9, [a, b, c]).await;
    server
        .store()
        .insert_variable("1", "region", "\"EU\"")
        .unwrap();
    let api = Client::anonymous(&server);
    let search = |filter: &str| {
        let body = format!(r#"{{"filter":{filter}}}"#);
        let api = api.clone();
        async move { keys(&api.post("/v2/user-tasks/search", &body).await) }
    };
    assert_eq!(search(r#"{"assignee":"demo"}"#).await, ["1"]);
    // `$neq` and `$notIn` also match a task without the value (a `must_not` query).
    assert_eq!(search(r#"{"assignee":{"$neq":"demo"}}"#).await, ["2", "3"]);
    assert_eq!(search(r#"{"assignee":{"$exists":false}}"#).await, ["3"]);
    assert_eq!(search(r#"{"assignee":{"$in":["john","x"]}}"#).await, ["2"]);
    assert_eq!(
        search(r#"{"assignee":{"$notIn":["john"]}}"#).await,
        ["1", "3"]
    );
    assert_eq!(search(r#"{"assignee":{"$like":"d?m*"}}"#).await, ["1"]);
    assert_eq!(search(r#"{"state":"COMPLETED"}"#).await, ["3"]);
    assert_eq!(search(r#"{"state":{"$in":["CREATED"]}}"#).await, ["1", "2"]);
    assert_eq!(
        search(r#"{"priority":{"$gt":10,"$lte":90}}"#).await,
        ["1", "3"]
    );
    assert_eq!(search(r#"{"priority":{"$gte":90}}"#).await, ["1"]);
    assert_eq!(search(r#"{"priority":{"$lt":50}}"#).await, ["2"]);
    assert_eq!(search(r#"{"priority":10}"#).await, ["2"]);
    assert_eq!(search(r#"{"candidateGroup":"ops"}"#).await, ["1"]);
    assert_eq!(
        search(r#"{"creationDate":{"$gte":"2024-01-01T00:10:00Z"}}"#).await,
        ["2", "3"]
    );
    assert_eq!(search(r#"{"dueDate":{"$exists":true}}"#).await, ["1"]);
    assert_eq!(search(r#"{"name":{"$like":"Review*"}}"#).await, ["2"]);
    assert_eq!(search(r#"{"userTaskKey":"2"}"#).await, ["2"]);
    assert_eq!(search(r#"{"processInstanceKey":"1000003"}"#).await, ["3"]);
    assert_eq!(
        search(r#"{"processInstanceVariables":[{"name":"region","value":"\"EU\""}]}"#).await,
        ["1"]
    );
    // No `$or`, no `$gt` on strings, no unknown fields.
    for filter in [
        r#"{"$or":[]}"#,
        r#"{"assignee":{"$gt":"a"}}"#,
        r#"{"state":{"$notIn":["CREATED"]}}"#,
        r#"{"priority":"high"}"#,
        r#"{"creationDate":{"$gt":"yesterday"}}"#,
    ] {
        let reply = api
            .post(
                "/v2/user-tasks/search",
                &format!(r#"{{"filter":{filter}}}"#),
            )
            .await;
        assert_eq!(reply.status, 400, "{filter}: {}", reply.text);
    }
    // 8.8 knows the name as an exact string only, and no tags.
    let old = server_8_8().await;
    let api = Client::anonymous(&old);
    let reply = api
        .post(
            "/v2/user-tasks/search",
            r#"{"filter":{"name":{"$like":"x"}}}"#,
        )
        .await;
    assert_eq!(reply.status, 400);
    let reply = api
        .post("/v2/user-tasks/search", r#"{"filter":{"tags":[]}}"#)
        .await;
    assert_eq!(reply.status, 400);
}

async fn server_8_8() -> TestServer {
    server(Profile::V8_8, [zeebe(1, 0)]).await
}

#[tokio::test]
async fn sorting_puts_missing_values_last() {
    let mut a = zeebe(1, 0);
    a.due_date = Some("2024-03-01T00:00:00Z".parse().unwrap());
    let b = zeebe(2, 5);
    let mut c = zeebe(3, 10);
    c.due_date = Some("2024-02-01T00:00:00Z".parse().unwrap());
    let server = server(Profile::V8_8, [a, b, c]).await;
    let api = Client::anonymous(&server);
    let sorted = |sort: &str| {
        let body = format!(r#"{{"sort":{sort}}}"#);
        let api = api.clone();
        async move { keys(&api.post("/v2/user-tasks/search", &body).await) }
    };
    assert_eq!(sorted(r#"[{"field":"dueDate"}]"#).await, ["3", "1", "2"]);
    assert_eq!(
        sorted(r#"[{"field":"dueDate","order":"DESC"}]"#).await,
        ["1", "3", "2"]
    );
    assert_eq!(
        sorted(r#"[{"field":"creationDate","order":"desc"}]"#).await,
        ["3", "2", "1"]
    );
    let bad = api
        .post("/v2/user-tasks/search", r#"{"sort":[{"field":"state"}]}"#)
        .await;
    assert_problem(&bad, 400, "INVALID_ARGUMENT");
    // businessId sorts only on 8.10.
    let bad = api
        .post(
            "/v2/user-tasks/search",
            r#"{"sort":[{"field":"businessId"}]}"#,
        )
        .await;
    assert_eq!(bad.status, 400);
}

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

#[tokio::test]
async fn reads_lag_behind_commands() {
    let server = TestServer::builder()
        .profile(Profile::V8_9)
        .auth(AuthMode::None)
        .consistency_lag(Duration::from_millis(400))
        .start()
        .await
        .unwrap();
    server.store().insert_task(zeebe(1, 0));
    let api = Client::anonymous(&server);
    let assign = api
        .post("/v2/user-tasks/1/assignment", r#"{"assignee":"demo"}"#)
        .await;
    assert_eq!(assign.status, 204);
    // Applied at once in the store, not yet visible to reads.
    assert_eq!(
        server.store().task("1").unwrap().assignee.as_deref(),
        Some("demo")
    );
    assert!(api.get("/v2/user-tasks/1").await.json()["assignee"].is_null());
    let stale = api
        .post("/v2/user-tasks/search", r#"{"filter":{"assignee":"demo"}}"#)
        .await;
    assert!(keys(&stale).is_empty());
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(api.get("/v2/user-tasks/1").await.json()["assignee"], "demo");
    // Off at runtime.
    server.set_consistency_lag(Duration::ZERO);
    api.post("/v2/user-tasks/1/completion", "{}").await;
    assert_eq!(
        api.get("/v2/user-tasks/1").await.json()["state"],
        "COMPLETED"
    );
}

#[tokio::test]
async fn listener_faults_and_command_counts() {
    let server = server(Profile::V8_9, [zeebe(1, 0), zeebe(2, 1), zeebe(3, 2)]).await;
    let api = Client::anonymous(&server);

    // A 504 after the command took effect: the task is completed anyway.
    server.fail_next(
        Route::CompleteUserTask,
        1,
        Fault::ListenerTimeout { applied: true },
    );
    let reply = api.post("/v2/user-tasks/1/completion", "{}").await;
    assert_problem(&reply, 504, "DEADLINE_EXCEEDED");
    assert_eq!(
        server.store().task("1").unwrap().state,
        TaskState::Completed
    );
    assert_eq!(server.command_count("1", CommandKind::Complete), 1);

    // A 504 without effect.
    server.fail_next(
        Route::AssignUserTask,
        1,
        Fault::ListenerTimeout { applied: false },
    );
    let reply = api
        .post("/v2/user-tasks/2/assignment", r#"{"assignee":"ann"}"#)
        .await;
    assert_problem(&reply, 504, "DEADLINE_EXCEEDED");
    assert!(server.store().task("2").unwrap().assignee.is_none());

    // A listener denies: 409 without effect.
    server.fail_next(Route::UpdateUserTask, 1, Fault::ListenerDenied);
    let reply = api
        .patch("/v2/user-tasks/2", Some(r#"{"changeset":{"priority":1}}"#))
        .await;
    assert_problem(&reply, 409, "INVALID_STATE");
    assert!(server.store().task("2").unwrap().priority.is_none());
    assert_eq!(server.command_count("2", CommandKind::Update), 1);

    // A proxy's HTML 504.
    server.fail_next(Route::UnassignUserTask, 1, Fault::ProxyHtml504);
    let reply = api.delete("/v2/user-tasks/3/assignee").await;
    assert_eq!(reply.status, 504);
    assert!(reply.content_type.starts_with("text/html"));
    assert!(reply.text.contains("504 Gateway Time-out"));

    // A held listener delays, then the command goes through.
    server.fail_next(
        Route::CompleteUserTask,
        1,
        Fault::ListenerHold(Duration::from_millis(50)),
    );
    let started = std::time::Instant::now();
    assert_eq!(
        api.post("/v2/user-tasks/3/completion", "{}").await.status,
        204
    );
    assert!(started.elapsed() >= Duration::from_millis(50));

    assert_eq!(server.command_count("2", CommandKind::Assign), 1);
    assert_eq!(server.command_count("3", CommandKind::Unassign), 1);
    assert_eq!(server.command_count("3", CommandKind::Complete), 1);
    assert_eq!(server.command_count("1", CommandKind::Assign), 0);
    // v1 commands count too.
    api.patch("/v1/tasks/2/assign", Some(r#"{"assignee":"x"}"#))
        .await;
    assert_eq!(server.command_count("2", CommandKind::Assign), 2);
    server.reset_counters();
    assert_eq!(server.command_count("2", CommandKind::Assign), 0);
}
