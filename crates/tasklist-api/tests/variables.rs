//! Variable values round-trip over real HTTP. A loopback server stands in for Tasklist: it
//! keeps what `complete` and `save_draft_variables` send and serves it back from the variable
//! search, the variable lookup and the task search the way Tasklist does (each value is JSON
//! text inside a JSON string; values longer than Tasklist's 8191-character threshold come back
//! truncated unless the full value is asked for). It also checks that every value it receives
//! is one well-formed JSON value.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tasklist_api::models::{TaskVariable, Variable};
use tasklist_api::{Client, Error, ValueState, Variables, decode_all};

const TASK: &str = "2251799813685249";
/// Tasklist's default `variableSizeThreshold`: longer values are served truncated.
const THRESHOLD: usize = 8191;

#[derive(Default)]
struct Store {
    /// Name → JSON text, in the order first set.
    variables: Vec<(String, String)>,
    drafts: Vec<(String, String)>,
    violations: Vec<String>,
}

type Shared = Arc<Mutex<Store>>;

fn set(list: &mut Vec<(String, String)>, name: String, value: String) {
    match list.iter_mut().find(|(n, _)| *n == name) {
        Some(entry) => entry.1 = value,
        None => list.push((name, value)),
    }
}

/// Reads `{"variables":[{"name":…,"value":…}]}`, checking each value is one JSON value.
fn read_inputs(store: &mut Store, body: &[u8]) -> Vec<(String, String)> {
    let body: Value = match serde_json::from_slice(body) {
        Ok(body) => body,
        Err(e) => {
            store.violations.push(format!("body is not JSON: {e}"));
            return Vec::new();
        }
    };
    let mut inputs = Vec::new();
    for input in body["variables"].as_array().cloned().unwrap_or_default() {
        let (Some(name), Some(value)) = (input["name"].as_str(), input["value"].as_str()) else {
            store
                .violations
                .push(format!("an input without a string name and value: {input}"));
            continue;
        };
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(value) {
            store
                .violations
                .push(format!("`{name}` is not JSON text: {e}: {value:?}"));
        }
        inputs.push((name.to_owned(), value.to_owned()));
    }
    inputs
}

fn task_json(state: &str) -> Value {
    json!({"id": TASK, "name": "Review", "taskState": state, "assignee": "demo"})
}

async fn complete(
    State(store): State<Shared>,
    Path(task): Path<String>,
    body: axum::body::Bytes,
) -> axum::Json<Value> {
    let mut store = store.lock().unwrap();
    if task != TASK {
        store.violations.push(format!("complete: task {task}"));
    }
    for (name, value) in read_inputs(&mut store, &body) {
        set(&mut store.variables, name, value);
    }
    // Completing applies the variables; the drafts are gone.
    store.drafts.clear();
    axum::Json(task_json("COMPLETED"))
}

async fn save_drafts(
    State(store): State<Shared>,
    Path(task): Path<String>,
    body: axum::body::Bytes,
) -> StatusCode {
    let mut store = store.lock().unwrap();
    if task != TASK {
        store.violations.push(format!("save drafts: task {task}"));
    }
    // Each call replaces every draft (Tasklist deletes the previous ones).
    let drafts = read_inputs(&mut store, &body);
    store.drafts.clear();
    for (name, value) in drafts {
        set(&mut store.drafts, name, value);
    }
    StatusCode::NO_CONTENT
}

fn variable_id(name: &str) -> String {
    format!("{TASK}-{name}")
}

