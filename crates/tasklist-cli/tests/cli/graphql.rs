//! `graphql`: against the testkit's 8.7 profile, which serves the legacy endpoint over its
//! store; against a stub that records exactly what the CLI sends (with a token from the
//! testkit's token endpoint); and against 8.8, which removed it.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::http::HeaderMap;
use axum::routing::post;
use serde_json::{Value, json};
use tasklist_testkit::store::TaskState;
use tasklist_testkit::{Profile, Route};

use crate::common::{Kit, Mode, builder};

#[test]
fn graphql_queries_and_changes_the_87_testkit() {
    let kit = Kit::start(Mode::OAuth);
    kit.add_task("701", "Approve invoice");
    let server = kit.server();

    let run = kit.run([
        "graphql",
        "{ tasks(query: {}) { id name taskState variables { name value } } }",
    ]);
    run.ok();
    assert_eq!(
        run.json(),
        json!({"tasks": [{"id": "701", "name": "Approve invoice", "taskState": "CREATED",
            "variables": [{"name": "amount", "value": "1250.5"}, {"name": "region", "value": "\"EMEA\""}]}]})
    );

    // Mutations with variables: an API client (a token) names the assignee.
    let run = kit.run([
        "graphql",
        "mutation Claim($id: String!) { claimTask(taskId: $id, assignee: \"cli\") { assignee } }",
        "--variables",
        r#"{"id": "701"}"#,
    ]);
    run.ok();
    assert_eq!(run.json(), json!({"claimTask": {"assignee": "cli"}}));
    let run = kit.run([
        "graphql",
        "mutation { completeTask(taskId: \"701\", variables: [{name: \"ok\", value: \"true\"}]) { taskState } }",
    ]);
    run.ok();
    assert_eq!(
        run.json(),
        json!({"completeTask": {"taskState": "COMPLETED"}})
    );
    assert_eq!(
        server.store().task("701").unwrap().state,
        TaskState::Completed
    );

    // The server's message of a broken rule: the request was rejected (exit 5).
    let line = kit
        .run([
            "graphql",
            "mutation { unclaimTask(taskId: \"701\") { id } }",
        ])
        .fails(5);
    assert!(line.contains("TASK_IS_NOT_ACTIVE"), "{line}");
    assert_eq!(server.requests(Route::Graphql), 4);
    assert_eq!(server.token_requests(), 1, "the cached token is reused");
}

/// What the stub received: the `Authorization` header and the body.
type Seen = Arc<Mutex<Vec<(Option<String>, Value)>>>;

/// Serves `POST /graphql` on the kit's runtime: `data` for a query, `errors` when the query
/// mentions `broken`.
fn stub(kit: &Kit) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let app = axum::Router::new().route(
        "/graphql",
        post(move |headers: HeaderMap, Json(body): Json<Value>| {
            let record = record.clone();
            async move {
                let auth = headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                let broken = body["query"].as_str().unwrap_or("").contains("broken");
                record.lock().unwrap().push((auth, body));
                if broken {
                    Json(json!({"errors": [{"message": "Validation error of type FieldUndefined: broken"}]}))
                } else {
                    Json(json!({"data": {"tasks": [{"id": "1", "name": "Approve invoice"}]}}))
                }
            }
        }),
    );
    let url = kit.serve(app);
    (url, seen)
}

#[test]
fn graphql_sends_the_query_with_a_token_and_prints_the_data() {
    let kit = Kit::start(Mode::OAuth);
    let (url, seen) = stub(&kit);

    let mut cmd = kit.cmd();
    cmd.args([
        "--base-url",
        &url,
        "graphql",
        "query Tasks($q: TaskQuery!) { tasks(query: $q) { id name } }",
        "--variables",
        r#"{"q": {"state": "CREATED"}}"#,
        "--operation-name",
        "Tasks",
    ]);
    let run = kit.finish(&mut cmd);
    run.ok();
    assert_eq!(
        run.json(),
        json!({"tasks": [{"id": "1", "name": "Approve invoice"}]})
    );
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        let (auth, body) = &seen[0];
        assert!(
            auth.as_deref().is_some_and(|a| a.starts_with("Bearer eyJ")),
            "the token from the token endpoint is sent"
        );
        assert_eq!(
            body["query"],
            "query Tasks($q: TaskQuery!) { tasks(query: $q) { id name } }"
        );
        assert_eq!(body["variables"], json!({"q": {"state": "CREATED"}}));
        assert_eq!(body["operationName"], "Tasks");
    }
    assert_eq!(kit.server().token_requests(), 1);

    // The query from a file and from stdin.
    let file = kit.dir().join("query.graphql");
    std::fs::write(&file, "{ tasks(query: {}) { id } }").unwrap();
    let mut cmd = kit.cmd();
    cmd.args(["--base-url", &url, "graphql"])
        .arg(format!("@{}", file.display()));
    kit.finish(&mut cmd).ok();
    let mut cmd = kit.cmd();
    cmd.args(["--base-url", &url, "graphql", "-"])
        .write_stdin("{ tasks(query: {}) { name } }");
    kit.finish(&mut cmd).ok();
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen[1].1["query"], "{ tasks(query: {}) { id } }");
        assert_eq!(seen[2].1["query"], "{ tasks(query: {}) { name } }");
    }

    // GraphQL errors: the request was rejected (exit 5), with the server's message.
    let mut cmd = kit.cmd();
    cmd.args(["--base-url", &url, "graphql", "{ broken }"]);
    let line = kit.finish(&mut cmd).fails(5);
    assert!(line.contains("FieldUndefined"), "{line}");
}

#[test]
fn graphql_against_a_server_without_it_is_not_found() {
    let kit = Kit::with(Mode::OAuth, builder(Mode::OAuth).profile(Profile::V8_8));
    let line = kit.run(["graphql", "{ tasks(query: {}) { id } }"]).fails(4);
    assert!(line.contains("GraphQL"), "{line}");
    assert!(line.contains("REST"), "what to do instead: {line}");
}
