//! The task endpoints of v1: search, get, assign, unassign and complete.

use std::collections::BTreeMap;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;

use super::bodies::{
    AssignRequest, CompleteRequest, TaskBody, TaskSearchBody, TaskVariableBody, parse_body, respond,
};
use super::rules::{
    Who, assign_task_to, complete_task_with, full_value_flags, task_not_found, unassign,
};
use crate::auth::Caller;
use crate::errors::ApiFailure;
use crate::state::AppState;
use crate::store::{CONTEXT_VARIABLE, SearchHit, SearchQuery, TaskState, preview};

// ---------------------------------------------------------------------------------------------
// POST /v1/tasks/search
// ---------------------------------------------------------------------------------------------

pub(super) async fn search_tasks(State(state): State<AppState>, body: Bytes) -> Response {
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

pub(super) async fn get_task(
    State(state): State<AppState>,
    Path(task_id): Path<String>,
) -> Response {
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

pub(super) async fn assign_task(
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

// ---------------------------------------------------------------------------------------------
// PATCH /v1/tasks/{taskId}/unassign
// ---------------------------------------------------------------------------------------------

pub(super) async fn unassign_task(
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

// ---------------------------------------------------------------------------------------------
// PATCH /v1/tasks/{taskId}/complete
// ---------------------------------------------------------------------------------------------

pub(super) async fn complete_task(
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
