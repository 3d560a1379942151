//! API error bodies as the real server renders them, by version profile.
//!
//! Tasklist 8.7 answers every API error with its v1 `Error` object `{status, message, instance}`
//! under the content type `application/problem+json` (Tasklist's `ApiErrorController` sets that
//! media type on every handler; `instance` is the random UUID an `APIException` carries, absent
//! for parse errors and internal errors). The 8.8 profile renders the same failures as RFC 9457
//! problem details `{type, title, status, detail, instance}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::config::Profile;

/// The content type of every API error body (`MediaType.APPLICATION_PROBLEM_JSON` in Tasklist's
/// `ApiErrorController`).
pub(crate) const PROBLEM_JSON: &str = "application/problem+json";

/// The message of Tasklist's catch-all handler for unexpected exceptions (500), for example a
/// `NullPointerException` on a request field the server does not expect to be null
/// (`ApiErrorController.handleException(Exception)`).
pub(crate) const UNEXPECTED: &str = "Unexpected server error occurred.";

/// One failed API call: the status, the message, and whether the body carries an `instance` id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiFailure {
    /// The HTTP status.
    pub(crate) status: StatusCode,
    /// The `message` (v1) or `detail` (problem+json).
    pub(crate) message: String,
    /// Whether the real server fills `instance` for this kind of failure: it does for its
    /// `APIException`s (400 invalid request, 403 forbidden, 404 not found), not for body parse
    /// errors or internal errors.
    pub(crate) with_instance: bool,
}

impl ApiFailure {
    /// 400 from an `InvalidRequestException`.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        ApiFailure {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            with_instance: true,
        }
    }

    /// 400 from Spring's `HttpMessageNotReadableException` (a body that is not the expected
    /// JSON): no `instance`.
    pub(crate) fn unreadable(message: impl Into<String>) -> Self {
        ApiFailure {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            with_instance: false,
        }
    }

    /// 403 from a `ForbiddenActionException`.
    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        ApiFailure {
            status: StatusCode::FORBIDDEN,
            message: message.into(),
            with_instance: true,
        }
    }

    /// 404 from a `NotFoundApiException` (or a store `NotFoundException` converted to one).
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        ApiFailure {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
            with_instance: true,
        }
    }

    /// 500 from a `TasklistRuntimeException`, whose message is passed through: no `instance`.
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        ApiFailure {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
            with_instance: false,
        }
    }

    /// 500 from the catch-all handler: "Unexpected server error occurred.", no `instance`.
    pub(crate) fn unexpected() -> Self {
        ApiFailure::internal(UNEXPECTED)
    }

    /// The response for this failure in `profile`.
    pub(crate) fn into_response(self, profile: Profile) -> Response {
        let instance = self.with_instance.then(new_instance_id);
        render(profile, self.status, &self.message, instance)
    }
}

/// An API error response in the body format of `profile`, with a fresh random `instance` id.
///
/// For [`Profile::V8_7`] the body is Tasklist's v1 error object `{status, message, instance}`;
/// for [`Profile::V8_8`] it is an RFC 9457 problem `{type, title, status, detail, instance}`.
/// Both are sent as `application/problem+json`, as the real server does.
pub(crate) fn api_error(
    profile: Profile,
    status: StatusCode,
    message: impl Into<String>,
) -> Response {
    render(profile, status, &message.into(), Some(new_instance_id()))
}

/// The body and headers shared by [`api_error`] and [`ApiFailure::into_response`].
fn render(
    profile: Profile,
    status: StatusCode,
    message: &str,
    instance: Option<String>,
) -> Response {
    let body = error_body(profile, status, message, instance);
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response
}

/// The JSON error body of `profile`.
pub(crate) fn error_body(
    profile: Profile,
    status: StatusCode,
    message: &str,
    instance: Option<String>,
) -> serde_json::Value {
    if matches!(profile, Profile::V8_7) {
        json!({
            "status": status.as_u16(),
            "message": message,
            "instance": instance,
        })
    } else {
        // RFC 9457: "about:blank" type, whose title is the status' reason phrase.
        let title = status.canonical_reason().unwrap_or("Error");
        json!({
            "type": "about:blank",
            "title": title,
            "status": status.as_u16(),
            "detail": message,
            "instance": instance.unwrap_or_else(new_instance_id),
        })
    }
}

/// A random RFC 4122 version-4 UUID in its hyphenated text form, like the `instance` of the real
/// server's errors (`UUID.randomUUID()` in `APIException`).
pub(crate) fn new_instance_id() -> String {
    let mut bytes = [0u8; 16];
    for byte in &mut bytes {
        *byte = fastrand::u8(..);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The message Tasklist 8.6+ puts in a task validation error: a JSON text with the error code as
/// `title` and the human text as `detail`, exactly as `ErrorHandlingUtils.createErrorMessage`
/// formats it (a Java text block, hence the two-space indent and the trailing newline). The v1
/// error body carries this text as its `message` string.
pub(crate) fn task_error_message(title: &str, detail: &str) -> String {
    format!("{{ \"title\": \"{title}\",\n  \"detail\": \"{detail}\"\n}}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;

    #[test]
    fn instance_ids_are_v4_uuids() {
        let id = new_instance_id();
        assert_eq!(id.len(), 36);
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"));
        assert_ne!(id, new_instance_id());
    }

    #[test]
    fn task_error_message_matches_the_java_text_block() {
        assert_eq!(
            task_error_message("TASK_IS_NOT_ACTIVE", "Task is not active"),
            "{ \"title\": \"TASK_IS_NOT_ACTIVE\",\n  \"detail\": \"Task is not active\"\n}\n"
        );
    }

    #[tokio::test]
    async fn v1_body_and_problem_body() {
        let response = api_error(Profile::V8_7, StatusCode::NOT_FOUND, "gone");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
        let body = to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap_or_default();
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(value["status"], 404);
        assert_eq!(value["message"], "gone");
        assert!(value["instance"].is_string());

        let response = ApiFailure::unreadable("bad").into_response(Profile::V8_7);
        let body = to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap_or_default();
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        assert!(value["instance"].is_null());

        let response = api_error(Profile::V8_8, StatusCode::BAD_REQUEST, "nope");
        let body = to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap_or_default();
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(value["type"], "about:blank");
        assert_eq!(value["title"], "Bad Request");
        assert_eq!(value["status"], 400);
        assert_eq!(value["detail"], "nope");
        assert!(value["instance"].is_string());
    }
}
