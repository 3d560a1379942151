//! One `tracing` span per request, without credentials.

use std::time::Instant;

use tracing::Instrument;

use crate::headers::Redacted;
use crate::{Attempt, Request, SendFuture, Transport};

/// Decorator that records each request in a `tracing` span named `http.request`.
///
/// The span's fields are `method`, `path` (never the query string), `attempt` (see
/// [`Attempt`]), and, once the exchange ends, `status` and `latency_ms`. At `TRACE` level the
/// request and response headers are logged with every
/// [sensitive header](crate::SENSITIVE_HEADERS) shown as `<redacted>`. Bodies are never
/// recorded, only their length, so a token request's client secret cannot leak through it.
///
/// Put it closest to the network (first in the stack) so every retry gets its own span.
///
/// # Example
///
/// ```
/// use tasklist_transport::{HttpTransport, TransportExt};
///
/// let traced = HttpTransport::builder().build().unwrap().with_tracing();
/// # let _ = traced;
/// ```
#[derive(Debug, Clone)]
pub struct Traced<T> {
    inner: T,
}

impl<T> Traced<T> {
    /// Wraps `inner`.
    ///
    /// ```
    /// use tasklist_transport::{HttpTransport, Traced};
    /// let traced = Traced::new(HttpTransport::builder().build().unwrap());
    /// # let _ = traced;
    /// ```
    pub fn new(inner: T) -> Self {
        Traced { inner }
    }
}

// Written out rather than with `#[async_trait]`: the span and the inner transport's future are
// made when the request is sent, so the boxed future holds them and not the whole request; and
// when nothing would be recorded, the inner transport's future is returned as it is.
impl<T: Transport> Transport for Traced<T> {
    fn send<'life0, 'async_trait>(&'life0 self, request: Request) -> SendFuture<'async_trait>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        let span = tracing::debug_span!(
            "http.request",
            method = %request.method(),
            path = request.uri().path(),
            attempt = Attempt::of(&request),
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        if span.is_disabled() && !tracing::enabled!(tracing::Level::DEBUG) {
            // Nothing would be recorded: no clock to read and no future of its own.
            return self.inner.send(request);
        }
        let started = Instant::now();
        let sending = span.in_scope(|| {
            tracing::trace!(
                headers = ?Redacted(request.headers()),
                body_bytes = request.body().len(),
                "sending request"
            );
            self.inner.send(request)
        });
        Box::pin(async move {
            let outcome = sending.instrument(span.clone()).await;
            let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
            span.record("latency_ms", latency_ms);
            let _entered = span.enter();
            match &outcome {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    tracing::trace!(
                        headers = ?Redacted(response.headers()),
                        body_bytes = response.body().len(),
                        "received response"
                    );
                    tracing::debug!(
                        status = response.status().as_u16(),
                        latency_ms,
                        "request finished"
                    );
                }
                Err(error) => {
                    tracing::debug!(error = %error, latency_ms, "request failed");
                }
            }
            outcome
        })
    }
}
