//! The v2 handlers.
//!
//! Reads (search, get, form, variables, audit logs) are eventually consistent: they see a task
//! as it was before the commands of the last [`consistency_lag`](crate::Config::consistency_lag)
//! (FACTS §5). The store keeps no history of variables, so the variable searches and the read of
//! one variable by key (`GET /v2/variables/{variableKey}`) show the variables as they are. Commands (update, assign, unassign, complete) apply at once and follow Zeebe's
//! user-task processors:
//! - a task that is not in the engine's state (unknown, job-worker based, completed or
//!   canceled) is `404 NOT_FOUND` `Command '<C>' rejected with code 'NOT_FOUND': Expected to
//!   <c> user task with key '<k>', but no such user task was found`
//!   (`UserTaskCommandPreconditionChecker`);
//! - assigning with `allowOverride: false` a task assigned to someone else is
//!   `409 INVALID_STATE` (`UserTaskAssignProcessor`, FACTS §3.3);
//! - request bodies have `additionalProperties: false`: an unknown property is a 400, except
//!   inside `changeset`, which ignores them (FACTS §3.1, §3.3, camunda-8-js-sdk#598).

use std::collections::BTreeMap;

use axum::Extension;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::filter::{self, Ops, Scalar};
use super::paging::{self, SortSpec, SortValue};
use super::problems::{Problem, rejected};
use crate::auth::{Caller, CallerKind};
use crate::config::Profile;
use crate::state::{AppState, AuditEntry};
use crate::store::{
    DEFAULT_PRIORITY, Task, TaskImplementation, TaskRecord, TaskState, Variable, preview,
};

/// The v2 routes of `profile` (audit logs from 8.9 on).
pub(crate) fn router(profile: Profile) -> Router<AppState> {
    let mut router = Router::new()
        .route("/v2/topology", get(topology))
        .route("/v2/variables/{key}", get(get_variable))
        .route("/v2/user-tasks/search", post(search_user_tasks))
        .route(
            "/v2/user-tasks/{key}",
            get(get_user_task).patch(update_user_task),
        )
        .route("/v2/user-tasks/{key}/assignment", post(assign_user_task))
        .route("/v2/user-tasks/{key}/assignee", delete(unassign_user_task))
        .route("/v2/user-tasks/{key}/completion", post(complete_user_task))
        .route("/v2/user-tasks/{key}/form", get(get_user_task_form))
        .route(
            "/v2/user-tasks/{key}/variables/search",
            post(search_user_task_variables::<false>),
        )
        .route(
            "/v2/user-tasks/{key}/effective-variables/search",
            post(search_user_task_variables::<true>),
        );
    if !matches!(profile, Profile::V8_7 | Profile::V8_8) {
        router = router.route(
            "/v2/user-tasks/{key}/audit-logs/search",
            post(search_user_task_audit_logs),
        );
    }
    router
}

// ---------------------------------------------------------------------------------------------
// Shared helpers.
// ---------------------------------------------------------------------------------------------

/// Whether `profile` writes every `UserTaskResult` property, nullable ones as `null` (8.9+);
/// 8.8 leaves unset ones out, its spec not marking them nullable (FACTS §3.2).
fn writes_nulls(profile: Profile) -> bool {
    !matches!(profile, Profile::V8_7 | Profile::V8_8)
}

/// The response for a handler's result.
fn respond(path: &str, result: Result<Response, Problem>) -> Response {
    result.unwrap_or_else(|problem| problem.into_response(path))
}

