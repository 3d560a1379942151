//! Unit tests of the v1 task calls and the task search over a recording transport.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use tasklist_transport::Idempotency;

use crate::Error;
use crate::testing::{Recorder, json_response};
use crate::v1::Cursor;
use crate::v1::models::{
    Implementation, SortOrder, TaskSearchRequest, TaskSearchResult, TaskSortField, TaskState,
};
use crate::variables::Variables;

const TASK: &str = r#"{"id":"7","name":"Check","taskState":"CREATED"}"#;

fn ok(body: &str) -> tasklist_transport::Response {
    json_response(200, body)
}

#[tokio::test]
async fn ids_are_one_encoded_segment() {
    let recorder = Recorder::with(|_| ok(TASK));
    let client = recorder.client("http://h");
    client.tasks().get("a/../b?x#y").await.unwrap();
    client.tasks().get("%2F").await.unwrap();
    client.tasks().assign("a b").await.unwrap();
    client.tasks().unassign("x;y=1").await.unwrap();
    client.tasks().complete("é").await.unwrap();
    let uris: Vec<_> = recorder.requests().into_iter().map(|r| r.uri).collect();
    assert_eq!(
        uris,
        [
            "http://h/v1/tasks/a%2F..%2Fb%3Fx%23y",
            "http://h/v1/tasks/%252F",
            "http://h/v1/tasks/a%20b/assign",
            "http://h/v1/tasks/x%3By%3D1/unassign",
            "http://h/v1/tasks/%C3%A9/complete",
        ]
    );
}

#[tokio::test]
async fn ids_that_cannot_be_a_segment_are_refused_before_sending() {
    let recorder = Recorder::new([]);
    let client = recorder.client("http://h");
    for id in ["", ".", ".."] {
        let e = client.tasks().get(id).await.unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{id:?}: {e}");
        let e = client.tasks().variables(id).search().await.unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{id:?}: {e}");
    }
    assert_eq!(recorder.count(), 0);
}

#[tokio::test]
async fn base_urls_with_a_prefix_with_or_without_slash() {
    let recorder = Recorder::with(|_| ok(TASK));
    recorder
        .client("https://h:8443/tasklist")
        .tasks()
        .get("1")
        .await
        .unwrap();
    recorder
        .client("https://h:8443/tasklist/")
        .tasks()
        .get("1")
        .await
        .unwrap();
    recorder
        .client("https://h:8443/")
        .tasks()
        .get("1")
        .await
        .unwrap();
    recorder
        .client("https://h:8443")
        .tasks()
        .get("1")
        .await
        .unwrap();
    let uris: Vec<_> = recorder.requests().into_iter().map(|r| r.uri).collect();
    assert_eq!(
        uris,
        [
            "https://h:8443/tasklist/v1/tasks/1",
            "https://h:8443/tasklist/v1/tasks/1",
            "https://h:8443/v1/tasks/1",
            "https://h:8443/v1/tasks/1",
        ]
    );
}

