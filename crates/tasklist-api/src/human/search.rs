//! The search of the common task interface, sent as a v1 or a v2 search.

use std::ops::{Bound, RangeBounds};

use std::fmt;

use futures::stream::{self, BoxStream};
use futures::{StreamExt, TryStreamExt};
use serde::Deserialize;
use serde::de::{Deserializer, SeqAccess, Visitor};

use super::task::{Task, TaskState, TaskVariable};
use crate::api::Api;
use crate::client::{Client, Target};
use crate::error::Error;
use crate::timestamp::Timestamp;
use crate::v1::models as v1;
use crate::v2::models as v2;

/// What a search can sort by.
///
/// ```
/// use tasklist_api::human::SortField;
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let soonest = client.human_tasks().search().sort_asc(SortField::DueDate).send().await?;
/// # let _ = soonest; Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SortField {
    /// When the task was created.
    CreationDate,
    /// When it was completed.
    CompletionDate,
    /// When it is due.
    DueDate,
    /// When it should be followed up.
    FollowUpDate,
    /// Its priority.
    Priority,
}

impl SortField {
    fn v1(self) -> v1::TaskSortField {
        match self {
            SortField::CreationDate => v1::TaskSortField::CreationTime,
            SortField::CompletionDate => v1::TaskSortField::CompletionTime,
            SortField::DueDate => v1::TaskSortField::DueDate,
            SortField::FollowUpDate => v1::TaskSortField::FollowUpDate,
            SortField::Priority => v1::TaskSortField::Priority,
        }
    }

    fn v2(self) -> v2::UserTaskSortField {
        match self {
            SortField::CreationDate => v2::UserTaskSortField::CreationDate,
            SortField::CompletionDate => v2::UserTaskSortField::CompletionDate,
            SortField::DueDate => v2::UserTaskSortField::DueDate,
            SortField::FollowUpDate => v2::UserTaskSortField::FollowUpDate,
            SortField::Priority => v2::UserTaskSortField::Priority,
        }
    }
}

/// A search of tasks, from [`HumanTasks::search`](super::HumanTasks::search), sent as the
/// v1 or v2 search of the API the client uses. Filters given together must all match; a list
/// (candidate groups, users) matches any of its values.
///
/// [`send`](Self::send) returns the first page ([`page_size`](Self::page_size) tasks, or the
/// API's default: 50 on v1, 100 on v2); [`stream`](Self::stream) every match, one page in
/// memory at a time.
///
/// On v2, [`include_variable`](Self::include_variable) costs one more request per task (the
/// v2 search returns no variables).
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use futures::TryStreamExt;
/// use tasklist_api::human::{SortField, TaskState};
///
/// let next_week: tasklist_api::Timestamp = "2026-12-12T00:00:00Z".parse()?;
/// let all: Vec<_> = client
///     .human_tasks()
///     .search()
///     .state(TaskState::Created)
///     .assigned(false)
///     .candidate_groups(["accounting", "sales"])
///     .due_date_to(next_week)
///     .priority(50..)
///     .sort_desc(SortField::Priority)
///     .stream()
///     .try_collect()
///     .await?;
/// # let _ = all; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a search does nothing until it is sent or streamed"]
pub struct Search {
    client: Client,
    state: Option<TaskState>,
    assignee: Option<String>,
    assigned: Option<bool>,
    candidate_groups: Vec<String>,
    candidate_users: Vec<String>,
    process_definition_key: Option<String>,
    process_instance_key: Option<String>,
    task_definition_id: Option<String>,
    due: (Option<Timestamp>, Option<Timestamp>),
    follow_up: (Option<Timestamp>, Option<Timestamp>),
    priority: Option<(Bound<i32>, Bound<i32>)>,
    tenant_id: Option<String>,
    include_variables: Vec<String>,
    sort: Vec<(SortField, bool)>,
    page_size: Option<u32>,
}

impl Search {
    pub(crate) fn new(client: Client) -> Self {
        Search {
            client,
            state: None,
            assignee: None,
            assigned: None,
            candidate_groups: Vec::new(),
            candidate_users: Vec::new(),
            process_definition_key: None,
            process_instance_key: None,
            task_definition_id: None,
            due: (None, None),
            follow_up: (None, None),
            priority: None,
            tenant_id: None,
            include_variables: Vec::new(),
            sort: Vec::new(),
            page_size: None,
        }
    }

