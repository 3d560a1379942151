//! The RFC 9457 problems of the v2 API.
//!
//! Every v2 error is `application/problem+json` `{type, title, status, detail, instance}`; the
//! spec makes all five required from 8.9 on (origin: FACTS §0.5, §3.4, §6). `title` carries the
//! machine-readable code: `INVALID_ARGUMENT` for request validation, `NOT_FOUND`,
//! `INVALID_STATE` for a command rejected in the engine, `DEADLINE_EXCEEDED` when a blocking
//! task listener outlived the request timeout, and `Bad Request` for a body that is not JSON
//! (Spring's own handler). `instance` is the request path, as in FACTS §5's example
//! (`"instance":"/v2/user-tasks/…/completion"`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// One v2 failure: status, title (the error code) and detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// The HTTP status.
    pub(crate) status: StatusCode,
    /// The `title`: the machine-readable code.
    pub(crate) title: &'static str,
    /// The `detail`.
    pub(crate) detail: String,
}

impl Problem {
    /// 400 `INVALID_ARGUMENT`: the request failed validation (`RequestValidator` in the gateway).
    pub(crate) fn invalid(detail: impl Into<String>) -> Self {
        Problem {
            status: StatusCode::BAD_REQUEST,
            title: "INVALID_ARGUMENT",
            detail: detail.into(),
        }
    }

    /// 400 `Bad Request`: the body is not readable JSON of the expected shape (Spring's
    /// `HttpMessageNotReadableException`; FACTS §6 names the Java exception class or
    /// `Bad Request` as the title of such 400s).
    pub(crate) fn unreadable(detail: impl Into<String>) -> Self {
        Problem {
            status: StatusCode::BAD_REQUEST,
            title: "Bad Request",
            detail: detail.into(),
        }
    }

    /// 404 `NOT_FOUND`.
    pub(crate) fn not_found(detail: impl Into<String>) -> Self {
        Problem {
            status: StatusCode::NOT_FOUND,
            title: "NOT_FOUND",
            detail: detail.into(),
        }
    }

    /// 409 `INVALID_STATE`: a command the engine rejected (FACTS §5).
    pub(crate) fn invalid_state(detail: impl Into<String>) -> Self {
        Problem {
            status: StatusCode::CONFLICT,
            title: "INVALID_STATE",
            detail: detail.into(),
        }
    }

    /// 504 `DEADLINE_EXCEEDED`: a blocking task listener was not done within the request
    /// timeout; the command may still complete later (FACTS §5).
    pub(crate) fn deadline_exceeded() -> Self {
        Problem {
            status: StatusCode::GATEWAY_TIMEOUT,
            title: "DEADLINE_EXCEEDED",
            detail: "Expected to handle REST API request, but request timed out between gateway \
                     and broker"
                .to_owned(),
        }
    }

    /// The `application/problem+json` response for a request to `path`.
    pub(crate) fn into_response(self, path: &str) -> Response {
        problem_response(self.status, self.title, &self.detail, path)
    }
}

/// An `application/problem+json` response `{type: "about:blank", title, status, detail,
/// instance: path}`.
pub(crate) fn problem_response(
    status: StatusCode,
    title: &str,
    detail: &str,
    path: &str,
) -> Response {
    let body = json!({
        "type": "about:blank",
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
        "instance": path,
    });
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(crate::errors::PROBLEM_JSON),
    );
    response
}

/// The detail of a command the engine rejected, in Zeebe's words: `Command 'COMPLETE' rejected
/// with code 'INVALID_STATE': ...` (origin: FACTS §5, camunda/camunda#25419).
pub(crate) fn rejected(command: &str, code: &str, reason: &str) -> String {
    format!("Command '{command}' rejected with code '{code}': {reason}")
}

/// The 504 page an nginx proxy in front of the gateway sends when the upstream times out:
/// `text/html`, not JSON (origin: FACTS §6, camunda/camunda#38850).
pub(crate) fn proxy_html_504() -> Response {
    let body = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n\
                <center><h1>504 Gateway Time-out</h1></center>\r\n\
                <hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    let mut response = (StatusCode::GATEWAY_TIMEOUT, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejections_read_like_zeebe() {
        assert_eq!(
            rejected("COMPLETE", "INVALID_STATE", "x"),
            "Command 'COMPLETE' rejected with code 'INVALID_STATE': x"
        );
        assert_eq!(Problem::deadline_exceeded().status.as_u16(), 504);
    }
}