/// Defines the axum handler `$name` of a command with a body: it hands the state, the caller
/// (if authenticated), the path key and the body to `$command(state, caller, key, body)` and
/// answers its result as [`respond`] does.
macro_rules! command_handler {
    ($name:ident, $command:ident) => {
        async fn $name(
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

/// A 200 JSON response.
fn ok_json(body: Value) -> Response {
    axum::Json(body).into_response()
}

/// Checks a user task key in the path against `LongKey` (`^-?[0-9]+$`, 1–25 characters;
/// FACTS §0.2).
fn check_key(key: &str) -> Result<(), Problem> {
    check_named_key("userTaskKey", key)
}

/// Checks the path key `name` against `LongKey` (`^-?[0-9]+$`, 1–25 characters; FACTS §0.2).
fn check_named_key(name: &str, key: &str) -> Result<(), Problem> {
    let digits = key.strip_prefix('-').unwrap_or(key);
    if key.is_empty()
        || key.len() > 25
        || digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(Problem::invalid(format!(
            "The provided {name} '{key}' is not a valid key: it must be a number"
        )));
    }
    Ok(())
}

/// Reads an optional JSON object body with the allowed top-level properties.
fn parse_object(body: &[u8], allowed: &[&str]) -> Result<Option<Map<String, Value>>, Problem> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    // Spring's `ResponseEntityExceptionHandler` gives unreadable JSON (a Jackson
    // `JsonParseException`, not a `MismatchedInputException`) its default detail, which the
    // gateway's `GlobalControllerExceptionHandler` keeps (camunda/camunda
    // `zeebe/gateway-rest/.../GlobalControllerExceptionHandler.java`).
    // Like Jackson, read the first JSON value and ignore what follows it.
    let unreadable = || Problem::unreadable("Failed to read request");
    crate::jackson::check(body, &crate::jackson::JavaType::Object).map_err(|_| unreadable())?;
    let value: Value = serde_json::Deserializer::from_slice(body)
        .into_iter::<Value>()
        .next()
        .and_then(Result::ok)
        .ok_or_else(unreadable)?;
    match value {
        Value::Null => Ok(None),
        Value::Object(object) => {
            if let Some(unknown) = object.keys().find(|k| !allowed.contains(&k.as_str())) {
                return Err(Problem::unreadable(format!(
                    "Request property [{unknown}] cannot be parsed: unknown property"
                )));
            }
            Ok(Some(object))
        }
        other => Err(Problem::unreadable(format!(
            "Request body cannot be parsed: expected an object, got {other}"
        ))),
    }
}

/// An object property of a request body, `null` or absent as empty; anything else is a 400.
fn object_property<'a>(
    object: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a Map<String, Value>>, Problem> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(property)) => Ok(Some(property)),
        Some(other) => Err(Problem::unreadable(format!(
            "Request property [{name}] cannot be parsed: {other}"
        ))),
    }
}

/// A Zeebe user task as reads see it (within the consistency lag), if it exists.
fn read_task(state: &AppState, key: &str) -> Option<Task> {
    state
        .store()
        .task(key)
        .map(|task| state.v2().visible(task))
        .filter(|task| task.implementation == TaskImplementation::ZeebeUserTask)
}

/// `404 NOT_FOUND` of a read.
fn task_not_found(key: &str) -> Problem {
    Problem::not_found(format!("User task with key '{key}' not found"))
}

/// A process definition id from a process name: the spec's `ProcessDefinitionId` pattern
/// `^[a-zA-Z_][a-zA-Z0-9_\-\.]*$` (the store keeps only the display name).
pub(crate) fn process_definition_id(name: &str) -> String {
    let mut id: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        id.insert(0, '_');
    }
    id
}

/// A stable numeric key (`LongKey`) for a text id the store keeps (variables, forms).
fn numeric_key(id: &str) -> String {
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && id.len() <= 19 {
        return id.to_owned();
    }
    // FNV-1a, cut to 52 bits so the key is a positive Java long.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in id.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash >> 12).to_string()
}

/// A date as the v2 API writes it (RFC 3339, UTC).
fn date(ts: Option<Timestamp>) -> Value {
    ts.map_or(Value::Null, |t| json!(t.to_string()))
}

/// The tenant of a record, `<default>` when unset.
fn tenant(tenant: Option<&str>) -> String {
    tenant.unwrap_or("<default>").to_owned()
}

/// Inserts `name`, leaving a `null` out on 8.8.
fn put(object: &mut Map<String, Value>, profile: Profile, name: &str, value: Value) {
    if value.is_null() && !writes_nulls(profile) {
        return;
    }
    object.insert(name.to_owned(), value);
}

/// The form key a task references, when it links a deployed form.
fn linked_form_key(task: &Task) -> Option<String> {
    if task.is_form_embedded == Some(true) {
        return None;
    }
    let form_id = task.form_id.as_ref()?;
    Some(match &task.form_key {
        Some(key) if key.bytes().all(|b| b.is_ascii_digit()) && !key.is_empty() => key.clone(),
        _ => numeric_key(form_id),
    })
}

