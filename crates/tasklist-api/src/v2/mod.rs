//! The user-task API of Camunda's Orchestration Cluster REST API v2 (`/v2/user-tasks/...`):
//! Camunda 8.8, 8.9 and 8.10.
//!
//! - [`UserTasksApi`] (from [`Client::user_tasks`](crate::Client::user_tasks)): search, get,
//!   update, assign, unassign, complete, form, variables, effective variables, audit logs.
//!   Every call is a builder that is `.await`ed or sent with `.send()`.
//! - [`VariablesApi`] (from [`Client::v2_variables`](crate::Client::v2_variables)): one
//!   variable by its key, with its whole value (`GET /v2/variables/{variableKey}`).
//! - [`PageStream`]: every result of a search, following the cursors one page at a time.
//! - [`WaitFor`]: a bounded wait until an eventually consistent read shows a command's
//!   effect, on an injectable [`Clock`].
//! - [`GetTopology`] (from [`Client::topology`](crate::Client::topology)): the gateway
//!   version that tells 8.8, 8.9 and 8.10 apart.
//! - [`models`]: the request and response bodies, generated from the vendored specs.
//!
//! ```
//! # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
//! use tasklist_api::v2::models::UserTaskState;
//!
//! let page = client.user_tasks().search().state(UserTaskState::Created).limit(10).await?;
//! for task in &page.items {
//!     println!("{:?} {:?}", task.user_task_key, task.name);
//! }
//! # Ok(())
//! # }
//! ```

pub mod models;

mod cluster;
mod paging;
mod user_tasks;
mod variables;
mod wait;

pub use cluster::GetTopology;
pub use paging::{DEFAULT_MAX_PAGES, DEFAULT_PAGE_LIMIT, PageStream, SearchPage};
pub use user_tasks::{
    AssignUserTask, CompleteUserTask, GetUserTask, GetUserTaskForm, IntoUserTaskKey,
    SearchEffectiveVariables, SearchUserTaskAuditLogs, SearchUserTaskVariables, SearchUserTasks,
    UnassignUserTask, UpdateUserTask, UserTasksApi,
};
pub use variables::{GetVariable, IntoVariableKey, VariablesApi};
pub use wait::{Clock, DEFAULT_WAIT, TokioClock, WaitFor};

pub(crate) use user_tasks::search_call;

#[cfg(test)]
mod tests;
