//! The calls of the common task interface, each sent to the API the client uses.

use std::time::Duration;

use futures::TryStreamExt;

use super::search::Search;
use super::task::{Task, TaskVariable};
use crate::api::Api;
use crate::client::Client;
use crate::error::Error;
use crate::timestamp::Timestamp;
use crate::v1::models::TaskVariable as V1Variable;
use crate::v2::models::{AuditLog, UserTaskKey, UserTaskState};
use crate::variables::{ValueState, Variables};

/// The user task key of `key`, for a v2 call.
fn v2_key(key: &str) -> Result<UserTaskKey, Error> {
    UserTaskKey::new(key).map_err(|e| Error::invalid(format!("the task key is not usable: {e}")))
}

/// The API the client uses: known at once when pinned or found out before.
pub(super) async fn api(client: &Client) -> Result<Api, Error> {
    match client.known_api() {
        Some(api) => Ok(api),
        None => Ok(client.api().await?.api),
    }
}

/// The common task calls, from [`Client::human_tasks`]; see [the module](super).
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let task = client.human_tasks().get("2251799813685251").await?;
/// println!("{} is {}", task.key(), task.state());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct HumanTasks {
    client: Client,
}

impl HumanTasks {
    pub(crate) fn new(client: Client) -> Self {
        HumanTasks { client }
    }

    /// Searches tasks; see [`Search`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let mine = client.human_tasks().search().assignee("demo").send().await?;
    /// # let _ = mine; Ok(())
    /// # }
    /// ```
    pub fn search(&self) -> Search {
        Search::new(self.client.clone())
    }

    /// Gets one task.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when there is no such task (on v2 also while a task just created
    /// is not visible yet); otherwise as any call.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let task = client.human_tasks().get("2251799813685251").await?;
    /// # let _ = task; Ok(())
    /// # }
    /// ```
    pub fn get(&self, key: &str) -> crate::ResponseFuture<Task> {
        let client = self.client.clone();
        let key = key.to_owned();
        Box::pin(async move {
            match api(&client).await? {
                Api::V1 => client.tasks().get(key).await.map(Task::from_v1),
                _ => {
                    let key = v2_key(&key)?;
                    client.user_tasks().get(key).await.map(Task::from_v2)
                }
            }
        })
    }

