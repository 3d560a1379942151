//! The user-task API of Camunda's Orchestration Cluster REST API v2 (`/v2/user-tasks/...`):
//! Camunda 8.8, 8.9 and 8.10.
//!
//! ```
//! use tasklist_api::v2::models::UserTaskKey;
//! assert_eq!(UserTaskKey::new("2251799813685281")?.as_str(), "2251799813685281");
//! # Ok::<(), tasklist_api::v2::models::KeyError>(())
//! ```

pub mod models;

mod cluster;
mod paging;
mod user_tasks;
mod wait;

pub use cluster::GetTopology;
pub use paging::{DEFAULT_MAX_PAGES, DEFAULT_PAGE_LIMIT, PageStream, SearchPage};
pub use user_tasks::{
    AssignUserTask, CompleteUserTask, GetUserTask, GetUserTaskForm, IntoUserTaskKey,
    SearchEffectiveVariables, SearchUserTaskAuditLogs, SearchUserTaskVariables, SearchUserTasks,
    UnassignUserTask, UpdateUserTask, UserTasksApi,
};
pub use wait::{Clock, DEFAULT_WAIT, TokioClock, WaitFor};

#[cfg(test)]
mod tests;
