//! `POST /v2/user-tasks/{userTaskKey}/audit-logs/search` (8.9+): the applied v2 commands of a
//! task.

use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::response::Response;
use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::filter::{self, Ops, Scalar};
use super::paging::{self, SortValue};
use super::problems::Problem;
use super::shared::{
    check_key, linked_form_key, object_property, ok_json, parse_object, process_definition_id,
    respond, tenant,
};
use crate::config::Profile;
use crate::state::{AppState, AuditEntry};

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

pub(super) async fn search_user_task_audit_logs(
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
