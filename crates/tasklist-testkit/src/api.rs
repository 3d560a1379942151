//! The nine Tasklist v1 REST endpoints over the in-memory [`Store`](crate::store::Store).
//!
//! Semantics follow Tasklist's own code (camunda/camunda, `tasklist/webapp`): `TaskController`,
//! `VariablesController`, `FormController`, `TaskService`, `VariableService`, `TaskValidator`,
//! `TaskMapper` and `ApiErrorController`. Each rule below names the class it comes from.
//!
//! Who the caller is matters: a bearer-token caller is an "API user" (Tasklist's
//! `TasklistAuthenticationUtil.isApiUser`), who must name an assignee, may reassign, and may
//! complete or save drafts for tasks assigned to anyone; a cookie-session or Basic caller is a
//! user, who assigns to themself and may complete only their own tasks. An anonymous caller (auth
//! mode `none`) has no user name and is treated like an API user. A bearer-token caller may not
//! assign, unassign or complete a Zeebe user task (400, on every profile that serves v1).
//!
//! Request bodies are read as Spring and Jackson read them into Tasklist's Java request
//! classes: a malformed or mistyped body is a 400 whose message is Jackson's own
//! (`JSON parse error: Unexpected end-of-input: expected close marker for Object (...)`,
//! `JSON parse error: Cannot deserialize value of type `java.lang.String[]` from ...`; see the
//! `jackson` module), and a number sent where a `String` is expected (a variable's `value`)
//! is kept as the exact text sent (`1.50`, `1E+2`).

use std::collections::{BTreeMap, BTreeSet};

use axum::Extension;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use jiff::Timestamp;
use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};

use crate::auth::{Caller, CallerKind};
use crate::config::Profile;
use crate::errors::{ApiFailure, task_error_message};
use crate::jackson::{self, JavaType};
use crate::state::AppState;
use crate::store::{
    CONTEXT_VARIABLE, DEFAULT_PRIORITY, DraftVariable, IncludeVariable, SearchHit, SearchQuery,
    Task, TaskImplementation, TaskRecord, TaskState, Variable, format_date, preview,
};

/// The router of the nine v1 endpoints.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/tasks/search", post(search_tasks))
        .route("/v1/tasks/{task_id}", get(get_task))
        .route("/v1/tasks/{task_id}/assign", patch(assign_task))
        .route("/v1/tasks/{task_id}/unassign", patch(unassign_task))
        .route("/v1/tasks/{task_id}/complete", patch(complete_task))
        .route("/v1/tasks/{task_id}/variables", post(save_draft_variables))
        .route(
            "/v1/tasks/{task_id}/variables/search",
            post(search_task_variables),
        )
        .route("/v1/variables/{variable_id}", get(get_variable))
        .route("/v1/forms/{form_id}", get(get_form))
}

// ---------------------------------------------------------------------------------------------
// Messages of the real server.
// ---------------------------------------------------------------------------------------------

/// `TaskStoreElasticSearch.getRawTaskByUserTaskKey`: "%s with id %s was not found" with the
/// index name `task`.
pub(crate) fn task_not_found(task_id: &str) -> ApiFailure {
    ApiFailure::not_found(format!("task with id {task_id} was not found"))
}

/// `TaskValidator.validateTaskIsActive`.
fn not_active() -> ApiFailure {
    ApiFailure::bad_request(task_error_message(
        "TASK_IS_NOT_ACTIVE",
        "Task is not active",
    ))
}

/// `TaskValidator.validateTaskIsAssigned`.
fn not_assigned() -> ApiFailure {
    ApiFailure::bad_request(task_error_message(
        "TASK_NOT_ASSIGNED",
        "Task is not assigned",
    ))
}

/// `TaskValidator.validateCanAssign`.
fn already_assigned() -> ApiFailure {
    ApiFailure::bad_request(task_error_message(
        "TASK_ALREADY_ASSIGNED",
        "Task is already assigned",
    ))
}

/// `TaskValidator.validateTaskStateAndAssignment`.
fn not_assigned_to(user: &str) -> ApiFailure {
    ApiFailure::bad_request(task_error_message(
        "TASK_NOT_ASSIGNED_TO_CURRENT_USER",
        &format!("Task is not assigned to {user}"),
    ))
}

/// `TaskService.assignTask` for an API user without an assignee.
const ASSIGNEE_REQUIRED: &str = "Assignee must be specified";

/// `TaskService.assignTask` for a user naming someone else (feature flag
/// `allowNonSelfAssignment` off, its default).
const ASSIGN_OTHER_FORBIDDEN: &str =
    "User doesn't have the permission to assign another user to this task";

/// `TaskController.checkTaskImplementation` (8.7 to 8.9): API users may not change Zeebe user
/// tasks through v1; the URL is `TasklistDocumentationProperties.apiMigrationDocsUrl`'s default.
const ZEEBE_USER_TASK_NOT_SUPPORTED: &str = "This operation is not supported using Tasklist V1 API. Please use the latest API. For more information, refer to the documentation: https://docs.camunda.io/docs/apis-tools/tasklist-api-rest/migrate-to-zeebe-user-tasks/";

/// `TaskController.searchTaskVariables`.
const ONLY_ONE_VARIABLE_SELECTOR: &str =
    "Only one of [variableNames, includeVariables] must be present in request.";

/// Spring's `HttpMessageNotReadableException` for `saveDraftTaskVariables`, whose body is
/// required (`@RequestBody` without `required = false`).
const DRAFT_BODY_MISSING: &str = "Required request body is missing: public org.springframework.http.ResponseEntity<java.lang.Void> io.camunda.tasklist.webapp.api.rest.v1.controllers.TaskController.saveDraftTaskVariables(java.lang.String,io.camunda.tasklist.webapp.api.rest.v1.entities.SaveVariablesRequest)";

