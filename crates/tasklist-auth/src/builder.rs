//! [`AuthConfigBuilder`]: authentication settings built in code, checked before anything is
//! sent.

use std::fmt;
use std::path::PathBuf;

use secrecy::SecretString;

use crate::config::{AuthConfig, Component, Credentials, Deployment, Strategy};
use crate::cookie::LoginPath;
use crate::env;
use crate::error::Error;
use crate::secure::parse_http_url;

/// The strategy chosen on an [`AuthConfigBuilder`], as given.
#[derive(Clone)]
enum Chosen {
    None,
    OAuth {
        token_url: String,
        client_id: String,
        client_secret: SecretString,
    },
    Cookie {
        base_url: String,
        username: String,
        password: Option<SecretString>,
    },
    Basic {
        username: String,
        password: SecretString,
    },
    Bearer(SecretString),
}

/// Builds an [`AuthConfig`] in code. Start from [`AuthConfig::builder`], choose one strategy
/// ([`oauth`](Self::oauth), [`cookie`](Self::cookie), [`basic`](Self::basic),
/// [`bearer`](Self::bearer); none by default, and the last one chosen wins), add its options,
/// then [`build`](Self::build).
///
/// Settings that belong to another strategy than the one chosen (an audience for a cookie
/// session, say) are refused by `build`, never ignored. `Debug` shows no secret.
///
/// ```
/// use tasklist_auth::{AuthConfig, Component, LoginPath, Strategy};
///
/// let config = AuthConfig::builder(Component::Tasklist)
///     .cookie("http://localhost:8080", "demo", Some("demo".into()))
///     .login_path(LoginPath::Root)
///     .build()
///     .unwrap();
/// assert_eq!(config.strategy(), Strategy::Cookie);
/// ```
#[derive(Clone)]
#[must_use]
pub struct AuthConfigBuilder {
    component: Component,
    chosen: Chosen,
    audience: Option<String>,
    scope: Option<String>,
    token_cache_dir: Option<PathBuf>,
    login_path: Option<LoginPath>,
    session_file: Option<PathBuf>,
    root_cert: Option<PathBuf>,
    client_identity: Option<(PathBuf, PathBuf)>,
    allow_insecure_http: bool,
}

impl fmt::Debug for AuthConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let strategy = match &self.chosen {
            Chosen::None => Strategy::None,
            Chosen::OAuth { .. } => Strategy::OAuth,
            Chosen::Cookie { .. } => Strategy::Cookie,
            Chosen::Basic { .. } => Strategy::Basic,
            Chosen::Bearer(_) => Strategy::Bearer,
        };
        f.debug_struct("AuthConfigBuilder")
            .field("component", &self.component)
            .field("strategy", &strategy)
            .field("audience", &self.audience)
            .field("scope", &self.scope)
            .field("token_cache_dir", &self.token_cache_dir)
            .field("login_path", &self.login_path)
            .field("session_file", &self.session_file)
            .field("root_cert", &self.root_cert)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish_non_exhaustive()
    }
}

impl AuthConfigBuilder {
    /// See [`AuthConfig::builder`].
    pub(crate) fn new(component: Component) -> Self {
        AuthConfigBuilder {
            component,
            chosen: Chosen::None,
            audience: None,
            scope: None,
            token_cache_dir: None,
            login_path: None,
            session_file: None,
            root_cert: None,
            client_identity: None,
            allow_insecure_http: false,
        }
    }

    /// OAuth 2.0 client credentials: `client_id` and `client_secret` are exchanged for tokens
    /// at `token_url`. The audience defaults to the component's ([`Component::audience`]):
    /// the SaaS name when `token_url` is Camunda's login (`login.cloud.camunda.io`), else the
    /// self-managed one. Tokens are cached in memory, and on disk only with
    /// [`token_cache_dir`](Self::token_cache_dir).
    ///
    /// ```
    /// use tasklist_auth::{AuthConfig, Component};
    /// let config = AuthConfig::builder(Component::Tasklist)
    ///     .oauth(
    ///         "http://localhost:18080/auth/realms/camunda-platform/protocol/openid-connect/token",
    ///         "tasklist",
    ///         "s3cret".into(),
    ///     )
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(config.audience(), Some("tasklist-api"));
    /// ```
    pub fn oauth(
        mut self,
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: SecretString,
    ) -> Self {
        self.chosen = Chosen::OAuth {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret,
        };
        self
    }

