//! [`ApiError`], the server's answer to a call that failed, and its parts: the shape of the
//! body ([`BodyFormat`]) and the code of a v2 problem ([`ProblemCode`]). Reading a body into
//! one is in `parse`.

use std::fmt;

use http::StatusCode;

/// The machine-readable code of an API v2 problem: the `title` Camunda gives its errors.
///
/// It is open: a code this version of the crate does not know is kept as
/// [`ProblemCode::Other`].
///
/// ```
/// use tasklist_api::ProblemCode;
/// assert_eq!(ProblemCode::from_title("INVALID_STATE"), ProblemCode::InvalidState);
/// assert_eq!(ProblemCode::from_title("ALREADY_EXISTS").as_str(), "ALREADY_EXISTS");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProblemCode {
    /// `INVALID_STATE`: the entity is not in a state that allows the command (`409`).
    InvalidState,
    /// `NOT_FOUND`: no such entity (`404`).
    NotFound,
    /// `DEADLINE_EXCEEDED`: the server stopped waiting, e.g. for a task listener (`504`); the
    /// command's outcome is unknown.
    DeadlineExceeded,
    /// `RESOURCE_EXHAUSTED`: backpressure (`503`); try again later.
    ResourceExhausted,
    /// `INVALID_ARGUMENT`: the request was refused as given (`400`).
    InvalidArgument,
    /// `UNAUTHORIZED`.
    Unauthorized,
    /// `FORBIDDEN`.
    Forbidden,
    /// Any other code, as the server wrote it.
    Other(String),
}

impl ProblemCode {
    /// The code for `title`.
    ///
    /// ```
    /// use tasklist_api::ProblemCode;
    /// assert_eq!(ProblemCode::from_title("NOT_FOUND"), ProblemCode::NotFound);
    /// ```
    pub fn from_title(title: &str) -> Self {
        match title {
            "INVALID_STATE" => ProblemCode::InvalidState,
            "NOT_FOUND" => ProblemCode::NotFound,
            "DEADLINE_EXCEEDED" => ProblemCode::DeadlineExceeded,
            "RESOURCE_EXHAUSTED" => ProblemCode::ResourceExhausted,
            "INVALID_ARGUMENT" => ProblemCode::InvalidArgument,
            "UNAUTHORIZED" => ProblemCode::Unauthorized,
            "FORBIDDEN" => ProblemCode::Forbidden,
            other => ProblemCode::Other(other.to_owned()),
        }
    }

    /// The code as the server writes it.
    ///
    /// ```
    /// assert_eq!(tasklist_api::ProblemCode::ResourceExhausted.as_str(), "RESOURCE_EXHAUSTED");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            ProblemCode::InvalidState => "INVALID_STATE",
            ProblemCode::NotFound => "NOT_FOUND",
            ProblemCode::DeadlineExceeded => "DEADLINE_EXCEEDED",
            ProblemCode::ResourceExhausted => "RESOURCE_EXHAUSTED",
            ProblemCode::InvalidArgument => "INVALID_ARGUMENT",
            ProblemCode::Unauthorized => "UNAUTHORIZED",
            ProblemCode::Forbidden => "FORBIDDEN",
            ProblemCode::Other(code) => code,
        }
    }
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The shape of an error body, as far as it could be recognised.
///
/// ```
/// use tasklist_api::{ApiError, BodyFormat};
/// let e = ApiError::from_response(http::StatusCode::BAD_GATEWAY, b"<html>bad gateway</html>");
/// assert_eq!(e.api_error().map(|e| e.format()), Some(BodyFormat::Text));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyFormat {
    /// Tasklist v1's `{"status", "message", "instance"}`.
    TasklistV1,
    /// RFC 9457 problem details (`{"type", "title", "status", "detail", "instance"}`), as
    /// Camunda 8.8 and later send.
    ProblemDetails,
    /// A JSON object with a `message`, and nothing that says which format it is.
    Message,
    /// A JSON object with an `error` string and maybe an `error_description`, as OAuth
    /// servers and gateways send.
    ErrorField,
    /// Anything else: the message is an excerpt of the body's text.
    Text,
    /// No body, or one of white space only.
    Empty,
}

