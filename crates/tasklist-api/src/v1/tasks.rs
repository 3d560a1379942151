//! The task calls: search, get, assign, unassign, complete, draft variables, and the search of
//! a task's variables.

use std::ops::{Bound, RangeBounds};

use http::Method;
use serde::Serialize;
use tasklist_transport::Idempotency;

use crate::client::{ACCEPT_ANY, Call, Client, PathBuilder, Target, into_future};
use crate::error::Error;
use crate::v1::models::{
    DateFilter, Implementation, IncludeVariable, PriorityFilter, ProcessDefinitionKey,
    ProcessInstanceKey, SaveVariablesRequest, SortOrder, Task, TaskAssignRequest,
    TaskCompleteRequest, TaskId, TaskOrderBy, TaskSearchRequest, TaskSearchResult, TaskSortField,
    TaskState, TaskVariable, TaskVariableFilter, Timestamp, VariableOperator,
    VariablesSearchRequest,
};
use crate::v1::paging::TaskStream;
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

/// Where a page of a task search starts, from the `sortValues` of a result of a previous
/// search. The API takes exactly one of these, so a request holds at most one.
///
/// `After`/`AfterOrEqual` page forward in the sort order, `Before`/`BeforeOrEqual` backward.
///
/// ```
/// use tasklist_api::Cursor;
/// use tasklist_api::models::TaskSearchResult;
///
/// let last: TaskSearchResult = serde_json::from_str(r#"{"id":"7","sortValues":["1700000000000","7"]}"#).unwrap();
/// let cursor = Cursor::after(&last)?;
/// assert_eq!(cursor, Cursor::After(vec!["1700000000000".into(), "7".into()]));
/// assert!(!cursor.is_backward());
/// # Ok::<(), tasklist_api::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Cursor {
    /// The tasks that directly follow the one with these sort values (`searchAfter`).
    After(Vec<String>),
    /// The tasks that directly follow the one with these sort values, and that one
    /// (`searchAfterOrEqual`).
    AfterOrEqual(Vec<String>),
    /// The tasks that directly precede the one with these sort values (`searchBefore`).
    Before(Vec<String>),
    /// The tasks that directly precede the one with these sort values, and that one
    /// (`searchBeforeOrEqual`).
    BeforeOrEqual(Vec<String>),
}

impl Cursor {
    /// The tasks after `task` (`searchAfter`).
    ///
    /// # Errors
    ///
    /// [`Error::MissingSortValues`] when `task` has no sort values.
    ///
    /// ```
    /// # use tasklist_api::{Cursor, Error};
    /// let no_values = tasklist_api::models::TaskSearchResult::default();
    /// assert!(matches!(Cursor::after(&no_values), Err(Error::MissingSortValues { .. })));
    /// ```
    pub fn after(task: &TaskSearchResult) -> Result<Self, Error> {
        sort_values(task).map(Cursor::After)
    }

    /// `task` and the tasks after it (`searchAfterOrEqual`).
    ///
    /// # Errors
    ///
    /// [`Error::MissingSortValues`] when `task` has no sort values.
    ///
    /// ```
    /// # use tasklist_api::Cursor;
    /// # let task: tasklist_api::models::TaskSearchResult = serde_json::from_str(r#"{"sortValues":["1"]}"#).unwrap();
    /// assert_eq!(Cursor::after_or_equal(&task)?, Cursor::AfterOrEqual(vec!["1".into()]));
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn after_or_equal(task: &TaskSearchResult) -> Result<Self, Error> {
        sort_values(task).map(Cursor::AfterOrEqual)
    }

    /// The tasks before `task` (`searchBefore`).
    ///
    /// # Errors
    ///
    /// [`Error::MissingSortValues`] when `task` has no sort values.
    ///
    /// ```
    /// # use tasklist_api::Cursor;
    /// # let task: tasklist_api::models::TaskSearchResult = serde_json::from_str(r#"{"sortValues":["1"]}"#).unwrap();
    /// assert_eq!(Cursor::before(&task)?, Cursor::Before(vec!["1".into()]));
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn before(task: &TaskSearchResult) -> Result<Self, Error> {
        sort_values(task).map(Cursor::Before)
    }

    /// `task` and the tasks before it (`searchBeforeOrEqual`).
    ///
    /// # Errors
    ///
    /// [`Error::MissingSortValues`] when `task` has no sort values.
    ///
    /// ```
    /// # use tasklist_api::Cursor;
    /// # let task: tasklist_api::models::TaskSearchResult = serde_json::from_str(r#"{"sortValues":["1"]}"#).unwrap();
    /// assert!(Cursor::before_or_equal(&task)?.is_backward());
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn before_or_equal(task: &TaskSearchResult) -> Result<Self, Error> {
        sort_values(task).map(Cursor::BeforeOrEqual)
    }

