//! The legacy GraphQL endpoint of the 8.7 profile (`POST /graphql`) over real HTTP: the served
//! schema against the vendored SDL, the queries and mutations against the store and the REST
//! rules they share, errors, authentication and CSRF, and its absence from 8.8 on.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod api_support;

use std::collections::{BTreeMap, BTreeSet};

use api_support::{Client, Reply, task, task_error};
use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
use serde_json::{Value, json};
use tasklist_testkit::store::{Form, TaskImplementation, TaskState};
use tasklist_testkit::{AuthMode, Fault, Profile, Route, TestServer};

// ---------------------------------------------------------------------------------------------
// The schema against the vendored SDL.
// ---------------------------------------------------------------------------------------------

/// The vendored schema (`spec/tasklist.graphqls`).
const VENDORED: &str = include_str!("../../../spec/tasklist.graphqls");

/// What the vendored schema has and the testkit does not serve, each with its reason: a type
/// (`User`) or a field (`Query.currentUser`).
const NOT_SERVED: &[(&str, &str)] = &[
    (
        "Query.currentUser",
        "the user, their permissions, roles and C8 links come from Identity",
    ),
    (
        "Query.processes",
        "the deployed processes live in Tasklist's process store, which the testkit does not have",
    ),
    (
        "Mutation.deleteProcessInstance",
        "process instances live in the engine",
    ),
    (
        "Mutation.startProcess",
        "starting a process needs the engine",
    ),
    ("User", "only currentUser returns it"),
    ("C8AppLink", "only User has it"),
    ("Process", "only processes returns it"),
    ("ProcessInstance", "only startProcess returns it"),
];

/// What the testkit serves beyond the vendored schema, each with its reason.
const ADDED: &[(&str, &str)] = &[(
    "TaskState.FAILED",
    "Tasklist's task state enum has FAILED since 8.5 (job-worker tasks whose job failed); the \
     vendored SDL predates it, and a failed task in the store must not break a query",
)];

/// One type of a schema, reduced to what a client depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    Scalar,
    /// Field → (type, argument → type).
    Object(BTreeMap<String, (String, BTreeMap<String, String>)>),
    /// Field → type.
    Input(BTreeMap<String, String>),
    Enum(BTreeSet<String>),
    Other(String),
}

/// The types of an SDL document by name, without the built-in scalars and introspection types.
fn shapes(sdl: &str) -> BTreeMap<String, Shape> {
    let document = parse_schema(sdl).unwrap_or_else(|e| panic!("not SDL ({e}):\n{sdl}"));
    let mut types = BTreeMap::new();
    for definition in document.definitions {
        let TypeSystemDefinition::Type(definition) = definition else {
            continue;
        };
        let definition = definition.node;
        let name = definition.name.node.to_string();
        if matches!(name.as_str(), "String" | "Int" | "Float" | "Boolean" | "ID")
            || name.starts_with("__")
        {
            continue;
        }
        let shape = match definition.kind {
            TypeKind::Scalar => Shape::Scalar,
            TypeKind::Object(object) => Shape::Object(
                object
                    .fields
                    .into_iter()
                    .map(|field| {
                        let field = field.node;
                        let arguments = field
                            .arguments
                            .into_iter()
                            .map(|a| (a.node.name.node.to_string(), a.node.ty.node.to_string()))
                            .collect();
                        (
                            field.name.node.to_string(),
                            (field.ty.node.to_string(), arguments),
                        )
                    })
                    .collect(),
            ),
            TypeKind::InputObject(input) => Shape::Input(
                input
                    .fields
                    .into_iter()
                    .map(|f| (f.node.name.node.to_string(), f.node.ty.node.to_string()))
                    .collect(),
            ),
            TypeKind::Enum(values) => Shape::Enum(
                values
                    .values
                    .into_iter()
                    .map(|v| v.node.value.node.to_string())
                    .collect(),
            ),
            other => Shape::Other(format!("{other:?}")),
        };
        types.insert(name, shape);
    }
    types
}

/// The differences found, and the allow-list entries that explained one.
#[derive(Default)]
struct Report {
    problems: Vec<String>,
    used: BTreeSet<String>,
}

impl Report {
    /// Records `problem` unless `name` is on `list`.
    fn unless_listed(&mut self, name: String, list: &[(&str, &str)], problem: String) {
        if list.iter().any(|(listed, _)| *listed == name) {
            self.used.insert(name);
        } else {
            self.problems.push(problem);
        }
    }

    fn fail(&mut self, problem: String) {
        self.problems.push(problem);
    }
}

