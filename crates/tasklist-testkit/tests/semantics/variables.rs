//! `includeVariables` and truncation, a task's variables, and draft variables.

use serde_json::Value;
use tasklist_testkit::store::TaskState;
use tasklist_testkit::{AuthMode, TestServer};

use crate::api_support::{Client, assert_error, task};
use crate::{V87, not_active, not_assigned, server};

// ----- includeVariables and truncation ------------------------------------------------------

#[tokio::test]
async fn include_variables_truncates_long_values_unless_the_full_value_is_asked_for() {
    let server = TestServer::builder()
        .auth(AuthMode::None)
        .truncation_threshold(10)
        .start()
        .await
        .unwrap();
    server.store().insert_task(task("1", 0));
    let store = server.store();
    store.insert_variable("1", "short", "\"abc\"").unwrap();
    store
        .insert_variable("1", "long", "\"0123456789abcdef\"")
        .unwrap();
    store.insert_variable("1", "other", "1").unwrap();
    store
        .insert_variable("1", "taskContextDisplayName", "\"Case \\\"7\\\"\"")
        .unwrap();
    let client = Client::anonymous(&server);

    let tasks = client
        .search(r#"{"includeVariables":[{"name":"short"},{"name":"long"}]}"#)
        .await;
    let variables = tasks[0]["variables"].as_array().unwrap();
    assert_eq!(variables.len(), 2);
    let long = &variables[0];
    assert_eq!(long["name"], "long");
    assert_eq!(long["isValueTruncated"], true);
    assert_eq!(long["previewValue"], "\"012345678");
    assert_eq!(long["value"], Value::Null);
    assert!(long.get("draft").is_none());
    let short = &variables[1];
    assert_eq!(short["value"], "\"abc\"");
    assert_eq!(short["previewValue"], "\"abc\"");
    assert_eq!(short["isValueTruncated"], false);
    // The context variable is not in `variables` but gives `context`, without quotes.
    assert_eq!(tasks[0]["context"], "Case \\7\\");

    let tasks = client
        .search(r#"{"includeVariables":[{"name":"long","alwaysReturnFullValue":true}]}"#)
        .await;
    assert_eq!(tasks[0]["variables"][0]["value"], "\"0123456789abcdef\"");
    assert_eq!(tasks[0]["variables"][0]["isValueTruncated"], true);
}

#[tokio::test]
async fn task_variables_search_filters_by_name_and_truncates() {
    let server = TestServer::builder()
        .auth(AuthMode::None)
        .truncation_threshold(4)
        .start()
        .await
        .unwrap();
    server.store().insert_task(task("1", 0));
    for (name, value) in [("a", "1"), ("b", "\"long text\""), ("c", "[1,2]")] {
        server.store().insert_variable("1", name, value).unwrap();
    }
    let client = Client::anonymous(&server);
    let all = client.post("/v1/tasks/1/variables/search", "").await.json();
    assert_eq!(all.as_array().unwrap().len(), 3);
    let some = client
        .post(
            "/v1/tasks/1/variables/search",
            r#"{"variableNames":["b","zzz"]}"#,
        )
        .await
        .json();
    assert_eq!(some.as_array().unwrap().len(), 1);
    assert_eq!(some[0]["previewValue"], "\"lon");
    assert_eq!(some[0]["isValueTruncated"], true);
    assert_eq!(some[0]["value"], Value::Null);
    let full = client
        .post(
            "/v1/tasks/1/variables/search",
            r#"{"includeVariables":[{"name":"b","alwaysReturnFullValue":true}]}"#,
        )
        .await
        .json();
    assert_eq!(full[0]["value"], "\"long text\"");
    let reply = client
        .post(
            "/v1/tasks/1/variables/search",
            r#"{"variableNames":["a"],"includeVariables":[{"name":"b"}]}"#,
        )
        .await;
    assert_error(
        &reply,
        V87,
        400,
        "Only one of [variableNames, includeVariables] must be present in request.",
        true,
    );
}

// ----- draft variables ----------------------------------------------------------------------

#[tokio::test]
async fn drafts_replace_the_whole_set_keep_the_last_duplicate_and_skip_unchanged_values() {
    let server = server(AuthMode::OAuth).await;
    server.store().insert_task(task("1", 0));
    server.store().insert_variable("1", "a", "1").unwrap();
    let client = Client::bearer(&server);
    let reply = client
        .post(
            "/v1/tasks/1/variables",
            r#"{"variables":[{"name":"x","value":"1"},{"name":"y","value":"2"}]}"#,
        )
        .await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.text, "");
    let reply = client
        .post(
            "/v1/tasks/1/variables",
            r#"{"variables":[{"name":"a","value":"1"},{"name":"z","value":"\"first\""},{"name":"z","value":"\"last\""}]}"#,
        )
        .await;
    assert_eq!(reply.status, 204);
    let drafts = server.store().draft_variables("1").unwrap();
    let pairs: Vec<(&str, &str)> = drafts
        .iter()
        .map(|d| (d.name.as_str(), d.value.as_str()))
        .collect();
    assert_eq!(pairs, [("z", "\"last\"")]);
    assert_eq!(drafts[0].id, "1-z");

    // A changed value of an existing variable is stored under the variable's id and shows up as
    // its draft; a new one shows up alone.
    client
        .post(
            "/v1/tasks/1/variables",
            r#"{"variables":[{"name":"a","value":"2"},{"name":"n","value":"true"}]}"#,
        )
        .await;
    let found = client
        .post("/v1/tasks/1/variables/search", "{}")
        .await
        .json();
    assert_eq!(found[0]["name"], "a");
    assert_eq!(found[0]["value"], "1");
    assert_eq!(found[0]["draft"]["value"], "2");
    assert_eq!(found[1]["name"], "n");
    assert_eq!(found[1]["value"], Value::Null);
    assert_eq!(found[1]["previewValue"], Value::Null);
    assert_eq!(found[1]["draft"]["value"], "true");
    let variable = client.get("/v1/variables/1-a").await.json();
    assert_eq!(variable["value"], "1");
    assert_eq!(variable["draft"]["value"], "2");
    let draft_only = client.get("/v1/variables/1-n").await.json();
    assert_eq!(draft_only["value"], Value::Null);
    assert_eq!(draft_only["draft"]["value"], "true");
}

#[tokio::test]
async fn drafts_must_be_json_text() {
    let server = server(AuthMode::OAuth).await;
    server.store().insert_task(task("1", 0));
    let reply = Client::bearer(&server)
        .post(
            "/v1/tasks/1/variables",
            r#"{"variables":[{"name":"x","value":"not json"}]}"#,
        )
        .await;
    assert_error(
        &reply,
        V87,
        400,
        "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 5]",
        true,
    );
}

#[tokio::test]
async fn drafts_follow_the_completion_rules_for_users_but_not_for_token_callers() {
    let server = server(AuthMode::Basic).await;
    server.store().insert_task(task("1", 0));
    let mut t = task("2", 0);
    t.state = TaskState::Completed;
    server.store().insert_task(t);
    let client = Client::basic(&server, "demo", "demo");
    let body = r#"{"variables":[]}"#;
    assert_error(
        &client.post("/v1/tasks/1/variables", body).await,
        V87,
        400,
        &not_assigned(),
        true,
    );
    assert_error(
        &client.post("/v1/tasks/2/variables", body).await,
        V87,
        400,
        &not_active(),
        true,
    );

    let oauth = self::server(AuthMode::OAuth).await;
    oauth.store().insert_task(task("1", 0));
    let reply = Client::bearer(&oauth)
        .post("/v1/tasks/1/variables", body)
        .await;
    assert_eq!(reply.status, 204);
}

#[tokio::test]
async fn a_completed_task_shows_its_snapshot_and_variables_are_json_text() {
    let server = server(AuthMode::OAuth).await;
    server.store().insert_task(task("1", 0));
    let text = "\"He said \\\"hi\\\"\\nünï ✓\"";
    server.store().insert_variable("1", "s", text).unwrap();
    let client = Client::bearer(&server);
    client.patch("/v1/tasks/1/complete", None).await;
    let found = client.post("/v1/tasks/1/variables/search", "").await.json();
    assert_eq!(found[0]["id"], "1-s");
    assert_eq!(found[0]["value"], text);
    let snapshot = client.get("/v1/variables/1-s").await.json();
    assert_eq!(snapshot["value"], text);
    // The value is JSON text: parsing it gives the string.
    let parsed: String = serde_json::from_str(snapshot["value"].as_str().unwrap()).unwrap();
    assert_eq!(parsed, "He said \"hi\"\nünï ✓");
}