    /// The sort values the cursor starts from.
    ///
    /// ```
    /// # use tasklist_api::Cursor;
    /// assert_eq!(Cursor::Before(vec!["9".into()]).sort_values(), ["9"]);
    /// ```
    pub fn sort_values(&self) -> &[String] {
        match self {
            Cursor::After(v)
            | Cursor::AfterOrEqual(v)
            | Cursor::Before(v)
            | Cursor::BeforeOrEqual(v) => v,
        }
    }

    /// True for the cursors that page backward (`Before`, `BeforeOrEqual`).
    ///
    /// ```
    /// # use tasklist_api::Cursor;
    /// assert!(Cursor::Before(vec!["9".into()]).is_backward());
    /// assert!(!Cursor::AfterOrEqual(vec!["9".into()]).is_backward());
    /// ```
    pub fn is_backward(&self) -> bool {
        matches!(self, Cursor::Before(_) | Cursor::BeforeOrEqual(_))
    }

    /// The cursor `request` holds.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when it holds more than one, which the API refuses.
    ///
    /// ```
    /// # use tasklist_api::Cursor;
    /// let mut request = tasklist_api::models::TaskSearchRequest::default();
    /// assert_eq!(Cursor::of(&request)?, None);
    /// request.search_before = Some(vec!["9".into()]);
    /// assert_eq!(Cursor::of(&request)?, Some(Cursor::Before(vec!["9".into()])));
    /// request.search_after = Some(vec!["1".into()]);
    /// assert!(Cursor::of(&request).is_err());
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn of(request: &TaskSearchRequest) -> Result<Option<Self>, Error> {
        let set = [
            request.search_after.clone().map(Cursor::After),
            request
                .search_after_or_equal
                .clone()
                .map(Cursor::AfterOrEqual),
            request.search_before.clone().map(Cursor::Before),
            request
                .search_before_or_equal
                .clone()
                .map(Cursor::BeforeOrEqual),
        ];
        let mut set = set.into_iter().flatten();
        let first = set.next();
        if set.next().is_some() {
            return Err(Error::invalid(
                "only one of searchAfter, searchAfterOrEqual, searchBefore and \
                 searchBeforeOrEqual may be set",
            ));
        }
        Ok(first)
    }

    /// Stores the cursor in `request`, replacing any it held.
    pub(crate) fn apply(self, request: &mut TaskSearchRequest) {
        request.search_after = None;
        request.search_after_or_equal = None;
        request.search_before = None;
        request.search_before_or_equal = None;
        match self {
            Cursor::After(v) => request.search_after = Some(v),
            Cursor::AfterOrEqual(v) => request.search_after_or_equal = Some(v),
            Cursor::Before(v) => request.search_before = Some(v),
            Cursor::BeforeOrEqual(v) => request.search_before_or_equal = Some(v),
        }
    }
}

fn sort_values(task: &TaskSearchResult) -> Result<Vec<String>, Error> {
    match &task.sort_values {
        Some(values) if !values.is_empty() => Ok(values.clone()),
        _ => Err(Error::MissingSortValues {
            task_id: task.id.clone(),
        }),
    }
}

/// A task search (`POST /v1/tasks/search`), from [`TasksApi::search`].
///
/// Each method sets one filter of [`TaskSearchRequest`]; the plural ones add to the list.
/// The API's rules are checked before anything is sent: one cursor at most (guaranteed by
/// [`Cursor`], checked for requests from [`TasksApi::search_with`]), a positive page size,
/// priorities within 0..=100.
///
/// `.await` (or [`send`](SearchTasks::send)) returns one page; [`into_stream`](SearchTasks::into_stream)
/// returns every match, page by page.
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// use tasklist_api::jiff::Timestamp;
/// use tasklist_api::models::{Implementation, SortOrder, TaskSortField};
///
/// let page = client
///     .tasks()
///     .search()
///     .candidate_groups(["accounting", "sales"])
///     .due_date_to(Timestamp::from_second(1_800_000_000).unwrap())
///     .variable_equals("region", &"EMEA")
///     .implementation(Implementation::ZeebeUserTask)
///     .priority(50..=100)
///     .sort(TaskSortField::Priority, SortOrder::Desc)
///     .include_variable("amount")
///     .await?;
/// # let _ = page; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a search does nothing until it is sent or awaited"]
pub struct SearchTasks {
    client: Client,
    request: TaskSearchRequest,
    /// The first problem found while building, reported when sending.
    problem: Option<String>,
}

impl SearchTasks {
    fn new(client: Client, request: TaskSearchRequest) -> Self {
        SearchTasks {
            client,
            request,
            problem: None,
        }
    }