    /// Assigns a task to `assignee`; see [`Assign`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// client.human_tasks().assign("2251799813685251", "demo").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn assign(&self, key: &str, assignee: impl Into<String>) -> Assign {
        Assign {
            client: self.client.clone(),
            key: key.to_owned(),
            assignee: assignee.into(),
            allow_override: false,
            wait: None,
        }
    }

    /// Removes a task's assignee; see [`Unassign`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// client.human_tasks().unassign("2251799813685251").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn unassign(&self, key: &str) -> Unassign {
        Unassign {
            client: self.client.clone(),
            key: key.to_owned(),
            wait: None,
        }
    }

    /// Completes a task; see [`Complete`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use tasklist_api::Variables;
    /// let done = Variables::new().with("approved", &true)?;
    /// client.human_tasks().complete("2251799813685251").variables(done).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn complete(&self, key: &str) -> Complete {
        Complete {
            client: self.client.clone(),
            key: key.to_owned(),
            variables: None,
            wait: None,
        }
    }

    /// Updates a task's dates, candidates or priority (API v2 only); see [`Update`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// client.human_tasks().update("2251799813685251").priority(80).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn update(&self, key: &str) -> Update {
        Update {
            client: self.client.clone(),
            key: key.to_owned(),
            due_date: None,
            follow_up_date: None,
            candidate_groups: None,
            candidate_users: None,
            priority: None,
            wait: None,
        }
    }

    /// Every variable visible from a task, each with its whole value: values that a search
    /// cuts are fetched whole (v1: one more request per cut value; v2: searched with
    /// `truncateValues=false`).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when there is no such task; otherwise as any call.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// for variable in client.human_tasks().variables("2251799813685251").await? {
    ///     println!("{} = {}", variable.name, variable.value);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn variables(&self, key: &str) -> crate::ResponseFuture<Vec<TaskVariable>> {
        let client = self.client.clone();
        let key = key.to_owned();
        Box::pin(async move {
            match api(&client).await? {
                Api::V1 => {
                    let found = client.tasks().variables(key).search().await?;
                    let mut whole = Vec::with_capacity(found.len());
                    for variable in &found {
                        whole.push(v1_whole(&client, variable).await?);
                    }
                    Ok(whole)
                }
                _ => {
                    let key = v2_key(&key)?;
                    let found: Vec<_> = client
                        .user_tasks()
                        .variables(key)
                        .truncate_values(false)
                        .into_stream()
                        .try_collect()
                        .await?;
                    found.iter().map(TaskVariable::from_v2).collect()
                }
            }
        })
    }

    /// One variable with its whole value, by its id: on v1 the variable id
    /// (`GET /v1/variables/{variableId}`, such as `2251799813685251-amount`), on v2 the variable
    /// key (`GET /v2/variables/{variableKey}`, a number such as `2251799813683287`). Each API has
    /// its own id for a variable and takes only its own: the id a variable search of that API
    /// gives (the `id` of [`TaskVariablesApi`](crate::TaskVariablesApi)'s results, the
    /// `variableKey` of [`UserTasksApi::variables`](crate::v2::UserTasksApi::variables)'s), as
    /// `tasklist tasks variables` shows it.
    ///
    /// The value is never cut, however long. v1 answers a variable's draft too, which is left
    /// out here (see [`Client::variables`] for it); a v1 answer without a value reads as
    /// `null`. On v2 the read is **eventually consistent**: a variable that a command just set
    /// may not be visible, or may show its old value, for a moment.
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidArgument`] when `id` cannot be an id of the API (empty on v1, not a
    ///   decimal key on v2); nothing is sent for the variable.
    /// - [`Error::NotFound`] when there is no such variable (on v2 also while it is not
    ///   visible yet).
    /// - Otherwise as any call.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let amount = client.human_tasks().variable("2251799813683287").await?;
    /// println!("{} = {}", amount.name, amount.value);
    /// let amount: f64 = amount.decode()?;
    /// # let _ = amount; Ok(())
    /// # }
    /// ```
    pub fn variable(&self, id: &str) -> crate::ResponseFuture<TaskVariable> {
        let client = self.client.clone();
        let id = id.to_owned();
        Box::pin(async move {
            match api(&client).await? {
                Api::V1 => client
                    .variables()
                    .get(id)
                    .await
                    .map(TaskVariable::from_v1_whole),
                _ => client
                    .v2_variables()
                    .get(id)
                    .await
                    .map(TaskVariable::from_v2_whole),
            }
        })
    }

    /// The form linked to a task, or `None` when it has none.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when there is no such task (or, on v1, its form is gone);
    /// otherwise as any call.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// if let Some(form) = client.human_tasks().form("2251799813685251").await? {
    ///     println!("{}", form.schema.unwrap_or_default());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn form(&self, key: &str) -> crate::ResponseFuture<Option<TaskForm>> {
        let client = self.client.clone();
        let key = key.to_owned();
        Box::pin(async move {
            match api(&client).await? {
                Api::V1 => {
                    let task = client.tasks().get(key).await.map(Task::from_v1)?;
                    let (Some(form), Some(process)) = (task.form(), task.process_definition_key())
                    else {
                        return Ok(None);
                    };
                    let Some(id) = form.id else { return Ok(None) };
                    let mut call = client.forms().get(id, process.to_owned());
                    if let Some(version) = form.version {
                        call = call.version(version);
                    }
                    let form = call.await?;
                    Ok(Some(TaskForm {
                        id: form.id.map(|id| id.as_str().to_owned()),
                        version: form.version,
                        schema: form.schema,
                    }))
                }
                _ => {
                    let form = client.user_tasks().form(v2_key(&key)?).await?;
                    Ok(form.map(|form| TaskForm {
                        id: form.form_id,
                        version: form.version,
                        schema: form.schema,
                    }))
                }
            }
        })
    }

    /// A task's history: its audit log (API v2 on Camunda 8.9 and later).
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] on v1 and on Camunda 8.8; otherwise as any call.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// for entry in client.human_tasks().history("2251799813685251").await? {
    ///     println!("{:?} {:?}", entry.timestamp, entry.operation_type);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn history(&self, key: &str) -> crate::ResponseFuture<Vec<AuditLog>> {
        let client = self.client.clone();
        let key = key.to_owned();
        Box::pin(async move {
            let detected = client.api().await?;
            let on_8_8 = detected
                .gateway_version
                .as_deref()
                .is_some_and(|v| v.starts_with("8.8."));
            if detected.api == Api::V1 || on_8_8 {
                return Err(Error::Unsupported {
                    feature: "task history (the audit log)",
                    api: detected.api,
                    hint: "it needs API v2 on Camunda 8.9 or later",
                });
            }
            client
                .user_tasks()
                .audit_logs(v2_key(&key)?)
                .into_stream()
                .try_collect()
                .await
        })
    }

    /// Saves draft variables of a task (API v1 only: v2 has no drafts).
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] on v2; otherwise as any call.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use tasklist_api::Variables;
    /// let draft = Variables::new().with("note", "half done")?;
    /// client.human_tasks().save_draft_variables("2251799813685251", draft).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn save_draft_variables(
        &self,
        key: &str,
        variables: Variables,
    ) -> crate::ResponseFuture<()> {
        let client = self.client.clone();
        let key = key.to_owned();
        Box::pin(async move {
            match api(&client).await? {
                Api::V1 => client.tasks().save_draft_variables(key, variables).await,
                other => Err(Error::Unsupported {
                    feature: "draft variables",
                    api: other,
                    hint: "API v2 has no drafts; keep them in your application",
                }),
            }
        })
    }
}

