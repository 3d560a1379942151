//! Retries that know which calls are safe to repeat.

use std::time::{Duration, SystemTime};

use http::StatusCode;
use http::header::RETRY_AFTER;
use tokio::time::Instant;

use crate::{Attempt, Error, Idempotency, Request, Response, SendFuture, Transport};

/// When and how often [`Retry`] repeats a request.
///
/// | failure | retried for |
/// |---|---|
/// | no connection (refused, DNS, TLS handshake, connect timeout): the request was not sent | every request |
/// | `429 Too Many Requests`, `503 Service Unavailable` | [idempotent](Idempotency) requests |
/// | timeout or network error after the request may have been sent | idempotent requests |
/// | anything else | never |
///
/// Waits grow exponentially from [`initial_backoff`](Self::initial_backoff) up to
/// [`max_backoff`](Self::max_backoff), each drawn at random from its upper half (jitter), so
/// many clients that failed together do not return together. A `Retry-After` header (seconds
/// or an HTTP date) replaces the computed wait; one longer than
/// [`max_retry_after`](Self::max_retry_after) is not waited for and its response is returned.
/// Retrying stops after [`max_attempts`](Self::max_attempts) attempts, or when the next wait
/// would end past [`max_elapsed`](Self::max_elapsed) from the first attempt.
///
/// | setting | default |
/// |---|---|
/// | `max_attempts` (first try included) | 3 |
/// | `initial_backoff` | 100 ms |
/// | `max_backoff` | 5 s |
/// | `max_retry_after` | 30 s |
/// | `max_elapsed` | 60 s |
///
/// ```
/// use std::time::Duration;
/// use tasklist_transport::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(50))
///     .max_elapsed(Duration::from_secs(10));
/// assert_eq!(policy.attempts(), 5);
/// assert_eq!(RetryPolicy::never().attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// The most attempts, the first included; at least 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; later waits double.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest computed wait between two attempts.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` honoured; a longer one ends retrying.
    pub fn max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// The time from the first attempt after which no further attempt starts.
    pub fn max_elapsed(mut self, limit: Duration) -> Self {
        self.max_elapsed = limit;
        self
    }

    /// The configured most attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The jittered exponential wait before attempt `next` (2 for the first retry).
    fn backoff(&self, next: u32) -> Duration {
        let exponent = next.saturating_sub(2).min(31);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        let half = ceiling / 2;
        half + ceiling.saturating_sub(half).mul_f64(fastrand::f64())
    }
}

/// Decorator that repeats failed attempts as its [`RetryPolicy`] allows.
///
/// Each attempt is a fresh clone of the request (bodies are [`Bytes`](bytes::Bytes), so a clone
/// is cheap) carrying its [`Attempt`] number in its extensions.
///
/// # Example
///
/// ```
/// use tasklist_transport::{HttpTransport, RetryPolicy, TransportExt};
///
/// let transport = HttpTransport::builder()
///     .build()
///     .unwrap()
///     .with_retry(RetryPolicy::default().max_attempts(4));
/// # let _ = transport;
/// ```
#[derive(Debug, Clone)]
pub struct Retry<T> {
    inner: T,
    policy: RetryPolicy,
}

impl<T> Retry<T> {
    /// Wraps `inner` with `policy`.
    ///
    /// ```
    /// use tasklist_transport::{HttpTransport, Retry, RetryPolicy};
    /// let retry = Retry::new(HttpTransport::builder().build().unwrap(), RetryPolicy::never());
    /// # let _ = retry;
    /// ```
    pub fn new(inner: T, policy: RetryPolicy) -> Self {
        Retry { inner, policy }
    }

    /// The wrapped transport.
    ///
    /// ```
    /// use tasklist_transport::{HttpTransport, Retry, RetryPolicy};
    /// let retry = Retry::new(HttpTransport::builder().build().unwrap(), RetryPolicy::never());
    /// let _http: &HttpTransport = retry.inner();
    /// ```
    pub fn inner(&self) -> &T {
        &self.inner
    }
}

/// What to do after one attempt.
enum Next {
    Return,
    RetryAfter(Duration),
}

