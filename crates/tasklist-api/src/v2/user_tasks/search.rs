//! The search of user tasks.

use serde::Serialize;

use super::shared::search_call;
use crate::client::{Client, Target, into_future};
use crate::error::Error;
use crate::v2::models::{
    Cursor, DateTimeFilter, EnumFilter, IntegerFilter, KeyFilter, PageRequest,
    ProcessDefinitionKey, ProcessInstanceKey, Sort, StringFilter, UserTask, UserTaskFilter,
    UserTaskPage, UserTaskSearchQuery, UserTaskSortField, UserTaskState, VariableValueFilter,
};
use crate::v2::paging::PageStream;

/// A search of user tasks, from [`UserTasksApi::search`](super::UserTasksApi::search): set
/// the filter, sort and page, then `.await` it (or [`send`](Self::send) it) for one page, or
/// turn it into a stream of every match with [`into_stream`](Self::into_stream).
///
/// The setters for a filter field take an exact value (or, for text, anything that becomes a
/// [`StringFilter`], so `"demo"` or `StringFilter::like("de*")`); for the other operators
/// (`$neq`, `$exists`, `$in`, `$notIn`, `$gt`, ...) set the field with
/// [`filter_with`](Self::filter_with).
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use tasklist_api::v2::models::{DateTimeFilter, IntegerFilter, StringFilter, Timestamp};
///
/// let since: Timestamp = "2026-01-01T00:00:00Z".parse()?;
/// let page = client
///     .user_tasks()
///     .search()
///     .candidate_group(StringFilter::one_of(["accounting", "sales"]))
///     .priority(IntegerFilter::gte(50))
///     .filter_with(|f| f.creation_date = Some(DateTimeFilter::after(since)))
///     .process_instance_variable("region", "EMEA")?
///     .await?;
/// # let _ = page; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct SearchUserTasks {
    client: Client,
    query: UserTaskSearchQuery,
}

impl SearchUserTasks {
    pub(super) fn new(client: Client, query: UserTaskSearchQuery) -> Self {
        SearchUserTasks { client, query }
    }

    fn filter(&mut self) -> &mut UserTaskFilter {
        self.query
            .filter
            .get_or_insert_with(UserTaskFilter::default)
    }

    /// Changes the filter with `change`, for any field and operator.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::v2::models::StringFilter;
    /// let search = client
    ///     .user_tasks()
    ///     .search()
    ///     .filter_with(|f| f.assignee = Some(StringFilter::exists(false)));
    /// assert!(search.query().filter.as_ref().is_some_and(|f| f.assignee.is_some()));
    /// # }
    /// ```
    pub fn filter_with(mut self, change: impl FnOnce(&mut UserTaskFilter)) -> Self {
        change(self.filter());
        self
    }

    /// Only tasks in `state`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::v2::models::UserTaskState;
    /// let search = client.user_tasks().search().state(UserTaskState::Created);
    /// # let _ = search;
    /// # }
    /// ```
    pub fn state(mut self, state: UserTaskState) -> Self {
        self.filter().state = Some(EnumFilter::eq(state));
        self
    }

    /// Only tasks whose assignee matches (`"demo"`, or `StringFilter::exists(false)` for the
    /// unassigned ones).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::v2::models::StringFilter;
    /// let unassigned = client.user_tasks().search().assignee(StringFilter::exists(false));
    /// # let _ = unassigned;
    /// # }
    /// ```
    pub fn assignee(mut self, assignee: impl Into<StringFilter>) -> Self {
        self.filter().assignee = Some(assignee.into());
        self
    }