    fn problem(&mut self, message: String) {
        self.problem.get_or_insert(message);
    }

    /// Only tasks in `state`.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// use tasklist_api::models::TaskState;
    /// let search = client.tasks().search().state(TaskState::Completed);
    /// assert_eq!(search.request().state, Some(TaskState::Completed));
    /// # }
    /// ```
    pub fn state(mut self, state: TaskState) -> Self {
        self.request.state = Some(state);
        self
    }

    /// Only tasks that are (`true`) or are not (`false`) assigned.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let unassigned = client.tasks().search().assigned(false);
    /// # let _ = unassigned;
    /// # }
    /// ```
    pub fn assigned(mut self, assigned: bool) -> Self {
        self.request.assigned = Some(assigned);
        self
    }

    /// Only tasks assigned to `assignee`.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let mine = client.tasks().search().assignee("demo");
    /// # let _ = mine;
    /// # }
    /// ```
    pub fn assignee(mut self, assignee: impl Into<String>) -> Self {
        self.request.assignee = Some(assignee.into());
        self
    }

    /// Only tasks assigned to one of `assignees` (adds to the list).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().assignees(["demo", "john"]);
    /// assert_eq!(search.request().assignees.as_ref().map(Vec::len), Some(2));
    /// # }
    /// ```
    pub fn assignees<I, S>(mut self, assignees: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        extend(&mut self.request.assignees, assignees);
        self
    }

