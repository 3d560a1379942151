//! A fake [`Transport`] that answers from memory, for this workspace's doc tests and examples.
//!
//! **Not a stable API**: it is here (behind the `test-util` feature, hidden from the docs) so
//! that the doc tests of the crates above this one need one hidden line for a server, and it
//! may change or go away in any release.
//!
//! ```
//! use tasklist_transport::test_util::Canned;
//! use tasklist_transport::{Bytes, Transport};
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let transport = Canned::json(200, r#"{"id":"7"}"#);
//! let response = transport.send(http::Request::new(Bytes::new())).await.unwrap();
//! assert_eq!(response.status(), 200);
//! assert_eq!(response.body(), r#"{"id":"7"}"#);
//!
//! let echo = Canned::new(|request| http::Response::new(request.into_body()));
//! let response = echo.send(http::Request::new(Bytes::from("ping"))).await.unwrap();
//! assert_eq!(response.body(), "ping");
//! # });
//! ```

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};

use crate::{Error, Request, Response, SharedTransport, Transport};

/// What a [`Canned`] transport answers.
type Answer = Box<dyn Fn(Request) -> Result<Response, Error> + Send + Sync>;

/// A transport that answers every request from memory, without a network.
pub struct Canned {
    answer: Answer,
}

impl Canned {
    /// A transport whose answer to each request is `answer(request)`.
    // Shared already, so that a doc test's client takes it as it is.
    #[allow(clippy::new_ret_no_self)]
    pub fn new(answer: impl Fn(Request) -> Response + Send + Sync + 'static) -> SharedTransport {
        Arc::new(Canned {
            answer: Box::new(move |request| Ok(answer(request))),
        })
    }

    /// A transport that answers every request with `status` and the JSON `body`
    /// (`content-type: application/json`). A status outside 100..=999 makes every send an
    /// [`Error::invalid_request`].
    pub fn json(status: u16, body: impl Into<Bytes>) -> SharedTransport {
        let body = body.into();
        Arc::new(Canned {
            answer: Box::new(move |_| {
                http::Response::builder()
                    .status(status)
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(body.clone())
                    .map_err(Error::invalid_request)
            }),
        })
    }

    /// A transport for examples that never send: every send is an [`Error::invalid_request`].
    pub fn unused() -> SharedTransport {
        Arc::new(Canned {
            answer: Box::new(|_| {
                Err(Error::invalid_request(
                    "this example's transport is not meant to send anything",
                ))
            }),
        })
    }
}

impl fmt::Debug for Canned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Canned").finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl Transport for Canned {
    async fn send(&self, request: Request) -> Result<Response, Error> {
        (self.answer)(request)
    }
}
