//! What request counters and fault injection name: the server's [`Route`]s, the
//! [`CommandKind`]s counted per task, and the [`Fault`]s to inject (the `inject` module applies
//! them in front of every route).
//!
//! What each [`Fault`] does on the wire is documented on its variant.

use std::time::Duration;

use axum::http::Method;

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
}
