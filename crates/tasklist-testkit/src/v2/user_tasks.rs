//! The user-task reads of v2: the search, one task by key, and its linked form; and the
//! `UserTaskResult` they answer with.

use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::filter::{self, Ops, Scalar};
use super::paging::{self, SortSpec, SortValue};
use super::problems::Problem;
use super::shared::{
    check_key, linked_form_key, object_property, ok_json, parse_object, process_definition_id,
    read_task, respond, task_not_found, tenant, writes_nulls,
};
use crate::config::Profile;
use crate::state::AppState;
use crate::store::{DEFAULT_PRIORITY, Task, Variable};

/// A date as the v2 API writes it (RFC 3339, UTC).
fn date(ts: Option<Timestamp>) -> Value {
    ts.map_or(Value::Null, |t| json!(t.to_string()))
}

/// Inserts `name`, leaving a `null` out on 8.8.
fn put(object: &mut Map<String, Value>, profile: Profile, name: &str, value: Value) {
    if value.is_null() && !writes_nulls(profile) {
        return;
    }
    object.insert(name.to_owned(), value);
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

pub(super) async fn search_user_tasks(
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

pub(super) async fn get_user_task(
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
// GET /v2/user-tasks/{userTaskKey}/form
// ---------------------------------------------------------------------------------------------

pub(super) async fn get_user_task_form(
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