/// A v1 task variable with its whole value, fetched when the search cut it.
async fn v1_whole(client: &Client, variable: &V1Variable) -> Result<TaskVariable, Error> {
    if let ValueState::Truncated { .. } = variable.value_state() {
        let whole = client.variables().full_value(variable).await?;
        return Ok(TaskVariable::from_v1_whole(whole));
    }
    TaskVariable::from_v1_included(variable)
}

/// Waits on v2, after a command, until reads show it.
async fn settle(
    client: &Client,
    key: &str,
    wait: Option<Duration>,
    done: impl Fn(&crate::v2::models::UserTask) -> bool + Send + Sync + 'static,
) -> Result<Option<Task>, Error> {
    let Some(timeout) = wait else { return Ok(None) };
    client
        .user_tasks()
        .wait_for(v2_key(key)?)
        .until(done)
        .timeout(timeout)
        .await
        .map(|task| Some(Task::from_v2(task)))
}

/// Whether a read date-time is the instant that was set (a server may write it in another
/// offset or precision).
fn same_instant(read: Option<&Timestamp>, set: &Timestamp) -> bool {
    read.is_some_and(|read| {
        read == set || matches!((read.to_jiff(), set.to_jiff()), (Ok(x), Ok(y)) if x == y)
    })
}

/// Whether the read names are the set ones, in any order.
fn same_set(read: Option<&[String]>, set: &[String]) -> bool {
    let mut read = read.unwrap_or_default().to_vec();
    let mut set = set.to_vec();
    read.sort();
    set.sort();
    read == set
}

