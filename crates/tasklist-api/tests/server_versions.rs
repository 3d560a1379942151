//! One client for every Camunda version that has this API: responses shaped by each spec a
//! Tasklist server from 8.3.0 to 8.7.0 generates about itself (`spec/server-generated/`)
//! decode, through the models and through the client over real HTTP, with every field kept.
//!
//! The fixtures come from the specs' schemas (see `support/fixtures.rs`): every property
//! present with a value of its type (each enum value in one of them), every property `null`,
//! no property at all, and the schemas' examples where they have any.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use std::collections::BTreeSet;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tasklist_api::models::{
    ErrorResponse, Form, Implementation, Task, TaskSearchResult, TaskState, TaskVariable, Variable,
};
use tasklist_api::{Client, Variables};

use support::Scripted;
use support::fixtures::{Endpoint, Fixture, load_all, version_key, without_nulls};

const VERSIONS: [&str; 9] = [
    "8.3.0", "8.3.1", "8.3.3", "8.4.0", "8.5.0", "8.5.3", "8.5.7", "8.6.0", "8.7.0",
];

const TASK_ID: &str = "2251799813685249";
const VARIABLE_ID: &str = "2251799813685249-amount";
const FORM_ID: &str = "userTaskForm_1";
const PROCESS_DEFINITION_KEY: &str = "2251799813685250";

/// Decodes `body` as `T` and checks nothing was lost or changed: serialising the model gives
/// back the body without its `null`s, and a body with nothing but `null`s is the default.
fn decode_exactly<T>(context: &str, body: &Value) -> T
where
    T: DeserializeOwned + Serialize + Default + PartialEq + std::fmt::Debug,
{
    let decoded: T = serde_json::from_value(body.clone())
        .unwrap_or_else(|e| panic!("{context}: does not decode: {e}\n{body:#}"));
    let expected = without_nulls(body);
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        expected,
        "{context}: the model lost or changed a field"
    );
    if expected == json!({}) {
        assert_eq!(decoded, T::default(), "{context}");
    }
    decoded
}

/// Decodes a success body of `endpoint` through the model the client uses for it, item by item
/// for arrays; returns how many objects were checked.
fn decode_response(context: &str, endpoint: Endpoint, body: &Value) -> usize {
    fn each<T>(context: &str, body: &Value) -> usize
    where
        T: DeserializeOwned + Serialize + Default + PartialEq + std::fmt::Debug,
    {
        let items = body.as_array().unwrap();
        let all: Vec<T> = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(all.len(), items.len(), "{context}");
        for (i, item) in items.iter().enumerate() {
            let one: T = decode_exactly(&format!("{context} item {i}"), item);
            assert_eq!(one, all[i], "{context} item {i}");
        }
        items.len()
    }
    match endpoint {
        Endpoint::SearchTasks => each::<TaskSearchResult>(context, body),
        Endpoint::SearchTaskVariables => each::<TaskVariable>(context, body),
        Endpoint::GetTask
        | Endpoint::AssignTask
        | Endpoint::UnassignTask
        | Endpoint::CompleteTask => {
            decode_exactly::<Task>(context, body);
            1
        }
        Endpoint::GetVariable => {
            decode_exactly::<Variable>(context, body);
            1
        }
        Endpoint::GetForm => {
            decode_exactly::<Form>(context, body);
            1
        }
        Endpoint::SaveDraftVariables => panic!("{context}: 204 has no body"),
    }
}

#[test]
fn every_version_from_8_3_to_8_7_is_vendored_with_the_nine_endpoints() {
    let specs = load_all();
    let versions: Vec<&str> = specs.iter().map(|s| s.version.as_str()).collect();
    assert_eq!(versions, VERSIONS);
    for spec in &specs {
        let endpoints = spec.endpoints();
        assert_eq!(
            endpoints.keys().copied().collect::<Vec<_>>(),
            Endpoint::ALL.to_vec(),
            "{}",
            spec.version
        );
        for (endpoint, (status, schema)) in &endpoints {
            if *endpoint == Endpoint::SaveDraftVariables {
                assert_eq!((*status, schema.is_none()), (204, true), "{}", spec.version);
            } else {
                assert_eq!(*status, 200, "{} {endpoint:?}", spec.version);
                assert!(schema.is_some(), "{} {endpoint:?}", spec.version);
            }
        }
    }
}

#[test]
fn every_response_shape_of_every_version_decodes_into_the_models() {
    let mut checked = 0;
    for spec in load_all() {
        for (endpoint, (_, schema)) in spec.endpoints() {
            let Some(schema) = schema else { continue };
            for fixture in spec.fixtures(&schema) {
                let context = format!("{} {endpoint:?} {}", spec.version, fixture.name);
                checked += decode_response(&context, endpoint, &fixture.body);
            }
        }
    }
    // 9 versions × 8 endpoints with content, several fixtures each.
    assert!(checked > 9 * 8 * 4, "only {checked} objects checked");
}

