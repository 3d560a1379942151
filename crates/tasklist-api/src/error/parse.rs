//! Reading a server's error body into an [`ApiError`] and the matching [`Error`] variant:
//! the formats it recognises, and the bounded, redacted excerpts it keeps otherwise.

use std::borrow::Cow;

use http::StatusCode;
use serde_json::{Map, Value};
use tasklist_transport::redact::redact;

use super::excerpt::{bounded, excerpt};
use super::{ApiError, BodyFormat, Error, ProblemCode};

impl ApiError {
    /// Reads an error response into the matching [`Error`] variant.
    ///
    /// The body may be anything; this never fails and never panics.
    ///
    /// ```
    /// use tasklist_api::{ApiError, Error};
    /// let error = ApiError::from_response(http::StatusCode::UNAUTHORIZED, br#"{"error":"invalid_token"}"#);
    /// assert!(matches!(error, Error::Unauthorized(_)));
    /// assert_eq!(error.server_message(), Some("invalid_token"));
    /// ```
    pub fn from_response(status: StatusCode, body: &[u8]) -> Error {
        let api = ApiError::parse(status, body);
        match status.as_u16() {
            401 => Error::Unauthorized(api),
            403 if mentions_csrf(body) => Error::Csrf(api),
            403 => Error::Forbidden(api),
            404 => Error::NotFound(api),
            409 if api.code() == Some(ProblemCode::InvalidState) => Error::InvalidState(api),
            400 | 409 | 422 => Error::InvalidRequest(api),
            500..=599 => Error::Server(api),
            _ => Error::UnexpectedStatus(api),
        }
    }

    fn parse(status: StatusCode, body: &[u8]) -> ApiError {
        // Whatever the server sent goes through the redaction step before any of it is kept:
        // a server that echoes the request must not get its credentials into the message.
        let text = String::from_utf8_lossy(body);
        let clean = redact(&text);
        let body = match &clean {
            Cow::Borrowed(_) => body,
            Cow::Owned(clean) => clean.as_bytes(),
        };
        let mut api = ApiError {
            status,
            message: String::new(),
            format: BodyFormat::Empty,
            details: Box::default(),
        };
        if body.iter().all(u8::is_ascii_whitespace) {
            return api;
        }
        if let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body)
            && api.read_object(&object)
        {
            return api;
        }
        api.message = excerpt(body);
        // White space beyond ASCII's (a vertical tab, U+3000, …) trims away to nothing too.
        if !api.message.is_empty() {
            api.format = BodyFormat::Text;
        }
        api
    }

    /// Fills in the message from a JSON object; false when the object has none of the known
    /// shapes.
    ///
    /// The shape decides, not the `Content-Type`: Tasklist v1 sends its own format as
    /// `application/problem+json`.
    fn read_object(&mut self, object: &Map<String, Value>) -> bool {
        let text = |key: &str| {
            object
                .get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| bounded(s.to_owned()))
        };
        let message = text("message");
        let problem = ["type", "title", "detail"]
            .iter()
            .any(|key| object.contains_key(*key));
        let v1 = !problem
            && (object.get("status").is_some_and(Value::is_number)
                || object.contains_key("instance"));

        let (format, message) = if let (true, Some(message)) = (v1, &message) {
            (BodyFormat::TasklistV1, message.clone())
        } else if let (true, Some(found)) = (
            problem,
            text("detail").or_else(|| text("title")).or(message.clone()),
        ) {
            self.details.title = text("title");
            self.details.problem_type = text("type");
            (BodyFormat::ProblemDetails, found)
        } else if let Some(message) = message {
            (BodyFormat::Message, message)
        } else if let Some(error) = text("error") {
            let message = match text("error_description") {
                Some(description) => bounded(format!("{error}: {description}")),
                None => error,
            };
            (BodyFormat::ErrorField, message)
        } else {
            return false;
        };
        self.format = format;
        self.message = message;
        self.details.instance = text("instance");
        self.read_nested_message();
        true
    }

    /// Tasklist's task validation errors (`TASK_IS_NOT_ACTIVE`, `TASK_NOT_ASSIGNED`, …) carry
    /// a JSON object as the text of their message: `{"title": "...", "detail": "..."}`. Its
    /// parts are read out; the message itself stays as the server sent it.
    fn read_nested_message(&mut self) {
        if !self.message.starts_with('{') {
            return;
        }
        let Ok(Value::Object(inner)) = serde_json::from_str::<Value>(&self.message) else {
            return;
        };
        let text = |key: &str| {
            inner
                .get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| bounded(s.to_owned()))
        };
        let detail = text("detail");
        if detail.is_none() && text("title").is_none() {
            return;
        }
        // The inner title (`TASK_NOT_ASSIGNED`) says more than a problem's own (`Bad Request`).
        if let Some(title) = text("title") {
            self.details.title = Some(title);
        }
        self.details.nested_detail = detail;
    }
}

