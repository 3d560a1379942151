//! The variable reads of v2: a user task's variables and effective variables, and one variable
//! by key.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::filter;
use super::paging::{self, SortValue};
use super::problems::Problem;
use super::shared::{
    check_key, check_named_key, numeric_key, object_property, ok_json, parse_object, read_task,
    respond, same_key, task_not_found, tenant, writes_nulls,
};
use crate::config::Profile;
use crate::state::AppState;
use crate::store::{Task, Variable, preview};

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
pub(super) async fn search_user_task_variables<const EFFECTIVE: bool>(
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

// ---------------------------------------------------------------------------------------------
// GET /v2/variables/{variableKey}
// ---------------------------------------------------------------------------------------------

pub(super) async fn get_variable(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Path(key): Path<String>,
) -> Response {
    respond(uri.path(), variable(&state, &key))
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
