//! Fault injection and request counters: one middleware in front of every route.
//!
//! Every request is first counted under its [`Route`]; then the global latency (if any) is
//! waited; then, if a fault is pending for the route, the fault decides the answer. Faults are
//! queued per route with [`ServerHandle::fail_next`](crate::ServerHandle::fail_next) and each
//! one is used up by one request.
//!
//! What each [`Fault`] does on the wire is documented on its variant.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::{AppState, lock};

/// The most a response body is read into memory by the faults that rewrite a real answer.
const MAX_REWRITTEN_BODY: usize = 64 * 1024 * 1024;

/// An endpoint of the server, as named by counters and faults.
///
/// ```
/// use tasklist_testkit::Route;
/// use http::Method;
///
/// assert_eq!(Route::of(&Method::POST, "/v1/tasks/search"), Route::SearchTasks);
/// assert_eq!(Route::of(&Method::GET, "/v1/tasks/42"), Route::GetTask);
/// assert_eq!(Route::of(&Method::POST, "/oauth/token"), Route::Token);
/// assert_eq!(Route::of(&Method::GET, "/nowhere"), Route::Other);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// `POST /oauth/token`.
    Token,
    /// `POST /api/login` or `POST /login`.
    Login,
    /// `POST /api/logout` or `POST /logout`.
    Logout,
    /// `POST /v1/tasks/search`.
    SearchTasks,
    /// `GET /v1/tasks/{taskId}`.
    GetTask,
    /// `PATCH /v1/tasks/{taskId}/assign`.
    AssignTask,
    /// `PATCH /v1/tasks/{taskId}/unassign`.
    UnassignTask,
    /// `PATCH /v1/tasks/{taskId}/complete`.
    CompleteTask,
    /// `POST /v1/tasks/{taskId}/variables`.
    SaveDraftVariables,
    /// `POST /v1/tasks/{taskId}/variables/search`.
    SearchTaskVariables,
    /// `GET /v1/variables/{variableId}`.
    GetVariable,
    /// `GET /v1/forms/{formId}`.
    GetForm,
    /// `POST /v1/process-definitions/search`: Operate's v1 process definition search (up to
    /// 8.9).
    SearchProcessDefinitions,
    /// `POST /v2/user-tasks/search` (8.8+).
    SearchUserTasks,
    /// `GET /v2/user-tasks/{userTaskKey}` (8.8+).
    GetUserTask,
    /// `PATCH /v2/user-tasks/{userTaskKey}` (8.8+).
    UpdateUserTask,
    /// `POST /v2/user-tasks/{userTaskKey}/assignment` (8.8+).
    AssignUserTask,
    /// `DELETE /v2/user-tasks/{userTaskKey}/assignee` (8.8+).
    UnassignUserTask,
    /// `POST /v2/user-tasks/{userTaskKey}/completion` (8.8+).
    CompleteUserTask,
    /// `GET /v2/user-tasks/{userTaskKey}/form` (8.8+).
    GetUserTaskForm,
    /// `POST /v2/user-tasks/{userTaskKey}/variables/search` (8.8+).
    SearchUserTaskVariables,
    /// `POST /v2/user-tasks/{userTaskKey}/effective-variables/search` (8.8+).
    SearchUserTaskEffectiveVariables,
    /// `POST /v2/user-tasks/{userTaskKey}/audit-logs/search` (8.9+).
    SearchUserTaskAuditLogs,
    /// `GET /v2/variables/{variableKey}` (8.8+): one variable with its whole value (v2's
    /// `getVariable`; [`Route::GetVariable`] is v1's).
    GetVariableByKey,
    /// `GET /v2/topology` (8.8+).
    Topology,
    /// `POST /graphql`: the legacy GraphQL endpoint (8.7; a `404` on later profiles, counted
    /// here all the same).
    Graphql,
    /// Anything else (unknown paths, other methods on known paths).
    Other,
}