/// `UserTaskResult` for `profile` (FACTS §3.2).
fn task_json(task: &Task, profile: Profile) -> Value {
    let mut o = Map::new();
    o.insert("userTaskKey".to_owned(), json!(task.id));
    put(&mut o, profile, "name", json!(task.name));
    o.insert("state".to_owned(), json!(task.state.as_str()));
    put(&mut o, profile, "assignee", json!(task.assignee));
    o.insert("elementId".to_owned(), json!(task.task_definition_id));
    o.insert(
        "candidateGroups".to_owned(),
        json!(task.candidate_groups.clone().unwrap_or_default()),
    );
    o.insert(
        "candidateUsers".to_owned(),
        json!(task.candidate_users.clone().unwrap_or_default()),
    );
    o.insert(
        "processDefinitionId".to_owned(),
        json!(process_definition_id(&task.process_name)),
    );
    put(&mut o, profile, "processName", json!(task.process_name));
    o.insert(
        "processDefinitionKey".to_owned(),
        json!(task.process_definition_key),
    );
    o.insert("processDefinitionVersion".to_owned(), json!(1));
    o.insert(
        "processInstanceKey".to_owned(),
        json!(task.process_instance_key),
    );
    o.insert("elementInstanceKey".to_owned(), json!(task.id));
    put(&mut o, profile, "formKey", json!(linked_form_key(task)));
    put(&mut o, profile, "externalFormReference", Value::Null);
    o.insert("creationDate".to_owned(), date(Some(task.creation_date)));
    put(
        &mut o,
        profile,
        "completionDate",
        date(task.completion_date),
    );
    put(&mut o, profile, "followUpDate", date(task.follow_up_date));
    put(&mut o, profile, "dueDate", date(task.due_date));
    o.insert(
        "tenantId".to_owned(),
        json!(tenant(task.tenant_id.as_deref())),
    );
    o.insert("customHeaders".to_owned(), json!({}));
    o.insert(
        "priority".to_owned(),
        json!(task.priority.unwrap_or(DEFAULT_PRIORITY)),
    );
    if writes_nulls(profile) {
        o.insert(
            "rootProcessInstanceKey".to_owned(),
            json!(task.process_instance_key),
        );
        o.insert("tags".to_owned(), json!([]));
    }
    if matches!(profile, Profile::V8_10) {
        o.insert("businessId".to_owned(), Value::Null);
    }
    Value::Object(o)
}

/// The `truncateValues` query parameter (default true).
fn truncate_values(query: Option<&str>) -> Result<bool, Problem> {
    let mut truncate = true;
    for (name, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if name == "truncateValues" {
            truncate = match value.to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(Problem::invalid(format!(
                        "Failed to convert 'truncateValues' with value: '{value}'"
                    )));
                }
            };
        }
    }
    Ok(truncate)
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

// ---------------------------------------------------------------------------------------------
// GET /v2/topology
// ---------------------------------------------------------------------------------------------

/// `TopologyResponse`: one broker with one healthy leader partition and the profile's version
/// as `gatewayVersion` (FACTS §8); 8.9 adds `clusterId`, 8.10 `brokerId` and the partition
/// `state`.
async fn topology(State(state): State<AppState>) -> Response {
    let profile = state.config().profile;
    let version = profile.version();
    let mut broker = json!({
        "nodeId": 0,
        "host": "127.0.0.1",
        "port": 26501,
        "partitions": [{"partitionId": 1, "role": "leader", "health": "healthy"}],
        "version": version,
    });
    if matches!(profile, Profile::V8_10) {
        broker["brokerId"] = json!("0");
        broker["partitions"][0]["state"] = json!("active");
    }
    let mut body = json!({
        "brokers": [broker],
        "clusterSize": 1,
        "partitionsCount": 1,
        "replicationFactor": 1,
        "gatewayVersion": version,
        "lastCompletedChangeId": "-1",
    });
    if writes_nulls(profile) {
        body["clusterId"] = json!("tasklist-testkit");
    }
    ok_json(body)
}

// ---------------------------------------------------------------------------------------------
// POST /v2/user-tasks/search
// ---------------------------------------------------------------------------------------------

/// The sort fields of the user-task search (FACTS §3.1).
fn task_sort_fields(profile: Profile) -> &'static [&'static str] {
    if matches!(profile, Profile::V8_10) {
        &[
            "creationDate",
            "completionDate",
            "followUpDate",
            "dueDate",
            "priority",
            "name",
            "businessId",
        ]
    } else {
        &[
            "creationDate",
            "completionDate",
            "followUpDate",
            "dueDate",
            "priority",
            "name",
        ]
    }
}

