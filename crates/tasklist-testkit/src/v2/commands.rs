//! The user-task commands of v2: update, assign, unassign and complete.
//!
//! Commands apply at once and follow Zeebe's user-task processors:
//! - a task that is not in the engine's state (unknown, job-worker based, completed or
//!   canceled) is `404 NOT_FOUND` `Command '<C>' rejected with code 'NOT_FOUND': Expected to
//!   <c> user task with key '<k>', but no such user task was found`
//!   (`UserTaskCommandPreconditionChecker`);
//! - assigning with `allowOverride: false` a task assigned to someone else is
//!   `409 INVALID_STATE` (`UserTaskAssignProcessor`, FACTS §3.3);
//! - request bodies have `additionalProperties: false`: an unknown property is a 400, except
//!   inside `changeset`, which ignores them (FACTS §3.1, §3.3, camunda-8-js-sdk#598).

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde_json::{Map, Value};

use super::problems::{Problem, rejected};
use super::shared::{check_key, object_property, parse_object, respond};
use crate::auth::{Caller, CallerKind};
use crate::state::AppState;
use crate::store::{TaskImplementation, TaskRecord, TaskState};

/// Defines the axum handler `$name` of a command with a body: it hands the state, the caller
/// (if authenticated), the path key and the body to `$command(state, caller, key, body)` and
/// answers its result as [`respond`] does.
macro_rules! command_handler {
    ($name:ident, $command:ident) => {
        pub(super) async fn $name(
            State(state): State<AppState>,
            OriginalUri(uri): OriginalUri,
            caller: Option<Extension<Caller>>,
            Path(key): Path<String>,
            body: Bytes,
        ) -> Response {
            let caller = caller.as_ref().map(|Extension(c)| c);
            respond(uri.path(), $command(&state, caller, &key, &body))
        }
    };
}

/// The actor of a command, for the audit log: `(actorId, actorType)`.
fn actor(caller: Option<&Caller>) -> (Option<String>, &'static str) {
    match caller {
        Some(caller) => match caller.kind {
            CallerKind::Jwt => (caller.username.clone(), "CLIENT"),
            CallerKind::Session | CallerKind::Basic => (caller.username.clone(), "USER"),
            _ => (None, "ANONYMOUS"),
        },
        None => (None, "ANONYMOUS"),
    }
}

/// A command's names: Zeebe's intent (`COMPLETE`), its verb in messages, the audit operation.
#[derive(Debug, Clone, Copy)]
struct Command {
    intent: &'static str,
    verb: &'static str,
    operation: &'static str,
}

const ASSIGN: Command = Command {
    intent: "ASSIGN",
    verb: "assign",
    operation: "ASSIGN",
};
const UNASSIGN: Command = Command {
    intent: "ASSIGN",
    verb: "unassign",
    operation: "UNASSIGN",
};
const COMPLETE: Command = Command {
    intent: "COMPLETE",
    verb: "complete",
    operation: "COMPLETE",
};
const UPDATE: Command = Command {
    intent: "UPDATE",
    verb: "update",
    operation: "UPDATE",
};

/// Applies `change` to task `key` if the engine has it (a `CREATED` Zeebe user task);
/// remembers the image before for lagging reads and writes the audit log.
fn apply(
    state: &AppState,
    caller: Option<&Caller>,
    key: &str,
    command: Command,
    change: impl FnOnce(&mut TaskRecord) -> Result<(), Problem>,
) -> Result<Response, Problem> {
    check_key(key)?;
    let not_found = || {
        Problem::not_found(rejected(
            command.intent,
            "NOT_FOUND",
            &format!(
                "Expected to {} user task with key '{key}', but no such user task was found",
                command.verb
            ),
        ))
    };
    let outcome = state
        .store()
        .with_task_mut(key, |record| {
            if record.task.implementation != TaskImplementation::ZeebeUserTask
                || record.task.state != TaskState::Created
            {
                return Err(not_found());
            }
            let before = record.task.clone();
            change(record)?;
            Ok((before, record.task.clone()))
        })
        .unwrap_or_else(|| Err(not_found()))?;
    let (before, after) = outcome;
    let v2 = state.v2();
    v2.remember(before);
    let (actor_id, actor_type) = actor(caller);
    v2.audit(after, command.operation, actor_id, actor_type);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A string property of a command body, `null` as absent.
fn opt_string(object: &Map<String, Value>, name: &str) -> Result<Option<String>, Problem> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(Problem::unreadable(format!(
            "Request property [{name}] cannot be parsed: {other}"
        ))),
    }
}

command_handler!(assign_user_task, assign);

