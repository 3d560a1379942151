//! The recommended transport stack in one call: HTTP (with the TLS settings) → tracing →
//! authentication → retries, and the typed authenticator inside it.

use std::sync::Arc;

use tasklist_transport::Authenticator;
#[cfg(feature = "http")]
use tasklist_transport::{HttpTransportBuilder, RetryPolicy, SharedTransport, TransportExt as _};

#[cfg(feature = "http")]
use crate::config::AuthConfig;
#[cfg(feature = "http")]
use crate::error::Error;
use crate::{BasicAuth, BearerToken, CookieAuth, NoAuth, TokenCache};

/// The authenticator an [`AuthConfig`](crate::AuthConfig) describes, keeping its type: the
/// token cache of OAuth (to look at or drop its token), the cookie session (to log in or out,
/// or share its jar), and so on.
///
/// ```
/// use tasklist_auth::{AuthConfig, Authentication, Component, HttpTransport, TransportExt};
///
/// let config = AuthConfig::builder(Component::Tasklist).basic("demo", "demo".into()).build()?;
/// let http = HttpTransport::builder().build()?.into_shared();
/// let authentication = config.authentication(http)?;
/// assert!(matches!(authentication, Authentication::Basic(_)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Authentication {
    /// OAuth 2.0 client credentials behind a token cache.
    OAuth(TokenCache),
    /// A cookie session.
    Cookie(CookieAuth),
    /// HTTP Basic.
    Basic(BasicAuth),
    /// A static bearer token.
    Bearer(BearerToken),
    /// No authentication.
    None(NoAuth),
}

impl Authentication {
    /// The authenticator as the trait object the transport's
    /// [`with_authenticator`](tasklist_transport::TransportExt::with_authenticator) takes.
    /// Clones share their state: the token cache and the cookie session stay the same.
    ///
    /// ```
    /// # use tasklist_auth::{Authentication, NoAuth};
    /// let authenticator = Authentication::None(NoAuth).into_authenticator();
    /// # let _ = authenticator;
    /// ```
    pub fn into_authenticator(self) -> Arc<dyn Authenticator> {
        match self {
            Authentication::OAuth(cache) => Arc::new(cache),
            Authentication::Cookie(session) => Arc::new(session),
            Authentication::Basic(basic) => Arc::new(basic),
            Authentication::Bearer(bearer) => Arc::new(bearer),
            Authentication::None(none) => Arc::new(none),
        }
    }
}

/// A transport stack built by [`AuthConfig::stack`]: the shared transport to give an API
/// client, and the authenticator inside it.
///
/// ```no_run
/// use tasklist_auth::{AuthConfig, Component, HttpTransport};
///
/// let config = AuthConfig::from_env(Component::Operate)?;
/// let stack = config.stack(HttpTransport::builder()).build()?;
/// let transport = stack.transport();
/// println!("{:?}", stack.authentication());
/// # let _ = transport;
/// # Ok::<(), tasklist_auth::Error>(())
/// ```
#[cfg(feature = "http")]
#[derive(Clone)]
pub struct Stack {
    transport: SharedTransport,
    authentication: Authentication,
}

#[cfg(feature = "http")]
impl std::fmt::Debug for Stack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stack")
            .field("authentication", &self.authentication)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "http")]
impl Stack {
    /// The whole stack, for API clients.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component, HttpTransport};
    /// # let config = AuthConfig::builder(Component::Tasklist).build().unwrap();
    /// let stack = config.stack(HttpTransport::builder()).build().unwrap();
    /// let transport = stack.transport();
    /// # let _ = transport;
    /// ```
    pub fn transport(&self) -> SharedTransport {
        self.transport.clone()
    }

    /// The authenticator inside the stack.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Authentication, Component, HttpTransport};
    /// # let config = AuthConfig::builder(Component::Tasklist).build().unwrap();
    /// let stack = config.stack(HttpTransport::builder()).build().unwrap();
    /// assert!(matches!(stack.authentication(), Authentication::None(_)));
    /// ```
    pub fn authentication(&self) -> &Authentication {
        &self.authentication
    }

    /// The whole stack, keeping nothing else.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component, HttpTransport};
    /// # let config = AuthConfig::builder(Component::Tasklist).build().unwrap();
    /// let transport = config.stack(HttpTransport::builder()).build().unwrap().into_transport();
    /// # let _ = transport;
    /// ```
    pub fn into_transport(self) -> SharedTransport {
        self.transport
    }
}