    /// The OAuth audience, instead of the component's default.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// let config = AuthConfig::builder(Component::Zeebe)
    ///     .oauth("https://idp.example/token", "worker", "s3cret".into())
    ///     .audience("orchestration")
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(config.audience(), Some("orchestration"));
    /// ```
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// The OAuth scope to ask for.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// let builder = AuthConfig::builder(Component::Tasklist)
    ///     .oauth("https://idp.example/token", "worker", "s3cret".into())
    ///     .scope("tasklist");
    /// # builder.build().unwrap();
    /// ```
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Also caches OAuth tokens on disk in `dir`, shared with other processes using the same
    /// credentials (see [`DiskCache`](crate::DiskCache);
    /// [`DiskCache::default_dir`](crate::DiskCache::default_dir) is the directory Camunda's
    /// SDKs use).
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// let config = AuthConfig::builder(Component::Tasklist)
    ///     .oauth("https://idp.example/token", "worker", "s3cret".into())
    ///     .token_cache_dir("/var/cache/worker")
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(config.disk_cache_dir(), Some(std::path::Path::new("/var/cache/worker")));
    /// ```
    pub fn token_cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.token_cache_dir = Some(dir.into());
        self
    }

    /// A cookie session: logs in as `username` with `password` through the login form below
    /// `base_url` (where, see [`login_path`](Self::login_path)). Without a password the
    /// authenticator only reuses a session kept in the [`session_file`](Self::session_file).
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// let config = AuthConfig::builder(Component::Tasklist)
    ///     .cookie("http://localhost:8080", "demo", Some("demo".into()))
    ///     .build()
    ///     .unwrap();
    /// # let _ = config;
    /// ```
    pub fn cookie(
        mut self,
        base_url: impl Into<String>,
        username: impl Into<String>,
        password: Option<SecretString>,
    ) -> Self {
        self.chosen = Chosen::Cookie {
            base_url: base_url.into(),
            username: username.into(),
            password,
        };
        self
    }

    /// Where the cookie login form is below the base URL; [`LoginPath::TryBoth`] by default,
    /// which finds it on every Camunda version.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component, LoginPath};
    /// let builder = AuthConfig::builder(Component::Tasklist)
    ///     .cookie("http://localhost:8080", "demo", Some("demo".into()))
    ///     .login_path(LoginPath::Api);
    /// # builder.build().unwrap();
    /// ```
    pub fn login_path(mut self, path: LoginPath) -> Self {
        self.login_path = Some(path);
        self
    }

    /// Keeps the cookie session in `path` (see [`CookieAuthBuilder::persist_to`]).
    ///
    /// [`CookieAuthBuilder::persist_to`]: crate::CookieAuthBuilder::persist_to
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// let builder = AuthConfig::builder(Component::Tasklist)
    ///     .cookie("http://localhost:8080", "demo", None)
    ///     .session_file("/home/me/.local/state/tasklist/session.json");
    /// # builder.build().unwrap();
    /// ```
    pub fn session_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.session_file = Some(path.into());
        self
    }

    /// HTTP Basic, as Camunda 8.8+ accepts on its REST APIs.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component, Strategy};
    /// let config = AuthConfig::builder(Component::Tasklist)
    ///     .basic("demo", "demo".into())
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(config.strategy(), Strategy::Basic);
    /// ```
    pub fn basic(mut self, username: impl Into<String>, password: SecretString) -> Self {
        self.chosen = Chosen::Basic {
            username: username.into(),
            password,
        };
        self
    }

    /// A bearer token obtained elsewhere, sent as it is.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component, Strategy};
    /// let config = AuthConfig::builder(Component::Tasklist)
    ///     .bearer("eyJhbGciOi...".into())
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(config.strategy(), Strategy::Bearer);
    /// ```
    pub fn bearer(mut self, token: SecretString) -> Self {
        self.chosen = Chosen::Bearer(token);
        self
    }

    /// No authentication (the default).
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component, Strategy};
    /// let config = AuthConfig::builder(Component::Tasklist).no_auth().build().unwrap();
    /// assert_eq!(config.strategy(), Strategy::None);
    /// ```
    pub fn no_auth(mut self) -> Self {
        self.chosen = Chosen::None;
        self
    }

    /// Extra root certificates (a PEM file) trusted by every call.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// let builder = AuthConfig::builder(Component::Tasklist).root_cert("/etc/camunda/ca.pem");
    /// # builder.build().unwrap();
    /// ```
    pub fn root_cert(mut self, path: impl Into<PathBuf>) -> Self {
        self.root_cert = Some(path.into());
        self
    }

    /// A client certificate chain and its private key (PEM files), for mutual TLS.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// let builder = AuthConfig::builder(Component::Tasklist)
    ///     .client_identity("/etc/camunda/client.pem", "/etc/camunda/client.key");
    /// # builder.build().unwrap();
    /// ```
    pub fn client_identity(
        mut self,
        cert_chain: impl Into<PathBuf>,
        private_key: impl Into<PathBuf>,
    ) -> Self {
        self.client_identity = Some((cert_chain.into(), private_key.into()));
        self
    }

    /// Allows secrets (client secret, password, token, session cookie) over plain `http://`
    /// to hosts that are not loopback. Off by default; only for trusted networks.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// let builder = AuthConfig::builder(Component::Tasklist)
    ///     .basic("demo", "demo".into())
    ///     .allow_insecure_http(true);
    /// # builder.build().unwrap();
    /// ```
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Checks the settings and builds the configuration. Nothing is sent.
    ///
    /// # Errors
    ///
    /// [`Error::Config`], naming the setting (and the variable that sets it in
    /// [`AuthConfig::from_env`]), when a URL is not an absolute `http(s)` URL, a client id,
    /// user name or token is empty, or a setting belongs to another strategy than the chosen
    /// one.
    ///
    /// ```
    /// use tasklist_auth::{AuthConfig, Component, env};
    ///
    /// let err = AuthConfig::builder(Component::Tasklist)
    ///     .basic("demo", "demo".into())
    ///     .audience("tasklist-api")
    ///     .build()
    ///     .unwrap_err();
    /// assert!(err.to_string().contains("audience"), "{err}");
    /// let err = AuthConfig::builder(Component::Tasklist)
    ///     .oauth("login.example/token", "worker", "s3cret".into())
    ///     .build()
    ///     .unwrap_err();
    /// assert!(matches!(err, tasklist_auth::Error::Config { variable: Some(env::OAUTH_URL), .. }));
    /// ```
    pub fn build(self) -> Result<AuthConfig, Error> {
        let strategy = match &self.chosen {
            Chosen::None => Strategy::None,
            Chosen::OAuth { .. } => Strategy::OAuth,
            Chosen::Cookie { .. } => Strategy::Cookie,
            Chosen::Basic { .. } => Strategy::Basic,
            Chosen::Bearer(_) => Strategy::Bearer,
        };
        let misplaced = |set: bool, what: &str, variable: &'static str, owner: Strategy| {
            if set && strategy != owner {
                Err(Error::config(
                    Some(variable),
                    format!(
                        "{what} is a setting of {} authentication, and the strategy is {}; \
                         remove it or choose {}",
                        owner.name(),
                        strategy.name(),
                        owner.name()
                    ),
                ))
            } else {
                Ok(())
            }
        };
        let audience_variable = self.component.audience_variable();
        misplaced(
            self.audience.is_some(),
            "the audience",
            audience_variable,
            Strategy::OAuth,
        )?;
        misplaced(
            self.scope.is_some(),
            "the scope",
            env::TOKEN_SCOPE,
            Strategy::OAuth,
        )?;
        misplaced(
            self.token_cache_dir.is_some(),
            "the token cache directory",
            env::TOKEN_CACHE_DIR,
            Strategy::OAuth,
        )?;
        misplaced(
            self.login_path.is_some(),
            "the login path",
            env::COOKIE_AUTH_URL,
            Strategy::Cookie,
        )?;
        misplaced(
            self.session_file.is_some(),
            "the session file",
            env::COOKIE_AUTH_URL,
            Strategy::Cookie,
        )?;

        let credentials = match self.chosen {
            Chosen::None => Credentials::None,
            Chosen::OAuth {
                token_url,
                client_id,
                client_secret,
            } => {
                let url = parse_http_url(&token_url, "the OAuth token URL", Some(env::OAUTH_URL))?;
                let client_id = non_empty(client_id, "the OAuth client id", env::CLIENT_ID)?;
                let deployment = if url.host_str() == Some("login.cloud.camunda.io") {
                    Deployment::SaaS
                } else {
                    Deployment::SelfManaged
                };
                let audience = match self.audience {
                    Some(audience) => non_empty(audience, "the audience", audience_variable)?,
                    None => self.component.audience(deployment).to_owned(),
                };
                Credentials::OAuth {
                    url,
                    client_id,
                    client_secret,
                    audience,
                    scope: self.scope,
                    disk_cache_dir: self.token_cache_dir,
                }
            }
            Chosen::Cookie {
                base_url,
                username,
                password,
            } => Credentials::Cookie {
                base_url: parse_http_url(
                    &base_url,
                    "the cookie login URL",
                    Some(env::COOKIE_AUTH_URL),
                )?,
                login_path: self.login_path.unwrap_or(LoginPath::TryBoth),
                username: non_empty(username, "the user name", env::COOKIE_AUTH_USERNAME)?,
                password,
                session_file: self.session_file,
            },
            Chosen::Basic { username, password } => Credentials::Basic {
                username: non_empty(username, "the user name", env::BASIC_AUTH_USERNAME)?,
                password,
            },
            Chosen::Bearer(token) => Credentials::Bearer(token),
        };
        Ok(AuthConfig {
            credentials,
            root_cert: self.root_cert,
            client_identity: self.client_identity,
            allow_insecure_http: self.allow_insecure_http,
        })
    }
}