impl<T> Retry<T> {
    fn decide(
        &self,
        outcome: &Result<Response, Error>,
        idempotency: Idempotency,
        next: u32,
    ) -> Next {
        if next > self.policy.max_attempts {
            return Next::Return;
        }
        match outcome {
            Ok(response) => {
                let status = response.status();
                let retryable_status = status == StatusCode::TOO_MANY_REQUESTS
                    || status == StatusCode::SERVICE_UNAVAILABLE;
                if !retryable_status || !idempotency.is_idempotent() {
                    return Next::Return;
                }
                match retry_after(response) {
                    Some(wait) if wait > self.policy.max_retry_after => Next::Return,
                    Some(wait) => Next::RetryAfter(wait),
                    None => Next::RetryAfter(self.policy.backoff(next)),
                }
            }
            Err(error) if error.is_connect() => Next::RetryAfter(self.policy.backoff(next)),
            Err(error) if error.is_retryable() && idempotency.is_idempotent() => {
                Next::RetryAfter(self.policy.backoff(next))
            }
            Err(_) => Next::Return,
        }
    }
}

// Written out rather than with `#[async_trait]`: the first attempt is handed to the inner
// transport when the request is sent, so the boxed future holds the request once (for later
// attempts) and not a second copy as well.
impl<T: Transport> Transport for Retry<T> {
    fn send<'life0, 'async_trait>(&'life0 self, request: Request) -> SendFuture<'async_trait>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        if self.policy.max_attempts == 1 {
            // No attempt will follow: nothing to keep a copy of the request for.
            return self.inner.send(request);
        }
        let idempotency = Idempotency::of(&request);
        // Attempt 1 is what an unmarked request reads as: no extension to insert.
        let first = self.inner.send(request.clone());
        Box::pin(async move {
            let started = Instant::now();
            let mut attempt = 1u32;
            let mut sending = first;
            loop {
                let outcome = sending.await;
                let wait = match self.decide(&outcome, idempotency, attempt + 1) {
                    Next::Return => return outcome,
                    Next::RetryAfter(wait) => wait,
                };
                if started.elapsed() + wait > self.policy.max_elapsed {
                    return outcome;
                }
                match &outcome {
                    Ok(response) => tracing::debug!(
                        attempt,
                        status = response.status().as_u16(),
                        wait_ms = wait.as_millis() as u64,
                        "retrying after a retryable status"
                    ),
                    Err(error) => tracing::debug!(
                        attempt,
                        error = %error,
                        wait_ms = wait.as_millis() as u64,
                        "retrying after a transient failure"
                    ),
                }
                drop(outcome);
                // Boxed: a retry is rare, and the timer would otherwise take room in every
                // request's future.
                Box::pin(tokio::time::sleep(wait)).await;
                attempt += 1;
                let mut this_try = request.clone();
                this_try.extensions_mut().insert(Attempt(attempt));
                sending = self.inner.send(this_try);
            }
        })
    }
}

