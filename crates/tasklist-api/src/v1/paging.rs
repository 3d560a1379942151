//! Every result of a task search, page by page, as a [`Stream`].

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use futures::stream::FusedStream;
use http::Method;
use tasklist_transport::Idempotency;

use crate::ResponseFuture;
use crate::client::{Call, Client, Target};
use crate::error::Error;
use crate::pager::{Paged, Pager};
use crate::v1::cursor::Cursor;
use crate::v1::models::{TaskSearchRequest, TaskSearchResult};

/// The page size a [`TaskStream`] asks for when the search sets none: the server's default.
///
/// ```
/// assert_eq!(tasklist_api::DEFAULT_PAGE_SIZE, 50);
/// ```
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// The most pages a [`TaskStream`] requests unless told otherwise: 10,000 (500,000 tasks at the
/// default page size). A stream that reaches it with more to come ends with
/// [`Error::PageLimit`]; [`TaskStream::max_pages`] and [`TaskStream::unbounded_pages`] change it.
///
/// ```
/// assert_eq!(tasklist_api::DEFAULT_MAX_PAGES, 10_000);
/// ```
pub const DEFAULT_MAX_PAGES: usize = 10_000;

/// Every task matching a search, from [`SearchTasks::into_stream`](crate::SearchTasks::into_stream).
///
/// # Paging
///
/// The stream asks for one page, yields its tasks, and asks for the next page only when the
/// consumer wants more than it holds, so at most one page is in memory
/// ([`buffered_len`](TaskStream::buffered_len) tells how many tasks). Each request is the search as
/// built, with the page size set explicitly (the search's own, or [`DEFAULT_PAGE_SIZE`]) and
/// the cursor moved on. A page shorter than the page size is the last one.
///
/// - **Forward** (no cursor, or [`Cursor::After`] / [`Cursor::AfterOrEqual`]): the next
///   request has `searchAfter` set to the `sortValues` of the page's last task. Tasks come in
///   the search's sort order.
/// - **Backward** ([`Cursor::Before`] / [`Cursor::BeforeOrEqual`]): the server returns the
///   tasks just before the cursor, each page in the search's sort order; the next request has
///   `searchBefore` set to the `sortValues` of the page's first task. The stream yields each
///   page reversed, so tasks come *walking away from the cursor*: the one nearest to it first,
///   that is in the reverse of the sort order.
///
/// A result without `sortValues` where the next cursor must come from yields
/// [`Error::MissingSortValues`] after the page's tasks, and the stream ends. Any other error
/// also ends the stream, after being yielded once.
///
/// # Bounds
///
/// A server that does not honour the cursor could make a stream request pages forever; two
/// checks end it with an error instead:
///
/// - **A cursor that does not move.** When the cursor taken from a full page equals the one
///   that page was requested with, the server answered the same page again: the stream yields
///   [`Error::PagingStalled`] instead of that page's tasks (a repeat, or tasks out of the
///   cursor's order) and ends. Against a server that returns one page forever, that is after two requests.
/// - **A limit on pages**, [`DEFAULT_MAX_PAGES`] unless set with
///   [`max_pages`](TaskStream::max_pages) or lifted with
///   [`unbounded_pages`](TaskStream::unbounded_pages). When that many pages have come and the
///   last was full, the stream yields [`Error::PageLimit`], which holds the cursor to resume
///   from, and ends. A last page shorter than the page size ends the stream as usual, even at
///   the limit.
///
/// # Example
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), tasklist_api::Error> {
/// # // Serves tasks 1..=5 in pages, like a server sorting by id.
/// # let five = tasklist_transport::test_util::Canned::new(|request| {
/// #     let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
/// #     let size = body["pageSize"].as_u64().unwrap();
/// #     let after = body["searchAfter"][0].as_str().map_or(0, |s| s.parse().unwrap());
/// #     let page: Vec<_> = (after + 1..=5).take(size as usize)
/// #         .map(|n| serde_json::json!({"id": n.to_string(), "sortValues": [n.to_string()]}))
/// #         .collect();
/// #     http::Response::new(serde_json::to_vec(&page).unwrap().into())
/// # });
/// # let client = tasklist_api::Client::new("http://localhost:8080", five)?;
/// use futures::StreamExt;
///
/// let mut tasks = client.tasks().search().page_size(2).into_stream();
/// let mut ids = Vec::new();
/// while let Some(task) = tasks.next().await {
///     ids.push(task?.id.unwrap().into_inner());
///     assert!(tasks.buffered_len() <= 2);
/// }
/// assert_eq!(ids, ["1", "2", "3", "4", "5"]);
/// assert_eq!(tasks.pages_fetched(), 3);
/// # Ok(())
/// # }
/// ```
#[must_use = "a stream does nothing until polled"]
pub struct TaskStream {
    client: Client,
    /// The search as the next request sends it, its cursor included.
    request: TaskSearchRequest,
    page_size: usize,
    /// The cursor of the next request (also set in `request`); `None` for a first request
    /// without one. Every later cursor keeps the direction of the first.
    next: Option<Cursor>,
    /// The page being yielded, the request in flight, an error to yield, the end, and the
    /// page count with its limit.
    pager: Pager<TaskSearchResult, Vec<TaskSearchResult>>,
}

impl fmt::Debug for TaskStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskStream")
            .field("page_size", &self.page_size)
            .field("backward", &self.is_backward())
            .field("next", &self.next)
            .field("buffered", &self.pager.buffer.len())
            .field("in_flight", &self.pager.in_flight())
            .field("pages", &self.pager.pages)
            .field("max_pages", &self.pager.max_pages)
            .finish_non_exhaustive()
    }
}

