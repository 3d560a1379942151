//! Unit tests of the common interface: what each API's request says for one neutral search,
//! and the answers it reads.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use serde_json::json;

use crate::testing::{Recorder, json_response};
use crate::{ApiVersion, Client, Error};

use super::{SortField, TaskState};

fn client(recorder: &Recorder, version: ApiVersion) -> Client {
    Client::builder("http://h")
        .transport(Arc::new(recorder.clone()))
        .api_version(version)
        .build()
        .unwrap()
}

fn search(client: &Client) -> super::Search {
    client
        .human_tasks()
        .search()
        .state(TaskState::Created)
        .assigned(false)
        .candidate_groups(["a", "b"])
        .candidate_user("demo")
        .process_definition_key("11")
        .task_definition_id("review")
        .due_date_from("2026-12-01T00:00:00Z".parse().unwrap())
        .due_date_to("2026-12-31T00:00:00Z".parse().unwrap())
        .priority(10..90)
        .tenant_id("t")
        .sort_desc(SortField::DueDate)
        .page_size(20)
}

#[tokio::test]
async fn one_neutral_search_as_a_v1_request() {
    let recorder = Recorder::new([json_response(
        200,
        r#"[{"id":"7","name":"Check","taskState":"CREATED","sortValues":["1","7"],"candidateGroups":["a"]}]"#,
    )]);
    let found = search(&client(&recorder, ApiVersion::V1))
        .send()
        .await
        .unwrap();
    assert_eq!((found[0].key(), found[0].name()), ("7", Some("Check")));
    assert_eq!(found[0].candidate_groups(), ["a"]);
    let sent = &recorder.requests()[0];
    assert_eq!(sent.uri, "http://h/v1/tasks/search");
    assert_eq!(
        sent.json(),
        json!({
            "state": "CREATED", "assigned": false, "candidateGroups": ["a", "b"],
            "candidateUser": "demo", "processDefinitionKey": "11", "taskDefinitionId": "review",
            "dueDate": {"from": "2026-12-01T00:00:00Z", "to": "2026-12-31T00:00:00Z"},
            "priority": {"gte": 10, "lt": 90}, "tenantIds": ["t"],
            "sort": [{"field": "dueDate", "order": "DESC"}], "pageSize": 20
        })
    );
}

#[tokio::test]
async fn one_neutral_search_as_a_v2_request() {
    let recorder = Recorder::new([json_response(
        200,
        r#"{"items":[{"userTaskKey":"7","name":"Check","state":"COMPLETING"}],"page":{"totalItems":1}}"#,
    )]);
    let found = search(&client(&recorder, ApiVersion::V2))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (found[0].key(), found[0].state()),
        ("7", TaskState::Completing)
    );
    let sent = &recorder.requests()[0];
    assert_eq!(sent.uri, "http://h/v2/user-tasks/search");
    assert_eq!(
        sent.json(),
        json!({
            "page": {"limit": 20},
            "sort": [{"field": "dueDate", "order": "DESC"}],
            "filter": {
                "state": "CREATED", "assignee": {"$exists": false},
                "candidateGroup": {"$in": ["a", "b"]}, "candidateUser": "demo",
                "processDefinitionKey": "11", "elementId": "review",
                "dueDate": {"$gte": "2026-12-01T00:00:00Z", "$lte": "2026-12-31T00:00:00Z"},
                "priority": {"$gte": 10, "$lt": 90}, "tenantId": "t"
            }
        })
    );
}

#[tokio::test]
async fn what_an_api_lacks_is_unsupported_and_sends_nothing() {
    let recorder = Recorder::new([]);
    let v1 = client(&recorder, ApiVersion::V1);
    let error = v1
        .human_tasks()
        .update("1")
        .priority(1)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Unsupported {
                api: crate::Api::V1,
                ..
            }
        ),
        "{error}"
    );
    assert!(v1.human_tasks().history("1").await.is_err());
    let v2 = client(&recorder, ApiVersion::V2);
    let draft = crate::Variables::new().with("a", &1).unwrap();
    let error = v2
        .human_tasks()
        .save_draft_variables("1", draft)
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("draft variables is not supported on API v2"),
        "{error}"
    );
    assert_eq!(recorder.count(), 0);
}

