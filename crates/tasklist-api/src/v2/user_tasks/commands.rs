//! The commands on a user task: update, assign, unassign, complete. None is idempotent, and a
//! `504` on any is [`Error::OutcomeUnknown`].

use http::{Method, StatusCode};
use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::value::RawValue;
use tasklist_transport::Idempotency;

use super::shared::{KeyArg, checked, task_path};
use crate::client::{ACCEPT_ANY, Call, Client, into_future};
use crate::error::Error;
use crate::v2::models::{Changeset, Patch, Timestamp, UserTaskKey, UserTaskUpdateRequest};
use crate::variables::Variables;

/// The command `name` on the task `key`: `method` to the task's path followed by `rest`, with
/// `body` as JSON. Not idempotent; a `504` becomes [`Error::OutcomeUnknown`].
async fn command<B: Serialize>(
    client: &Client,
    key: &UserTaskKey,
    name: &'static str,
    (method, rest): (Method, &[&str]),
    body: Option<B>,
) -> Result<(), Error> {
    let path = task_path(key, rest)?.build();
    let mut call = Call::new(method, path, Idempotency::NotIdempotent).accept(ACCEPT_ANY);
    if let Some(body) = body {
        call = call.json_body(&body)?;
    }
    match client.execute(call).await {
        Ok(_) => Ok(()),
        Err(Error::Server(api)) if api.status() == StatusCode::GATEWAY_TIMEOUT => {
            Err(Error::OutcomeUnknown {
                command: name,
                task: key.as_str().to_owned(),
                status: api.status(),
                api,
            })
        }
        Err(other) => Err(other),
    }
}

/// An update of a user task, from [`UserTasksApi::update`](super::UserTasksApi::update): set
/// what changes.
///
/// Attributes left alone are not sent and stay as they are; the `clear_` methods send the
/// API's "clear" value (an empty string or list).
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let due: tasklist_api::Timestamp = "2026-12-24T12:00:00Z".parse()?;
/// client.user_tasks().update("2251799813685251").due_date(due).clear_follow_up_date().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct UpdateUserTask {
    client: Client,
    key: KeyArg,
    body: UserTaskUpdateRequest,
}

impl UpdateUserTask {
    pub(super) fn new(client: Client, key: KeyArg, body: UserTaskUpdateRequest) -> Self {
        UpdateUserTask { client, key, body }
    }

    fn changeset(&mut self) -> &mut Changeset {
        self.body.changeset.get_or_insert_with(Changeset::default)
    }

    /// Sets the due date.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let update = client.user_tasks().update("1").due_date("2026-12-24T12:00:00Z".parse()?);
    /// # let _ = update; Ok(())
    /// # }
    /// ```
    pub fn due_date(mut self, due: Timestamp) -> Self {
        self.changeset().due_date = Some(Patch::Set(due));
        self
    }

    /// Removes the due date.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let update = client.user_tasks().update("1").clear_due_date();
    /// # let _ = update;
    /// # }
    /// ```
    pub fn clear_due_date(mut self) -> Self {
        self.changeset().due_date = Some(Patch::Clear);
        self
    }

    /// Sets the follow-up date.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let update = client.user_tasks().update("1").follow_up_date("2026-12-20T09:00:00Z".parse()?);
    /// # let _ = update; Ok(())
    /// # }
    /// ```
    pub fn follow_up_date(mut self, follow_up: Timestamp) -> Self {
        self.changeset().follow_up_date = Some(Patch::Set(follow_up));
        self
    }

    /// Removes the follow-up date.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let update = client.user_tasks().update("1").clear_follow_up_date();
    /// # let _ = update;
    /// # }
    /// ```
    pub fn clear_follow_up_date(mut self) -> Self {
        self.changeset().follow_up_date = Some(Patch::Clear);
        self
    }

    /// Replaces the candidate users.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let update = client.user_tasks().update("1").candidate_users(["demo", "jane"]);
    /// # let _ = update;
    /// # }
    /// ```
    pub fn candidate_users<S: Into<String>>(mut self, users: impl IntoIterator<Item = S>) -> Self {
        let users = users.into_iter().map(Into::into).collect();
        self.changeset().candidate_users = Some(Patch::Set(users));
        self
    }

    /// Removes every candidate user.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let update = client.user_tasks().update("1").clear_candidate_users();
    /// # let _ = update;
    /// # }
    /// ```
    pub fn clear_candidate_users(mut self) -> Self {
        self.changeset().candidate_users = Some(Patch::Clear);
        self
    }