/// A search result for one variable, truncated past the threshold unless `full`.
fn search_result(name: &str, value: Option<&str>, draft: Option<&str>, full: bool) -> Value {
    let cut = |text: &str| -> (Value, bool, String) {
        let long = text.chars().count() > THRESHOLD;
        let preview: String = text.chars().take(THRESHOLD).collect();
        if long && !full {
            (Value::Null, true, preview)
        } else {
            (json!(text), long, preview)
        }
    };
    let mut result = json!({"id": variable_id(name), "name": name});
    if let Some(value) = value {
        let (value, truncated, preview) = cut(value);
        result["value"] = value;
        result["isValueTruncated"] = json!(truncated);
        result["previewValue"] = json!(preview);
    }
    if let Some(draft) = draft {
        let (value, truncated, preview) = cut(draft);
        result["draft"] =
            json!({"value": value, "isValueTruncated": truncated, "previewValue": preview});
    }
    result
}

/// Every variable and every draft-only variable, in order.
fn all_names(store: &Store) -> Vec<String> {
    let mut names: Vec<String> = store.variables.iter().map(|(n, _)| n.clone()).collect();
    for (name, _) in &store.drafts {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
}

fn lookup<'a>(list: &'a [(String, String)], name: &str) -> Option<&'a str> {
    list.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

async fn search_variables(
    State(store): State<Shared>,
    Path(task): Path<String>,
    body: axum::body::Bytes,
) -> axum::Json<Value> {
    let mut store = store.lock().unwrap();
    if task != TASK {
        store
            .violations
            .push(format!("variable search: task {task}"));
    }
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let wanted: Option<Vec<String>> = request["variableNames"].as_array().map(|names| {
        names
            .iter()
            .map(|n| n.as_str().unwrap().to_owned())
            .collect()
    });
    let full: Vec<String> = request["includeVariables"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|i| i["alwaysReturnFullValue"] == true)
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect();
    let results = all_names(&store)
        .into_iter()
        .filter(|name| {
            wanted
                .as_ref()
                .is_none_or(|w| w.is_empty() || w.contains(name))
        })
        .map(|name| {
            search_result(
                &name,
                lookup(&store.variables, &name),
                lookup(&store.drafts, &name),
                full.contains(&name),
            )
        })
        .collect();
    axum::Json(Value::Array(results))
}

async fn get_variable(
    State(store): State<Shared>,
    Path(id): Path<String>,
) -> (StatusCode, axum::Json<Value>) {
    let store = store.lock().unwrap();
    let Some(name) = id.strip_prefix(&format!("{TASK}-")) else {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"status": 404, "message": format!("variable {id} not found")})),
        );
    };
    let Some(value) = lookup(&store.variables, name) else {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"status": 404, "message": format!("variable {id} not found")})),
        );
    };
    let mut variable = json!({"id": id, "name": name, "value": value, "tenantId": "<default>"});
    if let Some(draft) = lookup(&store.drafts, name) {
        variable["draft"] = json!({ "value": draft });
    }
    (StatusCode::OK, axum::Json(variable))
}

/// The task search, with the variables named in `includeVariables`.
async fn search_tasks(State(store): State<Shared>, body: axum::body::Bytes) -> axum::Json<Value> {
    let store = store.lock().unwrap();
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut task = task_json("CREATED");
    task["sortValues"] = json!(["1696422924713", TASK]);
    if let Some(include) = request["includeVariables"].as_array() {
        let variables: Vec<Value> = include
            .iter()
            .filter_map(|i| {
                let name = i["name"].as_str()?;
                let value = lookup(&store.variables, name)?;
                let full = i["alwaysReturnFullValue"] == true;
                let mut result = search_result(name, Some(value), None, full);
                // A task's variables never carry a draft.
                result.as_object_mut()?.remove("draft");
                Some(result)
            })
            .collect();
        task["variables"] = Value::Array(variables);
    }
    axum::Json(json!([task]))
}

struct Tasklist {
    store: Shared,
    client: Client,
    _server: support::Loopback,
}

impl Tasklist {
    async fn start() -> Tasklist {
        let store = Shared::default();
        let router = axum::Router::new()
            .route("/v1/tasks/{task}/complete", patch(complete))
            .route("/v1/tasks/{task}/variables", post(save_drafts))
            .route("/v1/tasks/{task}/variables/search", post(search_variables))
            .route("/v1/tasks/search", post(search_tasks))
            .route("/v1/variables/{id}", get(get_variable))
            .with_state(store.clone());
        let server = support::serve(router).await;
        Tasklist {
            store,
            client: support::client(&server.base),
            _server: server,
        }
    }

