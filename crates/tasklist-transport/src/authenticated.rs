//! The hook through which any authenticator signs requests and learns of rejections.

use std::fmt;
use std::sync::Arc;

use http::StatusCode;

use crate::{Error, Request, Response, SendFuture, Transport};

/// What an [`Authenticator`] wants done after the server rejected a request it signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// The credentials were renewed: sign the request again and send it once more.
    RetryOnce,
    /// Nothing can be done: hand the rejection to the caller as it is.
    GiveUp,
}

/// Adds credentials to outgoing requests and renews them when the server rejects them.
///
/// [`Authenticated`] signs every request, with [`sign_now`](Self::sign_now) when that needs no
/// waiting and with [`sign`](Self::sign) otherwise, and calls [`observe`](Self::observe) after
/// every response. When
/// [`is_rejection`](Self::is_rejection) says the response rejected the credentials, it calls
/// [`rejected`](Self::rejected) with the signed request, so an implementation can tell which
/// credential failed (for example from a generation number it stored in the request's
/// extensions while signing, or the credential header itself) and renew only that one. On
/// [`Rejection::RetryOnce`] the request it signed is signed again and sent a second time, so
/// `sign` must replace what it added before, not add it twice; a second rejection is returned
/// to the caller as it is, so the server's own message is never lost.
///
/// # Example
///
/// ```
/// use tasklist_transport::{async_trait, Authenticator, Error, Request};
///
/// /// Sends a fixed API key; nothing to renew.
/// #[derive(Debug)]
/// struct ApiKey(http::HeaderValue);
///
/// #[async_trait]
/// impl Authenticator for ApiKey {
///     async fn sign(&self, request: &mut Request) -> Result<(), Error> {
///         request.headers_mut().insert("x-api-key", self.0.clone());
///         Ok(())
///     }
/// }
/// ```
#[async_trait::async_trait]
pub trait Authenticator: Send + Sync + fmt::Debug {
    /// Adds credentials to `request` (headers, and anything it needs to recognise the request
    /// later in its extensions).
    ///
    /// # Errors
    ///
    /// Wrap the authenticator's own error with [`Error::auth`].
    async fn sign(&self, request: &mut Request) -> Result<(), Error>;

    /// Signs `request` at once when that needs no waiting (a valid token in hand, fixed
    /// credentials, a live session): `Some` with the outcome. `None`, the default, means
    /// [`sign`](Self::sign) must be awaited. A request signed at once costs no future of the
    /// authenticator's.
    fn sign_now(&self, request: &mut Request) -> Option<Result<(), Error>> {
        let _ = request;
        None
    }

    /// Whether [`observe`](Self::observe) and [`rejected`](Self::rejected) need the signed
    /// request back; the default is yes. Credentials that watch nothing and renew nothing
    /// (Basic, a fixed token) say no, and [`Authenticated`] then keeps no copy of the request.
    fn needs_request_back(&self) -> bool {
        true
    }

    /// The server rejected `request`, which this authenticator signed, with `response`.
    /// Renew what needs renewing and say whether the request should be tried once more.
    /// The default, for credentials that cannot be renewed, is [`Rejection::GiveUp`].
    ///
    /// # Errors
    ///
    /// Renewing failed; wrap the cause with [`Error::auth`].
    async fn rejected(&self, request: &Request, response: &Response) -> Result<Rejection, Error> {
        let _ = (request, response);
        Ok(Rejection::GiveUp)
    }

    /// Whether `response` rejects the credentials. The default is any `401 Unauthorized`.
    fn is_rejection(&self, response: &Response) -> bool {
        response.status() == StatusCode::UNAUTHORIZED
    }

    /// Sees every response to a request this authenticator signed, for example to pick up a
    /// rotated token the server sends back. The default does nothing.
    fn observe(&self, request: &Request, response: &Response) {
        let _ = (request, response);
    }
}

