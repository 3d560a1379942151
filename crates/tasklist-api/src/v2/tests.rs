//! Unit tests of the v2 calls over a recording transport: what goes on the wire, how answers
//! are read, paging and waiting.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use tasklist_transport::Idempotency;

use crate::testing::{Recorder, json_response};
use crate::v2::Clock;
use crate::v2::models::{
    Cursor, DateTimeFilter, PageRequest, StringFilter, UserTaskSortField, UserTaskState,
};
use crate::{Error, Variables};

fn empty(status: u16) -> tasklist_transport::Response {
    http::Response::builder()
        .status(status)
        .body(bytes::Bytes::new())
        .unwrap()
}

fn html(status: u16, body: &str) -> tasklist_transport::Response {
    http::Response::builder()
        .status(status)
        .header("content-type", "text/html")
        .body(bytes::Bytes::from(body.to_owned()))
        .unwrap()
}

fn problem(status: u16, title: &str, detail: &str) -> tasklist_transport::Response {
    let body = json!({"type": "about:blank", "title": title, "status": status, "detail": detail,
        "instance": "/v2/user-tasks/1"});
    json_response(status, &body.to_string())
}

#[tokio::test]
async fn a_search_sends_its_filter_sort_and_page_exactly() {
    let recorder = Recorder::new([json_response(
        200,
        r#"{"items":[{"userTaskKey":"22","state":"CREATED"}],"page":{"totalItems":1}}"#,
    )]);
    let client = recorder.client("http://h/base/");
    let since: crate::Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let page = client
        .user_tasks()
        .search()
        .state(UserTaskState::Created)
        .candidate_group(StringFilter::one_of(["a", "b"]))
        .creation_date(DateTimeFilter::after(since))
        .process_instance_variable("region", "EMEA")
        .unwrap()
        .sort_desc(UserTaskSortField::Priority)
        .limit(20)
        .after(Cursor::new("WzFd"))
        .await
        .unwrap();
    assert_eq!(page.items[0].user_task_key.as_ref().unwrap().as_str(), "22");

    let sent = &recorder.requests()[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.uri, "http://h/base/v2/user-tasks/search");
    assert_eq!(sent.idempotency, Idempotency::Idempotent);
    assert_eq!(
        sent.json(),
        json!({
            "page": {"after": "WzFd", "limit": 20},
            "sort": [{"field": "priority", "order": "DESC"}],
            "filter": {
                "state": "CREATED",
                "candidateGroup": {"$in": ["a", "b"]},
                "creationDate": {"$gt": "2026-01-01T00:00:00Z"},
                "processInstanceVariables": [{"name": "region", "value": "\"EMEA\""}]
            }
        })
    );
}

