//! Requests that are refused: errors, authentication, CSRF, and the endpoint's absence from
//! 8.8 on.

use serde_json::json;
use tasklist_testkit::{AuthMode, Fault, Profile, Route, TestServer};

use crate::api_support::{Client, task};
use crate::{CLAIM, data, errors, gql, login, server, server_with};

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
