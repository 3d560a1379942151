//! Camunda cookie sessions: a form login that yields a session cookie and, when CSRF protection
//! is on, a CSRF token that must accompany every state-changing request.
//!
//! - `builder`: where the login form is ([`LoginPath`]) and [`CookieAuthBuilder`];
//! - `session`: the jar, the CSRF token and the session file;
//! - `sign`: the [`Authenticator`](tasklist_transport::Authenticator) that puts them on
//!   requests and renews a rejected session;
//! - here: [`CookieAuth`] itself, its login and logout.

mod builder;
mod session;
mod sign;

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use http::header::{CONTENT_TYPE, COOKIE};
use http::{HeaderValue, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use tasklist_transport::{Idempotency, Request, Response, SharedTransport};
use url::Url;

use self::builder::Endpoint;
pub use self::builder::{CookieAuthBuilder, LoginPath};
pub use self::session::CookieJar;
#[cfg(feature = "fuzzing")]
pub(crate) use self::session::CookieJarProbe;
use self::session::{
    LoginFailure, State, answered_at, asks_for_authentication, csrf_from, post_request,
};
use crate::env;
use crate::error::Error;

const URL_VAR: &str = env::COOKIE_AUTH_URL;
const USERNAME_VAR: &str = env::COOKIE_AUTH_USERNAME;
const PASSWORD_VAR: &str = env::COOKIE_AUTH_PASSWORD;

/// The header that carries the CSRF token, in both directions.
const CSRF_HEADER: &str = "x-csrf-token";

/// Which session a request was signed with; kept in the request's extensions, with the
/// request's own `Cookie` header from before signing.
#[derive(Clone, Debug)]
struct Signed {
    generation: u64,
    attempts: u64,
    own_cookie: Option<HeaderValue>,
}

struct Inner {
    base_url: Url,
    username: String,
    /// `None` for an authenticator that only reuses a kept session and never logs in.
    password: Option<SecretString>,
    login_path: LoginPath,
    endpoints: Vec<Endpoint>,
    transport: SharedTransport,
    persist_to: Option<PathBuf>,
    /// Whether the password and session may go over plain http to a remote host.
    allow_insecure_http: bool,
    /// The cookies, also inside `state`.
    jar: Arc<CookieJar>,
    state: Mutex<State>,
    /// Held while logging in or out, so that concurrent requests cause one login.
    login_lock: tokio::sync::Mutex<()>,
}

impl Inner {
    /// Whether `url` is at the origin of the base URL or of a login or logout endpoint: the
    /// only origins whose cookies and CSRF tokens are taken.
    fn is_configured_origin(&self, url: &Url) -> bool {
        let origin = url.origin();
        origin == self.base_url.origin()
            || self
                .endpoints
                .iter()
                .any(|e| e.login.origin() == origin || e.logout.origin() == origin)
    }
}

/// Camunda cookie-session authentication: logs in with a user name and password through the
/// login form, then sends the session cookie (and the CSRF token, on state-changing requests)
/// with every request.
///
/// - Camunda 8.7 and older log in at `POST /api/login`, 8.8 and newer at `POST /login` (see
///   [`LoginPath`]). The credentials travel as an `application/x-www-form-urlencoded` body,
///   never in the URL.
/// - The first request logs in; concurrent first requests share one login.
/// - When the server answers `401`, or `403` with a CSRF complaint, the session is renewed
///   once (one login however many requests were rejected together) and the request is sent
///   again. A `403` that is about permissions is handed back untouched.
/// - Cookies are kept in a [`cookie_store::CookieStore`], so they are sent only where a
///   browser would send them (domain, path, `Secure`). The server may rotate the CSRF token in
///   any response's `X-CSRF-TOKEN` header; the new one is used from then on (and saved, with a
///   session file). Cookies and CSRF tokens are taken only from responses whose final URL,
///   after redirects, is at the origin of the base URL or of a login or logout URL.
/// - Login and logout requests are [`Confidential`](tasklist_transport::Confidential): never redirected to another origin, never
///   sent over plain `http://` to a remote host without the opt-in. The password, cookie values
///   and CSRF tokens are registered with [`tasklist_transport::redact`].
/// - Optionally the session is saved to a file ([`CookieAuthBuilder::persist_to`]).
///
/// The value is cheap to clone (clones share the session). `Debug` shows the URL and user
/// name, never the password, a cookie or the CSRF token.
///
/// # Example
///
/// ```no_run
/// use std::sync::Arc;
/// use tasklist_auth::{CookieAuth, LoginPath};
/// use tasklist_transport::{HttpTransport, Transport, TransportExt};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let http = HttpTransport::builder().build()?.into_shared();
/// let auth = CookieAuth::builder("http://localhost:8080")
///     .username("demo")
///     .password("demo".into())
///     .login_path(LoginPath::TryBoth)
///     .build(http.clone())?;
/// let api = http.with_authenticator(Arc::new(auth.clone()));
///
/// let request = http::Request::post("http://localhost:8080/v1/tasks/search")
///     .header("content-type", "application/json")
///     .body(bytes::Bytes::from_static(b"{}"))?;
/// let response = api.send(request).await?;
/// println!("{}", response.status());
/// auth.logout().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct CookieAuth {
    inner: Arc<Inner>,
}

