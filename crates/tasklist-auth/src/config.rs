//! Authentication settings built in code ([`AuthConfig::builder`]) or read from the
//! environment (`from_env.rs`), and the components' audiences.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use secrecy::SecretString;
#[cfg(feature = "http")]
use tasklist_transport::HttpTransportBuilder;
use tasklist_transport::{Authenticator, SharedTransport};
use url::Url;

use crate::builder::AuthConfigBuilder;
use crate::cookie::{CookieAuth, LoginPath};
use crate::error::Error;
use crate::oauth::{ClientAuthMethod, ClientCredentials};
use crate::simple::{BasicAuth, BearerToken, NoAuth};
use crate::stack::Authentication;
use crate::{TokenCache, env};

/// A Camunda 8 component, for its default OAuth audience.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Component {
    /// Tasklist.
    Tasklist,
    /// Operate.
    Operate,
    /// Optimize.
    Optimize,
    /// Zeebe and the Orchestration Cluster REST API.
    Zeebe,
}

/// Where a cluster runs, which decides the audience names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Deployment {
    /// Camunda SaaS (token URL `https://login.cloud.camunda.io/oauth/token`).
    SaaS,
    /// Self-managed, with Identity and Keycloak.
    SelfManaged,
}

/// The token endpoint of Camunda SaaS.
pub const SAAS_TOKEN_URL: &str = "https://login.cloud.camunda.io/oauth/token";

impl Component {
    /// The component's default OAuth audience.
    ///
    /// ```
    /// use tasklist_auth::{Component, Deployment};
    /// assert_eq!(Component::Tasklist.audience(Deployment::SaaS), "tasklist.camunda.io");
    /// assert_eq!(Component::Operate.audience(Deployment::SelfManaged), "operate-api");
    /// ```
    pub fn audience(self, deployment: Deployment) -> &'static str {
        match (self, deployment) {
            (Component::Tasklist, Deployment::SaaS) => "tasklist.camunda.io",
            (Component::Operate, Deployment::SaaS) => "operate.camunda.io",
            (Component::Optimize, Deployment::SaaS) => "optimize.camunda.io",
            (Component::Zeebe, Deployment::SaaS) => "zeebe.camunda.io",
            (Component::Tasklist, Deployment::SelfManaged) => "tasklist-api",
            (Component::Operate, Deployment::SelfManaged) => "operate-api",
            (Component::Optimize, Deployment::SelfManaged) => "optimize-api",
            (Component::Zeebe, Deployment::SelfManaged) => "zeebe-api",
        }
    }

    /// The variable that sets this component's audience, e.g.
    /// `CAMUNDA_TASKLIST_OAUTH_AUDIENCE`.
    ///
    /// ```
    /// assert_eq!(tasklist_auth::Component::Zeebe.audience_variable(), "CAMUNDA_ZEEBE_OAUTH_AUDIENCE");
    /// ```
    pub fn audience_variable(self) -> &'static str {
        match self {
            Component::Tasklist => env::TASKLIST_OAUTH_AUDIENCE,
            Component::Operate => env::OPERATE_OAUTH_AUDIENCE,
            Component::Optimize => env::OPTIMIZE_OAUTH_AUDIENCE,
            Component::Zeebe => env::ZEEBE_OAUTH_AUDIENCE,
        }
    }

    /// The variable that Camunda's SDKs read this component's address from, e.g.
    /// `CAMUNDA_TASKLIST_BASE_URL`. This crate knows no endpoint and does not read it; it is
    /// here so that every client of a deployment reads the same one.
    ///
    /// ```
    /// use tasklist_auth::Component;
    /// assert_eq!(Component::Tasklist.base_url_variable(), "CAMUNDA_TASKLIST_BASE_URL");
    /// assert_eq!(Component::Zeebe.base_url_variable(), "ZEEBE_REST_ADDRESS");
    /// ```
    pub fn base_url_variable(self) -> &'static str {
        match self {
            Component::Tasklist => env::TASKLIST_BASE_URL,
            Component::Operate => env::OPERATE_BASE_URL,
            Component::Optimize => env::OPTIMIZE_BASE_URL,
            Component::Zeebe => env::ZEEBE_REST_ADDRESS,
        }
    }
}