    /// Only tasks with a matching candidate group.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.user_tasks().search().candidate_group("accounting");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn candidate_group(mut self, group: impl Into<StringFilter>) -> Self {
        self.filter().candidate_group = Some(group.into());
        self
    }

    /// Only tasks with a matching candidate user.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.user_tasks().search().candidate_user("demo");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn candidate_user(mut self, user: impl Into<StringFilter>) -> Self {
        self.filter().candidate_user = Some(user.into());
        self
    }

    /// Only tasks with a matching name.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::v2::models::StringFilter;
    /// let search = client.user_tasks().search().name(StringFilter::like("Approve*"));
    /// # let _ = search;
    /// # }
    /// ```
    pub fn name(mut self, name: impl Into<StringFilter>) -> Self {
        self.filter().name = Some(name.into());
        self
    }

    /// Only tasks of a matching tenant.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.user_tasks().search().tenant_id("<default>");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn tenant_id(mut self, tenant: impl Into<StringFilter>) -> Self {
        self.filter().tenant_id = Some(tenant.into());
        self
    }

    /// Only tasks of a matching process definition id (the BPMN process id).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.user_tasks().search().process_definition_id("invoice");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn process_definition_id(mut self, id: impl Into<StringFilter>) -> Self {
        self.filter().process_definition_id = Some(id.into());
        self
    }

    /// Only tasks of the BPMN element `element_id`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.user_tasks().search().element_id("approve_invoice");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn element_id(mut self, element_id: impl Into<String>) -> Self {
        self.filter().element_id = Some(element_id.into());
        self
    }

    /// Only tasks whose priority matches.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::v2::models::IntegerFilter;
    /// let urgent = client.user_tasks().search().priority(IntegerFilter::gte(75));
    /// # let _ = urgent;
    /// # }
    /// ```
    pub fn priority(mut self, priority: IntegerFilter) -> Self {
        self.filter().priority = Some(priority);
        self
    }

    /// Only tasks of the process instance `key`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::v2::models::KeyError> {
    /// use tasklist_api::v2::models::ProcessInstanceKey;
    /// let search = client
    ///     .user_tasks()
    ///     .search()
    ///     .process_instance_key(ProcessInstanceKey::new("2251799813685249")?);
    /// # let _ = search; Ok(())
    /// # }
    /// ```
    pub fn process_instance_key(mut self, key: ProcessInstanceKey) -> Self {
        self.filter().process_instance_key = Some(KeyFilter::eq(key));
        self
    }

    /// Only tasks of the process definition `key`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::v2::models::KeyError> {
    /// use tasklist_api::v2::models::ProcessDefinitionKey;
    /// let search = client
    ///     .user_tasks()
    ///     .search()
    ///     .process_definition_key(ProcessDefinitionKey::new("2251799813685248")?);
    /// # let _ = search; Ok(())
    /// # }
    /// ```
    pub fn process_definition_key(mut self, key: ProcessDefinitionKey) -> Self {
        self.filter().process_definition_key = Some(KeyFilter::eq(key));
        self
    }

    /// Only tasks whose due date matches.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use tasklist_api::v2::models::DateTimeFilter;
    /// let now: tasklist_api::Timestamp = "2026-12-05T00:00:00Z".parse()?;
    /// let overdue = client.user_tasks().search().due_date(DateTimeFilter::before(now));
    /// # let _ = overdue; Ok(())
    /// # }
    /// ```
    pub fn due_date(mut self, due: DateTimeFilter) -> Self {
        self.filter().due_date = Some(due);
        self
    }

    /// Only tasks whose follow-up date matches.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use tasklist_api::v2::models::DateTimeFilter;
    /// let now: tasklist_api::Timestamp = "2026-12-05T00:00:00Z".parse()?;
    /// let due = client.user_tasks().search().follow_up_date(DateTimeFilter::before(now));
    /// # let _ = due; Ok(())
    /// # }
    /// ```
    pub fn follow_up_date(mut self, follow_up: DateTimeFilter) -> Self {
        self.filter().follow_up_date = Some(follow_up);
        self
    }

    /// Only tasks created at a matching instant.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use tasklist_api::v2::models::DateTimeFilter;
    /// let since: tasklist_api::Timestamp = "2026-12-01T00:00:00Z".parse()?;
    /// let recent = client.user_tasks().search().creation_date(DateTimeFilter::after(since));
    /// # let _ = recent; Ok(())
    /// # }
    /// ```
    pub fn creation_date(mut self, created: DateTimeFilter) -> Self {
        self.filter().creation_date = Some(created);
        self
    }

    /// Only tasks whose process instance has the variable `name` with a value equal to
    /// `value` (sent as JSON text, as the API compares them). Several calls must all match.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when `value` cannot be serialised to JSON.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let search = client
    ///     .user_tasks()
    ///     .search()
    ///     .process_instance_variable("region", "EMEA")?
    ///     .process_instance_variable("amount", &1250)?;
    /// let filter = search.query().filter.clone().unwrap_or_default();
    /// let values = filter.process_instance_variables.unwrap_or_default();
    /// assert_eq!(values[0].value.as_ref().and_then(|v| v.eq.as_deref()), Some(r#""EMEA""#));
    /// # Ok(())
    /// # }
    /// ```
    pub fn process_instance_variable<T: Serialize + ?Sized>(
        mut self,
        name: impl Into<String>,
        value: &T,
    ) -> Result<Self, Error> {
        let filter = variable_filter(name.into(), value)?;
        self.filter()
            .process_instance_variables
            .get_or_insert_with(Vec::new)
            .push(filter);
        Ok(self)
    }

    /// Only tasks with the local variable `name` equal to `value` (as
    /// [`process_instance_variable`](Self::process_instance_variable)).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when `value` cannot be serialised to JSON.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let search = client.user_tasks().search().local_variable("approved", &false)?;
    /// # let _ = search; Ok(())
    /// # }
    /// ```
    pub fn local_variable<T: Serialize + ?Sized>(
        mut self,
        name: impl Into<String>,
        value: &T,
    ) -> Result<Self, Error> {
        let filter = variable_filter(name.into(), value)?;
        self.filter()
            .local_variables
            .get_or_insert_with(Vec::new)
            .push(filter);
        Ok(self)
    }

    /// Sorts by `field`, ascending, after any sort given before.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::v2::models::UserTaskSortField;
    /// let search = client.user_tasks().search().sort_asc(UserTaskSortField::DueDate);
    /// # let _ = search;
    /// # }
    /// ```
    pub fn sort_asc(self, field: UserTaskSortField) -> Self {
        self.sort(Sort::asc(field))
    }

    /// Sorts by `field`, descending, after any sort given before.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::v2::models::UserTaskSortField;
    /// let search = client.user_tasks().search().sort_desc(UserTaskSortField::Priority);
    /// # let _ = search;
    /// # }
    /// ```
    pub fn sort_desc(self, field: UserTaskSortField) -> Self {
        self.sort(Sort::desc(field))
    }

    /// Adds `sort` after any sort given before.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::v2::models::{Sort, UserTaskSortField};
    /// let search = client.user_tasks().search().sort(Sort::new(UserTaskSortField::Name));
    /// # let _ = search;
    /// # }
    /// ```
    pub fn sort(mut self, sort: Sort<UserTaskSortField>) -> Self {
        self.query.sort.get_or_insert_with(Vec::new).push(sort);
        self
    }

    /// Asks for at most `limit` tasks (the server's default is 100, its maximum 10,000),
    /// keeping a cursor or offset set before.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.user_tasks().search().limit(10);
    /// assert_eq!(search.query().page.as_ref().and_then(|p| p.page_limit()), Some(10));
    /// # }
    /// ```
    pub fn limit(mut self, limit: u32) -> Self {
        let page = self.query.page.take().unwrap_or_default();
        self.query.page = Some(page.with_limit(Some(limit)));
        self
    }

    /// Asks for the page `page` (limit, offset or cursor).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::v2::models::PageRequest;
    /// let search = client.user_tasks().search().page(PageRequest::offset(100, 50));
    /// # let _ = search;
    /// # }
    /// ```
    pub fn page(mut self, page: PageRequest) -> Self {
        self.query.page = Some(page);
        self
    }

    /// Asks for the page after `cursor` (a page's `endCursor`), keeping the limit.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let first = client.user_tasks().search().limit(50).await?;
    /// if let Some(end) = first.page.end_cursor {
    ///     let second = client.user_tasks().search().limit(50).after(end).await?;
    ///     # let _ = second;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn after(mut self, cursor: Cursor) -> Self {
        let limit = self.query.page.as_ref().and_then(PageRequest::page_limit);
        self.query.page = Some(PageRequest::After {
            after: cursor,
            limit,
        });
        self
    }

    /// Asks for the page before `cursor` (a page's `startCursor`), keeping the limit.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::v2::models::Cursor;
    /// let search = client.user_tasks().search().before(Cursor::new("WzJd")).limit(20);
    /// # let _ = search;
    /// # }
    /// ```
    pub fn before(mut self, cursor: Cursor) -> Self {
        let limit = self.query.page.as_ref().and_then(PageRequest::page_limit);
        self.query.page = Some(PageRequest::Before {
            before: cursor,
            limit,
        });
        self
    }

    /// The query as it will be sent.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.user_tasks().search().assignee("demo");
    /// assert!(search.query().filter.is_some());
    /// # }
    /// ```
    pub fn query(&self) -> &UserTaskSearchQuery {
        &self.query
    }

    /// Sends the search and returns one page.
    ///
    /// # Errors
    ///
    /// The [`Error`] variant of what failed: the transport, the server's answer (its message
    /// kept), or the body.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let pending = client.user_tasks().search().send();
    /// let page = tokio::spawn(pending).await??;
    /// # let _ = page; Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<UserTaskPage> {
        let call = search_call(Target::SearchUserTasks, &self.query);
        let client = self.client;
        Box::pin(async move { client.json(call?).await })
    }

    /// Every matching task, page by page, as a stream; see [`PageStream`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use futures::TryStreamExt;
    /// use tasklist_api::v2::models::UserTaskState;
    ///
    /// let open: Vec<_> = client
    ///     .user_tasks()
    ///     .search()
    ///     .state(UserTaskState::Created)
    ///     .limit(200)
    ///     .into_stream()
    ///     .try_collect()
    ///     .await?;
    /// # let _ = open; Ok(())
    /// # }
    /// ```
    pub fn into_stream(self) -> PageStream<UserTask> {
        let first = self.query.page.clone().unwrap_or_default();
        let query = self.query;
        PageStream::of::<UserTaskPage>(self.client, first, move |page| {
            let mut query = query.clone();
            query.page = Some(page);
            search_call(Target::SearchUserTasks, &query)
        })
    }
}

into_future!(SearchUserTasks => UserTaskPage);

/// A variable filter: `name` equal to `value` as JSON text.
fn variable_filter<T: Serialize + ?Sized>(
    name: String,
    value: &T,
) -> Result<VariableValueFilter, Error> {
    let text = serde_json::to_string(value).map_err(|e| {
        Error::invalid(format!(
            "the value of variable filter `{name}` cannot be serialised: {e}"
        ))
    })?;
    Ok(VariableValueFilter {
        name: Some(name),
        value: Some(StringFilter::eq(text)),
    })
}