impl Route {
    /// Every route, in declaration order.
    ///
    /// ```
    /// use tasklist_testkit::Route;
    /// assert_eq!(Route::ALL.len(), 27);
    /// ```
    pub const ALL: [Route; 27] = [
        Route::Token,
        Route::Login,
        Route::Logout,
        Route::SearchTasks,
        Route::GetTask,
        Route::AssignTask,
        Route::UnassignTask,
        Route::CompleteTask,
        Route::SaveDraftVariables,
        Route::SearchTaskVariables,
        Route::GetVariable,
        Route::GetForm,
        Route::SearchProcessDefinitions,
        Route::SearchUserTasks,
        Route::GetUserTask,
        Route::UpdateUserTask,
        Route::AssignUserTask,
        Route::UnassignUserTask,
        Route::CompleteUserTask,
        Route::GetUserTaskForm,
        Route::SearchUserTaskVariables,
        Route::SearchUserTaskEffectiveVariables,
        Route::SearchUserTaskAuditLogs,
        Route::GetVariableByKey,
        Route::Topology,
        Route::Graphql,
        Route::Other,
    ];

    /// The route that `method` and `path` (without query, and without the configured
    /// [`base_path`](crate::Config::base_path)) address.
    ///
    /// ```
    /// use tasklist_testkit::Route;
    /// use http::Method;
    /// assert_eq!(Route::of(&Method::PATCH, "/v1/tasks/1/assign"), Route::AssignTask);
    /// assert_eq!(Route::of(&Method::POST, "/v2/user-tasks/1/completion"), Route::CompleteUserTask);
    /// assert_eq!(Route::of(&Method::DELETE, "/v2/user-tasks/1/assignee"), Route::UnassignUserTask);
    /// assert_eq!(Route::of(&Method::GET, "/v2/variables/2251799813683287"), Route::GetVariableByKey);
    /// assert_eq!(Route::of(&Method::POST, "/graphql"), Route::Graphql);
    /// assert_eq!(Route::of(&Method::GET, "/v1/tasks/1/assign"), Route::Other);
    /// assert_eq!(Route::of(&Method::POST, "/v1/tasks/1/variables/search/x"), Route::Other);
    /// ```
    pub fn of(method: &Method, path: &str) -> Route {
        // No route has more than six segments (Keycloak's token path); a longer path is `Other`
        // without allocating.
        let mut buffer = [""; 6];
        let mut len = 0;
        for segment in path.trim_start_matches('/').split('/') {
            let Some(slot) = buffer.get_mut(len) else {
                return Route::Other;
            };
            *slot = segment;
            len += 1;
        }
        let segments = &buffer[..len];
        let post = method == Method::POST;
        let get = method == Method::GET;
        let patch = method == Method::PATCH;
        let delete = method == Method::DELETE;
        match segments {
            ["oauth", "token"]
            | [
                "auth",
                "realms",
                "camunda-platform",
                "protocol",
                "openid-connect",
                "token",
            ]
            | [
                "realms",
                "camunda-platform",
                "protocol",
                "openid-connect",
                "token",
            ] if post => Route::Token,
            ["api", "login"] | ["login"] if post => Route::Login,
            ["api", "logout"] | ["logout"] if post => Route::Logout,
            ["v1", "tasks", "search"] if post => Route::SearchTasks,
            ["v1", "tasks", id] if get && !id.is_empty() => Route::GetTask,
            ["v1", "tasks", _, "assign"] if patch => Route::AssignTask,
            ["v1", "tasks", _, "unassign"] if patch => Route::UnassignTask,
            ["v1", "tasks", _, "complete"] if patch => Route::CompleteTask,
            ["v1", "tasks", _, "variables"] if post => Route::SaveDraftVariables,
            ["v1", "tasks", _, "variables", "search"] if post => Route::SearchTaskVariables,
            ["v1", "variables", id] if get && !id.is_empty() => Route::GetVariable,
            ["v1", "forms", id] if get && !id.is_empty() => Route::GetForm,
            ["v1", "process-definitions", "search"] if post => Route::SearchProcessDefinitions,
            ["v2", "topology"] if get => Route::Topology,
            ["graphql"] if post => Route::Graphql,
            ["v2", "variables", key] if get && !key.is_empty() => Route::GetVariableByKey,
            ["v2", "user-tasks", "search"] if post => Route::SearchUserTasks,
            ["v2", "user-tasks", key] if get && !key.is_empty() => Route::GetUserTask,
            ["v2", "user-tasks", key] if patch && !key.is_empty() => Route::UpdateUserTask,
            ["v2", "user-tasks", _, "assignment"] if post => Route::AssignUserTask,
            ["v2", "user-tasks", _, "assignee"] if delete => Route::UnassignUserTask,
            ["v2", "user-tasks", _, "completion"] if post => Route::CompleteUserTask,
            ["v2", "user-tasks", _, "form"] if get => Route::GetUserTaskForm,
            ["v2", "user-tasks", _, "variables", "search"] if post => {
                Route::SearchUserTaskVariables
            }
            ["v2", "user-tasks", _, "effective-variables", "search"] if post => {
                Route::SearchUserTaskEffectiveVariables
            }
            ["v2", "user-tasks", _, "audit-logs", "search"] if post => {
                Route::SearchUserTaskAuditLogs
            }
            _ => Route::Other,
        }
    }
}

