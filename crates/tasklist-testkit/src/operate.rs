//! Operate's v1 process definition search, `POST /v1/process-definitions/search`, over the
//! processes of the tasks in the store: what a client authenticated for Tasklist can also call
//! on Operate (Camunda's authentication guides end with such a call).
//!
//! The rules come from Operate's own code (camunda/camunda, `operate/webapp/.../api/v1`):
//! `ProcessDefinitionController.search`, `Query`, `QueryValidator`, `Results`,
//! `ProcessDefinition`, `ErrorController` and `ElasticsearchDao`/
//! `ElasticsearchProcessDefinitionDao`:
//!
//! - the request is `{filter?, size?, searchAfter?, sort?}`: `filter` matches `key`, `name`,
//!   `version`, `bpmnProcessId` and `tenantId` exactly (an empty string matches anything);
//!   `size` defaults to 10 and must be 1..=1000; `sort` is `[{field, order}]` over the
//!   `ProcessDefinition` fields, `order` `ASC` (default) or `DESC`;
//! - results are sorted by the requested fields, then by `key` ascending (always, for paging);
//!   `searchAfter` takes the `sortValues` of the last item of the previous page (one value per
//!   sort field, plus the key) and returns what follows it;
//! - the answer is `{items, sortValues, total}`: `items` are `{key, name, version,
//!   bpmnProcessId, tenantId}` (unset ones left out), `sortValues` the last item's sort values
//!   (`[]` for an empty page; numbers for `key` and `version`, strings otherwise), `total` the
//!   number of matches regardless of the page;
//! - errors are Operate's `{status, message, instance, type}` (`application/problem+json`):
//!   `type` `Data invalid` for a query that fails validation, `Invalid request` for an
//!   unreadable body or a bad `size`, `API application error` (500) when the search itself
//!   fails (a `searchAfter` the sort cannot use).
//!
//! The processes are derived from the tasks: one per process definition key (keys that are not
//! numbers are left out: Operate's keys are `Long`s), named after the task's process name, with
//! `bpmnProcessId` made from that name exactly as the v2 API's `processDefinitionId`, version 1
//! and the task's tenant. The endpoint is served where Operate's v1 API exists: 8.7, and 8.8 and
//! 8.9 (deprecated there, docs "Migrate Component V1 APIs"); 8.10 removed the v1 APIs, so it is
//! a `404` like every `/v1/...` path. It sits behind the same authentication as Tasklist's
//! endpoints (the real Operate 8.7 is a separate application with its own login and audience;
//! here one server plays both).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Value, json};

use crate::api::parse_java_body;
use crate::errors::{PROBLEM_JSON, new_instance_id};
use crate::jackson::JavaType;
use crate::state::AppState;

/// The path of the search.
pub(crate) const SEARCH_PATH: &str = "/v1/process-definitions/search";

/// `QueryValidator.MAX_QUERY_SIZE`.
const MAX_QUERY_SIZE: i64 = 1000;

/// The router of Operate's process definition search.
pub(crate) fn router() -> Router<AppState> {
    Router::new().route(SEARCH_PATH, post(search))
}

/// `ProcessDefinition`'s properties, which are also the sortable fields.
const FIELDS: [&str; 5] = ["key", "name", "version", "bpmnProcessId", "tenantId"];

/// `ProcessDefinition`'s static constants, which `QueryValidator` takes for fields too
/// (`getDeclaredFields()`); sorting by one passes validation and fails in the search.
const CONSTANTS: [&str; 5] = ["KEY", "NAME", "VERSION", "BPMN_PROCESS_ID", "TENANT_ID"];

