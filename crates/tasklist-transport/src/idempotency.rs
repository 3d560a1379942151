//! Marks that tell the retry policy which requests are safe to repeat.

use crate::Request;

/// Whether repeating a request after it may have reached the server is safe.
///
/// Stored in the request's extensions. When a request carries no mark, the method decides:
/// `GET`, `HEAD`, `OPTIONS`, `TRACE`, `PUT` and `DELETE` are idempotent (RFC 9110 §9.2.2),
/// everything else is not. Clients mark calls whose meaning differs from their method, for
/// example a search sent as `POST` ([`Idempotency::Idempotent`]) or a state change sent as
/// `PATCH` ([`Idempotency::NotIdempotent`]).
///
/// A request that certainly never reached the server (the connection was refused) may be
/// retried whatever its mark.
///
/// ```
/// use tasklist_transport::{Bytes, Idempotency};
///
/// let mut search = http::Request::post("http://h/v1/tasks/search").body(Bytes::new()).unwrap();
/// assert_eq!(Idempotency::of(&search), Idempotency::NotIdempotent);
/// Idempotency::Idempotent.mark(&mut search);
/// assert_eq!(Idempotency::of(&search), Idempotency::Idempotent);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Idempotency {
    /// Sending the request twice has the same effect as sending it once.
    Idempotent,
    /// Sending the request twice may change the outcome; never repeat it once it may have
    /// reached the server.
    NotIdempotent,
}

impl Idempotency {
    /// Stores this mark in `request`'s extensions.
    pub fn mark(self, request: &mut Request) {
        request.extensions_mut().insert(self);
    }

    /// The mark stored in `request`, or the one its method implies.
    pub fn of(request: &Request) -> Self {
        match request.extensions().get::<Idempotency>() {
            Some(mark) => *mark,
            None if request.method().is_idempotent() => Idempotency::Idempotent,
            None => Idempotency::NotIdempotent,
        }
    }

    /// True for [`Idempotency::Idempotent`].
    ///
    /// ```
    /// assert!(tasklist_transport::Idempotency::Idempotent.is_idempotent());
    /// ```
    pub fn is_idempotent(self) -> bool {
        self == Idempotency::Idempotent
    }
}

/// Which attempt of a request this is, starting at 1. [`Retry`](crate::Retry) stores it in the
/// request's extensions before each attempt; [`Traced`](crate::Traced) records it.
///
/// ```
/// use tasklist_transport::{Attempt, Bytes};
///
/// let request = http::Request::get("http://h/").body(Bytes::new()).unwrap();
/// assert_eq!(Attempt::of(&request), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempt(pub u32);

impl Attempt {
    /// The attempt number stored in `request`, or 1 when none is.
    pub fn of(request: &Request) -> u32 {
        request.extensions().get::<Attempt>().map_or(1, |a| a.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn request(method: &str) -> Request {
        http::Request::builder()
            .method(method)
            .uri("http://h/")
            .body(Bytes::new())
            .unwrap()
    }

    #[test]
    fn method_decides_when_unmarked() {
        for m in ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"] {
            assert_eq!(Idempotency::of(&request(m)), Idempotency::Idempotent, "{m}");
        }
        for m in ["POST", "PATCH"] {
            assert_eq!(
                Idempotency::of(&request(m)),
                Idempotency::NotIdempotent,
                "{m}"
            );
        }
    }

    #[test]
    fn mark_overrides_method() {
        let mut get = request("GET");
        Idempotency::NotIdempotent.mark(&mut get);
        assert_eq!(Idempotency::of(&get), Idempotency::NotIdempotent);
    }
}
