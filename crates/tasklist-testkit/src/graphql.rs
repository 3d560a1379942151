//! The legacy GraphQL endpoint, `POST /graphql`, as Tasklist served it up to 8.7 (Camunda 8.8
//! removed it; the 8.8+ profiles answer `404` there, as for any unknown path).
//!
//! The schema is the vendored `spec/tasklist.graphqls` (Camunda's published SDL), restricted to
//! what the store knows: the queries `tasks`, `task`, `variables`, `variable` and `form`, and the
//! mutations `claimTask`, `unclaimTask` and `completeTask`. `currentUser`, `processes`,
//! `deleteProcessInstance` and `startProcess` need Identity, the process store or the engine and
//! are not served (a query naming them is a validation error); the schema test
//! (`tests/graphql.rs`) lists every such difference with its reason. One addition: `TaskState`
//! has `FAILED`, which Tasklist's state enum gained in 8.5, so that a failed task in the store
//! does not break a query.
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

use std::collections::BTreeMap;
use std::sync::OnceLock;

use async_graphql::parser::parse_query;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection,
};
use async_graphql::{
    BatchRequest, BatchResponse, Context, EmptySubscription, Enum, ID, InputObject,
    InputValueError, InputValueResult, Name, Object, PathSegment, Positioned, Request, Scalar,
    ScalarType, Schema, SimpleObject, Value,
};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};
use jiff::Timestamp;

use crate::api::{Who, assign_task_to, complete_task_with, task_not_found, unassign};
use crate::auth::Caller;
use crate::errors::ApiFailure;
use crate::state::AppState;
use crate::store::{
    DEFAULT_PAGE_SIZE, DateRange, OrderBy, SearchQuery, SortField, SortOrder, Task,
    TaskImplementation, TaskState, Variable, parse_date, preview,
};

/// `Mutations.ZEEBE_USER_TASK_OPERATIONS_NOT_SUPPORTED` with the default
/// `TasklistDocumentationProperties.apiMigrationDocsUrl`.
const ZEEBE_USER_TASK_NOT_SUPPORTED: &str = "This operation is not supported using Tasklist graphql API. Please use the latest REST API. For more information, refer to the documentation: https://docs.camunda.io/docs/apis-tools/tasklist-api-rest/migrate-to-zeebe-user-tasks/";

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

/// What a resolver needs: the server and the caller.
#[derive(Clone)]
struct Call {
    state: AppState,
    who: Who,
}

/// The [`Call`] of a request.
fn call<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Call> {
    ctx.data::<Call>()
}