/// `Query<ProcessDefinition>`, for Jackson's messages.
const QUERY: JavaType = JavaType::Generic(
    "io.camunda.operate.webapp.api.v1.entities.Query<io.camunda.operate.webapp.api.v1.entities.ProcessDefinition>",
    &JavaType::Bean(
        "io.camunda.operate.webapp.api.v1.entities.Query",
        &[
            (
                "filter",
                JavaType::Bean(
                    "io.camunda.operate.webapp.api.v1.entities.ProcessDefinition",
                    &[
                        ("key", JavaType::Long),
                        ("name", JavaType::String),
                        ("version", JavaType::Integer),
                        ("bpmnProcessId", JavaType::String),
                        ("tenantId", JavaType::String),
                    ],
                ),
            ),
            ("size", JavaType::Int),
            (
                "searchAfter",
                JavaType::Array("java.lang.Object[]", &JavaType::Object),
            ),
            (
                "sort",
                JavaType::List(
                    "java.util.ArrayList<io.camunda.operate.webapp.api.v1.entities.Query$Sort>",
                    &JavaType::Bean(
                        "io.camunda.operate.webapp.api.v1.entities.Query$Sort",
                        &[
                            ("field", JavaType::String),
                            (
                                "order",
                                JavaType::Enum(
                                    "io.camunda.operate.webapp.api.v1.entities.Query$Sort$Order",
                                    &["ASC", "DESC"],
                                ),
                            ),
                        ],
                    ),
                ),
            ),
        ],
    ),
);

/// Spring's message for a missing body (the parameter is a required `@RequestBody`).
const BODY_MISSING: &str = "Required request body is missing: public io.camunda.operate.webapp.api.v1.entities.Results<io.camunda.operate.webapp.api.v1.entities.ProcessDefinition> io.camunda.operate.webapp.api.v1.rest.ProcessDefinitionController.search(io.camunda.operate.webapp.api.v1.entities.Query<io.camunda.operate.webapp.api.v1.entities.ProcessDefinition>)";

/// The request body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Query {
    #[serde(default)]
    filter: Option<Filter>,
    /// A Java `int` defaulting to 10; `null` is 0.
    #[serde(default = "default_size", deserialize_with = "de_int")]
    size: i64,
    #[serde(default)]
    search_after: Option<Vec<Box<RawValue>>>,
    #[serde(default)]
    sort: Option<Vec<Sort>>,
}

fn default_size() -> i64 {
    10
}

/// A Java `int` as Jackson reads one (fractions cut off, numeric strings, `null` as 0); the
/// range was checked before.
fn de_int<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let raw = Option::<Box<RawValue>>::deserialize(deserializer)?;
    let Some(raw) = raw else { return Ok(0) };
    let text = raw.get().trim().trim_matches('"').trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse::<i64>()
        .or_else(|_| text.parse::<f64>().map(|f| f as i64))
        .map_err(serde::de::Error::custom)
}

/// The filter: a `ProcessDefinition`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Filter {
    #[serde(default, deserialize_with = "de_long")]
    key: Option<i64>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    name: Option<String>,
    #[serde(default, deserialize_with = "de_long")]
    version: Option<i64>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    bpmn_process_id: Option<String>,
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    tenant_id: Option<String>,
}

/// A `Long` or `Integer` as Jackson reads one; `null` (and an empty string) is `None`.
fn de_long<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    let raw = Option::<Box<RawValue>>::deserialize(deserializer)?;
    let Some(raw) = raw else { return Ok(None) };
    let text = raw.get().trim().trim_matches('"').trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>()
        .or_else(|_| text.parse::<f64>().map(|f| f as i64))
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// One `sort` entry (`Query.Sort`); `order` defaults to `ASC`, an explicit `null` stays null.
#[derive(Debug, Deserialize)]
struct Sort {
    #[serde(default, deserialize_with = "crate::jackson::de_string")]
    field: Option<String>,
    #[serde(default = "ascending")]
    order: Option<Order>,
}

fn ascending() -> Option<Order> {
    Some(Order::Asc)
}

/// `Query.Sort.Order`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
enum Order {
    #[serde(rename = "ASC")]
    Asc,
    #[serde(rename = "DESC")]
    Desc,
}

/// One process definition.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ProcessDefinition {
    key: i64,
    name: String,
    version: i64,
    bpmn_process_id: String,
    tenant_id: Option<String>,
}