impl TaskStream {
    pub(crate) fn new(client: Client, request: Result<TaskSearchRequest, Error>) -> Self {
        let mut stream = TaskStream {
            client,
            request: TaskSearchRequest::default(),
            page_size: 0,
            next: None,
            pager: Pager::new(true, DEFAULT_MAX_PAGES),
        };
        let (mut request, next) =
            match request.and_then(|request| Cursor::of(&request).map(|next| (request, next))) {
                Ok(found) => found,
                Err(e) => {
                    stream.pager.failure = Some(e);
                    return stream;
                }
            };
        let page_size = request
            .page_size
            .and_then(|s| u32::try_from(s).ok())
            .unwrap_or(DEFAULT_PAGE_SIZE);
        request.page_size = i32::try_from(page_size).ok();
        stream.page_size = usize::try_from(page_size).unwrap_or(usize::MAX);
        stream.request = request;
        stream.next = next;
        stream.pager.done = false;
        stream
    }

    /// Sets the most pages the stream requests (at least 1; `0` counts as 1). When that many
    /// have come and the last was full, the stream ends with [`Error::PageLimit`]. The default
    /// is [`DEFAULT_MAX_PAGES`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let tasks = client.tasks().search().page_size(1000).into_stream().max_pages(50_000);
    /// assert_eq!(tasks.page_limit(), Some(50_000));
    /// # }
    /// ```
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.pager.max_pages = Some(pages.max(1));
        self
    }

    /// Lifts the limit on pages: the stream requests pages until a short one comes (or the
    /// cursor stops moving, which [`Error::PagingStalled`] reports).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let tasks = client.tasks().search().into_stream().unbounded_pages();
    /// assert_eq!(tasks.page_limit(), None);
    /// # }
    /// ```
    pub fn unbounded_pages(mut self) -> Self {
        self.pager.max_pages = None;
        self
    }

    /// The most pages the stream requests; `None` when unbounded.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let tasks = client.tasks().search().into_stream();
    /// assert_eq!(tasks.page_limit(), Some(tasklist_api::DEFAULT_MAX_PAGES));
    /// # }
    /// ```
    pub fn page_limit(&self) -> Option<usize> {
        self.pager.max_pages
    }

    /// How many tasks the stream holds, fetched but not yet yielded: at most one page.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// let tasks = client.tasks().search().into_stream();
    /// assert_eq!(tasks.buffered_len(), 0); // nothing is fetched before the first poll
    /// # }
    /// ```
    pub fn buffered_len(&self) -> usize {
        self.pager.buffer.len()
    }

    /// How many pages have been received so far.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// assert_eq!(client.tasks().search().into_stream().pages_fetched(), 0);
    /// # }
    /// ```
    pub fn pages_fetched(&self) -> usize {
        self.pager.pages
    }

    /// True when the stream pages backward (it started from [`Cursor::Before`] or
    /// [`Cursor::BeforeOrEqual`]).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// use tasklist_api::Cursor;
    /// let tasks = client.tasks().search().cursor(Cursor::Before(vec!["9".into()])).into_stream();
    /// assert!(tasks.is_backward());
    /// # }
    /// ```
    pub fn is_backward(&self) -> bool {
        self.next.as_ref().is_some_and(Cursor::is_backward)
    }

    /// The cursor the next page will be requested with: with it, a later search can resume
    /// where this stream stops (after the tasks still [`buffered_len`](TaskStream::buffered_len)).
    /// `None` once the last page has been received, or before the first request of a search
    /// without a cursor.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// use tasklist_api::Cursor;
    /// let start = Cursor::After(vec!["1".into()]);
    /// let tasks = client.tasks().search().cursor(start.clone()).into_stream();
    /// assert_eq!(tasks.next_cursor(), Some(&start));
    /// # }
    /// ```
    pub fn next_cursor(&self) -> Option<&Cursor> {
        if self.pager.done {
            None
        } else {
            self.next.as_ref()
        }
    }
}