impl fmt::Debug for CookieAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let logins: Vec<&str> = inner.endpoints.iter().map(|e| e.login.as_str()).collect();
        let mut d = f.debug_struct("CookieAuth");
        d.field("base_url", &inner.base_url.as_str())
            .field("username", &inner.username)
            .field("password", &"<redacted>")
            .field("login_path", &inner.login_path)
            .field("login_urls", &logins)
            .field("persist_to", &inner.persist_to);
        if let Ok(state) = inner.state.try_lock() {
            d.field("logged_in", &state.has_session);
        }
        d.finish_non_exhaustive()
    }
}

impl CookieAuth {
    /// Starts building a cookie authenticator for the Camunda component at `base_url` (for
    /// example `http://localhost:8080`, or `https://camunda.example/tasklist` behind a path
    /// prefix). The login path is appended to it.
    ///
    /// ```
    /// use tasklist_auth::CookieAuth;
    /// use tasklist_transport::{HttpTransport, TransportExt};
    ///
    /// let auth = CookieAuth::builder("http://localhost:8080")
    ///     .username("demo")
    ///     .password("demo".into())
    ///     .build(HttpTransport::builder().build().unwrap().into_shared())
    ///     .unwrap();
    /// assert_eq!(auth.username(), "demo");
    /// ```
    pub fn builder(base_url: &str) -> CookieAuthBuilder {
        CookieAuthBuilder::new(base_url)
    }

    /// The user name this authenticator logs in as.
    ///
    /// ```
    /// # use tasklist_transport::{HttpTransport, TransportExt};
    /// let auth = tasklist_auth::CookieAuth::builder("http://localhost:8080")
    ///     .username("demo")
    ///     .password("demo".into())
    ///     .build(HttpTransport::builder().build().unwrap().into_shared())
    ///     .unwrap();
    /// assert_eq!(auth.username(), "demo");
    /// ```
    pub fn username(&self) -> &str {
        &self.inner.username
    }

