//! Every result of a v2 search, page by page, as a [`Stream`].

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use futures::stream::FusedStream;

use serde::de::DeserializeOwned;

use crate::ResponseFuture;
use crate::client::{Call, Client};
use crate::error::Error;
use crate::pager::{Paged, Pager};
use crate::v2::models::{
    AuditLog, AuditLogPage, PageInfo, PageRequest, UserTask, UserTaskPage, Variable, VariablePage,
};

/// The page size a stream asks for when the search sets none: the server's own default.
///
/// ```
/// assert_eq!(tasklist_api::v2::DEFAULT_PAGE_LIMIT, 100);
/// ```
pub const DEFAULT_PAGE_LIMIT: u32 = 100;

/// How many pages a [`PageStream`] fetches before it stops with
/// [`Error::StreamPageLimit`], unless told otherwise.
///
/// ```
/// assert_eq!(tasklist_api::v2::DEFAULT_MAX_PAGES, 10_000);
/// ```
pub const DEFAULT_MAX_PAGES: usize = 10_000;

/// A page of a v2 search result: its `page` information and its items.
///
/// ```
/// use tasklist_api::v2::SearchPage;
/// use tasklist_api::v2::models::UserTaskPage;
///
/// let page: UserTaskPage = serde_json::from_str(r#"{"items":[{"userTaskKey":"1"}],"page":{"totalItems":1}}"#)?;
/// let (info, items) = page.into_parts();
/// assert_eq!((info.total_items, items.len()), (Some(1), 1));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub trait SearchPage {
    /// What the page lists.
    type Item;

    /// The page information and the items.
    ///
    /// ```
    /// use tasklist_api::v2::SearchPage;
    /// let (info, items) = tasklist_api::v2::models::VariablePage::default().into_parts();
    /// assert!(items.is_empty() && info.end_cursor.is_none());
    /// ```
    fn into_parts(self) -> (PageInfo, Vec<Self::Item>);
}

impl SearchPage for UserTaskPage {
    type Item = UserTask;
    fn into_parts(self) -> (PageInfo, Vec<UserTask>) {
        (self.page, self.items)
    }
}

impl SearchPage for VariablePage {
    type Item = Variable;
    fn into_parts(self) -> (PageInfo, Vec<Variable>) {
        (self.page, self.items)
    }
}

impl SearchPage for AuditLogPage {
    type Item = AuditLog;
    fn into_parts(self) -> (PageInfo, Vec<AuditLog>) {
        (self.page, self.items)
    }
}

/// Fetches the page a request names.
type Fetch<T> = Box<dyn Fn(PageRequest) -> ResponseFuture<(PageInfo, Vec<T>)> + Send + Sync>;

/// Every result of a v2 search, fetched page by page as the stream is polled.
///
/// - **Cursor paging** (the searches' default): the first page is requested as the search
///   says (`{limit}`, or from a cursor), each next one with `{after: endCursor}` of the page
///   before; a search that starts `before` a cursor walks backward with `{before:
///   startCursor}` and yields each page's items last first.
/// - **Offset paging** (a search that starts from an offset, and the effective-variables
///   search, which accepts nothing else): `from` advances by the number of items received.
///
/// Only one page is held at a time (the one being yielded), and the next is requested only
/// when it is used up. The stream ends after a page with fewer items than the limit (the
/// search's, or [`DEFAULT_PAGE_LIMIT`]), an empty page, or a page without an `endCursor`. It
/// ends with an error, not a loop, when a page's cursor does not move
/// ([`Error::CursorStalled`]), and after [`DEFAULT_MAX_PAGES`] full pages unless told
/// otherwise ([`Error::StreamPageLimit`], which carries the request that resumes it). Any
/// other error ends it too, after the error is yielded.
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// use futures::TryStreamExt;
///
/// let mut tasks = client.user_tasks().search().limit(500).into_stream().max_pages(20);
/// while let Some(task) = tasks.try_next().await? {
///     println!("{:?}", task.name);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a stream does nothing until polled"]
pub struct PageStream<T> {
    fetch: Fetch<T>,
    /// The request of the next page.
    next: PageRequest,
    /// The page size asked for.
    limit: u32,
    pager: Pager<T, (PageInfo, Vec<T>)>,
}

impl<T> fmt::Debug for PageStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream")
            .field("next", &self.next)
            .field("limit", &self.limit)
            .field("buffered", &self.pager.buffer.len())
            .field("in_flight", &self.pager.in_flight())
            .field("pages", &self.pager.pages)
            .field("max_pages", &self.pager.max_pages)
            .field("done", &self.pager.done)
            .finish_non_exhaustive()
    }
}

impl<T> PageStream<T> {
    /// A stream whose first page is `first`, fetched by `fetch`.
    pub(crate) fn new(
        first: PageRequest,
        fetch: impl Fn(PageRequest) -> ResponseFuture<(PageInfo, Vec<T>)> + Send + Sync + 'static,
    ) -> Self {
        let limit = first.page_limit().unwrap_or(DEFAULT_PAGE_LIMIT).max(1);
        PageStream {
            fetch: Box::new(fetch),
            next: first.with_limit(Some(limit)),
            limit,
            pager: Pager::new(false, DEFAULT_MAX_PAGES),
        }
    }

