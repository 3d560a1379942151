//! The crate's one error type, and the reading of the server's error bodies.

use std::borrow::Cow;
use std::fmt;

use http::StatusCode;
use serde_json::{Map, Value};
use tasklist_transport::redact::redact;

use crate::models::TaskId;
use crate::v1::Cursor;
use crate::v1::GraphQlError;

/// The longest excerpt of a body kept in an error, in bytes.
///
/// ```
/// use tasklist_api::{ApiError, MAX_EXCERPT_BYTES};
/// let page = "<html>".repeat(1000);
/// let error = ApiError::from_response(http::StatusCode::BAD_GATEWAY, page.as_bytes());
/// assert!(error.server_message().unwrap().len() <= MAX_EXCERPT_BYTES);
/// ```
pub const MAX_EXCERPT_BYTES: usize = 1024;

/// Everything that can go wrong when calling Tasklist.
///
/// The variants tell apart where a call failed: before sending ([`Error::InvalidArgument`]), on
/// the way ([`Error::Transport`]), at the server (one variant per class of HTTP status, each
/// carrying the server's own message in an [`ApiError`]), or in reading what came back
/// ([`Error::Decode`], [`Error::VariableDecode`], [`Error::VariableTruncated`]).
///
/// No variant holds a credential: the transport's errors name the method and URL only, and
/// the server's messages are the server's.
///
/// # Example
///
/// ```
/// use tasklist_api::Error;
///
/// fn advice(error: &Error) -> &'static str {
///     match error {
///         Error::NotFound(_) => "no such task",
///         Error::Csrf(_) => "the session's CSRF token was refused; log in again",
///         e if e.is_auth() => "check the credentials",
///         Error::InvalidRequest(api) if api.message().contains("not active") => "already done",
///         Error::InvalidArgument(_) => "fix the call; nothing was sent",
///         _ => "see the error chain",
///     }
/// }
/// # let _ = advice;
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No usable response arrived: connection, timeout, TLS, body size, or the authenticator
    /// below the client could not sign the request.
    #[error(transparent)]
    Transport(#[from] tasklist_transport::Error),

    /// `401 Unauthorized`: the request carried no valid credentials.
    #[error("not authenticated: {0}")]
    Unauthorized(ApiError),

    /// `403 Forbidden`: the credentials are valid but do not allow this call.
    #[error("forbidden: {0}")]
    Forbidden(ApiError),

    /// `403 Forbidden` whose body mentions CSRF: a cookie session's CSRF token was missing or
    /// stale, which a fresh login fixes.
    #[error("the CSRF check failed: {0}")]
    Csrf(ApiError),

    /// `404 Not Found`: no task, variable or form with that id (or the endpoint does not
    /// exist on this server version).
    #[error("not found: {0}")]
    NotFound(ApiError),

    /// `400 Bad Request`, `409 Conflict` or `422 Unprocessable Content`: the server refused the
    /// request as given, for example a task that is not active or not assigned.
    #[error("the server refused the request: {0}")]
    InvalidRequest(ApiError),

    /// `409 Conflict` with the problem code `INVALID_STATE` (API v2): the task is not in a
    /// state that allows the command, often because a task listener is still at work on an
    /// earlier one (`ASSIGNING`, `COMPLETING`, ...). Nothing was changed; read the task again
    /// before deciding to repeat the command.
    ///
    /// ```
    /// # use tasklist_api::{ApiError, Error};
    /// let error = ApiError::from_response(
    ///     http::StatusCode::CONFLICT,
    ///     br#"{"type":"about:blank","title":"INVALID_STATE","status":409,"detail":"it is in state 'COMPLETING'","instance":"/v2/user-tasks/1/completion"}"#,
    /// );
    /// assert!(matches!(error, Error::InvalidState(_)));
    /// ```
    #[error("the task is not in a state that allows this: {0}")]
    InvalidState(ApiError),

    /// A command of API v2 (complete, assign, unassign, update) got `504 Gateway Timeout`:
    /// the server (or a proxy in front of it) stopped waiting, typically for a blocking task
    /// listener, and **the command may still take effect**. It is never repeated by the
    /// client: read the task (see `UserTasksApi::wait_for`) to learn what happened before
    /// sending it again, which would otherwise risk a `409 INVALID_STATE` or doing it twice.
    ///
    /// ```
    /// # use tasklist_api::{ApiError, Error};
    /// let status = http::StatusCode::GATEWAY_TIMEOUT;
    /// let Error::Server(api) = ApiError::from_response(status, b"<html>504</html>") else {
    ///     unreachable!()
    /// };
    /// let error = Error::OutcomeUnknown { command: "complete", task: "1".into(), status, api };
    /// assert!(error.to_string().starts_with(
    ///     "complete of user task 1: the outcome is unknown (504 Gateway Timeout); the server \
    ///      may still apply it, so read the task before trying again: "
    /// ));
    /// ```
    #[error(
        "{command} of user task {task}: the outcome is unknown ({status}); the server may still \
         apply it, so read the task before trying again: {api}"
    )]
    OutcomeUnknown {
        /// The command (`complete`, `assign`, `unassign`, `update`).
        command: &'static str,
        /// The key of the task.
        task: String,
        /// The response's status (`504`).
        status: StatusCode,
        /// The server's or the proxy's answer (an HTML page from a proxy is kept as an
        /// excerpt).
        api: ApiError,
    },

    /// A bounded wait for a read to reflect a command ran out of time (API v2 reads are
    /// eventually consistent).
    #[error(
        "user task {task} did not reach the state waited for within {waited:?}; last seen: {last}"
    )]
    ConsistencyTimeout {
        /// The key of the task.
        task: String,
        /// How long was waited.
        waited: std::time::Duration,
        /// What the last read showed (`not found`, or the task's state and assignee).
        last: String,
    },

    /// A `5xx` status: the server failed.
    #[error("the server failed: {0}")]
    Server(ApiError),

    /// Any other status that is not a success.
    #[error("unexpected response: {0}")]
    UnexpectedStatus(ApiError),

    /// A successful response whose body is not what the API documents.
    #[error("the body of the {status} response is not what the API documents")]
    Decode {
        /// The response's status.
        status: StatusCode,
        /// The start of the body (at most [`MAX_EXCERPT_BYTES`] bytes, cut on a character
        /// boundary).
        excerpt: String,
        /// What `serde_json` reported.
        #[source]
        source: serde_json::Error,
    },

    /// The call breaks one of the API's documented rules, or an argument cannot be used (an
    /// unusable base URL, a variable that does not serialise to JSON, an id that would
    /// change the request path). Nothing was sent.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),

    /// A task search result has no `sortValues`, so the next page cannot be requested.
    #[error(
        "task {} has no sortValues, so the next page cannot be requested",
        task_id.as_ref().map_or("(without id)", |id| id.as_str())
    )]
    MissingSortValues {
        /// The id of the result without sort values, when it has one.
        task_id: Option<TaskId>,
    },

    /// A [`TaskStream`](crate::TaskStream) asked for the next page and got the same one again:
    /// the cursor taken from the page (the `sortValues` of its last task, or of its first when
    /// paging backward) equals the cursor the page was requested with, so following it would
    /// request that page forever. The repeated page is not yielded; the stream ends.
    ///
    /// ```
    /// # use tasklist_api::{Cursor, Error};
    /// let error = Error::PagingStalled { page: 2, cursor: Cursor::After(vec!["7".into()]) };
    /// assert!(error.to_string().starts_with(
    ///     "the server returned the same page again: the cursor did not move after page 2"
    /// ));
    /// ```
    #[error(
        "the server returned the same page again: the cursor did not move after page {page}, so \
         the search stopped; the server does not honour the search's cursor: sort by a field \
         that tells every task apart, or report it to the server's operator"
    )]
    PagingStalled {
        /// The number of the page that repeated its cursor (the first page is 1).
        page: usize,
        /// The cursor that did not move.
        cursor: Cursor,
    },

    /// A [`TaskStream`](crate::TaskStream) received as many pages as its limit
    /// ([`DEFAULT_MAX_PAGES`](crate::DEFAULT_MAX_PAGES) unless set otherwise) and the last one
    /// was full, so there may be more. The stream ends; `next` resumes the search where it
    /// stopped.
    ///
    /// ```
    /// # use tasklist_api::{Cursor, Error};
    /// let error = Error::PageLimit { pages: 3, next: Cursor::After(vec!["9".into()]) };
    /// assert!(error.to_string().starts_with("stopped after 3 pages, the limit;"));
    /// ```
    #[error(
        "stopped after {pages} pages, the limit; raise it with `TaskStream::max_pages`, lift it \
         with `TaskStream::unbounded_pages`, narrow the search, or resume from its next cursor"
    )]
    PageLimit {
        /// How many pages were received: the limit.
        pages: usize,
        /// The cursor of the page that would have come next.
        next: Cursor,
    },

    /// A v2 [`PageStream`](crate::v2::PageStream) asked for the next page and got a cursor
    /// back that does not move: the page's `endCursor` (or `startCursor`, paging backward)
    /// equals the cursor it was requested with, so following it would request that page
    /// forever. The repeated page is not yielded; the stream ends.
    ///
    /// ```
    /// # use tasklist_api::Error;
    /// use tasklist_api::v2::models::Cursor;
    /// let error = Error::CursorStalled { page: 2, cursor: Cursor::new("WzJd") };
    /// assert!(error.to_string().starts_with("the cursor did not move after page 2"));
    /// ```
    #[error(
        "the cursor did not move after page {page} (`{}`), so the search stopped: the server \
         does not honour the search's cursor; report it to the server's operator",
        crate::wire::echo(cursor.as_str())
    )]
    CursorStalled {
        /// The number of the page whose cursor did not move (the first page is 1).
        page: usize,
        /// The cursor that did not move.
        cursor: crate::v2::models::Cursor,
    },

    /// A v2 [`PageStream`](crate::v2::PageStream) received as many pages as its limit
    /// ([`v2::DEFAULT_MAX_PAGES`](crate::v2::DEFAULT_MAX_PAGES) unless set otherwise) and the
    /// last one was full, so there may be more. The stream ends; `next` is the page request
    /// that resumes the search where it stopped.
    ///
    /// ```
    /// # use tasklist_api::Error;
    /// use tasklist_api::v2::models::{Cursor, PageRequest};
    /// let next = PageRequest::after(Cursor::new("WzNd"), 100);
    /// let error = Error::StreamPageLimit { pages: 3, next };
    /// assert!(error.to_string().starts_with("stopped after 3 pages, the limit;"));
    /// ```
    #[error(
        "stopped after {pages} pages, the limit; raise it with `PageStream::max_pages`, lift it \
         with `PageStream::unbounded_pages`, narrow the search, or resume with the next page \
         request"
    )]
    StreamPageLimit {
        /// How many pages were received: the limit.
        pages: usize,
        /// The page request that would have come next.
        next: crate::v2::models::PageRequest,
    },

    /// The API the client uses has no such call: draft variables on v2, updating a task or
    /// its history on v1 (and history on Camunda 8.8). Nothing was sent.
    ///
    /// ```
    /// # use tasklist_api::{Api, Error};
    /// let error = Error::Unsupported { feature: "draft variables", api: Api::V2, hint: "keep them in your application" };
    /// assert_eq!(error.to_string(), "draft variables is not supported on API v2: keep them in your application");
    /// ```
    #[error("{feature} is not supported on API {api}: {hint}")]
    Unsupported {
        /// What was asked for.
        feature: &'static str,
        /// The API the client uses.
        api: crate::version::Api,
        /// What to do instead.
        hint: &'static str,
    },

    /// The variable's value was truncated by the server, so it cannot be decoded. Fetch the
    /// full value with [`VariablesApi::full_value`](crate::VariablesApi::full_value), or search
    /// with the full value included.
    #[error("the value of variable `{name}` is truncated; fetch its full value first")]
    VariableTruncated {
        /// The variable's name.
        name: String,
    },

    /// A variable's value could not be decoded into the requested type.
    #[error("variable `{name}` could not be decoded")]
    VariableDecode {
        /// The variable's name (for [`decode_all`](crate::decode_all), the names of all the
        /// variables decoded, comma-separated).
        name: String,
        /// What `serde_json` reported.
        #[source]
        source: serde_json::Error,
    },

    /// A GraphQL response carried errors.
    #[error("the GraphQL request failed: {}", graphql_summary(errors))]
    GraphQl {
        /// The errors, as the server listed them.
        errors: Vec<GraphQlError>,
        /// Whatever partial data came with them.
        data: Option<Value>,
    },
}