#[tokio::test]
async fn assign_sends_the_override_rule_explicitly_on_both_apis() {
    let recorder = Recorder::new([
        json_response(200, r#"{"id":"1","assignee":"demo","taskState":"CREATED"}"#),
        json_response(204, ""),
    ]);
    client(&recorder, ApiVersion::V1)
        .human_tasks()
        .assign("1", "demo")
        .send()
        .await
        .unwrap();
    client(&recorder, ApiVersion::V2)
        .human_tasks()
        .assign("1", "demo")
        .send()
        .await
        .unwrap();
    let sent = recorder.requests();
    assert_eq!(
        sent[0].json(),
        json!({"assignee": "demo", "allowOverrideAssignment": false})
    );
    assert_eq!(
        sent[1].json(),
        json!({"assignee": "demo", "allowOverride": false})
    );
}

#[tokio::test]
async fn an_assignee_with_assigned_asks_for_both_on_v2_as_on_v1() {
    let page = r#"{"items":[],"page":{"totalItems":0}}"#;
    let recorder = Recorder::new([json_response(200, "[]"), json_response(200, page)]);
    for version in [ApiVersion::V1, ApiVersion::V2] {
        let client = client(&recorder, version);
        let search = client
            .human_tasks()
            .search()
            .assignee("demo")
            .assigned(true);
        assert!(search.send().await.unwrap().is_empty());
    }
    let sent = recorder.requests();
    assert_eq!(
        sent[0].json(),
        json!({"assignee": "demo", "assigned": true})
    );
    assert_eq!(
        sent[1].json()["filter"],
        json!({"assignee": {"$eq": "demo", "$exists": true}})
    );
}

#[tokio::test]
async fn one_variable_by_each_apis_own_id() {
    // v1: the variable id, the whole value; the draft is left out, no value reads as null.
    let recorder = Recorder::new([
        json_response(
            200,
            r#"{"id":"7-note","name":"note","value":"\"say \\\"hi\\\"\"","draft":{"value":"1"}}"#,
        ),
        json_response(200, r#"{"id":"7-gone","name":"gone"}"#),
    ]);
    let v1 = client(&recorder, ApiVersion::V1);
    let note = v1.human_tasks().variable("7-note").await.unwrap();
    assert_eq!(
        (note.name.as_str(), note.value.as_str()),
        ("note", r#""say \"hi\"""#)
    );
    assert_eq!(note.decode::<String>().unwrap(), r#"say "hi""#);
    let gone = v1.human_tasks().variable("7-gone").await.unwrap();
    assert_eq!(gone.value, "null");
    let sent = recorder.requests();
    assert_eq!(sent[0].method, "GET");
    assert_eq!(sent[0].uri, "http://h/v1/variables/7-note");
    assert_eq!(
        sent[0].idempotency,
        tasklist_transport::Idempotency::Idempotent
    );
    // An empty id is no id: nothing is sent.
    let error = v1.human_tasks().variable("").await.unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    assert_eq!(recorder.count(), 2);

    // v2: the variable key.
    let recorder = Recorder::new([
        json_response(
            200,
            r#"{"variableKey":"42","name":"big","value":"18446744073709551615","tenantId":"<default>","scopeKey":"1","processInstanceKey":"1"}"#,
        ),
        json_response(
            404,
            r#"{"type":"about:blank","title":"NOT_FOUND","status":404,"detail":"Variable with key '43' not found","instance":"/v2/variables/43"}"#,
        ),
    ]);
    let v2 = client(&recorder, ApiVersion::V2);
    let big = v2.human_tasks().variable("42").await.unwrap();
    assert_eq!(
        (big.name.as_str(), big.value.as_str()),
        ("big", "18446744073709551615")
    );
    assert_eq!(big.decode::<u64>().unwrap(), u64::MAX);
    let missing = v2.human_tasks().variable("43").await.unwrap_err();
    assert!(missing.is_not_found(), "{missing:?}");
    let sent = recorder.requests();
    assert_eq!(sent[0].uri, "http://h/v2/variables/42");
    assert_eq!(
        sent[0].idempotency,
        tasklist_transport::Idempotency::Idempotent
    );
    // A v1 id is not a v2 key: nothing is sent.
    let error = v2.human_tasks().variable("7-note").await.unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    assert!(error.to_string().contains("variable key"), "{error}");
    assert_eq!(recorder.count(), 2);
}