/// `assignUserTask`: `{assignee, allowOverride?, action?}`; `assignee` must not be empty or
/// `null`; `allowOverride` defaults to reassigning (FACTS §3.3).
fn assign(
    state: &AppState,
    caller: Option<&Caller>,
    key: &str,
    body: &[u8],
) -> Result<Response, Problem> {
    check_key(key)?;
    let request = parse_object(body, &["assignee", "allowOverride", "action"])?
        .ok_or_else(|| Problem::unreadable("Required request body is missing"))?;
    let assignee = opt_string(&request, "assignee")?
        .filter(|a| !a.is_empty())
        .ok_or_else(|| Problem::invalid("No assignee provided"))?;
    let allow_override = match request.get("allowOverride") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(Problem::unreadable(format!(
                "Request property [allowOverride] cannot be parsed: {other}"
            )));
        }
    };
    opt_string(&request, "action")?;
    apply(state, caller, key, ASSIGN, |record| {
        if let Some(current) = &record.task.assignee
            && !allow_override
            && current != &assignee
        {
            return Err(Problem::invalid_state(rejected(
                "CLAIM",
                "INVALID_STATE",
                &format!(
                    "Expected to claim user task with key '{key}', but it has already been \
                     assigned"
                ),
            )));
        }
        record.task.assignee = Some(assignee);
        Ok(())
    })
}

pub(super) async fn unassign_user_task(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    caller: Option<Extension<Caller>>,
    Path(key): Path<String>,
) -> Response {
    let caller = caller.as_ref().map(|Extension(c)| c);
    let result = apply(&state, caller, &key, UNASSIGN, |record| {
        record.task.assignee = None;
        Ok(())
    });
    respond(uri.path(), result)
}

command_handler!(complete_user_task, complete);

/// `completeUserTask`: `{variables?: object, action?}`; the variables are real JSON and are
/// stored as JSON text (FACTS §0.3).
fn complete(
    state: &AppState,
    caller: Option<&Caller>,
    key: &str,
    body: &[u8],
) -> Result<Response, Problem> {
    check_key(key)?;
    let request = parse_object(body, &["variables", "action"])?.unwrap_or_default();
    let changes: Vec<(String, String)> = match request.get("variables") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(variables)) => variables
            .iter()
            .map(|(name, value)| (name.clone(), value.to_string()))
            .collect(),
        Some(other) => {
            return Err(Problem::unreadable(format!(
                "Request property [variables] cannot be parsed: {other}"
            )));
        }
    };
    opt_string(&request, "action")?;
    apply(state, caller, key, COMPLETE, |record| {
        crate::api::complete_record(record, &changes, Timestamp::now());
        Ok(())
    })
}

command_handler!(update_user_task, update);

/// A changed date: `None` keeps it, `Some(None)` clears it (`""`), `Some(Some(t))` sets it.
type DateChange = Option<Option<Timestamp>>;

/// Reads a changeset date (FACTS §3.3: `""` resets, `null` or absent keeps).
fn changeset_date(changeset: &Map<String, Value>, name: &str) -> Result<DateChange, Problem> {
    match changeset.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(Some(None)),
        Some(Value::String(s)) => s.parse::<Timestamp>().map(|t| Some(Some(t))).map_err(|_| {
            Problem::invalid(format!(
                "The provided {name} '{s}' cannot be parsed as a date according to RFC 3339, \
                 section 5.6."
            ))
        }),
        Some(other) => Err(Problem::unreadable(format!(
            "Request property [changeset.{name}] cannot be parsed: {other}"
        ))),
    }
}

/// Reads a changeset list (`[]` resets, `null` or absent keeps).
fn changeset_list(
    changeset: &Map<String, Value>,
    name: &str,
) -> Result<Option<Vec<String>>, Problem> {
    match changeset.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str().map(str::to_owned).ok_or_else(|| {
                    Problem::unreadable(format!(
                        "Request property [changeset.{name}] cannot be parsed: {item}"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(Problem::unreadable(format!(
            "Request property [changeset.{name}] cannot be parsed: {other}"
        ))),
    }
}

/// `updateUserTask`: `{changeset?, action?}`. The changeset ignores unknown attributes and
/// cannot change the assignee (FACTS §3.3).
fn update(
    state: &AppState,
    caller: Option<&Caller>,
    key: &str,
    body: &[u8],
) -> Result<Response, Problem> {
    check_key(key)?;
    let request = parse_object(body, &["changeset", "action"])?.unwrap_or_default();
    let empty = Map::new();
    let changeset = object_property(&request, "changeset")?.unwrap_or(&empty);
    opt_string(&request, "action")?;
    let due = changeset_date(changeset, "dueDate")?;
    let follow_up = changeset_date(changeset, "followUpDate")?;
    let users = changeset_list(changeset, "candidateUsers")?;
    let groups = changeset_list(changeset, "candidateGroups")?;
    let priority = match changeset.get("priority") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_i64() {
            Some(p @ 0..=100) => Some(p as i32),
            _ => {
                return Err(Problem::invalid(format!(
                    "The value for priority is '{n}' but must be within the [0,100] range."
                )));
            }
        },
        Some(other) => {
            return Err(Problem::unreadable(format!(
                "Request property [changeset.priority] cannot be parsed: {other}"
            )));
        }
    };
    apply(state, caller, key, UPDATE, |record| {
        let task = &mut record.task;
        if let Some(due) = due {
            task.due_date = due;
        }
        if let Some(follow_up) = follow_up {
            task.follow_up_date = follow_up;
        }
        if let Some(users) = users {
            task.candidate_users = Some(users);
        }
        if let Some(groups) = groups {
            task.candidate_groups = Some(groups);
        }
        if let Some(priority) = priority {
            task.priority = Some(priority);
        }
        Ok(())
    })
}