/// The sort tuple of a task: the requested fields, then the key.
fn task_sort_values(task: &Task, specs: &[SortSpec]) -> Vec<SortValue> {
    let millis =
        |t: Option<Timestamp>| t.map_or(SortValue::Null, |t| SortValue::Int(t.as_millisecond()));
    let mut values: Vec<SortValue> = specs
        .iter()
        .map(|spec| match spec.field.as_str() {
            "creationDate" => millis(Some(task.creation_date)),
            "completionDate" => millis(task.completion_date),
            "followUpDate" => millis(task.follow_up_date),
            "dueDate" => millis(task.due_date),
            "priority" => SortValue::Int(i64::from(task.priority.unwrap_or(DEFAULT_PRIORITY))),
            "name" => SortValue::Text(task.name.clone()),
            _ => SortValue::Null,
        })
        .collect();
    values.push(SortValue::key(&task.id));
    values
}

/// Whether `task` passes `filter` (`UserTaskFilter`, FACTS §3.1), with `variables` its
/// variables for the variable filters.
fn task_matches(
    filter: &Map<String, Value>,
    task: &Task,
    variables: &[Variable],
    profile: Profile,
) -> Result<bool, Problem> {
    let text = filter::text_kind();
    let is_8_10 = matches!(profile, Profile::V8_10);
    let date_values = |t: Option<Timestamp>| t.map(Scalar::Date).into_iter().collect::<Vec<_>>();
    for (field, value) in filter {
        let f = field.as_str();
        let pass = match f {
            "state" => filter::matches(
                f,
                value,
                Ops::State,
                &text,
                &filter::texts([task.state.as_str()]),
            )?,
            "assignee" => filter::strings(f, value, task.assignee.as_deref())?,
            "candidateGroup" => filter::strings(
                f,
                value,
                task.candidate_groups.iter().flatten().map(String::as_str),
            )?,
            "candidateUser" => filter::strings(
                f,
                value,
                task.candidate_users.iter().flatten().map(String::as_str),
            )?,
            "tenantId" => filter::strings(f, value, [tenant(task.tenant_id.as_deref()).as_str()])?,
            "name" => {
                // 8.8: an exact name only; 8.9+: a string filter property.
                if matches!(profile, Profile::V8_8) && !value.is_string() && !value.is_null() {
                    return Err(Problem::unreadable(format!(
                        "Request property [filter.name] cannot be parsed: {value}"
                    )));
                }
                filter::strings(f, value, [task.name.as_str()])?
            }
            "priority" => filter::matches(
                f,
                value,
                Ops::Ordered,
                &Scalar::Int(0),
                &[Scalar::Int(i64::from(
                    task.priority.unwrap_or(DEFAULT_PRIORITY),
                ))],
            )?,
            "creationDate" | "completionDate" | "followUpDate" | "dueDate" => {
                let values = match f {
                    "creationDate" => date_values(Some(task.creation_date)),
                    "completionDate" => date_values(task.completion_date),
                    "followUpDate" => date_values(task.follow_up_date),
                    _ => date_values(task.due_date),
                };
                filter::matches(
                    f,
                    value,
                    Ops::Ordered,
                    &Scalar::Date(Timestamp::UNIX_EPOCH),
                    &values,
                )?
            }
            "elementId" | "userTaskKey" | "elementInstanceKey" => {
                let own = match f {
                    "elementId" => task.task_definition_id.as_str(),
                    _ => task.id.as_str(),
                };
                exact(f, value, own)?
            }
            "processDefinitionId" => {
                let own = process_definition_id(&task.process_name);
                if is_8_10 {
                    filter::strings(f, value, [own.as_str()])?
                } else {
                    exact(f, value, &own)?
                }
            }
            "processDefinitionKey" | "processInstanceKey" => {
                let own = if f == "processDefinitionKey" {
                    task.process_definition_key.as_str()
                } else {
                    task.process_instance_key.as_str()
                };
                if is_8_10 {
                    filter::matches(f, value, Ops::Key, &text, &filter::texts([own]))?
                } else {
                    exact(f, value, own)?
                }
            }
            "processInstanceVariables" | "localVariables" => variables_match(f, value, variables)?,
            "tags" if writes_nulls(profile) => match value {
                Value::Array(tags) => tags.is_empty(),
                Value::Null => true,
                _ => {
                    return Err(Problem::unreadable(format!(
                        "Request property [filter.tags] cannot be parsed: {value}"
                    )));
                }
            },
            "businessId" if is_8_10 => filter::matches(f, value, Ops::String, &text, &[])?,
            _ => {
                return Err(Problem::unreadable(format!(
                    "Request property [filter.{f}] cannot be parsed: unknown property"
                )));
            }
        };
        if !pass {
            return Ok(false);
        }
    }
    Ok(true)
}