    /// Only tasks of the BPMN user task with this id.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().task_definition_id("checkInvoice");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn task_definition_id(mut self, id: impl Into<String>) -> Self {
        self.request.task_definition_id = Some(id.into());
        self
    }

    /// Only tasks whose candidate groups include `group`.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().candidate_group("accounting");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn candidate_group(mut self, group: impl Into<String>) -> Self {
        self.request.candidate_group = Some(group.into());
        self
    }

    /// Only tasks whose candidate groups include one of `groups` (adds to the list).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().candidate_groups(["accounting", "sales"]);
    /// # let _ = search;
    /// # }
    /// ```
    pub fn candidate_groups<I, S>(mut self, groups: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        extend(&mut self.request.candidate_groups, groups);
        self
    }

    /// Only tasks whose candidate users include `user`.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().candidate_user("demo");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn candidate_user(mut self, user: impl Into<String>) -> Self {
        self.request.candidate_user = Some(user.into());
        self
    }

    /// Only tasks whose candidate users include one of `users` (adds to the list).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().candidate_users(["demo", "john"]);
    /// # let _ = search;
    /// # }
    /// ```
    pub fn candidate_users<I, S>(mut self, users: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        extend(&mut self.request.candidate_users, users);
        self
    }

    /// Only tasks of this process definition.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().process_definition_key("2251799813685249");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn process_definition_key(mut self, key: impl Into<ProcessDefinitionKey>) -> Self {
        self.request.process_definition_key = Some(key.into());
        self
    }

    /// Only tasks of this process instance.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().process_instance_key("2251799813685260");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn process_instance_key(mut self, key: impl Into<ProcessInstanceKey>) -> Self {
        self.request.process_instance_key = Some(key.into());
        self
    }

    /// At most `size` tasks per page (the server's default is 50). Must be at least 1.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().page_size(200);
    /// assert_eq!(search.request().page_size, Some(200));
    /// # }
    /// ```
    pub fn page_size(mut self, size: u32) -> Self {
        match i32::try_from(size) {
            Ok(size) => self.request.page_size = Some(size),
            Err(_) => self.problem(format!("the page size {size} is too large")),
        }
        self
    }

    /// Only tasks due at or after `from`.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// use tasklist_api::jiff::Timestamp;
    /// let search = client.tasks().search().due_date_from(Timestamp::UNIX_EPOCH);
    /// assert_eq!(
    ///     search.request().due_date.as_ref().and_then(|d| d.from.as_ref()).map(|t| t.as_str()),
    ///     Some("1970-01-01T00:00:00Z"),
    /// );
    /// # }
    /// ```
    pub fn due_date_from(mut self, from: impl Into<Timestamp>) -> Self {
        date_filter(&mut self.request.due_date).from = Some(from.into());
        self
    }

    /// Only tasks due at or before `to`.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// use tasklist_api::jiff::Timestamp;
    /// let search = client.tasks().search().due_date_to(Timestamp::now());
    /// # let _ = search;
    /// # }
    /// ```
    pub fn due_date_to(mut self, to: impl Into<Timestamp>) -> Self {
        date_filter(&mut self.request.due_date).to = Some(to.into());
        self
    }

    /// Only tasks with a follow-up date at or after `from`.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// use tasklist_api::jiff::Timestamp;
    /// let search = client.tasks().search().follow_up_date_from(Timestamp::now());
    /// # let _ = search;
    /// # }
    /// ```
    pub fn follow_up_date_from(mut self, from: impl Into<Timestamp>) -> Self {
        date_filter(&mut self.request.follow_up_date).from = Some(from.into());
        self
    }

    /// Only tasks with a follow-up date at or before `to`.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// use tasklist_api::jiff::Timestamp;
    /// let search = client.tasks().search().follow_up_date_to(Timestamp::now());
    /// # let _ = search;
    /// # }
    /// ```
    pub fn follow_up_date_to(mut self, to: impl Into<Timestamp>) -> Self {
        date_filter(&mut self.request.follow_up_date).to = Some(to.into());
        self
    }

    /// Only tasks whose variable `name` equals `value`, compared as JSON text (adds to the
    /// clauses; all must hold). The server compares the stored (possibly truncated) value, so
    /// this works for small values only.
    ///
    /// A value that cannot be serialised makes the search fail with
    /// [`Error::InvalidArgument`] when sent.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().variable_equals("region", &"EMEA").variable_equals("amount", &42);
    /// let clauses = search.request().task_variables.as_ref().unwrap();
    /// assert_eq!(clauses[0].value.as_deref(), Some(r#""EMEA""#));
    /// assert_eq!(clauses[1].value.as_deref(), Some("42"));
    /// # }
    /// ```
    pub fn variable_equals<T: Serialize + ?Sized>(
        mut self,
        name: impl Into<String>,
        value: &T,
    ) -> Self {
        let name = name.into();
        match serde_json::to_string(value) {
            Ok(json) => {
                let clause = TaskVariableFilter {
                    name: Some(name),
                    value: Some(json),
                    operator: Some(VariableOperator::Eq),
                };
                self.request
                    .task_variables
                    .get_or_insert_with(Vec::new)
                    .push(clause);
            }
            Err(e) => self.problem(format!(
                "the value to compare variable `{name}` with cannot be serialised: {e}"
            )),
        }
        self
    }

    /// Only tasks of this tenant (adds to the list; ignored without multi-tenancy).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().tenant_id("tenant-a").tenant_id("tenant-b");
    /// assert_eq!(search.request().tenant_ids.as_ref().map(Vec::len), Some(2));
    /// # }
    /// ```
    pub fn tenant_id(self, tenant_id: impl Into<String>) -> Self {
        self.tenant_ids([tenant_id])
    }

    /// Only tasks of these tenants (adds to the list; ignored without multi-tenancy).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().tenant_ids(["tenant-a", "tenant-b"]);
    /// # let _ = search;
    /// # }
    /// ```
    pub fn tenant_ids<I, S>(mut self, tenant_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        extend(&mut self.request.tenant_ids, tenant_ids);
        self
    }

    /// Sorts by `field` in `order`; repeat to sort by more fields.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// use tasklist_api::models::{SortOrder, TaskSortField};
    /// let search = client
    ///     .tasks()
    ///     .search()
    ///     .sort(TaskSortField::DueDate, SortOrder::Asc)
    ///     .sort(TaskSortField::CreationTime, SortOrder::Desc);
    /// assert_eq!(search.request().sort.as_ref().map(Vec::len), Some(2));
    /// # }
    /// ```
    pub fn sort(mut self, field: TaskSortField, order: SortOrder) -> Self {
        let by = TaskOrderBy {
            field: Some(field),
            order: Some(order),
        };
        self.request.sort.get_or_insert_with(Vec::new).push(by);
        self
    }

    /// Starts the page at `cursor`, replacing any cursor set before.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use tasklist_api::Cursor;
    ///
    /// let first = client.tasks().search().page_size(10).await?;
    /// if let Some(last) = first.last() {
    ///     let second = client.tasks().search().page_size(10).cursor(Cursor::after(last)?).await?;
    ///     # let _ = second;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn cursor(mut self, cursor: Cursor) -> Self {
        cursor.apply(&mut self.request);
        self
    }

    /// Includes the variable `name` in each result, its value truncated when large.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().include_variable("amount");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn include_variable(self, name: impl Into<String>) -> Self {
        self.include(name.into(), false)
    }

    /// Includes the variable `name` in each result, with its full value however large.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().include_variable_full_value("invoice");
    /// let include = &search.request().include_variables.as_ref().unwrap()[0];
    /// assert_eq!(include.always_return_full_value, Some(true));
    /// # }
    /// ```
    pub fn include_variable_full_value(self, name: impl Into<String>) -> Self {
        self.include(name.into(), true)
    }

    fn include(mut self, name: String, full: bool) -> Self {
        include_variable(&mut self.request.include_variables, name, full);
        self
    }

    /// Only tasks of this implementation (job worker or Zeebe user task).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// use tasklist_api::models::Implementation;
    /// let search = client.tasks().search().implementation(Implementation::JobWorker);
    /// # let _ = search;
    /// # }
    /// ```
    pub fn implementation(mut self, implementation: Implementation) -> Self {
        self.request.implementation = Some(implementation);
        self
    }

    /// Only tasks whose priority is in `range` (priorities run from 0 to 100), replacing any
    /// priority filter set before. `50..=80` sends `gte`/`lte`, `..50` sends `lt`, and so on.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().priority(50..80);
    /// let priority = search.request().priority.as_ref().unwrap();
    /// assert_eq!((priority.gte, priority.lt), (Some(50), Some(80)));
    /// # }
    /// ```
    pub fn priority(mut self, range: impl RangeBounds<i32>) -> Self {
        let mut filter = PriorityFilter::default();
        match range.start_bound() {
            Bound::Included(n) => filter.gte = Some(*n),
            Bound::Excluded(n) => filter.gt = Some(*n),
            Bound::Unbounded => {}
        }
        match range.end_bound() {
            Bound::Included(n) => filter.lte = Some(*n),
            Bound::Excluded(n) => filter.lt = Some(*n),
            Bound::Unbounded => {}
        }
        self.request.priority = Some(filter);
        self
    }

    /// Only tasks of exactly this priority (0 to 100), replacing any priority filter set
    /// before.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().priority_eq(100);
    /// assert_eq!(search.request().priority.as_ref().and_then(|p| p.eq), Some(100));
    /// # }
    /// ```
    pub fn priority_eq(mut self, priority: i32) -> Self {
        self.request.priority = Some(PriorityFilter {
            eq: Some(priority),
            ..PriorityFilter::default()
        });
        self
    }

    /// The request as it will be sent.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let search = client.tasks().search().assignee("demo");
    /// assert_eq!(
    ///     serde_json::to_string(search.request()).unwrap(),
    ///     r#"{"assignee":"demo"}"#,
    /// );
    /// # }
    /// ```
    pub fn request(&self) -> &TaskSearchRequest {
        &self.request
    }

    /// The request as it will be sent, checked against the API's rules.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for the first rule the request breaks.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// assert!(client.tasks().search().priority(0..=200).into_request().is_err());
    /// # }
    /// ```
    pub fn into_request(self) -> Result<TaskSearchRequest, Error> {
        if let Some(problem) = self.problem {
            return Err(Error::InvalidArgument(problem));
        }
        validate(&self.request)?;
        Ok(self.request)
    }

    /// Sends the search and returns one page of results.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let pending = client.tasks().search().assigned(false).send();
    /// let page = pending.await?;
    /// # let _ = page; Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Vec<TaskSearchResult>> {
        // The call is made before the future, which then holds it and not the builder.
        let client = self.client.clone();
        let call = self
            .into_request()
            .and_then(|request| search_call(&request));
        Box::pin(async move { client.json(call?).await })
    }

    /// Every matching task, fetched page by page as the stream is consumed. See
    /// [`TaskStream`] for the paging rules and the order in which results come.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_api::Error> {
    /// # let client = tasklist_api::Client::new("http://localhost:8080", tasklist_transport::test_util::Canned::json(200, r#"[{"id":"1","sortValues":["1"]},{"id":"2","sortValues":["2"]}]"#))?;
    /// use futures::TryStreamExt;
    ///
    /// let ids: Vec<_> = client
    ///     .tasks()
    ///     .search()
    ///     .into_stream()
    ///     .map_ok(|task| task.id)
    ///     .try_collect()
    ///     .await?;
    /// // The page held 2 tasks, fewer than the page size of 50: it was the last one.
    /// assert_eq!(ids.len(), 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_stream(self) -> TaskStream {
        let client = self.client.clone();
        TaskStream::new(client, self.into_request())
    }
}