/// Decorator that signs every request through an [`Authenticator`] and, when the server
/// rejects the credentials, lets it renew them and sends the request once more.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use tasklist_transport::{async_trait, Authenticator, Error, HttpTransport, Request,
///     RetryPolicy, TransportExt};
///
/// #[derive(Debug)]
/// struct Nothing;
///
/// #[async_trait]
/// impl Authenticator for Nothing {
///     async fn sign(&self, _: &mut Request) -> Result<(), Error> { Ok(()) }
/// }
///
/// let transport = HttpTransport::builder()
///     .build()
///     .unwrap()
///     .with_tracing()
///     .with_authenticator(Arc::new(Nothing))
///     .with_retry(RetryPolicy::default());
/// # let _ = transport;
/// ```
#[derive(Debug, Clone)]
pub struct Authenticated<T> {
    inner: T,
    authenticator: Arc<dyn Authenticator>,
}

impl<T> Authenticated<T> {
    /// Wraps `inner` so that `authenticator` signs every request.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use tasklist_transport::{async_trait, Authenticated, Authenticator, Error, HttpTransport, Request};
    /// # #[derive(Debug)] struct Nothing;
    /// # #[async_trait] impl Authenticator for Nothing {
    /// #     async fn sign(&self, _: &mut Request) -> Result<(), Error> { Ok(()) }
    /// # }
    /// let signed = Authenticated::new(HttpTransport::builder().build().unwrap(), Arc::new(Nothing));
    /// # let _ = signed;
    /// ```
    pub fn new(inner: T, authenticator: Arc<dyn Authenticator>) -> Self {
        Authenticated {
            inner,
            authenticator,
        }
    }

    /// The authenticator that signs requests.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use tasklist_transport::{async_trait, Authenticated, Authenticator, Error, HttpTransport, Request};
    /// # #[derive(Debug)] struct Nothing;
    /// # #[async_trait] impl Authenticator for Nothing {
    /// #     async fn sign(&self, _: &mut Request) -> Result<(), Error> { Ok(()) }
    /// # }
    /// let signed = Authenticated::new(HttpTransport::builder().build().unwrap(), Arc::new(Nothing));
    /// println!("{:?}", signed.authenticator());
    /// ```
    pub fn authenticator(&self) -> &Arc<dyn Authenticator> {
        &self.authenticator
    }
}

impl<T: Transport> Authenticated<T> {
    /// The server rejected `kept`, which was signed, with `response`: renews the credentials if
    /// the authenticator can, and sends the request once more.
    async fn renew_and_retry(&self, kept: Request, response: Response) -> Result<Response, Error> {
        match self.authenticator.rejected(&kept, &response).await? {
            Rejection::GiveUp => Ok(response),
            Rejection::RetryOnce => {
                tracing::debug!(
                    status = response.status().as_u16(),
                    "credentials rejected; renewed them and retrying once"
                );
                drop(response);
                let mut again = kept;
                match self.authenticator.sign_now(&mut again) {
                    Some(signed) => signed?,
                    None => self.authenticator.sign(&mut again).await?,
                }
                let kept = again.clone();
                let second = self.inner.send(again).await?;
                self.authenticator.observe(&kept, &second);
                Ok(second)
            }
        }
    }
}

