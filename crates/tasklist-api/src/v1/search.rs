//! The task search: the [`SearchTasks`] builder with a method per filter, the checks of the
//! API's rules, and the cursors read from search results.

use std::ops::{Bound, RangeBounds};

use serde::Serialize;

use crate::client::{Client, into_future};
use crate::error::Error;
use crate::v1::cursor::Cursor;
use crate::v1::models::{
    DateFilter, Implementation, IncludeVariable, PriorityFilter, ProcessDefinitionKey,
    ProcessInstanceKey, SortOrder, TaskOrderBy, TaskSearchRequest, TaskSearchResult, TaskSortField,
    TaskState, TaskVariableFilter, Timestamp, VariableOperator,
};
use crate::v1::paging::{TaskStream, search_call};

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
}

fn sort_values(task: &TaskSearchResult) -> Result<Vec<String>, Error> {
    match &task.sort_values {
        Some(values) if !values.is_empty() => Ok(values.clone()),
        _ => Err(Error::MissingSortValues {
            task_id: task.id.clone(),
        }),
    }
}

/// A task search (`POST /v1/tasks/search`), from [`TasksApi::search`](crate::TasksApi::search).
///
/// Each method sets one filter of [`TaskSearchRequest`]; the plural ones add to the list.
/// The API's rules are checked before anything is sent: one cursor at most (guaranteed by
/// [`Cursor`], checked for requests from
/// [`TasksApi::search_with`](crate::TasksApi::search_with)), a positive page size, priorities
/// within 0..=100.
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
    pub(super) fn new(client: Client, request: TaskSearchRequest) -> Self {
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

/// Adds `items` to the list, starting one if there is none.
pub(super) fn extend<I, S>(list: &mut Option<Vec<String>>, items: I)
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    list.get_or_insert_with(Vec::new)
        .extend(items.into_iter().map(Into::into));
}

/// Adds the variable `name` to `list`, with its full value when `full`.
pub(super) fn include_variable(list: &mut Option<Vec<IncludeVariable>>, name: String, full: bool) {
    list.get_or_insert_with(Vec::new).push(IncludeVariable {
        name: Some(name),
        always_return_full_value: Some(full),
    });
}

fn date_filter(filter: &mut Option<DateFilter>) -> &mut DateFilter {
    filter.get_or_insert_with(DateFilter::default)
}