#[tokio::test]
async fn commands_send_their_bodies_and_are_not_idempotent() {
    let recorder = Recorder::new((0..4).map(|_| empty(204)));
    let client = recorder.client("http://h");
    let tasks = client.user_tasks();
    tasks
        .assign("7", "demo")
        .allow_override(false)
        .await
        .unwrap();
    tasks.unassign(7_i64).await.unwrap();
    let variables = Variables::new()
        .with("amount", &18_446_744_073_709_551_615_u64)
        .unwrap()
        .with("note", "a \"quoted\" line\n")
        .unwrap()
        .with("lines", &json!([{"sku": "A-1"}]))
        .unwrap();
    tasks
        .complete("7")
        .variables(variables)
        .action("approve")
        .await
        .unwrap();
    let due: crate::Timestamp = "2026-12-24T12:00:00Z".parse().unwrap();
    tasks
        .update("7")
        .due_date(due)
        .clear_follow_up_date()
        .candidate_groups(["g"])
        .clear_candidate_users()
        .priority(0)
        .await
        .unwrap();

    let sent = recorder.requests();
    let summary: Vec<_> = sent
        .iter()
        .map(|r| (r.method.as_str(), r.uri.as_str(), r.idempotency))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "POST",
                "http://h/v2/user-tasks/7/assignment",
                Idempotency::NotIdempotent
            ),
            (
                "DELETE",
                "http://h/v2/user-tasks/7/assignee",
                Idempotency::NotIdempotent
            ),
            (
                "POST",
                "http://h/v2/user-tasks/7/completion",
                Idempotency::NotIdempotent
            ),
            (
                "PATCH",
                "http://h/v2/user-tasks/7",
                Idempotency::NotIdempotent
            ),
        ]
    );
    assert_eq!(
        sent[0].json(),
        json!({"assignee": "demo", "allowOverride": false})
    );
    assert_eq!(sent[1].body, "");
    // The completion's variables are a JSON object of the values themselves, the large
    // integer exact.
    assert_eq!(
        sent[2].body,
        r#"{"variables":{"amount":18446744073709551615,"note":"a \"quoted\" line\n","lines":[{"sku":"A-1"}]},"action":"approve"}"#
    );
    assert_eq!(
        sent[3].json(),
        json!({"changeset": {"dueDate": "2026-12-24T12:00:00Z", "followUpDate": "",
            "candidateUsers": [], "candidateGroups": ["g"], "priority": 0}})
    );
}

#[tokio::test]
async fn a_504_on_any_command_is_outcome_unknown_and_sent_once() {
    for (i, answer) in [
        problem(
            504,
            "DEADLINE_EXCEEDED",
            "the task listener did not answer in time",
        ),
        html(
            504,
            "<html><body><h1>504 Gateway Time-out</h1></body></html>",
        ),
        empty(504),
    ]
    .into_iter()
    .enumerate()
    {
        for command in ["complete", "assign", "unassign", "update"] {
            let recorder = Recorder::new([answer.clone()]);
            let client = recorder.client("http://h");
            let tasks = client.user_tasks();
            let result = match command {
                "complete" => tasks.complete("9").await,
                "assign" => tasks.assign("9", "demo").await,
                "unassign" => tasks.unassign("9").await,
                _ => tasks.update("9").priority(1).await,
            };
            let error = result.unwrap_err();
            let Error::OutcomeUnknown {
                command: named,
                task,
                status,
                api,
            } = &error
            else {
                panic!("{command} {i}: {error:?}");
            };
            assert_eq!(
                (*named, task.as_str(), status.as_u16()),
                (command, "9", 504)
            );
            assert_eq!(recorder.count(), 1, "{command} {i} was repeated");
            let text = error.to_string();
            assert!(text.contains("outcome is unknown"), "{text}");
            if i == 0 {
                assert_eq!(
                    api.server_message(),
                    Some("the task listener did not answer in time")
                );
            }
            if i == 1 {
                assert!(text.contains("504 Gateway Time-out"), "{text}");
            }
        }
    }
}

#[tokio::test]
async fn a_504_on_a_read_is_a_server_error_not_outcome_unknown() {
    let recorder = Recorder::new([html(504, "<html>timeout</html>")]);
    let error = recorder
        .client("http://h")
        .user_tasks()
        .get("1")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
}

#[tokio::test]
async fn invalid_state_and_not_found_are_their_own_errors() {
    let recorder = Recorder::new([
        problem(409, "INVALID_STATE", "it is in state 'COMPLETING'"),
        problem(404, "NOT_FOUND", "no user task with key 3"),
    ]);
    let client = recorder.client("http://h");
    let error = client.user_tasks().complete("3").await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidState(api) if api.server_message() == Some("it is in state 'COMPLETING'"))
    );
    let error = client.user_tasks().get("3").await.unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(error.server_message(), Some("no user task with key 3"));
}

