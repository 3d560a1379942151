//! The task calls: [`TasksApi`], and get, assign, unassign, complete, draft variables and the
//! search of a task's variables. The task search is in `search`.

use http::Method;
use tasklist_transport::Idempotency;

use crate::client::{ACCEPT_ANY, Call, Client, PathBuilder, into_future};
use crate::error::Error;
use crate::v1::models::{
    SaveVariablesRequest, Task, TaskAssignRequest, TaskCompleteRequest, TaskId, TaskSearchRequest,
    TaskVariable, VariablesSearchRequest,
};
use crate::v1::search::{SearchTasks, extend, include_variable};
use crate::variables::Variables;

/// The task calls, from [`Client::tasks`].
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let tasks = client.tasks();
/// let task = tasks.assign("2251799813685251").assignee("demo").await?;
/// let task = tasks.unassign(task.id.as_ref().unwrap()).await?;
/// # let _ = task; Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct TasksApi<'a> {
    client: &'a Client,
}

impl<'a> TasksApi<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        TasksApi { client }
    }

    /// Searches tasks (`POST /v1/tasks/search`): one page, or every match with
    /// [`SearchTasks::into_stream`]. Without filters, every task matches.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_api::Error> {
    /// # let client = tasklist_api::Client::new("http://localhost:8080", tasklist_transport::test_util::Canned::json(200, r#"[{"id":"7","assignee":"demo","sortValues":["1","7"]}]"#))?;
    /// use tasklist_api::models::{SortOrder, TaskSortField, TaskState};
    ///
    /// let page = client
    ///     .tasks()
    ///     .search()
    ///     .state(TaskState::Created)
    ///     .assignee("demo")
    ///     .sort(TaskSortField::CreationTime, SortOrder::Asc)
    ///     .page_size(20)
    ///     .send()
    ///     .await?;
    /// assert_eq!(page[0].id.as_ref().map(|id| id.as_str()), Some("7"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn search(&self) -> SearchTasks {
        SearchTasks::new(self.client.clone(), TaskSearchRequest::default())
    }

    /// Searches tasks with a request built elsewhere. The builder's methods refine it further;
    /// the API's rules are checked before sending, as for [`search`](TasksApi::search).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use tasklist_api::models::TaskSearchRequest;
    ///
    /// let request: TaskSearchRequest =
    ///     serde_json::from_str(r#"{"state":"CREATED","candidateGroup":"accounting"}"#).unwrap();
    /// let page = client.tasks().search_with(request).page_size(10).await?;
    /// # let _ = page; Ok(())
    /// # }
    /// ```
    pub fn search_with(&self, request: TaskSearchRequest) -> SearchTasks {
        SearchTasks::new(self.client.clone(), request)
    }

    /// Gets one task (`GET /v1/tasks/{taskId}`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_api::Error> {
    /// # let client = tasklist_api::Client::new("http://localhost:8080", tasklist_transport::test_util::Canned::json(200, r#"{"id":"7","name":"Check invoice","taskState":"CREATED"}"#))?;
    /// use tasklist_api::models::TaskState;
    ///
    /// let task = client.tasks().get("7").await?;
    /// assert_eq!(task.task_state, Some(TaskState::Created));
    /// # Ok(())
    /// # }
    /// ```
    pub fn get(&self, task_id: impl Into<TaskId>) -> GetTask {
        GetTask {
            client: self.client.clone(),
            task_id: task_id.into(),
        }
    }

    /// Assigns a task (`PATCH /v1/tasks/{taskId}/assign`) to the given assignee, or to the
    /// user the credentials belong to. With a JWT (client credentials), the assignee must be
    /// given.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_api::Error> {
    /// # let client = tasklist_api::Client::new("http://localhost:8080", tasklist_transport::test_util::Canned::json(200, r#"{"id":"7","assignee":"demo"}"#))?;
    /// let task = client
    ///     .tasks()
    ///     .assign("7")
    ///     .assignee("demo")
    ///     .allow_override(false)
    ///     .await?;
    /// assert_eq!(task.assignee.as_deref(), Some("demo"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn assign(&self, task_id: impl Into<TaskId>) -> AssignTask {
        AssignTask {
            client: self.client.clone(),
            task_id: task_id.into(),
            body: TaskAssignRequest::default(),
        }
    }

    /// Unassigns a task (`PATCH /v1/tasks/{taskId}/unassign`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_api::Error> {
    /// # let client = tasklist_api::Client::new("http://localhost:8080", tasklist_transport::test_util::Canned::json(200, r#"{"id":"7"}"#))?;
    /// let task = client.tasks().unassign("7").await?;
    /// assert_eq!(task.assignee, None);
    /// # Ok(())
    /// # }
    /// ```
    pub fn unassign(&self, task_id: impl Into<TaskId>) -> UnassignTask {
        UnassignTask {
            client: self.client.clone(),
            task_id: task_id.into(),
        }
    }

    /// Completes a task (`PATCH /v1/tasks/{taskId}/complete`), optionally setting variables.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_api::Error> {
    /// # let client = tasklist_api::Client::new("http://localhost:8080", tasklist_transport::test_util::Canned::json(200, r#"{"id":"7","taskState":"COMPLETED"}"#))?;
    /// use tasklist_api::Variables;
    /// use tasklist_api::models::TaskState;
    ///
    /// let variables = Variables::new().with("approved", &true)?.with("amount", &1250.5)?;
    /// let task = client.tasks().complete("7").variables(variables).await?;
    /// assert_eq!(task.task_state, Some(TaskState::Completed));
    /// # Ok(())
    /// # }
    /// ```
    pub fn complete(&self, task_id: impl Into<TaskId>) -> CompleteTask {
        CompleteTask {
            client: self.client.clone(),
            task_id: task_id.into(),
            variables: None,
        }
    }

    /// Saves draft variables of a task (`POST /v1/tasks/{taskId}/variables`), replacing all
    /// the task's previous drafts. The server answers `204 No Content`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_api::Error> {
    /// # let client = tasklist_api::Client::new("http://localhost:8080", tasklist_transport::test_util::Canned::json(204, ""))?;
    /// use tasklist_api::Variables;
    ///
    /// let draft = Variables::new().with("comment", &"half done")?;
    /// client.tasks().save_draft_variables("7", draft).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn save_draft_variables(
        &self,
        task_id: impl Into<TaskId>,
        variables: Variables,
    ) -> SaveDraftVariables {
        SaveDraftVariables {
            client: self.client.clone(),
            task_id: task_id.into(),
            variables,
        }
    }

    /// The variables of one task.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let variables = client.tasks().variables("7").search().await?;
    /// # let _ = variables; Ok(())
    /// # }
    /// ```
    pub fn variables(&self, task_id: impl Into<TaskId>) -> TaskVariablesApi<'a> {
        TaskVariablesApi {
            client: self.client,
            task_id: task_id.into(),
        }
    }
}