/// The kind of a task command, as counted by
/// [`ServerHandle::command_count`](crate::ServerHandle::command_count).
///
/// ```
/// use tasklist_testkit::{CommandKind, Route};
///
/// assert_eq!(CommandKind::of(Route::CompleteUserTask), Some(CommandKind::Complete));
/// assert_eq!(CommandKind::of(Route::AssignTask), Some(CommandKind::Assign));
/// assert_eq!(CommandKind::of(Route::SearchUserTasks), None);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandKind {
    /// `POST /v2/user-tasks/{k}/assignment` or `PATCH /v1/tasks/{id}/assign`.
    Assign,
    /// `DELETE /v2/user-tasks/{k}/assignee` or `PATCH /v1/tasks/{id}/unassign`.
    Unassign,
    /// `POST /v2/user-tasks/{k}/completion` or `PATCH /v1/tasks/{id}/complete`.
    Complete,
    /// `PATCH /v2/user-tasks/{k}`.
    Update,
}

impl CommandKind {
    /// The command kind of a route, if it is a task command (v1 or v2).
    ///
    /// ```
    /// use tasklist_testkit::{CommandKind, Route};
    /// assert_eq!(CommandKind::of(Route::UpdateUserTask), Some(CommandKind::Update));
    /// ```
    pub fn of(route: Route) -> Option<CommandKind> {
        match route {
            Route::AssignTask | Route::AssignUserTask => Some(CommandKind::Assign),
            Route::UnassignTask | Route::UnassignUserTask => Some(CommandKind::Unassign),
            Route::CompleteTask | Route::CompleteUserTask => Some(CommandKind::Complete),
            Route::UpdateUserTask => Some(CommandKind::Update),
            _ => None,
        }
    }
}

