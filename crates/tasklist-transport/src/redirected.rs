//! Where a redirected response came from.

use crate::Response;

/// Where a response came from, when [`HttpTransport`](crate::HttpTransport) followed redirects to get it: put in the
/// response's extensions. Responses that were not redirected have none.
///
/// Whatever a client takes from a response for its own origin (cookies, a CSRF token) it
/// should take only when the response came from that origin.
///
/// ```
/// use tasklist_transport::{Bytes, Redirected};
///
/// let response = http::Response::new(Bytes::new());
/// assert!(Redirected::of(&response).is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Redirected {
    /// The URL of the last hop, the one that answered.
    pub final_uri: http::Uri,
    /// How many redirects were followed.
    pub hops: usize,
}

impl Redirected {
    /// The extension of `response`, if it was reached through redirects.
    ///
    /// ```
    /// use tasklist_transport::{Bytes, Redirected};
    /// let response = http::Response::new(Bytes::new());
    /// assert_eq!(Redirected::of(&response).map(|r| r.hops), None);
    /// ```
    pub fn of(response: &Response) -> Option<&Redirected> {
        response.extensions().get::<Redirected>()
    }
}