fn task_path(task_id: &TaskId) -> Result<PathBuilder, Error> {
    PathBuilder::new()
        .fixed("v1/tasks")
        .param("task id", task_id.as_str())
}

/// Gets one task, from [`TasksApi::get`]. `.await` it or call [`send`](GetTask::send).
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let task = client.tasks().get("7").await?;
/// println!("{:?} is {:?}", task.name, task.task_state);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct GetTask {
    client: Client,
    task_id: TaskId,
}

impl GetTask {
    /// Sends the request.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let task = client.tasks().get("7").send().await?;
    /// # let _ = task; Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Task> {
        Box::pin(async move {
            let path = task_path(&self.task_id)?.build();
            let call = Call::new(Method::GET, path, Idempotency::Idempotent);
            self.client.json(call).await
        })
    }
}

into_future!(GetTask => Task);

/// Assigns a task, from [`TasksApi::assign`].
///
/// Without [`assignee`](AssignTask::assignee), the server assigns the task to the user the
/// credentials belong to (with a cookie session; a JWT has no user, so give the assignee).
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let task = client.tasks().assign("7").await?;
/// # let _ = task; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct AssignTask {
    client: Client,
    task_id: TaskId,
    body: TaskAssignRequest,
}

impl AssignTask {
    /// The user to assign the task to.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let task = client.tasks().assign("7").assignee("demo").await?;
    /// # let _ = task; Ok(())
    /// # }
    /// ```
    pub fn assignee(mut self, assignee: impl Into<String>) -> Self {
        self.body.assignee = Some(assignee.into());
        self
    }