fn graphql_summary(errors: &[GraphQlError]) -> String {
    match errors {
        [] => "no error message".to_owned(),
        [one] => one.message.clone(),
        [first, rest @ ..] => format!("{} (and {} more)", first.message, rest.len()),
    }
}

impl Error {
    /// The HTTP status of the response, for the variants that had one.
    ///
    /// ```
    /// # use tasklist_api::{ApiError, Error};
    /// let error = ApiError::from_response(http::StatusCode::NOT_FOUND, b"");
    /// assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
    /// assert_eq!(Error::InvalidArgument("x".into()).status(), None);
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode { status, .. } => Some(*status),
            _ => self.api_error().map(ApiError::status),
        }
    }

    /// The server's error details, for the variants built from an error response.
    ///
    /// ```
    /// # use tasklist_api::{ApiError, Error};
    /// let error = ApiError::from_response(
    ///     http::StatusCode::BAD_REQUEST,
    ///     br#"{"status":400,"message":"Task is not active","instance":"2b6c"}"#,
    /// );
    /// assert_eq!(error.api_error().and_then(|e| e.instance()), Some("2b6c"));
    /// ```
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Unauthorized(e)
            | Error::Forbidden(e)
            | Error::Csrf(e)
            | Error::NotFound(e)
            | Error::InvalidRequest(e)
            | Error::InvalidState(e)
            | Error::Server(e)
            | Error::UnexpectedStatus(e)
            | Error::OutcomeUnknown { api: e, .. } => Some(e),
            _ => None,
        }
    }

    /// The message the server gave, when it gave one.
    ///
    /// ```
    /// # use tasklist_api::ApiError;
    /// let error = ApiError::from_response(
    ///     http::StatusCode::NOT_FOUND,
    ///     br#"{"status":404,"message":"Task with id 7 was not found","instance":"a1"}"#,
    /// );
    /// assert_eq!(error.server_message(), Some("Task with id 7 was not found"));
    /// ```
    pub fn server_message(&self) -> Option<&str> {
        self.api_error().and_then(ApiError::server_message)
    }

    /// True for [`Error::NotFound`].
    ///
    /// ```
    /// # use tasklist_api::ApiError;
    /// assert!(ApiError::from_response(http::StatusCode::NOT_FOUND, b"").is_not_found());
    /// ```
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound(_))
    }

    /// True when authentication or authorisation failed: `401`, `403` (CSRF included), or the
    /// authenticator below the client could not produce credentials.
    ///
    /// ```
    /// # use tasklist_api::{ApiError, Error};
    /// let csrf = ApiError::from_response(http::StatusCode::FORBIDDEN, b"Invalid CSRF token");
    /// assert!(matches!(csrf, Error::Csrf(_)) && csrf.is_auth());
    /// assert!(Error::from(tasklist_transport::Error::auth("no token")).is_auth());
    /// ```
    pub fn is_auth(&self) -> bool {
        match self {
            Error::Unauthorized(_) | Error::Forbidden(_) | Error::Csrf(_) => true,
            Error::Transport(e) => e.is_auth(),
            _ => false,
        }
    }

    /// True for [`Error::Csrf`].
    ///
    /// ```
    /// # use tasklist_api::ApiError;
    /// let e = ApiError::from_response(http::StatusCode::FORBIDDEN, b"");
    /// assert!(!e.is_csrf());
    /// ```
    pub fn is_csrf(&self) -> bool {
        matches!(self, Error::Csrf(_))
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidArgument(message.into())
    }

    pub(crate) fn decode(status: StatusCode, body: &[u8], source: serde_json::Error) -> Self {
        Error::Decode {
            status,
            excerpt: excerpt(body),
            source,
        }
    }
}

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
/// the body has; when none fits, it is an excerpt of the body (at most [`MAX_EXCERPT_BYTES`]
/// bytes, cut on a character boundary).
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
    status: StatusCode,
    message: String,
    format: BodyFormat,
    /// The optional parts, boxed so that `Result<_, Error>` stays small.
    details: Box<Details>,
}