/// A misbehaviour to inject into the next answers of a route, with
/// [`ServerHandle::fail_next`](crate::ServerHandle::fail_next).
///
/// ```
/// use std::time::Duration;
/// use tasklist_testkit::Fault;
///
/// let fault = Fault::Unavailable { retry_after: Some(Duration::from_secs(1)) };
/// assert_eq!(fault.status(), Some(503));
/// assert_eq!(Fault::CloseMidBody.status(), None);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answers `401` with the body the profile's authentication entry point sends (see the
    /// crate docs), without running the handler: what an expired or unknown credential gets.
    Status401,
    /// Answers `403` with the profile's CSRF rejection body (8.7:
    /// `{"error": "Access denied due to invalid CSRF token."}`; 8.8: a problem whose `detail`
    /// names the CSRF token), without running the handler.
    Csrf403,
    /// Answers what the authentication filter answers for a missing or wrong CSRF token,
    /// without running the handler: 8.7's `403`, and from 8.8 on a `401` problem naming the
    /// CSRF token (`AuthFailureHandler` falls through its 403 branch; FACTS §6, §7.3). What a
    /// cookie session whose CSRF token the server no longer accepts gets.
    CsrfRefused,
    /// Answers `429 Too Many Requests` with the profile's API error body and, when given, a
    /// `Retry-After` header in whole seconds (rounded up), without running the handler.
    TooManyRequests {
        /// The `Retry-After` delay; `None` sends no header.
        retry_after: Option<Duration>,
    },
    /// Answers `503 Service Unavailable` with the profile's API error body and, when given, a
    /// `Retry-After` header in whole seconds (rounded up), without running the handler.
    Unavailable {
        /// The `Retry-After` delay; `None` sends no header.
        retry_after: Option<Duration>,
    },
    /// Answers `500` with the profile's API error body (message
    /// `Unexpected server error occurred.`), without running the handler.
    Internal500,
    /// Waits this long before running the handler; the answer itself is the real one. Adds to
    /// the global latency.
    Latency(Duration),
    /// Runs the handler, then sends its status and headers with a `Content-Length` of the whole
    /// body but only the first half of the body (at least one byte short), and then aborts the
    /// connection: the client sees the body end early (a network error, not a status).
    CloseMidBody,
    /// Runs the handler, then sends only the first half of its body, with a `Content-Length`
    /// matching what is sent: a complete HTTP response carrying an incomplete JSON document.
    TruncatedJson,
    /// Runs the handler, then replaces its body with text that is not JSON
    /// (`{"id": "1", "name": oops}`), keeping the status and `application/json` content type.
    MalformedJson,
    /// Runs the handler, then pads its body with spaces (still valid JSON) to this many bytes
    /// in total; the body is streamed with its `Content-Length`, never held in memory. A body
    /// already that large is sent unchanged.
    Oversized(u64),
    /// Runs the handler, then replaces its JSON body with valid JSON of the wrong shape: an
    /// array becomes `{"unexpected": "object"}`, any other value becomes
    /// `["unexpected", "array"]`. The status is kept.
    WrongTypeJson,
    /// A blocking task listener outlives the request timeout: `504` problem with title
    /// `DEADLINE_EXCEEDED` (FACTS §5, camunda/camunda#44179). With `applied`, the command is
    /// carried out first (the engine finished after the gateway gave up: the outcome the client
    /// cannot know); without, it is not carried out at all. Meant for the v2 command routes;
    /// on any route it answers the same 504.
    ListenerTimeout {
        /// Whether the command takes effect despite the 504.
        applied: bool,
    },
    /// A task listener denies the command: `409` problem with title `INVALID_STATE`, without
    /// carrying the command out (FACTS §5, camunda/camunda#25419).
    ListenerDenied,
    /// A blocking task listener holds the command this long before it is carried out; the
    /// answer is the real one (as [`Fault::Latency`], named for listener tests).
    ListenerHold(Duration),
    /// A proxy in front of the gateway times out: `504` with an nginx `text/html` page instead
    /// of JSON, without running the handler (FACTS §6, camunda/camunda#38850).
    ProxyHtml504,
}