    /// Only tasks in `state`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::human::TaskState;
    /// let open = client.human_tasks().search().state(TaskState::Created);
    /// # let _ = open;
    /// # }
    /// ```
    pub fn state(mut self, state: TaskState) -> Self {
        self.state = Some(state);
        self
    }

    /// Only tasks assigned to `assignee`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let mine = client.human_tasks().search().assignee("demo");
    /// # let _ = mine;
    /// # }
    /// ```
    pub fn assignee(mut self, assignee: impl Into<String>) -> Self {
        self.assignee = Some(assignee.into());
        self
    }

    /// Only assigned (`true`) or unassigned (`false`) tasks.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let free = client.human_tasks().search().assigned(false);
    /// # let _ = free;
    /// # }
    /// ```
    pub fn assigned(mut self, assigned: bool) -> Self {
        self.assigned = Some(assigned);
        self
    }

    /// Only tasks with the candidate group `group` (added to any given before: any matches).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.human_tasks().search().candidate_group("accounting");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn candidate_group(mut self, group: impl Into<String>) -> Self {
        self.candidate_groups.push(group.into());
        self
    }

    /// Only tasks with any of the candidate groups `groups`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.human_tasks().search().candidate_groups(["accounting", "sales"]);
    /// # let _ = search;
    /// # }
    /// ```
    pub fn candidate_groups<S: Into<String>>(
        mut self,
        groups: impl IntoIterator<Item = S>,
    ) -> Self {
        self.candidate_groups
            .extend(groups.into_iter().map(Into::into));
        self
    }

    /// Only tasks with the candidate user `user` (added to any given before: any matches).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.human_tasks().search().candidate_user("demo");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn candidate_user(mut self, user: impl Into<String>) -> Self {
        self.candidate_users.push(user.into());
        self
    }

    /// Only tasks with any of the candidate users `users`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.human_tasks().search().candidate_users(["demo", "jane"]);
    /// # let _ = search;
    /// # }
    /// ```
    pub fn candidate_users<S: Into<String>>(mut self, users: impl IntoIterator<Item = S>) -> Self {
        self.candidate_users
            .extend(users.into_iter().map(Into::into));
        self
    }

    /// Only tasks of the process definition `key`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.human_tasks().search().process_definition_key("2251799813685249");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn process_definition_key(mut self, key: impl Into<String>) -> Self {
        self.process_definition_key = Some(key.into());
        self
    }

    /// Only tasks of the process instance `key`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.human_tasks().search().process_instance_key("2251799813685251");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn process_instance_key(mut self, key: impl Into<String>) -> Self {
        self.process_instance_key = Some(key.into());
        self
    }

    /// Only tasks of the BPMN element `id` (v1 `taskDefinitionId`, v2 `elementId`).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.human_tasks().search().task_definition_id("review_invoice");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn task_definition_id(mut self, id: impl Into<String>) -> Self {
        self.task_definition_id = Some(id.into());
        self
    }

    /// Only tasks due at or after `from`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let search = client.human_tasks().search().due_date_from("2026-12-01T00:00:00Z".parse()?);
    /// # let _ = search; Ok(())
    /// # }
    /// ```
    pub fn due_date_from(mut self, from: Timestamp) -> Self {
        self.due.0 = Some(from);
        self
    }

    /// Only tasks due at or before `to`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let search = client.human_tasks().search().due_date_to("2026-12-31T23:59:59Z".parse()?);
    /// # let _ = search; Ok(())
    /// # }
    /// ```
    pub fn due_date_to(mut self, to: Timestamp) -> Self {
        self.due.1 = Some(to);
        self
    }

    /// Only tasks to follow up at or after `from`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let search = client.human_tasks().search().follow_up_date_from("2026-12-01T00:00:00Z".parse()?);
    /// # let _ = search; Ok(())
    /// # }
    /// ```
    pub fn follow_up_date_from(mut self, from: Timestamp) -> Self {
        self.follow_up.0 = Some(from);
        self
    }

    /// Only tasks to follow up at or before `to`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let search = client.human_tasks().search().follow_up_date_to("2026-12-31T00:00:00Z".parse()?);
    /// # let _ = search; Ok(())
    /// # }
    /// ```
    pub fn follow_up_date_to(mut self, to: Timestamp) -> Self {
        self.follow_up.1 = Some(to);
        self
    }

    /// Only tasks whose priority is in `range` (`50..`, `..=20`, `10..90`).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let urgent = client.human_tasks().search().priority(75..);
    /// # let _ = urgent;
    /// # }
    /// ```
    pub fn priority(mut self, range: impl RangeBounds<i32>) -> Self {
        self.priority = Some((range.start_bound().cloned(), range.end_bound().cloned()));
        self
    }

    /// Only tasks of the tenant `tenant`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.human_tasks().search().tenant_id("<default>");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn tenant_id(mut self, tenant: impl Into<String>) -> Self {
        self.tenant_id = Some(tenant.into());
        self
    }

    /// Includes the variable `name`, with its whole value, in each task found
    /// ([`Task::variables`]).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.human_tasks().search().include_variable("amount");
    /// # let _ = search;
    /// # }
    /// ```
    pub fn include_variable(mut self, name: impl Into<String>) -> Self {
        self.include_variables.push(name.into());
        self
    }

    /// Sorts by `field`, ascending, after any sort given before.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::human::SortField;
    /// let search = client.human_tasks().search().sort_asc(SortField::DueDate);
    /// # let _ = search;
    /// # }
    /// ```
    pub fn sort_asc(mut self, field: SortField) -> Self {
        self.sort.push((field, false));
        self
    }

    /// Sorts by `field`, descending, after any sort given before.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::human::SortField;
    /// let search = client.human_tasks().search().sort_desc(SortField::Priority);
    /// # let _ = search;
    /// # }
    /// ```
    pub fn sort_desc(mut self, field: SortField) -> Self {
        self.sort.push((field, true));
        self
    }

    /// How many tasks a page holds.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.human_tasks().search().page_size(20);
    /// # let _ = search;
    /// # }
    /// ```
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// The v1 search this is.
    fn to_v1(&self) -> crate::v1::SearchTasks {
        let mut search = self.client.tasks().search();
        if let Some(state) = &self.state {
            let state = state
                .as_str()
                .parse::<v1::TaskState>()
                .unwrap_or_else(|never| match never {});
            search = search.state(state);
        }
        if let Some(assignee) = &self.assignee {
            search = search.assignee(assignee.clone());
        }
        if let Some(assigned) = self.assigned {
            search = search.assigned(assigned);
        }
        match self.candidate_groups.as_slice() {
            [] => {}
            [one] => search = search.candidate_group(one.clone()),
            many => search = search.candidate_groups(many.iter().cloned()),
        }
        match self.candidate_users.as_slice() {
            [] => {}
            [one] => search = search.candidate_user(one.clone()),
            many => search = search.candidate_users(many.iter().cloned()),
        }
        if let Some(key) = &self.process_definition_key {
            search = search.process_definition_key(key.clone());
        }
        if let Some(key) = &self.process_instance_key {
            search = search.process_instance_key(key.clone());
        }
        if let Some(id) = &self.task_definition_id {
            search = search.task_definition_id(id.clone());
        }
        if let Some(from) = &self.due.0 {
            search = search.due_date_from(from.clone());
        }
        if let Some(to) = &self.due.1 {
            search = search.due_date_to(to.clone());
        }
        if let Some(from) = &self.follow_up.0 {
            search = search.follow_up_date_from(from.clone());
        }
        if let Some(to) = &self.follow_up.1 {
            search = search.follow_up_date_to(to.clone());
        }
        if let Some(range) = self.priority {
            search = search.priority(range);
        }
        if let Some(tenant) = &self.tenant_id {
            search = search.tenant_id(tenant.clone());
        }
        for name in &self.include_variables {
            search = search.include_variable_full_value(name.clone());
        }
        for (field, descending) in &self.sort {
            let order = if *descending {
                v1::SortOrder::Desc
            } else {
                v1::SortOrder::Asc
            };
            search = search.sort(field.v1(), order);
        }
        if let Some(size) = self.page_size {
            search = search.page_size(size);
        }
        search
    }

    /// The v2 search this is.
    fn to_v2(&self) -> Result<crate::v2::SearchUserTasks, Error> {
        let mut search = self.client.user_tasks().search();
        if let Some(state) = &self.state {
            let state = state
                .as_str()
                .parse::<v2::UserTaskState>()
                .unwrap_or_else(|never| match never {});
            search = search.state(state);
        }
        match (&self.assignee, self.assigned) {
            // Both given: both must hold, as v1 asks (`assigned(false)` with an assignee finds
            // nothing there, and here).
            (Some(assignee), Some(assigned)) => {
                search =
                    search.assignee(v2::StringFilter::eq(assignee.clone()).and_exists(assigned));
            }
            (Some(assignee), None) => search = search.assignee(assignee.clone()),
            (None, Some(assigned)) => search = search.assignee(v2::StringFilter::exists(assigned)),
            (None, None) => {}
        }
        match self.candidate_groups.as_slice() {
            [] => {}
            [one] => search = search.candidate_group(one.clone()),
            many => search = search.candidate_group(v2::StringFilter::one_of(many.iter().cloned())),
        }
        match self.candidate_users.as_slice() {
            [] => {}
            [one] => search = search.candidate_user(one.clone()),
            many => search = search.candidate_user(v2::StringFilter::one_of(many.iter().cloned())),
        }
        if let Some(key) = &self.process_definition_key {
            search = search.process_definition_key(key_of(key, "process definition key")?);
        }
        if let Some(key) = &self.process_instance_key {
            search = search.process_instance_key(key_of(key, "process instance key")?);
        }
        if let Some(id) = &self.task_definition_id {
            search = search.element_id(id.clone());
        }
        if let Some(filter) = date_filter(&self.due) {
            search = search.due_date(filter);
        }
        if let Some(filter) = date_filter(&self.follow_up) {
            search = search.follow_up_date(filter);
        }
        if let Some(range) = self.priority
            && let Some(filter) = priority_filter(range)
        {
            search = search.priority(filter);
        }
        if let Some(tenant) = &self.tenant_id {
            search = search.tenant_id(tenant.clone());
        }
        for (field, descending) in &self.sort {
            search = if *descending {
                search.sort_desc(field.v2())
            } else {
                search.sort_asc(field.v2())
            };
        }
        if let Some(size) = self.page_size {
            search = search.limit(size);
        }
        Ok(search)
    }

    /// The first page of matches.
    ///
    /// # Errors
    ///
    /// As the API's own search; [`Error::InvalidArgument`] for a key that v2 cannot take (not
    /// a decimal number).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let page = client.human_tasks().search().page_size(10).send().await?;
    /// # let _ = page; Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Vec<Task>> {
        match self.client.known_api() {
            Some(api) => self.send_as(api),
            None => Box::pin(async move {
                let api = self.client.api().await?.api;
                self.send_as(api).await
            }),
        }
    }

    /// Sends the search as `api`'s. The request is made before the future is boxed, which
    /// then holds only the API's own future (under a kilobyte, like every call's).
    ///
    /// The page is decoded straight into `Task`s ([`V1Tasks`], [`V2Tasks`]): each task is
    /// read once, as the API's own search reads it, and not moved again.
    fn send_as(self, api: Api) -> crate::ResponseFuture<Vec<Task>> {
        let client = self.client.clone();
        match api {
            Api::V1 => {
                let call = self
                    .to_v1()
                    .into_request()
                    .and_then(|request| crate::v1::search_call(&request));
                Box::pin(async move {
                    let V1Tasks(mut tasks) = client.json(call?).await?;
                    for task in &mut tasks {
                        task.take_included_variables()?;
                    }
                    Ok(tasks)
                })
            }
            _ => {
                let call = self.to_v2().and_then(|search| {
                    crate::v2::search_call(Target::SearchUserTasks, search.query())
                });
                let names = self.include_variables;
                Box::pin(async move {
                    let V2Tasks { items: mut tasks } = client.json(call?).await?;
                    for task in &mut tasks {
                        add_variables(&client, task, &names).await?;
                    }
                    Ok(tasks)
                })
            }
        }
    }

    /// Every match, page by page, one page in memory (the API's own stream: v1's
    /// [`TaskStream`](crate::TaskStream), v2's [`PageStream`](crate::v2::PageStream), with
    /// their ends and errors).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use futures::TryStreamExt;
    /// let mut tasks = client.human_tasks().search().assigned(false).stream();
    /// while let Some(task) = tasks.try_next().await? {
    ///     println!("{}", task.key());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn stream(self) -> BoxStream<'static, Result<Task, Error>> {
        let start = async move {
            let stream: BoxStream<'static, Result<Task, Error>> = match self.client.api().await?.api
            {
                Api::V1 => self
                    .to_v1()
                    .into_stream()
                    .map(|found| found.and_then(Task::from_v1_search))
                    .boxed(),
                _ => {
                    let client = self.client.clone();
                    let names = self.include_variables.clone();
                    self.to_v2()?
                        .into_stream()
                        .map_ok(Task::from_v2)
                        .and_then(move |task| {
                            let client = client.clone();
                            let names = names.clone();
                            async move { with_variables(&client, task, &names).await }
                        })
                        .boxed()
                }
            };
            Ok::<_, Error>(stream)
        };
        stream::once(start)
            .map(|started| match started {
                Ok(stream) => stream,
                Err(error) => stream::once(async move { Err(error) }).boxed(),
            })
            .flatten()
            .boxed()
    }
}

