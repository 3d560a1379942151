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

mod forms;
mod graphql;
mod paging;
mod tasks;

pub(crate) use tasks::search_call;
mod variables;

pub use forms::{FormsApi, GetForm};
pub use graphql::{GraphQlError, GraphQlLocation, GraphQlRequest};
pub use paging::{DEFAULT_MAX_PAGES, DEFAULT_PAGE_SIZE, TaskStream};
pub use tasks::{
    AssignTask, CompleteTask, Cursor, GetTask, SaveDraftVariables, SearchTaskVariables,
    SearchTasks, TaskVariablesApi, TasksApi, UnassignTask,
};
pub use variables::{GetVariable, VariablesApi, decode_all};