#[tokio::test]
async fn bad_arguments_fail_before_anything_is_sent() {
    let recorder = Recorder::new([]);
    let client = recorder.client("http://h");
    let tasks = client.user_tasks();
    for error in [
        tasks.get("../admin").await.unwrap_err(),
        tasks.complete("").await.unwrap_err(),
        tasks.assign("1", " ").await.unwrap_err(),
        tasks.update("1").priority(101).await.unwrap_err(),
        tasks.variables("1x").await.unwrap_err(),
        tasks
            .wait_for("12345678901234567890123456")
            .await
            .unwrap_err(),
    ] {
        assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    }
    assert_eq!(recorder.count(), 0);
}

#[tokio::test]
async fn a_form_is_none_on_204() {
    let recorder = Recorder::new([
        empty(204),
        json_response(
            200,
            r#"{"formId":"f","schema":"{}","version":2,"formKey":"5"}"#,
        ),
    ]);
    let client = recorder.client("http://h");
    assert_eq!(client.user_tasks().form("1").await.unwrap(), None);
    let form = client.user_tasks().form("1").await.unwrap().unwrap();
    assert_eq!(form.form_id.as_deref(), Some("f"));
    let sent = recorder.requests();
    assert_eq!(sent[0].uri, "http://h/v2/user-tasks/1/form");
    assert_eq!(sent[0].idempotency, Idempotency::Idempotent);
}

#[tokio::test]
async fn variable_searches_carry_truncate_values_and_decode_with_truncation_visible() {
    let page = r#"{"items":[{"name":"big","value":"[1,2,","isTruncated":true},
        {"name":"n","value":"42","isTruncated":false}],"page":{"totalItems":2}}"#;
    let recorder = Recorder::new([
        json_response(200, page),
        json_response(200, page),
        json_response(200, page),
    ]);
    let client = recorder.client("http://h");
    let found = client.user_tasks().variables("5").await.unwrap();
    assert!(matches!(
        found.items[0].decode::<Vec<i32>>(),
        Err(Error::VariableTruncated { .. })
    ));
    assert_eq!(found.items[1].decode::<i32>().unwrap(), 42);
    client
        .user_tasks()
        .variables("5")
        .truncate_values(false)
        .name("big")
        .await
        .unwrap();
    client
        .user_tasks()
        .effective_variables("5")
        .truncate_values(true)
        .offset(10, 5)
        .await
        .unwrap();
    let sent = recorder.requests();
    assert_eq!(sent[0].uri, "http://h/v2/user-tasks/5/variables/search");
    assert_eq!(sent[0].body, "{}");
    assert_eq!(
        sent[1].uri,
        "http://h/v2/user-tasks/5/variables/search?truncateValues=false"
    );
    assert_eq!(sent[1].json(), json!({"filter": {"name": "big"}}));
    assert_eq!(
        sent[2].uri,
        "http://h/v2/user-tasks/5/effective-variables/search?truncateValues=true"
    );
    assert_eq!(sent[2].json(), json!({"page": {"from": 10, "limit": 5}}));
}

/// A server of `total` tasks keyed 1..=total, paging by cursor (`c<last key>`) or offset.
fn pages(total: u64) -> Recorder {
    Recorder::with(move |request| {
        let body = request.json();
        let page = &body["page"];
        let limit = page["limit"].as_u64().unwrap_or(100);
        let cursor = |name: &str| {
            page[name]
                .as_str()
                .map(|c| c.trim_start_matches('c').parse::<u64>().unwrap())
        };
        let keys: Vec<u64> = if let Some(after) = cursor("after") {
            (after + 1..=total).take(limit as usize).collect()
        } else if let Some(before) = cursor("before") {
            let mut keys: Vec<u64> = (1..before).rev().take(limit as usize).collect();
            keys.reverse();
            keys
        } else {
            let from = page["from"].as_u64().unwrap_or(0);
            (from + 1..=total).take(limit as usize).collect()
        };
        let items: Vec<Value> = keys
            .iter()
            .map(|k| json!({"userTaskKey": k.to_string(), "name": format!("t{k}")}))
            .collect();
        let info = json!({
            "totalItems": total,
            "startCursor": keys.first().map(|k| format!("c{k}")),
            "endCursor": keys.last().map(|k| format!("c{k}")),
        });
        json_response(200, &json!({"items": items, "page": info}).to_string())
    })
}