/// An exact-only filter: a string equal to `own`.
fn exact(field: &str, value: &Value, own: &str) -> Result<bool, Problem> {
    match value {
        Value::String(s) => Ok(s == own),
        Value::Null => Ok(true),
        other => Err(Problem::unreadable(format!(
            "Request property [filter.{field}] cannot be parsed: {other}"
        ))),
    }
}

/// `[{name, value: StringFilterProperty}]`: every entry names a variable whose JSON text
/// passes the value filter (values are JSON-serialised, FACTS §3.1).
fn variables_match(field: &str, value: &Value, variables: &[Variable]) -> Result<bool, Problem> {
    let entries = match value {
        Value::Array(entries) => entries,
        Value::Null => return Ok(true),
        other => {
            return Err(Problem::unreadable(format!(
                "Request property [filter.{field}] cannot be parsed: {other}"
            )));
        }
    };
    for entry in entries {
        let name = entry.get("name").and_then(Value::as_str);
        let wanted = entry.get("value");
        let (Some(name), Some(wanted)) = (name, wanted) else {
            return Err(Problem::invalid(format!(
                "No name or value provided for the variable filter in {field}"
            )));
        };
        let values: Vec<&str> = variables
            .iter()
            .filter(|v| v.name == name)
            .map(|v| v.value.as_str())
            .collect();
        if values.is_empty() || !filter::strings(field, wanted, values)? {
            return Ok(false);
        }
    }
    Ok(true)
}

