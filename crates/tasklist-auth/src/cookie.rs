//! Camunda cookie sessions: a form login that yields a session cookie and, when CSRF protection
//! is on, a CSRF token that must accompany every state-changing request.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use cookie_store::CookieStore;
use http::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use http::{HeaderValue, Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use tasklist_transport::redact::{register_secret, register_session_value};
use tasklist_transport::{
    Authenticator, Confidential, Idempotency, Redirected, Rejection, Request, Response,
    SharedTransport,
};
use url::Url;

use crate::error::Error;
use crate::secure::{check_transport_security, parse_http_url};

const URL_VAR: &str = "CAMUNDA_COOKIE_AUTH_URL";
const USERNAME_VAR: &str = "CAMUNDA_COOKIE_AUTH_USERNAME";
const PASSWORD_VAR: &str = "CAMUNDA_COOKIE_AUTH_PASSWORD";

/// The header that carries the CSRF token, in both directions.
const CSRF_HEADER: &str = "x-csrf-token";

/// Version of the session file format.
const FILE_VERSION: u32 = 1;

/// Where the form login lives.
///
/// Camunda 8.7 and older log in at `POST {base}/api/login`; 8.8 and newer at
/// `POST {base}/login`.
///
/// ```
/// use tasklist_auth::LoginPath;
/// assert_eq!(LoginPath::default(), LoginPath::Api);
/// let custom = LoginPath::Custom("/tasklist/api/login".to_owned());
/// # let _ = custom;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoginPath {
    /// `/api/login` (logout at `/api/logout`): Camunda 8.7 and older. The default.
    #[default]
    Api,
    /// `/login` (logout at `/logout`): Camunda 8.8 and newer.
    Root,
    /// Try `/api/login` first; fall back to `/login` only when the first path is not a login
    /// form, and remember which one worked for later logins and the logout. Not a login form:
    /// `404` or `405`, or a `401` that says the request was not authenticated at all (Camunda
    /// 8.8 treats `/api/**` as API paths, so its `/api/login` answers `401` with Spring's "Full
    /// authentication is required" problem). A `401` from a login form (Tasklist 8.7's
    /// `{"message": …}`, 8.8's "Bad credentials") refuses the credentials: the other path is
    /// not tried, so a wrong password costs one attempt, and the error names the path that
    /// refused it.
    TryBoth,
    /// Any other path below the base URL (or an absolute `http(s)://` URL). The logout path is
    /// the same with a trailing `login` replaced by `logout`, or `/api/logout` otherwise.
    Custom(String),
}

/// Builds a [`CookieAuth`]. Start from [`CookieAuth::builder`].
///
/// `Debug` shows the URL and user name, never the password.
///
/// ```
/// use tasklist_auth::CookieAuth;
/// let builder = CookieAuth::builder("http://localhost:8080")
///     .username("demo")
///     .password("s3cret".into());
/// assert!(!format!("{builder:?}").contains("s3cret"));
/// ```
#[derive(Clone)]
pub struct CookieAuthBuilder {
    base_url: String,
    username: Option<String>,
    password: Option<SecretString>,
    login_path: LoginPath,
    logout_path: Option<String>,
    allow_insecure_http: bool,
    persist_to: Option<PathBuf>,
}

impl fmt::Debug for CookieAuthBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CookieAuthBuilder")
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("login_path", &self.login_path)
            .field("logout_path", &self.logout_path)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("persist_to", &self.persist_to)
            .finish()
    }
}

impl CookieAuthBuilder {
    /// The user name to log in with (`CAMUNDA_COOKIE_AUTH_USERNAME`).
    ///
    /// ```
    /// let builder = tasklist_auth::CookieAuth::builder("http://localhost:8080").username("demo");
    /// # let _ = builder;
    /// ```
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// The password to log in with (`CAMUNDA_COOKIE_AUTH_PASSWORD`). It is sent only in the
    /// form body of the login request, never in a URL, a log line or an error.
    ///
    /// With a session file ([`persist_to`](Self::persist_to)) the password may be left out:
    /// the authenticator then only reuses the kept session and never logs in. A missing or
    /// ended session is [`Error::NoSession`], and a refused one is left to the caller.
    ///
    /// ```
    /// let builder = tasklist_auth::CookieAuth::builder("http://localhost:8080")
    ///     .password("demo".into());
    /// # let _ = builder;
    /// ```
    pub fn password(mut self, password: SecretString) -> Self {
        self.password = Some(password);
        self
    }