/// The wait a `Retry-After` header asks for: delta-seconds or an HTTP date.
fn retry_after(response: &Response) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MockTransport;
    use bytes::Bytes;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn response(status: u16, retry_after: Option<&str>) -> Response {
        let mut builder = http::Response::builder().status(status);
        if let Some(v) = retry_after {
            builder = builder.header(RETRY_AFTER, v);
        }
        builder.body(Bytes::new()).unwrap()
    }

    fn request(method: &str) -> Request {
        http::Request::builder()
            .method(method)
            .uri("http://h/x")
            .body(Bytes::from_static(b"{}"))
            .unwrap()
    }

    fn fast() -> RetryPolicy {
        RetryPolicy::default()
            .initial_backoff(Duration::from_millis(1))
            .max_backoff(Duration::from_millis(2))
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        assert_eq!(
            retry_after(&response(503, Some("7"))),
            Some(Duration::from_secs(7))
        );
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let wait = retry_after(&response(503, Some(&soon))).unwrap();
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120));
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(120));
        assert_eq!(
            retry_after(&response(503, Some(&past))),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&response(503, Some("soon"))), None);
    }

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(1000));
        for _ in 0..200 {
            let first = policy.backoff(2);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = policy.backoff(4);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            let late = policy.backoff(40);
            assert!(late >= Duration::from_millis(500) && late <= Duration::from_millis(1000));
        }
        let draws: std::collections::HashSet<_> = (0..50).map(|_| policy.backoff(3)).collect();
        assert!(draws.len() > 1, "backoff is not jittered");
    }

    #[tokio::test]
    async fn non_idempotent_request_gets_the_503_back_after_one_attempt() {
        let mut mock = MockTransport::new();
        mock.expect_send()
            .times(1)
            .returning(|_| Ok(response(503, Some("0"))));
        let retry = Retry::new(mock, fast());
        let got = retry.send(request("POST")).await.unwrap();
        assert_eq!(got.status(), 503);
    }

    #[tokio::test]
    async fn idempotent_request_is_retried_until_success_with_attempt_numbers() {
        let seen = Arc::new(AtomicU32::new(0));
        let seen2 = seen.clone();
        let mut mock = MockTransport::new();
        mock.expect_send().times(3).returning(move |req| {
            let n = seen2.fetch_add(1, Ordering::SeqCst) + 1;
            assert_eq!(Attempt::of(&req), n);
            assert_eq!(req.body().as_ref(), b"{}");
            Ok(response(if n < 3 { 429 } else { 200 }, None))
        });
        let retry = Retry::new(mock, fast().max_attempts(5));
        assert_eq!(retry.send(request("GET")).await.unwrap().status(), 200);
        assert_eq!(seen.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn attempts_stop_at_the_bound() {
        let mut mock = MockTransport::new();
        mock.expect_send().times(4).returning(|_| {
            Err(Error::Connect {
                target: "t".into(),
                source: "refused".into(),
            })
        });
        let retry = Retry::new(mock, fast().max_attempts(4));
        assert!(retry.send(request("PATCH")).await.unwrap_err().is_connect());
    }

    #[tokio::test]
    async fn a_single_attempt_policy_sends_once_whatever_the_failure() {
        let mut mock = MockTransport::new();
        let mut calls = 0u32;
        mock.expect_send().times(2).returning(move |req| {
            calls += 1;
            assert_eq!(Attempt::of(&req), 1);
            if calls == 1 {
                Err(Error::Connect {
                    target: "t".into(),
                    source: "refused".into(),
                })
            } else {
                Ok(response(503, Some("0")))
            }
        });
        let retry = Retry::new(mock, RetryPolicy::never());
        assert!(retry.send(request("GET")).await.unwrap_err().is_connect());
        assert_eq!(retry.send(request("GET")).await.unwrap().status(), 503);
    }

    #[tokio::test]
    async fn network_error_is_not_retried_for_non_idempotent_requests() {
        let mut mock = MockTransport::new();
        mock.expect_send().times(1).returning(|_| {
            Err(Error::Network {
                target: "t".into(),
                source: "reset".into(),
            })
        });
        let retry = Retry::new(mock, fast());
        assert!(retry.send(request("POST")).await.unwrap_err().is_network());
    }

    #[tokio::test]
    async fn marked_idempotent_post_is_retried_on_timeout() {
        let mut mock = MockTransport::new();
        let mut calls = 0;
        mock.expect_send().times(2).returning(move |_| {
            calls += 1;
            if calls == 1 {
                Err(Error::Timeout {
                    target: "t".into(),
                    after: Duration::from_secs(1),
                })
            } else {
                Ok(response(200, None))
            }
        });
        let mut search = request("POST");
        Idempotency::Idempotent.mark(&mut search);
        let retry = Retry::new(mock, fast());
        assert_eq!(retry.send(search).await.unwrap().status(), 200);
    }

    #[tokio::test]
    async fn retry_after_beyond_the_cap_returns_the_response() {
        let mut mock = MockTransport::new();
        mock.expect_send()
            .times(1)
            .returning(|_| Ok(response(429, Some("3600"))));
        let retry = Retry::new(mock, fast());
        assert_eq!(retry.send(request("GET")).await.unwrap().status(), 429);
    }

    #[tokio::test(start_paused = true)]
    async fn total_time_budget_ends_retrying() {
        let mut mock = MockTransport::new();
        mock.expect_send()
            .times(2)
            .returning(|_| Ok(response(503, Some("4"))));
        let policy = RetryPolicy::default()
            .max_attempts(10)
            .max_elapsed(Duration::from_secs(6));
        let retry = Retry::new(mock, policy);
        let started = Instant::now();
        assert_eq!(retry.send(request("GET")).await.unwrap().status(), 503);
        assert_eq!(started.elapsed(), Duration::from_secs(4));
    }

    #[tokio::test]
    async fn auth_and_config_errors_are_never_retried() {
        let mut mock = MockTransport::new();
        mock.expect_send()
            .times(1)
            .returning(|_| Err(Error::auth("bad secret")));
        let retry = Retry::new(mock, fast());
        assert!(retry.send(request("GET")).await.unwrap_err().is_auth());
    }
}