fn keys(tasks: &[crate::v2::models::UserTask]) -> Vec<u64> {
    tasks
        .iter()
        .map(|t| t.user_task_key.as_ref().unwrap().as_str().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn a_stream_follows_end_cursors_one_page_at_a_time() {
    let recorder = pages(250);
    let client = recorder.client("http://h");
    let mut stream = client.user_tasks().search().limit(100).into_stream();
    let mut seen = Vec::new();
    let mut most_buffered = 0;
    while let Some(task) = stream.try_next().await.unwrap() {
        most_buffered = most_buffered.max(stream.buffered_len() + 1);
        seen.push(task);
    }
    assert_eq!(keys(&seen), (1..=250).collect::<Vec<_>>());
    assert!(most_buffered <= 100, "{most_buffered}");
    assert_eq!(stream.pages_fetched(), 3);
    let pages: Vec<Value> = recorder
        .requests()
        .iter()
        .map(|r| r.json()["page"].clone())
        .collect();
    assert_eq!(
        pages,
        [
            json!({"limit": 100}),
            json!({"after": "c100", "limit": 100}),
            json!({"after": "c200", "limit": 100})
        ]
    );
}

#[tokio::test]
async fn a_stream_of_an_exact_multiple_ends_on_the_empty_page() {
    let recorder = pages(200);
    let client = recorder.client("http://h");
    let all: Vec<_> = client
        .user_tasks()
        .search()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 200);
    // The default page size (100) is sent, so the stream knows what a full page is.
    assert_eq!(recorder.requests()[0].json()["page"], json!({"limit": 100}));
    assert_eq!(recorder.count(), 3);
}

#[tokio::test]
async fn a_backward_stream_walks_start_cursors_and_yields_last_first() {
    let recorder = pages(250);
    let client = recorder.client("http://h");
    let all: Vec<_> = client
        .user_tasks()
        .search()
        .before(Cursor::new("c201"))
        .limit(80)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys(&all), (1..=200).rev().collect::<Vec<_>>());
    let pages: Vec<Value> = recorder
        .requests()
        .iter()
        .map(|r| r.json()["page"].clone())
        .collect();
    assert_eq!(
        pages,
        [
            json!({"before": "c201", "limit": 80}),
            json!({"before": "c121", "limit": 80}),
            json!({"before": "c41", "limit": 80})
        ]
    );
}

#[tokio::test]
async fn a_cursor_that_does_not_move_ends_the_stream_with_an_error() {
    // The server ignores `after` and answers the first page every time.
    let recorder = Recorder::with(|_| {
        let items: Vec<Value> = (1..=2)
            .map(|k| json!({"userTaskKey": k.to_string()}))
            .collect();
        json_response(
            200,
            &json!({"items": items, "page": {"endCursor": "same"}}).to_string(),
        )
    });
    let client = recorder.client("http://h");
    let results: Vec<_> = client
        .user_tasks()
        .search()
        .limit(2)
        .into_stream()
        .collect()
        .await;
    // Page 1 is yielded; page 2 repeats its cursor, is not yielded, and ends the stream.
    assert_eq!(results.len(), 3);
    assert!(results[..2].iter().all(Result::is_ok));
    assert!(matches!(
        &results[2],
        Err(Error::CursorStalled { page: 2, cursor }) if cursor.as_str() == "same"
    ));
    assert_eq!(recorder.count(), 2);
}

