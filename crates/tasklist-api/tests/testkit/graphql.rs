//! The legacy GraphQL endpoint (8.7), with a token and with a cookie session.

use super::*;

#[tokio::test]
async fn graphql_queries_and_claims_on_8_7_with_a_token_and_a_cookie_session() {
    for mode in [Mode::OAuth, Mode::Cookie(LoginPath::Api)] {
        let server = server(Profile::V8_7, &mode, 0).await;
        insert_contract_task(&server);
        let client = client(&server, &mode);

        // The guide's query.
        let data = client.graphql("{tasks(query:{}){name}}").await.unwrap();
        assert_eq!(data, json!({"tasks": [{"name": "Review contract"}]}));

        // A mutation with variables and an operation name: an API client names the assignee,
        // a user claims for themself (the CSRF token goes along with the session).
        let (assignee, expected) = if mode.is_jwt() {
            (json!("carol"), "carol")
        } else {
            (Value::Null, USER)
        };
        let data = client
            .graphql(
                "query Other { task(id: \"1\") { id } } \
                 mutation Claim($id: String!, $who: String) { \
                   claimTask(taskId: $id, assignee: $who) { id assignee variables { name } } }",
            )
            .variables(json!({"id": TASK, "who": assignee}))
            .operation_name("Claim")
            .await
            .unwrap();
        assert_eq!(
            data,
            json!({"claimTask": {"id": TASK, "assignee": expected, "variables": [
                {"name": "amount"}, {"name": "customer"}, {"name": "note"},
            ]}})
        );
        assert_eq!(stored(&server, TASK).assignee.as_deref(), Some(expected));

        // The server's message in `errors`.
        match client
            .graphql(format!(
                "mutation {{ unclaimTask(taskId: \"{MISSING}\") {{ id }} }}"
            ))
            .await
        {
            Err(Error::GraphQl { errors, data }) => {
                assert_eq!(
                    errors[0].message,
                    format!("task with id {MISSING} was not found")
                );
                assert_eq!(errors[0].path, [json!("unclaimTask")]);
                assert_eq!(data, None);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(server.requests(Route::Graphql), 3, "{mode:?}");
    }

    // Camunda 8.8 removed the endpoint.
    let mode = Mode::OAuth;
    let server = server(Profile::V8_8, &mode, 0).await;
    let error = client(&server, &mode)
        .graphql("{tasks(query:{}){name}}")
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
}
