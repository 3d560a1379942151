//! Paging over real HTTP: a loopback server holds 10,000 tasks and pages through them as
//! Tasklist does (`sortValues`, `searchAfter`, `searchAfterOrEqual`, `searchBefore`,
//! `searchBeforeOrEqual`, `pageSize`); the client's `into_stream` walks them.
//!
//! The consumer and the server share counters: the server checks, as each page request
//! arrives, that the consumer has consumed every task served so far (so the stream never
//! fetches ahead), and the consumer checks, as each task arrives, that no more than one page
//! has been served that it has not consumed yet (so the stream never holds more than a page).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use futures::StreamExt;
use serde_json::{Value, json};
use tasklist_api::models::TaskState;
use tasklist_api::{Client, Cursor, TaskStream};

const PAGE: usize = 50;
const FIRST_KEY: u64 = 2_251_799_813_685_249;

/// The sort key of task `i`: its creation time in milliseconds (three tasks share each
/// millisecond, so the key falls back to the id as Tasklist's does) and its id.
fn key(i: usize) -> (u64, u64) {
    (1_696_422_924_713 + (i as u64 / 3), FIRST_KEY + i as u64)
}

fn sort_values(i: usize) -> Vec<String> {
    let (created, id) = key(i);
    vec![created.to_string(), id.to_string()]
}

fn index_of(id: &str) -> usize {
    usize::try_from(id.parse::<u64>().unwrap() - FIRST_KEY).unwrap()
}

#[derive(Default)]
struct Shared {
    tasks: usize,
    /// Tasks the server has sent.
    served: AtomicUsize,
    /// Tasks the consumer has taken out of the stream and finished with.
    consumed: AtomicUsize,
    requests: Mutex<Vec<Value>>,
    /// Everything the server found wrong with a request; the test asserts it stays empty
    /// (a panic in a handler would only drop the connection).
    violations: Mutex<Vec<String>>,
}

impl Shared {
    fn violation(&self, message: String) {
        self.violations.lock().unwrap().push(message);
    }
}

fn parse_cursor(body: &Value, field: &str) -> Option<(u64, u64)> {
    let values = body.get(field)?.as_array()?;
    assert_eq!(values.len(), 2, "{field}: {values:?}");
    Some((
        values[0].as_str().unwrap().parse().unwrap(),
        values[1].as_str().unwrap().parse().unwrap(),
    ))
}