/// The differences between the served and the vendored schema that the allow-lists do not
/// explain, and the allow-list entries that explain nothing (stale).
fn schema_differences(served: &str, vendored: &str) -> Vec<String> {
    let served = shapes(served);
    let vendored = shapes(vendored);
    let not_served = NOT_SERVED;
    let added = ADDED;
    let mut report = Report::default();
    for (name, shape) in &vendored {
        let Some(ours) = served.get(name) else {
            report.unless_listed(
                name.clone(),
                not_served,
                format!("type {name} is not served"),
            );
            continue;
        };
        match (shape, ours) {
            (Shape::Object(theirs), Shape::Object(ours)) => {
                for (field, (ty, args)) in theirs {
                    match ours.get(field) {
                        None => report.unless_listed(
                            format!("{name}.{field}"),
                            not_served,
                            format!("{name}.{field} is not served"),
                        ),
                        Some((our_ty, our_args)) => {
                            if our_ty != ty {
                                report.fail(format!(
                                    "{name}.{field}: served as {our_ty}, the SDL says {ty}"
                                ));
                            }
                            if our_args != args {
                                report.fail(format!(
                                    "{name}.{field}: served with arguments {our_args:?}, the SDL \
                                     says {args:?}"
                                ));
                            }
                        }
                    }
                }
                for field in ours.keys().filter(|f| !theirs.contains_key(*f)) {
                    report.unless_listed(
                        format!("{name}.{field}"),
                        added,
                        format!("{name}.{field} is served but not in the SDL"),
                    );
                }
            }
            (Shape::Input(theirs), Shape::Input(ours)) => {
                for field in theirs.keys().chain(ours.keys()).collect::<BTreeSet<_>>() {
                    match (theirs.get(field), ours.get(field)) {
                        (Some(ty), Some(our_ty)) if ty != our_ty => report.fail(format!(
                            "{name}.{field}: served as {our_ty}, the SDL says {ty}"
                        )),
                        (Some(_), None) => report.unless_listed(
                            format!("{name}.{field}"),
                            not_served,
                            format!("{name}.{field} is not served"),
                        ),
                        (None, Some(_)) => report.unless_listed(
                            format!("{name}.{field}"),
                            added,
                            format!("{name}.{field} is served but not in the SDL"),
                        ),
                        _ => {}
                    }
                }
            }
            (Shape::Enum(theirs), Shape::Enum(ours)) => {
                for value in theirs.difference(ours) {
                    report.unless_listed(
                        format!("{name}.{value}"),
                        not_served,
                        format!("{name}.{value} is not served"),
                    );
                }
                for value in ours.difference(theirs) {
                    report.unless_listed(
                        format!("{name}.{value}"),
                        added,
                        format!("{name}.{value} is served but not in the SDL"),
                    );
                }
            }
            (theirs, ours) if theirs != ours => {
                report.fail(format!(
                    "{name}: served as {ours:?}, the SDL says {theirs:?}"
                ));
            }
            _ => {}
        }
    }
    for name in served.keys().filter(|n| !vendored.contains_key(*n)) {
        report.unless_listed(
            name.clone(),
            added,
            format!("type {name} is served but not in the SDL"),
        );
    }
    for (name, _) in NOT_SERVED.iter().chain(ADDED) {
        if !report.used.contains(*name) {
            report.fail(format!("allow-list entry {name} explains no difference"));
        }
    }
    report.problems
}

#[test]
fn the_served_schema_is_the_vendored_sdl_less_the_listed_parts() {
    let served = tasklist_testkit::graphql_sdl();
    let problems = schema_differences(&served, VENDORED);
    assert!(
        problems.is_empty(),
        "{problems:#?}\n\nthe served schema:\n{served}"
    );
    for (name, reason) in NOT_SERVED.iter().chain(ADDED) {
        assert!(!reason.is_empty(), "{name} needs a reason");
    }
}