into_future!(SearchTasks => Vec<TaskSearchResult>);

/// The call of a task search.
pub(crate) fn search_call(request: &TaskSearchRequest) -> Result<Call, Error> {
    Call::to(Method::POST, Target::SearchTasks, Idempotency::Idempotent)
        .answers_array()
        .json_body(request)
}

/// Checks the API's documented rules.
fn validate(request: &TaskSearchRequest) -> Result<(), Error> {
    if let Some(cursor) = Cursor::of(request)?
        && cursor.sort_values().is_empty()
    {
        return Err(Error::invalid("the cursor has no sort values"));
    }
    if let Some(size) = request.page_size
        && size < 1
    {
        return Err(Error::invalid(format!(
            "the page size must be at least 1, not {size}"
        )));
    }
    if let Some(priority) = &request.priority {
        let bounds = [
            ("eq", priority.eq),
            ("gte", priority.gte),
            ("gt", priority.gt),
            ("lt", priority.lt),
            ("lte", priority.lte),
        ];
        for (name, value) in bounds {
            if let Some(value) = value
                && !(0..=100).contains(&value)
            {
                return Err(Error::invalid(format!(
                    "priority {name} must be within 0..=100, not {value}"
                )));
            }
        }
    }
    Ok(())
}

fn extend<I, S>(list: &mut Option<Vec<String>>, items: I)
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    list.get_or_insert_with(Vec::new)
        .extend(items.into_iter().map(Into::into));
}