impl Paged for TaskStream {
    type Item = TaskSearchResult;
    type Page = Vec<TaskSearchResult>;

    fn pager(&mut self) -> &mut Pager<TaskSearchResult, Vec<TaskSearchResult>> {
        &mut self.pager
    }

    fn fetch(&self) -> ResponseFuture<Vec<TaskSearchResult>> {
        let call = search_call(&self.request);
        let client = self.client.clone();
        Box::pin(async move { client.json(call?).await })
    }

    fn accept(&mut self, page: Vec<TaskSearchResult>) {
        let backward = self.is_backward();
        if page.len() < self.page_size {
            self.pager.done = true;
        } else {
            // The task the next page starts from: the one farthest from the cursor.
            let next = if backward {
                page.first().map(Cursor::before)
            } else {
                page.last().map(Cursor::after)
            };
            match next {
                Some(Ok(cursor)) if self.next.as_ref() == Some(&cursor) => {
                    // The same page again (or one out of the cursor's order): not yielded.
                    self.pager.failure = Some(Error::PagingStalled {
                        page: self.pager.pages,
                        cursor,
                    });
                    self.pager.done = true;
                    return;
                }
                Some(Ok(cursor)) if self.pager.at_page_limit() => {
                    self.pager.failure = Some(Error::PageLimit {
                        pages: self.pager.pages,
                        next: cursor,
                    });
                    self.pager.done = true;
                }
                Some(Ok(cursor)) => {
                    cursor.clone().apply(&mut self.request);
                    self.next = Some(cursor);
                }
                Some(Err(e)) => {
                    self.pager.failure = Some(e);
                    self.pager.done = true;
                }
                None => self.pager.done = true,
            }
        }
        if backward {
            self.pager.buffer.extend(page.into_iter().rev());
        } else {
            self.pager.buffer.extend(page);
        }
    }
}

impl Stream for TaskStream {
    type Item = Result<TaskSearchResult, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        crate::pager::poll_next(self.get_mut(), cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.pager.size_hint()
    }
}

impl FusedStream for TaskStream {
    fn is_terminated(&self) -> bool {
        self.pager.is_terminated()
    }
}