    /// Where the login form is; [`LoginPath::Api`] (Camunda 8.7 and older) by default.
    ///
    /// ```
    /// use tasklist_auth::{CookieAuth, LoginPath};
    /// let builder = CookieAuth::builder("http://localhost:8080").login_path(LoginPath::Root);
    /// # let _ = builder;
    /// ```
    pub fn login_path(mut self, path: LoginPath) -> Self {
        self.login_path = path;
        self
    }

    /// Where to log out (a path below the base URL, or an absolute URL). `None`, the default,
    /// derives it from the login path: `/api/logout` for `/api/login`, `/logout` for `/login`.
    ///
    /// ```
    /// let builder = tasklist_auth::CookieAuth::builder("http://localhost:8080")
    ///     .logout_path(Some("/api/logout".to_owned()));
    /// # let _ = builder;
    /// ```
    pub fn logout_path(mut self, path: Option<String>) -> Self {
        self.logout_path = path;
        self
    }

    /// Allows sending the password over plain `http://` to a host that is not loopback. Off by
    /// default; only for trusted networks.
    ///
    /// ```
    /// let builder = tasklist_auth::CookieAuth::builder("http://tasklist.internal:8080")
    ///     .allow_insecure_http(true);
    /// # let _ = builder;
    /// ```
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Keeps the session (cookies and CSRF token) in `path`, so that another process can reuse
    /// it without logging in. The file is loaded by [`build`](Self::build) when it exists (an
    /// unreadable file is ignored with a warning) and rewritten after every login and logout and
    /// whenever a response changes the session (a rotated CSRF token or session cookie), before
    /// the call returns, with mode `0600` from its first byte. It holds live credentials: keep
    /// it private.
    ///
    /// ```
    /// let builder = tasklist_auth::CookieAuth::builder("http://localhost:8080")
    ///     .persist_to("/home/me/.cache/tasklist/session.json");
    /// # let _ = builder;
    /// ```
    pub fn persist_to(mut self, path: impl Into<PathBuf>) -> Self {
        self.persist_to = Some(path.into());
        self
    }