impl Fault {
    /// The status the fault answers with without running the handler, if it does
    /// ([`Fault::CsrfRefused`]: from Camunda 8.8 on; 8.7 answers it with 403).
    ///
    /// ```
    /// use tasklist_testkit::Fault;
    /// assert_eq!(Fault::Status401.status(), Some(401));
    /// assert_eq!(Fault::WrongTypeJson.status(), None);
    /// ```
    pub fn status(&self) -> Option<u16> {
        match self {
            Fault::Status401 => Some(401),
            Fault::Csrf403 => Some(403),
            // 8.7 answers it with 403.
            Fault::CsrfRefused => Some(401),
            Fault::TooManyRequests { .. } => Some(429),
            Fault::Unavailable { .. } => Some(503),
            Fault::Internal500 => Some(500),
            Fault::ListenerDenied => Some(409),
            Fault::ListenerTimeout { applied: false } | Fault::ProxyHtml504 => Some(504),
            Fault::ListenerTimeout { applied: true }
            | Fault::ListenerHold(_)
            | Fault::Latency(_)
            | Fault::CloseMidBody
            | Fault::TruncatedJson
            | Fault::MalformedJson
            | Fault::Oversized(_)
            | Fault::WrongTypeJson => None,
        }
    }
}

/// Pending faults, latency and counters of one server.
#[derive(Default)]
pub(crate) struct FaultState {
    /// Requests seen, per route.
    counters: Mutex<HashMap<Route, u64>>,
    /// All requests seen.
    total: AtomicU64,
    /// Faults still to inject, per route, oldest first, each with its remaining count.
    pending: Mutex<HashMap<Route, VecDeque<(Fault, u32)>>>,
    /// Latency added to every request, in microseconds.
    latency_micros: AtomicU64,
}

impl FaultState {
    /// Counts one request to `route`.
    pub(crate) fn count(&self, route: Route) {
        self.total.fetch_add(1, Ordering::Relaxed);
        let mut counters = lock(&self.counters);
        *counters.entry(route).or_insert(0) += 1;
    }

    /// Requests seen for `route`.
    pub(crate) fn requests(&self, route: Route) -> u64 {
        lock(&self.counters).get(&route).copied().unwrap_or(0)
    }

    /// All requests seen.
    pub(crate) fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    /// Sets every counter back to zero.
    pub(crate) fn reset_counters(&self) {
        lock(&self.counters).clear();
        self.total.store(0, Ordering::Relaxed);
    }

    /// Queues `fault` for the next `times` requests to `route` (after those queued before).
    pub(crate) fn push(&self, route: Route, times: u32, fault: Fault) {
        if times == 0 {
            return;
        }
        lock(&self.pending)
            .entry(route)
            .or_default()
            .push_back((fault, times));
    }

    /// Takes the next pending fault of `route`, if any.
    pub(crate) fn take(&self, route: Route) -> Option<Fault> {
        let mut pending = lock(&self.pending);
        let queue = pending.get_mut(&route)?;
        let (fault, remaining) = queue.front_mut()?;
        let fault = fault.clone();
        *remaining -= 1;
        if *remaining == 0 {
            queue.pop_front();
        }
        Some(fault)
    }

    /// How many injections are still pending for `route`.
    pub(crate) fn pending(&self, route: Route) -> u64 {
        lock(&self.pending)
            .get(&route)
            .map(|q| q.iter().map(|(_, n)| u64::from(*n)).sum())
            .unwrap_or(0)
    }

    /// Drops every pending fault.
    pub(crate) fn clear(&self) {
        lock(&self.pending).clear();
    }

    /// Sets the latency added to every request.
    pub(crate) fn set_latency(&self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.latency_micros.store(micros, Ordering::Relaxed);
    }

    /// The latency added to every request.
    pub(crate) fn latency(&self) -> Duration {
        Duration::from_micros(self.latency_micros.load(Ordering::Relaxed))
    }
}