/// The generator really fills every property, so the round trip above covers each of them.
#[test]
fn the_full_fixtures_hold_every_property_of_their_schema() {
    for spec in load_all() {
        for (endpoint, (_, schema)) in spec.endpoints() {
            let Some(schema) = schema else { continue };
            let item = if schema["type"] == "array" {
                spec.resolve(&schema["items"]).clone()
            } else {
                schema.clone()
            };
            let expected: BTreeSet<&String> =
                item["properties"].as_object().unwrap().keys().collect();
            for fixture in spec.fixtures(&schema) {
                if !fixture.name.starts_with("full") {
                    continue;
                }
                let objects = match &fixture.body {
                    Value::Array(items) => items.clone(),
                    object => vec![object.clone()],
                };
                for object in objects {
                    let present: BTreeSet<&String> = object
                        .as_object()
                        .unwrap()
                        .iter()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(k, _)| k)
                        .collect();
                    assert_eq!(present, expected, "{} {endpoint:?}", spec.version);
                }
            }
        }
    }
}

/// `(first version, property of TaskSearchResponse)` as `spec/README.md` records the changes.
const ADDED: [(&str, &str); 9] = [
    ("8.3.1", "tenantId"),
    ("8.4.0", "formId"),
    ("8.4.0", "formVersion"),
    ("8.4.0", "isFormEmbedded"),
    ("8.4.0", "variables"),
    ("8.5.0", "implementation"),
    ("8.5.0", "context"),
    ("8.6.0", "priority"),
    ("8.3.0", "sortValues"),
];

