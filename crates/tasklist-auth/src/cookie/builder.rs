//! Where the login form is, and the builder of a [`CookieAuth`].

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use secrecy::{ExposeSecret, SecretString};
use tasklist_transport::SharedTransport;
use tasklist_transport::redact::register_secret;
use url::Url;

use super::session::{CookieJar, State, load};
use super::{CookieAuth, Inner, PASSWORD_VAR, URL_VAR, USERNAME_VAR};
use crate::error::Error;
use crate::secure::{check_transport_security, parse_http_url};

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

impl LoginPath {
    /// A whole login URL as the base URL (its origin) and the login path below it: `/api/login`
    /// is [`Api`](Self::Api), `/login` [`Root`](Self::Root), no path
    /// [`TryBoth`](Self::TryBoth), any other path [`Custom`](Self::Custom). This is how
    /// `CAMUNDA_COOKIE_AUTH_URL` is read.
    ///
    /// ```
    /// use tasklist_auth::LoginPath;
    /// let url = url::Url::parse("https://camunda.example/tasklist/api/login").unwrap();
    /// let (base, path) = LoginPath::split_login_url(&url);
    /// assert_eq!(base, "https://camunda.example");
    /// assert_eq!(path, LoginPath::Custom("/tasklist/api/login".to_owned()));
    /// ```
    pub fn split_login_url(url: &Url) -> (String, LoginPath) {
        let base = url[..url::Position::BeforePath].to_owned();
        let path = match url.path() {
            "/api/login" => LoginPath::Api,
            "/login" => LoginPath::Root,
            "" | "/" => LoginPath::TryBoth,
            other => LoginPath::Custom(other.to_owned()),
        };
        (base, path)
    }
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
    jar: Option<Arc<CookieJar>>,
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
            .field("shared_jar", &self.jar.is_some())
            .finish()
    }
}

impl CookieAuthBuilder {
    /// See [`CookieAuth::builder`].
    pub(super) fn new(base_url: &str) -> Self {
        CookieAuthBuilder {
            base_url: base_url.to_owned(),
            username: None,
            password: None,
            login_path: LoginPath::default(),
            logout_path: None,
            allow_insecure_http: false,
            persist_to: None,
            jar: None,
        }
    }

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

    /// Keeps the session's cookies in `jar` rather than in a jar of its own: one that a
    /// `reqwest::Client` uses too (`reqwest::ClientBuilder::cookie_provider(jar)`), say, so
    /// that the client sends the session cookie this authenticator logs in for. A session
    /// file's cookies are loaded into it. [`CookieAuth::cookie_jar`] gives the jar of an
    /// authenticator built without one.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use tasklist_auth::{CookieAuth, CookieJar};
    ///
    /// let jar = Arc::new(CookieJar::default());
    /// let builder = CookieAuth::builder("http://localhost:8080").cookie_jar(jar.clone());
    /// # let _ = builder;
    /// ```
    pub fn cookie_jar(mut self, jar: Arc<CookieJar>) -> Self {
        self.jar = Some(jar);
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

        let jar = self.jar.unwrap_or_default();
        let origins = std::iter::once(base_url.clone())
            .chain(
                endpoints
                    .iter()
                    .flat_map(|e| [e.login.clone(), e.logout.clone()]),
            )
            .collect();
        let mut state = State::new(jar.clone(), origins);
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
                jar,
                state: Mutex::new(state),
                login_lock: tokio::sync::Mutex::new(()),
            }),
        })
    }
}

/// A login URL and the logout URL that goes with it.
#[derive(Debug)]
pub(super) struct Endpoint {
    pub(super) login: Url,
    pub(super) logout: Url,
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
pub(super) fn endpoints(
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
}