impl ProcessDefinition {
    /// The value of sortable field `field` as Elasticsearch returns it in `sort`.
    fn sort_value(&self, field: &str) -> Value {
        match field {
            "key" => json!(self.key),
            "version" => json!(self.version),
            "name" => json!(self.name),
            "bpmnProcessId" => json!(self.bpmn_process_id),
            _ => json!(self.tenant_id),
        }
    }

    /// The JSON of `ProcessDefinition` (`@JsonInclude(NON_NULL)`).
    fn body(&self) -> DefinitionBody<'_> {
        DefinitionBody {
            key: self.key,
            name: &self.name,
            version: self.version,
            bpmn_process_id: &self.bpmn_process_id,
            tenant_id: self.tenant_id.as_deref(),
        }
    }
}

/// `ProcessDefinition` on the wire, properties in Operate's order.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DefinitionBody<'a> {
    key: i64,
    name: &'a str,
    version: i64,
    bpmn_process_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant_id: Option<&'a str>,
}

/// `Results<ProcessDefinition>`, properties in Operate's order.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Results<'a> {
    items: Vec<DefinitionBody<'a>>,
    sort_values: Vec<Value>,
    total: usize,
}

/// Operate's `Error`, properties in its order.
#[derive(Debug, Serialize)]
struct ErrorBody<'a> {
    status: u16,
    message: &'a str,
    instance: String,
    #[serde(rename = "type")]
    kind: &'a str,
}

/// An Operate v1 error: status, `type` and message.
#[derive(Debug)]
struct Failure {
    status: StatusCode,
    kind: &'static str,
    message: String,
}

impl Failure {
    /// `ValidationException` (400, `Data invalid`).
    fn invalid(message: impl Into<String>) -> Self {
        Failure {
            status: StatusCode::BAD_REQUEST,
            kind: "Data invalid",
            message: message.into(),
        }
    }

    /// `ClientException` (400, `Invalid request`), also what `handleException` makes of any
    /// other exception (an unreadable body, a `NullPointerException`).
    fn client(message: impl Into<String>) -> Self {
        Failure {
            status: StatusCode::BAD_REQUEST,
            kind: "Invalid request",
            message: message.into(),
        }
    }

    /// `ServerException` (500, `API application error`): the search failed.
    fn server() -> Self {
        Failure {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            kind: "API application error",
            message: "Error in reading process definitions".to_owned(),
        }
    }

    /// Operate's `Error` body as `application/problem+json`, with a fresh `instance`.
    fn into_response(self) -> Response {
        let body = ErrorBody {
            status: self.status.as_u16(),
            message: &self.message,
            instance: new_instance_id(),
            kind: self.kind,
        };
        let text = serde_json::to_string(&body).unwrap_or_default();
        let mut response = (self.status, text).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        response
    }
}

/// `POST /v1/process-definitions/search`.
async fn search(State(state): State<AppState>, body: Bytes) -> Response {
    let definitions = definitions(&state);
    match run(&definitions, &body) {
        Ok(results) => axum::Json(results).into_response(),
        Err(failure) => failure.into_response(),
    }
}

/// The process definitions of the tasks in the store, by key.
fn definitions(state: &AppState) -> Vec<ProcessDefinition> {
    let mut by_key: BTreeMap<i64, ProcessDefinition> = BTreeMap::new();
    for task in state.store().tasks() {
        let Ok(key) = task.process_definition_key.parse::<i64>() else {
            continue;
        };
        by_key.entry(key).or_insert_with(|| ProcessDefinition {
            key,
            bpmn_process_id: crate::v2::process_definition_id(&task.process_name),
            name: task.process_name.clone(),
            version: 1,
            tenant_id: task.tenant_id.clone(),
        });
    }
    by_key.into_values().collect()
}