/// An assignment, from [`HumanTasks::assign`].
///
/// A task assigned to someone else is **not** taken over unless
/// [`allow_override`](Self::allow_override) says so; the choice is sent explicitly on both
/// APIs (their defaults differ: v1 refuses, v2 takes over). A refused assignment is
/// [`Error::InvalidRequest`] on v1 and [`Error::InvalidState`] on v2. v1 also lets a user
/// (a cookie session or Basic, not an API client) assign a task to themselves only: another
/// assignee is [`Error::Forbidden`] there.
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// use std::time::Duration;
/// client
///     .human_tasks()
///     .assign("2251799813685251", "demo")
///     .allow_override(true)
///     .wait(Duration::from_secs(10))
///     .send()
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct Assign {
    client: Client,
    key: String,
    assignee: String,
    allow_override: bool,
    wait: Option<Duration>,
}

impl Assign {
    /// Whether a task assigned to someone else is taken over (default: no).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let take = client.human_tasks().assign("1", "demo").allow_override(true);
    /// # let _ = take;
    /// # }
    /// ```
    pub fn allow_override(mut self, allow: bool) -> Self {
        self.allow_override = allow;
        self
    }

    /// On v2, waits up to `timeout` after the assignment until reads show it
    /// ([`Error::ConsistencyTimeout`] otherwise); v1 reads show it at once.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let assign = client.human_tasks().assign("1", "demo").wait(std::time::Duration::from_secs(5));
    /// # let _ = assign;
    /// # }
    /// ```
    pub fn wait(mut self, timeout: Duration) -> Self {
        self.wait = Some(timeout);
        self
    }

    /// Sends the assignment.
    ///
    /// Answers the task as it stands after the change when the server reported it: v1
    /// answers every change with the task; v2 answers with nothing, so there the task is the
    /// read that showed the change when [`wait`](Self::wait) was set, and `None` otherwise
    /// (v2 reads are eventually consistent: a read made at once may not show it yet).
    ///
    /// # Errors
    ///
    /// As the API's own call: [`Error::OutcomeUnknown`] for a v2 `504`, a refusal as above,
    /// [`Error::NotFound`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// if let Some(task) = client.human_tasks().assign("1", "demo").send().await? {
    ///     println!("{} is assigned to {:?}", task.key(), task.assignee());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Option<Task>> {
        Box::pin(async move {
            match api(&self.client).await? {
                Api::V1 => self
                    .client
                    .tasks()
                    .assign(self.key)
                    .assignee(self.assignee)
                    .allow_override(self.allow_override)
                    .await
                    .map(|task| Some(Task::from_v1(task))),
                _ => {
                    self.client
                        .user_tasks()
                        .assign(v2_key(&self.key)?, self.assignee.clone())
                        .allow_override(self.allow_override)
                        .await?;
                    let assignee = self.assignee;
                    settle(&self.client, &self.key, self.wait, move |task| {
                        task.assignee.as_deref() == Some(assignee.as_str())
                    })
                    .await
                }
            }
        })
    }
}

/// An unassignment, from [`HumanTasks::unassign`].
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// client.human_tasks().unassign("2251799813685251").send().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct Unassign {
    client: Client,
    key: String,
    wait: Option<Duration>,
}

impl Unassign {
    /// On v2, waits up to `timeout` until reads show the task unassigned.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let unassign = client.human_tasks().unassign("1").wait(std::time::Duration::from_secs(5));
    /// # let _ = unassign;
    /// # }
    /// ```
    pub fn wait(mut self, timeout: Duration) -> Self {
        self.wait = Some(timeout);
        self
    }

    /// Sends the unassignment.
    ///
    /// Answers the task as it stands after the change when the server reported it: v1
    /// answers every change with the task; v2 answers with nothing, so there the task is the
    /// read that showed the change when [`wait`](Self::wait) was set, and `None` otherwise
    /// (v2 reads are eventually consistent: a read made at once may not show it yet).
    ///
    /// # Errors
    ///
    /// As the API's own call.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// client.human_tasks().unassign("1").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Option<Task>> {
        Box::pin(async move {
            match api(&self.client).await? {
                Api::V1 => self
                    .client
                    .tasks()
                    .unassign(self.key)
                    .await
                    .map(|task| Some(Task::from_v1(task))),
                _ => {
                    self.client
                        .user_tasks()
                        .unassign(v2_key(&self.key)?)
                        .await?;
                    settle(&self.client, &self.key, self.wait, |task| {
                        task.assignee.is_none()
                    })
                    .await
                }
            }
        })
    }
}