/// Adds the variable `name` to `list`, with its full value when `full`.
fn include_variable(list: &mut Option<Vec<IncludeVariable>>, name: String, full: bool) {
    list.get_or_insert_with(Vec::new).push(IncludeVariable {
        name: Some(name),
        always_return_full_value: Some(full),
    });
}

fn date_filter(filter: &mut Option<DateFilter>) -> &mut DateFilter {
    filter.get_or_insert_with(DateFilter::default)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Recorder, json_response};
    use serde_json::json;

    const TASK: &str = r#"{"id":"7","name":"Check","taskState":"CREATED"}"#;

    fn ok(body: &str) -> tasklist_transport::Response {
        json_response(200, body)
    }

    #[tokio::test]
    async fn ids_are_one_encoded_segment() {
        let recorder = Recorder::with(|_| ok(TASK));
        let client = recorder.client("http://h");
        client.tasks().get("a/../b?x#y").await.unwrap();
        client.tasks().get("%2F").await.unwrap();
        client.tasks().assign("a b").await.unwrap();
        client.tasks().unassign("x;y=1").await.unwrap();
        client.tasks().complete("é").await.unwrap();
        let uris: Vec<_> = recorder.requests().into_iter().map(|r| r.uri).collect();
        assert_eq!(
            uris,
            [
                "http://h/v1/tasks/a%2F..%2Fb%3Fx%23y",
                "http://h/v1/tasks/%252F",
                "http://h/v1/tasks/a%20b/assign",
                "http://h/v1/tasks/x%3By%3D1/unassign",
                "http://h/v1/tasks/%C3%A9/complete",
            ]
        );
    }

    #[tokio::test]
    async fn ids_that_cannot_be_a_segment_are_refused_before_sending() {
        let recorder = Recorder::new([]);
        let client = recorder.client("http://h");
        for id in ["", ".", ".."] {
            let e = client.tasks().get(id).await.unwrap_err();
            assert!(matches!(e, Error::InvalidArgument(_)), "{id:?}: {e}");
            let e = client.tasks().variables(id).search().await.unwrap_err();
            assert!(matches!(e, Error::InvalidArgument(_)), "{id:?}: {e}");
        }
        assert_eq!(recorder.count(), 0);
    }

    #[tokio::test]
    async fn base_urls_with_a_prefix_with_or_without_slash() {
        let recorder = Recorder::with(|_| ok(TASK));
        recorder
            .client("https://h:8443/tasklist")
            .tasks()
            .get("1")
            .await
            .unwrap();
        recorder
            .client("https://h:8443/tasklist/")
            .tasks()
            .get("1")
            .await
            .unwrap();
        recorder
            .client("https://h:8443/")
            .tasks()
            .get("1")
            .await
            .unwrap();
        recorder
            .client("https://h:8443")
            .tasks()
            .get("1")
            .await
            .unwrap();
        let uris: Vec<_> = recorder.requests().into_iter().map(|r| r.uri).collect();
        assert_eq!(
            uris,
            [
                "https://h:8443/tasklist/v1/tasks/1",
                "https://h:8443/tasklist/v1/tasks/1",
                "https://h:8443/v1/tasks/1",
                "https://h:8443/v1/tasks/1",
            ]
        );
    }

    #[tokio::test]
    async fn every_call_has_its_method_path_body_and_idempotency() {
        let recorder = Recorder::with(|r| match r.uri.as_str() {
            u if u.ends_with("/variables") => json_response(204, ""),
            u if u.ends_with("/search") => ok("[]"),
            u if u.contains("/v1/variables/") => ok(r#"{"id":"v"}"#),
            u if u.contains("/v1/forms/") => ok(r#"{"id":"f"}"#),
            _ => ok(TASK),
        });
        let client = recorder.client("http://h");
        let vars = Variables::new().with("a", &1).unwrap();
        client.tasks().search().send().await.unwrap();
        client.tasks().get("7").await.unwrap();
        client
            .tasks()
            .assign("7")
            .assignee("demo")
            .allow_override(false)
            .await
            .unwrap();
        client.tasks().assign("7").await.unwrap();
        client.tasks().unassign("7").await.unwrap();
        client
            .tasks()
            .complete("7")
            .variables(vars.clone())
            .await
            .unwrap();
        client.tasks().complete("7").await.unwrap();
        client
            .tasks()
            .save_draft_variables("7", vars)
            .await
            .unwrap();
        client
            .tasks()
            .variables("7")
            .search()
            .names(["a"])
            .await
            .unwrap();
        client.variables().get("v-1").await.unwrap();
        client.forms().get("f-1", "123").version(3).await.unwrap();

        use Idempotency::{Idempotent as I, NotIdempotent as N};
        let expected = [
            ("POST", "/v1/tasks/search", Some("{}"), I),
            ("GET", "/v1/tasks/7", None, I),
            (
                "PATCH",
                "/v1/tasks/7/assign",
                Some(r#"{"assignee":"demo","allowOverrideAssignment":false}"#),
                N,
            ),
            ("PATCH", "/v1/tasks/7/assign", Some("{}"), N),
            ("PATCH", "/v1/tasks/7/unassign", None, N),
            (
                "PATCH",
                "/v1/tasks/7/complete",
                Some(r#"{"variables":[{"name":"a","value":"1"}]}"#),
                N,
            ),
            ("PATCH", "/v1/tasks/7/complete", Some("{}"), N),
            (
                "POST",
                "/v1/tasks/7/variables",
                Some(r#"{"variables":[{"name":"a","value":"1"}]}"#),
                N,
            ),
            (
                "POST",
                "/v1/tasks/7/variables/search",
                Some(r#"{"variableNames":["a"]}"#),
                I,
            ),
            ("GET", "/v1/variables/v-1", None, I),
            (
                "GET",
                "/v1/forms/f-1?processDefinitionKey=123&version=3",
                None,
                I,
            ),
        ];
        let requests = recorder.requests();
        assert_eq!(requests.len(), expected.len());
        for (request, (method, path, body, idempotency)) in requests.iter().zip(expected) {
            assert_eq!(request.method, method, "{path}");
            assert_eq!(request.uri, format!("http://h{path}"));
            assert_eq!(request.body, body.unwrap_or(""), "{path}");
            assert_eq!(request.idempotency, idempotency, "{path}");
            let accept = if path.ends_with("/variables") {
                "application/json, application/problem+json, */*"
            } else {
                "application/json, application/problem+json"
            };
            assert_eq!(request.header("accept"), Some(accept), "{path}");
            let content_type = body.map(|_| "application/json");
            assert_eq!(request.header("content-type"), content_type, "{path}");
        }
    }

    #[tokio::test]
    async fn search_builder_writes_every_filter() {
        let recorder = Recorder::with(|_| ok("[]"));
        let client = recorder.client("http://h");
        let from = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        let to = jiff::Timestamp::from_second(1_800_000_000).unwrap();
        client
            .tasks()
            .search()
            .state(TaskState::Created)
            .assigned(true)
            .assignee("demo")
            .assignees(["a", "b"])
            .task_definition_id("check")
            .candidate_group("g")
            .candidate_groups(["g1"])
            .candidate_user("u")
            .candidate_users(["u1", "u2"])
            .process_definition_key("11")
            .process_instance_key("22")
            .page_size(10)
            .due_date_from(from)
            .due_date_to(to)
            .follow_up_date_from(from)
            .variable_equals("region", &"EMEA")
            .variable_equals("big", &u64::MAX)
            .tenant_ids(["t1"])
            .tenant_id("t2")
            .sort(TaskSortField::DueDate, SortOrder::Asc)
            .sort(TaskSortField::Priority, SortOrder::Desc)
            .cursor(Cursor::Before(vec!["5".into(), "x".into()]))
            .include_variable("a")
            .include_variable_full_value("b")
            .implementation(Implementation::ZeebeUserTask)
            .priority(10..=90)
            .await
            .unwrap();
        let body = recorder.requests()[0].json();
        assert_eq!(
            body,
            json!({
                "state": "CREATED",
                "assigned": true,
                "assignee": "demo",
                "assignees": ["a", "b"],
                "taskDefinitionId": "check",
                "candidateGroup": "g",
                "candidateGroups": ["g1"],
                "candidateUser": "u",
                "candidateUsers": ["u1", "u2"],
                "processDefinitionKey": "11",
                "processInstanceKey": "22",
                "pageSize": 10,
                "dueDate": {"from": "2023-11-14T22:13:20Z", "to": "2027-01-15T08:00:00Z"},
                "followUpDate": {"from": "2023-11-14T22:13:20Z"},
                "taskVariables": [
                    {"name": "region", "value": "\"EMEA\"", "operator": "eq"},
                    {"name": "big", "value": "18446744073709551615", "operator": "eq"}
                ],
                "tenantIds": ["t1", "t2"],
                "sort": [
                    {"field": "dueDate", "order": "ASC"},
                    {"field": "priority", "order": "DESC"}
                ],
                "searchBefore": ["5", "x"],
                "includeVariables": [
                    {"name": "a", "alwaysReturnFullValue": false},
                    {"name": "b", "alwaysReturnFullValue": true}
                ],
                "implementation": "ZEEBE_USER_TASK",
                "priority": {"gte": 10, "lte": 90}
            })
        );
    }

    #[test]
    fn a_later_cursor_replaces_an_earlier_one() {
        let client = Recorder::new([]).client("http://h");
        let search = client
            .tasks()
            .search()
            .cursor(Cursor::After(vec!["1".into()]))
            .cursor(Cursor::BeforeOrEqual(vec!["2".into()]));
        let request = search.request();
        assert_eq!(request.search_after, None);
        assert_eq!(request.search_before_or_equal, Some(vec!["2".into()]));
    }

    #[tokio::test]
    async fn rule_violations_are_caught_before_sending() {
        let recorder = Recorder::new([]);
        let client = recorder.client("http://h");

        let two_cursors = TaskSearchRequest {
            search_after: Some(vec!["1".into()]),
            search_before_or_equal: Some(vec!["2".into()]),
            ..TaskSearchRequest::default()
        };
        let zero_page = TaskSearchRequest {
            page_size: Some(0),
            ..TaskSearchRequest::default()
        };

        let failures = [
            client.tasks().search_with(two_cursors).send(),
            client.tasks().search_with(zero_page).send(),
            client.tasks().search().page_size(u32::MAX).send(),
            client.tasks().search().priority(-1..).send(),
            client.tasks().search().priority(..=101).send(),
            client.tasks().search().priority_eq(500).send(),
            client.tasks().search().cursor(Cursor::After(vec![])).send(),
            client
                .tasks()
                .search()
                .variable_equals("m", &std::collections::HashMap::from([((1, 2), 3)]))
                .send(),
        ];
        for failure in failures {
            let e = failure.await.unwrap_err();
            assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
        }
        let e = client
            .tasks()
            .variables("7")
            .search()
            .name("a")
            .include("b")
            .await
            .unwrap_err();
        assert!(e.to_string().contains("variableNames and includeVariables"));
        assert_eq!(recorder.count(), 0);

        // Priorities at the limits are fine.
        assert!(
            client
                .tasks()
                .search()
                .priority(0..=100)
                .into_request()
                .is_ok()
        );
    }

    #[tokio::test]
    async fn error_responses_become_typed_errors() {
        let recorder = Recorder::new([
            json_response(
                404,
                r#"{"status":404,"message":"task 7 not found","instance":"i-1"}"#,
            ),
            json_response(
                400,
                r#"{"status":400,"message":"Task is not assigned","instance":"i-2"}"#,
            ),
            json_response(403, "Invalid CSRF token"),
            json_response(200, r#"{"id": 7}"#),
        ]);
        let client = recorder.client("http://h");
        let e = client.tasks().get("7").await.unwrap_err();
        assert!(e.is_not_found());
        assert_eq!(e.server_message(), Some("task 7 not found"));
        let e = client.tasks().complete("7").await.unwrap_err();
        assert!(matches!(&e, Error::InvalidRequest(api) if api.instance() == Some("i-2")));
        let e = client.tasks().unassign("7").await.unwrap_err();
        assert!(e.is_csrf());
        let e = client.tasks().get("7").await.unwrap_err();
        assert!(matches!(&e, Error::Decode { excerpt, .. } if excerpt == r#"{"id": 7}"#));
    }

    #[test]
    fn futures_and_builders_are_send_and_static() {
        fn send_static<T: Send + 'static>(_: &T) {}
        let client = Recorder::new([]).client("http://h");
        send_static(&client.tasks().search());
        send_static(&client.tasks().search().send());
        send_static(&client.tasks().search().into_stream());
        send_static(&client.tasks().get("1").send());
        send_static(&client.tasks().complete("1").send());
        send_static(&client.tasks().variables("1").search().send());
    }

    #[test]
    fn cursor_from_results() {
        let task: TaskSearchResult =
            serde_json::from_value(json!({"id": "7", "sortValues": ["a", "b"]})).unwrap();
        assert_eq!(
            Cursor::before(&task).unwrap(),
            Cursor::Before(vec!["a".into(), "b".into()])
        );
        let empty: TaskSearchResult =
            serde_json::from_value(json!({"id": "8", "sortValues": []})).unwrap();
        let e = Cursor::after(&empty).unwrap_err();
        assert!(matches!(e, Error::MissingSortValues { task_id: Some(id) } if id.as_str() == "8"));
    }
}
