//! Reading a response body: its declared length checked against the limit before reading,
//! then chunk by chunk, copied only when it arrives in more than one.

use bytes::{Bytes, BytesMut};
use http::Method;

use super::{HttpTransport, describe};
use crate::Response;
use crate::error::Error;

impl HttpTransport {
    /// Checks the declared length of `response` and starts reading its body.
    pub(super) fn start_body(
        &self,
        method: &Method,
        response: reqwest::Response,
    ) -> Result<BodyRead, Error> {
        let declared = response.content_length();
        if let Some(length) = declared
            && length > self.max_body
        {
            return Err(Error::BodyTooLarge {
                target: describe(method, response.url()),
                limit: self.max_body,
                declared,
            });
        }
        let (mut head, body) = http::Response::<reqwest::Body>::from(response).into_parts();
        // `reqwest`'s own bookkeeping is not part of the answer.
        head.extensions = http::Extensions::new();
        Ok(BodyRead {
            head,
            body,
            declared,
            total: 0,
            first: None,
            buffer: None,
        })
    }
}

/// A response whose body is being read.
pub(super) struct BodyRead {
    pub(super) head: http::response::Parts,
    pub(super) body: reqwest::Body,
    pub(super) declared: Option<u64>,
    total: u64,
    // Most bodies arrive in one chunk: it is kept without copying, and a buffer is only
    // started when a second chunk comes.
    first: Option<Bytes>,
    buffer: Option<BytesMut>,
}

impl BodyRead {
    /// Adds `chunk`; false when the body has grown past `limit`.
    pub(super) fn push(&mut self, chunk: Bytes, limit: u64) -> bool {
        self.total += chunk.len() as u64;
        if self.total > limit {
            return false;
        }
        match (&mut self.first, &mut self.buffer) {
            (None, None) => self.first = Some(chunk),
            (Some(head), None) => {
                let capacity = self.declared.unwrap_or(0).min(limit) as usize;
                let mut joined = BytesMut::with_capacity(capacity.max(self.total as usize));
                joined.extend_from_slice(head);
                joined.extend_from_slice(&chunk);
                self.first = None;
                self.buffer = Some(joined);
            }
            (_, Some(joined)) => joined.extend_from_slice(&chunk),
        }
        true
    }

    /// The response, with the whole body.
    pub(super) fn finish(self) -> Response {
        let body = match (self.first, self.buffer) {
            (_, Some(joined)) => joined.freeze(),
            (Some(only), None) => only,
            (None, None) => Bytes::new(),
        };
        http::Response::from_parts(self.head, body)
    }
}