/// The middleware: counts, delays, injects.
pub(crate) async fn middleware(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let full_path = request.uri().path().to_owned();
    let relative = relative_path(&state.config().base_path, &full_path).to_owned();
    let route = Route::of(request.method(), &relative);
    let faults = state.faults();
    faults.count(route);
    if let Some(kind) = CommandKind::of(route)
        && let Some(key) = task_key(&relative)
    {
        state.v2().count_command(key, kind);
    }
    let latency = faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let Some(fault) = faults.take(route) else {
        return next.run(request).await;
    };
    tracing::debug!(?route, ?fault, "injecting a fault");
    let profile = state.config().profile;
    let path = full_path;
    match fault {
        Fault::Status401 => {
            crate::auth::unauthorized(profile, &path, &crate::auth::AuthFailure::Missing)
        }
        Fault::Csrf403 => crate::auth::csrf_rejected(profile, &path, None),
        Fault::CsrfRefused => crate::auth::csrf_refused(profile, &path, None),
        Fault::TooManyRequests { retry_after } => with_retry_after(
            crate::errors::api_error(profile, StatusCode::TOO_MANY_REQUESTS, "Too Many Requests"),
            retry_after,
        ),
        Fault::Unavailable { retry_after } => with_retry_after(
            crate::errors::api_error(
                profile,
                StatusCode::SERVICE_UNAVAILABLE,
                "Service Unavailable",
            ),
            retry_after,
        ),
        Fault::Internal500 => crate::errors::api_error(
            profile,
            StatusCode::INTERNAL_SERVER_ERROR,
            crate::errors::UNEXPECTED,
        ),
        Fault::Latency(extra) | Fault::ListenerHold(extra) => {
            tokio::time::sleep(extra).await;
            next.run(request).await
        }
        Fault::ListenerDenied => {
            let key = task_key(&relative).unwrap_or("");
            let intent = match CommandKind::of(route) {
                Some(CommandKind::Complete) => "COMPLETE",
                Some(CommandKind::Update) => "UPDATE",
                _ => "ASSIGN",
            };
            crate::v2::problems::Problem::invalid_state(crate::v2::problems::rejected(
                intent,
                "INVALID_STATE",
                &format!("Command on user task with key '{key}' was denied by a task listener"),
            ))
            .into_response(&path)
        }
        Fault::ListenerTimeout { applied } => {
            if applied {
                let response = next.run(request).await;
                if !response.status().is_success() {
                    return response;
                }
            }
            crate::v2::problems::Problem::deadline_exceeded().into_response(&path)
        }
        Fault::ProxyHtml504 => crate::v2::problems::proxy_html_504(),
        Fault::CloseMidBody => {
            let (parts, body) = collect(next.run(request).await).await;
            close_mid_body(parts, body)
        }
        Fault::TruncatedJson => {
            let (parts, body) = collect(next.run(request).await).await;
            let keep = body.len() / 2;
            rebuilt(parts, body.slice(..keep))
        }
        Fault::MalformedJson => {
            let (parts, _) = collect(next.run(request).await).await;
            json_rebuilt(parts, Bytes::from_static(br#"{"id": "1", "name": oops}"#))
        }
        Fault::Oversized(total) => {
            let (parts, body) = collect(next.run(request).await).await;
            oversized(parts, body, total)
        }
        Fault::WrongTypeJson => {
            let (parts, body) = collect(next.run(request).await).await;
            let replacement: &'static [u8] = if body.trim_ascii_start().starts_with(b"[") {
                br#"{"unexpected": "object"}"#
            } else {
                br#"["unexpected", "array"]"#
            };
            json_rebuilt(parts, Bytes::from_static(replacement))
        }
    }
}

/// The task id or key of a task path (`/v1/tasks/{id}/...`, `/v2/user-tasks/{key}/...`): its
/// third segment.
fn task_key(relative: &str) -> Option<&str> {
    relative.trim_start_matches('/').split('/').nth(2)
}

/// `full_path` without the configured base path; outside the base path only the token
/// endpoint is served, so any other path there maps to `/` (a route of its own: `Other`).
fn relative_path<'a>(base: &str, full_path: &'a str) -> &'a str {
    let base = base.trim_end_matches('/');
    if base.is_empty() {
        return full_path;
    }
    match full_path.strip_prefix(base) {
        Some(rest) if rest.starts_with('/') => rest,
        _ if full_path == crate::auth::TOKEN_PATH
            || crate::auth::KEYCLOAK_TOKEN_PATHS.contains(&full_path) =>
        {
            full_path
        }
        _ => "/",
    }
}

