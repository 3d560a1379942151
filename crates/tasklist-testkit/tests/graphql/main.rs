//! The legacy GraphQL endpoint of the 8.7 profile (`POST /graphql`) over real HTTP: the served
//! schema against the vendored SDL, the queries and mutations against the store and the REST
//! rules they share, errors, authentication and CSRF, and its absence from 8.8 on.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../api_support/mod.rs"]
mod api_support;
mod mutations;
mod queries;
mod refused;
mod schema;

use api_support::{Client, Reply, task};
use serde_json::{Value, json};
use tasklist_testkit::store::{TaskImplementation, TaskState};
use tasklist_testkit::{AuthMode, Profile, TestServer};

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

const CLAIM: &str = "mutation Claim($id: String!, $assignee: String, $override: Boolean) { \
    claimTask(taskId: $id, assignee: $assignee, allowOverrideAssignment: $override) \
    { id assignee taskState } }";
const UNCLAIM: &str =
    "mutation Unclaim($id: String!) { unclaimTask(taskId: $id) { id assignee taskState } }";
const COMPLETE: &str = "mutation Complete($id: String!, $variables: [VariableInput!]!) { \
    completeTask(taskId: $id, variables: $variables) \
    { id taskState completionTime variables { name value } } }";