/// Spring's `MissingServletRequestParameterException`, turned into an `InvalidRequestException`
/// by `ApiErrorController`.
const FORM_PROCESS_KEY_MISSING: &str = "Required request parameter 'processDefinitionKey' for method parameter type String is not present";

// ---------------------------------------------------------------------------------------------
// The caller.
// ---------------------------------------------------------------------------------------------

/// The caller as the task rules see it (shared with the GraphQL endpoint).
#[derive(Debug, Clone)]
pub(crate) struct Who {
    /// The user name of a session or Basic caller; `None` for token and anonymous callers.
    user: Option<String>,
    /// Whether the caller presented a bearer token.
    jwt: bool,
}

impl Who {
    pub(crate) fn of(caller: Option<Extension<Caller>>) -> Who {
        match caller {
            Some(Extension(caller)) => match caller.kind {
                CallerKind::Session | CallerKind::Basic => Who {
                    user: caller.username,
                    jwt: false,
                },
                CallerKind::Jwt => Who {
                    user: None,
                    jwt: true,
                },
                CallerKind::Anonymous => Who {
                    user: None,
                    jwt: false,
                },
            },
            None => Who {
                user: None,
                jwt: false,
            },
        }
    }

    /// An "API user": no user name to act as.
    fn is_api_user(&self) -> bool {
        self.user.is_none()
    }
}

// ---------------------------------------------------------------------------------------------
// Request bodies.
// ---------------------------------------------------------------------------------------------

/// Reads an optional JSON body as Spring does for `@RequestBody(required = false)`: an empty
/// body or `null` is absent; anything unreadable is a 400 `JSON parse error: …` without an
/// `instance`, with Jackson's own message for the Java class the body binds to (see
/// [`crate::jackson`]). Unknown properties are ignored (Spring Boot's default object mapper),
/// and so is whatever follows the first JSON value (Jackson's `FAIL_ON_TRAILING_TOKENS` is off).
fn parse_body<T: DeserializeOwned + JavaBody>(body: &[u8]) -> Result<Option<T>, ApiFailure> {
    parse_java_body(body, T::JAVA)
}

/// [`parse_body`] with the Java type given: Jackson's checks first, then the test server's own
/// reading (whose rare extra failures keep serde's text, without its position).
pub(crate) fn parse_java_body<T: DeserializeOwned>(
    body: &[u8],
    java: &JavaType,
) -> Result<Option<T>, ApiFailure> {
    if body.is_empty() {
        return Ok(None);
    }
    jackson::check(body, java)
        .map_err(|message| ApiFailure::unreadable(format!("JSON parse error: {message}")))?;
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    Option::<T>::deserialize(&mut deserializer).map_err(|e| {
        let text = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        let message = text.strip_suffix(&position).unwrap_or(&text);
        ApiFailure::unreadable(format!("JSON parse error: {message}"))
    })
}

/// A request body's Java class, for Jackson's messages.
trait JavaBody {
    /// The class and its properties.
    const JAVA: &'static JavaType;
}

/// `IncludeVariable`.
const INCLUDE_VARIABLE: JavaType = JavaType::Bean(
    "io.camunda.tasklist.webapp.api.rest.v1.entities.IncludeVariable",
    &[
        ("name", JavaType::String),
        ("alwaysReturnFullValue", JavaType::PrimitiveBoolean),
    ],
);

/// `VariableInputDTO`.
const VARIABLE_INPUT: JavaType = JavaType::Bean(
    "io.camunda.tasklist.webapp.graphql.entity.VariableInputDTO",
    &[("name", JavaType::String), ("value", JavaType::String)],
);

/// `TaskSearchRequest` (camunda/camunda `tasklist/webapp/.../v1/entities/TaskSearchRequest.java`
/// and the `io.camunda.tasklist.queries` classes it uses).
const TASK_SEARCH_REQUEST: JavaType = JavaType::Bean(
    "io.camunda.tasklist.webapp.api.rest.v1.entities.TaskSearchRequest",
    &[
        (
            "state",
            JavaType::Enum(
                "io.camunda.webapps.schema.entities.usertask.TaskState",
                &["CREATED", "COMPLETED", "CANCELED", "FAILED"],
            ),
        ),
        ("assigned", JavaType::Boolean),
        ("assignee", JavaType::String),
        (
            "assignees",
            JavaType::Array("java.lang.String[]", &JavaType::String),
        ),
        ("taskDefinitionId", JavaType::String),
        ("candidateGroup", JavaType::String),
        (
            "candidateGroups",
            JavaType::Array("java.lang.String[]", &JavaType::String),
        ),
        ("candidateUser", JavaType::String),
        (
            "candidateUsers",
            JavaType::Array("java.lang.String[]", &JavaType::String),
        ),
        ("processDefinitionKey", JavaType::String),
        ("processInstanceKey", JavaType::String),
        ("pageSize", JavaType::Int),
        (
            "followUpDate",
            JavaType::Bean(
                "io.camunda.tasklist.queries.DateFilter",
                &[("from", JavaType::DateTime), ("to", JavaType::DateTime)],
            ),
        ),
        (
            "dueDate",
            JavaType::Bean(
                "io.camunda.tasklist.queries.DateFilter",
                &[("from", JavaType::DateTime), ("to", JavaType::DateTime)],
            ),
        ),
        (
            "taskVariables",
            JavaType::Array(
                "io.camunda.tasklist.queries.TaskByVariables[]",
                &JavaType::Bean(
                    "io.camunda.tasklist.queries.TaskByVariables",
                    &[
                        ("name", JavaType::String),
                        ("value", JavaType::String),
                        ("operator", JavaType::String),
                    ],
                ),
            ),
        ),
        (
            "tenantIds",
            JavaType::Array("java.lang.String[]", &JavaType::String),
        ),
        (
            "sort",
            JavaType::Array(
                "io.camunda.tasklist.queries.TaskOrderBy[]",
                &JavaType::Bean(
                    "io.camunda.tasklist.queries.TaskOrderBy",
                    &[
                        (
                            "field",
                            JavaType::Enum(
                                "io.camunda.tasklist.queries.TaskSortFields",
                                &[
                                    "creationTime",
                                    "completionTime",
                                    "followUpDate",
                                    "dueDate",
                                    "priority",
                                ],
                            ),
                        ),
                        (
                            "order",
                            JavaType::Enum("io.camunda.tasklist.queries.Sort", &["ASC", "DESC"]),
                        ),
                    ],
                ),
            ),
        ),
        (
            "searchAfter",
            JavaType::Array("java.lang.String[]", &JavaType::String),
        ),
        (
            "searchAfterOrEqual",
            JavaType::Array("java.lang.String[]", &JavaType::String),
        ),
        (
            "searchBefore",
            JavaType::Array("java.lang.String[]", &JavaType::String),
        ),
        (
            "searchBeforeOrEqual",
            JavaType::Array("java.lang.String[]", &JavaType::String),
        ),
        (
            "includeVariables",
            JavaType::Array(
                "io.camunda.tasklist.webapp.api.rest.v1.entities.IncludeVariable[]",
                &INCLUDE_VARIABLE,
            ),
        ),
        (
            "implementation",
            JavaType::Enum(
                "io.camunda.webapps.schema.entities.usertask.TaskEntity$TaskImplementation",
                &["JOB_WORKER", "ZEEBE_USER_TASK"],
            ),
        ),
        (
            "priority",
            JavaType::Bean(
                "io.camunda.tasklist.queries.RangeValueFilter",
                &[
                    ("eq", JavaType::Object),
                    ("gt", JavaType::Object),
                    ("gte", JavaType::Object),
                    ("lt", JavaType::Object),
                    ("lte", JavaType::Object),
                ],
            ),
        ),
    ],
);