/// The parts of an error body that only some formats have.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Details {
    instance: Option<String>,
    title: Option<String>,
    problem_type: Option<String>,
    /// The human part of a message that is itself a JSON object (see [`ApiError::detail`]).
    nested_detail: Option<String>,
}

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

/// Whether `body` mentions CSRF, in any case.
fn mentions_csrf(body: &[u8]) -> bool {
    body.windows(4).any(|w| w.eq_ignore_ascii_case(b"csrf"))
}

/// At most [`MAX_EXCERPT_BYTES`] bytes of `body` as text, trimmed, cut on a character
/// boundary; bytes that are not UTF-8 become U+FFFD. Every known secret is removed first (see
/// [`tasklist_transport::redact`]), so none is left half-cut.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let clean = redact(&text);
    let body = match &clean {
        Cow::Borrowed(_) => body,
        Cow::Owned(clean) => clean.as_bytes(),
    };
    let cut = body.len() > MAX_EXCERPT_BYTES;
    let head = &body[..body.len().min(MAX_EXCERPT_BYTES)];
    let mut text = String::with_capacity(head.len());
    let mut chunks = head.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        text.push_str(chunk.valid());
        // A character split by the cut is dropped, not replaced.
        let split_by_cut = cut && chunks.peek().is_none();
        if !chunk.invalid().is_empty() && !split_by_cut {
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    bounded(text.trim().to_owned())
}

/// `text` cut to at most [`MAX_EXCERPT_BYTES`] bytes on a character boundary.
fn bounded(mut text: String) -> String {
    if text.len() > MAX_EXCERPT_BYTES {
        let mut end = MAX_EXCERPT_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

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