#[tokio::test]
async fn a_stream_stops_at_its_page_limit_with_the_request_that_resumes_it() {
    let recorder = pages(1000);
    let client = recorder.client("http://h");
    let mut stream = client
        .user_tasks()
        .search()
        .limit(10)
        .into_stream()
        .max_pages(3);
    let mut seen = 0;
    let error = loop {
        match stream.next().await.unwrap() {
            Ok(_) => seen += 1,
            Err(error) => break error,
        }
    };
    assert_eq!(seen, 30);
    let Error::StreamPageLimit { pages: 3, next } = error else {
        panic!("{error:?}")
    };
    assert_eq!(next, PageRequest::after(Cursor::new("c30"), 10));
    assert!(stream.next().await.is_none());
    // Resuming from `next` goes on where the stream stopped.
    let rest: Vec<_> = client
        .user_tasks()
        .search()
        .page(next)
        .into_stream()
        .unbounded_pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys(&rest), (31..=1000).collect::<Vec<_>>());
}

#[tokio::test]
async fn effective_variables_stream_by_offset() {
    let recorder = Recorder::with(|request| {
        let page = &request.json()["page"];
        let from = page["from"].as_u64().unwrap();
        let limit = page["limit"].as_u64().unwrap();
        let items: Vec<Value> = (from..(from + limit).min(7))
            .map(|i| json!({"name": format!("v{i}"), "value": i.to_string()}))
            .collect();
        json_response(
            200,
            &json!({"items": items, "page": {"totalItems": 7}}).to_string(),
        )
    });
    let client = recorder.client("http://h");
    let names: Vec<String> = client
        .user_tasks()
        .effective_variables("1")
        .offset(0, 3)
        .into_stream()
        .map_ok(|v| v.name.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["v0", "v1", "v2", "v3", "v4", "v5", "v6"]);
    let pages: Vec<Value> = recorder
        .requests()
        .iter()
        .map(|r| r.json()["page"].clone())
        .collect();
    assert_eq!(
        pages,
        [
            json!({"from": 0, "limit": 3}),
            json!({"from": 3, "limit": 3}),
            json!({"from": 6, "limit": 3})
        ]
    );
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_after_its_error() {
    let recorder = Recorder::new([problem(400, "INVALID_ARGUMENT", "the cursor is not valid")]);
    let client = recorder.client("http://h");
    let results: Vec<_> = client
        .user_tasks()
        .search()
        .after(Cursor::new("bad"))
        .into_stream()
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0].as_ref().unwrap_err().server_message(),
        Some("the cursor is not valid")
    );
}

/// A clock that moves only when slept on, and records the sleeps.
#[derive(Clone)]
struct FakeClock {
    now: Arc<Mutex<Instant>>,
    sleeps: Arc<Mutex<Vec<Duration>>>,
}

