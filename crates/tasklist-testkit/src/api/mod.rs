//! The nine Tasklist v1 REST endpoints over the in-memory [`Store`](crate::store::Store).
//!
//! Semantics follow Tasklist's own code (camunda/camunda, `tasklist/webapp`): `TaskController`,
//! `VariablesController`, `FormController`, `TaskService`, `VariableService`, `TaskValidator`,
//! `TaskMapper` and `ApiErrorController`. Each rule below names the class it comes from.
//!
//! Who the caller is matters: a bearer-token caller is an "API user" (Tasklist's
//! `TasklistAuthenticationUtil.isApiUser`), who must name an assignee, may reassign, and may
//! complete or save drafts for tasks assigned to anyone; a cookie-session or Basic caller is a
//! user, who assigns to themself and may complete only their own tasks. An anonymous caller (auth
//! mode `none`) has no user name and is treated like an API user. A bearer-token caller may not
//! assign, unassign or complete a Zeebe user task (400, on every profile that serves v1).
//!
//! Request bodies are read as Spring and Jackson read them into Tasklist's Java request
//! classes: a malformed or mistyped body is a 400 whose message is Jackson's own
//! (`JSON parse error: Unexpected end-of-input: expected close marker for Object (...)`,
//! `JSON parse error: Cannot deserialize value of type `java.lang.String[]` from ...`; see the
//! `jackson` module), and a number sent where a `String` is expected (a variable's `value`)
//! is kept as the exact text sent (`1.50`, `1E+2`).

use axum::Router;
use axum::routing::{get, patch, post};

use self::forms::get_form;
use self::tasks::{assign_task, complete_task, get_task, search_tasks, unassign_task};
use self::variables::{get_variable, save_draft_variables, search_task_variables};
use crate::state::AppState;

mod bodies;
mod forms;
mod rules;
mod tasks;
mod variables;

pub(crate) use self::bodies::parse_java_body;
pub(crate) use self::rules::{
    Who, assign_task_to, complete_record, complete_task_with, task_not_found, unassign,
};

/// The router of the nine v1 endpoints.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/tasks/search", post(search_tasks))
        .route("/v1/tasks/{task_id}", get(get_task))
        .route("/v1/tasks/{task_id}/assign", patch(assign_task))
        .route("/v1/tasks/{task_id}/unassign", patch(unassign_task))
        .route("/v1/tasks/{task_id}/complete", patch(complete_task))
        .route("/v1/tasks/{task_id}/variables", post(save_draft_variables))
        .route(
            "/v1/tasks/{task_id}/variables/search",
            post(search_task_variables),
        )
        .route("/v1/variables/{variable_id}", get(get_variable))
        .route("/v1/forms/{form_id}", get(get_form))
}