/// A key for a v2 filter.
fn key_of<K: std::str::FromStr<Err = v2::KeyError>>(key: &str, what: &str) -> Result<K, Error> {
    key.parse()
        .map_err(|e| Error::invalid(format!("the {what} is not usable: {e}")))
}

/// The v2 filter of an inclusive date range.
fn date_filter(range: &(Option<Timestamp>, Option<Timestamp>)) -> Option<v2::DateTimeFilter> {
    match range {
        (None, None) => None,
        (Some(from), None) => Some(v2::DateTimeFilter::gte(from.clone())),
        (None, Some(to)) => Some(v2::DateTimeFilter::lte(to.clone())),
        (Some(from), Some(to)) => Some(v2::DateTimeFilter::gte(from.clone()).and_lte(to.clone())),
    }
}

/// The v2 filter of a priority range.
fn priority_filter((start, end): (Bound<i32>, Bound<i32>)) -> Option<v2::IntegerFilter> {
    let lower = match start {
        Bound::Included(n) => Some(v2::IntegerFilter::gte(n)),
        Bound::Excluded(n) => Some(v2::IntegerFilter::gt(n)),
        Bound::Unbounded => None,
    };
    match (lower, end) {
        (lower, Bound::Unbounded) => lower,
        (Some(filter), Bound::Included(n)) => Some(filter.and_lte(n)),
        (Some(filter), Bound::Excluded(n)) => Some(filter.and_lt(n)),
        (None, Bound::Included(n)) => Some(v2::IntegerFilter::lte(n)),
        (None, Bound::Excluded(n)) => Some(v2::IntegerFilter::lt(n)),
    }
}