    /// A stream of the pages of type `P` that `call` asks for, sent by `client`, starting
    /// with `first`.
    pub(crate) fn of<P>(
        client: Client,
        first: PageRequest,
        call: impl Fn(PageRequest) -> Result<Call, Error> + Send + Sync + 'static,
    ) -> Self
    where
        P: SearchPage<Item = T> + DeserializeOwned + Send + 'static,
        T: Send + 'static,
    {
        PageStream::new(first, move |page| {
            let call = call(page);
            let client = client.clone();
            Box::pin(async move { client.json::<P>(call?).await.map(SearchPage::into_parts) })
        })
    }

    /// Stops with [`Error::StreamPageLimit`] after `pages` full pages (at least 1).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let stream = client.user_tasks().search().into_stream().max_pages(3);
    /// assert_eq!(stream.page_limit(), Some(3));
    /// # }
    /// ```
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.pager.max_pages = Some(pages.max(1));
        self
    }

    /// Fetches pages as long as the server has more.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let stream = client.user_tasks().search().into_stream().unbounded_pages();
    /// assert_eq!(stream.page_limit(), None);
    /// # }
    /// ```
    pub fn unbounded_pages(mut self) -> Self {
        self.pager.max_pages = None;
        self
    }

    /// The most pages the stream fetches, if bounded.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let stream = client.user_tasks().search().into_stream();
    /// assert_eq!(stream.page_limit(), Some(tasklist_api::v2::DEFAULT_MAX_PAGES));
    /// # }
    /// ```
    pub fn page_limit(&self) -> Option<usize> {
        self.pager.max_pages
    }

    /// How many results are held, fetched but not yet yielded: at most one page.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let stream = client.user_tasks().search().into_stream();
    /// assert_eq!(stream.buffered_len(), 0);
    /// # }
    /// ```
    pub fn buffered_len(&self) -> usize {
        self.pager.buffer.len()
    }

    /// How many pages were fetched so far.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let stream = client.user_tasks().search().into_stream();
    /// assert_eq!(stream.pages_fetched(), 0);
    /// # }
    /// ```
    pub fn pages_fetched(&self) -> usize {
        self.pager.pages
    }

    /// The request of the page that comes next, while there is one.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::v2::models::PageRequest;
    /// let stream = client.user_tasks().search().limit(20).into_stream();
    /// assert_eq!(stream.next_page(), Some(&PageRequest::limit(20)));
    /// # }
    /// ```
    pub fn next_page(&self) -> Option<&PageRequest> {
        (!self.pager.done).then_some(&self.next)
    }
}

impl<T> Paged for PageStream<T> {
    type Item = T;
    type Page = (PageInfo, Vec<T>);

    fn pager(&mut self) -> &mut Pager<T, (PageInfo, Vec<T>)> {
        &mut self.pager
    }

    fn fetch(&self) -> ResponseFuture<(PageInfo, Vec<T>)> {
        (self.fetch)(self.next.clone())
    }

    /// Takes in a fetched page: queues its items and works out the next request.
    fn accept(&mut self, (info, items): (PageInfo, Vec<T>)) {
        let full = usize::try_from(self.limit).is_ok_and(|limit| items.len() >= limit);
        let next = if !full {
            None
        } else {
            match &self.next {
                PageRequest::Offset { from, limit } => Some(Ok(PageRequest::Offset {
                    from: Some(
                        from.unwrap_or(0)
                            .saturating_add(u32::try_from(items.len()).unwrap_or(u32::MAX)),
                    ),
                    limit: *limit,
                })),
                PageRequest::Before { before, limit } => info.start_cursor.map(|cursor| {
                    if &cursor == before {
                        Err(cursor)
                    } else {
                        Ok(PageRequest::Before {
                            before: cursor,
                            limit: *limit,
                        })
                    }
                }),
                PageRequest::After {
                    after: current,
                    limit,
                } => info.end_cursor.map(|cursor| {
                    if &cursor == current {
                        Err(cursor)
                    } else {
                        Ok(PageRequest::After {
                            after: cursor,
                            limit: *limit,
                        })
                    }
                }),
                // `{limit}` (and any form added later) goes on from the end cursor.
                other => info.end_cursor.map(|cursor| {
                    Ok(PageRequest::After {
                        after: cursor,
                        limit: other.page_limit(),
                    })
                }),
            }
        };
        match next {
            None => self.pager.done = true,
            Some(Err(cursor)) => {
                // The same cursor again: the page is not yielded.
                self.pager.failure = Some(Error::CursorStalled {
                    page: self.pager.pages,
                    cursor,
                });
                self.pager.done = true;
                return;
            }
            Some(Ok(next)) if self.pager.at_page_limit() => {
                self.pager.failure = Some(Error::StreamPageLimit {
                    pages: self.pager.pages,
                    next,
                });
                self.pager.done = true;
            }
            Some(Ok(next)) => self.next = next,
        }
        if matches!(self.next, PageRequest::Before { .. }) {
            self.pager.buffer.extend(items.into_iter().rev());
        } else {
            self.pager.buffer.extend(items);
        }
    }
}

impl<T> Stream for PageStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // `PageStream` is `Unpin`: its fields are boxed or plain data.
        crate::pager::poll_next(self.get_mut(), cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.pager.size_hint()
    }
}

impl<T> FusedStream for PageStream<T> {
    fn is_terminated(&self) -> bool {
        self.pager.is_terminated()
    }
}

impl<T> Unpin for PageStream<T> {}
