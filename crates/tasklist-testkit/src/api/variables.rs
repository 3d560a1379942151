//! The variable endpoints of v1: saving draft variables, searching a task's variables, and
//! getting one variable by id.

use std::collections::BTreeMap;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::bodies::{
    DraftBody, DraftSearchBody, SaveRequest, VariableBody, VariableSearchBody,
    VariablesSearchRequest, parse_body, respond,
};
use super::rules::{Who, check_state_and_assignment, full_value_flags, task_not_found};
use crate::auth::Caller;
use crate::errors::ApiFailure;
use crate::jackson;
use crate::state::AppState;
use crate::store::{DraftVariable, TaskState, Variable, preview};

/// `TaskController.searchTaskVariables`.
const ONLY_ONE_VARIABLE_SELECTOR: &str =
    "Only one of [variableNames, includeVariables] must be present in request.";

/// Spring's `HttpMessageNotReadableException` for `saveDraftTaskVariables`, whose body is
/// required (`@RequestBody` without `required = false`).
const DRAFT_BODY_MISSING: &str = "Required request body is missing: public org.springframework.http.ResponseEntity<java.lang.Void> io.camunda.tasklist.webapp.api.rest.v1.controllers.TaskController.saveDraftTaskVariables(java.lang.String,io.camunda.tasklist.webapp.api.rest.v1.entities.SaveVariablesRequest)";

// ---------------------------------------------------------------------------------------------
// POST /v1/tasks/{taskId}/variables
// ---------------------------------------------------------------------------------------------

pub(super) async fn save_draft_variables(
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

pub(super) async fn search_task_variables(
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

pub(super) async fn get_variable(
    State(state): State<AppState>,
    Path(variable_id): Path<String>,
) -> Response {
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