/// `task` with the variables `names` (whole values), read with one v2 variable search.
async fn with_variables(client: &Client, mut task: Task, names: &[String]) -> Result<Task, Error> {
    add_variables(client, &mut task, names).await?;
    Ok(task)
}

/// Sets `task`'s variables to `names` (whole values), read with one v2 variable search.
async fn add_variables(client: &Client, task: &mut Task, names: &[String]) -> Result<(), Error> {
    if names.is_empty() {
        return Ok(());
    }
    let key = v2::UserTaskKey::new(task.key())
        .map_err(|e| Error::invalid(format!("the task key is not usable: {e}")))?;
    let found: Vec<_> = client
        .user_tasks()
        .variables(key)
        .name(v2::StringFilter::one_of(names.iter().cloned()))
        .truncate_values(false)
        .into_stream()
        .try_collect()
        .await?;
    task.variables = found
        .iter()
        .map(TaskVariable::from_v2)
        .collect::<Result<_, _>>()?;
    Ok(())
}

/// A v1 search page (a JSON array of tasks), decoded straight into `Task`s.
struct V1Tasks(Vec<Task>);

impl<'de> Deserialize<'de> for V1Tasks {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_seq(TasksVisitor(Task::from_v1_found as fn(_) -> Task))
            .map(V1Tasks)
    }
}

/// A v2 search page (`{items, page}`), its items decoded straight into `Task`s.
#[derive(Deserialize)]
struct V2Tasks {
    #[serde(default, deserialize_with = "v2_items")]
    items: Vec<Task>,
}

fn v2_items<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Task>, D::Error> {
    deserializer.deserialize_seq(TasksVisitor(Task::from_v2 as fn(_) -> Task))
}

/// Reads a JSON array of one API's tasks, making each a `Task` as it is read.
struct TasksVisitor<F>(F);

impl<'de, R: Deserialize<'de>> Visitor<'de> for TasksVisitor<fn(R) -> Task> {
    type Value = Vec<Task>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of tasks")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Task>, A::Error> {
        let mut tasks = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(raw) = seq.next_element::<R>()? {
            tasks.push((self.0)(raw));
        }
        Ok(tasks)
    }
}