impl JavaBody for SearchQuery {
    const JAVA: &'static JavaType = &TASK_SEARCH_REQUEST;
}

impl JavaBody for AssignRequest {
    const JAVA: &'static JavaType = &JavaType::Bean(
        "io.camunda.tasklist.webapp.api.rest.v1.entities.TaskAssignRequest",
        // Jackson binds through `setAllowOverrideAssignment(boolean)`.
        &[
            ("assignee", JavaType::String),
            ("allowOverrideAssignment", JavaType::PrimitiveBoolean),
        ],
    );
}

impl JavaBody for CompleteRequest {
    const JAVA: &'static JavaType = &JavaType::Bean(
        "io.camunda.tasklist.webapp.api.rest.v1.entities.TaskCompleteRequest",
        &[(
            "variables",
            JavaType::List(
                "java.util.ArrayList<io.camunda.tasklist.webapp.graphql.entity.VariableInputDTO>",
                &VARIABLE_INPUT,
            ),
        )],
    );
}

impl JavaBody for SaveRequest {
    const JAVA: &'static JavaType = &JavaType::Bean(
        "io.camunda.tasklist.webapp.api.rest.v1.entities.SaveVariablesRequest",
        &[(
            "variables",
            JavaType::List(
                "java.util.ArrayList<io.camunda.tasklist.webapp.graphql.entity.VariableInputDTO>",
                &VARIABLE_INPUT,
            ),
        )],
    );
}

impl JavaBody for VariablesSearchRequest {
    const JAVA: &'static JavaType = &JavaType::Bean(
        "io.camunda.tasklist.webapp.api.rest.v1.entities.VariablesSearchRequest",
        &[
            (
                "variableNames",
                JavaType::List("java.util.ArrayList<java.lang.String>", &JavaType::String),
            ),
            (
                "includeVariables",
                JavaType::List(
                    "java.util.ArrayList<io.camunda.tasklist.webapp.api.rest.v1.entities.IncludeVariable>",
                    &INCLUDE_VARIABLE,
                ),
            ),
        ],
    );
}

/// `TaskAssignRequest`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssignRequest {
    #[serde(default, deserialize_with = "jackson::de_string")]
    assignee: Option<String>,
    /// Defaults to true when absent (`TaskService.assignTask`); an explicit `null` reaches the
    /// `boolean` setter as false.
    #[serde(default, deserialize_with = "de_null_as_false")]
    allow_override_assignment: Option<bool>,
}

/// A Java `boolean` setter's view of a property: `null` is false.
fn de_null_as_false<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(Some(jackson::de_boolean(deserializer)?.unwrap_or(false)))
}

/// `VariableInputDTO`: `value` is JSON text; Jackson gives a JSON number or boolean sent in its
/// place as its exact text (`1.50` stays `1.50`).
#[derive(Debug, Default, Deserialize)]
struct VariableInput {
    #[serde(default, deserialize_with = "jackson::de_string")]
    name: Option<String>,
    #[serde(default, deserialize_with = "jackson::de_string")]
    value: Option<String>,
}

/// `TaskCompleteRequest`.
#[derive(Debug, Default, Deserialize)]
struct CompleteRequest {
    variables: Option<Vec<VariableInput>>,
}

/// `SaveVariablesRequest`: `variables` defaults to an empty list; an explicit `null` stays null
/// (and makes the real server fail with a `NullPointerException`).
#[derive(Debug, Deserialize)]
struct SaveRequest {
    #[serde(default = "empty_inputs")]
    variables: Option<Vec<VariableInput>>,
}

fn empty_inputs() -> Option<Vec<VariableInput>> {
    Some(Vec::new())
}