#[test]
fn fields_added_by_later_versions_come_through_in_the_versions_that_have_them() {
    for spec in load_all() {
        let properties = spec.property_names("TaskSearchResponse");
        for (since, property) in ADDED {
            assert_eq!(
                properties.contains(&property.to_owned()),
                version_key(&spec.version) >= version_key(since),
                "{}: {property} (from {since})",
                spec.version
            );
        }
        let has = |p: &str| properties.contains(&p.to_owned());
        let schema = spec.endpoints()[&Endpoint::SearchTasks].1.clone().unwrap();
        let full = &spec.fixtures(&schema)[0];
        assert_eq!(full.name, "full");
        let tasks: Vec<TaskSearchResult> = serde_json::from_value(full.body.clone()).unwrap();
        let mut states = BTreeSet::new();
        let mut implementations = BTreeSet::new();
        for (task, raw) in tasks.iter().zip(full.body.as_array().unwrap()) {
            let v = spec.version.as_str();
            assert_eq!(task.context.is_some(), has("context"), "{v}");
            assert_eq!(task.context.as_deref(), raw["context"].as_str(), "{v}");
            assert_eq!(task.priority.is_some(), has("priority"), "{v}");
            assert_eq!(
                task.priority.map(i64::from),
                raw["priority"].as_i64(),
                "{v}"
            );
            assert_eq!(task.implementation.is_some(), has("implementation"), "{v}");
            assert_eq!(task.tenant_id.is_some(), has("tenantId"), "{v}");
            assert_eq!(task.form_version.is_some(), has("formVersion"), "{v}");
            assert_eq!(task.form_version, raw["formVersion"].as_i64(), "{v}");
            assert_eq!(task.variables.is_some(), has("variables"), "{v}");
            if let Some(variables) = &task.variables {
                assert_eq!(variables.len(), 2, "{v}");
                assert!(variables.iter().all(|var| var.draft.is_some()), "{v}");
            }
            assert_eq!(
                task.creation_date.as_ref().map(|t| t.as_str()),
                raw["creationDate"].as_str(),
                "{v}"
            );
            // Every date the generator writes is one Tasklist could send, so each parses.
            for date in [&task.creation_date, &task.due_date, &task.follow_up_date] {
                let date = date.as_ref().unwrap();
                date.to_jiff()
                    .unwrap_or_else(|e| panic!("{v}: {date} does not parse: {e}"));
            }
            let state = task.task_state.clone().unwrap();
            assert!(
                !matches!(state, TaskState::Unknown(_)),
                "{v}: {state:?} is a state the spec lists"
            );
            states.insert(state.as_str().to_owned());
            if let Some(implementation) = &task.implementation {
                assert!(
                    !matches!(implementation, Implementation::Unknown(_)),
                    "{v}: {implementation:?}"
                );
                implementations.insert(implementation.as_str().to_owned());
            }
        }
        // Each state the version lists is decoded as a known state in one fixture or another.
        let listed: BTreeSet<String> = spec.schema("TaskSearchResponse")["properties"]["taskState"]
            ["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(states, listed, "{}", spec.version);
        assert_eq!(
            states.contains("FAILED"),
            version_key(&spec.version) >= version_key("8.5.0"),
            "{}",
            spec.version
        );
        if has("implementation") {
            assert_eq!(
                implementations,
                BTreeSet::from(["JOB_WORKER".to_owned(), "ZEEBE_USER_TASK".to_owned()]),
                "{}",
                spec.version
            );
        }
    }
}

/// Calls `endpoint` through the client and gives back what it returned, serialised.
async fn call(client: &Client, endpoint: Endpoint) -> Value {
    let tasks = client.tasks();
    match endpoint {
        Endpoint::SearchTasks => json(tasks.search().page_size(50).send().await.unwrap()),
        Endpoint::GetTask => json(tasks.get(TASK_ID).await.unwrap()),
        Endpoint::AssignTask => json(tasks.assign(TASK_ID).assignee("demo").await.unwrap()),
        Endpoint::UnassignTask => json(tasks.unassign(TASK_ID).await.unwrap()),
        Endpoint::CompleteTask => json(tasks.complete(TASK_ID).await.unwrap()),
        Endpoint::SaveDraftVariables => {
            let variables = Variables::new().with("amount", &42).unwrap();
            tasks
                .save_draft_variables(TASK_ID, variables)
                .await
                .unwrap();
            Value::Null
        }
        Endpoint::SearchTaskVariables => json(tasks.variables(TASK_ID).search().await.unwrap()),
        Endpoint::GetVariable => json(client.variables().get(VARIABLE_ID).await.unwrap()),
        Endpoint::GetForm => json(
            client
                .forms()
                .get(FORM_ID, PROCESS_DEFINITION_KEY)
                .await
                .unwrap(),
        ),
    }
}

fn json(value: impl Serialize) -> Value {
    serde_json::to_value(value).unwrap()
}

/// The path the client must have requested for `endpoint`.
fn expected_path(endpoint: Endpoint) -> String {
    let (template, _) = endpoint.route();
    template
        .replace("{taskId}", TASK_ID)
        .replace("{variableId}", VARIABLE_ID)
        .replace("{formId}", FORM_ID)
}

#[tokio::test]
async fn the_client_decodes_every_response_shape_of_every_version_over_http() {
    let server = Scripted::start().await;
    let client = support::client(server.base());
    let mut calls = 0;
    for spec in load_all() {
        for (endpoint, (status, schema)) in spec.endpoints() {
            let fixtures = match &schema {
                Some(schema) => spec.fixtures(schema),
                None => vec![Fixture {
                    name: "no content".into(),
                    body: Value::Null,
                }],
            };
            for fixture in fixtures {
                let context = format!("{} {endpoint:?} {}", spec.version, fixture.name);
                if schema.is_some() {
                    server.reply_json(status, &fixture.body);
                } else {
                    server.reply(status, None, "");
                }
                let returned = call(&client, endpoint).await;
                assert_eq!(returned, without_nulls(&fixture.body), "{context}");
                calls += 1;

                let request = server.received_one();
                let (_, method) = endpoint.route();
                assert_eq!(request.method.as_str(), method.to_uppercase(), "{context}");
                assert_eq!(request.path, expected_path(endpoint), "{context}");
                if endpoint == Endpoint::GetForm {
                    assert_eq!(
                        request.query.as_deref(),
                        Some("processDefinitionKey=2251799813685250"),
                        "{context}"
                    );
                }
            }
        }
    }
    assert!(calls > 9 * 9 * 3, "only {calls} calls");
}

#[tokio::test]
async fn every_version_error_body_keeps_its_message_through_the_client() {
    let server = Scripted::start().await;
    let client = support::client(server.base());
    for spec in load_all() {
        let schema = spec.schema("Error").clone();
        for status in [400_u16, 403, 404, 409, 500] {
            let context = format!("{} Error {status}", spec.version);
            let mut body = spec.instance(&schema, "", 0, 0);
            let message = format!("task {TASK_ID} is not active ({}) — ünïcödé", spec.version);
            body["status"] = json!(status);
            body["message"] = json!(message);
            // The model keeps every field of this version's Error schema.
            let decoded: ErrorResponse = decode_exactly(&context, &body);
            assert_eq!(decoded.message.as_deref(), Some(message.as_str()));

            server.reply(status, Some("application/problem+json"), body.to_string());
            let error = client.tasks().get(TASK_ID).await.unwrap_err();
            assert_eq!(
                error.status().map(|s| s.as_u16()),
                Some(status),
                "{context}: {error:?}"
            );
            assert_eq!(
                error.server_message(),
                Some(message.as_str()),
                "{context}: {error:?}"
            );
            assert_eq!(error.is_not_found(), status == 404, "{context}");
            server.received_one();
        }

        // An Error with every field null still gives a typed error with its status.
        for fixture in spec.fixtures(&schema) {
            if fixture.name.starts_with("full") {
                continue;
            }
            let context = format!("{} Error {}", spec.version, fixture.name);
            decode_exactly::<ErrorResponse>(&context, &fixture.body);
            server.reply(
                404,
                Some("application/problem+json"),
                fixture.body.to_string(),
            );
            let error = client.tasks().get(TASK_ID).await.unwrap_err();
            assert!(error.is_not_found(), "{context}: {error:?}");
            assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{context}");
            server.received_one();
        }
    }
}

/// Guards the helper above: the Error schema of every version has exactly these fields.
#[test]
fn the_error_schema_is_the_same_in_every_version() {
    for spec in load_all() {
        assert_eq!(
            spec.property_names("Error"),
            ["instance", "message", "status"],
            "{}",
            spec.version
        );
    }
}