/// `value`, trimmed, unless it is empty.
fn non_empty(value: String, what: &str, variable: &'static str) -> Result<String, Error> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::config(
            Some(variable),
            format!("{what} is empty; set it ({variable})"),
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SAAS_TOKEN_URL;

    fn variable(err: &Error) -> Option<&'static str> {
        match err {
            Error::Config { variable, .. } => *variable,
            _ => None,
        }
    }

    #[test]
    fn the_audience_follows_the_component_and_the_token_url() {
        let saas = AuthConfig::builder(Component::Zeebe)
            .oauth(SAAS_TOKEN_URL, "id", "s".into())
            .build()
            .unwrap();
        assert_eq!(saas.audience(), Some("zeebe.camunda.io"));
        let keycloak = AuthConfig::builder(Component::Optimize)
            .oauth(
                "https://kc.example/realms/camunda-platform/protocol/openid-connect/token",
                " id ",
                "s".into(),
            )
            .build()
            .unwrap();
        assert_eq!(keycloak.audience(), Some("optimize-api"));
        assert_eq!(keycloak.identity(), Some("id"), "trimmed");
        assert_eq!(keycloak.disk_cache_dir(), None, "memory only unless asked");
    }

    #[test]
    fn settings_of_another_strategy_are_refused_and_named() {
        let cases = [
            (
                AuthConfig::builder(Component::Tasklist)
                    .cookie("http://localhost:8080", "demo", Some("pw".into()))
                    .scope("x"),
                env::TOKEN_SCOPE,
            ),
            (
                AuthConfig::builder(Component::Operate)
                    .basic("demo", "pw".into())
                    .audience("x"),
                env::OPERATE_OAUTH_AUDIENCE,
            ),
            (
                AuthConfig::builder(Component::Tasklist)
                    .oauth(SAAS_TOKEN_URL, "id", "s".into())
                    .session_file("/tmp/s.json"),
                env::COOKIE_AUTH_URL,
            ),
            (
                AuthConfig::builder(Component::Tasklist).token_cache_dir("/tmp/t"),
                env::TOKEN_CACHE_DIR,
            ),
        ];
        for (builder, expected) in cases {
            let err = builder.build().unwrap_err();
            assert_eq!(variable(&err), Some(expected), "{err}");
            assert!(err.to_string().contains("the strategy is"), "{err}");
        }
    }

    #[test]
    fn empty_and_malformed_values_are_refused() {
        let err = AuthConfig::builder(Component::Tasklist)
            .oauth(SAAS_TOKEN_URL, "  ", "s".into())
            .build()
            .unwrap_err();
        assert_eq!(variable(&err), Some(env::CLIENT_ID));
        let err = AuthConfig::builder(Component::Tasklist)
            .cookie("localhost:8080", "demo", None)
            .build()
            .unwrap_err();
        assert_eq!(variable(&err), Some(env::COOKIE_AUTH_URL));
        let err = AuthConfig::builder(Component::Tasklist)
            .basic("", "pw".into())
            .build()
            .unwrap_err();
        assert_eq!(variable(&err), Some(env::BASIC_AUTH_USERNAME));
    }

    #[test]
    fn the_last_strategy_chosen_wins_and_debug_shows_no_secret() {
        let builder = AuthConfig::builder(Component::Tasklist)
            .basic("demo", "basic-secret".into())
            .bearer("bearer-secret".into());
        let shown = format!("{builder:?}");
        assert!(!shown.contains("basic-secret") && !shown.contains("bearer-secret"));
        let config = builder.build().unwrap();
        assert_eq!(config.strategy(), Strategy::Bearer);
        let shown = format!("{config:?}");
        assert!(!shown.contains("bearer-secret") && !shown.contains("basic-secret"));
        let cookie = AuthConfig::builder(Component::Tasklist)
            .cookie(
                "http://localhost:8080",
                "demo",
                Some("cookie-secret".into()),
            )
            .build()
            .unwrap();
        let shown = format!("{cookie:?}");
        assert!(
            shown.contains("TryBoth") && !shown.contains("cookie-secret"),
            "{shown}"
        );
    }
}