/// A failure of the shared rules as a GraphQL error carrying the server's message.
fn failure(failure: ApiFailure) -> async_graphql::Error {
    async_graphql::Error::new(failure.message)
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

/// `Mutations.checkTaskImplementation`: the task must exist and be a job-worker task.
fn job_worker_only(state: &AppState, task_id: &str) -> Result<(), ApiFailure> {
    let task = state
        .store()
        .task(task_id)
        .ok_or_else(|| task_not_found(task_id))?;
    if task.implementation == TaskImplementation::JobWorker {
        Ok(())
    } else {
        Err(ApiFailure::bad_request(ZEEBE_USER_TASK_NOT_SUPPORTED))
    }
}

// ---------------------------------------------------------------------------------------------
// Scalars, enums and inputs.
// ---------------------------------------------------------------------------------------------

/// A date and time: read as RFC 3339 (or the REST format with a `+hhmm` offset), written as
/// RFC 3339 with milliseconds in UTC.
struct DateTime(Timestamp);

#[Scalar(name = "DateTime")]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => parse_date(text)
                .map(DateTime)
                .ok_or_else(|| InputValueError::custom(format!("Cannot parse {text} as DateTime"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        let date = jiff::tz::Offset::UTC.to_datetime(self.0);
        Value::String(format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            date.year(),
            date.month(),
            date.day(),
            date.hour(),
            date.minute(),
            date.second(),
            date.subsec_nanosecond() / 1_000_000
        ))
    }
}

/// State of the task.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "TaskState")]
enum GqlTaskState {
    /// Active.
    Created,
    /// Completed.
    Completed,
    /// Canceled.
    Canceled,
    /// Failed (Tasklist 8.5+; not in the published schema).
    Failed,
}

impl From<TaskState> for GqlTaskState {
    fn from(state: TaskState) -> Self {
        match state {
            TaskState::Created => GqlTaskState::Created,
            TaskState::Completed => GqlTaskState::Completed,
            TaskState::Canceled => GqlTaskState::Canceled,
            TaskState::Failed => GqlTaskState::Failed,
        }
    }
}

impl From<GqlTaskState> for TaskState {
    fn from(state: GqlTaskState) -> Self {
        match state {
            GqlTaskState::Created => TaskState::Created,
            GqlTaskState::Completed => TaskState::Completed,
            GqlTaskState::Canceled => TaskState::Canceled,
            GqlTaskState::Failed => TaskState::Failed,
        }
    }
}

/// The fields tasks can be sorted by.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "TaskSortFields", rename_items = "camelCase")]
enum GqlSortField {
    /// When the task was created.
    CreationTime,
    /// When the task was completed.
    CompletionTime,
    /// The follow-up date.
    FollowUpDate,
    /// The due date.
    DueDate,
}

/// A sort direction.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "Sort")]
enum GqlSort {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

/// A date range, both ends included.
#[derive(InputObject)]
#[graphql(name = "DateFilter")]
struct DateFilter {
    from: DateTime,
    to: DateTime,
}

impl From<DateFilter> for DateRange {
    fn from(filter: DateFilter) -> Self {
        DateRange {
            from: Some(filter.from.0),
            to: Some(filter.to.0),
        }
    }
}

/// One sort entry.
#[derive(InputObject)]
#[graphql(name = "TaskOrderBy")]
struct TaskOrderBy {
    field: GqlSortField,
    order: GqlSort,
}

/// Task query - query to get one page of tasks.
#[derive(InputObject)]
#[graphql(name = "TaskQuery")]
struct TaskQuery {
    /// State of the tasks
    state: Option<GqlTaskState>,
    /// Are the tasks assigned?
    assigned: Option<bool>,
    /// Who is assigned to the tasks?
    assignee: Option<String>,
    /// given group is in candidate groups list
    candidate_group: Option<String>,
    /// given user is in candidate users list
    candidate_user: Option<String>,
    /// process definition id
    process_definition_id: Option<String>,
    /// process instance id
    process_instance_id: Option<String>,
    /// Size of tasks page (default: 50).
    page_size: Option<i32>,
    /// Task definition ID - what's the BPMN flow node?
    task_definition_id: Option<String>,
    /// `sortValues` of a task: the page after it, tasks with the same sort values included.
    search_after: Option<Vec<String>>,
    /// `sortValues` of a task: the page after it.
    search_after_or_equal: Option<Vec<String>>,
    /// `sortValues` of a task: the page before it, tasks with the same sort values included.
    search_before: Option<Vec<String>>,
    /// `sortValues` of a task: the page before it.
    search_before_or_equal: Option<Vec<String>>,
    /// Follow-up Date for Task
    follow_up_date: Option<DateFilter>,
    /// Due Date for Task
    due_date: Option<DateFilter>,
    /// order
    sort: Option<Vec<Option<TaskOrderBy>>>,
}

impl From<TaskQuery> for SearchQuery {
    /// `TaskQueryDTO.toTaskQuery`: the fields of the v1 search request that GraphQL has.
    fn from(query: TaskQuery) -> Self {
        SearchQuery {
            state: query.state.map(TaskState::from),
            assigned: query.assigned,
            assignee: query.assignee,
            task_definition_id: query.task_definition_id,
            candidate_group: query.candidate_group,
            candidate_user: query.candidate_user,
            process_definition_key: query.process_definition_id,
            process_instance_key: query.process_instance_id,
            page_size: query.page_size.map_or(DEFAULT_PAGE_SIZE, i64::from),
            follow_up_date: query.follow_up_date.map(DateRange::from),
            due_date: query.due_date.map(DateRange::from),
            sort: query.sort.map(|entries| {
                entries
                    .into_iter()
                    .map(|entry| match entry {
                        // A null entry fails in the sort as a missing field does.
                        None => OrderBy::default(),
                        Some(entry) => OrderBy {
                            field: Some(match entry.field {
                                GqlSortField::CreationTime => SortField::CreationTime,
                                GqlSortField::CompletionTime => SortField::CompletionTime,
                                GqlSortField::FollowUpDate => SortField::FollowUpDate,
                                GqlSortField::DueDate => SortField::DueDate,
                            }),
                            order: Some(match entry.order {
                                GqlSort::Asc => SortOrder::Asc,
                                GqlSort::Desc => SortOrder::Desc,
                            }),
                        },
                    })
                    .collect()
            }),
            search_after: query.search_after,
            search_after_or_equal: query.search_after_or_equal,
            search_before: query.search_before,
            search_before_or_equal: query.search_before_or_equal,
            ..SearchQuery::default()
        }
    }
}

/// Change or add a variable with name and value.
#[derive(InputObject)]
#[graphql(name = "VariableInput")]
struct VariableInput {
    /// Name of the variable.
    name: String,
    /// Value of the variable (JSON text).
    value: String,
}

// ---------------------------------------------------------------------------------------------
// Output types.
// ---------------------------------------------------------------------------------------------

/// Variable used in task.
#[derive(SimpleObject)]
#[graphql(name = "Variable")]
struct GqlVariable {
    id: ID,
    name: String,
    /// full variable value
    value: String,
    /// value preview (limited in size)
    preview_value: String,
    /// shows, whether previewValue contains truncated value or full value
    is_value_truncated: bool,
}

impl GqlVariable {
    /// `VariableDTO.createFrom`: the full value, its preview and whether that is cut.
    fn new(variable: &Variable, threshold: usize) -> Self {
        let (preview_value, truncated) = preview(&variable.value, threshold);
        GqlVariable {
            id: ID(variable.id.clone()),
            name: variable.name.clone(),
            value: variable.value.clone(),
            preview_value: preview_value.to_owned(),
            is_value_truncated: truncated,
        }
    }
}

/// Describes task embedded form.
#[derive(SimpleObject)]
#[graphql(name = "Form")]
struct GqlForm {
    /// The unique identifier of the embedded form within one process
    id: String,
    /// Reference to process definition
    process_definition_id: String,
    /// Form content
    schema: String,
}

/// Describes the User task.
struct GqlTask {
    task: Task,
    sort_values: Option<Vec<String>>,
    is_first: bool,
}

impl GqlTask {
    /// A task outside a search result: no sort values, not first (`TaskDTO.createFrom`).
    fn plain(task: Task) -> Self {
        GqlTask {
            task,
            sort_values: None,
            is_first: false,
        }
    }
}

#[Object(name = "Task")]
impl GqlTask {
    /// The unique identifier of the task
    async fn id(&self) -> ID {
        ID(self.task.id.clone())
    }

    /// Name of the task
    async fn name(&self) -> &str {
        &self.task.name
    }

    /// Task Definition ID (node BPMN id) of the process
    async fn task_definition_id(&self) -> &str {
        &self.task.task_definition_id
    }

    /// Name of the process
    async fn process_name(&self) -> &str {
        &self.task.process_name
    }

    /// When was the task created
    async fn creation_time(&self) -> String {
        crate::store::format_date(self.task.creation_date)
    }

    /// When was the task completed
    async fn completion_time(&self) -> Option<String> {
        self.task.completion_date.map(crate::store::format_date)
    }

    /// Username/id of who is assigned to the task
    async fn assignee(&self) -> Option<&str> {
        self.task.assignee.as_deref()
    }

    /// Variables associated to the task
    // `TaskVariablesFetcher`.
    async fn variables(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Vec<GqlVariable>>> {
        let call = call(ctx)?;
        let threshold = call.state.config().truncation_threshold;
        let mut variables = call
            .state
            .store()
            .with_task(&self.task.id, |record| record.visible_variables().to_vec())
            .unwrap_or_default();
        variables.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Some(
            variables
                .iter()
                .map(|v| GqlVariable::new(v, threshold))
                .collect(),
        ))
    }

    /// State of the task
    async fn task_state(&self) -> GqlTaskState {
        self.task.state.into()
    }

    /// Array of values to be copied into `TaskQuery` to request for next or previous page of
    /// tasks.
    async fn sort_values(&self) -> Option<Vec<String>> {
        self.sort_values.clone()
    }

    /// Flag to show that the task is first in current filter
    async fn is_first(&self) -> Option<bool> {
        Some(self.is_first)
    }

    /// Reference to the task form
    async fn form_key(&self) -> Option<&str> {
        self.task.form_key.as_deref()
    }

    /// Reference to process definition
    async fn process_definition_id(&self) -> Option<&str> {
        Some(&self.task.process_definition_key)
    }

    /// Reference to processInstance definition
    async fn process_instance_id(&self) -> Option<&str> {
        Some(&self.task.process_instance_key)
    }

    /// Candidate groups
    async fn candidate_groups(&self) -> Option<Vec<String>> {
        self.task.candidate_groups.clone()
    }

    /// Follow-up Date for Task
    async fn follow_up_date(&self) -> Option<DateTime> {
        self.task.follow_up_date.map(DateTime)
    }

    /// Due date for Task
    async fn due_date(&self) -> Option<DateTime> {
        self.task.due_date.map(DateTime)
    }

    /// Candidate users
    async fn candidate_users(&self) -> Option<Vec<String>> {
        self.task.candidate_users.clone()
    }
}

// ---------------------------------------------------------------------------------------------
// Queries and mutations.
// ---------------------------------------------------------------------------------------------

/// What can be searched for.
struct Query;

#[Object(name = "Query")]
impl Query {
    /// Get list of tasks based on `TaskQuery`.
    async fn tasks(
        &self,
        ctx: &Context<'_>,
        query: TaskQuery,
    ) -> async_graphql::Result<Vec<GqlTask>> {
        let call = call(ctx)?;
        let threshold = call.state.config().truncation_threshold;
        let hits = call
            .state
            .store()
            .search(&SearchQuery::from(query), threshold, None)
            .map_err(failure)?;
        Ok(hits
            .into_iter()
            .map(|hit| GqlTask {
                task: hit.task,
                sort_values: Some(hit.sort_values),
                is_first: hit.is_first,
            })
            .collect())
    }

    /// Get one task by id. Returns task or error when task does not exist.
    async fn task(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<GqlTask> {
        let call = call(ctx)?;
        call.state
            .store()
            .task(&id)
            .map(GqlTask::plain)
            .ok_or_else(|| failure(task_not_found(&id)))
    }

    /// Get a collection of Variables by name
    // `VariableService.getVariables`: all of the task's variables when `variableNames` is empty.
    async fn variables(
        &self,
        ctx: &Context<'_>,
        task_id: String,
        variable_names: Vec<String>,
    ) -> async_graphql::Result<Vec<GqlVariable>> {
        let call = call(ctx)?;
        let threshold = call.state.config().truncation_threshold;
        let mut variables: Vec<Variable> = call
            .state
            .store()
            .with_task(&task_id, |record| {
                record
                    .visible_variables()
                    .iter()
                    .filter(|v| variable_names.is_empty() || variable_names.contains(&v.name))
                    .cloned()
                    .collect()
            })
            .ok_or_else(|| failure(task_not_found(&task_id)))?;
        variables.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(variables
            .iter()
            .map(|v| GqlVariable::new(v, threshold))
            .collect())
    }

    /// Get the variables by variable id
    // `VariableService.getVariable`: a process variable, else a completed task's variable;
    // drafts are not looked at.
    async fn variable(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<GqlVariable> {
        let call = call(ctx)?;
        let threshold = call.state.config().truncation_threshold;
        let found = call
            .state
            .store()
            .find_variable(&id, false)
            .and_then(|found| {
                let value = found.value?;
                Some(Variable::new(found.id, found.name, value))
            })
            .ok_or_else(|| {
                failure(ApiFailure::not_found(format!(
                    "Variable with id {id} not found."
                )))
            })?;
        Ok(GqlVariable::new(&found, threshold))
    }

    /// Get task form by id and processDefinitionId
    // `FormStore.getForm` without a version.
    async fn form(
        &self,
        ctx: &Context<'_>,
        id: String,
        process_definition_id: String,
    ) -> async_graphql::Result<Option<GqlForm>> {
        let call = call(ctx)?;
        let form = call
            .state
            .store()
            .find_form(&id, &process_definition_id, None)
            .ok_or_else(|| {
                failure(ApiFailure::not_found(format!(
                    "form with id {id} was not found"
                )))
            })?;
        Ok(Some(GqlForm {
            id: form.id,
            // Deployed forms carry no process definition: the request's is reported, as REST.
            process_definition_id: if form.version.is_some() {
                process_definition_id
            } else {
                form.process_definition_key
            },
            schema: form.schema,
        }))
    }
}

/// What can be changed.
struct Mutation;

#[Object(name = "Mutation")]
impl Mutation {
    /// Complete a task with taskId and optional variables. Returns the task.
    async fn complete_task(
        &self,
        ctx: &Context<'_>,
        task_id: String,
        variables: Vec<VariableInput>,
    ) -> async_graphql::Result<GqlTask> {
        let call = call(ctx)?;
        job_worker_only(&call.state, &task_id).map_err(failure)?;
        let inputs = variables
            .into_iter()
            .map(|v| (Some(v.name), Some(v.value)))
            .collect();
        complete_task_with(&call.state, &call.who, &task_id, inputs, false)
            .map(GqlTask::plain)
            .map_err(failure)
    }

    /// Claim a task with `taskId` to `assignee`. Returns the task.
    ///
    /// When using Graphql API with JWT authentication token following parameters may be used:
    /// * `assignee`. When using a JWT token, the assignee parameter is NOT optional when called
    ///   directly from the API.
    /// * `allowOverrideAssignment`. When `true` the task that is already assigned may be claimed
    ///   again. Otherwise the task must be first unclaimed and only then claimed again.
    ///   (Default: `true`)
    async fn claim_task(
        &self,
        ctx: &Context<'_>,
        task_id: String,
        assignee: Option<String>,
        allow_override_assignment: Option<bool>,
    ) -> async_graphql::Result<GqlTask> {
        let call = call(ctx)?;
        job_worker_only(&call.state, &task_id).map_err(failure)?;
        assign_task_to(
            &call.state,
            &call.who,
            &task_id,
            assignee,
            allow_override_assignment,
        )
        .map(GqlTask::plain)
        .map_err(failure)
    }

    /// Unclaim a task with taskId. Returns the task.
    async fn unclaim_task(
        &self,
        ctx: &Context<'_>,
        task_id: String,
    ) -> async_graphql::Result<GqlTask> {
        let call = call(ctx)?;
        job_worker_only(&call.state, &task_id).map_err(failure)?;
        unassign(&call.state, &call.who, &task_id)
            .map(GqlTask::plain)
            .map_err(failure)
    }
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

    #[test]
    fn dates_are_rfc_3339_with_milliseconds() {
        let ts = Timestamp::from_millisecond(1_709_280_000_123).unwrap_or(Timestamp::UNIX_EPOCH);
        assert_eq!(
            DateTime(ts).to_value(),
            Value::String("2024-03-01T08:00:00.123Z".to_owned())
        );
        let parsed = <DateTime as ScalarType>::parse(Value::String(
            "2024-03-01T09:00:00.123+01:00".to_owned(),
        ));
        assert!(parsed.is_ok_and(|d| d.0 == ts));
        assert!(<DateTime as ScalarType>::parse(Value::Number(1.into())).is_err());
        assert!(<DateTime as ScalarType>::parse(Value::String("soon".to_owned())).is_err());
    }
}
