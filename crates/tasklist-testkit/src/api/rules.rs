//! The task rules of the v1 API, shared with the GraphQL endpoint and the v2 commands: the
//! real server's messages, the caller as the rules see it ([`Who`]), the checks of
//! `TaskValidator`, and assigning, unassigning and completing a task (`TaskService`).

use std::collections::{BTreeMap, BTreeSet};

use axum::Extension;
use jiff::Timestamp;

use crate::auth::{Caller, CallerKind};
use crate::errors::{ApiFailure, task_error_message};
use crate::jackson;
use crate::state::AppState;
use crate::store::{
    DraftVariable, IncludeVariable, Task, TaskImplementation, TaskRecord, TaskState, Variable,
};

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
pub(super) fn check_state_and_assignment(task: &Task, who: &Who) -> Result<(), ApiFailure> {
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
pub(super) fn full_value_flags(
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
// Commands.
// ---------------------------------------------------------------------------------------------

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

#[cfg(test)]
mod tests {
    use super::*;

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