#[test]
fn the_schema_comparison_catches_a_changed_type_or_argument() {
    let served = tasklist_testkit::graphql_sdl();
    // Each edit makes the vendored SDL disagree with the served schema in one place.
    let edits = [
        ("pageSize: Int", "pageSize: String"),
        ("task(id: String!): Task!", "task(id: ID!): Task!"),
        ("unclaimTask(taskId: String!)", "unclaimTask(id: String!)"),
        ("name: String!\n  # full", "name: String\n  # full"),
        ("  CANCELED\n", "  CANCELLED\n"),
    ];
    for (from, to) in edits {
        assert!(VENDORED.contains(from), "{from}");
        let changed = VENDORED.replacen(from, to, 1);
        let problems = schema_differences(&served, &changed);
        assert!(!problems.is_empty(), "{from} -> {to} went unnoticed");
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

/// A server of `profile` with `auth`, the user `bob` next to `demo`, and these tasks:
///
/// | id | state | assignee | candidate groups | created (minutes) | notes |
/// |---|---|---|---|---|---|
/// | 1 | CREATED | – | accounting | 0 | variables `amount`, `customer`; form key, dates |
/// | 2 | CREATED | demo | sales | 1 | |
/// | 3 | CREATED | bob | accounting | 2 | |
/// | 4 | COMPLETED | demo | sales | 3 | |
/// | 5 | CREATED | – | accounting | 4 | a Zeebe user task |
async fn server_with(profile: Profile, auth: AuthMode) -> TestServer {
    let server = TestServer::builder()
        .profile(profile)
        .auth(auth)
        .user("bob", "bob")
        .start()
        .await
        .unwrap();
    let store = server.store();
    let mut one = task("1", 0);
    one.candidate_groups = Some(vec!["accounting".to_owned()]);
    one.candidate_users = Some(vec!["ann".to_owned()]);
    one.task_definition_id = "approve".to_owned();
    one.process_name = "Invoice".to_owned();
    one.process_definition_key = "2251799813685249".to_owned();
    one.process_instance_key = "2251799813685300".to_owned();
    one.form_key = Some("camunda-forms:bpmn:userTaskForm_1".to_owned());
    one.due_date = Some("2024-02-01T10:00:00Z".parse().unwrap());
    one.follow_up_date = Some("2024-01-15T08:30:00.250Z".parse().unwrap());
    store.insert_task(one);
    store.insert_variable("1", "customer", "\"ACME\"").unwrap();
    store.insert_variable("1", "amount", "1200.5").unwrap();
    for (id, minutes, assignee, group) in [
        ("2", 1, Some("demo"), "sales"),
        ("3", 2, Some("bob"), "accounting"),
        ("4", 3, Some("demo"), "sales"),
        ("5", 4, None, "accounting"),
    ] {
        let mut t = task(id, minutes);
        t.assignee = assignee.map(str::to_owned);
        t.candidate_groups = Some(vec![group.to_owned()]);
        if id == "4" {
            t.state = TaskState::Completed;
            t.completion_date = Some(t.creation_date);
        }
        if id == "5" {
            t.implementation = TaskImplementation::ZeebeUserTask;
        }
        store.insert_task(t);
    }
    server
}

async fn server(auth: AuthMode) -> TestServer {
    server_with(Profile::V8_7, auth).await
}

/// Posts a GraphQL request.
async fn gql(client: &Client, query: &str, variables: Value) -> Reply {
    let body = json!({"query": query, "variables": variables});
    client.post("/graphql", &body.to_string()).await
}

/// Posts a GraphQL request and returns its `data`, expecting `200` without errors.
async fn data(client: &Client, query: &str, variables: Value) -> Value {
    let reply = gql(client, query, variables).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.content_type, "application/json", "{}", reply.text);
    let body = reply.json();
    assert!(body.get("errors").is_none(), "{}", reply.text);
    body["data"].clone()
}

/// Posts a GraphQL request and returns the messages of its `errors` and its `data`, expecting
/// `200` with errors.
async fn errors(client: &Client, query: &str, variables: Value) -> (Vec<String>, Value) {
    let reply = gql(client, query, variables).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    let messages: Vec<String> = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors: {}", reply.text))
        .iter()
        .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(!messages.is_empty(), "{}", reply.text);
    (messages, body["data"].clone())
}

/// The `id`s of a list of tasks.
fn ids(tasks: &Value) -> Vec<&str> {
    tasks
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {tasks}"))
        .iter()
        .map(|t| t["id"].as_str().unwrap_or_default())
        .collect()
}

/// Logs in at the profile's login endpoint: the client with the session cookie, and the CSRF
/// token when the server issued one.
async fn login(server: &TestServer, user: &str) -> (Client, Option<String>) {
    let response = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(server.login_url())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("username={user}&password={user}"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let csrf = response
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::to_owned)
        .collect();
    let client = Client::anonymous(server).with_header("Cookie", &cookies.join("; "));
    (client, csrf)
}

const ALL_FIELDS: &str = "id name taskDefinitionId processName creationTime completionTime \
    assignee taskState sortValues isFirst formKey processDefinitionId processInstanceId \
    candidateGroups candidateUsers dueDate followUpDate \
    variables { id name value previewValue isValueTruncated }";

// ---------------------------------------------------------------------------------------------
// Queries.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_guide_example_answers_a_cookie_session() {
    let server = server(AuthMode::Cookie { csrf: false }).await;
    let (client, csrf) = login(&server, "demo").await;
    assert!(csrf.is_none());
    // The request of Camunda's GraphQL guide, byte for byte.
    let reply = client
        .post("/graphql", r#"{"query": "{tasks(query:{}){name}}"}"#)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json(),
        // Default sort: newest first; completed tasks are in (only canceled ones are left out).
        json!({"data": {"tasks": [
            {"name": "Task 5"}, {"name": "Task 4"}, {"name": "Task 3"},
            {"name": "Task 2"}, {"name": "Task 1"},
        ]}})
    );
    assert_eq!(server.requests(Route::Graphql), 1);
}

