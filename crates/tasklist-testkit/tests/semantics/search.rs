//! The task search: paging, sorting and filters.

use serde_json::{Value, json};
use tasklist_testkit::store::{TaskImplementation, TaskState};
use tasklist_testkit::{AuthMode, TestServer};

use crate::api_support::{Client, assert_error, ids, task};
use crate::{V87, seeded, server};

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