/// Builds a [`Stack`]; start from [`AuthConfig::stack`].
///
/// The order is fixed, because each layer relies on the one below:
/// 1. [`HttpTransport`](tasklist_transport::HttpTransport) from the given builder, with the
///    configuration's TLS settings applied;
/// 2. tracing, one span per attempt, never recording a credential;
/// 3. authentication: every attempt is signed afresh, so a retry after a renewal carries the
///    new token or session;
/// 4. retries ([`RetryPolicy::default`] unless set), which repeat only what is safe to repeat.
///
/// ```
/// use std::time::Duration;
/// use tasklist_auth::{AuthConfig, Component, HttpTransport, RetryPolicy};
///
/// let config = AuthConfig::builder(Component::Tasklist).build()?;
/// let transport = config
///     .stack(HttpTransport::builder().timeout(Duration::from_secs(10)))
///     .retry(RetryPolicy::default().max_attempts(5))
///     .build()?
///     .into_transport();
/// # let _ = transport;
/// # Ok::<(), tasklist_auth::Error>(())
/// ```
#[cfg(feature = "http")]
#[derive(Debug)]
#[must_use]
pub struct StackBuilder<'a> {
    config: &'a AuthConfig,
    http: HttpTransportBuilder,
    retry: RetryPolicy,
}

#[cfg(feature = "http")]
impl StackBuilder<'_> {
    /// The retry policy, instead of [`RetryPolicy::default`].
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component, HttpTransport, RetryPolicy};
    /// # let config = AuthConfig::builder(Component::Tasklist).build().unwrap();
    /// let builder = config
    ///     .stack(HttpTransport::builder())
    ///     .retry(RetryPolicy::default().max_attempts(2));
    /// # builder.build().unwrap();
    /// ```
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Builds the HTTP transport, the authenticator and the stack. Nothing is sent: a token
    /// is fetched, or a login made, by the first request.
    ///
    /// # Errors
    ///
    /// [`Error::HttpSetup`] when the HTTP transport cannot be built (an unreadable
    /// certificate file, say); else as [`AuthConfig::authentication`].
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component, Error, HttpTransport};
    /// let config = AuthConfig::builder(Component::Tasklist)
    ///     .root_cert("/nonexistent/ca.pem")
    ///     .build()?;
    /// let err = config.stack(HttpTransport::builder()).build().unwrap_err();
    /// assert!(matches!(err, Error::HttpSetup { .. }), "{err}");
    /// # Ok::<(), tasklist_auth::Error>(())
    /// ```
    pub fn build(self) -> Result<Stack, Error> {
        let http = self
            .config
            .apply_tls(self.http)
            .build()
            .map_err(|source| Error::HttpSetup {
                source: Arc::new(source),
            })?;
        let plain = http.clone().into_shared();
        let authentication = self.config.authentication(plain)?;
        let transport = http
            .with_tracing()
            .with_authenticator(authentication.clone().into_authenticator())
            .with_retry(self.retry)
            .into_shared();
        Ok(Stack {
            transport,
            authentication,
        })
    }
}

#[cfg(feature = "http")]
impl AuthConfig {
    /// Starts the recommended transport stack over `http` (see [`StackBuilder`] for the
    /// order of its layers). [`transport`](Self::transport) is the one-line form.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component, HttpTransport};
    /// let config = AuthConfig::builder(Component::Tasklist).build()?;
    /// let stack = config.stack(HttpTransport::builder().user_agent("my-service/1.0")).build()?;
    /// # let _ = stack;
    /// # Ok::<(), tasklist_auth::Error>(())
    /// ```
    pub fn stack(&self, http: HttpTransportBuilder) -> StackBuilder<'_> {
        StackBuilder {
            config: self,
            http,
            retry: RetryPolicy::default(),
        }
    }

    /// The recommended transport stack over `http`, with the default retry policy: what an
    /// API client takes.
    ///
    /// ```no_run
    /// use tasklist_auth::{AuthConfig, Component, HttpTransport};
    ///
    /// let transport = AuthConfig::from_env(Component::Tasklist)?
    ///     .transport(HttpTransport::builder())?;
    /// # let _ = transport;
    /// # Ok::<(), tasklist_auth::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`StackBuilder::build`].
    pub fn transport(&self, http: HttpTransportBuilder) -> Result<SharedTransport, Error> {
        Ok(self.stack(http).build()?.into_transport())
    }
}