/// How to authenticate (`CAMUNDA_AUTH_STRATEGY`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Strategy {
    /// OAuth 2.0 client credentials (`OAUTH`).
    OAuth,
    /// Cookie session from a form login (`COOKIE`).
    Cookie,
    /// HTTP Basic (`BASIC`).
    Basic,
    /// A static bearer token (`BEARER`).
    Bearer,
    /// None (`NONE`).
    None,
}

impl Strategy {
    /// The name used in `CAMUNDA_AUTH_STRATEGY`.
    ///
    /// ```
    /// assert_eq!(tasklist_auth::Strategy::OAuth.name(), "OAUTH");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Strategy::OAuth => "OAUTH",
            Strategy::Cookie => "COOKIE",
            Strategy::Basic => "BASIC",
            Strategy::Bearer => "BEARER",
            Strategy::None => "NONE",
        }
    }

    /// Parses a `CAMUNDA_AUTH_STRATEGY` value, ignoring case.
    ///
    /// ```
    /// use tasklist_auth::Strategy;
    /// assert_eq!(Strategy::parse("oauth").unwrap(), Strategy::OAuth);
    /// assert!(Strategy::parse("kerberos").is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the accepted values.
    pub fn parse(value: &str) -> Result<Self, Error> {
        match value.trim().to_ascii_uppercase().as_str() {
            "OAUTH" => Ok(Strategy::OAuth),
            "COOKIE" => Ok(Strategy::Cookie),
            "BASIC" => Ok(Strategy::Basic),
            "BEARER" => Ok(Strategy::Bearer),
            "NONE" => Ok(Strategy::None),
            _ => Err(Error::config(
                Some(env::AUTH_STRATEGY),
                format!(
                    "{} is `{value}`; expected one of OAUTH, COOKIE, BASIC, BEARER, NONE",
                    env::AUTH_STRATEGY
                ),
            )),
        }
    }
}

/// The credentials of the strategy in force; the strategy is derived from them.
#[derive(Clone)]
pub(crate) enum Credentials {
    OAuth {
        url: Url,
        client_id: String,
        client_secret: SecretString,
        audience: String,
        scope: Option<String>,
        disk_cache_dir: Option<PathBuf>,
    },
    Cookie {
        base_url: Url,
        login_path: LoginPath,
        username: String,
        password: Option<SecretString>,
        session_file: Option<PathBuf>,
    },
    Basic {
        username: String,
        password: SecretString,
    },
    Bearer(SecretString),
    None,
}

/// Authentication settings: the strategy with its credentials, and the TLS settings that the
/// token requests, logins and API calls share.
///
/// Build one in code with [`AuthConfig::builder`], or read it from the variables Camunda's
/// SDKs use with [`AuthConfig::from_env`]. Then [`transport`](Self::transport) gives the
/// recommended transport stack in one call, or [`authenticator`](Self::authenticator) just the
/// authenticator, for a stack of your own.
///
/// `Debug` shows every setting except secrets.
///
/// ```
/// use tasklist_auth::{AuthConfig, Component, Strategy};
///
/// let config = AuthConfig::builder(Component::Operate)
///     .oauth(
///         "https://login.cloud.camunda.io/oauth/token",
///         "worker",
///         "s3cret".into(),
///     )
///     .build()
///     .unwrap();
/// assert_eq!(config.strategy(), Strategy::OAuth);
/// assert_eq!(config.audience(), Some("operate.camunda.io"));
/// assert!(!format!("{config:?}").contains("s3cret"));
/// ```
#[derive(Clone)]
pub struct AuthConfig {
    pub(crate) credentials: Credentials,
    pub(crate) root_cert: Option<PathBuf>,
    pub(crate) client_identity: Option<(PathBuf, PathBuf)>,
    pub(crate) allow_insecure_http: bool,
}