    /// The base URL the login path is appended to.
    ///
    /// ```
    /// # use tasklist_transport::{HttpTransport, TransportExt};
    /// let auth = tasklist_auth::CookieAuth::builder("http://localhost:8080")
    ///     .username("demo")
    ///     .password("demo".into())
    ///     .build(HttpTransport::builder().build().unwrap().into_shared())
    ///     .unwrap();
    /// assert_eq!(auth.base_url().as_str(), "http://localhost:8080/");
    /// ```
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The session's cookie jar, to share the logged-in session with an HTTP client of your
    /// own: `reqwest::Client::builder().cookie_provider(auth.cookie_jar())` sends the session
    /// cookie wherever a browser would (on Camunda 8.8+ a state-changing call also needs the
    /// [`csrf_token`](Self::csrf_token) as an `X-CSRF-TOKEN` header). The jar holds live
    /// credentials: keep it in the process.
    ///
    /// ```
    /// # use tasklist_auth::{CookieAuth, HttpTransport, TransportExt};
    /// let auth = CookieAuth::builder("http://localhost:8080")
    ///     .username("demo")
    ///     .password("demo".into())
    ///     .build(HttpTransport::builder().build().unwrap().into_shared())
    ///     .unwrap();
    /// let jar = auth.cookie_jar();
    /// assert_eq!(jar.lock().unwrap().iter_any().count(), 0);
    /// ```
    pub fn cookie_jar(&self) -> Arc<CookieJar> {
        self.inner.jar.clone()
    }

    /// The CSRF token of the session, when the server sent one: the value an `X-CSRF-TOKEN`
    /// header must carry on every state-changing request of this session.
    ///
    /// ```
    /// # use tasklist_auth::{CookieAuth, HttpTransport, TransportExt};
    /// let auth = CookieAuth::builder("http://localhost:8080")
    ///     .username("demo")
    ///     .password("demo".into())
    ///     .build(HttpTransport::builder().build().unwrap().into_shared())
    ///     .unwrap();
    /// assert!(auth.csrf_token().is_none());
    /// ```
    pub fn csrf_token(&self) -> Option<SecretString> {
        self.state().csrf_token.clone().map(SecretString::from)
    }

    /// Whether a session is held (logged in, or restored from the session file). The server
    /// may still have expired it.
    ///
    /// ```
    /// # use tasklist_transport::{HttpTransport, TransportExt};
    /// let auth = tasklist_auth::CookieAuth::builder("http://localhost:8080")
    ///     .username("demo")
    ///     .password("demo".into())
    ///     .build(HttpTransport::builder().build().unwrap().into_shared())
    ///     .unwrap();
    /// assert!(!auth.is_logged_in());
    /// ```
    pub fn is_logged_in(&self) -> bool {
        self.state().has_session
    }

