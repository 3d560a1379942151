#![doc = include_str!("../README.md")]
//!
//! # Quick example
//!
//! ```
//! # /// Answers like a Tasklist holding one task.
//! # fn transport() -> tasklist_transport::SharedTransport {
//! #     tasklist_transport::test_util::Canned::new(|request| {
//! #         let body: &[u8] = match request.uri().path() {
//! #             "/v1/tasks/search" => br#"[{"id":"7","name":"Approve invoice","taskState":"CREATED","sortValues":["1","7"],
//! #                 "variables":[{"name":"amount","value":"1250.5"}]}]"#,
//! #             "/v1/tasks/7/assign" => br#"{"id":"7","assignee":"demo","taskState":"CREATED"}"#,
//! #             _ => br#"{"id":"7","assignee":"demo","taskState":"COMPLETED"}"#,
//! #         };
//! #         http::Response::new(tasklist_transport::Bytes::from_static(body))
//! #     })
//! # }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), tasklist_api::Error> {
//! use tasklist_api::models::TaskState;
//! use tasklist_api::{Client, Variables};
//!
//! // In a real program: HttpTransport::builder().build()?.with_authenticator(..).into_shared()
//! let client = Client::new("http://localhost:8080", transport())?;
//!
//! let open = client
//!     .tasks()
//!     .search()
//!     .state(TaskState::Created)
//!     .include_variable("amount")
//!     .await?;
//! let task = &open[0];
//! let amount: f64 = task.variables.as_deref().unwrap_or_default()[0].decode()?;
//! let id = task.id.clone().unwrap();
//!
//! client.tasks().assign(&id).assignee("demo").await?;
//! let done = client
//!     .tasks()
//!     .complete(&id)
//!     .variables(Variables::new().with("approved", &(amount < 5000.0))?)
//!     .await?;
//! assert_eq!(done.task_state, Some(TaskState::Completed));
//! # Ok(())
//! # }
//! ```
//!
//! # What is here
//!
//! - [`Client`]: [`tasks`](Client::tasks) (search with a method per filter, get, assign,
//!   unassign, complete, draft variables, a task's variables), [`variables`](Client::variables),
//!   [`forms`](Client::forms), and [`graphql`](Client::graphql) for servers before 8.8. Every
//!   call is a builder that can be `.await`ed directly or sent with `.send()`; the futures
//!   are `Send + 'static`. The API's documented rules (one search cursor, variable names or
//!   includes but not both, priorities in 0..=100, ids that stay one path segment) are checked
//!   before anything is sent.
//! - [`SearchTasks::into_stream`]: every matching task, following `sortValues` page by page,
//!   forward or backward, one page in memory at a time, ending with an error rather than
//!   looping when a server repeats a page, and after [`DEFAULT_MAX_PAGES`] pages unless told
//!   otherwise ([`TaskStream`]).
//! - [`Variables`] to send any `Serialize` value, and `decode` methods (plus [`decode_all`]) to
//!   read variables back into any `DeserializeOwned` type, with truncated values made visible
//!   ([`ValueState`]).
//! - [`Error`]: one error type that tells transport, authentication, CSRF, not-found, refused
//!   and server failures apart and keeps the server's message ([`ApiError`]).
//! - [`models`]: the request and response types, generated from the vendored OpenAPI spec.
//!
//! # Layout
//!
//! Each API version is a module of its own: [`v1`] is Tasklist's REST API v1 (Camunda 8.7 and
//! older; deprecated in 8.8 and 8.9, removed in 8.10), and [`v2`] the user-task API of the
//! Orchestration Cluster REST API (Camunda 8.8 and later: [`Client::user_tasks`], with
//! cursor paging, typed problem details, `504` on a command as
//! [`Error::OutcomeUnknown`], and a bounded [`wait_for`](v2::UserTasksApi::wait_for) for its
//! eventually consistent reads). The parts every version shares are at
//! the root: [`Client`], [`Error`], [`Variables`] and [`ValueState`], [`Timestamp`]. The v1
//! items are also re-exported at the root under the paths they had before (`TasksApi`,
//! `models::Task`, ...), so code written before the v2 API keeps compiling.
//!
//! Searches and GETs are marked idempotent for the transport's retry policy; assign, unassign,
//! complete, saving drafts and GraphQL are marked not idempotent, so a retrying transport
//! never repeats them once they may have reached the server.

pub mod human;
pub mod v1;
pub mod v2;

mod api;
mod client;
mod entry;
mod error;
mod pager;
#[cfg(test)]
mod testing;
mod timestamp;
mod variables;
mod version;
mod wire;

pub use crate::api::Api;
pub use crate::client::{Client, ClientBuilder, ResponseFuture};
pub use crate::error::{ApiError, BodyFormat, Error, MAX_EXCERPT_BYTES, ProblemCode};
pub use crate::timestamp::{Timestamp, TimestampError};
pub use crate::variables::{ValueState, Variables};
pub use crate::version::{ApiVersion, DetectedApi};

// The v1 API under the paths it had before the crate was laid out by API version.
pub use crate::v1::models;
pub use crate::v1::{
    AssignTask, CompleteTask, Cursor, DEFAULT_MAX_PAGES, DEFAULT_PAGE_SIZE, FormsApi, GetForm,
    GetTask, GetVariable, GraphQlError, GraphQlLocation, GraphQlRequest, SaveDraftVariables,
    SearchTaskVariables, SearchTasks, TaskStream, TaskVariablesApi, TasksApi, UnassignTask,
    VariablesApi, decode_all,
};
pub use jiff;
// What a caller needs to hand the client a transport, without depending on the transport
// crate by name.
pub use tasklist_transport::{self as transport, SharedTransport, Transport};