#[tokio::test]
async fn every_call_has_its_method_path_body_and_idempotency() {
    let recorder = Recorder::with(|r| match r.uri.as_str() {
        u if u.ends_with("/variables") => json_response(204, ""),
        u if u.ends_with("/search") => ok("[]"),
        u if u.contains("/v1/variables/") => ok(r#"{"id":"v"}"#),
        u if u.contains("/v1/forms/") => ok(r#"{"id":"f"}"#),
        _ => ok(TASK),
    });
    let client = recorder.client("http://h");
    let vars = Variables::new().with("a", &1).unwrap();
    client.tasks().search().send().await.unwrap();
    client.tasks().get("7").await.unwrap();
    client
        .tasks()
        .assign("7")
        .assignee("demo")
        .allow_override(false)
        .await
        .unwrap();
    client.tasks().assign("7").await.unwrap();
    client.tasks().unassign("7").await.unwrap();
    client
        .tasks()
        .complete("7")
        .variables(vars.clone())
        .await
        .unwrap();
    client.tasks().complete("7").await.unwrap();
    client
        .tasks()
        .save_draft_variables("7", vars)
        .await
        .unwrap();
    client
        .tasks()
        .variables("7")
        .search()
        .names(["a"])
        .await
        .unwrap();
    client.variables().get("v-1").await.unwrap();
    client.forms().get("f-1", "123").version(3).await.unwrap();

    use Idempotency::{Idempotent as I, NotIdempotent as N};
    let expected = [
        ("POST", "/v1/tasks/search", Some("{}"), I),
        ("GET", "/v1/tasks/7", None, I),
        (
            "PATCH",
            "/v1/tasks/7/assign",
            Some(r#"{"assignee":"demo","allowOverrideAssignment":false}"#),
            N,
        ),
        ("PATCH", "/v1/tasks/7/assign", Some("{}"), N),
        ("PATCH", "/v1/tasks/7/unassign", None, N),
        (
            "PATCH",
            "/v1/tasks/7/complete",
            Some(r#"{"variables":[{"name":"a","value":"1"}]}"#),
            N,
        ),
        ("PATCH", "/v1/tasks/7/complete", Some("{}"), N),
        (
            "POST",
            "/v1/tasks/7/variables",
            Some(r#"{"variables":[{"name":"a","value":"1"}]}"#),
            N,
        ),
        (
            "POST",
            "/v1/tasks/7/variables/search",
            Some(r#"{"variableNames":["a"]}"#),
            I,
        ),
        ("GET", "/v1/variables/v-1", None, I),
        (
            "GET",
            "/v1/forms/f-1?processDefinitionKey=123&version=3",
            None,
            I,
        ),
    ];
    let requests = recorder.requests();
    assert_eq!(requests.len(), expected.len());
    for (request, (method, path, body, idempotency)) in requests.iter().zip(expected) {
        assert_eq!(request.method, method, "{path}");
        assert_eq!(request.uri, format!("http://h{path}"));
        assert_eq!(request.body, body.unwrap_or(""), "{path}");
        assert_eq!(request.idempotency, idempotency, "{path}");
        let accept = if path.ends_with("/variables") {
            "application/json, application/problem+json, */*"
        } else {
            "application/json, application/problem+json"
        };
        assert_eq!(request.header("accept"), Some(accept), "{path}");
        let content_type = body.map(|_| "application/json");
        assert_eq!(request.header("content-type"), content_type, "{path}");
    }
}

#[tokio::test]
async fn search_builder_writes_every_filter() {
    let recorder = Recorder::with(|_| ok("[]"));
    let client = recorder.client("http://h");
    let from = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    let to = jiff::Timestamp::from_second(1_800_000_000).unwrap();
    client
        .tasks()
        .search()
        .state(TaskState::Created)
        .assigned(true)
        .assignee("demo")
        .assignees(["a", "b"])
        .task_definition_id("check")
        .candidate_group("g")
        .candidate_groups(["g1"])
        .candidate_user("u")
        .candidate_users(["u1", "u2"])
        .process_definition_key("11")
        .process_instance_key("22")
        .page_size(10)
        .due_date_from(from)
        .due_date_to(to)
        .follow_up_date_from(from)
        .variable_equals("region", &"EMEA")
        .variable_equals("big", &u64::MAX)
        .tenant_ids(["t1"])
        .tenant_id("t2")
        .sort(TaskSortField::DueDate, SortOrder::Asc)
        .sort(TaskSortField::Priority, SortOrder::Desc)
        .cursor(Cursor::Before(vec!["5".into(), "x".into()]))
        .include_variable("a")
        .include_variable_full_value("b")
        .implementation(Implementation::ZeebeUserTask)
        .priority(10..=90)
        .await
        .unwrap();
    let body = recorder.requests()[0].json();
    assert_eq!(
        body,
        json!({
            "state": "CREATED",
            "assigned": true,
            "assignee": "demo",
            "assignees": ["a", "b"],
            "taskDefinitionId": "check",
            "candidateGroup": "g",
            "candidateGroups": ["g1"],
            "candidateUser": "u",
            "candidateUsers": ["u1", "u2"],
            "processDefinitionKey": "11",
            "processInstanceKey": "22",
            "pageSize": 10,
            "dueDate": {"from": "2023-11-14T22:13:20Z", "to": "2027-01-15T08:00:00Z"},
            "followUpDate": {"from": "2023-11-14T22:13:20Z"},
            "taskVariables": [
                {"name": "region", "value": "\"EMEA\"", "operator": "eq"},
                {"name": "big", "value": "18446744073709551615", "operator": "eq"}
            ],
            "tenantIds": ["t1", "t2"],
            "sort": [
                {"field": "dueDate", "order": "ASC"},
                {"field": "priority", "order": "DESC"}
            ],
            "searchBefore": ["5", "x"],
            "includeVariables": [
                {"name": "a", "alwaysReturnFullValue": false},
                {"name": "b", "alwaysReturnFullValue": true}
            ],
            "implementation": "ZEEBE_USER_TASK",
            "priority": {"gte": 10, "lte": 90}
        })
    );
}

#[test]
fn a_later_cursor_replaces_an_earlier_one() {
    let client = Recorder::new([]).client("http://h");
    let search = client
        .tasks()
        .search()
        .cursor(Cursor::After(vec!["1".into()]))
        .cursor(Cursor::BeforeOrEqual(vec!["2".into()]));
    let request = search.request();
    assert_eq!(request.search_after, None);
    assert_eq!(request.search_before_or_equal, Some(vec!["2".into()]));
}

#[tokio::test]
async fn rule_violations_are_caught_before_sending() {
    let recorder = Recorder::new([]);
    let client = recorder.client("http://h");

    let two_cursors = TaskSearchRequest {
        search_after: Some(vec!["1".into()]),
        search_before_or_equal: Some(vec!["2".into()]),
        ..TaskSearchRequest::default()
    };
    let zero_page = TaskSearchRequest {
        page_size: Some(0),
        ..TaskSearchRequest::default()
    };

    let failures = [
        client.tasks().search_with(two_cursors).send(),
        client.tasks().search_with(zero_page).send(),
        client.tasks().search().page_size(u32::MAX).send(),
        client.tasks().search().priority(-1..).send(),
        client.tasks().search().priority(..=101).send(),
        client.tasks().search().priority_eq(500).send(),
        client.tasks().search().cursor(Cursor::After(vec![])).send(),
        client
            .tasks()
            .search()
            .variable_equals("m", &std::collections::HashMap::from([((1, 2), 3)]))
            .send(),
    ];
    for failure in failures {
        let e = failure.await.unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
    }
    let e = client
        .tasks()
        .variables("7")
        .search()
        .name("a")
        .include("b")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("variableNames and includeVariables"));
    assert_eq!(recorder.count(), 0);

    // Priorities at the limits are fine.
    assert!(
        client
            .tasks()
            .search()
            .priority(0..=100)
            .into_request()
            .is_ok()
    );
}

#[tokio::test]
async fn error_responses_become_typed_errors() {
    let recorder = Recorder::new([
        json_response(
            404,
            r#"{"status":404,"message":"task 7 not found","instance":"i-1"}"#,
        ),
        json_response(
            400,
            r#"{"status":400,"message":"Task is not assigned","instance":"i-2"}"#,
        ),
        json_response(403, "Invalid CSRF token"),
        json_response(200, r#"{"id": 7}"#),
    ]);
    let client = recorder.client("http://h");
    let e = client.tasks().get("7").await.unwrap_err();
    assert!(e.is_not_found());
    assert_eq!(e.server_message(), Some("task 7 not found"));
    let e = client.tasks().complete("7").await.unwrap_err();
    assert!(matches!(&e, Error::InvalidRequest(api) if api.instance() == Some("i-2")));
    let e = client.tasks().unassign("7").await.unwrap_err();
    assert!(e.is_csrf());
    let e = client.tasks().get("7").await.unwrap_err();
    assert!(matches!(&e, Error::Decode { excerpt, .. } if excerpt == r#"{"id": 7}"#));
}

#[test]
fn futures_and_builders_are_send_and_static() {
    fn send_static<T: Send + 'static>(_: &T) {}
    let client = Recorder::new([]).client("http://h");
    send_static(&client.tasks().search());
    send_static(&client.tasks().search().send());
    send_static(&client.tasks().search().into_stream());
    send_static(&client.tasks().get("1").send());
    send_static(&client.tasks().complete("1").send());
    send_static(&client.tasks().variables("1").search().send());
}

#[test]
fn cursor_from_results() {
    let task: TaskSearchResult =
        serde_json::from_value(json!({"id": "7", "sortValues": ["a", "b"]})).unwrap();
    assert_eq!(
        Cursor::before(&task).unwrap(),
        Cursor::Before(vec!["a".into(), "b".into()])
    );
    let empty: TaskSearchResult =
        serde_json::from_value(json!({"id": "8", "sortValues": []})).unwrap();
    let e = Cursor::after(&empty).unwrap_err();
    assert!(matches!(e, Error::MissingSortValues { task_id: Some(id) } if id.as_str() == "8"));
}