// Written out rather than with `#[async_trait]`: a request that is signed at once (the usual
// case: a valid token in hand) is handed on with the inner transport's own future when the
// authenticator needs nothing back, and otherwise with one small future that keeps one copy of
// the signed request (for `observe`, `rejected` and a second attempt) and no other.
impl<T: Transport> Transport for Authenticated<T> {
    fn send<'life0, 'async_trait>(&'life0 self, request: Request) -> SendFuture<'async_trait>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        let mut request = request;
        let signed = self.authenticator.sign_now(&mut request);
        if let Some(Err(error)) = signed {
            return Box::pin(std::future::ready(Err(error)));
        }
        if signed.is_some() && !self.authenticator.needs_request_back() {
            return self.inner.send(request);
        }
        Box::pin(async move {
            if signed.is_none() {
                self.authenticator.sign(&mut request).await?;
            }
            if !self.authenticator.needs_request_back() {
                return self.inner.send(request).await;
            }
            let kept = request.clone();
            let response = self.inner.send(request).await?;
            self.authenticator.observe(&kept, &response);
            if !self.authenticator.is_rejection(&response) {
                return Ok(response);
            }
            // Rare: in a future of its own, so that every other request's stays small.
            Box::pin(self.renew_and_retry(kept, response)).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MockTransport;
    use bytes::Bytes;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// Signs with `Bearer token-N` and renews by bumping N.
    #[derive(Debug, Default)]
    struct Counter {
        generation: AtomicU64,
        rejections: AtomicU64,
    }

    #[derive(Clone, Copy)]
    struct Generation(u64);

    #[async_trait::async_trait]
    impl Authenticator for Counter {
        async fn sign(&self, request: &mut Request) -> Result<(), Error> {
            let g = self.generation.load(Ordering::SeqCst);
            request.extensions_mut().insert(Generation(g));
            request.headers_mut().insert(
                http::header::AUTHORIZATION,
                http::HeaderValue::from_str(&format!("Bearer token-{g}")).unwrap(),
            );
            Ok(())
        }

        async fn rejected(&self, request: &Request, _: &Response) -> Result<Rejection, Error> {
            self.rejections.fetch_add(1, Ordering::SeqCst);
            let failed = request.extensions().get::<Generation>().unwrap().0;
            // Renew only the credential that failed.
            let _ = self.generation.compare_exchange(
                failed,
                failed + 1,
                Ordering::SeqCst,
                Ordering::SeqCst,
            );
            Ok(Rejection::RetryOnce)
        }
    }

    fn get() -> Request {
        http::Request::get("http://h/").body(Bytes::new()).unwrap()
    }

    fn status(code: u16) -> Response {
        http::Response::builder()
            .status(code)
            .body(Bytes::from_static(b"{\"message\":\"expired\"}"))
            .unwrap()
    }

    #[tokio::test]
    async fn a_401_renews_and_retries_once_with_the_new_credential() {
        let mut mock = MockTransport::new();
        mock.expect_send().times(2).returning(|req| {
            let auth = req.headers()[http::header::AUTHORIZATION].to_str().unwrap();
            Ok(status(if auth == "Bearer token-0" { 401 } else { 200 }))
        });
        let auth = Arc::new(Counter::default());
        let t = Authenticated::new(mock, auth.clone());
        assert_eq!(t.send(get()).await.unwrap().status(), 200);
        assert_eq!(auth.generation.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_second_401_is_returned_with_the_server_body() {
        let mut mock = MockTransport::new();
        mock.expect_send().times(2).returning(|_| Ok(status(401)));
        let auth = Arc::new(Counter::default());
        let t = Authenticated::new(mock, auth.clone());
        let response = t.send(get()).await.unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(response.body().as_ref(), b"{\"message\":\"expired\"}");
        assert_eq!(auth.rejections.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn other_statuses_pass_through_without_renewal() {
        let mut mock = MockTransport::new();
        mock.expect_send().times(1).returning(|_| Ok(status(403)));
        let auth = Arc::new(Counter::default());
        let t = Authenticated::new(mock, auth.clone());
        assert_eq!(t.send(get()).await.unwrap().status(), 403);
        assert_eq!(auth.rejections.load(Ordering::SeqCst), 0);
    }

    #[derive(Debug)]
    struct Failing;

    #[async_trait::async_trait]
    impl Authenticator for Failing {
        async fn sign(&self, _: &mut Request) -> Result<(), Error> {
            Err(Error::auth("token endpoint said invalid_client"))
        }
    }

    #[tokio::test]
    async fn a_signing_failure_never_sends_the_request() {
        let mut mock = MockTransport::new();
        mock.expect_send().times(0);
        let t = Authenticated::new(mock, Arc::new(Failing));
        let err = t.send(get()).await.unwrap_err();
        assert!(err.is_auth());
        let cause = std::error::Error::source(&err).unwrap().to_string();
        assert!(cause.contains("invalid_client"));
    }
}
