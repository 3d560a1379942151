//! The reads of a user task: the task, its form, and the searches of its variables, effective
//! variables and audit log.

use http::{Method, StatusCode};
use tasklist_transport::Idempotency;

use super::shared::{KeyArg, checked, search_call, task_path};
use crate::client::{Call, Client, Target, into_future};
use crate::error::Error;
use crate::v2::models::{
    AuditLog, AuditLogPage, Form, OffsetPage, PageRequest, Sort, SortOrder, StringFilter, UserTask,
    UserTaskAuditLogSearchQuery, UserTaskEffectiveVariableSearchQuery, UserTaskVariableFilter,
    UserTaskVariableSearchQuery, Variable, VariablePage, VariableSortField,
};
use crate::v2::paging::PageStream;

/// The read of one user task, from [`UserTasksApi::get`](super::UserTasksApi::get).
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let task = client.user_tasks().get("2251799813685251").send().await?;
/// # let _ = task; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct GetUserTask {
    client: Client,
    key: KeyArg,
}

impl GetUserTask {
    pub(super) fn new(client: Client, key: KeyArg) -> Self {
        GetUserTask { client, key }
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when no such task is visible (yet: reads lag behind commands);
    /// otherwise as any call.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// match client.user_tasks().get("1").send().await {
    ///     Ok(task) => println!("{:?}", task.state),
    ///     Err(e) if e.is_not_found() => println!("not visible (yet)"),
    ///     Err(e) => println!("{e}"),
    /// }
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<UserTask> {
        Box::pin(async move {
            let path = task_path(checked(&self.key)?, &[])?.build();
            let call = Call::new(Method::GET, path, Idempotency::Idempotent);
            self.client.json(call).await
        })
    }
}

into_future!(GetUserTask => UserTask);

/// The read of a task's form, from [`UserTasksApi::form`](super::UserTasksApi::form).
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let form = client.user_tasks().form("1").send().await?;
/// # let _ = form; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct GetUserTaskForm {
    client: Client,
    key: KeyArg,
}

impl GetUserTaskForm {
    pub(super) fn new(client: Client, key: KeyArg) -> Self {
        GetUserTaskForm { client, key }
    }

    /// Sends the request: `None` when the task has no linked form (`204`).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when there is no such task; otherwise as any call.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// if let Some(form) = client.user_tasks().form("1").send().await? {
    ///     println!("{}", form.schema.unwrap_or_default());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Option<Form>> {
        Box::pin(async move {
            let path = task_path(checked(&self.key)?, &["form"])?.build();
            let call = Call::new(Method::GET, path, Idempotency::Idempotent);
            let (status, body) = self.client.execute(call).await?;
            if status == StatusCode::NO_CONTENT {
                return Ok(None);
            }
            serde_json::from_slice(&body)
                .map(Some)
                .map_err(|e| Error::decode(status, &body, e))
        })
    }
}

into_future!(GetUserTaskForm => Option<Form>);

/// The call of a variable search of the task `key` (`what` is `variables` or
/// `effective-variables`), with `?truncateValues=` when set.
fn variable_search(
    key: &KeyArg,
    what: &str,
    truncate: Option<bool>,
    query: &impl serde::Serialize,
) -> Result<Call, Error> {
    let mut path = task_path(checked(key)?, &[what, "search"])?;
    if let Some(truncate) = truncate {
        path = path.query("truncateValues", if truncate { "true" } else { "false" });
    }
    search_call(Target::Path(path.build()), query)
}

/// The setters the two variable searches share: the name filter, `truncateValues` and the
/// sort. `$call` is the `UserTasksApi` method that makes the search, for the examples.
macro_rules! variable_filters {
    ($call:ident) => {
        /// Only variables whose name matches.
        ///
        /// ```
        /// # fn example(client: tasklist_api::Client) {
        #[doc = concat!("let search = client.user_tasks().", stringify!($call), "(\"1\").name(\"amount\");")]
        /// # let _ = search;
        /// # }
        /// ```
        pub fn name(mut self, name: impl Into<StringFilter>) -> Self {
            self.query
                .filter
                .get_or_insert_with(UserTaskVariableFilter::default)
                .name = Some(name.into());
            self
        }

        /// Whether long values are cut (`?truncateValues=`; the server cuts them by default).
        ///
        /// ```
        /// # fn example(client: tasklist_api::Client) {
        #[doc = concat!("let whole = client.user_tasks().", stringify!($call), "(\"1\").truncate_values(false);")]
        /// # let _ = whole;
        /// # }
        /// ```
        pub fn truncate_values(mut self, truncate: bool) -> Self {
            self.truncate_values = Some(truncate);
            self
        }

        /// Sorts by `field` in `order`, after any sort given before.
        ///
        /// ```
        /// # fn example(client: tasklist_api::Client) {
        /// use tasklist_api::v2::models::{SortOrder, VariableSortField};
        #[doc = concat!("let search = client.user_tasks().", stringify!($call), "(\"1\").sort(VariableSortField::Name, SortOrder::Asc);")]
        /// # let _ = search;
        /// # }
        /// ```
        pub fn sort(mut self, field: VariableSortField, order: SortOrder) -> Self {
            let sort = Sort {
                field,
                order: Some(order),
            };
            self.query.sort.get_or_insert_with(Vec::new).push(sort);
            self
        }
    };
}