impl FakeClock {
    fn new() -> Self {
        FakeClock {
            now: Arc::new(Mutex::new(Instant::now())),
            sleeps: Arc::default(),
        }
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Instant {
        *self.now.lock().unwrap()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        *self.now.lock().unwrap() += duration;
        self.sleeps.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

#[tokio::test]
async fn wait_for_reads_until_the_condition_holds_with_backoff() {
    let recorder = Recorder::new([
        problem(404, "NOT_FOUND", "no such task"),
        json_response(200, r#"{"userTaskKey":"4","state":"CREATED"}"#),
        json_response(
            200,
            r#"{"userTaskKey":"4","state":"CREATED","assignee":"jane"}"#,
        ),
        json_response(
            200,
            r#"{"userTaskKey":"4","state":"CREATED","assignee":"demo"}"#,
        ),
    ]);
    let client = recorder.client("http://h");
    let clock = FakeClock::new();
    let task = client
        .user_tasks()
        .wait_for("4")
        .assignee("demo")
        .backoff(Duration::from_millis(100), Duration::from_millis(300))
        .clock(clock.clone())
        .await
        .unwrap();
    assert_eq!(task.assignee.as_deref(), Some("demo"));
    assert_eq!(recorder.count(), 4);
    assert_eq!(
        *clock.sleeps.lock().unwrap(),
        [
            Duration::from_millis(100),
            Duration::from_millis(200),
            Duration::from_millis(300)
        ]
    );
}

#[tokio::test]
async fn wait_for_gives_up_at_its_timeout_naming_what_it_last_saw() {
    let recorder = Recorder::with(|_| {
        json_response(
            200,
            r#"{"userTaskKey":"4","state":"COMPLETING","assignee":"demo"}"#,
        )
    });
    let client = recorder.client("http://h");
    let clock = FakeClock::new();
    let error = client
        .user_tasks()
        .wait_for("4")
        .state(UserTaskState::Completed)
        .timeout(Duration::from_secs(1))
        .backoff(Duration::from_millis(100), Duration::from_millis(400))
        .clock(clock.clone())
        .await
        .unwrap_err();
    let Error::ConsistencyTimeout { task, waited, last } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(task, "4");
    assert_eq!(*waited, Duration::from_secs(1));
    assert_eq!(last, "state COMPLETING, assigned to `demo`");
    // 100 + 200 + 400 + 300 (the rest of the second): never past the timeout.
    assert_eq!(
        clock.sleeps.lock().unwrap().iter().sum::<Duration>(),
        Duration::from_secs(1)
    );
    assert_eq!(recorder.count(), 5);
}

#[tokio::test]
async fn server_text_in_stream_and_wait_errors_is_bounded_and_escaped() {
    let cursor = format!("\u{1b}[2J{}", "A".repeat(5000));
    let body = json!({"items": [{"userTaskKey": "1"}], "page": {"endCursor": cursor}});
    let recorder = Recorder::with(move |_| json_response(200, &body.to_string()));
    let client = recorder.client("http://h");
    let results: Vec<_> = client
        .user_tasks()
        .search()
        .after(Cursor::new(cursor.clone()))
        .limit(1)
        .into_stream()
        .collect()
        .await;
    let text = results.last().unwrap().as_ref().unwrap_err().to_string();
    assert!(!text.contains('\u{1b}') && text.len() < 400, "{text}");

    let state = format!("\u{1b}]0;owned\u{7}{}", "S".repeat(5000));
    let task = json!({"userTaskKey": "4", "state": state}).to_string();
    let recorder = Recorder::with(move |_| json_response(200, &task));
    let error = recorder
        .client("http://h")
        .user_tasks()
        .wait_for("4")
        .state(UserTaskState::Completed)
        .timeout(Duration::from_millis(1))
        .clock(FakeClock::new())
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(!text.contains('\u{1b}') && text.len() < 400, "{text}");
}

#[tokio::test]
async fn wait_for_ends_at_once_on_an_error_other_than_not_found() {
    let recorder = Recorder::new([problem(401, "UNAUTHORIZED", "no credentials")]);
    let client = recorder.client("http://h");
    let error = client
        .user_tasks()
        .wait_for("4")
        .clock(FakeClock::new())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    assert_eq!(recorder.count(), 1);
}

#[tokio::test]
async fn topology_reads_the_gateway_version() {
    let recorder = Recorder::new([json_response(
        200,
        r#"{"brokers":[],"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.9.2"}"#,
    )]);
    let client = recorder.client("http://h/tenant");
    let topology = client.topology().await.unwrap();
    assert_eq!(topology.gateway_version.as_deref(), Some("8.9.2"));
    let sent = &recorder.requests()[0];
    assert_eq!(
        (sent.method.as_str(), sent.uri.as_str()),
        ("GET", "http://h/tenant/v2/topology")
    );
}

#[test]
fn futures_are_send_and_static() {
    fn check<T: Send + 'static>(_: &T) {}
    let client = Recorder::new([]).client("http://h");
    let tasks = client.user_tasks();
    check(&tasks.search().send());
    check(&tasks.complete("1").send());
    check(&tasks.wait_for("1").send());
    check(&tasks.search().into_stream());
}