/// The server's answer to a call that failed: status, message and where to look it up.
///
/// The message is the server's own, taken from whichever of the formats in [`BodyFormat`]
/// the body has; when none fits, it is an excerpt of the body (at most
/// [`MAX_EXCERPT_BYTES`](crate::MAX_EXCERPT_BYTES) bytes, cut on a character boundary).
///
/// ```
/// use tasklist_api::{ApiError, BodyFormat};
///
/// let error = ApiError::from_response(
///     http::StatusCode::NOT_FOUND,
///     br#"{"type":"about:blank","title":"NOT_FOUND","status":404,
///          "detail":"Task with id 7 was not found","instance":"/v1/tasks/7"}"#,
/// );
/// let api = error.api_error().unwrap();
/// assert_eq!(api.format(), BodyFormat::ProblemDetails);
/// assert_eq!(api.message(), "Task with id 7 was not found");
/// assert_eq!(api.title(), Some("NOT_FOUND"));
/// assert_eq!(api.instance(), Some("/v1/tasks/7"));
/// assert_eq!(error.to_string(), "not found: 404 Not Found: Task with id 7 was not found");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub(super) status: StatusCode,
    pub(super) message: String,
    pub(super) format: BodyFormat,
    /// The optional parts, boxed so that `Result<_, Error>` stays small.
    pub(super) details: Box<Details>,
}

/// The parts of an error body that only some formats have.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Details {
    pub(super) instance: Option<String>,
    pub(super) title: Option<String>,
    pub(super) problem_type: Option<String>,
    /// The human part of a message that is itself a JSON object (see [`ApiError::detail`]).
    pub(super) nested_detail: Option<String>,
}

impl ApiError {
    /// The response's status.
    ///
    /// ```
    /// # use tasklist_api::ApiError;
    /// let e = ApiError::from_response(http::StatusCode::BAD_GATEWAY, b"");
    /// assert_eq!(e.api_error().map(|a| a.status().as_u16()), Some(502));
    /// ```
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The server's message, or an excerpt of the body when it had no recognised format, or
    /// empty when there was no body.
    ///
    /// ```
    /// # use tasklist_api::ApiError;
    /// let e = ApiError::from_response(http::StatusCode::BAD_REQUEST, br#"{"message":"bad"}"#);
    /// assert_eq!(e.api_error().map(|a| a.message()), Some("bad"));
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The server's message; `None` when the body was empty.
    ///
    /// ```
    /// # use tasklist_api::ApiError;
    /// let e = ApiError::from_response(http::StatusCode::BAD_REQUEST, b"  ");
    /// assert_eq!(e.server_message(), None);
    /// ```
    pub fn server_message(&self) -> Option<&str> {
        Some(self.message.as_str()).filter(|m| !m.is_empty())
    }

    /// Which format the body had.
    ///
    /// ```
    /// # use tasklist_api::{ApiError, BodyFormat};
    /// let e = ApiError::from_response(http::StatusCode::BAD_REQUEST, b"");
    /// assert_eq!(e.api_error().map(|a| a.format()), Some(BodyFormat::Empty));
    /// ```
    pub fn format(&self) -> BodyFormat {
        self.format
    }

    /// The `instance` the server reported: in Tasklist v1 an id to find the failure in the
    /// server's logs, in problem details a URI of the occurrence.
    ///
    /// ```
    /// # use tasklist_api::ApiError;
    /// let e = ApiError::from_response(
    ///     http::StatusCode::INTERNAL_SERVER_ERROR,
    ///     br#"{"status":500,"message":"boom","instance":"0f1e"}"#,
    /// );
    /// assert_eq!(e.api_error().and_then(|a| a.instance()), Some("0f1e"));
    /// ```
    pub fn instance(&self) -> Option<&str> {
        self.details.instance.as_deref()
    }