/// A search of the variables visible from a task, from
/// [`UserTasksApi::variables`](super::UserTasksApi::variables).
///
/// Values come as JSON text, cut to a preview unless
/// [`truncate_values(false)`](Self::truncate_values) asks for them whole; a cut value decodes
/// to [`Error::VariableTruncated`] rather than to something wrong.
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// use tasklist_api::v2::models::StringFilter;
/// let page = client
///     .user_tasks()
///     .variables("1")
///     .name(StringFilter::one_of(["amount", "region"]))
///     .await?;
/// # let _ = page; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct SearchUserTaskVariables {
    client: Client,
    key: KeyArg,
    query: UserTaskVariableSearchQuery,
    truncate_values: Option<bool>,
}

impl SearchUserTaskVariables {
    pub(super) fn new(client: Client, key: KeyArg, query: UserTaskVariableSearchQuery) -> Self {
        SearchUserTaskVariables {
            client,
            key,
            query,
            truncate_values: None,
        }
    }

    variable_filters!(variables);

    /// Asks for at most `limit` variables, keeping a cursor or offset set before.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.user_tasks().variables("1").limit(500);
    /// # let _ = search;
    /// # }
    /// ```
    pub fn limit(mut self, limit: u32) -> Self {
        let page = self.query.page.take().unwrap_or_default();
        self.query.page = Some(page.with_limit(Some(limit)));
        self
    }

    /// Asks for the page `page`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::v2::models::PageRequest;
    /// let search = client.user_tasks().variables("1").page(PageRequest::offset(0, 100));
    /// # let _ = search;
    /// # }
    /// ```
    pub fn page(mut self, page: PageRequest) -> Self {
        self.query.page = Some(page);
        self
    }

    /// Sends the search and returns one page.
    ///
    /// # Errors
    ///
    /// As any call; [`Error::NotFound`] when there is no such task.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let page = client.user_tasks().variables("1").send().await?;
    /// # let _ = page; Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<VariablePage> {
        let call = variable_search(&self.key, "variables", self.truncate_values, &self.query);
        let client = self.client;
        Box::pin(async move { client.json(call?).await })
    }

    /// Every matching variable, page by page; see [`PageStream`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use futures::TryStreamExt;
    /// let all: Vec<_> = client.user_tasks().variables("1").into_stream().try_collect().await?;
    /// # let _ = all; Ok(())
    /// # }
    /// ```
    pub fn into_stream(self) -> PageStream<Variable> {
        let first = self.query.page.clone().unwrap_or_default();
        let (key, truncate, query) = (self.key, self.truncate_values, self.query);
        PageStream::of::<VariablePage>(self.client, first, move |page| {
            let mut query = query.clone();
            query.page = Some(page);
            variable_search(&key, "variables", truncate, &query)
        })
    }
}

into_future!(SearchUserTaskVariables => VariablePage);

/// A search of the variables in effect for a task, from
/// [`UserTasksApi::effective_variables`](super::UserTasksApi::effective_variables): one per
/// name, the innermost scope's. The endpoint pages by offset only.
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let page = client.user_tasks().effective_variables("1").name("amount").await?;
/// # let _ = page; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct SearchEffectiveVariables {
    client: Client,
    key: KeyArg,
    query: UserTaskEffectiveVariableSearchQuery,
    truncate_values: Option<bool>,
}

impl SearchEffectiveVariables {
    pub(super) fn new(
        client: Client,
        key: KeyArg,
        query: UserTaskEffectiveVariableSearchQuery,
    ) -> Self {
        SearchEffectiveVariables {
            client,
            key,
            query,
            truncate_values: None,
        }
    }

    variable_filters!(effective_variables);

    /// Asks for `limit` variables from the `from`-th on (counting from 0).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let second_page = client.user_tasks().effective_variables("1").offset(50, 50);
    /// # let _ = second_page;
    /// # }
    /// ```
    pub fn offset(mut self, from: u32, limit: u32) -> Self {
        self.query.page = Some(OffsetPage {
            from: Some(int32(from)),
            limit: Some(int32(limit)),
        });
        self
    }