#[tokio::test]
async fn a_bearer_token_gets_every_field_of_the_task() {
    let server = server(AuthMode::OAuth).await;
    let client = Client::bearer(&server);
    let one = data(
        &client,
        &format!("query One($id: String!) {{ task(id: $id) {{ {ALL_FIELDS} }} }}"),
        json!({"id": "1"}),
    )
    .await;
    assert_eq!(
        one["task"],
        json!({
            "id": "1",
            "name": "Task 1",
            "taskDefinitionId": "approve",
            "processName": "Invoice",
            "creationTime": "2024-01-01T00:00:00.000+0000",
            "completionTime": null,
            "assignee": null,
            "taskState": "CREATED",
            "sortValues": null,
            "isFirst": false,
            "formKey": "camunda-forms:bpmn:userTaskForm_1",
            "processDefinitionId": "2251799813685249",
            "processInstanceId": "2251799813685300",
            "candidateGroups": ["accounting"],
            "candidateUsers": ["ann"],
            "dueDate": "2024-02-01T10:00:00.000Z",
            "followUpDate": "2024-01-15T08:30:00.250Z",
            // Sorted by name, with their ids.
            "variables": [
                {"id": "2251799813685300-amount", "name": "amount", "value": "1200.5",
                 "previewValue": "1200.5", "isValueTruncated": false},
                {"id": "2251799813685300-customer", "name": "customer", "value": "\"ACME\"",
                 "previewValue": "\"ACME\"", "isValueTruncated": false},
            ],
        })
    );
    // The same through a search, which also fills sortValues and isFirst like REST does.
    let rest = client.search(r#"{"candidateGroup": "accounting"}"#).await;
    let found = data(
        &client,
        "{ tasks(query: {candidateGroup: \"accounting\"}) { id sortValues isFirst } }",
        json!({}),
    )
    .await;
    let expected: Vec<Value> = rest
        .iter()
        .map(|t| json!({"id": t["id"], "sortValues": t["sortValues"], "isFirst": t["isFirst"]}))
        .collect();
    assert_eq!(found["tasks"], Value::Array(expected));
}

#[tokio::test]
async fn long_values_are_cut_in_the_preview_only() {
    let server = TestServer::builder()
        .auth(AuthMode::None)
        .truncation_threshold(5)
        .start()
        .await
        .unwrap();
    server.store().insert_task(task("7", 0));
    server
        .store()
        .insert_variable("7", "note", "\"a long text\"")
        .unwrap();
    let client = Client::anonymous(&server);
    let found = data(
        &client,
        "{ tasks(query: {}) { variables { value previewValue isValueTruncated } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        found["tasks"][0]["variables"],
        json!([{"value": "\"a long text\"", "previewValue": "\"a lo", "isValueTruncated": true}])
    );
}

#[tokio::test]
async fn tasks_are_filtered_as_the_rest_search_filters_them() {
    let server = server(AuthMode::OAuth).await;
    let client = Client::bearer(&server);
    let cases = [
        ("{state: COMPLETED}", vec!["4"]),
        ("{state: CREATED}", vec!["5", "3", "2", "1"]),
        ("{assignee: \"demo\"}", vec!["4", "2"]),
        ("{assigned: false}", vec!["5", "1"]),
        ("{assigned: true, state: CREATED}", vec!["3", "2"]),
        ("{candidateGroup: \"accounting\"}", vec!["5", "3", "1"]),
        ("{candidateUser: \"ann\"}", vec!["1"]),
        ("{taskDefinitionId: \"approve\"}", vec!["1"]),
        ("{processDefinitionId: \"2251799813685249\"}", vec!["1"]),
        ("{processInstanceId: \"2251799813685300\"}", vec!["1"]),
        (
            "{dueDate: {from: \"2024-02-01T00:00:00Z\", to: \"2024-02-02T00:00:00+01:00\"}}",
            vec!["1"],
        ),
        (
            "{followUpDate: {from: \"2024-02-01T00:00:00Z\", to: \"2024-02-02T00:00:00Z\"}}",
            vec![],
        ),
        (
            "{sort: [{field: creationTime, order: ASC}], pageSize: 3}",
            vec!["1", "2", "3"],
        ),
    ];
    for (query, expected) in cases {
        let found = data(
            &client,
            &format!("{{ tasks(query: {query}) {{ id }} }}"),
            json!({}),
        )
        .await;
        assert_eq!(ids(&found["tasks"]), expected, "{query}");
    }
    // Variables of the request work as well as literals.
    let found = data(
        &client,
        "query Q($q: TaskQuery!) { tasks(query: $q) { id } }",
        json!({"q": {"state": "CREATED", "candidateGroup": "sales"}}),
    )
    .await;
    assert_eq!(ids(&found["tasks"]), ["2"]);
}

#[tokio::test]
async fn pages_follow_the_sort_values_of_the_rest_search() {
    let server = server(AuthMode::None).await;
    let client = Client::anonymous(&server);
    let query = "query Page($q: TaskQuery!) { tasks(query: $q) { id sortValues isFirst } }";
    let first = data(&client, query, json!({"q": {"pageSize": 2}})).await;
    assert_eq!(ids(&first["tasks"]), ["5", "4"]);
    assert_eq!(first["tasks"][0]["isFirst"], true);
    let last = first["tasks"][1]["sortValues"].clone();
    let second = data(
        &client,
        query,
        json!({"q": {"pageSize": 2, "searchAfter": last}}),
    )
    .await;
    assert_eq!(ids(&second["tasks"]), ["3", "2"]);
    assert_eq!(second["tasks"][0]["isFirst"], false);
    let rest = client
        .search(&json!({"pageSize": 2, "searchAfter": last}).to_string())
        .await;
    assert_eq!(second["tasks"][0]["sortValues"], rest[0]["sortValues"]);
    // And back: the page before the third task.
    let back = data(
        &client,
        query,
        json!({"q": {"pageSize": 2, "searchBefore": second["tasks"][0]["sortValues"]}}),
    )
    .await;
    assert_eq!(ids(&back["tasks"]), ["5", "4"]);
    let equal = data(
        &client,
        query,
        json!({"q": {"pageSize": 1, "searchAfterOrEqual": last}}),
    )
    .await;
    assert_eq!(ids(&equal["tasks"]), ["4"]);
    let equal = data(
        &client,
        query,
        json!({"q": {"pageSize": 1, "searchBeforeOrEqual": last}}),
    )
    .await;
    assert_eq!(ids(&equal["tasks"]), ["4"]);
    // The request rules of the REST search.
    let (messages, data) = errors(
        &client,
        query,
        json!({"q": {"searchAfter": last, "searchBefore": last}}),
    )
    .await;
    assert_eq!(
        messages,
        [
            "Only one of [searchAfter, searchAfterOrEqual, searchBefore, searchBeforeOrEqual] must be present in request."
        ]
    );
    assert_eq!(data, Value::Null);
    let (messages, _) = errors(&client, query, json!({"q": {"pageSize": 0}})).await;
    assert_eq!(messages, ["Page size should be a positive number"]);
}

#[tokio::test]
async fn task_variables_and_forms_by_id() {
    let server = server(AuthMode::None).await;
    server.store().insert_form(Form::embedded(
        "userTaskForm_1",
        "2251799813685249",
        r#"{"components":[]}"#,
    ));
    let client = Client::anonymous(&server);
    let found = data(
        &client,
        "{ task(id: \"2\") { id assignee taskState } \
           variables(taskId: \"1\", variableNames: [\"customer\", \"nope\"]) { id name value } \
           all: variables(taskId: \"1\", variableNames: []) { name } \
           variable(id: \"2251799813685300-amount\") { name value previewValue } \
           form(id: \"userTaskForm_1\", processDefinitionId: \"2251799813685249\") \
             { id processDefinitionId schema } }",
        json!({}),
    )
    .await;
    assert_eq!(
        found,
        json!({
            "task": {"id": "2", "assignee": "demo", "taskState": "CREATED"},
            "variables": [{"id": "2251799813685300-customer", "name": "customer", "value": "\"ACME\""}],
            "all": [{"name": "amount"}, {"name": "customer"}],
            "variable": {"name": "amount", "value": "1200.5", "previewValue": "1200.5"},
            "form": {"id": "userTaskForm_1", "processDefinitionId": "2251799813685249",
                     "schema": "{\"components\":[]}"},
        })
    );
    // Unknown ids: the server's messages; a nullable field fails alone.
    let (messages, data) = errors(&client, "{ task(id: \"99\") { id } }", json!({})).await;
    assert_eq!(messages, ["task with id 99 was not found"]);
    assert_eq!(data, Value::Null);
    let (messages, data) = errors(
        &client,
        "{ form(id: \"nope\", processDefinitionId: \"1\") { id } task(id: \"1\") { id } }",
        json!({}),
    )
    .await;
    assert_eq!(messages, ["form with id nope was not found"]);
    assert_eq!(data, json!({"form": null, "task": {"id": "1"}}));
    let (messages, _) = errors(&client, "{ variable(id: \"x\") { id } }", json!({})).await;
    assert_eq!(messages, ["Variable with id x not found."]);
    // A non-null field that fails nulls the whole of `data`, whatever else succeeded.
    let (messages, data) = errors(
        &client,
        "{ one: task(id: \"1\") { id } missing: task(id: \"98\") { id } }",
        json!({}),
    )
    .await;
    assert_eq!(messages, ["task with id 98 was not found"]);
    assert_eq!(data, Value::Null);
}

// ---------------------------------------------------------------------------------------------
// Mutations.
// ---------------------------------------------------------------------------------------------

const CLAIM: &str = "mutation Claim($id: String!, $assignee: String, $override: Boolean) { \
    claimTask(taskId: $id, assignee: $assignee, allowOverrideAssignment: $override) \
    { id assignee taskState } }";
const UNCLAIM: &str =
    "mutation Unclaim($id: String!) { unclaimTask(taskId: $id) { id assignee taskState } }";
const COMPLETE: &str = "mutation Complete($id: String!, $variables: [VariableInput!]!) { \
    completeTask(taskId: $id, variables: $variables) \
    { id taskState completionTime variables { name value } } }";

#[tokio::test]
async fn a_user_claims_unclaims_and_completes_through_the_store() {
    let server = server(AuthMode::Basic).await;
    let demo = Client::basic(&server, "demo", "demo");
    let claimed = data(&demo, CLAIM, json!({"id": "1"})).await;
    assert_eq!(
        claimed["claimTask"],
        json!({"id": "1", "assignee": "demo", "taskState": "CREATED"})
    );
    assert_eq!(
        server.store().task("1").unwrap().assignee.as_deref(),
        Some("demo")
    );
    let unclaimed = data(&demo, UNCLAIM, json!({"id": "1"})).await;
    assert_eq!(unclaimed["unclaimTask"]["assignee"], Value::Null);
    assert!(server.store().task("1").unwrap().assignee.is_none());

    data(&demo, CLAIM, json!({"id": "1"})).await;
    // A draft saved through REST does not reach the GraphQL completion's snapshot.
    let reply = demo
        .post(
            "/v1/tasks/1/variables",
            r#"{"variables":[{"name":"customer","value":"\"Draft Inc\""}]}"#,
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    let completed = data(
        &demo,
        COMPLETE,
        json!({"id": "1", "variables": [
            {"name": "approved", "value": "true"},
            {"name": "amount", "value": "99"},
        ]}),
    )
    .await;
    let task = &completed["completeTask"];
    assert_eq!(task["taskState"], "COMPLETED");
    assert!(task["completionTime"].as_str().unwrap().ends_with("+0000"));
    assert_eq!(
        task["variables"],
        json!([
            {"name": "amount", "value": "99"},
            {"name": "approved", "value": "true"},
            {"name": "customer", "value": "\"ACME\""},
        ])
    );
    let stored = server.store().task("1").unwrap();
    assert_eq!(stored.state, TaskState::Completed);
    assert!(server.store().draft_variables("1").unwrap().is_empty());

    // A completed task can't be completed again, nor claimed.
    let (messages, data) = errors(&demo, COMPLETE, json!({"id": "1", "variables": []})).await;
    assert_eq!(
        messages,
        [task_error("TASK_IS_NOT_ACTIVE", "Task is not active")]
    );
    assert_eq!(data, Value::Null);
    let (messages, _) = errors(&demo, CLAIM, json!({"id": "1"})).await;
    assert_eq!(
        messages,
        [task_error("TASK_IS_NOT_ACTIVE", "Task is not active")]
    );
    assert_eq!(server.requests(Route::Graphql), 6);
    assert_eq!(server.requests(Route::AssignTask), 0);
}

#[tokio::test]
async fn claiming_an_assigned_task_is_an_error_in_the_errors_array() {
    let server = server(AuthMode::Basic).await;
    let demo = Client::basic(&server, "demo", "demo");
    let reply = gql(&demo, CLAIM, json!({"id": "3"})).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["data"], Value::Null);
    assert_eq!(
        body["errors"][0]["message"],
        task_error("TASK_ALREADY_ASSIGNED", "Task is already assigned")
    );
    assert_eq!(body["errors"][0]["path"], json!(["claimTask"]));
    assert_eq!(
        server.store().task("3").unwrap().assignee.as_deref(),
        Some("bob")
    );
    // The other user rules of REST: no claiming for someone else, no completing someone
    // else's task, no unclaiming an unassigned one.
    let (messages, _) = errors(&demo, CLAIM, json!({"id": "1", "assignee": "bob"})).await;
    assert_eq!(
        messages,
        ["User doesn't have the permission to assign another user to this task"]
    );
    let (messages, _) = errors(&demo, COMPLETE, json!({"id": "3", "variables": []})).await;
    assert_eq!(
        messages,
        [task_error(
            "TASK_NOT_ASSIGNED_TO_CURRENT_USER",
            "Task is not assigned to demo"
        )]
    );
    let (messages, _) = errors(&demo, UNCLAIM, json!({"id": "1"})).await;
    assert_eq!(
        messages,
        [task_error("TASK_NOT_ASSIGNED", "Task is not assigned")]
    );
    // A value that is not JSON text.
    data(&demo, CLAIM, json!({"id": "1"})).await;
    let (messages, _) = errors(
        &demo,
        COMPLETE,
        json!({"id": "1", "variables": [{"name": "a", "value": "nope"}]}),
    )
    .await;
    assert!(
        messages[0].starts_with("Unrecognized token 'nope'"),
        "{messages:?}"
    );
    assert_eq!(server.store().task("1").unwrap().state, TaskState::Created);
}

#[tokio::test]
async fn an_api_client_names_the_assignee_and_may_override() {
    let server = server(AuthMode::OAuth).await;
    let client = Client::bearer(&server);
    let (messages, _) = errors(&client, CLAIM, json!({"id": "1"})).await;
    assert_eq!(messages, ["Assignee must be specified"]);
    let claimed = data(&client, CLAIM, json!({"id": "3", "assignee": "carol"})).await;
    assert_eq!(claimed["claimTask"]["assignee"], "carol");
    let (messages, _) = errors(
        &client,
        CLAIM,
        json!({"id": "3", "assignee": "dave", "override": false}),
    )
    .await;
    assert_eq!(
        messages,
        [task_error(
            "TASK_ALREADY_ASSIGNED",
            "Task is already assigned"
        )]
    );
    // An API client completes a task assigned to anyone.
    let completed = data(&client, COMPLETE, json!({"id": "3", "variables": []})).await;
    assert_eq!(completed["completeTask"]["taskState"], "COMPLETED");
    // Zeebe user tasks are not changed through GraphQL, whoever asks; unknown ids are named.
    for mutation in [CLAIM, UNCLAIM, COMPLETE] {
        let (messages, _) = errors(
            &client,
            mutation,
            json!({"id": "5", "assignee": "x", "variables": []}),
        )
        .await;
        assert!(
            messages[0].starts_with("This operation is not supported using Tasklist graphql API."),
            "{messages:?}"
        );
        let (messages, _) = errors(
            &client,
            mutation,
            json!({"id": "99", "assignee": "x", "variables": []}),
        )
        .await;
        assert_eq!(messages, ["task with id 99 was not found"]);
    }
    assert!(server.store().task("5").unwrap().assignee.is_none());
}

// ---------------------------------------------------------------------------------------------
// Requests that are refused.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn bad_queries_are_graphql_errors_and_bad_bodies_are_400() {
    let server = server(AuthMode::None).await;
    let client = Client::anonymous(&server);
    let (messages, _) = errors(&client, "{ tasks(query: {}) { nope } }", json!({})).await;
    assert!(messages[0].contains("nope"), "{messages:?}");
    let (messages, _) = errors(&client, "{ tasks(query: {}) { id ", json!({})).await;
    assert!(!messages[0].is_empty());
    let (messages, _) = errors(&client, "{ currentUser { userId } }", json!({})).await;
    assert!(messages[0].contains("currentUser"), "{messages:?}");

    for body in ["not json", "{}", r#"{"query": ""}"#, "[]"] {
        let reply = client.post("/graphql", body).await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
        assert_eq!(reply.text, "");
    }
    // Introspection is off, as by default in Tasklist.
    for query in [
        "{ __schema { types { name } } }",
        "{ tasks(query: {}) { __typename } }",
    ] {
        let reply = gql(&client, query, json!({})).await;
        assert_eq!(reply.status, 400, "{query}: {}", reply.text);
    }
    // The query as text, and a batch.
    let reply = client
        .clone()
        .with_header("Content-Type", "application/graphql")
        .send("POST", "/graphql", None)
        .await;
    assert_eq!(reply.status, 400, "an empty application/graphql body");
    let reply = client
        .post(
            "/graphql",
            r#"[{"query": "{ task(id: \"1\") { id } }"}, {"query": "{ task(id: \"2\") { id } }"}]"#,
        )
        .await;
    assert_eq!(
        reply.json(),
        json!([{"data": {"task": {"id": "1"}}}, {"data": {"task": {"id": "2"}}}])
    );
}

