//! The queries: `tasks`, `task`, `variables`, `variable` and `form`.

use serde_json::{Value, json};
use tasklist_testkit::store::Form;
use tasklist_testkit::{AuthMode, Route, TestServer};

use crate::api_support::{Client, task};
use crate::{ALL_FIELDS, data, errors, ids, login, server};

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