    /// Sends the search and returns one page.
    ///
    /// # Errors
    ///
    /// As any call; [`Error::NotFound`] when there is no such task, or when the server
    /// predates the endpoint (early 8.8 patch releases: use
    /// [`UserTasksApi::variables`](super::UserTasksApi::variables) there).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let page = client.user_tasks().effective_variables("1").send().await?;
    /// # let _ = page; Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<VariablePage> {
        let call = variable_search(
            &self.key,
            "effective-variables",
            self.truncate_values,
            &self.query,
        );
        let client = self.client;
        Box::pin(async move { client.json(call?).await })
    }

    /// Every matching variable, by offset, page after page; see [`PageStream`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use futures::TryStreamExt;
    /// let all: Vec<_> = client
    ///     .user_tasks()
    ///     .effective_variables("1")
    ///     .into_stream()
    ///     .try_collect()
    ///     .await?;
    /// # let _ = all; Ok(())
    /// # }
    /// ```
    pub fn into_stream(self) -> PageStream<Variable> {
        let (from, limit) = match &self.query.page {
            Some(page) => (page.from, page.limit),
            None => (None, None),
        };
        let first = PageRequest::Offset {
            from: Some(from.and_then(|f| u32::try_from(f).ok()).unwrap_or(0)),
            limit: limit.and_then(|l| u32::try_from(l).ok()),
        };
        let (key, truncate, query) = (self.key, self.truncate_values, self.query);
        PageStream::of::<VariablePage>(self.client, first, move |page| {
            let mut query = query.clone();
            query.page = Some(match page {
                PageRequest::Offset { from, limit } => OffsetPage {
                    from: from.map(int32),
                    limit: limit.map(int32),
                },
                // The stream pages this search by offset only.
                _ => OffsetPage::default(),
            });
            variable_search(&key, "effective-variables", truncate, &query)
        })
    }
}

into_future!(SearchEffectiveVariables => VariablePage);

/// `value` as the wire's `int32`, at most `i32::MAX`.
fn int32(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// A search of a task's audit log, from
/// [`UserTasksApi::audit_logs`](super::UserTasksApi::audit_logs) (8.9 and later).
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// use futures::TryStreamExt;
/// let entries: Vec<_> = client.user_tasks().audit_logs("1").into_stream().try_collect().await?;
/// # let _ = entries; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct SearchUserTaskAuditLogs {
    client: Client,
    key: KeyArg,
    query: UserTaskAuditLogSearchQuery,
}

impl SearchUserTaskAuditLogs {
    pub(super) fn new(client: Client, key: KeyArg, query: UserTaskAuditLogSearchQuery) -> Self {
        SearchUserTaskAuditLogs { client, key, query }
    }

    /// Changes the query with `change` (filter and sort).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::v2::models::{AuditLogSortField, Sort};
    /// let search = client
    ///     .user_tasks()
    ///     .audit_logs("1")
    ///     .query_with(|q| q.sort = Some(vec![Sort::desc(AuditLogSortField::Timestamp)]));
    /// # let _ = search;
    /// # }
    /// ```
    pub fn query_with(mut self, change: impl FnOnce(&mut UserTaskAuditLogSearchQuery)) -> Self {
        change(&mut self.query);
        self
    }

    /// Asks for at most `limit` entries, keeping a cursor or offset set before.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let search = client.user_tasks().audit_logs("1").limit(10);
    /// # let _ = search;
    /// # }
    /// ```
    pub fn limit(mut self, limit: u32) -> Self {
        let page = self.query.page.take().unwrap_or_default();
        self.query.page = Some(page.with_limit(Some(limit)));
        self
    }

    fn call(key: &KeyArg, query: &UserTaskAuditLogSearchQuery) -> Result<Call, Error> {
        let path = task_path(checked(key)?, &["audit-logs", "search"])?.build();
        search_call(Target::Path(path), query)
    }

    /// Sends the search and returns one page.
    ///
    /// # Errors
    ///
    /// As any call; [`Error::NotFound`] on 8.8, which has no audit log endpoint.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let page = client.user_tasks().audit_logs("1").send().await?;
    /// # let _ = page; Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<AuditLogPage> {
        let call = Self::call(&self.key, &self.query);
        let client = self.client;
        Box::pin(async move { client.json(call?).await })
    }

    /// Every matching entry, page by page; see [`PageStream`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// use futures::TryStreamExt;
    /// let all: Vec<_> = client.user_tasks().audit_logs("1").into_stream().try_collect().await?;
    /// # let _ = all; Ok(())
    /// # }
    /// ```
    pub fn into_stream(self) -> PageStream<AuditLog> {
        let first = self.query.page.clone().unwrap_or_default();
        let (key, query) = (self.key, self.query);
        PageStream::of::<AuditLogPage>(self.client, first, move |page| {
            let mut query = query.clone();
            query.page = Some(page);
            Self::call(&key, &query)
        })
    }
}

into_future!(SearchUserTaskAuditLogs => AuditLogPage);