    /// Whether a task that is already assigned may be reassigned (the server's default is
    /// `true`). With `false`, assigning an assigned task fails with
    /// [`Error::InvalidRequest`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let task = client.tasks().assign("7").assignee("demo").allow_override(false).await?;
    /// # let _ = task; Ok(())
    /// # }
    /// ```
    pub fn allow_override(mut self, allow: bool) -> Self {
        self.body.allow_override_assignment = Some(allow);
        self
    }

    /// Sends the request. It is marked not idempotent: the transport never repeats it once
    /// it may have reached the server.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let task = client.tasks().assign("7").assignee("demo").send().await?;
    /// # let _ = task; Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Task> {
        Box::pin(async move {
            let path = task_path(&self.task_id)?.fixed("assign").build();
            let call =
                Call::new(Method::PATCH, path, Idempotency::NotIdempotent).json_body(&self.body)?;
            self.client.json(call).await
        })
    }
}

into_future!(AssignTask => Task);

/// Unassigns a task, from [`TasksApi::unassign`].
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let task = client.tasks().unassign("7").await?;
/// # let _ = task; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct UnassignTask {
    client: Client,
    task_id: TaskId,
}

impl UnassignTask {
    /// Sends the request, marked not idempotent.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let task = client.tasks().unassign("7").send().await?;
    /// # let _ = task; Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Task> {
        Box::pin(async move {
            let path = task_path(&self.task_id)?.fixed("unassign").build();
            let call = Call::new(Method::PATCH, path, Idempotency::NotIdempotent);
            self.client.json(call).await
        })
    }
}

into_future!(UnassignTask => Task);

/// Completes a task, from [`TasksApi::complete`].
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let task = client.tasks().complete("7").await?;
/// # let _ = task; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct CompleteTask {
    client: Client,
    task_id: TaskId,
    variables: Option<Variables>,
}

impl CompleteTask {
    /// Variables to set on completion (replacing any given before).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use tasklist_api::Variables;
    ///
    /// #[derive(serde::Serialize)]
    /// struct Decision { approved: bool, comment: String }
    ///
    /// let variables = Variables::from_serialize(&Decision { approved: true, comment: "ok".into() })?;
    /// let task = client.tasks().complete("7").variables(variables).await?;
    /// # let _ = task; Ok(())
    /// # }
    /// ```
    pub fn variables(mut self, variables: Variables) -> Self {
        self.variables = Some(variables);
        self
    }

    /// Sends the request, marked not idempotent.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let task = client.tasks().complete("7").send().await?;
    /// # let _ = task; Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Task> {
        Box::pin(async move {
            let path = task_path(&self.task_id)?.fixed("complete").build();
            let body = TaskCompleteRequest {
                variables: self.variables.map(Variables::into_inputs),
            };
            let call =
                Call::new(Method::PATCH, path, Idempotency::NotIdempotent).json_body(&body)?;
            self.client.json(call).await
        })
    }
}

into_future!(CompleteTask => Task);

/// Saves a task's draft variables, from [`TasksApi::save_draft_variables`].
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// use tasklist_api::Variables;
/// client.tasks().save_draft_variables("7", Variables::new().with("step", &2)?).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct SaveDraftVariables {
    client: Client,
    task_id: TaskId,
    variables: Variables,
}

impl SaveDraftVariables {
    /// Sends the request, marked not idempotent.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use tasklist_api::Variables;
    /// client.tasks().save_draft_variables("7", Variables::new()).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<()> {
        Box::pin(async move {
            let path = task_path(&self.task_id)?.fixed("variables").build();
            let body = SaveVariablesRequest {
                variables: Some(self.variables.into_inputs()),
            };
            let call = Call::new(Method::POST, path, Idempotency::NotIdempotent)
                .accept(ACCEPT_ANY)
                .json_body(&body)?;
            self.client.execute(call).await.map(drop)
        })
    }
}

into_future!(SaveDraftVariables => ());

/// The variables of one task, from [`TasksApi::variables`].
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let all = client.tasks().variables("7").search().await?;
/// # let _ = all; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct TaskVariablesApi<'a> {
    client: &'a Client,
    task_id: TaskId,
}