/// Validation, filter, sort, paging: `ProcessDefinitionController.search`.
fn run<'a>(all: &'a [ProcessDefinition], body: &[u8]) -> Result<Results<'a>, Failure> {
    let query: Query = match parse_java_body(body, &QUERY) {
        Ok(Some(query)) => query,
        Ok(None) if body.is_empty() => return Err(Failure::client(BODY_MISSING)),
        // `null`: the validator dereferences it (a helpful `NullPointerException`).
        Ok(None) => {
            return Err(Failure::client(
                "Cannot invoke \"io.camunda.operate.webapp.api.v1.entities.Query.getSort()\" \
                 because \"query\" is null",
            ));
        }
        Err(failure) => return Err(Failure::client(failure.message)),
    };
    validate(&query)?;

    // The sort: the requested fields, then the key (`buildSorting`).
    let mut sort: Vec<(String, Order)> = Vec::new();
    for entry in query.sort.iter().flatten() {
        let Some(field) = entry.field.clone() else {
            continue;
        };
        let Some(order) = entry.order else {
            return Err(Failure::client(
                "Cannot invoke \
                 \"io.camunda.operate.webapp.api.v1.entities.Query$Sort$Order.equals(Object)\" \
                 because \"order\" is null",
            ));
        };
        sort.push((field, order));
    }
    if sort
        .iter()
        .any(|(field, _)| !FIELDS.contains(&field.as_str()))
    {
        // A constant's name passed validation; Elasticsearch has no such field.
        return Err(Failure::server());
    }
    sort.push(("key".to_owned(), Order::Asc));

    let filter = query.filter.unwrap_or_default();
    let text = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    let (name, bpmn_process_id, tenant_id) = (
        text(&filter.name),
        text(&filter.bpmn_process_id),
        text(&filter.tenant_id),
    );
    let mut matches: Vec<&ProcessDefinition> = all
        .iter()
        .filter(|d| filter.key.is_none_or(|k| k == d.key))
        .filter(|d| filter.version.is_none_or(|v| v == d.version))
        .filter(|d| name.as_ref().is_none_or(|n| n == &d.name))
        .filter(|d| {
            bpmn_process_id
                .as_ref()
                .is_none_or(|b| b == &d.bpmn_process_id)
        })
        .filter(|d| {
            tenant_id
                .as_ref()
                .is_none_or(|t| Some(t) == d.tenant_id.as_ref())
        })
        .collect();
    let total = matches.len();
    matches.sort_by(|a, b| {
        for (field, order) in &sort {
            let ordering = compare(&a.sort_value(field), &b.sort_value(field));
            let ordering = if *order == Order::Desc {
                ordering.reverse()
            } else {
                ordering
            };
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        Ordering::Equal
    });

    if let Some(after) = &query.search_after {
        // Elasticsearch wants one value per sort field.
        if after.len() != sort.len() {
            return Err(Failure::server());
        }
        let mut cursor = Vec::with_capacity(after.len());
        for ((field, _), raw) in sort.iter().zip(after) {
            cursor.push(cursor_value(field, raw).ok_or_else(Failure::server)?);
        }
        matches.retain(|d| {
            for ((field, order), value) in sort.iter().zip(&cursor) {
                let ordering = compare(&d.sort_value(field), value);
                let ordering = if *order == Order::Desc {
                    ordering.reverse()
                } else {
                    ordering
                };
                match ordering {
                    Ordering::Greater => return true,
                    Ordering::Less => return false,
                    Ordering::Equal => {}
                }
            }
            false
        });
    }
    let size = usize::try_from(query.size).unwrap_or(0);
    matches.truncate(size);
    let sort_values: Vec<Value> = matches
        .last()
        .map(|last| {
            sort.iter()
                .map(|(field, _)| last.sort_value(field))
                .collect()
        })
        .unwrap_or_default();
    Ok(Results {
        items: matches.iter().map(|d| d.body()).collect(),
        sort_values,
        total,
    })
}