    /// Checks the settings and builds the authenticator. `transport` carries the login and
    /// logout requests; give it the same TLS and proxy settings as the API transport.
    ///
    /// # Errors
    ///
    /// - [`Error::Config`] when the base URL is not an absolute `http(s)` URL (naming
    ///   `CAMUNDA_COOKIE_AUTH_URL`), the user name is missing or empty (naming
    ///   `CAMUNDA_COOKIE_AUTH_USERNAME`), or the password is, without a session file to reuse
    ///   (naming `CAMUNDA_COOKIE_AUTH_PASSWORD`).
    /// - [`Error::InsecureHttp`] when the login URL is plain `http://` to a host that is not
    ///   loopback and [`allow_insecure_http`](Self::allow_insecure_http) is off.
    ///
    /// ```
    /// use tasklist_auth::{CookieAuth, Error};
    /// use tasklist_transport::{HttpTransport, TransportExt};
    ///
    /// let transport = HttpTransport::builder().build().unwrap().into_shared();
    /// let err = CookieAuth::builder("http://tasklist.example")
    ///     .username("demo")
    ///     .password("demo".into())
    ///     .build(transport)
    ///     .unwrap_err();
    /// assert!(matches!(err, Error::InsecureHttp { .. }));
    /// ```
    pub fn build(self, transport: SharedTransport) -> Result<CookieAuth, Error> {
        let base_url = parse_http_url(&self.base_url, "the cookie login base URL", Some(URL_VAR))?;
        if !base_url.username().is_empty() || base_url.password().is_some() {
            return Err(Error::config(
                Some(URL_VAR),
                "the cookie login base URL must not contain a user name or password; set \
                 CAMUNDA_COOKIE_AUTH_USERNAME and CAMUNDA_COOKIE_AUTH_PASSWORD instead",
            ));
        }
        if base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(Error::config(
                Some(URL_VAR),
                format!(
                    "the cookie login base URL `{}` must not have a query or fragment",
                    &base_url[..url::Position::AfterPath]
                ),
            ));
        }
        let username = self
            .username
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| {
                Error::config(
                    Some(USERNAME_VAR),
                    "the cookie login needs a user name; set CAMUNDA_COOKIE_AUTH_USERNAME",
                )
            })?;
        // Without a password the authenticator can only reuse a kept session.
        let password = self.password.filter(|p| !p.expose_secret().is_empty());
        if password.is_none() && self.persist_to.is_none() {
            return Err(Error::config(
                Some(PASSWORD_VAR),
                "the cookie login needs a password; set CAMUNDA_COOKIE_AUTH_PASSWORD",
            ));
        }
        // A password that is the user name (demo/demo) hides nothing: left unregistered, it
        // does not blank out the user's name wherever a server message names the user.
        if let Some(password) = &password
            && password.expose_secret() != username
        {
            register_secret(password.expose_secret());
        }
        let endpoints = endpoints(&base_url, &self.login_path, self.logout_path.as_deref())?;
        for endpoint in &endpoints {
            check_transport_security(&endpoint.login, "the password", self.allow_insecure_http)?;
            check_transport_security(
                &endpoint.logout,
                "the session cookie",
                self.allow_insecure_http,
            )?;
        }

        let mut state = State::default();
        if let Some(path) = &self.persist_to
            && let Some(saved) = load(path)
        {
            state.restore(saved, &endpoints);
        }

        Ok(CookieAuth {
            inner: Arc::new(Inner {
                base_url,
                username,
                password,
                login_path: self.login_path,
                endpoints,
                transport,
                persist_to: self.persist_to,
                allow_insecure_http: self.allow_insecure_http,
                state: Mutex::new(state),
                login_lock: tokio::sync::Mutex::new(()),
            }),
        })
    }
}

/// A login URL and the logout URL that goes with it.
#[derive(Debug)]
struct Endpoint {
    login: Url,
    logout: Url,
}

/// `path` below `base`, or `path` itself when it is an absolute URL.
fn join(base: &Url, path: &str, what: &str) -> Result<Url, Error> {
    let path = path.trim();
    if path.is_empty() {
        return Err(Error::config(
            Some(URL_VAR),
            format!("the cookie {what} path is empty"),
        ));
    }
    if path.starts_with("http://") || path.starts_with("https://") {
        return parse_http_url(path, &format!("the cookie {what} URL"), Some(URL_VAR));
    }
    let mut url = base.clone();
    url.set_path(&format!(
        "{}/{}",
        base.path().trim_end_matches('/'),
        path.trim_start_matches('/')
    ));
    Ok(url)
}

/// The logout URL that goes with a custom login URL.
fn default_logout(base: &Url, login: &Url) -> Result<Url, Error> {
    match login.path().strip_suffix("login") {
        Some(prefix) => {
            let mut url = login.clone();
            url.set_path(&format!("{prefix}logout"));
            Ok(url)
        }
        None => join(base, "/api/logout", "logout"),
    }
}

/// The login endpoints to try, in order.
fn endpoints(
    base: &Url,
    login_path: &LoginPath,
    logout_path: Option<&str>,
) -> Result<Vec<Endpoint>, Error> {
    let pairs: Vec<(Url, Url)> = match login_path {
        LoginPath::Api => vec![(
            join(base, "/api/login", "login")?,
            join(base, "/api/logout", "logout")?,
        )],
        LoginPath::Root => vec![(
            join(base, "/login", "login")?,
            join(base, "/logout", "logout")?,
        )],
        LoginPath::TryBoth => vec![
            (
                join(base, "/api/login", "login")?,
                join(base, "/api/logout", "logout")?,
            ),
            (
                join(base, "/login", "login")?,
                join(base, "/logout", "logout")?,
            ),
        ],
        LoginPath::Custom(path) => {
            let login = join(base, path, "login")?;
            let logout = default_logout(base, &login)?;
            vec![(login, logout)]
        }
    };
    let logout_override = logout_path.map(|p| join(base, p, "logout")).transpose()?;
    Ok(pairs
        .into_iter()
        .map(|(login, logout)| Endpoint {
            login,
            logout: logout_override.clone().unwrap_or(logout),
        })
        .collect())
}

