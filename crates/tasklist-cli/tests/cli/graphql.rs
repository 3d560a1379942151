//! `graphql` against a stub of the legacy endpoint (the testkit serves only the REST API), with
//! a token from the testkit's token endpoint.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::http::HeaderMap;
use axum::routing::post;
use serde_json::{Value, json};

use crate::common::{Kit, Mode};

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
    let kit = Kit::start(Mode::OAuth);
    let line = kit.run(["graphql", "{ tasks(query: {}) { id } }"]).fails(4);
    assert!(line.contains("GraphQL"), "{line}");
    assert!(line.contains("REST"), "what to do instead: {line}");
}
