//! What the v2 handlers share: reading path keys and request bodies, answering with a result
//! or a problem, reading a task within the consistency lag, and the ids, keys and tenants the
//! results show.

use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::problems::Problem;
use crate::config::Profile;
use crate::state::AppState;
use crate::store::{Task, TaskImplementation};

/// Whether `profile` writes every `UserTaskResult` property, nullable ones as `null` (8.9+);
/// 8.8 leaves unset ones out, its spec not marking them nullable (FACTS §3.2).
pub(super) fn writes_nulls(profile: Profile) -> bool {
    !matches!(profile, Profile::V8_7 | Profile::V8_8)
}

/// The response for a handler's result.
pub(super) fn respond(path: &str, result: Result<Response, Problem>) -> Response {
    result.unwrap_or_else(|problem| problem.into_response(path))
}

/// A 200 JSON response.
pub(super) fn ok_json(body: Value) -> Response {
    axum::Json(body).into_response()
}

/// Checks a user task key in the path against `LongKey` (`^-?[0-9]+$`, 1–25 characters;
/// FACTS §0.2).
pub(super) fn check_key(key: &str) -> Result<(), Problem> {
    check_named_key("userTaskKey", key)
}

/// Checks the path key `name` against `LongKey` (`^-?[0-9]+$`, 1–25 characters; FACTS §0.2).
pub(super) fn check_named_key(name: &str, key: &str) -> Result<(), Problem> {
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
pub(super) fn parse_object(
    body: &[u8],
    allowed: &[&str],
) -> Result<Option<Map<String, Value>>, Problem> {
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
pub(super) fn object_property<'a>(
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
pub(super) fn read_task(state: &AppState, key: &str) -> Option<Task> {
    state
        .store()
        .task(key)
        .map(|task| state.v2().visible(task))
        .filter(|task| task.implementation == TaskImplementation::ZeebeUserTask)
}

/// `404 NOT_FOUND` of a read.
pub(super) fn task_not_found(key: &str) -> Problem {
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
pub(super) fn numeric_key(id: &str) -> String {
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

/// Whether two valid `LongKey`s name the same number (`0042` is `42`, as the server reads
/// the path key as a number).
pub(super) fn same_key(a: &str, b: &str) -> bool {
    match (a.parse::<i128>(), b.parse::<i128>()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The tenant of a record, `<default>` when unset.
pub(super) fn tenant(tenant: Option<&str>) -> String {
    tenant.unwrap_or("<default>").to_owned()
}

/// The form key a task references, when it links a deployed form.
pub(super) fn linked_form_key(task: &Task) -> Option<String> {
    if task.is_form_embedded == Some(true) {
        return None;
    }
    let form_id = task.form_id.as_ref()?;
    Some(match &task.form_key {
        Some(key) if key.bytes().all(|b| b.is_ascii_digit()) && !key.is_empty() => key.clone(),
        _ => numeric_key(form_id),
    })
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