async fn search_user_tasks(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> Response {
    respond(uri.path(), search_tasks(&state, &body))
}

/// `searchUserTasks`.
fn search_tasks(state: &AppState, body: &[u8]) -> Result<Response, Problem> {
    let profile = state.config().profile;
    let query = parse_object(body, &["page", "sort", "filter"])?.unwrap_or_default();
    let specs = paging::parse_sort(query.get("sort"), task_sort_fields(profile))?;
    let page = paging::parse_page(query.get("page"), false, specs.len() + 1)?;
    let empty = Map::new();
    let filter = object_property(&query, "filter")?.unwrap_or(&empty);
    let v2 = state.v2();
    let mut hits = Vec::new();
    state.store().for_each_v2_task(|record| {
        let before = v2.before_image(&record.task.id);
        let task = before.as_ref().unwrap_or(&record.task);
        if task_matches(filter, task, record.visible_variables(), profile)? {
            hits.push((task.clone(), task_sort_values(task, &specs)));
        }
        Ok::<(), Problem>(())
    })?;
    let (tasks, page) = paging::sorted_page(hits, &specs, &page, profile);
    let items: Vec<Value> = tasks.iter().map(|t| task_json(t, profile)).collect();
    Ok(ok_json(json!({ "items": items, "page": page })))
}

// ---------------------------------------------------------------------------------------------
// GET /v2/user-tasks/{userTaskKey}
// ---------------------------------------------------------------------------------------------

async fn get_user_task(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Path(key): Path<String>,
) -> Response {
    let result = check_key(&key).and_then(|()| {
        let task = read_task(&state, &key).ok_or_else(|| task_not_found(&key))?;
        Ok(ok_json(task_json(&task, state.config().profile)))
    });
    respond(uri.path(), result)
}

// ---------------------------------------------------------------------------------------------
// Commands.
// ---------------------------------------------------------------------------------------------

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

async fn unassign_user_task(
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

// ---------------------------------------------------------------------------------------------
// GET /v2/user-tasks/{userTaskKey}/form
// ---------------------------------------------------------------------------------------------

async fn get_user_task_form(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Path(key): Path<String>,
) -> Response {
    respond(uri.path(), form(&state, &key))
}

/// `getUserTaskForm`: the linked (deployed) form as `FormResult` with the schema as a string;
/// `204` when the task has no linked form, embedded forms included (FACTS §3.2).
fn form(state: &AppState, key: &str) -> Result<Response, Problem> {
    check_key(key)?;
    let task = read_task(state, key).ok_or_else(|| task_not_found(key))?;
    let (Some(form_key), Some(form_id)) = (linked_form_key(&task), task.form_id.clone()) else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let form = state
        .store()
        .find_form(&form_id, &task.process_definition_key, task.form_version)
        .ok_or_else(|| Problem::not_found(format!("Form with key '{form_key}' not found")))?;
    Ok(ok_json(json!({
        "formKey": form_key,
        "formId": form.id,
        "version": form.version.unwrap_or(1),
        "tenantId": tenant(form.tenant_id.as_deref()),
        "schema": form.schema,
    })))
}

// ---------------------------------------------------------------------------------------------
// Variable searches.
// ---------------------------------------------------------------------------------------------

const VARIABLE_SORT_FIELDS: &[&str] = &[
    "value",
    "name",
    "tenantId",
    "variableKey",
    "scopeKey",
    "processInstanceKey",
];

/// The handler of both variable searches: `EFFECTIVE` picks the effective-variables one.
async fn search_user_task_variables<const EFFECTIVE: bool>(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    RawQuery(query): RawQuery,
    Path(key): Path<String>,
    body: Bytes,
) -> Response {
    let result = search_variables(&state, &key, query.as_deref(), &body, EFFECTIVE);
    respond(uri.path(), result)
}

/// `searchUserTaskVariables` / `searchUserTaskEffectiveVariables`. The store keeps one scope
/// (the process instance) per task, so both return the same variables; the effective search
/// keeps one per name (the innermost scope wins) and pages by offset only (FACTS §3.2). Values
/// are JSON text; with `truncateValues` (default true) values longer than the configured
/// threshold (8191 characters by default) are cut, with `isTruncated`.
fn search_variables(
    state: &AppState,
    key: &str,
    query: Option<&str>,
    body: &[u8],
    effective: bool,
) -> Result<Response, Problem> {
    check_key(key)?;
    let profile = state.config().profile;
    let truncate = truncate_values(query)?;
    let request = parse_object(body, &["page", "sort", "filter"])?.unwrap_or_default();
    let specs = paging::parse_sort(request.get("sort"), VARIABLE_SORT_FIELDS)?;
    let page = paging::parse_page(request.get("page"), effective, specs.len() + 1)?;
    let filter = object_property(&request, "filter")?;
    if let Some(unknown) = filter.iter().flat_map(|f| f.keys()).find(|k| *k != "name") {
        return Err(Problem::unreadable(format!(
            "Request property [filter.{unknown}] cannot be parsed: unknown property"
        )));
    }
    let name_filter = filter.and_then(|f| f.get("name"));
    let task = read_task(state, key).ok_or_else(|| task_not_found(key))?;
    let variables = state
        .store()
        .with_task(key, |record| record.visible_variables().to_vec())
        .unwrap_or_default();
    let mut seen = BTreeMap::new();
    let mut hits = Vec::new();
    for variable in variables {
        if effective && seen.insert(variable.name.clone(), ()).is_some() {
            continue;
        }
        if let Some(filter) = name_filter
            && !filter::strings("name", filter, [variable.name.as_str()])?
        {
            continue;
        }
        let variable_key = numeric_key(&variable.id);
        let values: Vec<SortValue> = specs
            .iter()
            .map(|spec| match spec.field.as_str() {
                "value" => SortValue::Text(variable.value.clone()),
                "name" => SortValue::Text(variable.name.clone()),
                "tenantId" => SortValue::Text(tenant(variable.tenant_id.as_deref())),
                "variableKey" => SortValue::key(&variable_key),
                _ => SortValue::key(&task.process_instance_key),
            })
            .chain(std::iter::once(SortValue::key(&variable_key)))
            .collect();
        hits.push((
            variable_json(&variable, &variable_key, &task, truncate, state, profile),
            values,
        ));
    }
    let (items, page) = paging::sorted_page(hits, &specs, &page, profile);
    Ok(ok_json(json!({ "items": items, "page": page })))
}

/// `VariableSearchResult` (FACTS §3.2): the common properties, the value (cut to the
/// configured threshold when `truncate`) and `isTruncated`.
fn variable_json(
    variable: &Variable,
    variable_key: &str,
    task: &Task,
    truncate: bool,
    state: &AppState,
    profile: Profile,
) -> Value {
    let (value, truncated) = if truncate {
        preview(&variable.value, state.config().truncation_threshold)
    } else {
        (variable.value.as_str(), false)
    };
    let mut o = variable_base(variable, variable_key, task, profile);
    o.insert("value".to_owned(), json!(value));
    o.insert("isTruncated".to_owned(), json!(truncated));
    Value::Object(o)
}

/// `VariableResultBase`: key, name, tenant, scope and process instance; 8.9 adds
/// `rootProcessInstanceKey`. The store keeps one scope per task, its process instance.
fn variable_base(
    variable: &Variable,
    variable_key: &str,
    task: &Task,
    profile: Profile,
) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("variableKey".to_owned(), json!(variable_key));
    o.insert("name".to_owned(), json!(variable.name));
    o.insert(
        "tenantId".to_owned(),
        json!(tenant(variable.tenant_id.as_deref())),
    );
    o.insert("scopeKey".to_owned(), json!(task.process_instance_key));
    o.insert(
        "processInstanceKey".to_owned(),
        json!(task.process_instance_key),
    );
    if writes_nulls(profile) {
        o.insert(
            "rootProcessInstanceKey".to_owned(),
            json!(task.process_instance_key),
        );
    }
    o
}

// ---------------------------------------------------------------------------------------------
// GET /v2/variables/{variableKey}
// ---------------------------------------------------------------------------------------------

async fn get_variable(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Path(key): Path<String>,
) -> Response {
    respond(uri.path(), variable(&state, &key))
}

/// Whether two valid `LongKey`s name the same number (`0042` is `42`, as the server reads
/// the path key as a number).
fn same_key(a: &str, b: &str) -> bool {
    match (a.parse::<i128>(), b.parse::<i128>()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// `getVariable`: the variable whose `variableKey` is `key` among those the user-task variable
/// searches show (a task's process variables while it is open, its completion snapshot after),
/// as `VariableResult`: the `VariableResultBase` properties and the **whole** value, never cut
/// and without `isTruncated` (the schema has none in 8.8, 8.9 or 8.10). Eventually consistent
/// like the searches: it reads the store as they do. An unknown key is `404 NOT_FOUND`, a key
/// that is not a `LongKey` `400 INVALID_ARGUMENT`.
fn variable(state: &AppState, key: &str) -> Result<Response, Problem> {
    check_named_key("variableKey", key)?;
    let profile = state.config().profile;
    let mut found = None;
    state.store().for_each_v2_task(|record| {
        if found.is_none()
            && let Some(variable) = record
                .visible_variables()
                .iter()
                .find(|v| same_key(&numeric_key(&v.id), key))
        {
            let variable_key = numeric_key(&variable.id);
            let mut o = variable_base(variable, &variable_key, &record.task, profile);
            o.insert("value".to_owned(), json!(variable.value));
            found = Some(Value::Object(o));
        }
        Ok::<(), Problem>(())
    })?;
    found
        .map(ok_json)
        .ok_or_else(|| Problem::not_found(format!("Variable with key '{key}' not found")))
}

// ---------------------------------------------------------------------------------------------
// POST /v2/user-tasks/{userTaskKey}/audit-logs/search (8.9+)
// ---------------------------------------------------------------------------------------------

const AUDIT_SORT_FIELDS: &[&str] = &[
    "actorId",
    "actorType",
    "auditLogKey",
    "category",
    "entityKey",
    "entityType",
    "operationType",
    "processDefinitionKey",
    "processInstanceKey",
    "result",
    "tenantId",
    "timestamp",
    "userTaskKey",
];

async fn search_user_task_audit_logs(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Path(key): Path<String>,
    body: Bytes,
) -> Response {
    respond(uri.path(), search_audit_logs(&state, &key, &body))
}

/// `searchUserTaskAuditLogs` (8.9+): one `SUCCESS` entry per applied v2 command, filtered by
/// `{operationType, result, timestamp, actorType, actorId}` (FACTS §3.2).
fn search_audit_logs(state: &AppState, key: &str, body: &[u8]) -> Result<Response, Problem> {
    check_key(key)?;
    let profile = state.config().profile;
    let request = parse_object(body, &["page", "sort", "filter"])?.unwrap_or_default();
    let specs = paging::parse_sort(request.get("sort"), AUDIT_SORT_FIELDS)?;
    let page = paging::parse_page(request.get("page"), false, specs.len() + 1)?;
    let empty = Map::new();
    let filter = object_property(&request, "filter")?.unwrap_or(&empty);
    let mut hits = Vec::new();
    for entry in state.v2().audit_of(key) {
        let mut pass = true;
        for (field, value) in filter {
            let f = field.as_str();
            pass &= match f {
                "operationType" => filter::strings(f, value, [entry.operation])?,
                "result" => filter::strings(f, value, ["SUCCESS"])?,
                "actorType" => filter::strings(f, value, [entry.actor_type])?,
                "actorId" => filter::strings(f, value, entry.actor_id.as_deref())?,
                "timestamp" => filter::matches(
                    f,
                    value,
                    Ops::Ordered,
                    &Scalar::Date(Timestamp::UNIX_EPOCH),
                    &[Scalar::Date(entry.timestamp)],
                )?,
                _ => {
                    return Err(Problem::unreadable(format!(
                        "Request property [filter.{f}] cannot be parsed: unknown property"
                    )));
                }
            };
        }
        if !pass {
            continue;
        }
        let audit_key = entry.key.to_string();
        let values: Vec<SortValue> = specs
            .iter()
            .map(|spec| match spec.field.as_str() {
                "actorId" => SortValue::text(entry.actor_id.as_deref()),
                "actorType" => SortValue::Text(entry.actor_type.to_owned()),
                "operationType" => SortValue::Text(entry.operation.to_owned()),
                "timestamp" => SortValue::Int(entry.timestamp.as_millisecond()),
                "tenantId" => SortValue::Text(tenant(entry.task.tenant_id.as_deref())),
                "category" => SortValue::Text("USER_TASKS".to_owned()),
                "entityType" => SortValue::Text("USER_TASK".to_owned()),
                "result" => SortValue::Text("SUCCESS".to_owned()),
                "processDefinitionKey" => SortValue::key(&entry.task.process_definition_key),
                "processInstanceKey" => SortValue::key(&entry.task.process_instance_key),
                "entityKey" | "userTaskKey" => SortValue::key(&entry.task.id),
                _ => SortValue::key(&audit_key),
            })
            .chain(std::iter::once(SortValue::key(&audit_key)))
            .collect();
        hits.push((audit_json(&entry, profile), values));
    }
    let (items, page) = paging::sorted_page(hits, &specs, &page, profile);
    Ok(ok_json(json!({ "items": items, "page": page })))
}

/// `AuditLogResult`: every property present, the unrelated ones `null`.
fn audit_json(entry: &AuditEntry, profile: Profile) -> Value {
    let task = &entry.task;
    let mut o = json!({
        "auditLogKey": entry.key.to_string(),
        "entityKey": task.id,
        "entityType": "USER_TASK",
        "operationType": entry.operation,
        "batchOperationKey": null,
        "batchOperationType": null,
        "timestamp": entry.timestamp.to_string(),
        "actorId": entry.actor_id,
        "actorType": entry.actor_type,
        "agentElementId": null,
        "tenantId": tenant(task.tenant_id.as_deref()),
        "result": "SUCCESS",
        "category": "USER_TASKS",
        "processDefinitionId": process_definition_id(&task.process_name),
        "processDefinitionKey": task.process_definition_key,
        "processInstanceKey": task.process_instance_key,
        "rootProcessInstanceKey": task.process_instance_key,
        "elementInstanceKey": task.id,
        "jobKey": null,
        "userTaskKey": task.id,
        "decisionRequirementsId": null,
        "decisionRequirementsKey": null,
        "decisionDefinitionId": null,
        "decisionDefinitionKey": null,
        "decisionEvaluationKey": null,
        "deploymentKey": null,
        "formKey": linked_form_key(task),
        "resourceKey": null,
        "relatedEntityKey": null,
        "relatedEntityType": null,
        "entityDescription": null,
    });
    if matches!(profile, Profile::V8_10) {
        o["inboundChannelType"] = Value::Null;
        o["inboundChannelToolName"] = Value::Null;
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_ids_fit_the_spec_patterns() {
        assert!(check_key("2251799813685251").is_ok());
        assert!(check_key("-1").is_ok());
        assert!(check_key("abc").is_err());
        assert!(check_key("").is_err());
        assert!(check_key("-").is_err());
        assert!(check_named_key("variableKey", "1x").is_err());
        assert!(same_key("0042", "42"));
        assert!(!same_key("42", "43"));
        assert_eq!(
            process_definition_id("Invoice approval"),
            "Invoice_approval"
        );
        assert_eq!(process_definition_id("1st"), "_1st");
        assert!(numeric_key("7-amount").bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(numeric_key("42"), "42");
    }
}