impl TaskVariablesApi<'_> {
    /// Searches the task's variables (`POST /v1/tasks/{taskId}/variables/search`). Without
    /// names, all of them.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_api::Error> {
    /// # let client = tasklist_api::Client::new("http://localhost:8080", tasklist_transport::test_util::Canned::json(200, r#"[{"id":"7-amount","name":"amount","value":"1250.5","isValueTruncated":false,"previewValue":"1250.5"}]"#))?;
    /// let variables = client.tasks().variables("7").search().names(["amount"]).await?;
    /// let amount: f64 = variables[0].decode()?;
    /// assert_eq!(amount, 1250.5);
    /// # Ok(())
    /// # }
    /// ```
    pub fn search(&self) -> SearchTaskVariables {
        self.search_with(VariablesSearchRequest::default())
    }

    /// Searches the task's variables with a request built elsewhere.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use tasklist_api::models::VariablesSearchRequest;
    /// let mut request = VariablesSearchRequest::default();
    /// request.variable_names = Some(vec!["amount".into()]);
    /// let variables = client.tasks().variables("7").search_with(request).await?;
    /// # let _ = variables; Ok(())
    /// # }
    /// ```
    pub fn search_with(&self, request: VariablesSearchRequest) -> SearchTaskVariables {
        SearchTaskVariables {
            client: self.client.clone(),
            task_id: self.task_id.clone(),
            request,
        }
    }
}

/// A search of a task's variables, from [`TaskVariablesApi::search`].
///
/// Select variables either by name ([`names`](SearchTaskVariables::names): values may come
/// truncated) or with [`include`](SearchTaskVariables::include) /
/// [`include_full_value`](SearchTaskVariables::include_full_value) (which can ask for full
/// values), not both: the API refuses the mix, so it is caught before sending.
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let variables = client
///     .tasks()
///     .variables("7")
///     .search()
///     .include_full_value("invoice")
///     .include("amount")
///     .await?;
/// # let _ = variables; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a search does nothing until it is sent or awaited"]
pub struct SearchTaskVariables {
    client: Client,
    task_id: TaskId,
    request: VariablesSearchRequest,
}

impl SearchTaskVariables {
    /// Only the variable `name` (adds to the list).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let amount = client.tasks().variables("7").search().name("amount").await?;
    /// # let _ = amount; Ok(())
    /// # }
    /// ```
    pub fn name(self, name: impl Into<String>) -> Self {
        self.names([name])
    }

    /// Only the variables with these names (adds to the list).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let some = client.tasks().variables("7").search().names(["a", "b"]).await?;
    /// # let _ = some; Ok(())
    /// # }
    /// ```
    pub fn names<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        extend(&mut self.request.variable_names, names);
        self
    }

    /// Includes the variable `name`, its value truncated when large.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let some = client.tasks().variables("7").search().include("amount").await?;
    /// # let _ = some; Ok(())
    /// # }
    /// ```
    pub fn include(self, name: impl Into<String>) -> Self {
        self.include_variable(name.into(), false)
    }

    /// Includes the variable `name` with its full value, however large.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let some = client.tasks().variables("7").search().include_full_value("invoice").await?;
    /// # let _ = some; Ok(())
    /// # }
    /// ```
    pub fn include_full_value(self, name: impl Into<String>) -> Self {
        self.include_variable(name.into(), true)
    }

    fn include_variable(mut self, name: String, full: bool) -> Self {
        include_variable(&mut self.request.include_variables, name, full);
        self
    }

    /// The request as it will be sent.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().variables("7").search().name("a");
    /// assert_eq!(serde_json::to_string(search.request()).unwrap(), r#"{"variableNames":["a"]}"#);
    /// # }
    /// ```
    pub fn request(&self) -> &VariablesSearchRequest {
        &self.request
    }

    /// Sends the search, marked idempotent (it changes nothing).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let all = client.tasks().variables("7").search().send().await?;
    /// # let _ = all; Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Vec<TaskVariable>> {
        Box::pin(async move {
            fn has<T>(list: Option<&Vec<T>>) -> bool {
                list.is_some_and(|l| !l.is_empty())
            }
            let request = &self.request;
            if has(request.variable_names.as_ref()) && has(request.include_variables.as_ref()) {
                return Err(Error::invalid(
                    "variableNames and includeVariables cannot be used together; select the \
                     variables by name or with include, not both",
                ));
            }
            let path = task_path(&self.task_id)?.fixed("variables/search").build();
            let call = Call::new(Method::POST, path, Idempotency::Idempotent)
                .answers_array()
                .json_body(&self.request)?;
            self.client.json(call).await
        })
    }
}

into_future!(SearchTaskVariables => Vec<TaskVariable>);