async fn search(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> (StatusCode, axum::Json<Value>) {
    let number = shared.requests.lock().unwrap().len();
    let served = shared.served.load(Ordering::SeqCst);
    let consumed = shared.consumed.load(Ordering::SeqCst);
    if served != consumed {
        shared.violation(format!(
            "request {number} arrived with {served} tasks served but {consumed} consumed: the \
             stream fetched before the consumer drained the previous page"
        ));
    }
    if headers.get("content-type").and_then(|v| v.to_str().ok()) != Some("application/json") {
        shared.violation(format!("request {number}: content-type {headers:?}"));
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or_else(|e| {
        shared.violation(format!("request {number}: not JSON: {e}"));
        Value::Null
    });
    shared.requests.lock().unwrap().push(body.clone());
    if body["state"] != "CREATED" {
        shared.violation(format!(
            "request {number}: the state filter is gone: {body}"
        ));
    }
    let page = body["pageSize"].as_u64().map_or(PAGE, |n| n as usize);
    if page != PAGE {
        shared.violation(format!("request {number}: pageSize {page}"));
    }

    let keys: Vec<(u64, u64)> = (0..shared.tasks).map(key).collect();
    let cursors = [
        "searchAfter",
        "searchAfterOrEqual",
        "searchBefore",
        "searchBeforeOrEqual",
    ]
    .map(|field| parse_cursor(&body, field));
    let range = match cursors {
        [None, None, None, None] => 0..page.min(keys.len()),
        [Some(after), None, None, None] => {
            let start = keys.partition_point(|k| *k <= after);
            start..(start + page).min(keys.len())
        }
        [None, Some(after), None, None] => {
            let start = keys.partition_point(|k| *k < after);
            start..(start + page).min(keys.len())
        }
        // Tasklist answers a `searchBefore*` page in the usual order too.
        [None, None, Some(before), None] => {
            let end = keys.partition_point(|k| *k < before);
            end.saturating_sub(page)..end
        }
        [None, None, None, Some(before)] => {
            let end = keys.partition_point(|k| *k <= before);
            end.saturating_sub(page)..end
        }
        _ => {
            shared.violation(format!("request {number}: more than one cursor: {body}"));
            return (
                StatusCode::BAD_REQUEST,
                axum::Json(json!({
                    "status": 400,
                    "message": "Only one of [searchAfter, searchAfterOrEqual, searchBefore, searchBeforeOrEqual] must be present in request",
                    "instance": "5d0a7a3c-0c1e-4a43-8a4f-3c3c7b1e9c2a",
                })),
            );
        }
    };
    let tasks: Vec<Value> = range
        .map(|i| {
            json!({
                "id": key(i).1.to_string(),
                "name": format!("Review {i}"),
                "taskDefinitionId": "review",
                "processName": "Paging",
                "creationDate": "2023-10-04T12:35:24.713+0000",
                "taskState": "CREATED",
                "sortValues": sort_values(i),
                "isFirst": i == 0,
                "processDefinitionKey": "2251799813685200",
                "processInstanceKey": "2251799813685201",
                "candidateGroups": ["reviewers"],
                "implementation": "JOB_WORKER",
                "priority": 50,
            })
        })
        .collect();
    shared.served.fetch_add(tasks.len(), Ordering::SeqCst);
    (StatusCode::OK, axum::Json(Value::Array(tasks)))
}

struct Walk {
    /// Task indices in the order the stream gave them.
    order: Vec<usize>,
    requests: Vec<Value>,
}

/// Serves `tasks` tasks and walks them with `into_stream`, starting at `cursor`.
async fn walk(tasks: usize, cursor: Option<Cursor>) -> Walk {
    let shared = Arc::new(Shared {
        tasks,
        ..Shared::default()
    });
    let server = support::serve(
        axum::Router::new()
            .route("/v1/tasks/search", post(search))
            .with_state(shared.clone()),
    )
    .await;
    let client: Client = support::client(&server.base);

    let mut search = client
        .tasks()
        .search()
        .state(TaskState::Created)
        .page_size(PAGE as u32);
    if let Some(cursor) = cursor {
        search = search.cursor(cursor);
    }
    let mut stream: TaskStream = search.into_stream();
    assert_eq!(stream.buffered_len(), 0);
    let mut order = Vec::new();
    let mut seen = BTreeSet::new();
    while let Some(task) = stream.next().await {
        let task = task.unwrap();
        let served = shared.served.load(Ordering::SeqCst);
        let consumed = shared.consumed.load(Ordering::SeqCst);
        // `served - consumed` tasks are in the client's hands; this one among them.
        assert!(
            served - consumed <= PAGE,
            "{} tasks served but not consumed: more than one page held",
            served - consumed
        );
        // What the stream itself says it holds, after handing out this task.
        assert!(stream.buffered_len() < PAGE);
        let i = index_of(task.id.as_ref().unwrap().as_str());
        assert!(seen.insert(i), "task {i} came twice");
        assert_eq!(task.sort_values, Some(sort_values(i)));
        order.push(i);
        shared.consumed.fetch_add(1, Ordering::SeqCst);
    }
    let violations = shared.violations.lock().unwrap().clone();
    assert!(violations.is_empty(), "{violations:#?}");
    let requests_made = shared.requests.lock().unwrap().len();
    assert_eq!(stream.pages_fetched(), requests_made);
    let requests = shared.requests.lock().unwrap().clone();
    Walk { order, requests }
}

fn field_names(request: &Value) -> BTreeSet<String> {
    request.as_object().unwrap().keys().cloned().collect()
}

#[tokio::test]
async fn into_stream_walks_10_000_tasks_in_pages_of_50_each_exactly_once() {
    let walk = walk(10_000, None).await;
    // Every task, once, in order.
    assert_eq!(walk.order, (0..10_000).collect::<Vec<_>>());
    // 200 full pages, then one empty page that ends the walk.
    assert_eq!(walk.requests.len(), 201);
    assert!(walk.requests[0].get("searchAfter").is_none());
    for (n, request) in walk.requests.iter().enumerate().skip(1) {
        // The next page starts after the last task of the previous one.
        assert_eq!(
            request["searchAfter"],
            json!(sort_values(n * PAGE - 1)),
            "request {n}"
        );
        assert_eq!(
            field_names(request),
            BTreeSet::from(["pageSize", "searchAfter", "state"].map(String::from)),
            "request {n}"
        );
    }
}

#[tokio::test]
async fn a_short_page_ends_the_walk_without_another_request() {
    let walk = walk(9_990, None).await;
    assert_eq!(walk.order, (0..9_990).collect::<Vec<_>>());
    // 199 full pages and one of 40.
    assert_eq!(walk.requests.len(), 200);
}

#[tokio::test]
async fn into_stream_walks_backward_from_a_search_before_cursor_in_the_middle() {
    let walk = walk(10_000, Some(Cursor::Before(sort_values(5_000)))).await;
    // Every task before the cursor, once, walking away from it: nearest first.
    assert_eq!(walk.order, (0..5_000).rev().collect::<Vec<_>>());
    // 100 full pages, then one empty page.
    assert_eq!(walk.requests.len(), 101);
    assert_eq!(walk.requests[0]["searchBefore"], json!(sort_values(5_000)));
    for (n, request) in walk.requests.iter().enumerate().skip(1) {
        // The next page ends before the first task of the previous one.
        assert_eq!(
            request["searchBefore"],
            json!(sort_values(5_000 - n * PAGE)),
            "request {n}"
        );
        assert!(request.get("searchAfter").is_none(), "request {n}");
    }
}

#[tokio::test]
async fn an_or_equal_cursor_includes_its_task_once_and_then_pages_strictly() {
    let forward = walk(10_000, Some(Cursor::AfterOrEqual(sort_values(9_000)))).await;
    assert_eq!(forward.order, (9_000..10_000).collect::<Vec<_>>());
    assert_eq!(forward.requests.len(), 21);
    assert_eq!(
        forward.requests[0]["searchAfterOrEqual"],
        json!(sort_values(9_000))
    );
    assert!(forward.requests[1].get("searchAfterOrEqual").is_none());
    assert_eq!(
        forward.requests[1]["searchAfter"],
        json!(sort_values(9_049))
    );

    let backward = walk(10_000, Some(Cursor::BeforeOrEqual(sort_values(999)))).await;
    assert_eq!(backward.order, (0..1_000).rev().collect::<Vec<_>>());
    assert_eq!(backward.requests.len(), 21);
    assert_eq!(
        backward.requests[0]["searchBeforeOrEqual"],
        json!(sort_values(999))
    );
    assert!(backward.requests[1].get("searchBeforeOrEqual").is_none());
    assert_eq!(
        backward.requests[1]["searchBefore"],
        json!(sort_values(950))
    );
}