    /// Logs in now, replacing any session held. Requests log in by themselves when needed;
    /// call this to fail early on wrong credentials.
    ///
    /// # Errors
    ///
    /// - [`Error::Login`] when the server refuses the credentials (status 401) or answers
    ///   anything but success with a session cookie.
    /// - [`Error::Transport`] when the server cannot be reached.
    ///
    /// ```no_run
    /// # use tasklist_transport::{HttpTransport, TransportExt};
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let auth = tasklist_auth::CookieAuth::builder("http://localhost:8080")
    ///     .username("demo")
    ///     .password("demo".into())
    ///     .build(HttpTransport::builder().build()?.into_shared())?;
    /// auth.login().await?;
    /// assert!(auth.is_logged_in());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn login(&self) -> Result<(), Error> {
        let _guard = self.inner.login_lock.lock().await;
        self.login_locked().await
    }

    /// Ends the session: calls the logout endpoint with the session cookie and CSRF token,
    /// then forgets the cookies and token (also in the session file). The next request logs
    /// in again. Without a session, nothing is sent.
    ///
    /// # Errors
    ///
    /// [`Error::Transport`] when the server cannot be reached, [`Error::Login`] when it
    /// answers the logout with an error status other than 401 (no session). The local session
    /// is forgotten in every case.
    ///
    /// ```no_run
    /// # use tasklist_transport::{HttpTransport, TransportExt};
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let auth = tasklist_auth::CookieAuth::builder("http://localhost:8080")
    ///     .username("demo")
    ///     .password("demo".into())
    ///     .build(HttpTransport::builder().build()?.into_shared())?;
    /// auth.login().await?;
    /// auth.logout().await?;
    /// assert!(!auth.is_logged_in());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn logout(&self) -> Result<(), Error> {
        let _guard = self.inner.login_lock.lock().await;
        let target = {
            let state = self.state();
            state.has_session.then(|| {
                let endpoint = state.endpoint.unwrap_or(0);
                let url = self.inner.endpoints[endpoint].logout.clone();
                let cookie = state.cookie_header(&url);
                let csrf = state.csrf_header();
                (url, cookie, csrf)
            })
        };
        let result = match target {
            Some((url, cookie, csrf)) => self.post_logout(url, cookie, csrf).await,
            None => Ok(()),
        };
        let bytes = {
            let mut state = self.state();
            state.forget_cookies();
            state.csrf_token = None;
            state.has_session = false;
            state.last_failure = None;
            state.generation += 1;
            self.snapshot(&state)
        };
        self.persist(bytes);
        result
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The session serialized for the session file, when there is one.
    fn snapshot(&self, state: &State) -> Option<Vec<u8>> {
        self.inner.persist_to.as_ref()?;
        state.serialize(&self.inner.endpoints)
    }

    /// Writes a snapshot to the session file; failures are warnings.
    fn persist(&self, bytes: Option<Vec<u8>>) {
        let (Some(path), Some(bytes)) = (&self.inner.persist_to, bytes) else {
            return;
        };
        if let Err(e) = crate::private_file::write(path, &bytes) {
            tracing::warn!(
                path = %path.display(),
                error = %e,
                "cannot save the cookie session"
            );
        }
    }

    /// Logs in unless a session is held; concurrent callers share one login, and share its
    /// failure.
    async fn ensure_session(&self) -> Result<(), Error> {
        let attempts = {
            let state = self.state();
            if state.has_session {
                return Ok(());
            }
            state.attempts
        };
        let _guard = self.inner.login_lock.lock().await;
        {
            let state = self.state();
            if state.has_session {
                return Ok(());
            }
            if state.attempts != attempts
                && let Some(failure) = &state.last_failure
            {
                return Err(failure.clone());
            }
        }
        self.login_locked().await
    }

    /// Logs in; the caller holds `login_lock`.
    async fn login_locked(&self) -> Result<(), Error> {
        let result = match &self.inner.password {
            Some(password) => self.try_endpoints(password).await,
            None => Err(Error::NoSession),
        };
        let bytes = {
            let mut state = self.state();
            state.attempts += 1;
            match &result {
                Ok(endpoint) => {
                    state.generation += 1;
                    state.has_session = true;
                    state.last_failure = None;
                    state.endpoint = Some(*endpoint);
                    self.snapshot(&state)
                }
                Err(e) => {
                    state.has_session = false;
                    state.last_failure = Some(e.clone());
                    None
                }
            }
        };
        self.persist(bytes);
        result.map(|_| ())
    }

    /// Tries the login endpoints in order (the one that worked before first); returns the
    /// index of the one that worked. The next endpoint is tried only when one is not a login
    /// form at all; a login form's refusal ends the attempt, so a wrong password is sent once.
    async fn try_endpoints(&self, password: &SecretString) -> Result<usize, Error> {
        let endpoints = &self.inner.endpoints;
        let remembered = self.state().endpoint;
        let mut order: Vec<usize> = remembered.into_iter().collect();
        order.extend((0..endpoints.len()).filter(|i| Some(*i) != remembered));
        let mut last = None;
        for (n, index) in order.iter().copied().enumerate() {
            let url = &endpoints[index].login;
            match self.post_login(url, password).await {
                Ok(()) => return Ok(index),
                Err(failure) if failure.not_a_login_form && n + 1 < order.len() => {
                    tracing::debug!(%url, "no login form here; trying the next path");
                    last = Some(failure.error);
                }
                Err(failure) => return Err(failure.error),
            }
        }
        Err(last.unwrap_or_else(|| Error::config(Some(URL_VAR), "no login endpoint to try")))
    }

    /// Sends a login or logout request through the transport given at build.
    async fn send(&self, url: &Url, request: Request) -> Result<Response, Error> {
        self.inner
            .transport
            .send(request)
            .await
            .map_err(|e| Error::transport(url.as_str(), e))
    }

    /// Posts the login form to `url` and stores the session it yields.
    async fn post_login(&self, url: &Url, password: &SecretString) -> Result<(), LoginFailure> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("username", &self.inner.username)
            .append_pair("password", password.expose_secret())
            .finish();
        let mut request = post_request(
            url,
            Bytes::from(body),
            "login",
            self.inner.allow_insecure_http,
        )?;
        request.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        // Logging in twice is harmless: a retry policy may repeat it.
        Idempotency::Idempotent.mark(&mut request);
        // Like a browser, send the cookies held (a load balancer's affinity cookie, say).
        if let Some(cookie) = self.state().cookie_header(url) {
            request.headers_mut().insert(COOKIE, cookie);
        }
        let response = self.send(url, request).await?;
        let status = response.status();
        if status.is_success() {
            // The login request never leaves its origin; a redirect within it may land on
            // another path, which decides where the cookies apply.
            let landed = answered_at(&response).unwrap_or_else(|| url.clone());
            let mut state = self.state();
            if state.store_cookies(&response, &landed).0 == 0 {
                return Err(LoginFailure::from(Error::Login {
                    url: url.to_string(),
                    status: status.as_u16(),
                    message: "the server accepted the login but set no session cookie; is the \
                              login URL right?"
                        .to_owned(),
                }));
            }
            // A token of the previous session is useless with the new one.
            state.csrf_token = csrf_from(&response);
            state.register_values();
            drop(state);
            tracing::info!(%url, status = status.as_u16(), "logged in");
            return Ok(());
        }
        tracing::debug!(%url, status = status.as_u16(), "login refused");
        let not_a_login_form = match status {
            StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => true,
            StatusCode::UNAUTHORIZED => asks_for_authentication(response.body()),
            _ => false,
        };
        let server = crate::error::excerpt(response.body());
        let server = if server.is_empty() {
            String::new()
        } else {
            format!(" (the server said: {server})")
        };
        let message = match status {
            _ if not_a_login_form => format!(
                "there is no login form at this path{server}; Camunda 8.7 and older log in at \
                 /api/login (LoginPath::Api), 8.8 and newer at /login (LoginPath::Root)"
            ),
            StatusCode::UNAUTHORIZED => format!(
                "the login form refused the user name or password; check {USERNAME_VAR} and \
                 {PASSWORD_VAR}{server}"
            ),
            _ => format!("unexpected answer to the login{server}"),
        };
        Err(LoginFailure {
            error: Error::Login {
                url: url.to_string(),
                status: status.as_u16(),
                message,
            },
            not_a_login_form,
        })
    }

    /// Posts the logout with the session cookie and CSRF token.
    async fn post_logout(
        &self,
        url: Url,
        cookie: Option<HeaderValue>,
        csrf: Option<HeaderValue>,
    ) -> Result<(), Error> {
        let mut request =
            post_request(&url, Bytes::new(), "logout", self.inner.allow_insecure_http)?;
        if let Some(cookie) = cookie {
            request.headers_mut().insert(COOKIE, cookie);
        }
        if let Some(csrf) = csrf {
            request.headers_mut().insert(CSRF_HEADER, csrf);
        }
        let response = self.send(&url, request).await?;
        let status = response.status();
        tracing::debug!(%url, status = status.as_u16(), "logged out");
        if status.is_success() || status.is_redirection() || status == StatusCode::UNAUTHORIZED {
            return Ok(());
        }
        Err(Error::Login {
            url: url.to_string(),
            status: status.as_u16(),
            message: format!(
                "the logout was refused (the session is forgotten here anyway): {}",
                crate::error::excerpt(response.body())
            ),
        })
    }
}