impl fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("AuthConfig");
        d.field("strategy", &self.strategy());
        match &self.credentials {
            Credentials::OAuth {
                url,
                client_id,
                audience,
                scope,
                disk_cache_dir,
                ..
            } => {
                d.field("oauth_url", &url.as_str())
                    .field("client_id", client_id)
                    .field("client_secret", &"<redacted>")
                    .field("audience", audience)
                    .field("scope", scope)
                    .field("disk_cache_dir", disk_cache_dir);
            }
            Credentials::Cookie {
                base_url,
                login_path,
                username,
                password,
                session_file,
            } => {
                d.field("cookie_base_url", &base_url.as_str())
                    .field("login_path", login_path)
                    .field("username", username)
                    .field("password", &password.as_ref().map(|_| "<redacted>"))
                    .field("session_file", session_file);
            }
            Credentials::Basic { username, .. } => {
                d.field("basic_username", username)
                    .field("password", &"<redacted>");
            }
            Credentials::Bearer(_) => {
                d.field("bearer_token", &"<redacted>");
            }
            Credentials::None => {}
        }
        d.field("root_cert", &self.root_cert)
            .field(
                "client_identity",
                &self
                    .client_identity
                    .as_ref()
                    .map(|(chain, _)| (chain, "<key path set>")),
            )
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish()
    }
}

impl AuthConfig {
    /// Starts building settings for `component` in code, with no authentication until a
    /// strategy is chosen. See [`AuthConfigBuilder`].
    ///
    /// ```
    /// use tasklist_auth::{AuthConfig, Component};
    /// let config = AuthConfig::builder(Component::Tasklist)
    ///     .basic("demo", "demo".into())
    ///     .build()
    ///     .unwrap();
    /// # let _ = config;
    /// ```
    pub fn builder(component: Component) -> AuthConfigBuilder {
        AuthConfigBuilder::new(component)
    }

    /// The strategy in force.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component, Strategy};
    /// let config = AuthConfig::builder(Component::Tasklist).build().unwrap();
    /// assert_eq!(config.strategy(), Strategy::None);
    /// ```
    pub fn strategy(&self) -> Strategy {
        match self.credentials {
            Credentials::OAuth { .. } => Strategy::OAuth,
            Credentials::Cookie { .. } => Strategy::Cookie,
            Credentials::Basic { .. } => Strategy::Basic,
            Credentials::Bearer(_) => Strategy::Bearer,
            Credentials::None => Strategy::None,
        }
    }

    /// The OAuth audience, when the strategy is OAuth.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// let config = AuthConfig::builder(Component::Tasklist).build().unwrap();
    /// assert_eq!(config.audience(), None);
    /// ```
    pub fn audience(&self) -> Option<&str> {
        match &self.credentials {
            Credentials::OAuth { audience, .. } => Some(audience),
            _ => None,
        }
    }

    /// The OAuth token endpoint, when the strategy is OAuth.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// let config = AuthConfig::builder(Component::Tasklist)
    ///     .oauth("https://idp.example/token", "worker", "s3cret".into())
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(config.token_url().map(|u| u.as_str()), Some("https://idp.example/token"));
    /// ```
    pub fn token_url(&self) -> Option<&Url> {
        match &self.credentials {
            Credentials::OAuth { url, .. } => Some(url),
            _ => None,
        }
    }

    /// The OAuth client id, or the user name of a cookie session or HTTP Basic.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// let config = AuthConfig::builder(Component::Tasklist)
    ///     .basic("demo", "demo".into())
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(config.identity(), Some("demo"));
    /// ```
    pub fn identity(&self) -> Option<&str> {
        match &self.credentials {
            Credentials::OAuth { client_id, .. } => Some(client_id),
            Credentials::Cookie { username, .. } | Credentials::Basic { username, .. } => {
                Some(username)
            }
            Credentials::Bearer(_) | Credentials::None => None,
        }
    }

    /// The disk cache directory, when OAuth tokens are cached on disk.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// let config = AuthConfig::builder(Component::Tasklist).build().unwrap();
    /// assert_eq!(config.disk_cache_dir(), None);
    /// ```
    pub fn disk_cache_dir(&self) -> Option<&std::path::Path> {
        match &self.credentials {
            Credentials::OAuth { disk_cache_dir, .. } => disk_cache_dir.as_deref(),
            _ => None,
        }
    }

