//! The legacy GraphQL endpoint, `POST /graphql`, as Tasklist served it up to 8.7 (Camunda 8.8
//! removed it; the 8.8+ profiles answer `404` there, as for any unknown path).
//!
//! The schema is the vendored `spec/tasklist.graphqls` (Camunda's published SDL), restricted to
//! what the store knows: the queries `tasks`, `task`, `variables`, `variable` and `form`, and the
//! mutations `claimTask`, `unclaimTask` and `completeTask`. `currentUser`, `processes`,
//! `deleteProcessInstance` and `startProcess` need Identity, the process store or the engine and
//! are not served (a query naming them is a validation error); the schema test
//! (`tests/graphql/schema.rs`) lists every such difference with its reason. One addition:
//! `TaskState` has `FAILED`, which Tasklist's state enum gained in 8.5, so that a failed task in
//! the store does not break a query.
//!
//! Semantics follow Tasklist's own code (camunda/camunda, `tasklist/webapp`, package
//! `webapp.graphql`): `resolvers/Queries`, `resolvers/Mutations`, `extensions/TaskExtension`,
//! `resolvers/TaskVariablesFetcher`, `entity/TaskDTO`, `entity/TaskQueryDTO`,
//! `DisableIntrospectionInstrumentation`, and graphql-java-kickstart's `HttpRequestHandlerImpl`
//! for the HTTP side. The resolvers call the same `TaskService`/`VariableService` as the REST
//! controllers, so they share the REST rules here too ([`crate::api`]):
//!
//! - `tasks(query)` is the v1 search (filters, default sort, `sortValues` cursors, `pageSize`
//!   default 50 and "Page size should be a positive number", one cursor at most); `task(id)` is
//!   `GET /v1/tasks/{id}` ("task with id … was not found").
//! - `claimTask` is `TaskService.assignTask`: a bearer-token caller must name the assignee and may
//!   reassign (`allowOverrideAssignment` defaults to true); a session or Basic user claims for
//!   themself and may not claim an assigned task. `unclaimTask` needs an active, assigned task.
//!   `completeTask` needs an active task, assigned to the caller unless an API user; values are
//!   JSON text (an unreadable one fails with the parser's message); unlike REST, the completion
//!   snapshot does not take the drafts (`completeTask(taskId, variables, false)`).
//! - Every mutation first loads the task and refuses a Zeebe user task, whoever calls
//!   (`Mutations.checkTaskImplementation`): "This operation is not supported using Tasklist
//!   graphql API. …".
//! - A `Task`'s `variables` are its process variables while `CREATED`, its completion snapshot
//!   once `COMPLETED`, none otherwise (no drafts), sorted by name, with the full `value`,
//!   `previewValue` cut at the truncation threshold and `isValueTruncated`. `sortValues` and
//!   `isFirst` are set in `tasks` results; elsewhere `sortValues` is null and `isFirst` false.
//!   `processDefinitionId` and `processInstanceId` are the keys; `creationTime` and
//!   `completionTime` are strings in the REST date format (`2024-03-01T08:00:00.000+0000`);
//!   `dueDate` and `followUpDate` are `DateTime`s (RFC 3339 with milliseconds, in UTC).
//! - Errors a resolver raises go into the `errors` array with the server's message, under HTTP
//!   `200`; a non-null field that fails nulls its parent, as GraphQL prescribes. Syntax and
//!   validation errors also answer `200` with `errors` (their wording is the GraphQL library's,
//!   not graphql-java's).
//! - A body that is not a GraphQL request (not JSON, no `query`) is a `400` with an empty body,
//!   as kickstart answers a request it cannot read. `application/graphql` bodies (the query as
//!   text) and batches (a JSON array of requests) are accepted, as kickstart does.
//! - Introspection is off, as by default in Tasklist (`camunda.tasklist.graphql-introspection-enabled`):
//!   a query operation whose text contains `__schema` or `__type` (so also `__typename`) makes the
//!   instrumentation throw, which kickstart answers with `400` and an empty body.
//!
//! The endpoint sits behind the same authentication and CSRF checks as the REST API.

mod call;
mod objects;
mod resolvers;
mod types;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use async_graphql::parser::parse_query;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection,
};
use async_graphql::{
    BatchRequest, BatchResponse, EmptySubscription, Name, PathSegment, Positioned, Request, Schema,
    Value,
};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};

use self::call::Call;
use self::resolvers::{Mutation, Query};
use crate::api::Who;
use crate::auth::Caller;
use crate::state::AppState;

/// The root fields whose type is nullable (`form: Form`); every other one is non-null.
const NULLABLE_ROOT_FIELDS: [&str; 1] = ["form"];

/// The schema served.
type TasklistSchema = Schema<Query, Mutation, EmptySubscription>;

/// The schema, built once (it holds no state: each request carries its [`Call`]).
fn schema() -> &'static TasklistSchema {
    static SCHEMA: OnceLock<TasklistSchema> = OnceLock::new();
    SCHEMA.get_or_init(|| Schema::build(Query, Mutation, EmptySubscription).finish())
}

/// The SDL of the GraphQL schema that [`Profile::V8_7`](crate::Profile::V8_7) serves at
/// `POST /graphql`: the part of Tasklist's published schema (`spec/tasklist.graphqls`) that the
/// testkit's store can answer. The crate's tests compare it with the vendored schema.
///
/// ```
/// let sdl = tasklist_testkit::graphql_sdl();
/// assert!(sdl.contains("claimTask"));
/// assert!(sdl.contains("type Task"));
/// ```
pub fn graphql_sdl() -> String {
    schema().sdl()
}

/// The router of `POST /graphql`.
pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/graphql", post(graphql))
}