#[tokio::test]
async fn without_credentials_graphql_is_refused_as_rest_is() {
    let server = server(AuthMode::OAuth).await;
    let anonymous = Client::anonymous(&server);
    let graphql = gql(&anonymous, "{ tasks(query: {}) { id } }", json!({})).await;
    let rest = anonymous.post("/v1/tasks/search", "{}").await;
    assert_eq!(graphql.status, 401, "{}", graphql.text);
    assert_eq!(
        (graphql.content_type.as_str(), graphql.json()),
        (rest.content_type.as_str(), rest.json())
    );
    let bad = Client::anonymous(&server).with_header("Authorization", "Bearer nope");
    assert_eq!(
        gql(&bad, "{ task(id: \"1\") { id } }", json!({}))
            .await
            .status,
        401
    );
    assert_eq!(server.requests(Route::Graphql), 2);
}

#[tokio::test]
async fn a_cookie_session_needs_the_csrf_token() {
    let server = server(AuthMode::Cookie { csrf: true }).await;
    let (client, csrf) = login(&server, "demo").await;
    let csrf = csrf.expect("a CSRF token at login");
    let refused = gql(&client, "{ tasks(query: {}) { id } }", json!({})).await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert_eq!(
        refused.json(),
        json!({"error": "Access denied due to invalid CSRF token."})
    );
    let with_token = client.with_header("X-CSRF-TOKEN", &csrf);
    let claimed = data(&with_token, CLAIM, json!({"id": "1"})).await;
    assert_eq!(claimed["claimTask"]["assignee"], "demo");
    // A bearer token needs none.
    let bearer = Client::bearer(&server);
    assert_eq!(
        gql(&bearer, "{ task(id: \"1\") { id } }", json!({}))
            .await
            .status,
        401,
        "the cookie mode refuses other credentials"
    );
}

