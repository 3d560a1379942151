//! What every paged stream shares, whatever its API version: the items of the page being
//! yielded, the request of the next page in flight, an error waiting to be yielded, and
//! whether the end came. [`poll_next`] drives it; each stream says how to fetch a page and
//! what a page means for the next one.

use std::collections::VecDeque;
use std::task::{Context, Poll};

use crate::ResponseFuture;
use crate::error::Error;

/// The state of a paged stream that is the same for every stream.
pub(crate) struct Pager<T, P> {
    /// The items of the page being yielded (one page at the most).
    pub(crate) buffer: VecDeque<T>,
    /// The request of the next page, while it is in flight.
    in_flight: Option<ResponseFuture<P>>,
    /// An error to yield once the buffer is empty; the stream ends after it.
    pub(crate) failure: Option<Error>,
    /// No page comes after the buffered items (and the failure, if any).
    pub(crate) done: bool,
    /// How many pages were taken in so far.
    pub(crate) pages: usize,
    /// The most pages to take in; `None` for no limit.
    pub(crate) max_pages: Option<usize>,
}

impl<T, P> Pager<T, P> {
    /// A pager that has fetched nothing and stops after `max_pages`; `done` for a stream that
    /// must not fetch at all.
    pub(crate) fn new(done: bool, max_pages: usize) -> Self {
        Pager {
            buffer: VecDeque::new(),
            in_flight: None,
            failure: None,
            done,
            pages: 0,
            max_pages: Some(max_pages),
        }
    }

    /// Whether as many pages were taken in as the limit allows.
    pub(crate) fn at_page_limit(&self) -> bool {
        self.max_pages.is_some_and(|max| self.pages >= max)
    }

    /// Whether a page request is in flight.
    pub(crate) fn in_flight(&self) -> bool {
        self.in_flight.is_some()
    }

    /// The stream's `size_hint`: the buffered items, and no more when nothing follows them.
    pub(crate) fn size_hint(&self) -> (usize, Option<usize>) {
        let upper = self.done && self.failure.is_none();
        (self.buffer.len(), upper.then_some(self.buffer.len()))
    }

    /// The stream's `FusedStream::is_terminated`.
    pub(crate) fn is_terminated(&self) -> bool {
        self.done && self.buffer.is_empty() && self.failure.is_none()
    }
}

/// A stream built on a [`Pager`]: how to reach it, fetch the next page, and take a page in.
pub(crate) trait Paged {
    /// What the stream yields.
    type Item;
    /// What a page request returns.
    type Page;

    /// The pager.
    fn pager(&mut self) -> &mut Pager<Self::Item, Self::Page>;

    /// The request of the next page.
    fn fetch(&self) -> ResponseFuture<Self::Page>;

    /// Takes in a page (the pager has counted it): fills the pager's buffer, and sets its
    /// `done` and `failure` as the page says.
    fn accept(&mut self, page: Self::Page);
}

/// `Stream::poll_next` of a [`Paged`] stream: the buffered items first, then the failure (which
/// ends the stream), then the end; otherwise the next page is fetched and taken in. An error
/// from the fetch is yielded and ends the stream.
pub(crate) fn poll_next<S: Paged>(
    stream: &mut S,
    cx: &mut Context<'_>,
) -> Poll<Option<Result<S::Item, Error>>> {
    loop {
        let pager = stream.pager();
        if let Some(item) = pager.buffer.pop_front() {
            return Poll::Ready(Some(Ok(item)));
        }
        if let Some(error) = pager.failure.take() {
            pager.done = true;
            return Poll::Ready(Some(Err(error)));
        }
        if pager.done {
            return Poll::Ready(None);
        }
        if !pager.in_flight() {
            let fetch = stream.fetch();
            stream.pager().in_flight = Some(fetch);
        }
        let pager = stream.pager();
        let Some(fetch) = pager.in_flight.as_mut() else {
            continue;
        };
        let result = match fetch.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        pager.in_flight = None;
        match result {
            Ok(page) => {
                stream.pager().pages += 1;
                stream.accept(page);
            }
            Err(error) => {
                stream.pager().done = true;
                return Poll::Ready(Some(Err(error)));
            }
        }
    }
}