/// A completion, from [`HumanTasks::complete`].
///
/// v1 completes only a task assigned to the caller; v2 completes any task the caller may
/// work on.
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// use tasklist_api::Variables;
/// client
///     .human_tasks()
///     .complete("2251799813685251")
///     .variables(Variables::new().with("approved", &true)?)
///     .send()
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct Complete {
    client: Client,
    key: String,
    variables: Option<Variables>,
    wait: Option<Duration>,
}

impl Complete {
    /// The variables to set on completion.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use tasklist_api::Variables;
    /// let done = client.human_tasks().complete("1").variables(Variables::new().with("ok", &true)?);
    /// # let _ = done; Ok(())
    /// # }
    /// ```
    pub fn variables(mut self, variables: Variables) -> Self {
        self.variables = Some(variables);
        self
    }

    /// On v2, waits up to `timeout` until reads show the task completed.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let done = client.human_tasks().complete("1").wait(std::time::Duration::from_secs(5));
    /// # let _ = done;
    /// # }
    /// ```
    pub fn wait(mut self, timeout: Duration) -> Self {
        self.wait = Some(timeout);
        self
    }

    /// Sends the completion.
    ///
    /// Answers the task as it stands after the change when the server reported it: v1
    /// answers every change with the task; v2 answers with nothing, so there the task is the
    /// read that showed the change when [`wait`](Self::wait) was set, and `None` otherwise
    /// (v2 reads are eventually consistent: a read made at once may not show it yet).
    ///
    /// # Errors
    ///
    /// As the API's own call: [`Error::OutcomeUnknown`] for a v2 `504` (never repeated).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// client.human_tasks().complete("1").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Option<Task>> {
        Box::pin(async move {
            match api(&self.client).await? {
                Api::V1 => {
                    let mut call = self.client.tasks().complete(self.key);
                    if let Some(variables) = self.variables {
                        call = call.variables(variables);
                    }
                    call.await.map(|task| Some(Task::from_v1(task)))
                }
                _ => {
                    let mut call = self.client.user_tasks().complete(v2_key(&self.key)?);
                    if let Some(variables) = self.variables {
                        call = call.variables(variables);
                    }
                    call.await?;
                    settle(&self.client, &self.key, self.wait, |task| {
                        task.state == Some(UserTaskState::Completed)
                    })
                    .await
                }
            }
        })
    }
}

/// An update of a task's dates, candidates or priority (API v2 only), from
/// [`HumanTasks::update`]. What is not set is left as it is.
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let due: tasklist_api::Timestamp = "2026-12-24T12:00:00Z".parse()?;
/// client.human_tasks().update("1").due_date(due).candidate_groups(["sales"]).send().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct Update {
    client: Client,
    key: String,
    due_date: Option<Timestamp>,
    follow_up_date: Option<Timestamp>,
    candidate_groups: Option<Vec<String>>,
    candidate_users: Option<Vec<String>>,
    priority: Option<i32>,
    wait: Option<Duration>,
}

impl Update {
    /// Sets the due date.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let update = client.human_tasks().update("1").due_date("2026-12-24T12:00:00Z".parse()?);
    /// # let _ = update; Ok(())
    /// # }
    /// ```
    pub fn due_date(mut self, due: Timestamp) -> Self {
        self.due_date = Some(due);
        self
    }

    /// Sets the follow-up date.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let update = client.human_tasks().update("1").follow_up_date("2026-12-20T09:00:00Z".parse()?);
    /// # let _ = update; Ok(())
    /// # }
    /// ```
    pub fn follow_up_date(mut self, follow_up: Timestamp) -> Self {
        self.follow_up_date = Some(follow_up);
        self
    }