/// The session as saved to disk.
#[derive(Serialize, Deserialize)]
struct Saved {
    version: u32,
    cookies: Vec<cookie_store::Cookie<'static>>,
    csrf_token: Option<String>,
    login_url: Option<String>,
}

/// Reads a saved session; a missing file is no session, an unreadable one a warning.
fn load(path: &Path) -> Option<Saved> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => {
            tracing::warn!(
                path = %path.display(),
                error = %e,
                "cannot read the saved cookie session; starting without one"
            );
            return None;
        }
    };
    match serde_json::from_slice::<Saved>(&bytes) {
        Ok(saved) if saved.version == FILE_VERSION => Some(saved),
        Ok(saved) => {
            tracing::warn!(
                path = %path.display(),
                version = saved.version,
                "the saved cookie session has an unknown format version; starting without one"
            );
            None
        }
        Err(e) => {
            tracing::warn!(
                path = %path.display(),
                error = %e,
                "the saved cookie session is not valid; starting without one"
            );
            None
        }
    }
}

/// A `POST` of `body` to `url`, for the `what` (login or logout) request. It carries the
/// password or the session, so it is marked [`Confidential`]: never redirected to another
/// origin, never sent over plain http to a remote host unless `allow_insecure_http`.
fn post_request(
    url: &Url,
    body: Bytes,
    what: &str,
    allow_insecure_http: bool,
) -> Result<Request, Error> {
    let mut request = http::Request::post(url.as_str()).body(body).map_err(|e| {
        Error::config(
            Some(URL_VAR),
            format!("cannot build the {what} request for {url}: {e}"),
        )
    })?;
    Confidential::new()
        .allow_insecure_http(allow_insecure_http)
        .mark(&mut request);
    Ok(request)
}

/// The mutable part of a [`CookieAuth`]. Never locked across an `.await`.
#[derive(Default)]
struct State {
    jar: CookieStore,
    csrf_token: Option<String>,
    /// Bumped by every successful login and by logout.
    generation: u64,
    /// Whether the jar is believed to hold a session.
    has_session: bool,
    /// Finished login attempts, successful or not.
    attempts: u64,
    /// Why the last login attempt failed, shared with the tasks that waited for it.
    last_failure: Option<Error>,
    /// Index of the endpoint whose login worked.
    endpoint: Option<usize>,
}

impl State {
    fn restore(&mut self, saved: Saved, endpoints: &[Endpoint]) {
        let cookies = saved
            .cookies
            .into_iter()
            .map(Ok::<_, std::convert::Infallible>);
        let Ok(jar) = CookieStore::from_cookies(cookies, false);
        self.jar = jar;
        self.csrf_token = saved.csrf_token;
        self.register_values();
        self.endpoint = saved
            .login_url
            .and_then(|url| endpoints.iter().position(|e| e.login.as_str() == url));
        let login = &endpoints[self.endpoint.unwrap_or(0)].login;
        self.has_session = !self.jar.matches(login).is_empty();
        if self.has_session {
            self.generation = 1;
        }
    }

    /// The `Cookie` header for `url`, if the jar holds cookies for it.
    fn cookie_header(&self, url: &Url) -> Option<HeaderValue> {
        let pairs: Vec<String> = self
            .jar
            .get_request_values(url)
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        if pairs.is_empty() {
            return None;
        }
        let mut header = HeaderValue::from_str(&pairs.join("; ")).ok()?;
        header.set_sensitive(true);
        Some(header)
    }

    /// The CSRF token as a header value, if one is known.
    fn csrf_header(&self) -> Option<HeaderValue> {
        let mut header = HeaderValue::from_str(self.csrf_token.as_deref()?).ok()?;
        header.set_sensitive(true);
        Some(header)
    }

