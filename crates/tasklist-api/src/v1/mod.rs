//! The Tasklist REST API v1 (`/v1/...`): Camunda 8.7 and older, deprecated in 8.8 and 8.9,
//! removed in 8.10.
//!
//! Its calls start from the shared [`Client`](crate::Client): [`tasks`](crate::Client::tasks),
//! [`variables`](crate::Client::variables), [`forms`](crate::Client::forms) and
//! [`graphql`](crate::Client::graphql) (the legacy GraphQL endpoint, before 8.8). Its models are
//! in [`models`], generated from the vendored v1 spec. The crate root re-exports everything
//! here under its former paths (`tasklist_api::TasksApi`, `tasklist_api::models::Task`, ...).
//!
//! ```
//! use tasklist_api::v1::models::TaskState;
//! assert_eq!(TaskState::Created.as_str(), "CREATED");
//! ```

pub mod models;

mod cursor;
mod forms;
mod graphql;
mod graphql_error;
mod paging;
mod search;
mod tasks;
mod variables;

pub(crate) use paging::search_call;

pub use cursor::Cursor;
pub use forms::{FormsApi, GetForm};
pub use graphql::GraphQlRequest;
pub use graphql_error::{GraphQlError, GraphQlLocation};
pub use paging::{DEFAULT_MAX_PAGES, DEFAULT_PAGE_SIZE, TaskStream};
pub use search::SearchTasks;
pub use tasks::{
    AssignTask, CompleteTask, GetTask, SaveDraftVariables, SearchTaskVariables, TaskVariablesApi,
    TasksApi, UnassignTask,
};
pub use variables::{GetVariable, VariablesApi, decode_all};

#[cfg(test)]
mod tests;