/// `VariablesSearchRequest`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct VariablesSearchRequest {
    #[serde(default, deserialize_with = "jackson::de_strings")]
    variable_names: Option<Vec<String>>,
    include_variables: Option<Vec<IncludeVariable>>,
}

// ---------------------------------------------------------------------------------------------
// Response bodies (every property present, null when unset, as the real server sends them).
// ---------------------------------------------------------------------------------------------

/// `TaskResponse`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct TaskBody {
    id: String,
    name: String,
    task_definition_id: String,
    process_name: String,
    creation_date: String,
    completion_date: Option<String>,
    assignee: Option<String>,
    task_state: TaskState,
    form_key: Option<String>,
    form_id: Option<String>,
    form_version: Option<i64>,
    is_form_embedded: Option<bool>,
    process_definition_key: String,
    process_instance_key: String,
    tenant_id: Option<String>,
    due_date: Option<String>,
    follow_up_date: Option<String>,
    candidate_groups: Option<Vec<String>>,
    candidate_users: Option<Vec<String>>,
    implementation: TaskImplementation,
    /// A Java `int`: a task without a priority reports 50.
    priority: i32,
}

impl From<Task> for TaskBody {
    fn from(task: Task) -> Self {
        TaskBody {
            id: task.id,
            name: task.name,
            task_definition_id: task.task_definition_id,
            process_name: task.process_name,
            creation_date: format_date(task.creation_date),
            completion_date: task.completion_date.map(format_date),
            assignee: task.assignee,
            task_state: task.state,
            form_key: task.form_key,
            form_id: task.form_id,
            form_version: task.form_version,
            is_form_embedded: task.is_form_embedded,
            process_definition_key: task.process_definition_key,
            process_instance_key: task.process_instance_key,
            tenant_id: task.tenant_id,
            due_date: task.due_date.map(format_date),
            follow_up_date: task.follow_up_date.map(format_date),
            candidate_groups: task.candidate_groups,
            candidate_users: task.candidate_users,
            implementation: task.implementation,
            priority: task.priority.unwrap_or(DEFAULT_PRIORITY),
        }
    }
}

impl From<&Task> for TaskBody {
    fn from(task: &Task) -> Self {
        TaskBody::from(task.clone())
    }
}

/// `TaskSearchResponse`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct TaskSearchBody {
    #[serde(flatten)]
    task: TaskBody,
    sort_values: Vec<String>,
    is_first: bool,
    variables: Option<Vec<TaskVariableBody>>,
    context: Option<String>,
}

/// A variable inside `TaskSearchResponse` (its `draft` is ignored there:
/// `@JsonIgnoreProperties("draft")`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct TaskVariableBody {
    id: String,
    name: String,
    value: Option<String>,
    is_value_truncated: bool,
    preview_value: String,
}

/// `VariableSearchResponse`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct VariableSearchBody {
    id: String,
    name: String,
    value: Option<String>,
    is_value_truncated: bool,
    preview_value: Option<String>,
    draft: Option<DraftSearchBody>,
}

/// `VariableSearchResponse.DraftSearchVariableValue`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DraftSearchBody {
    value: Option<String>,
    is_value_truncated: bool,
    preview_value: String,
}

/// `VariableResponse`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct VariableBody {
    id: String,
    name: String,
    value: Option<String>,
    draft: Option<DraftBody>,
    tenant_id: Option<String>,
}

/// `VariableResponse.DraftVariableValue`.
#[derive(Debug, Serialize)]
struct DraftBody {
    value: String,
}

/// `FormResponse` (its `title` is `@JsonInclude(NON_NULL)` and never set by `getForm`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct FormBody {
    id: String,
    process_definition_key: String,
    schema: String,
    version: Option<i64>,
    tenant_id: Option<String>,
    is_deleted: bool,
}

/// The success or failure of a handler as a response.
fn respond<T: Serialize>(profile: Profile, result: Result<T, ApiFailure>) -> Response {
    match result {
        Ok(body) => axum::Json(body).into_response(),
        Err(failure) => failure.into_response(profile),
    }
}

// ---------------------------------------------------------------------------------------------
// Shared rules.
// ---------------------------------------------------------------------------------------------

/// `TaskValidator.validateTaskIsActive`.
fn check_active(task: &Task) -> Result<(), ApiFailure> {
    if task.state == TaskState::Created {
        Ok(())
    } else {
        Err(not_active())
    }
}

/// `TaskValidator.validateTaskStateAndAssignment` (completion and drafts): active; then, unless
/// an API user, assigned and assigned to the caller.
fn check_state_and_assignment(task: &Task, who: &Who) -> Result<(), ApiFailure> {
    check_active(task)?;
    let Some(user) = &who.user else {
        return Ok(());
    };
    match &task.assignee {
        None => Err(not_assigned()),
        Some(assignee) if assignee != user => Err(not_assigned_to(user)),
        Some(_) => Ok(()),
    }
}

/// `TaskController.checkTaskImplementation`: token callers may not assign, unassign or complete
/// Zeebe user tasks through v1 (8.7 included: from 8.5 on the docs say the v1 task management
/// endpoints do not work for Zeebe user tasks; Zeebe's own API changes those).
fn check_implementation(who: &Who, task: &Task) -> Result<(), ApiFailure> {
    if who.jwt && task.implementation != TaskImplementation::JobWorker {
        return Err(ApiFailure::bad_request(ZEEBE_USER_TASK_NOT_SUPPORTED));
    }
    Ok(())
}

/// The controller loads the task before anything else (so an unknown task is a 404 first) and
/// applies [`check_implementation`].
fn preload(state: &AppState, who: &Who, task_id: &str) -> Result<(), ApiFailure> {
    let task = state
        .store()
        .task(task_id)
        .ok_or_else(|| task_not_found(task_id))?;
    check_implementation(who, &task)
}

