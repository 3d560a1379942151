//! The legacy GraphQL endpoint: Tasklist served `POST /graphql` until 8.8 removed it.

use http::Method;
use serde::de::Error as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tasklist_transport::Idempotency;

use crate::client::{Call, Client, PathBuilder, into_future};
use crate::error::{ApiError, Error};
use crate::v1::graphql_error::GraphQlError;

/// A raw GraphQL query, from [`Client::graphql`].
///
/// Sends `{"query", "variables", "operationName"}` to `{base}/graphql` and returns the
/// response's `data`; a response with `errors` becomes [`Error::GraphQl`] (keeping any partial
/// data). Servers of 8.8 and later answer `404`, which becomes [`Error::NotFound`].
///
/// The request is marked not idempotent, because a query may hold mutations.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), tasklist_api::Error> {
/// # let client = tasklist_api::Client::new("http://localhost:8080", tasklist_transport::test_util::Canned::json(200, r#"{"data":{"tasks":[{"name":"Check invoice"}]}}"#))?;
/// let data = client.graphql("{tasks(query:{}){name}}").await?;
/// assert_eq!(data["tasks"][0]["name"], "Check invoice");
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct GraphQlRequest {
    client: Client,
    body: Body,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    query: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    variables: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    operation_name: Option<String>,
}

impl GraphQlRequest {
    pub(crate) fn new(client: Client, query: String) -> Self {
        GraphQlRequest {
            client,
            body: Body {
                query,
                variables: None,
                operation_name: None,
            },
        }
    }

    /// The query's variables, a JSON object.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let data = client
    ///     .graphql("query Task($id: String!) { task(id: $id) { name assignee } }")
    ///     .variables(serde_json::json!({"id": "2251799813685251"}))
    ///     .await?;
    /// # let _ = data; Ok(())
    /// # }
    /// ```
    pub fn variables(mut self, variables: Value) -> Self {
        self.body.variables = Some(variables);
        self
    }

    /// Which operation of the query to run, when it holds several.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let data = client
    ///     .graphql("query Mine { tasks(query: {assigned: true}) { id } } query All { tasks(query: {}) { id } }")
    ///     .operation_name("Mine")
    ///     .await?;
    /// # let _ = data; Ok(())
    /// # }
    /// ```
    pub fn operation_name(mut self, name: impl Into<String>) -> Self {
        self.body.operation_name = Some(name.into());
        self
    }

    /// Sends the query and returns the response's `data`.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// match client.graphql("{tasks(query:{}){name}}").send().await {
    ///     Ok(data) => println!("{data}"),
    ///     Err(tasklist_api::Error::GraphQl { errors, .. }) => println!("{}", errors[0].message),
    ///     Err(e) if e.is_not_found() => println!("this server no longer serves GraphQL"),
    ///     Err(e) => println!("{e}"),
    /// }
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Value> {
        Box::pin(async move {
            let path = PathBuilder::new().fixed("graphql").build();
            let call =
                Call::new(Method::POST, path, Idempotency::NotIdempotent).json_body(&self.body)?;
            let response = self.client.exchange(call).await?;
            let status = response.status();
            let body = response.into_body();
            let envelope = serde_json::from_slice::<Envelope>(&body);
            match envelope {
                // GraphQL errors may come with any status.
                Ok(Envelope {
                    errors: Some(errors),
                    data,
                }) if !errors.is_empty() => Err(Error::GraphQl {
                    errors,
                    data: data.filter(|d| !d.is_null()),
                }),
                _ if !status.is_success() => Err(ApiError::from_response(status, &body)),
                Ok(Envelope {
                    data: Some(data), ..
                }) if !data.is_null() => Ok(data),
                Ok(_) => Err(Error::decode(
                    status,
                    &body,
                    serde_json::Error::custom("the response has neither data nor errors"),
                )),
                Err(e) => Err(Error::decode(status, &body, e)),
            }
        })
    }
}

into_future!(GraphQlRequest => Value);

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    data: Option<Value>,
    #[serde(default)]
    errors: Option<Vec<GraphQlError>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Recorder, json_response};
    use serde_json::json;

    #[tokio::test]
    async fn posts_the_query_and_returns_data() {
        let recorder = Recorder::new([json_response(
            200,
            r#"{"data":{"tasks":[{"name":"A"},{"name":"B"}]}}"#,
        )]);
        let client = recorder.client("http://h/tasklist/");
        let data = client
            .graphql("{tasks(query:{}){name}}")
            .variables(json!({"n": 1}))
            .await
            .unwrap();
        assert_eq!(data, json!({"tasks": [{"name": "A"}, {"name": "B"}]}));
        let request = &recorder.requests()[0];
        assert_eq!(request.method, "POST");
        assert_eq!(request.uri, "http://h/tasklist/graphql");
        assert_eq!(
            request.body,
            r#"{"query":"{tasks(query:{}){name}}","variables":{"n":1}}"#
        );
        assert_eq!(request.idempotency, Idempotency::NotIdempotent);
        assert_eq!(request.header("content-type"), Some("application/json"));
    }

    #[tokio::test]
    async fn errors_are_returned_with_partial_data() {
        let recorder = Recorder::new([
            json_response(
                200,
                r#"{"errors":[{"message":"Field 'nope' is undefined","locations":[{"line":1,"column":2}],
                   "extensions":{"classification":"ValidationError"}}],"data":null}"#,
            ),
            json_response(
                200,
                r#"{"errors":[{"message":"a"},{"message":"b"}],"data":{"tasks":[]}}"#,
            ),
            json_response(400, r#"{"errors":[{"message":"parse error"}]}"#),
        ]);
        let client = recorder.client("http://h");
        match client.graphql("{nope}").await.unwrap_err() {
            Error::GraphQl { errors, data } => {
                assert_eq!(errors[0].message, "Field 'nope' is undefined");
                assert_eq!(errors[0].locations[0].column, 2);
                assert_eq!(data, None);
            }
            other => panic!("{other:?}"),
        }
        let e = client.graphql("{x}").await.unwrap_err();
        assert_eq!(e.to_string(), "the GraphQL request failed: a (and 1 more)");
        assert!(matches!(e, Error::GraphQl { data: Some(_), .. }));
        let e = client.graphql("{").await.unwrap_err();
        assert!(matches!(e, Error::GraphQl { .. }));
    }

    #[tokio::test]
    async fn servers_without_graphql_and_odd_bodies() {
        let recorder = Recorder::new([
            json_response(
                404,
                r#"{"status":404,"message":"No static resource graphql."}"#,
            ),
            json_response(200, r#"{"data":null}"#),
            json_response(200, "<html>login</html>"),
        ]);
        let client = recorder.client("http://h");
        let e = client.graphql("{a}").await.unwrap_err();
        assert!(e.is_not_found());
        let e = client.graphql("{a}").await.unwrap_err();
        assert!(matches!(e, Error::Decode { .. }));
        let e = client.graphql("{a}").await.unwrap_err();
        assert!(matches!(e, Error::Decode { excerpt, .. } if excerpt == "<html>login</html>"));
    }
}