    /// Stores every `Set-Cookie` of `response`, which came from `url`, as the jar's domain
    /// and path rules allow; returns how many were stored and whether the jar's cookies
    /// (names, values, scopes) changed.
    fn store_cookies(&mut self, response: &Response, url: &Url) -> (usize, bool) {
        let before = self.fingerprint();
        let stored = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .filter(|value| self.jar.parse(value, url).is_ok())
            .count();
        if stored == 0 {
            return (0, false);
        }
        self.register_values();
        (stored, self.fingerprint() != before)
    }

    /// What the cookies are, to tell whether a response changed them.
    fn fingerprint(&self) -> Vec<(String, String, Option<String>, Option<String>)> {
        let mut cookies: Vec<_> = self
            .jar
            .iter_unexpired()
            .map(|c| {
                (
                    c.name().to_owned(),
                    c.value().to_owned(),
                    c.domain().map(str::to_owned),
                    c.path().map(str::to_owned),
                )
            })
            .collect();
        cookies.sort();
        cookies
    }

    /// Registers the cookie values and the CSRF token with the redaction step.
    fn register_values(&self) {
        for cookie in self.jar.iter_any() {
            register_session_value(cookie.value());
        }
        if let Some(token) = &self.csrf_token {
            register_session_value(token);
        }
    }

    fn serialize(&self, endpoints: &[Endpoint]) -> Option<Vec<u8>> {
        let saved = Saved {
            version: FILE_VERSION,
            cookies: self.jar.iter_any().cloned().collect(),
            csrf_token: self.csrf_token.clone(),
            login_url: self
                .endpoint
                .and_then(|i| endpoints.get(i))
                .map(|e| e.login.to_string()),
        };
        match serde_json::to_vec(&saved) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                tracing::warn!(error = %e, "cannot serialize the cookie session; not saving it");
                None
            }
        }
    }
}