/// The call of a task search.
pub(crate) fn search_call(request: &TaskSearchRequest) -> Result<Call, Error> {
    Call::to(Method::POST, Target::SearchTasks, Idempotency::Idempotent)
        .answers_array()
        .json_body(request)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Recorder, json_response};
    use futures::{StreamExt, TryStreamExt};
    use serde_json::{Value, json};

    /// A server holding tasks 1..=total sorted by id, honouring pageSize, searchAfter and
    /// searchBefore as Tasklist does (a backward page comes in sort order).
    fn server(total: u64) -> Recorder {
        Recorder::with(move |request| {
            let body = request.json();
            let size = body["pageSize"].as_u64().unwrap_or(50);
            let value = |key: &str| body[key][0].as_str().map(|s| s.parse::<u64>().unwrap());
            let ids: Vec<u64> = if let Some(after) = value("searchAfter") {
                (after + 1..=total).take(size as usize).collect()
            } else if let Some(before) = value("searchBefore") {
                let mut ids: Vec<_> = (1..before).rev().take(size as usize).collect();
                ids.reverse();
                ids
            } else if let Some(before) = value("searchBeforeOrEqual") {
                let mut ids: Vec<_> = (1..=before).rev().take(size as usize).collect();
                ids.reverse();
                ids
            } else {
                let from = value("searchAfterOrEqual").unwrap_or(1);
                (from..=total).take(size as usize).collect()
            };
            let page: Vec<Value> = ids
                .iter()
                .map(|n| json!({"id": n.to_string(), "sortValues": [n.to_string(), "x"]}))
                .collect();
            json_response(200, &serde_json::to_string(&page).unwrap())
        })
    }

    fn cursors(recorder: &Recorder) -> Vec<Value> {
        recorder
            .requests()
            .iter()
            .map(|r| {
                let mut body = r.json();
                let object = body.as_object_mut().unwrap();
                object.remove("pageSize");
                object.remove("state");
                body
            })
            .collect()
    }

    fn ids(tasks: &[TaskSearchResult]) -> Vec<u64> {
        tasks
            .iter()
            .map(|t| t.id.as_ref().unwrap().as_str().parse().unwrap())
            .collect()
    }

    #[tokio::test]
    async fn forward_follows_search_after_and_stops_on_a_short_page() {
        let recorder = server(7);
        let client = recorder.client("http://h");
        let tasks: Vec<_> = client
            .tasks()
            .search()
            .state(crate::v1::models::TaskState::Created)
            .page_size(3)
            .into_stream()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(&tasks), [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(
            cursors(&recorder),
            [
                json!({}),
                json!({"searchAfter": ["3", "x"]}),
                json!({"searchAfter": ["6", "x"]}),
            ]
        );
        for request in recorder.requests() {
            assert_eq!(request.json()["pageSize"], 3);
            assert_eq!(request.json()["state"], "CREATED");
            assert_eq!(
                request.idempotency,
                tasklist_transport::Idempotency::Idempotent
            );
        }
    }

    #[tokio::test]
    async fn an_exact_multiple_needs_one_empty_page() {
        let recorder = server(4);
        let client = recorder.client("http://h");
        let tasks: Vec<_> = client
            .tasks()
            .search()
            .page_size(2)
            .into_stream()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(&tasks), [1, 2, 3, 4]);
        assert_eq!(recorder.count(), 3);
    }

    #[tokio::test]
    async fn default_page_size_is_sent_explicitly() {
        let recorder = server(120);
        let client = recorder.client("http://h");
        let tasks: Vec<_> = client
            .tasks()
            .search()
            .into_stream()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(tasks.len(), 120);
        assert_eq!(recorder.count(), 3);
        assert_eq!(recorder.requests()[0].json()["pageSize"], 50);
    }

    #[tokio::test]
    async fn after_or_equal_starts_inclusive_then_goes_strict() {
        let recorder = server(5);
        let client = recorder.client("http://h");
        let tasks: Vec<_> = client
            .tasks()
            .search()
            .page_size(2)
            .cursor(Cursor::AfterOrEqual(vec!["2".into(), "x".into()]))
            .into_stream()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(&tasks), [2, 3, 4, 5]);
        assert_eq!(
            cursors(&recorder),
            [
                json!({"searchAfterOrEqual": ["2", "x"]}),
                json!({"searchAfter": ["3", "x"]}),
                json!({"searchAfter": ["5", "x"]}),
            ]
        );
    }

    #[tokio::test]
    async fn backward_follows_search_before_and_walks_away_from_the_cursor() {
        let recorder = server(10);
        let client = recorder.client("http://h");
        let stream = client
            .tasks()
            .search()
            .page_size(3)
            .cursor(Cursor::Before(vec!["9".into(), "x".into()]))
            .into_stream();
        assert!(stream.is_backward());
        let tasks: Vec<_> = stream.try_collect().await.unwrap();
        assert_eq!(ids(&tasks), [8, 7, 6, 5, 4, 3, 2, 1]);
        assert_eq!(
            cursors(&recorder),
            [
                json!({"searchBefore": ["9", "x"]}),
                json!({"searchBefore": ["6", "x"]}),
                json!({"searchBefore": ["3", "x"]}),
            ]
        );
    }

    #[tokio::test]
    async fn before_or_equal_includes_the_cursor_task() {
        let recorder = server(10);
        let client = recorder.client("http://h");
        let tasks: Vec<_> = client
            .tasks()
            .search()
            .page_size(4)
            .cursor(Cursor::BeforeOrEqual(vec!["5".into(), "x".into()]))
            .into_stream()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(&tasks), [5, 4, 3, 2, 1]);
        assert_eq!(
            cursors(&recorder),
            [
                json!({"searchBeforeOrEqual": ["5", "x"]}),
                json!({"searchBefore": ["2", "x"]}),
            ]
        );
    }

    #[tokio::test]
    async fn pages_are_fetched_only_when_the_buffer_is_drained() {
        let recorder = server(10);
        let client = recorder.client("http://h");
        let mut stream = client.tasks().search().page_size(4).into_stream();
        assert_eq!((recorder.count(), stream.buffered_len()), (0, 0));
        stream.next().await.unwrap().unwrap();
        assert_eq!((recorder.count(), stream.buffered_len()), (1, 3));
        for _ in 0..3 {
            stream.next().await.unwrap().unwrap();
        }
        assert_eq!((recorder.count(), stream.buffered_len()), (1, 0));
        assert_eq!(
            stream.next_cursor(),
            Some(&Cursor::After(vec!["4".into(), "x".into()]))
        );
        stream.next().await.unwrap().unwrap();
        assert_eq!((recorder.count(), stream.buffered_len()), (2, 3));
        let rest: Vec<_> = stream.by_ref().try_collect().await.unwrap();
        assert_eq!(ids(&rest), [6, 7, 8, 9, 10]);
        assert_eq!(stream.pages_fetched(), 3);
        assert!(stream.is_terminated());
        assert!(stream.next().await.is_none());
        assert_eq!(recorder.count(), 3);
    }

    #[tokio::test]
    async fn a_result_without_sort_values_is_an_error_not_a_loop() {
        let recorder = Recorder::new([json_response(
            200,
            r#"[{"id":"1","sortValues":["1"]},{"id":"2"}]"#,
        )]);
        let client = recorder.client("http://h");
        let items: Vec<_> = client
            .tasks()
            .search()
            .page_size(2)
            .into_stream()
            .collect()
            .await;
        assert_eq!(items.len(), 3);
        assert!(items[0].is_ok() && items[1].is_ok());
        assert!(matches!(
            &items[2],
            Err(Error::MissingSortValues { task_id: Some(id) }) if id.as_str() == "2"
        ));
        assert_eq!(recorder.count(), 1);
    }

    /// A server that answers every search with the same full page of `size` tasks.
    fn same_page_forever(size: u64) -> Recorder {
        Recorder::with(move |_| {
            let page: Vec<Value> = (1..=size)
                .map(|n| json!({"id": n.to_string(), "sortValues": [n.to_string()]}))
                .collect();
            json_response(200, &serde_json::to_string(&page).unwrap())
        })
    }

    #[tokio::test]
    async fn the_same_page_again_ends_the_stream_after_two_requests() {
        let recorder = same_page_forever(3);
        let client = recorder.client("http://h");
        let mut stream = client.tasks().search().page_size(3).into_stream();
        let mut items = Vec::new();
        // Bounded, so that a regression fails instead of hanging.
        while let Some(item) = stream.next().await {
            items.push(item);
            assert!(items.len() <= 10, "the stream did not end");
        }
        assert_eq!(items.len(), 4, "{items:?}");
        let tasks: Vec<_> = items[..3]
            .iter()
            .map(|i| i.as_ref().unwrap().clone())
            .collect();
        assert_eq!(ids(&tasks), [1, 2, 3]);
        match &items[3] {
            Err(error @ Error::PagingStalled { page, cursor }) => {
                assert_eq!(*page, 2);
                assert_eq!(cursor, &Cursor::After(vec!["3".into()]));
                assert!(
                    error
                        .to_string()
                        .starts_with("the server returned the same page again: the cursor did not move after page 2"),
                    "{error}"
                );
            }
            other => panic!("expected PagingStalled, got {other:?}"),
        }
        assert_eq!(recorder.count(), 2);
        assert_eq!(stream.pages_fetched(), 2);
        assert!(stream.is_terminated() && stream.next().await.is_none());
        assert_eq!(recorder.count(), 2);
    }

    #[tokio::test]
    async fn a_backward_cursor_that_does_not_move_also_ends_the_stream() {
        let recorder = same_page_forever(2);
        let client = recorder.client("http://h");
        let items: Vec<_> = client
            .tasks()
            .search()
            .page_size(2)
            .cursor(Cursor::Before(vec!["9".into()]))
            .into_stream()
            .take(10)
            .collect()
            .await;
        // The first page backward yields [2, 1]; its first task's cursor is Before(["1"]); the
        // second request with that cursor gets the same page, whose cursor is Before(["1"]).
        assert_eq!(items.len(), 3, "{items:?}");
        assert!(matches!(
            &items[2],
            Err(Error::PagingStalled { page: 2, cursor }) if cursor == &Cursor::Before(vec!["1".into()])
        ));
        assert_eq!(recorder.count(), 2);
    }

    #[tokio::test]
    async fn an_inclusive_start_on_its_own_task_is_not_a_stall() {
        // Page size 1 from AfterOrEqual(2): the first page is task 2 itself, whose cursor
        // After(2) has the sort values of the start but is another cursor.
        let recorder = server(3);
        let client = recorder.client("http://h");
        let tasks: Vec<_> = client
            .tasks()
            .search()
            .page_size(1)
            .cursor(Cursor::AfterOrEqual(vec!["2".into(), "x".into()]))
            .into_stream()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(&tasks), [2, 3]);
    }

    #[tokio::test]
    async fn the_page_limit_ends_the_stream_with_the_cursor_to_resume_from() {
        let recorder = server(100);
        let client = recorder.client("http://h");
        let stream = client.tasks().search().page_size(3).into_stream();
        assert_eq!(stream.page_limit(), Some(DEFAULT_MAX_PAGES));
        let mut stream = stream.max_pages(4);
        let mut items = Vec::new();
        while let Some(item) = stream.next().await {
            items.push(item);
            assert!(items.len() <= 100, "the stream did not end");
        }
        assert_eq!(items.len(), 13, "four pages of three tasks, then the error");
        let tasks: Vec<_> = items[..12]
            .iter()
            .map(|i| i.as_ref().unwrap().clone())
            .collect();
        assert_eq!(ids(&tasks), (1..=12).collect::<Vec<_>>());
        match &items[12] {
            Err(error @ Error::PageLimit { pages, next }) => {
                assert_eq!(*pages, 4);
                assert_eq!(next, &Cursor::After(vec!["12".into(), "x".into()]));
                assert!(
                    error
                        .to_string()
                        .starts_with("stopped after 4 pages, the limit; raise it"),
                    "{error}"
                );
            }
            other => panic!("expected PageLimit, got {other:?}"),
        }
        assert_eq!(recorder.count(), 4);

        // A short last page at the limit ends the stream as usual.
        let recorder = server(10);
        let client = recorder.client("http://h");
        let tasks: Vec<_> = client
            .tasks()
            .search()
            .page_size(3)
            .into_stream()
            .max_pages(4)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(tasks.len(), 10);
        assert_eq!(recorder.count(), 4);

        // Zero counts as one; unbounded has no limit.
        let recorder = server(10);
        let client = recorder.client("http://h");
        let stream = client.tasks().search().page_size(3).into_stream();
        assert_eq!(stream.max_pages(0).page_limit(), Some(1));
        let stream = client
            .tasks()
            .search()
            .page_size(3)
            .into_stream()
            .max_pages(1);
        let items: Vec<_> = stream.collect().await;
        assert_eq!(items.len(), 4);
        assert!(matches!(items[3], Err(Error::PageLimit { pages: 1, .. })));
        let stream = client
            .tasks()
            .search()
            .page_size(1)
            .into_stream()
            .unbounded_pages();
        assert_eq!(stream.page_limit(), None);
        let tasks: Vec<_> = stream.try_collect().await.unwrap();
        assert_eq!(tasks.len(), 10);
    }

    #[tokio::test]
    async fn errors_end_the_stream() {
        let recorder = Recorder::new([
            json_response(200, r#"[{"id":"1","sortValues":["1"]}]"#),
            json_response(500, r#"{"status":500,"message":"boom"}"#),
        ]);
        let client = recorder.client("http://h");
        let items: Vec<_> = client
            .tasks()
            .search()
            .page_size(1)
            .into_stream()
            .collect()
            .await;
        assert_eq!(items.len(), 2);
        assert!(matches!(&items[1], Err(Error::Server(_))));
        assert_eq!(recorder.count(), 2);

        // Rule violations surface on the first poll, without a request.
        let recorder = Recorder::new([]);
        let client = recorder.client("http://h");
        let items: Vec<_> = client
            .tasks()
            .search()
            .priority_eq(101)
            .into_stream()
            .collect()
            .await;
        assert!(matches!(items.as_slice(), [Err(Error::InvalidArgument(_))]));
        assert_eq!(recorder.count(), 0);
    }
}