/// Builds the name → "always return the full value" map of `includeVariables`, failing like
/// `Collectors.toMap` on a duplicate name (an `IllegalStateException`: 500).
fn full_value_flags(
    includes: &[IncludeVariable],
    into: &mut BTreeMap<String, bool>,
) -> Result<(), ApiFailure> {
    let mut seen = BTreeSet::new();
    for include in includes {
        let Some(name) = &include.name else {
            continue;
        };
        if !seen.insert(name.clone()) {
            return Err(ApiFailure::unexpected());
        }
        into.insert(name.clone(), include.always_return_full_value);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// POST /v1/tasks/search
// ---------------------------------------------------------------------------------------------

async fn search_tasks(State(state): State<AppState>, body: Bytes) -> Response {
    respond(state.config().profile, search(&state, &body))
}

fn search(state: &AppState, body: &[u8]) -> Result<Vec<TaskSearchBody>, ApiFailure> {
    let query: SearchQuery = parse_body(body)?.unwrap_or_default();
    // The context variable is always fetched (`TaskController.searchTasks`).
    let mut full = BTreeMap::from([(CONTEXT_VARIABLE.to_owned(), false)]);
    if let Some(includes) = &query.include_variables {
        full_value_flags(includes, &mut full)?;
    }
    let threshold = state.config().truncation_threshold;
    let hits = state.store().search(&query, threshold, Some(&full))?;
    Ok(hits
        .into_iter()
        .map(|hit| search_body(hit, &full, threshold))
        .collect())
}

/// `TaskMapper.toTaskSearchResponse` plus `TaskController.unsetBigVariableValuesIfNeeded`.
///
/// `variables` is an array for a `CREATED` task (the runtime variable lookup answers for every
/// task), an array for a `COMPLETED` task with at least one requested variable, and null
/// otherwise; the context variable is taken out of it and its value, without double quotes,
/// becomes `context`.
fn search_body(hit: SearchHit, full: &BTreeMap<String, bool>, threshold: usize) -> TaskSearchBody {
    let SearchHit {
        task,
        sort_values,
        is_first,
        variables,
    } = hit;
    let has_variables = match task.state {
        TaskState::Created => true,
        TaskState::Completed => !variables.is_empty(),
        TaskState::Canceled | TaskState::Failed => false,
    };
    let (variables, context) = if has_variables {
        let mut sorted = variables;
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        let context: String = sorted
            .iter()
            .filter(|v| v.name == CONTEXT_VARIABLE)
            .map(|v| v.value.replace('"', ""))
            .collect();
        let context = (!context.is_empty() && context != "null").then_some(context);
        let bodies = sorted
            .into_iter()
            .filter(|v| v.name != CONTEXT_VARIABLE)
            .map(|v| {
                let (preview_value, truncated) = preview(&v.value, threshold);
                let return_full = full.get(&v.name).copied().unwrap_or(false);
                TaskVariableBody {
                    preview_value: preview_value.to_owned(),
                    value: (!truncated || return_full).then(|| v.value.clone()),
                    is_value_truncated: truncated,
                    id: v.id,
                    name: v.name,
                }
            })
            .collect();
        (Some(bodies), context)
    } else {
        (None, None)
    };
    TaskSearchBody {
        task: TaskBody::from(task),
        sort_values,
        is_first,
        variables,
        context,
    }
}

// ---------------------------------------------------------------------------------------------
// GET /v1/tasks/{taskId}
// ---------------------------------------------------------------------------------------------

async fn get_task(State(state): State<AppState>, Path(task_id): Path<String>) -> Response {
    let result = state
        .store()
        .task(&task_id)
        .map(TaskBody::from)
        .ok_or_else(|| task_not_found(&task_id));
    respond(state.config().profile, result)
}

// ---------------------------------------------------------------------------------------------
// PATCH /v1/tasks/{taskId}/assign
// ---------------------------------------------------------------------------------------------

async fn assign_task(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    Path(task_id): Path<String>,
    body: Bytes,
) -> Response {
    let who = Who::of(caller);
    respond(
        state.config().profile,
        assign(&state, &who, &task_id, &body),
    )
}

fn assign(state: &AppState, who: &Who, task_id: &str, body: &[u8]) -> Result<TaskBody, ApiFailure> {
    let request: AssignRequest = parse_body(body)?.unwrap_or_default();
    assign_task_to(
        state,
        who,
        task_id,
        request.assignee,
        request.allow_override_assignment,
    )
    .map(TaskBody::from)
}

/// `TaskService.assignTask` with `TaskValidator.validateCanAssign`, shared by
/// `PATCH /v1/tasks/{taskId}/assign` and GraphQL's `claimTask`: the task as assigned.
pub(crate) fn assign_task_to(
    state: &AppState,
    who: &Who,
    task_id: &str,
    assignee: Option<String>,
    allow_override_assignment: Option<bool>,
) -> Result<Task, ApiFailure> {
    preload(state, who, task_id)?;
    let allow_override = allow_override_assignment.unwrap_or(true);
    let assignee = assignee.filter(|a| !a.is_empty());
    match (&who.user, &assignee) {
        (None, None) => return Err(ApiFailure::bad_request(ASSIGNEE_REQUIRED)),
        (Some(user), Some(assignee)) if assignee != user => {
            return Err(ApiFailure::forbidden(ASSIGN_OTHER_FORBIDDEN));
        }
        _ => {}
    }
    state
        .store()
        .with_task_mut(task_id, |record| {
            check_active(&record.task)?;
            let may_override = who.is_api_user() && allow_override;
            if !may_override && record.task.assignee.is_some() {
                return Err(already_assigned());
            }
            record.task.assignee = assignee.clone().or_else(|| who.user.clone());
            Ok(record.task.clone())
        })
        .unwrap_or_else(|| Err(task_not_found(task_id)))
}

// ---------------------------------------------------------------------------------------------
// PATCH /v1/tasks/{taskId}/unassign
// ---------------------------------------------------------------------------------------------

async fn unassign_task(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    Path(task_id): Path<String>,
) -> Response {
    let who = Who::of(caller);
    respond(
        state.config().profile,
        unassign(&state, &who, &task_id).map(TaskBody::from),
    )
}

/// `TaskService.unassignTask` with `TaskValidator.validateCanUnassign`, shared by
/// `PATCH /v1/tasks/{taskId}/unassign` and GraphQL's `unclaimTask`: the task as unassigned.
pub(crate) fn unassign(state: &AppState, who: &Who, task_id: &str) -> Result<Task, ApiFailure> {
    preload(state, who, task_id)?;
    state
        .store()
        .with_task_mut(task_id, |record| {
            check_active(&record.task)?;
            if record.task.assignee.is_none() {
                return Err(not_assigned());
            }
            record.task.assignee = None;
            Ok(record.task.clone())
        })
        .unwrap_or_else(|| Err(task_not_found(task_id)))
}

// ---------------------------------------------------------------------------------------------
// PATCH /v1/tasks/{taskId}/complete
// ---------------------------------------------------------------------------------------------

async fn complete_task(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    Path(task_id): Path<String>,
    body: Bytes,
) -> Response {
    let who = Who::of(caller);
    respond(
        state.config().profile,
        complete(&state, &who, &task_id, &body),
    )
}

/// `TaskService.completeTask`: the values are read as JSON first (an unreadable one is a
/// `TasklistRuntimeException`: 500 with the parser's message; a missing one a
/// `NullPointerException`: 500), then `TaskValidator.validateCanComplete`, then the task is
/// `COMPLETED` with a completion date, the completion snapshot is its variables overlaid with
/// its drafts and the request's variables, the request's variables are merged into the process
/// variables, and the drafts are deleted.
fn complete(
    state: &AppState,
    who: &Who,
    task_id: &str,
    body: &[u8],
) -> Result<TaskBody, ApiFailure> {
    let request: CompleteRequest = parse_body(body)?.unwrap_or_default();
    let inputs = request
        .variables
        .unwrap_or_default()
        .into_iter()
        .map(|input| (input.name, input.value))
        .collect();
    complete_task_with(state, who, task_id, inputs, true).map(TaskBody::from)
}

/// `TaskService.completeTask(taskId, variables, withDraftVariableValues)`, shared by
/// `PATCH /v1/tasks/{taskId}/complete` (`with_drafts`: the drafts go into the completion
/// snapshot) and GraphQL's `completeTask` (without). `inputs` are the request's (name, value)
/// pairs, values JSON text. Returns the task as completed.
pub(crate) fn complete_task_with(
    state: &AppState,
    who: &Who,
    task_id: &str,
    inputs: Vec<(Option<String>, Option<String>)>,
    with_drafts: bool,
) -> Result<Task, ApiFailure> {
    preload(state, who, task_id)?;
    let mut changes = Vec::with_capacity(inputs.len());
    for (name, value) in inputs {
        let Some(value) = value else {
            return Err(ApiFailure::unexpected());
        };
        if value != "null"
            && let Err(message) = jackson::check_text(&value)
        {
            return Err(ApiFailure::internal(message));
        }
        if let Some(name) = name {
            changes.push((name, value));
        }
    }
    state
        .store()
        .with_task_mut(task_id, |record| {
            check_state_and_assignment(&record.task, who)?;
            complete_record_with(record, &changes, Timestamp::now(), with_drafts);
            Ok(record.task.clone())
        })
        .unwrap_or_else(|| Err(task_not_found(task_id)))
}

/// Applies a completion to a task record (`persistTaskCompletion`, `persistTaskVariables`,
/// `deleteDraftTaskVariables`), the drafts going into the snapshot.
pub(crate) fn complete_record(
    record: &mut TaskRecord,
    changes: &[(String, String)],
    now: Timestamp,
) {
    complete_record_with(record, changes, now, true);
}

/// [`complete_record`], with the drafts in the snapshot only when `with_drafts`
/// (`VariableService.persistTaskVariables`' `withDraftVariableValues`); they are deleted
/// either way.
fn complete_record_with(
    record: &mut TaskRecord,
    changes: &[(String, String)],
    now: Timestamp,
    with_drafts: bool,
) {
    let mut snapshot: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
    for variable in &record.variables {
        snapshot.insert(
            variable.name.clone(),
            (variable.value.clone(), variable.tenant_id.clone()),
        );
    }
    let drafts: &[DraftVariable] = if with_drafts { &record.drafts } else { &[] };
    for draft in drafts {
        snapshot.insert(
            draft.name.clone(),
            (draft.value.clone(), draft.tenant_id.clone()),
        );
    }
    for (name, value) in changes {
        snapshot.insert(name.clone(), (value.clone(), record.task.tenant_id.clone()));
    }
    let task_id = record.task.id.clone();
    record.snapshot = snapshot
        .into_iter()
        .map(|(name, (value, tenant_id))| {
            let mut variable = Variable::new(format!("{task_id}-{name}"), name, value);
            variable.tenant_id = tenant_id;
            variable
        })
        .collect();
    for (name, value) in changes {
        record.set_variable(name, value.clone());
    }
    record.drafts.clear();
    record.task.state = TaskState::Completed;
    record.task.completion_date = Some(now);
}

// ---------------------------------------------------------------------------------------------
// POST /v1/tasks/{taskId}/variables
// ---------------------------------------------------------------------------------------------

async fn save_draft_variables(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    Path(task_id): Path<String>,
    body: Bytes,
) -> Response {
    let who = Who::of(caller);
    match save_drafts(&state, &who, &task_id, &body) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(failure) => failure.into_response(state.config().profile),
    }
}

/// `VariableService.persistDraftTaskVariables`: the task must exist, pass
/// `TaskValidator.validateCanPersistDraftTaskVariables`, and every value must be JSON text
/// (400 with the parser's message); then all drafts of the task are replaced by the request's,
/// keyed by name (the last duplicate wins), leaving out a value equal to the process variable's
/// current value.
fn save_drafts(state: &AppState, who: &Who, task_id: &str, body: &[u8]) -> Result<(), ApiFailure> {
    let request: SaveRequest =
        parse_body(body)?.ok_or_else(|| ApiFailure::unreadable(DRAFT_BODY_MISSING))?;
    state
        .store()
        .with_task_mut(task_id, |record| {
            check_state_and_assignment(&record.task, who)?;
            let inputs = request
                .variables
                .as_ref()
                .ok_or_else(ApiFailure::unexpected)?;
            for input in inputs {
                let value = input.value.as_deref().ok_or_else(ApiFailure::unexpected)?;
                jackson::check_text(value).map_err(ApiFailure::bad_request)?;
            }
            let mut drafts: Vec<DraftVariable> = Vec::new();
            for input in inputs {
                let (Some(name), Some(value)) = (&input.name, &input.value) else {
                    continue;
                };
                let id = match record.variables.iter().find(|v| &v.name == name) {
                    Some(current) if &current.value == value => continue,
                    Some(current) => current.id.clone(),
                    None => format!("{}-{name}", record.task.id),
                };
                let mut draft = DraftVariable::new(id, name.clone(), value.clone());
                draft.tenant_id = record.task.tenant_id.clone();
                match drafts.iter_mut().find(|d| &d.name == name) {
                    Some(existing) => *existing = draft,
                    None => drafts.push(draft),
                }
            }
            record.drafts = drafts;
            Ok(())
        })
        .unwrap_or_else(|| Err(task_not_found(task_id)))
}

// ---------------------------------------------------------------------------------------------
// POST /v1/tasks/{taskId}/variables/search
// ---------------------------------------------------------------------------------------------

async fn search_task_variables(
    State(state): State<AppState>,
    Path(task_id): Path<String>,
    body: Bytes,
) -> Response {
    respond(
        state.config().profile,
        search_variables(&state, &task_id, &body),
    )
}

/// `TaskController.searchTaskVariables` and `VariableService.getVariableSearchResponses`: for a
/// `CREATED` task its process variables with their drafts plus drafts without a process
/// variable, for a `COMPLETED` task its completion snapshot, otherwise nothing; sorted by name;
/// a truncated value (or draft value) is null unless its `includeVariables` entry asks for the
/// full value.
fn search_variables(
    state: &AppState,
    task_id: &str,
    body: &[u8],
) -> Result<Vec<VariableSearchBody>, ApiFailure> {
    let request: VariablesSearchRequest = parse_body(body)?.unwrap_or_default();
    let names = request.variable_names.unwrap_or_default();
    let includes = request.include_variables.unwrap_or_default();
    if !names.is_empty() && !includes.is_empty() {
        return Err(ApiFailure::bad_request(ONLY_ONE_VARIABLE_SELECTOR));
    }
    let mut full: BTreeMap<String, bool> = BTreeMap::new();
    if !names.is_empty() {
        for name in names {
            // `Collectors.toMap` refuses duplicate keys.
            if full.insert(name, false).is_some() {
                return Err(ApiFailure::unexpected());
            }
        }
    } else {
        full_value_flags(&includes, &mut full)?;
    }
    let threshold = state.config().truncation_threshold;
    let wanted = |name: &str| full.is_empty() || full.contains_key(name);
    let return_full = |name: &str| full.get(name).copied().unwrap_or(false);

    state
        .store()
        .with_task(task_id, |record| {
            let mut bodies: Vec<VariableSearchBody> = Vec::new();
            let draft_body = |value: &str, name: &str| {
                let (preview_value, truncated) = preview(value, threshold);
                DraftSearchBody {
                    value: (!truncated || return_full(name)).then(|| value.to_owned()),
                    is_value_truncated: truncated,
                    preview_value: preview_value.to_owned(),
                }
            };
            let variable_body = |variable: &Variable, draft: Option<DraftSearchBody>| {
                let (preview_value, truncated) = preview(&variable.value, threshold);
                VariableSearchBody {
                    id: variable.id.clone(),
                    name: variable.name.clone(),
                    value: (!truncated || return_full(&variable.name))
                        .then(|| variable.value.clone()),
                    is_value_truncated: truncated,
                    preview_value: Some(preview_value.to_owned()),
                    draft,
                }
            };
            match record.task.state {
                TaskState::Created => {
                    for variable in record.variables.iter().filter(|v| wanted(&v.name)) {
                        let draft = record
                            .drafts
                            .iter()
                            .find(|d| d.name == variable.name)
                            .map(|d| draft_body(&d.value, &d.name));
                        bodies.push(variable_body(variable, draft));
                    }
                    for draft in record.drafts.iter().filter(|d| wanted(&d.name)) {
                        if record.variables.iter().any(|v| v.name == draft.name) {
                            continue;
                        }
                        bodies.push(VariableSearchBody {
                            id: draft.id.clone(),
                            name: draft.name.clone(),
                            value: None,
                            is_value_truncated: false,
                            preview_value: None,
                            draft: Some(draft_body(&draft.value, &draft.name)),
                        });
                    }
                }
                TaskState::Completed => {
                    for variable in record.snapshot.iter().filter(|v| wanted(&v.name)) {
                        bodies.push(variable_body(variable, None));
                    }
                }
                TaskState::Canceled | TaskState::Failed => {}
            }
            bodies.sort_by(|a, b| a.name.cmp(&b.name));
            bodies
        })
        .ok_or_else(|| task_not_found(task_id))
}

// ---------------------------------------------------------------------------------------------
// GET /v1/variables/{variableId}
// ---------------------------------------------------------------------------------------------

async fn get_variable(State(state): State<AppState>, Path(variable_id): Path<String>) -> Response {
    let result = state
        .store()
        .find_variable(&variable_id, true)
        .map(|found| VariableBody {
            id: found.id,
            name: found.name,
            value: found.value,
            draft: found.draft.map(|value| DraftBody { value }),
            tenant_id: found.tenant_id,
        })
        // `VariableService.getVariableResponse`.
        .ok_or_else(|| ApiFailure::not_found(format!("Variable with id {variable_id} not found.")));
    respond(state.config().profile, result)
}

// ---------------------------------------------------------------------------------------------
// GET /v1/forms/{formId}?processDefinitionKey=…&version=…
// ---------------------------------------------------------------------------------------------

async fn get_form(
    State(state): State<AppState>,
    Path(form_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    respond(
        state.config().profile,
        form(&state, &form_id, query.as_deref().unwrap_or("")),
    )
}

/// `FormController.getForm` and `FormStore.getForm`: `processDefinitionKey` is required (400);
/// `version` must be a number (a conversion failure reaches the catch-all handler: 500) and an
/// empty one counts as absent; an unknown form is a 404 "form with id %s was not found".
fn form(state: &AppState, form_id: &str, query: &str) -> Result<FormBody, ApiFailure> {
    let mut process_definition_key = None;
    let mut version_text = None;
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match name.as_ref() {
            "processDefinitionKey" if process_definition_key.is_none() => {
                process_definition_key = Some(value.into_owned());
            }
            "version" if version_text.is_none() => version_text = Some(value.into_owned()),
            _ => {}
        }
    }
    let process_definition_key =
        process_definition_key.ok_or_else(|| ApiFailure::bad_request(FORM_PROCESS_KEY_MISSING))?;
    let version = match version_text.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(text.parse::<i64>().map_err(|_| ApiFailure::unexpected())?),
    };
    let form = state
        .store()
        .find_form(form_id, &process_definition_key, version)
        .ok_or_else(|| ApiFailure::not_found(format!("form with id {form_id} was not found")))?;
    Ok(FormBody {
        id: form.id,
        // Deployed forms carry no process definition: the request's is reported.
        process_definition_key: if form.version.is_some() {
            process_definition_key
        } else {
            form.process_definition_key
        },
        schema: form.schema,
        version: form.version,
        tenant_id: form.tenant_id,
        is_deleted: form.is_deleted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_parsing_follows_spring() {
        assert!(matches!(parse_body::<AssignRequest>(b""), Ok(None)));
        assert!(matches!(parse_body::<AssignRequest>(b" null "), Ok(None)));
        let trailing: Option<AssignRequest> =
            parse_body(br#"{"assignee":"a"}} trailing"#).unwrap_or_default();
        assert_eq!(trailing.and_then(|r| r.assignee).as_deref(), Some("a"));
        let failure = parse_body::<AssignRequest>(b"{\"assignee\":").err();
        assert!(failure.is_some_and(|f| f.status == StatusCode::BAD_REQUEST
            && f.message.starts_with("JSON parse error: ")
            && !f.with_instance));
        let request: Option<CompleteRequest> =
            parse_body(br#"{"variables":[{"name":"a","value":5},{"name":"b","value":true}]}"#)
                .unwrap_or_default();
        let values: Vec<Option<String>> = request
            .map(|r| r.variables.unwrap_or_default())
            .unwrap_or_default()
            .into_iter()
            .map(|v| v.value)
            .collect();
        assert_eq!(values, [Some("5".to_owned()), Some("true".to_owned())]);
        let save: Option<SaveRequest> = parse_body(b"{}").unwrap_or_default();
        assert!(save.is_some_and(|s| s.variables.is_some_and(|v| v.is_empty())));
        let save: Option<SaveRequest> = parse_body(br#"{"variables":null}"#).unwrap_or_default();
        assert!(save.is_some_and(|s| s.variables.is_none()));
    }

    #[test]
    fn completion_builds_the_snapshot() {
        let mut record = TaskRecord {
            task: Task::new("7", "t"),
            variables: Vec::new(),
            drafts: Vec::new(),
            snapshot: Vec::new(),
        };
        record.set_variable("a", "1".to_owned());
        record.set_variable("b", "2".to_owned());
        record.drafts.push(DraftVariable::new("7-b", "b", "20"));
        record.drafts.push(DraftVariable::new("7-c", "c", "30"));
        complete_record(
            &mut record,
            &[
                ("c".to_owned(), "300".to_owned()),
                ("d".to_owned(), "4".to_owned()),
            ],
            Timestamp::UNIX_EPOCH,
        );
        let snapshot: Vec<(&str, &str)> = record
            .snapshot
            .iter()
            .map(|v| (v.name.as_str(), v.value.as_str()))
            .collect();
        assert_eq!(
            snapshot,
            [("a", "1"), ("b", "20"), ("c", "300"), ("d", "4")]
        );
        assert_eq!(record.snapshot[0].id, "7-a");
        assert!(record.drafts.is_empty());
        assert_eq!(record.task.state, TaskState::Completed);
        // Drafts do not reach the process variables; the request's variables do.
        let runtime: Vec<(&str, &str)> = record
            .variables
            .iter()
            .map(|v| (v.name.as_str(), v.value.as_str()))
            .collect();
        assert_eq!(runtime, [("a", "1"), ("b", "2"), ("c", "300"), ("d", "4")]);
    }
}