    /// Applies the TLS settings (extra roots, client certificate) to a transport builder.
    /// [`transport`](Self::transport) does this itself.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// let config = AuthConfig::builder(Component::Tasklist).build().unwrap();
    /// let transport = config
    ///     .apply_tls(tasklist_auth::HttpTransport::builder())
    ///     .build()
    ///     .unwrap();
    /// # let _ = transport;
    /// ```
    #[cfg(feature = "http")]
    pub fn apply_tls(&self, mut builder: HttpTransportBuilder) -> HttpTransportBuilder {
        if let Some(root) = &self.root_cert {
            builder = builder.add_root_certificates_pem_file(root);
        }
        if let Some((chain, key)) = &self.client_identity {
            builder = builder.client_identity_pem_files(chain, key);
        }
        builder
    }

    /// Builds the authenticator these settings describe, typed: a [`TokenCache`] for OAuth, a
    /// [`CookieAuth`] for a cookie session, and so on. Token requests and logins go through
    /// `transport`, which should be the plain HTTP transport (with TLS applied by
    /// [`apply_tls`](Self::apply_tls)), not one already signed.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Authentication, Component, HttpTransport, TransportExt};
    /// let config = AuthConfig::builder(Component::Tasklist)
    ///     .cookie("http://localhost:8080", "demo", Some("demo".into()))
    ///     .build()
    ///     .unwrap();
    /// let http = config.apply_tls(HttpTransport::builder()).build().unwrap();
    /// let Authentication::Cookie(session) = config.authentication(http.into_shared()).unwrap()
    /// else {
    ///     unreachable!()
    /// };
    /// assert!(!session.is_logged_in());
    /// ```
    ///
    /// # Errors
    ///
    /// As the strategy's own builder ([`Error::Config`], [`Error::InsecureHttp`]).
    pub fn authentication(&self, transport: SharedTransport) -> Result<Authentication, Error> {
        Ok(match &self.credentials {
            Credentials::OAuth {
                url,
                client_id,
                client_secret,
                audience,
                scope,
                disk_cache_dir,
            } => {
                let mut credentials = ClientCredentials::builder(
                    url.as_str(),
                    client_id.clone(),
                    client_secret.clone(),
                )
                .audience(audience.clone())
                .client_auth(ClientAuthMethod::RequestBody)
                .allow_insecure_http(self.allow_insecure_http);
                if let Some(scope) = scope {
                    credentials = credentials.scope(scope.clone());
                }
                let mut cache = TokenCache::builder(Arc::new(credentials.build(transport)?));
                if let Some(dir) = disk_cache_dir {
                    cache = cache.disk_cache_dir(dir);
                }
                Authentication::OAuth(cache.build())
            }
            Credentials::Cookie {
                base_url,
                login_path,
                username,
                password,
                session_file,
            } => {
                let mut builder = CookieAuth::builder(base_url.as_str())
                    .username(username.clone())
                    .login_path(login_path.clone())
                    .allow_insecure_http(self.allow_insecure_http);
                if let Some(password) = password {
                    builder = builder.password(password.clone());
                }
                if let Some(file) = session_file {
                    builder = builder.persist_to(file.clone());
                }
                Authentication::Cookie(builder.build(transport)?)
            }
            Credentials::Basic { username, password } => {
                Authentication::Basic(BasicAuth::new(username.clone(), password.clone())?)
            }
            Credentials::Bearer(token) => Authentication::Bearer(BearerToken::new(token.clone())?),
            Credentials::None => Authentication::None(NoAuth),
        })
    }

    /// [`authentication`](Self::authentication), as the trait object the transport's
    /// [`with_authenticator`](tasklist_transport::TransportExt::with_authenticator) takes.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component, HttpTransport, TransportExt};
    /// let config = AuthConfig::builder(Component::Tasklist).build().unwrap();
    /// let http = config.apply_tls(HttpTransport::builder()).build().unwrap();
    /// let auth = config.authenticator(http.clone().into_shared()).unwrap();
    /// let api = http.with_authenticator(auth);
    /// # let _ = api;
    /// ```
    ///
    /// # Errors
    ///
    /// As [`authentication`](Self::authentication).
    pub fn authenticator(
        &self,
        transport: SharedTransport,
    ) -> Result<Arc<dyn Authenticator>, Error> {
        Ok(self.authentication(transport)?.into_authenticator())
    }
}