    /// Replaces the candidate groups.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let update = client.human_tasks().update("1").candidate_groups(["sales"]);
    /// # let _ = update;
    /// # }
    /// ```
    pub fn candidate_groups<S: Into<String>>(
        mut self,
        groups: impl IntoIterator<Item = S>,
    ) -> Self {
        self.candidate_groups = Some(groups.into_iter().map(Into::into).collect());
        self
    }

    /// Replaces the candidate users.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let update = client.human_tasks().update("1").candidate_users(["demo"]);
    /// # let _ = update;
    /// # }
    /// ```
    pub fn candidate_users<S: Into<String>>(mut self, users: impl IntoIterator<Item = S>) -> Self {
        self.candidate_users = Some(users.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the priority (0 to 100).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let update = client.human_tasks().update("1").priority(75);
    /// # let _ = update;
    /// # }
    /// ```
    pub fn priority(mut self, priority: i32) -> Self {
        self.priority = Some(priority);
        self
    }

    /// Waits up to `timeout` after the update until reads show every field it set (dates
    /// compared as instants, candidates as sets).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let update = client.human_tasks().update("1").priority(75).wait(std::time::Duration::from_secs(5));
    /// # let _ = update;
    /// # }
    /// ```
    pub fn wait(mut self, timeout: Duration) -> Self {
        self.wait = Some(timeout);
        self
    }

    /// Sends the update.
    ///
    /// Answers the task as it stands after the change when the server reported it: v1
    /// answers every change with the task; v2 answers with nothing, so there the task is the
    /// read that showed the change when [`wait`](Self::wait) was set, and `None` otherwise
    /// (v2 reads are eventually consistent: a read made at once may not show it yet).
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] on v1; otherwise as
    /// [`UpdateUserTask::send`](crate::v2::UpdateUserTask::send).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// client.human_tasks().update("1").priority(1).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Option<Task>> {
        Box::pin(async move {
            let api = api(&self.client).await?;
            if api == Api::V1 {
                return Err(Error::Unsupported {
                    feature: "updating a task",
                    api,
                    hint: "it needs API v2 (Camunda 8.8 or later)",
                });
            }
            let mut call = self.client.user_tasks().update(v2_key(&self.key)?);
            if let Some(due) = &self.due_date {
                call = call.due_date(due.clone());
            }
            if let Some(follow_up) = &self.follow_up_date {
                call = call.follow_up_date(follow_up.clone());
            }
            if let Some(groups) = &self.candidate_groups {
                call = call.candidate_groups(groups.clone());
            }
            if let Some(users) = &self.candidate_users {
                call = call.candidate_users(users.clone());
            }
            if let Some(priority) = self.priority {
                call = call.priority(priority);
            }
            call.await?;
            let Update {
                client,
                key,
                due_date,
                follow_up_date,
                candidate_groups,
                candidate_users,
                priority,
                wait,
            } = self;
            settle(&client, &key, wait, move |task| {
                due_date
                    .as_ref()
                    .is_none_or(|d| same_instant(task.due_date.as_ref(), d))
                    && follow_up_date
                        .as_ref()
                        .is_none_or(|f| same_instant(task.follow_up_date.as_ref(), f))
                    && candidate_groups
                        .as_ref()
                        .is_none_or(|g| same_set(task.candidate_groups.as_deref(), g))
                    && candidate_users
                        .as_ref()
                        .is_none_or(|u| same_set(task.candidate_users.as_deref(), u))
                    && priority.is_none_or(|p| task.priority == Some(p))
            })
            .await
        })
    }
}

/// A task's form, whichever API it came from.
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// if let Some(form) = client.human_tasks().form("1").await? {
///     println!("{:?} v{:?}", form.id, form.version);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TaskForm {
    /// The form id.
    pub id: Option<String>,
    /// The deployed form's version, when it has one.
    pub version: Option<i64>,
    /// The form's schema (form-js JSON, as text).
    pub schema: Option<String>,
}
