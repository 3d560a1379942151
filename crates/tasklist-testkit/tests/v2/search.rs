//! The user-task search: cursor paging, filters and sorting.

use std::collections::BTreeSet;

use serde_json::json;
use tasklist_testkit::store::TaskState;
use tasklist_testkit::{Profile, TestServer};

use crate::api_support::Client;
use crate::{assert_problem, keys, server, zeebe};

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