async fn graphql(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(batch) = read_request(&headers, &body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    if batch.iter().any(is_introspection) {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let roots: Vec<BTreeMap<String, String>> = batch.iter().map(root_fields).collect();
    let call = Call {
        state,
        who: Who::of(caller),
    };
    let response = match schema().execute_batch(batch.data(call)).await {
        BatchResponse::Single(mut response) => {
            null_failed_fields(&mut response, roots.first());
            BatchResponse::Single(response)
        }
        BatchResponse::Batch(mut responses) => {
            for (response, roots) in responses.iter_mut().zip(&roots) {
                null_failed_fields(response, Some(roots));
            }
            BatchResponse::Batch(responses)
        }
    };
    axum::Json(response).into_response()
}

/// The operation of `document` that a request naming `name` runs.
fn operation<'a>(
    document: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a Positioned<OperationDefinition>> {
    match (&document.operations, name) {
        (DocumentOperations::Single(operation), _) => Some(operation),
        (DocumentOperations::Multiple(operations), Some(name)) => operations
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, operation)| operation),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// The root fields a request selects: response key (alias or name) → field name.
fn root_fields(request: &Request) -> BTreeMap<String, String> {
    let Ok(document) = parse_query(&request.query) else {
        return BTreeMap::new();
    };
    let Some(operation) = operation(&document, request.operation_name.as_deref()) else {
        return BTreeMap::new();
    };
    operation
        .node
        .selection_set
        .node
        .items
        .iter()
        .filter_map(|selection| match &selection.node {
            Selection::Field(field) => Some((
                field.node.response_key().node.to_string(),
                field.node.name.node.to_string(),
            )),
            _ => None,
        })
        .collect()
}

/// GraphQL's null propagation for the fields that failed, which the executor leaves out of
/// `data`: a failed nullable root field is `null`; a failed non-null one nulls `data` itself
/// (graphql-java does both). Resolvers fail only at the root here.
fn null_failed_fields(
    response: &mut async_graphql::Response,
    roots: Option<&BTreeMap<String, String>>,
) {
    let mut nulls = Vec::new();
    for error in &response.errors {
        let Some(PathSegment::Field(key)) = error.path.first() else {
            continue;
        };
        let field = roots.and_then(|roots| roots.get(key));
        if field.is_some_and(|f| NULLABLE_ROOT_FIELDS.contains(&f.as_str())) {
            nulls.push(key.clone());
        } else {
            response.data = Value::Null;
            return;
        }
    }
    if nulls.is_empty() {
        return;
    }
    if response.data == Value::Null {
        response.data = Value::Object(Default::default());
    }
    if let Value::Object(data) = &mut response.data {
        for key in nulls {
            data.insert(Name::new(key), Value::Null);
        }
    }
}

/// The request(s) of a body: JSON `{query, variables, operationName}` or an array of them, or
/// the query as text under `application/graphql`. `None` for anything else, or a request
/// without a query.
fn read_request(headers: &HeaderMap, body: &[u8]) -> Option<BatchRequest> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let batch = if content_type.starts_with("application/graphql") {
        BatchRequest::Single(Request::new(std::str::from_utf8(body).ok()?))
    } else {
        serde_json::from_slice::<BatchRequest>(body).ok()?
    };
    let complete = batch.iter().all(|request| !request.query.trim().is_empty());
    complete.then_some(batch)
}

/// `DisableIntrospectionInstrumentation`: the operation to run is a query and the request's
/// text contains `__schema` or `__type`. A query that does not parse is left to the executor,
/// which reports the syntax error.
fn is_introspection(request: &Request) -> bool {
    let text = &request.query;
    if !(text.contains("__schema") || text.contains("__type")) {
        return false;
    }
    let Ok(document) = parse_query(text) else {
        return false;
    };
    operation(&document, request.operation_name.as_deref())
        .is_some_and(|operation| operation.node.ty == OperationType::Query)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Ok(value) = content_type.parse() {
            headers.insert(header::CONTENT_TYPE, value);
        }
        headers
    }

    #[test]
    fn bodies_that_are_not_graphql_requests_are_refused() {
        let headers = json("application/json");
        assert!(read_request(&headers, br#"{"query":"{tasks(query:{}){id}}"}"#).is_some());
        assert!(
            read_request(
                &headers,
                br#"[{"query":"{a}"},{"query":"{b}","variables":null}]"#
            )
            .is_some()
        );
        assert!(read_request(&headers, b"{tasks(query:{}){id}}").is_none());
        assert!(read_request(&headers, br#"{"variables":{}}"#).is_none());
        assert!(read_request(&headers, br#"{"query":"  "}"#).is_none());
        assert!(read_request(&headers, b"[]").is_none());
        let graphql = json("application/graphql; charset=utf-8");
        assert!(read_request(&graphql, b"{tasks(query:{}){id}}").is_some());
    }

    #[test]
    fn introspection_is_recognised_as_tasklist_does() {
        let query = |text: &str| Request::new(text);
        assert!(is_introspection(&query("{ __schema { types { name } } }")));
        assert!(is_introspection(&query(
            "{ tasks(query: {}) { id __typename } }"
        )));
        assert!(!is_introspection(&query("{ tasks(query: {}) { id } }")));
        // Mutations are not checked; nor is a query that does not parse.
        assert!(!is_introspection(&query(
            "mutation { unclaimTask(taskId: \"1\") { __typename } }"
        )));
        assert!(!is_introspection(&query("{ __schema ")));
        let named = "query A { __type(name: \"Task\") { name } } mutation B { x { __typename } }";
        assert!(is_introspection(&query(named).operation_name("A")));
        assert!(!is_introspection(&query(named).operation_name("B")));
    }
}