    /// The problem's `title`, for [`BodyFormat::ProblemDetails`], or the `title` of a
    /// Tasklist validation message (a JSON object as the message's text, such as
    /// `TASK_IS_NOT_ACTIVE`).
    ///
    /// ```
    /// # use tasklist_api::ApiError;
    /// let e = ApiError::from_response(http::StatusCode::CONFLICT, br#"{"title":"Conflict"}"#);
    /// assert_eq!(e.api_error().and_then(|a| a.title()), Some("Conflict"));
    /// ```
    pub fn title(&self) -> Option<&str> {
        self.details.title.as_deref()
    }

    /// The machine-readable code of an API v2 problem (its `title`: `INVALID_STATE`,
    /// `NOT_FOUND`, `DEADLINE_EXCEEDED`, `RESOURCE_EXHAUSTED`, ...), when the body is a
    /// problem whose title is such a code rather than a phrase (`Bad Request`).
    ///
    /// ```
    /// # use tasklist_api::{ApiError, ProblemCode};
    /// let error = ApiError::from_response(
    ///     http::StatusCode::GATEWAY_TIMEOUT,
    ///     br#"{"type":"about:blank","title":"DEADLINE_EXCEEDED","status":504,"detail":"listener","instance":"/v2/user-tasks/1/completion"}"#,
    /// );
    /// assert_eq!(error.api_error().and_then(|e| e.code()), Some(ProblemCode::DeadlineExceeded));
    /// ```
    pub fn code(&self) -> Option<ProblemCode> {
        if self.format != BodyFormat::ProblemDetails {
            return None;
        }
        let title = self.details.title.as_deref()?;
        let is_code = !title.is_empty()
            && title
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        is_code.then(|| ProblemCode::from_title(title))
    }

    /// What went wrong, in words: the `detail` of a Tasklist validation message (whose text is
    /// itself a JSON object), else the message as the server sent it.
    ///
    /// ```
    /// # use tasklist_api::ApiError;
    /// let body = br#"{"status":400,"message":"{ \"title\": \"TASK_IS_NOT_ACTIVE\",\n  \"detail\": \"Task is not active\"\n}\n","instance":"1f0c"}"#;
    /// let error = ApiError::from_response(http::StatusCode::BAD_REQUEST, body);
    /// let api = error.api_error().unwrap();
    /// assert_eq!(api.detail(), "Task is not active");
    /// assert_eq!(api.title(), Some("TASK_IS_NOT_ACTIVE"));
    /// assert!(api.message().contains("\"detail\""));
    /// assert_eq!(
    ///     error.to_string(),
    ///     "the server refused the request: 400 Bad Request: Task is not active (TASK_IS_NOT_ACTIVE)"
    /// );
    /// ```
    pub fn detail(&self) -> &str {
        self.details
            .nested_detail
            .as_deref()
            .unwrap_or(&self.message)
    }

    /// The problem's `type` URI, for [`BodyFormat::ProblemDetails`].
    ///
    /// ```
    /// # use tasklist_api::ApiError;
    /// let e = ApiError::from_response(
    ///     http::StatusCode::CONFLICT,
    ///     br#"{"type":"about:blank","title":"Conflict"}"#,
    /// );
    /// assert_eq!(e.api_error().and_then(|a| a.problem_type()), Some("about:blank"));
    /// ```
    pub fn problem_type(&self) -> Option<&str> {
        self.details.problem_type.as_deref()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status.as_u16())?;
        if let Some(reason) = self.status.canonical_reason() {
            write!(f, " {reason}")?;
        }
        match (&self.details.nested_detail, &self.details.title) {
            (Some(detail), Some(title)) => write!(f, ": {detail} ({title})")?,
            (Some(detail), None) => write!(f, ": {detail}")?,
            (None, Some(title)) if self.message.starts_with('{') => write!(f, ": {title}")?,
            _ if !self.message.is_empty() => write!(f, ": {}", self.message)?,
            _ => {}
        }
        Ok(())
    }
}
