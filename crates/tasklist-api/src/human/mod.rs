//! One task interface over both task APIs: Tasklist's REST API v1 (Camunda 8.7 and older, and
//! 8.8/8.9 when pinned) and the user-task API v2 (8.8 and later).
//!
//! [`HumanTasks`] (from [`Client::human_tasks`]) does the common work (find, claim, fill in,
//! complete, read variables and forms) on whichever API the client uses
//! ([`Client::api`]: pinned, or asked of the server once), and answers in version-neutral
//! types: [`Task`], [`TaskState`], [`TaskVariable`], [`TaskForm`]. Each keeps the answer it
//! is a view of ([`Task::raw`]), which holds what the accessors do not show; the typed APIs
//! ([`Client::tasks`] for v1, [`Client::user_tasks`] for v2) stay there for everything else.
//!
//! What one API lacks fails with [`Error::Unsupported`], never silently: draft variables on
//! v2; update and history on v1 (and history on 8.8). The differences a caller could notice
//! are hidden where they can be and documented on the method where they cannot:
//!
//! | | v1 | v2 | here |
//! |---|---|---|---|
//! | assigning a task assigned to someone else | refused unless `allowOverrideAssignment` | taken over unless `allowOverride: false` | refused unless [`Assign::allow_override`]; the flag is sent explicitly on both |
//! | reads after a command | show it | lag behind (eventually consistent) | [`Assign::wait`], [`Unassign::wait`], [`Complete::wait`] wait, bounded, on v2 |
//! | long variable values | cut in searches | cut unless `truncateValues=false` | always whole |
//! | errors | `{status, message}` | RFC 9457 problems | one [`Error`]; a refused command is `InvalidRequest` on v1 and `InvalidState` on v2 |
//! | completing an unassigned task | refused | allowed | as the server does |
//! | a user assigning someone else | refused (`403`) | allowed | as the server does ([`Error::Forbidden`] on v1) |
//!
//! ```
//! # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
//! use tasklist_api::Variables;
//! use tasklist_api::human::TaskState;
//!
//! let tasks = client.human_tasks();
//! let open = tasks.search().state(TaskState::Created).candidate_group("accounting").send().await?;
//! for task in open {
//!     tasks.assign(task.key(), "demo").send().await?;
//!     let amount: f64 = tasks
//!         .variables(task.key())
//!         .await?
//!         .iter()
//!         .find(|v| v.name == "amount")
//!         .map(|v| v.decode())
//!         .transpose()?
//!         .unwrap_or_default();
//!     let approved = Variables::new().with("approved", &(amount < 5000.0))?;
//!     tasks.complete(task.key()).variables(approved).send().await?;
//! }
//! # Ok(())
//! # }
//! ```

mod calls;
mod search;
mod task;

pub use calls::{Assign, Complete, HumanTasks, TaskForm, Unassign, Update};
pub use search::{Search, SortField};
pub use task::{FormRef, RawTask, Task, TaskState, TaskVariable};

#[cfg(doc)]
use crate::{Client, Error};

#[cfg(test)]
mod tests;