    /// Replaces the candidate groups.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let update = client.user_tasks().update("1").candidate_groups(["accounting"]);
    /// # let _ = update;
    /// # }
    /// ```
    pub fn candidate_groups<S: Into<String>>(
        mut self,
        groups: impl IntoIterator<Item = S>,
    ) -> Self {
        let groups = groups.into_iter().map(Into::into).collect();
        self.changeset().candidate_groups = Some(Patch::Set(groups));
        self
    }

    /// Removes every candidate group.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let update = client.user_tasks().update("1").clear_candidate_groups();
    /// # let _ = update;
    /// # }
    /// ```
    pub fn clear_candidate_groups(mut self) -> Self {
        self.changeset().candidate_groups = Some(Patch::Clear);
        self
    }

    /// Sets the priority, 0 to 100; anything else fails the call before it is sent.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let error = client.user_tasks().update("1").priority(101).await.unwrap_err();
    /// assert!(matches!(error, tasklist_api::Error::InvalidArgument(_)));
    /// # }
    /// ```
    pub fn priority(mut self, priority: i32) -> Self {
        self.changeset().priority = Some(priority);
        self
    }

    /// A custom action recorded with the update (read by task listeners).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let update = client.user_tasks().update("1").priority(10).action("escalate");
    /// # let _ = update;
    /// # }
    /// ```
    pub fn action(mut self, action: impl Into<String>) -> Self {
        self.body.action = Some(action.into());
        self
    }

    /// Sends the update.
    ///
    /// # Errors
    ///
    /// [`Error::OutcomeUnknown`] on `504` (the update may still apply),
    /// [`Error::InvalidState`] on `409 INVALID_STATE`, [`Error::NotFound`], and
    /// [`Error::InvalidArgument`] for a priority out of 0..=100.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// client.user_tasks().update("1").priority(5).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<()> {
        Box::pin(async move {
            let key = checked(&self.key)?;
            if let Some(priority) = self.body.changeset.as_ref().and_then(|c| c.priority)
                && !(0..=100).contains(&priority)
            {
                return Err(Error::invalid(format!(
                    "the priority must be between 0 and 100, not {priority}"
                )));
            }
            let target = (Method::PATCH, &[][..]);
            command(&self.client, key, "update", target, Some(&self.body)).await
        })
    }
}

into_future!(UpdateUserTask => ());

/// An assignment, from [`UserTasksApi::assign`](super::UserTasksApi::assign).
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// client.user_tasks().assign("1", "demo").action("claim").await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct AssignUserTask {
    client: Client,
    key: KeyArg,
    assignee: String,
    allow_override: Option<bool>,
    action: Option<String>,
}

impl AssignUserTask {
    pub(super) fn new(client: Client, key: KeyArg, assignee: String) -> Self {
        AssignUserTask {
            client,
            key,
            assignee,
            allow_override: None,
            action: None,
        }
    }

    /// Whether a task assigned to someone else may be taken over (the server's default:
    /// yes). With `false`, such a task answers [`Error::InvalidState`].
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let claim = client.user_tasks().assign("1", "demo").allow_override(false);
    /// # let _ = claim;
    /// # }
    /// ```
    pub fn allow_override(mut self, allow: bool) -> Self {
        self.allow_override = Some(allow);
        self
    }

    /// A custom action recorded with the assignment (the server's default: `assign`).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let claim = client.user_tasks().assign("1", "demo").action("claim");
    /// # let _ = claim;
    /// # }
    /// ```
    pub fn action(mut self, action: impl Into<String>) -> Self {
        self.action = Some(action.into());
        self
    }

    /// Sends the assignment.
    ///
    /// # Errors
    ///
    /// [`Error::OutcomeUnknown`] on `504`, [`Error::InvalidState`] on `409 INVALID_STATE`,
    /// [`Error::NotFound`], and [`Error::InvalidArgument`] for an empty assignee.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let error = client.user_tasks().assign("1", "").await.unwrap_err();
    /// assert!(matches!(error, tasklist_api::Error::InvalidArgument(_)));
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<()> {
        Box::pin(async move {
            let key = checked(&self.key)?;
            if self.assignee.trim().is_empty() {
                return Err(Error::invalid(
                    "the assignee is empty; to remove the assignee, call `unassign`",
                ));
            }
            let body = AssignmentBody {
                assignee: &self.assignee,
                allow_override: self.allow_override,
                action: self.action.as_deref(),
            };
            let target = (Method::POST, &["assignment"][..]);
            command(&self.client, key, "assign", target, Some(body)).await
        })
    }
}

into_future!(AssignUserTask => ());

