//! The user-task calls of API v2: search, get, update, assign, unassign, complete, form, and
//! the searches of a task's variables, effective variables and audit log.
//!
//! [`UserTasksApi`] and the key argument are here; the builders are in `search` (the task
//! search), `commands` (update, assign, unassign, complete) and `reads` (get, form, the
//! variable and audit log searches).

mod commands;
mod reads;
mod search;
mod shared;

pub use commands::{AssignUserTask, CompleteUserTask, UnassignUserTask, UpdateUserTask};
pub use reads::{
    GetUserTask, GetUserTaskForm, SearchEffectiveVariables, SearchUserTaskAuditLogs,
    SearchUserTaskVariables,
};
pub use search::SearchUserTasks;
pub(crate) use shared::search_call;

use crate::client::Client;
use crate::v2::models::{
    KeyError, UserTaskAuditLogSearchQuery, UserTaskEffectiveVariableSearchQuery, UserTaskKey,
    UserTaskSearchQuery, UserTaskUpdateRequest, UserTaskVariableSearchQuery,
};
use crate::v2::wait::WaitFor;

/// Something that names a user task: a [`UserTaskKey`], or its decimal text or number.
///
/// Text is checked when the call is sent: a key that is not 1 to 25 characters of an
/// optional `-` and digits fails that call with
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument), and nothing is sent.
///
/// ```
/// use tasklist_api::v2::IntoUserTaskKey;
/// use tasklist_api::v2::models::UserTaskKey;
///
/// assert_eq!("2251799813685281".into_user_task_key()?, UserTaskKey::new("2251799813685281")?);
/// assert_eq!(2251799813685281_i64.into_user_task_key()?.as_str(), "2251799813685281");
/// assert!("../admin".into_user_task_key().is_err());
/// # Ok::<(), tasklist_api::v2::models::KeyError>(())
/// ```
pub trait IntoUserTaskKey {
    /// The key, or why the value is none.
    ///
    /// # Errors
    ///
    /// [`KeyError`] when the text is not a key.
    ///
    /// ```
    /// use tasklist_api::v2::IntoUserTaskKey;
    /// assert!(String::from("12").into_user_task_key().is_ok());
    /// ```
    fn into_user_task_key(self) -> Result<UserTaskKey, KeyError>;
}

impl IntoUserTaskKey for UserTaskKey {
    fn into_user_task_key(self) -> Result<UserTaskKey, KeyError> {
        Ok(self)
    }
}

impl IntoUserTaskKey for &UserTaskKey {
    fn into_user_task_key(self) -> Result<UserTaskKey, KeyError> {
        Ok(self.clone())
    }
}

impl IntoUserTaskKey for &str {
    fn into_user_task_key(self) -> Result<UserTaskKey, KeyError> {
        UserTaskKey::new(self)
    }
}

impl IntoUserTaskKey for String {
    fn into_user_task_key(self) -> Result<UserTaskKey, KeyError> {
        UserTaskKey::new(self)
    }
}

impl IntoUserTaskKey for &String {
    fn into_user_task_key(self) -> Result<UserTaskKey, KeyError> {
        UserTaskKey::new(self.as_str())
    }
}

impl IntoUserTaskKey for i64 {
    fn into_user_task_key(self) -> Result<UserTaskKey, KeyError> {
        Ok(UserTaskKey::from(self))
    }
}

/// The user-task calls of API v2 (Camunda 8.8, 8.9 and 8.10), from
/// [`Client::user_tasks`].
///
/// Reads (searches, get, form) are **eventually consistent**: they may not show a command's
/// effect at once. [`wait_for`](Self::wait_for) waits, bounded, until they do. Searches and
/// reads are marked idempotent for the transport's retries; commands are not, and a `504` on
/// a command is [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown), never repeated.
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// use tasklist_api::Variables;
/// use tasklist_api::v2::models::UserTaskState;
///
/// let tasks = client.user_tasks();
/// let page = tasks.search().state(UserTaskState::Created).candidate_group("accounting").await?;
/// for task in &page.items {
///     let Some(key) = &task.user_task_key else { continue };
///     tasks.assign(key, "demo").await?;
///     tasks.complete(key).variables(Variables::new().with("approved", &true)?).await?;
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct UserTasksApi<'a> {
    client: &'a Client,
}