/// Adds `Retry-After` in whole seconds, rounded up.
fn with_retry_after(mut response: Response, retry_after: Option<Duration>) -> Response {
    if let Some(delay) = retry_after {
        let mut seconds = delay.as_secs();
        if delay.subsec_nanos() > 0 {
            seconds = seconds.saturating_add(1);
        }
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// The head and the whole body of a response (an unreadable body counts as empty).
async fn collect(response: Response) -> (axum::http::response::Parts, Bytes) {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_REWRITTEN_BODY)
        .await
        .unwrap_or_default();
    (parts, bytes)
}

/// Sets `Content-Length` to `len`, dropping any transfer coding.
fn set_length(headers: &mut HeaderMap, len: u64) {
    headers.remove(header::TRANSFER_ENCODING);
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
}

/// The response with a new complete body.
fn rebuilt(mut parts: axum::http::response::Parts, body: Bytes) -> Response {
    set_length(&mut parts.headers, body.len() as u64);
    Response::from_parts(parts, Body::from(body))
}

/// The response with a new complete JSON body.
fn json_rebuilt(mut parts: axum::http::response::Parts, body: Bytes) -> Response {
    if !parts.headers.contains_key(header::CONTENT_TYPE) {
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    if parts.status == StatusCode::NO_CONTENT {
        parts.status = StatusCode::OK;
    }
    rebuilt(parts, body)
}

/// The error that ends a body sent by [`Fault::CloseMidBody`]; hyper aborts the connection on
/// it.
#[derive(Debug, thiserror::Error)]
#[error("connection closed mid-body by an injected fault")]
struct ClosedMidBody;

/// Declares the whole length, sends half, then fails the body stream.
fn close_mid_body(mut parts: axum::http::response::Parts, body: Bytes) -> Response {
    // A body of 0 or 1 byte still has to fall short: declare at least 2 bytes.
    let declared = body.len().max(2) as u64;
    let sent = body.slice(..body.len() / 2);
    set_length(&mut parts.headers, declared);
    if parts.status == StatusCode::NO_CONTENT {
        parts.status = StatusCode::OK;
    }
    let chunks: Vec<Result<Bytes, ClosedMidBody>> = vec![Ok(sent), Err(ClosedMidBody)];
    Response::from_parts(parts, Body::from_stream(futures::stream::iter(chunks)))
}

/// 64 KiB of spaces, the padding unit of [`Fault::Oversized`].
static SPACES: [u8; 64 * 1024] = [b' '; 64 * 1024];

/// Pads `body` with spaces to `total` bytes, streamed.
fn oversized(mut parts: axum::http::response::Parts, body: Bytes, total: u64) -> Response {
    let len = body.len() as u64;
    if total <= len {
        return rebuilt(parts, body);
    }
    set_length(&mut parts.headers, total);
    if parts.status == StatusCode::NO_CONTENT {
        parts.status = StatusCode::OK;
    }
    let mut padding = total - len;
    let chunk = SPACES.len() as u64;
    let padding_chunks = std::iter::from_fn(move || {
        if padding == 0 {
            return None;
        }
        let n = padding.min(chunk);
        padding -= n;
        // `n` is at most 64 Ki, so it fits in usize.
        let n = usize::try_from(n).unwrap_or(SPACES.len());
        Some(Ok::<_, std::convert::Infallible>(Bytes::from_static(
            &SPACES[..n],
        )))
    });
    let stream = futures::stream::iter(std::iter::once(Ok(body)).chain(padding_chunks));
    Response::from_parts(parts, Body::from_stream(stream))
}

/// An answer for paths no route serves: 404 without a body.
pub(crate) async fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_recognised() {
        let cases = [
            (Method::POST, "/oauth/token", Route::Token),
            (
                Method::POST,
                "/auth/realms/camunda-platform/protocol/openid-connect/token",
                Route::Token,
            ),
            (
                Method::POST,
                "/realms/camunda-platform/protocol/openid-connect/token",
                Route::Token,
            ),
            (Method::GET, "/oauth/token", Route::Other),
            (Method::POST, "/api/login", Route::Login),
            (Method::POST, "/login", Route::Login),
            (Method::POST, "/api/logout", Route::Logout),
            (Method::POST, "/logout", Route::Logout),
            (Method::POST, "/v1/tasks/search", Route::SearchTasks),
            (Method::GET, "/v1/tasks/1", Route::GetTask),
            (Method::PATCH, "/v1/tasks/1/assign", Route::AssignTask),
            (Method::PATCH, "/v1/tasks/1/unassign", Route::UnassignTask),
            (Method::PATCH, "/v1/tasks/1/complete", Route::CompleteTask),
            (
                Method::POST,
                "/v1/tasks/1/variables",
                Route::SaveDraftVariables,
            ),
            (
                Method::POST,
                "/v1/tasks/1/variables/search",
                Route::SearchTaskVariables,
            ),
            (Method::GET, "/v1/variables/1-x", Route::GetVariable),
            (Method::GET, "/v1/forms/f1", Route::GetForm),
            (
                Method::POST,
                "/v1/process-definitions/search",
                Route::SearchProcessDefinitions,
            ),
            (Method::GET, "/v1/forms/", Route::Other),
            (Method::DELETE, "/v1/tasks/1", Route::Other),
            (Method::GET, "/v2/variables/42", Route::GetVariableByKey),
            (Method::GET, "/v2/variables/", Route::Other),
            (Method::POST, "/v2/variables/42", Route::Other),
            (Method::GET, "/v2/variables/42/x", Route::Other),
            (Method::POST, "/graphql", Route::Graphql),
            (Method::GET, "/graphql", Route::Other),
            (Method::POST, "/graphql/x", Route::Other),
        ];
        for (method, path, route) in cases {
            assert_eq!(Route::of(&method, path), route, "{method} {path}");
        }
    }

    #[test]
    fn faults_are_used_up_in_order() {
        let state = FaultState::default();
        state.push(Route::GetTask, 2, Fault::Internal500);
        state.push(Route::GetTask, 1, Fault::Status401);
        state.push(Route::GetTask, 0, Fault::Csrf403);
        assert_eq!(state.pending(Route::GetTask), 3);
        assert_eq!(state.take(Route::SearchTasks), None);
        assert_eq!(state.take(Route::GetTask), Some(Fault::Internal500));
        assert_eq!(state.take(Route::GetTask), Some(Fault::Internal500));
        assert_eq!(state.take(Route::GetTask), Some(Fault::Status401));
        assert_eq!(state.take(Route::GetTask), None);
        assert_eq!(state.pending(Route::GetTask), 0);
    }

    #[test]
    fn retry_after_rounds_up() {
        let response = with_retry_after(
            StatusCode::SERVICE_UNAVAILABLE.into_response(),
            Some(Duration::from_millis(1500)),
        );
        assert_eq!(response.headers()[header::RETRY_AFTER], "2");
        let response = with_retry_after(
            StatusCode::SERVICE_UNAVAILABLE.into_response(),
            Some(Duration::ZERO),
        );
        assert_eq!(response.headers()[header::RETRY_AFTER], "0");
        let response = with_retry_after(StatusCode::SERVICE_UNAVAILABLE.into_response(), None);
        assert!(!response.headers().contains_key(header::RETRY_AFTER));
    }

    #[test]
    fn latency_round_trips() {
        let state = FaultState::default();
        assert_eq!(state.latency(), Duration::ZERO);
        state.set_latency(Duration::from_millis(25));
        assert_eq!(state.latency(), Duration::from_millis(25));
    }
}