/// The CSRF token a response carries, if any.
fn csrf_from(response: &Response) -> Option<String> {
    response
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Why a login attempt failed, and whether the path was a login form at all.
struct LoginFailure {
    error: Error,
    /// The path is no login form (`404`, `405`, or a `401` asking for authentication).
    not_a_login_form: bool,
}

impl From<Error> for LoginFailure {
    fn from(error: Error) -> Self {
        LoginFailure {
            error,
            not_a_login_form: false,
        }
    }
}

/// Whether a `401` body says the request was not authenticated at all, rather than that its
/// credentials were wrong: Spring's "Full authentication is required to access this resource",
/// which Camunda 8.8 answers at `/api/login` (an API path there). A login form refusing a
/// password says `Bad credentials` (8.8) or `{"message": ""}` (8.7).
fn asks_for_authentication(body: &[u8]) -> bool {
    const PHRASE: &[u8] = b"full authentication";
    body.windows(PHRASE.len())
        .any(|w| w.eq_ignore_ascii_case(PHRASE))
}

/// Where `response` came from when it was reached through redirects.
fn answered_at(response: &Response) -> Option<Url> {
    Redirected::of(response).and_then(|r| Url::parse(&r.final_uri.to_string()).ok())
}

/// Whether `body` mentions CSRF, in any case.
fn mentions_csrf(body: &[u8]) -> bool {
    body.windows(4).any(|w| w.eq_ignore_ascii_case(b"csrf"))
}

/// Methods that Spring Security's CSRF protection lets through without a token.
fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

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
/// - Login and logout requests are [`Confidential`]: never redirected to another origin, never
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
        CookieAuthBuilder {
            base_url: base_url.to_owned(),
            username: None,
            password: None,
            login_path: LoginPath::default(),
            logout_path: None,
            allow_insecure_http: false,
            persist_to: None,
        }
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
            state.jar.clear();
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

impl CookieAuth {
    /// Puts the session's cookies (after the request's own) and, on a state-changing request,
    /// its CSRF token on `request`. A request signed before (a second attempt) gets its own
    /// cookies back first, so nothing is sent twice.
    fn sign_session(&self, request: &mut Request) -> Result<(), tasklist_transport::Error> {
        let url = Url::parse(&request.uri().to_string())
            .map_err(tasklist_transport::Error::invalid_request)?;
        let own = match request.extensions().get::<Signed>() {
            Some(signed) => signed.own_cookie.clone(),
            None => request.headers().get(COOKIE).cloned(),
        };
        let (cookie, csrf, generation, attempts) = {
            let state = self.state();
            let cookie = state.cookie_header(&url);
            // The token belongs to the session: send it only along with the session cookie.
            let csrf = if cookie.is_some() && !is_safe(request.method()) {
                state.csrf_header()
            } else {
                None
            };
            (cookie, csrf, state.generation, state.attempts)
        };
        let headers = request.headers_mut();
        headers.remove(CSRF_HEADER);
        let cookie = match (&own, cookie) {
            (Some(own), Some(cookie)) => {
                let mut merged = own.as_bytes().to_vec();
                merged.extend_from_slice(b"; ");
                merged.extend_from_slice(cookie.as_bytes());
                HeaderValue::from_bytes(&merged).ok().map(|mut value| {
                    value.set_sensitive(true);
                    value
                })
            }
            (own, cookie) => cookie.or_else(|| own.clone()),
        };
        match cookie {
            Some(cookie) => headers.insert(COOKIE, cookie),
            None => headers.remove(COOKIE),
        };
        if let Some(csrf) = csrf {
            headers.insert(CSRF_HEADER, csrf);
        }
        request.extensions_mut().insert(Signed {
            generation,
            attempts,
            own_cookie: own,
        });
        Ok(())
    }
}

#[async_trait::async_trait]
impl Authenticator for CookieAuth {
    async fn sign(&self, request: &mut Request) -> Result<(), tasklist_transport::Error> {
        self.ensure_session()
            .await
            .map_err(tasklist_transport::Error::auth)?;
        self.sign_session(request)
    }

    fn sign_now(&self, request: &mut Request) -> Option<Result<(), tasklist_transport::Error>> {
        if !self.state().has_session {
            return None;
        }
        Some(self.sign_session(request))
    }

    async fn rejected(
        &self,
        request: &Request,
        response: &Response,
    ) -> Result<Rejection, tasklist_transport::Error> {
        let Some(&Signed {
            generation,
            attempts,
            ..
        }) = request.extensions().get::<Signed>()
        else {
            return Ok(Rejection::GiveUp);
        };
        if self.inner.password.is_none() {
            // Only a kept session, which the server refused: the answer stands.
            return Ok(Rejection::GiveUp);
        }
        let _guard = self.inner.login_lock.lock().await;
        {
            let state = self.state();
            if state.generation != generation {
                // Another task renewed the session (or logged out) meanwhile.
                return Ok(Rejection::RetryOnce);
            }
            if state.attempts != attempts
                && let Some(failure) = &state.last_failure
            {
                return Err(tasklist_transport::Error::auth(failure.clone()));
            }
        }
        tracing::debug!(
            status = response.status().as_u16(),
            "the session was rejected; logging in again"
        );
        self.login_locked()
            .await
            .map_err(tasklist_transport::Error::auth)?;
        Ok(Rejection::RetryOnce)
    }

    fn is_rejection(&self, response: &Response) -> bool {
        match response.status() {
            StatusCode::UNAUTHORIZED => true,
            StatusCode::FORBIDDEN => mentions_csrf(response.body()),
            _ => false,
        }
    }

    fn observe(&self, request: &Request, response: &Response) {
        if self.is_rejection(response) {
            return;
        }
        let Some(&Signed { generation, .. }) = request.extensions().get::<Signed>() else {
            return;
        };
        let token = csrf_from(response);
        if token.is_none() && !response.headers().contains_key(SET_COOKIE) {
            return;
        }
        // Where the answer came from: after a redirect, not the URL that was asked.
        let Some(url) =
            answered_at(response).or_else(|| Url::parse(&request.uri().to_string()).ok())
        else {
            return;
        };
        if !self.inner.is_configured_origin(&url) {
            tracing::debug!(
                origin = %url.origin().ascii_serialization(),
                "ignoring the cookies and CSRF token of another origin"
            );
            return;
        }
        let bytes = {
            let mut state = self.state();
            if state.generation != generation {
                // A response to the previous session must not overwrite the current one.
                return;
            }
            let (_, changed) = state.store_cookies(response, &url);
            let mut rotated = false;
            if let Some(token) = token
                && state.csrf_token.as_deref() != Some(token.as_str())
                && !state.jar.matches(&url).is_empty()
            {
                tracing::debug!(%url, "the server rotated the CSRF token");
                state.csrf_token = Some(token);
                state.register_values();
                rotated = true;
            }
            // What the server changed is kept for the next process too.
            if changed || rotated {
                self.snapshot(&state)
            } else {
                None
            }
        };
        self.persist(bytes);
    }
}

/// A cookie session's jar, CSRF capture and file format, driven by the fuzz targets.
#[cfg(feature = "fuzzing")]
pub(crate) struct CookieJarProbe {
    endpoints: Vec<Endpoint>,
}

#[cfg(feature = "fuzzing")]
impl CookieJarProbe {
    /// A session whose login endpoint is below `url`'s origin.
    pub(crate) fn new(url: &Url) -> Self {
        let endpoints = endpoints(url, &LoginPath::Api, None).unwrap_or_default();
        CookieJarProbe { endpoints }
    }

    /// Stores the cookies and CSRF token of a response from `url`, then saves and restores the
    /// session.
    pub(crate) fn exchange(
        &self,
        set_cookies: &[Vec<u8>],
        csrf: &[u8],
        url: &Url,
    ) -> crate::fuzzing::CookieOutcome {
        let mut response = http::Response::new(Bytes::new());
        for value in set_cookies {
            if let Ok(value) = HeaderValue::from_bytes(value) {
                response.headers_mut().append(SET_COOKIE, value);
            }
        }
        if let Ok(value) = HeaderValue::from_bytes(csrf) {
            response.headers_mut().insert(CSRF_HEADER, value);
        }
        let mut state = State::default();
        state.store_cookies(&response, url);
        state.csrf_token = csrf_from(&response);
        state.endpoint = Some(0);
        let cookie_header = state.cookie_header(url).map(|h| h.as_bytes().to_vec());
        let after_round_trip = state
            .serialize(&self.endpoints)
            .and_then(|bytes| serde_json::from_slice::<Saved>(&bytes).ok())
            .and_then(|saved| {
                if self.endpoints.is_empty() {
                    return None;
                }
                let mut back = State::default();
                back.restore(saved, &self.endpoints);
                back.cookie_header(url).map(|h| h.as_bytes().to_vec())
            });
        crate::fuzzing::CookieOutcome {
            cookie_header,
            csrf_token: state.csrf_token,
            after_round_trip,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn endpoints_follow_the_login_path() {
        let b = base("https://camunda.example/tasklist/");
        let e = endpoints(&b, &LoginPath::Api, None).unwrap();
        assert_eq!(
            e[0].login.as_str(),
            "https://camunda.example/tasklist/api/login"
        );
        assert_eq!(
            e[0].logout.as_str(),
            "https://camunda.example/tasklist/api/logout"
        );
        let e = endpoints(&b, &LoginPath::TryBoth, None).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(
            e[1].logout.as_str(),
            "https://camunda.example/tasklist/logout"
        );
        let e = endpoints(&b, &LoginPath::Custom("/x/login".into()), None).unwrap();
        assert_eq!(
            e[0].logout.as_str(),
            "https://camunda.example/tasklist/x/logout"
        );
        let e = endpoints(&b, &LoginPath::Root, Some("/bye")).unwrap();
        assert_eq!(e[0].logout.as_str(), "https://camunda.example/tasklist/bye");
    }

    #[test]
    fn csrf_is_recognised_in_any_case() {
        assert!(mentions_csrf(
            b"Invalid CSRF Token 'x' was found on the request parameter '_csrf'"
        ));
        assert!(mentions_csrf(b"could not verify the provided csrf token"));
        assert!(!mentions_csrf(b"{\"message\":\"no permission\"}"));
    }
}
