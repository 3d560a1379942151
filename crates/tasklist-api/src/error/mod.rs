//! The crate's one error type, [`Error`]: what can go wrong, and what each variant tells. The
//! server's answer kept in it is an [`ApiError`] (`api_error`), read from the error body
//! (`parse`), with bounded excerpts of what the server sent (`excerpt`).

mod api_error;
mod excerpt;
mod parse;

use http::StatusCode;
use serde_json::Value;

pub use self::api_error::{ApiError, BodyFormat, ProblemCode};
pub use self::excerpt::MAX_EXCERPT_BYTES;
use self::excerpt::excerpt;
use crate::models::TaskId;
use crate::v1::Cursor;
use crate::v1::GraphQlError;

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
    /// let one = Error::PageLimit { pages: 1, next: Cursor::After(vec!["9".into()]) };
    /// assert!(one.to_string().starts_with("stopped after 1 page, the limit;"));
    /// ```
    #[error(
        "stopped after {}, the limit; raise it with `TaskStream::max_pages`, lift it \
         with `TaskStream::unbounded_pages`, narrow the search, or resume from its next cursor",
        pages_text(*.pages)
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
        "stopped after {}, the limit; raise it with `PageStream::max_pages`, lift it \
         with `PageStream::unbounded_pages`, narrow the search, or resume with the next page \
         request",
        pages_text(*.pages)
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
        api: crate::api::Api,
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

/// `1 page`, `3 pages`.
fn pages_text(pages: usize) -> String {
    if pages == 1 {
        "1 page".to_owned()
    } else {
        format!("{pages} pages")
    }
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