/// `QueryValidator.validate`: the sort fields, then the page.
fn validate(query: &Query) -> Result<(), Failure> {
    if let Some(sort) = query.sort.as_ref().filter(|s| !s.is_empty()) {
        let given: Vec<&str> = sort.iter().filter_map(|s| s.field.as_deref()).collect();
        if given.is_empty() {
            return Err(Failure::invalid(
                "No 'field' given in sort. Example: \"sort\": [{\"field\":\"name\",\"order\": \
                 \"ASC\"}] ",
            ));
        }
        let invalid: Vec<&str> = given
            .into_iter()
            .filter(|f| !FIELDS.contains(f) && !CONSTANTS.contains(f))
            .collect();
        if !invalid.is_empty() {
            return Err(Failure::invalid(format!(
                "Sort has invalid field(s): {}",
                invalid.join(", ")
            )));
        }
    }
    if query.size <= 0 || query.size > MAX_QUERY_SIZE {
        return Err(Failure::client(format!(
            "size should be greater than zero and less than {MAX_QUERY_SIZE}"
        )));
    }
    if let Some(after) = &query.search_after {
        if after.is_empty() {
            return Err(Failure::invalid("searchAfter should have a least 1 value"));
        }
        if let Some(sort) = &query.sort
            && after.len() != sort.len() + 1
        {
            return Err(Failure::invalid(format!(
                "searchAfter should have a {} values",
                sort.len() + 1
            )));
        }
    }
    Ok(())
}

/// A `searchAfter` value as Elasticsearch reads it for `field`: a number for `key` and
/// `version` (a numeric string too), text for the others; `None` if it cannot be one.
fn cursor_value(field: &str, raw: &RawValue) -> Option<Value> {
    let value: Value = serde_json::from_str(raw.get()).ok()?;
    match field {
        "key" | "version" => match &value {
            Value::Number(n) => n.as_i64().map(Value::from),
            Value::String(s) => s.trim().parse::<i64>().ok().map(Value::from),
            _ => None,
        },
        _ => match value {
            Value::String(s) => Some(Value::String(s)),
            Value::Number(n) => Some(Value::String(n.to_string())),
            Value::Bool(b) => Some(Value::String(b.to_string())),
            _ => None,
        },
    }
}

/// Orders two sort values of one field: numbers by value, strings by their UTF-8 bytes (a
/// keyword field), missing values last.
fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_i64()
            .unwrap_or(i64::MAX)
            .cmp(&y.as_i64().unwrap_or(i64::MAX)),
        (Value::String(x), Value::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        _ => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(body: &str) -> Query {
        parse_java_body::<Query>(body.as_bytes(), &QUERY)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("not a query: {body}"))
    }

    #[test]
    fn validation_follows_the_query_validator() {
        let failure = |body: &str| validate(&query(body)).err().map(|f| (f.kind, f.message));
        assert_eq!(failure("{}"), None);
        assert_eq!(
            failure(r#"{"size": 0}"#),
            Some((
                "Invalid request",
                "size should be greater than zero and less than 1000".to_owned()
            ))
        );
        assert_eq!(
            failure(r#"{"sort": [{"field": "nope"}, {"field": "bad"}]}"#),
            Some((
                "Data invalid",
                "Sort has invalid field(s): nope, bad".to_owned()
            ))
        );
        assert!(
            failure(r#"{"sort": [{"order": "ASC"}]}"#)
                .is_some_and(|(_, m)| m.starts_with("No 'field' given in sort."))
        );
        assert_eq!(
            failure(r#"{"searchAfter": []}"#),
            Some((
                "Data invalid",
                "searchAfter should have a least 1 value".to_owned()
            ))
        );
        assert_eq!(
            failure(r#"{"sort": [{"field": "name"}], "searchAfter": ["a"]}"#),
            Some((
                "Data invalid",
                "searchAfter should have a 2 values".to_owned()
            ))
        );
        assert_eq!(failure(r#"{"sort": [{"field": "KEY"}]}"#), None);
    }

    #[test]
    fn cursor_values_take_the_fields_type() {
        let raw = |s: &str| serde_json::from_str::<Box<RawValue>>(s).ok();
        let value = |field: &str, s: &str| raw(s).and_then(|r| cursor_value(field, &r));
        assert_eq!(value("key", "\"42\""), Some(json!(42)));
        assert_eq!(value("key", "42"), Some(json!(42)));
        assert_eq!(value("key", "\"x\""), None);
        assert_eq!(value("name", "7"), Some(json!("7")));
        assert_eq!(compare(&json!("a"), &json!("b")), Ordering::Less);
        assert_eq!(compare(&json!(null), &json!("b")), Ordering::Greater);
    }
}