#[tokio::test]
async fn faults_and_counters_cover_the_graphql_route() {
    let server = server(AuthMode::None).await;
    let client = Client::anonymous(&server);
    server.fail_next(Route::Graphql, 1, Fault::Unavailable { retry_after: None });
    assert_eq!(
        gql(&client, "{ task(id: \"1\") { id } }", json!({}))
            .await
            .status,
        503
    );
    assert_eq!(
        gql(&client, "{ task(id: \"1\") { id } }", json!({}))
            .await
            .status,
        200
    );
    assert_eq!(server.requests(Route::Graphql), 2);
    assert_eq!(server.requests(Route::GetTask), 0);
}

#[tokio::test]
async fn graphql_is_served_under_the_base_path() {
    let server = TestServer::builder()
        .auth(AuthMode::None)
        .base_path("/physical-tenants/abc")
        .start()
        .await
        .unwrap();
    server.store().insert_task(task("1", 0));
    let client = Client::anonymous(&server);
    let found = data(&client, "{ task(id: \"1\") { id } }", json!({})).await;
    assert_eq!(found["task"]["id"], "1");
    assert_eq!(server.requests(Route::Graphql), 1);
}

#[tokio::test]
async fn camunda_8_8_and_later_answer_404() {
    for profile in [Profile::V8_8, Profile::V8_9, Profile::V8_10] {
        let server = server_with(profile, AuthMode::OAuth).await;
        let client = Client::bearer(&server);
        let reply = gql(&client, "{ tasks(query: {}) { id } }", json!({})).await;
        assert_eq!(reply.status, 404, "{profile}: {}", reply.text);
        assert_eq!(server.requests(Route::Graphql), 1, "{profile}");
        assert!(!profile.serves_graphql());
    }
    assert!(Profile::V8_7.serves_graphql());
}