/// The body of an assignment, borrowed from the builder.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AssignmentBody<'a> {
    assignee: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    allow_override: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'a str>,
}

/// An unassignment, from [`UserTasksApi::unassign`](super::UserTasksApi::unassign).
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// client.user_tasks().unassign("1").send().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct UnassignUserTask {
    client: Client,
    key: KeyArg,
}

impl UnassignUserTask {
    pub(super) fn new(client: Client, key: KeyArg) -> Self {
        UnassignUserTask { client, key }
    }

    /// Sends the unassignment.
    ///
    /// # Errors
    ///
    /// [`Error::OutcomeUnknown`] on `504`, [`Error::InvalidState`] on `409 INVALID_STATE`,
    /// [`Error::NotFound`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// client.user_tasks().unassign("1").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<()> {
        Box::pin(async move {
            let key = checked(&self.key)?;
            let target = (Method::DELETE, &["assignee"][..]);
            command(&self.client, key, "unassign", target, None::<()>).await
        })
    }
}

into_future!(UnassignUserTask => ());

/// A completion, from [`UserTasksApi::complete`](super::UserTasksApi::complete).
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// use tasklist_api::Variables;
/// #[derive(serde::Serialize)]
/// struct Decision { approved: bool, comment: String }
///
/// let decision = Decision { approved: true, comment: "fine".into() };
/// client
///     .user_tasks()
///     .complete("1")
///     .variables(Variables::from_serialize(&decision)?)
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct CompleteUserTask {
    client: Client,
    key: KeyArg,
    variables: Option<Variables>,
    action: Option<String>,
}

impl CompleteUserTask {
    pub(super) fn new(client: Client, key: KeyArg) -> Self {
        CompleteUserTask {
            client,
            key,
            variables: None,
            action: None,
        }
    }

    /// The variables to set on completion (sent as a JSON object, each value as itself).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use tasklist_api::Variables;
    /// let done = client.user_tasks().complete("1").variables(Variables::new().with("ok", &true)?);
    /// # let _ = done; Ok(())
    /// # }
    /// ```
    pub fn variables(mut self, variables: Variables) -> Self {
        self.variables = Some(variables);
        self
    }

    /// A custom action recorded with the completion (the server's default: `complete`).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let done = client.user_tasks().complete("1").action("approve");
    /// # let _ = done;
    /// # }
    /// ```
    pub fn action(mut self, action: impl Into<String>) -> Self {
        self.action = Some(action.into());
        self
    }

    /// Sends the completion.
    ///
    /// # Errors
    ///
    /// [`Error::OutcomeUnknown`] on `504` (the task may still complete: never repeated
    /// automatically; read it, for example with
    /// [`UserTasksApi::wait_for`](super::UserTasksApi::wait_for)), [`Error::InvalidState`] on
    /// `409 INVALID_STATE`, [`Error::NotFound`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use tasklist_api::Error;
    /// match client.user_tasks().complete("1").send().await {
    ///     Ok(()) => {}
    ///     Err(Error::OutcomeUnknown { .. }) => { /* read the task before anything else */ }
    ///     Err(other) => return Err(other),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<()> {
        Box::pin(async move {
            let key = checked(&self.key)?;
            let body = CompletionBody {
                variables: self.variables.as_ref(),
                action: self.action.as_deref(),
            };
            let target = (Method::POST, &["completion"][..]);
            command(&self.client, key, "complete", target, Some(body)).await
        })
    }
}

into_future!(CompleteUserTask => ());

/// The body of a completion: the variables as a JSON object of their values.
struct CompletionBody<'a> {
    variables: Option<&'a Variables>,
    action: Option<&'a str>,
}

impl Serialize for CompletionBody<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = usize::from(self.variables.is_some()) + usize::from(self.action.is_some());
        let mut map = serializer.serialize_map(Some(fields))?;
        if let Some(variables) = self.variables {
            map.serialize_entry("variables", &RawObject(variables))?;
        }
        if let Some(action) = self.action {
            map.serialize_entry("action", action)?;
        }
        map.end()
    }
}

/// Variables as one JSON object whose values are their JSON texts, written as they are.
struct RawObject<'a>(&'a Variables);

impl Serialize for RawObject<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, text) in self.0.iter() {
            // `Variables` only holds text that serde_json wrote, so this does not fail; if it
            // ever did, the error names the variable.
            let raw: &RawValue = serde_json::from_str(text).map_err(|e| {
                serde::ser::Error::custom(format!("variable `{name}` is not JSON text: {e}"))
            })?;
            map.serialize_entry(name, raw)?;
        }
        map.end()
    }
}