impl<'a> UserTasksApi<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        UserTasksApi { client }
    }

    /// Searches user tasks (`POST /v2/user-tasks/search`); set the filter, sort and page on
    /// the builder. Without a filter it finds every task the caller may read.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use tasklist_api::v2::models::{UserTaskSortField, UserTaskState};
    ///
    /// let page = client
    ///     .user_tasks()
    ///     .search()
    ///     .state(UserTaskState::Created)
    ///     .assignee("demo")
    ///     .sort_desc(UserTaskSortField::CreationDate)
    ///     .limit(20)
    ///     .await?;
    /// println!("{} of {:?}", page.items.len(), page.page.total_items);
    /// # Ok(())
    /// # }
    /// ```
    pub fn search(&self) -> SearchUserTasks {
        self.search_with(UserTaskSearchQuery::default())
    }

    /// Searches user tasks with a query built by hand.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use tasklist_api::v2::models::{PageRequest, UserTaskSearchQuery};
    ///
    /// let mut query = UserTaskSearchQuery::default();
    /// query.page = Some(PageRequest::limit(5));
    /// let page = client.user_tasks().search_with(query).await?;
    /// # let _ = page; Ok(())
    /// # }
    /// ```
    pub fn search_with(&self, query: UserTaskSearchQuery) -> SearchUserTasks {
        SearchUserTasks::new(self.client.clone(), query)
    }

    /// Gets one user task (`GET /v2/user-tasks/{userTaskKey}`).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let task = client.user_tasks().get("2251799813685251").await?;
    /// println!("{:?} is {:?}", task.name, task.state);
    /// # Ok(())
    /// # }
    /// ```
    pub fn get(&self, key: impl IntoUserTaskKey) -> GetUserTask {
        GetUserTask::new(self.client.clone(), key.into_user_task_key())
    }

    /// Updates a user task's due date, follow-up date, candidates or priority
    /// (`PATCH /v2/user-tasks/{userTaskKey}`).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// client
    ///     .user_tasks()
    ///     .update("2251799813685251")
    ///     .priority(80)
    ///     .candidate_groups(["accounting"])
    ///     .clear_due_date()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn update(&self, key: impl IntoUserTaskKey) -> UpdateUserTask {
        UpdateUserTask::new(
            self.client.clone(),
            key.into_user_task_key(),
            UserTaskUpdateRequest::default(),
        )
    }

    /// Assigns a user task to `assignee` (`POST /v2/user-tasks/{userTaskKey}/assignment`).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// client.user_tasks().assign("2251799813685251", "demo").allow_override(false).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn assign(&self, key: impl IntoUserTaskKey, assignee: impl Into<String>) -> AssignUserTask {
        AssignUserTask::new(
            self.client.clone(),
            key.into_user_task_key(),
            assignee.into(),
        )
    }

    /// Removes a user task's assignee (`DELETE /v2/user-tasks/{userTaskKey}/assignee`).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// client.user_tasks().unassign("2251799813685251").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn unassign(&self, key: impl IntoUserTaskKey) -> UnassignUserTask {
        UnassignUserTask::new(self.client.clone(), key.into_user_task_key())
    }

    /// Completes a user task, optionally with variables
    /// (`POST /v2/user-tasks/{userTaskKey}/completion`).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use tasklist_api::Variables;
    ///
    /// let variables = Variables::new().with("approved", &true)?.with("amount", &1250.5)?;
    /// client.user_tasks().complete("2251799813685251").variables(variables).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn complete(&self, key: impl IntoUserTaskKey) -> CompleteUserTask {
        CompleteUserTask::new(self.client.clone(), key.into_user_task_key())
    }

    /// Gets the form linked to a user task (`GET /v2/user-tasks/{userTaskKey}/form`):
    /// `None` when the task has none (the server's `204`).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// match client.user_tasks().form("2251799813685251").await? {
    ///     Some(form) => println!("form {:?}", form.form_id),
    ///     None => println!("no linked form"),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn form(&self, key: impl IntoUserTaskKey) -> GetUserTaskForm {
        GetUserTaskForm::new(self.client.clone(), key.into_user_task_key())
    }

    /// Searches the variables visible from a user task, of every scope
    /// (`POST /v2/user-tasks/{userTaskKey}/variables/search`).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let page = client
    ///     .user_tasks()
    ///     .variables("2251799813685251")
    ///     .name("amount")
    ///     .truncate_values(false)
    ///     .await?;
    /// if let Some(amount) = page.items.first() {
    ///     let amount: f64 = amount.decode()?;
    ///     # let _ = amount;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn variables(&self, key: impl IntoUserTaskKey) -> SearchUserTaskVariables {
        SearchUserTaskVariables::new(
            self.client.clone(),
            key.into_user_task_key(),
            UserTaskVariableSearchQuery::default(),
        )
    }

    /// Searches the variables in effect for a user task: one per name, the innermost scope's
    /// (`POST /v2/user-tasks/{userTaskKey}/effective-variables/search`, offset paging only;
    /// newer 8.8 patch releases and 8.9+).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let page = client.user_tasks().effective_variables("2251799813685251").offset(0, 50).await?;
    /// # let _ = page; Ok(())
    /// # }
    /// ```
    pub fn effective_variables(&self, key: impl IntoUserTaskKey) -> SearchEffectiveVariables {
        SearchEffectiveVariables::new(
            self.client.clone(),
            key.into_user_task_key(),
            UserTaskEffectiveVariableSearchQuery::default(),
        )
    }

    /// Searches a user task's audit log
    /// (`POST /v2/user-tasks/{userTaskKey}/audit-logs/search`, Camunda 8.9 and later; 8.8
    /// answers [`Error::NotFound`](crate::Error::NotFound)).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let log = client.user_tasks().audit_logs("2251799813685251").limit(20).await?;
    /// for entry in &log.items {
    ///     println!("{:?} by {:?}", entry.operation_type, entry.actor_id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn audit_logs(&self, key: impl IntoUserTaskKey) -> SearchUserTaskAuditLogs {
        SearchUserTaskAuditLogs::new(
            self.client.clone(),
            key.into_user_task_key(),
            UserTaskAuditLogSearchQuery::default(),
        )
    }

    /// Waits, bounded, until a read of the task shows what a command did (API v2 reads lag
    /// behind commands). See [`WaitFor`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use std::time::Duration;
    /// use tasklist_api::v2::models::UserTaskState;
    ///
    /// let tasks = client.user_tasks();
    /// tasks.complete("2251799813685251").await?;
    /// let task = tasks
    ///     .wait_for("2251799813685251")
    ///     .state(UserTaskState::Completed)
    ///     .timeout(Duration::from_secs(30))
    ///     .await?;
    /// # let _ = task; Ok(())
    /// # }
    /// ```
    pub fn wait_for(&self, key: impl IntoUserTaskKey) -> WaitFor {
        WaitFor::new(self.client.clone(), key.into_user_task_key())
    }
}
