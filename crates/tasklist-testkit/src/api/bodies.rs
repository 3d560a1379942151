//! The v1 request and response bodies: requests read as Spring and Jackson read them into
//! Tasklist's Java classes (see the `jackson` module), responses with every property present,
//! `null` when unset, as the real server sends them.

use axum::response::{IntoResponse, Response};
use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};

use crate::config::Profile;
use crate::errors::ApiFailure;
use crate::jackson::{self, JavaType};
use crate::store::{
    DEFAULT_PRIORITY, IncludeVariable, SearchQuery, Task, TaskImplementation, TaskState,
    format_date,
};

// ---------------------------------------------------------------------------------------------
// Request bodies.
// ---------------------------------------------------------------------------------------------

/// Reads an optional JSON body as Spring does for `@RequestBody(required = false)`: an empty
/// body or `null` is absent; anything unreadable is a 400 `JSON parse error: …` without an
/// `instance`, with Jackson's own message for the Java class the body binds to (see
/// [`crate::jackson`]). Unknown properties are ignored (Spring Boot's default object mapper),
/// and so is whatever follows the first JSON value (Jackson's `FAIL_ON_TRAILING_TOKENS` is off).
pub(super) fn parse_body<T: DeserializeOwned + JavaBody>(
    body: &[u8],
) -> Result<Option<T>, ApiFailure> {
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
pub(super) trait JavaBody {
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
pub(super) struct AssignRequest {
    #[serde(default, deserialize_with = "jackson::de_string")]
    pub(super) assignee: Option<String>,
    /// Defaults to true when absent (`TaskService.assignTask`); an explicit `null` reaches the
    /// `boolean` setter as false.
    #[serde(default, deserialize_with = "de_null_as_false")]
    pub(super) allow_override_assignment: Option<bool>,
}

/// A Java `boolean` setter's view of a property: `null` is false.
fn de_null_as_false<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(Some(jackson::de_boolean(deserializer)?.unwrap_or(false)))
}

/// `VariableInputDTO`: `value` is JSON text; Jackson gives a JSON number or boolean sent in its
/// place as its exact text (`1.50` stays `1.50`).
#[derive(Debug, Default, Deserialize)]
pub(super) struct VariableInput {
    #[serde(default, deserialize_with = "jackson::de_string")]
    pub(super) name: Option<String>,
    #[serde(default, deserialize_with = "jackson::de_string")]
    pub(super) value: Option<String>,
}

/// `TaskCompleteRequest`.
#[derive(Debug, Default, Deserialize)]
pub(super) struct CompleteRequest {
    pub(super) variables: Option<Vec<VariableInput>>,
}

/// `SaveVariablesRequest`: `variables` defaults to an empty list; an explicit `null` stays null
/// (and makes the real server fail with a `NullPointerException`).
#[derive(Debug, Deserialize)]
pub(super) struct SaveRequest {
    #[serde(default = "empty_inputs")]
    pub(super) variables: Option<Vec<VariableInput>>,
}

fn empty_inputs() -> Option<Vec<VariableInput>> {
    Some(Vec::new())
}

/// `VariablesSearchRequest`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct VariablesSearchRequest {
    #[serde(default, deserialize_with = "jackson::de_strings")]
    pub(super) variable_names: Option<Vec<String>>,
    pub(super) include_variables: Option<Vec<IncludeVariable>>,
}

// ---------------------------------------------------------------------------------------------
// Response bodies (every property present, null when unset, as the real server sends them).
// ---------------------------------------------------------------------------------------------

/// `TaskResponse`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TaskBody {
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
pub(super) struct TaskSearchBody {
    #[serde(flatten)]
    pub(super) task: TaskBody,
    pub(super) sort_values: Vec<String>,
    pub(super) is_first: bool,
    pub(super) variables: Option<Vec<TaskVariableBody>>,
    pub(super) context: Option<String>,
}

/// A variable inside `TaskSearchResponse` (its `draft` is ignored there:
/// `@JsonIgnoreProperties("draft")`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TaskVariableBody {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) value: Option<String>,
    pub(super) is_value_truncated: bool,
    pub(super) preview_value: String,
}

/// `VariableSearchResponse`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct VariableSearchBody {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) value: Option<String>,
    pub(super) is_value_truncated: bool,
    pub(super) preview_value: Option<String>,
    pub(super) draft: Option<DraftSearchBody>,
}

/// `VariableSearchResponse.DraftSearchVariableValue`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DraftSearchBody {
    pub(super) value: Option<String>,
    pub(super) is_value_truncated: bool,
    pub(super) preview_value: String,
}

/// `VariableResponse`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct VariableBody {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) value: Option<String>,
    pub(super) draft: Option<DraftBody>,
    pub(super) tenant_id: Option<String>,
}

/// `VariableResponse.DraftVariableValue`.
#[derive(Debug, Serialize)]
pub(super) struct DraftBody {
    pub(super) value: String,
}

/// `FormResponse` (its `title` is `@JsonInclude(NON_NULL)` and never set by `getForm`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct FormBody {
    pub(super) id: String,
    pub(super) process_definition_key: String,
    pub(super) schema: String,
    pub(super) version: Option<i64>,
    pub(super) tenant_id: Option<String>,
    pub(super) is_deleted: bool,
}

/// The success or failure of a handler as a response.
pub(super) fn respond<T: Serialize>(profile: Profile, result: Result<T, ApiFailure>) -> Response {
    match result {
        Ok(body) => axum::Json(body).into_response(),
        Err(failure) => failure.into_response(profile),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

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
}