    /// What the server received for `name`, as JSON text.
    fn received(&self, name: &str) -> String {
        lookup(&self.store.lock().unwrap().variables, name)
            .unwrap()
            .to_owned()
    }

    fn assert_no_violations(&self) {
        let violations = self.store.lock().unwrap().violations.clone();
        assert!(violations.is_empty(), "{violations:#?}");
    }

    async fn search(&self) -> BTreeMap<String, TaskVariable> {
        self.client
            .tasks()
            .variables(TASK)
            .search()
            .await
            .unwrap()
            .into_iter()
            .map(|v| (v.name.clone().unwrap(), v))
            .collect()
    }
}

/// Values that are easy to get wrong, each as the `serde_json::Value` it must come back as.
fn tricky() -> Vec<(&'static str, Value)> {
    vec![
        ("quotes", json!(r#"she said "hi" and 'bye'"#)),
        (
            "backslashes",
            json!(r"C:\temp\new \\server\share \u0041 \n"),
        ),
        ("newlines", json!("line 1\nline 2\r\nline 3\ttabbed")),
        (
            "controls",
            json!("nul \u{0} bell \u{7} escape \u{1b} del \u{7f}"),
        ),
        (
            "unicode",
            json!("Zoë, Ærøskøbing, 東京, Ελλάδα, עברית, \u{200b}zero-width"),
        ),
        ("emoji", json!("🦀 👩🏽‍💻 🇩🇪 👍🏿 \u{1F600}")),
        ("json_looking", json!(r#"{"not": "an object"}"#)),
        ("empty_string", json!("")),
        ("u64_max", json!(u64::MAX)),
        ("i64_min", json!(i64::MIN)),
        ("above_f64", json!(9_007_199_254_740_993_u64)),
        ("float", json!(0.1)),
        ("tiny_float", json!(5e-324)),
        ("huge_float", json!(1.797_693_134_862_315_7e308)),
        ("negative_zero", json!(-0.0)),
        ("null", Value::Null),
        ("true", json!(true)),
        (
            "nested",
            json!({
                "a": [1, -2, 3.5, null, true, "x\"y", [[], {}]],
                "b": {"c": {"d": {"e": [u64::MAX, i64::MIN]}}},
                "unicode key ✓": "value",
                "": "empty key"
            }),
        ),
        ("array", json!([null, [null], {"k": null}])),
        ("empty_object", json!({})),
        ("empty_array", json!([])),
    ]
}

#[tokio::test]
async fn tricky_values_survive_complete_then_search_and_lookup() {
    let tasklist = Tasklist::start().await;
    let mut variables = Variables::new();
    for (name, value) in tricky() {
        variables.insert(name, &value).unwrap();
    }
    let task = tasklist
        .client
        .tasks()
        .complete(TASK)
        .variables(variables)
        .await
        .unwrap();
    assert_eq!(task.task_state.unwrap().as_str(), "COMPLETED");
    tasklist.assert_no_violations();

    let found = tasklist.search().await;
    assert_eq!(found.len(), tricky().len());
    for (name, expected) in tricky() {
        // On the wire: JSON text of exactly that value.
        let received = tasklist.received(name);
        assert_eq!(
            serde_json::from_str::<Value>(&received).unwrap(),
            expected,
            "{name}: sent as {received:?}"
        );
        // Back from the search and from the lookup by id.
        let variable = &found[name];
        assert_eq!(variable.value_state(), ValueState::Full(received.as_str()));
        assert_eq!(variable.decode::<Value>().unwrap(), expected, "{name}");
        let looked_up = tasklist
            .client
            .variables()
            .get(variable.id.clone().unwrap())
            .await
            .unwrap();
        assert_eq!(looked_up.decode::<Value>().unwrap(), expected, "{name}");
    }

    // Typed decoding keeps numbers exact and strings intact.
    assert_eq!(found["u64_max"].decode::<u64>().unwrap(), u64::MAX);
    assert_eq!(found["i64_min"].decode::<i64>().unwrap(), i64::MIN);
    assert_eq!(
        found["above_f64"].decode::<u64>().unwrap(),
        9_007_199_254_740_993
    );
    assert_eq!(found["float"].decode::<f64>().unwrap(), 0.1);
    assert_eq!(found["tiny_float"].decode::<f64>().unwrap(), 5e-324);
    assert!(
        found["negative_zero"]
            .decode::<f64>()
            .unwrap()
            .is_sign_negative()
    );
    assert_eq!(found["null"].decode::<Option<String>>().unwrap(), None);
    assert_eq!(
        found["emoji"].decode::<String>().unwrap(),
        "🦀 👩🏽‍💻 🇩🇪 👍🏿 \u{1F600}"
    );
    assert_eq!(
        found["controls"].decode::<String>().unwrap(),
        "nul \u{0} bell \u{7} escape \u{1b} del \u{7f}"
    );
    // A string that looks like JSON stays a string.
    assert_eq!(
        found["json_looking"].decode::<String>().unwrap(),
        r#"{"not": "an object"}"#
    );
    // A value of the wrong type is a typed error naming the variable, not a panic.
    let error = found["quotes"].decode::<u64>().unwrap_err();
    assert!(
        matches!(&error, Error::VariableDecode { name, .. } if name == "quotes"),
        "{error:?}"
    );
}

#[tokio::test]
async fn i128_values_round_trip_exactly() {
    let tasklist = Tasklist::start().await;
    let values = [
        ("i128_max", i128::MAX),
        ("i128_min", i128::MIN),
        ("u64_max_plus_one", i128::from(u64::MAX) + 1),
        ("i64_min_minus_one", i128::from(i64::MIN) - 1),
        ("small", -7),
    ];
    let mut variables = Variables::new();
    for (name, value) in values {
        variables.insert(name, &value).unwrap();
    }
    tasklist
        .client
        .tasks()
        .complete(TASK)
        .variables(variables)
        .await
        .unwrap();
    tasklist.assert_no_violations();
    let found = tasklist.search().await;
    for (name, value) in values {
        assert_eq!(tasklist.received(name), value.to_string(), "{name}");
        assert_eq!(found[name].decode::<i128>().unwrap(), value, "{name}");
    }
    let max = u128::MAX;
    tasklist
        .client
        .tasks()
        .complete(TASK)
        .variables(Variables::new().with("u128_max", &max).unwrap())
        .await
        .unwrap();
    let found = tasklist.search().await;
    assert_eq!(found["u128_max"].decode::<u128>().unwrap(), max);
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Order {
    id: u64,
    exact: i128,
    total: f64,
    customer: Customer,
    lines: Vec<Line>,
    note: Option<String>,
    approved: bool,
    tags: BTreeMap<String, Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Customer {
    name: String,
    address: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Line {
    sku: String,
    qty: u32,
    price: f64,
}

fn order() -> Order {
    Order {
        id: u64::MAX,
        exact: i128::MIN,
        // 0.30000000000000004: needs all 17 digits to come back exactly.
        total: 0.1 + 0.2,
        customer: Customer {
            name: "Zoë \"the\" Customer\n🦀".into(),
            address: None,
        },
        lines: vec![
            Line {
                sku: r"A\1".into(),
                qty: 2,
                price: 0.1,
            },
            Line {
                sku: "B/2".into(),
                qty: u32::MAX,
                price: 1e-7,
            },
        ],
        note: None,
        approved: true,
        tags: BTreeMap::from([("ünïcödé".into(), vec!["x".into(), String::new()])]),
    }
}

#[tokio::test]
async fn a_struct_round_trips_through_from_serialize_and_decode_all() {
    let tasklist = Tasklist::start().await;
    let order = order();
    let variables = Variables::from_serialize(&order).unwrap();
    assert_eq!(variables.len(), 8);
    tasklist
        .client
        .tasks()
        .complete(TASK)
        .variables(variables)
        .await
        .unwrap();
    tasklist.assert_no_violations();

    // Through the variable search.
    let found: Vec<TaskVariable> = tasklist
        .client
        .tasks()
        .variables(TASK)
        .search()
        .await
        .unwrap();
    assert_eq!(decode_all::<Order>(&found).unwrap(), order);

    // Only some of them, by name.
    let some = tasklist
        .client
        .tasks()
        .variables(TASK)
        .search()
        .names(["customer", "id"])
        .await
        .unwrap();
    assert_eq!(some.len(), 2);
    #[derive(Debug, PartialEq, Deserialize)]
    struct Part {
        id: u64,
        customer: Customer,
    }
    assert_eq!(
        decode_all::<Part>(&some).unwrap(),
        Part {
            id: u64::MAX,
            customer: order.customer.clone()
        }
    );

    // Through the task search with included variables.
    let mut search = tasklist.client.tasks().search();
    for name in [
        "id", "exact", "total", "customer", "lines", "note", "approved", "tags",
    ] {
        search = search.include_variable(name);
    }
    let tasks = search.await.unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].decode_variables::<Order>().unwrap(), order);
}

#[tokio::test]
async fn drafts_round_trip_and_each_save_replaces_the_previous_drafts() {
    let tasklist = Tasklist::start().await;
    tasklist
        .client
        .tasks()
        .complete(TASK)
        .variables(Variables::new().with("a", &1).unwrap())
        .await
        .unwrap();

    let first = Variables::new()
        .with("a", &json!({"step": "one \"quoted\""}))
        .unwrap()
        .with("b", &"draft only ✓")
        .unwrap();
    tasklist
        .client
        .tasks()
        .save_draft_variables(TASK, first)
        .await
        .unwrap();
    let found = tasklist.search().await;
    assert_eq!(found["a"].decode::<u8>().unwrap(), 1);
    assert_eq!(
        found["a"].decode_draft::<Value>().unwrap(),
        Some(json!({"step": "one \"quoted\""}))
    );
    // A variable that exists only as a draft has no value yet.
    assert_eq!(found["b"].value_state(), ValueState::Absent);
    assert_eq!(found["b"].decode::<Option<String>>().unwrap(), None);
    assert_eq!(
        found["b"].decode_draft::<String>().unwrap().as_deref(),
        Some("draft only ✓")
    );

    let second = Variables::new().with("a", &u64::MAX).unwrap();
    tasklist
        .client
        .tasks()
        .save_draft_variables(TASK, second)
        .await
        .unwrap();
    tasklist.assert_no_violations();
    let found = tasklist.search().await;
    assert_eq!(found.len(), 1, "the draft of b is gone: {found:?}");
    assert_eq!(found["a"].decode_draft::<u64>().unwrap(), Some(u64::MAX));
    let looked_up: Variable = tasklist
        .client
        .variables()
        .get(variable_id("a"))
        .await
        .unwrap();
    assert_eq!(looked_up.decode::<u8>().unwrap(), 1);
    assert_eq!(looked_up.decode_draft::<u64>().unwrap(), Some(u64::MAX));
}

#[tokio::test]
async fn a_value_past_the_threshold_is_reported_truncated_and_fetched_in_full() {
    let tasklist = Tasklist::start().await;
    // Multi-byte characters, so a cut by bytes would show.
    let long: String = "ünïcödé 🦀 \"quoted\" \\ line\n".repeat(1_000);
    let name = "long text/with ✓ odd name";
    tasklist
        .client
        .tasks()
        .complete(TASK)
        .variables(
            Variables::new()
                .with(name, &long)
                .unwrap()
                .with("short", &1)
                .unwrap(),
        )
        .await
        .unwrap();

    let found = tasklist.search().await;
    let variable = &found[name];
    let ValueState::Truncated { preview } = variable.value_state() else {
        panic!("not truncated: {variable:?}");
    };
    assert_eq!(preview.chars().count(), THRESHOLD);
    assert!(tasklist.received(name).starts_with(preview));
    let error = variable.decode::<String>().unwrap_err();
    assert!(
        matches!(&error, Error::VariableTruncated { name: n } if n == name),
        "{error:?}"
    );
    let error = decode_all::<Value>(&found.values().cloned().collect::<Vec<_>>()).unwrap_err();
    assert!(
        matches!(error, Error::VariableTruncated { .. }),
        "{error:?}"
    );

    // The full value, by id (the name makes an id that needs percent-encoding).
    let full = tasklist
        .client
        .variables()
        .full_value(variable)
        .await
        .unwrap();
    assert_eq!(full.decode::<String>().unwrap(), long);

    // Or asked for in full up front.
    let again = tasklist
        .client
        .tasks()
        .variables(TASK)
        .search()
        .include_full_value(name)
        .await
        .unwrap();
    let again = again
        .iter()
        .find(|v| v.name.as_deref() == Some(name))
        .unwrap();
    assert_eq!(again.decode::<String>().unwrap(), long);
    tasklist.assert_no_violations();
}

/// Any JSON value, floats finite (JSON has no others).
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..8)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Encoding for the wire and decoding a search result gives back the same value, through
    /// every decoding path.
    #[test]
    fn any_json_value_survives_encode_and_decode(value in json_value(), name in "\\PC{0,12}") {
        let inputs = Variables::new().with(name.clone(), &value).unwrap().into_inputs();
        prop_assert_eq!(inputs.len(), 1);
        let text = inputs[0].value.clone().unwrap();
        prop_assert_eq!(inputs[0].name.as_deref(), Some(name.as_str()));

        // As a server carries it: JSON text inside a JSON string.
        let wire = serde_json::to_string(&inputs).unwrap();
        let served: Value = serde_json::from_str(&wire).unwrap();
        let found: TaskVariable = serde_json::from_value(json!({
            "id": variable_id(&name),
            "name": name,
            "value": served[0]["value"],
            "isValueTruncated": false,
            "previewValue": served[0]["value"],
            "draft": {"value": served[0]["value"]},
        })).unwrap();
        prop_assert_eq!(found.decode::<Value>().unwrap(), value.clone());
        prop_assert_eq!(found.decode_draft::<Value>().unwrap(), Some(value.clone()));
        let all: BTreeMap<String, Value> = decode_all(std::slice::from_ref(&found)).unwrap();
        prop_assert_eq!(all.get(&name), Some(&value));

        let looked_up: Variable = serde_json::from_value(json!({
            "name": name, "value": text,
        })).unwrap();
        prop_assert_eq!(looked_up.decode::<Value>().unwrap(), value);
    }
}

/// The same over real HTTP, fewer cases: complete, then search.
#[test]
fn any_json_value_survives_a_round_trip_over_http() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let tasklist = runtime.block_on(Tasklist::start());
    let config = ProptestConfig {
        cases: 48,
        ..ProptestConfig::default()
    };
    proptest!(config, |(value in json_value())| {
        let found = runtime.block_on(async {
            tasklist
                .client
                .tasks()
                .complete(TASK)
                .variables(Variables::new().with("v", &value).unwrap())
                .await
                .unwrap();
            tasklist.search().await
        });
        prop_assert_eq!(found["v"].decode::<Value>().unwrap(), value.clone());
        let received: Value = serde_json::from_str(&tasklist.received("v")).unwrap();
        prop_assert_eq!(received, value);
    });
    tasklist.assert_no_violations();
}