/// Whether `body` mentions CSRF, in any case.
fn mentions_csrf(body: &[u8]) -> bool {
    body.windows(4).any(|w| w.eq_ignore_ascii_case(b"csrf"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::MAX_EXCERPT_BYTES;

    fn parse(status: u16, body: &[u8]) -> Error {
        ApiError::from_response(StatusCode::from_u16(status).unwrap(), body)
    }

    fn api(error: &Error) -> &ApiError {
        error.api_error().unwrap()
    }

    #[test]
    fn v1_body() {
        let e = parse(
            404,
            br#"{"status":404,"message":"Task with id 1 was not found","instance":"a0c5"}"#,
        );
        assert!(e.is_not_found());
        let a = api(&e);
        assert_eq!(a.format(), BodyFormat::TasklistV1);
        assert_eq!(a.message(), "Task with id 1 was not found");
        assert_eq!(a.instance(), Some("a0c5"));
        assert_eq!(
            e.to_string(),
            "not found: 404 Not Found: Task with id 1 was not found"
        );
    }

    #[test]
    fn problem_json_body() {
        let body = br#"{"type":"about:blank","title":"INVALID_ARGUMENT","status":400,
            "detail":"Only one of [searchAfter, searchBefore] may be set","instance":"/v1/tasks/search"}"#;
        let e = parse(400, body);
        assert!(matches!(e, Error::InvalidRequest(_)));
        let a = api(&e);
        assert_eq!(a.format(), BodyFormat::ProblemDetails);
        assert_eq!(
            a.message(),
            "Only one of [searchAfter, searchBefore] may be set"
        );
        assert_eq!(a.title(), Some("INVALID_ARGUMENT"));
        assert_eq!(a.problem_type(), Some("about:blank"));
        assert_eq!(a.instance(), Some("/v1/tasks/search"));
    }

    #[test]
    fn problem_json_without_detail_uses_title() {
        let e = parse(409, br#"{"title":"Conflict","status":409}"#);
        assert!(matches!(e, Error::InvalidRequest(_)));
        assert_eq!(api(&e).message(), "Conflict");
        assert_eq!(api(&e).format(), BodyFormat::ProblemDetails);
    }

    #[test]
    fn message_body() {
        let e = parse(500, br#"{"message":"database down"}"#);
        assert!(matches!(e, Error::Server(_)));
        assert_eq!(api(&e).format(), BodyFormat::Message);
        assert_eq!(e.server_message(), Some("database down"));
    }

    #[test]
    fn error_field_body() {
        let e = parse(
            401,
            br#"{"error":"invalid_token","error_description":"The token expired"}"#,
        );
        assert!(matches!(e, Error::Unauthorized(_)) && e.is_auth());
        assert_eq!(api(&e).format(), BodyFormat::ErrorField);
        assert_eq!(e.server_message(), Some("invalid_token: The token expired"));

        let e = parse(403, br#"{"error":"access_denied"}"#);
        assert!(matches!(e, Error::Forbidden(_)));
        assert_eq!(e.server_message(), Some("access_denied"));
    }

    #[test]
    fn spring_default_error_with_empty_message_falls_back_to_error() {
        let e = parse(
            405,
            br#"{"timestamp":"2024-01-01T00:00:00Z","status":405,"error":"Method Not Allowed","message":"","path":"/v1/x"}"#,
        );
        assert!(matches!(e, Error::UnexpectedStatus(_)));
        assert_eq!(e.server_message(), Some("Method Not Allowed"));
    }

    #[test]
    fn an_echoed_secret_never_reaches_the_message() {
        tasklist_transport::redact::register_secret("api-unit-secret-Zq81");
        let error = ApiError::from_response(
            StatusCode::BAD_REQUEST,
            br#"{"status":400,"message":"bad header Authorization: Bearer api-unit-secret-Zq81","instance":"i"}"#,
        );
        let text = error.to_string();
        assert!(!text.contains("Zq81"), "{text}");
        assert!(text.contains("Bearer <redacted>"), "{text}");
        let plain = ApiError::from_response(
            StatusCode::BAD_GATEWAY,
            format!("{}api-unit-secret-Zq81", "x".repeat(1020)).as_bytes(),
        );
        assert!(!plain.to_string().contains("api-unit"), "{plain}");
    }

    #[test]
    fn html_body_becomes_a_bounded_excerpt() {
        let mut body = b"<html><body><h1>502 Bad Gateway</h1>".to_vec();
        body.extend(std::iter::repeat_n(b'x', 5000));
        let e = parse(502, &body);
        assert!(matches!(e, Error::Server(_)));
        let a = api(&e);
        assert_eq!(a.format(), BodyFormat::Text);
        assert_eq!(a.message().len(), MAX_EXCERPT_BYTES);
        assert!(
            a.message()
                .starts_with("<html><body><h1>502 Bad Gateway</h1>")
        );
    }

    #[test]
    fn excerpt_is_cut_on_a_char_boundary() {
        // 1023 ASCII bytes, then a 3-byte character straddling the 1024-byte limit.
        let mut body = "a".repeat(MAX_EXCERPT_BYTES - 1).into_bytes();
        body.extend("€€€".as_bytes());
        let text = excerpt(&body);
        assert_eq!(text, "a".repeat(MAX_EXCERPT_BYTES - 1));

        // Multi-byte text throughout stays valid and bounded.
        let body = "é".repeat(2000);
        let text = excerpt(body.as_bytes());
        assert!(text.len() <= MAX_EXCERPT_BYTES);
        assert!(text.chars().all(|c| c == 'é'));

        // Invalid UTF-8 is replaced, and the result is still bounded.
        let body = vec![0xFF; 4000];
        let text = excerpt(&body);
        assert!(text.len() <= MAX_EXCERPT_BYTES && text.starts_with('\u{FFFD}'));
    }

    #[test]
    fn plain_text_and_unknown_json_are_excerpts() {
        let e = parse(503, b"  upstream unavailable\n");
        assert_eq!(api(&e).format(), BodyFormat::Text);
        assert_eq!(e.server_message(), Some("upstream unavailable"));

        let e = parse(500, br#"{"code":17}"#);
        assert_eq!(api(&e).format(), BodyFormat::Text);
        assert_eq!(e.server_message(), Some(r#"{"code":17}"#));
        assert_eq!(api(&e).instance(), None);

        let e = parse(500, b"[1,2]");
        assert_eq!(api(&e).format(), BodyFormat::Text);
    }

    #[test]
    fn empty_body() {
        let e = parse(404, b"");
        let a = api(&e);
        assert_eq!(a.format(), BodyFormat::Empty);
        assert_eq!(a.message(), "");
        assert_eq!(e.server_message(), None);
        assert_eq!(e.to_string(), "not found: 404 Not Found");
    }

    #[test]
    fn a_body_of_any_white_space_is_empty() {
        // Found by the `error_body` fuzz target: a vertical tab is not ASCII white space to
        // `u8::is_ascii_whitespace`, but trimming removes it, which left a `Text` body with an
        // empty message.
        for body in [
            &b"\x0b"[..],
            b" \x0b\t",
            "\u{3000}\u{85}".as_bytes(),
            b"\x0c",
        ] {
            let e = parse(400, body);
            assert_eq!(api(&e).format(), BodyFormat::Empty, "{body:?}");
            assert_eq!(api(&e).message(), "");
            assert_eq!(e.server_message(), None);
            assert_eq!(
                e.to_string(),
                "the server refused the request: 400 Bad Request"
            );
        }
        assert_eq!(api(&parse(400, b"\x0bx")).format(), BodyFormat::Text);
    }

    #[test]
    fn csrf_403_is_told_apart() {
        let e = parse(
            403,
            br#"{"status":403,"message":"Invalid CSRF Token 'null' was found on the request parameter '_csrf' or header 'X-CSRF-TOKEN'."}"#,
        );
        assert!(e.is_csrf() && e.is_auth());
        let e = parse(403, b"Forbidden: csrf token missing");
        assert!(e.is_csrf());
        let e = parse(403, br#"{"status":403,"message":"User has no permission"}"#);
        assert!(matches!(e, Error::Forbidden(_)) && !e.is_csrf());
    }

    #[test]
    fn statuses_map_to_variants() {
        assert!(matches!(parse(400, b""), Error::InvalidRequest(_)));
        assert!(matches!(parse(422, b""), Error::InvalidRequest(_)));
        assert!(matches!(parse(500, b""), Error::Server(_)));
        assert!(matches!(parse(504, b""), Error::Server(_)));
        assert!(matches!(parse(429, b""), Error::UnexpectedStatus(_)));
        assert!(matches!(parse(302, b""), Error::UnexpectedStatus(_)));
        assert_eq!(parse(429, b"").status(), StatusCode::from_u16(429).ok());
    }

    #[test]
    fn long_server_messages_are_bounded() {
        let body = format!(r#"{{"message":"{}"}}"#, "m".repeat(5000));
        let e = parse(400, body.as_bytes());
        assert_eq!(e.server_message().map(str::len), Some(MAX_EXCERPT_BYTES));
    }
}
