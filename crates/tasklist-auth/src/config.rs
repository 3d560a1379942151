//! Settings from the environment, with the variable names Camunda's own SDKs use, and presets
//! for the components' audiences.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use secrecy::SecretString;
#[cfg(feature = "http")]
use tasklist_transport::HttpTransportBuilder;
use tasklist_transport::{Authenticator, SharedTransport};
use url::Url;

use crate::cookie::{CookieAuth, LoginPath};
use crate::error::Error;
use crate::oauth::{ClientAuthMethod, ClientCredentials};
use crate::secure::parse_http_url;
use crate::simple::{BasicAuth, BearerToken, NoAuth};
use crate::{DiskCache, TokenCache};

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
            Component::Tasklist => "CAMUNDA_TASKLIST_OAUTH_AUDIENCE",
            Component::Operate => "CAMUNDA_OPERATE_OAUTH_AUDIENCE",
            Component::Optimize => "CAMUNDA_OPTIMIZE_OAUTH_AUDIENCE",
            Component::Zeebe => "CAMUNDA_ZEEBE_OAUTH_AUDIENCE",
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
                Some("CAMUNDA_AUTH_STRATEGY"),
                format!(
                    "CAMUNDA_AUTH_STRATEGY is `{value}`; expected one of OAUTH, COOKIE, BASIC, \
                     BEARER, NONE"
                ),
            )),
        }
    }
}

/// The credentials of the strategy in force; the strategy is derived from them.
#[derive(Clone)]
enum Credentials {
    OAuth {
        url: Url,
        client_id: String,
        client_secret: SecretString,
        audience: String,
        scope: Option<String>,
        disk_cache_dir: Option<PathBuf>,
    },
    Cookie {
        login_url: Url,
        username: String,
        password: SecretString,
    },
    Basic {
        username: String,
        password: SecretString,
    },
    Bearer(SecretString),
    None,
}

/// Authentication settings, typically read with [`AuthConfig::from_env`].
///
/// `Debug` shows every setting except secrets.
///
/// ```
/// use tasklist_auth::{AuthConfig, Component, Strategy};
///
/// let env = [
///     ("CAMUNDA_CLIENT_ID", "worker"),
///     ("CAMUNDA_CLIENT_SECRET", "s3cret"),
///     ("CAMUNDA_OAUTH_URL", "https://login.cloud.camunda.io/oauth/token"),
/// ];
/// let config = AuthConfig::from_lookup(Component::Tasklist, |name| {
///     env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
/// })
/// .unwrap();
/// assert_eq!(config.strategy(), Strategy::OAuth);
/// assert_eq!(config.audience(), Some("tasklist.camunda.io"));
/// assert!(!format!("{config:?}").contains("s3cret"));
/// ```
#[derive(Clone)]
pub struct AuthConfig {
    credentials: Credentials,
    root_cert: Option<PathBuf>,
    cert_chain: Option<PathBuf>,
    private_key: Option<PathBuf>,
    allow_insecure_http: bool,
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
                login_url,
                username,
                ..
            } => {
                d.field("cookie_login_url", &login_url.as_str())
                    .field("username", username)
                    .field("password", &"<redacted>");
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
            .field("cert_chain", &self.cert_chain)
            .field(
                "private_key",
                &self.private_key.as_ref().map(|_| "<path set>"),
            )
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish()
    }
}

/// Reads a variable, treating empty as unset.
fn read(lookup: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    lookup(name)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Reads the first of two alias variables; both set to different values is an error.
fn either(
    lookup: &dyn Fn(&str) -> Option<String>,
    first: &'static str,
    second: &'static str,
) -> Result<Option<String>, Error> {
    match (read(lookup, first), read(lookup, second)) {
        (Some(a), Some(b)) if a != b => Err(Error::config(
            Some(first),
            format!("{first} and {second} are both set, to different values; set only one"),
        )),
        (a, b) => Ok(a.or(b)),
    }
}

fn flag(lookup: &dyn Fn(&str) -> Option<String>, name: &'static str) -> Result<bool, Error> {
    match read(lookup, name).map(|v| v.to_ascii_lowercase()) {
        None => Ok(false),
        Some(v) if matches!(v.as_str(), "1" | "true" | "yes" | "on") => Ok(true),
        Some(v) if matches!(v.as_str(), "0" | "false" | "no" | "off") => Ok(false),
        Some(v) => Err(Error::config(
            Some(name),
            format!("{name} is `{v}`; expected true or false"),
        )),
    }
}

fn missing(name: &'static str, strategy: Strategy, what: &str) -> Error {
    Error::config(
        Some(name),
        format!(
            "{} authentication needs {what}; set {name}",
            strategy.name()
        ),
    )
}

impl AuthConfig {
    /// Reads the settings for `component` from the process environment.
    ///
    /// | variable | meaning |
    /// |---|---|
    /// | `CAMUNDA_AUTH_STRATEGY` | `OAUTH`, `COOKIE`, `BASIC`, `BEARER` or `NONE`; inferred from the other variables when unset |
    /// | `CAMUNDA_CLIENT_ID` / `ZEEBE_CLIENT_ID` | OAuth client id |
    /// | `CAMUNDA_CLIENT_SECRET` / `ZEEBE_CLIENT_SECRET` | OAuth client secret |
    /// | `CAMUNDA_OAUTH_URL` / `ZEEBE_AUTHORIZATION_SERVER_URL` | token endpoint |
    /// | `CAMUNDA_<COMPONENT>_OAUTH_AUDIENCE` / `CAMUNDA_TOKEN_AUDIENCE` | audience; default: the component's, for SaaS when the token URL is Camunda's login, else self-managed |
    /// | `CAMUNDA_TOKEN_SCOPE` | scope |
    /// | `CAMUNDA_TOKEN_CACHE_DIR` | disk cache directory (default `~/.camunda`) |
    /// | `CAMUNDA_TOKEN_DISK_CACHE_DISABLE` | `true` keeps tokens in memory only |
    /// | `CAMUNDA_OAUTH_TOKEN` | a static bearer token |
    /// | `CAMUNDA_COOKIE_AUTH_URL`, `_USERNAME`, `_PASSWORD` | cookie login URL (default `http://localhost:8080/api/login`) and credentials |
    /// | `CAMUNDA_BASIC_AUTH_USERNAME`, `_PASSWORD` | HTTP Basic credentials |
    /// | `CAMUNDA_CUSTOM_ROOT_CERT_PATH` | extra root certificates (PEM) |
    /// | `CAMUNDA_CUSTOM_CERT_CHAIN_PATH`, `CAMUNDA_CUSTOM_PRIVATE_KEY_PATH` | client certificate and key for mutual TLS |
    /// | `CAMUNDA_AUTH_ALLOW_INSECURE_HTTP` | `true` allows secrets over plain http to remote hosts |
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the variable that is missing, malformed, or contradicts
    /// another.
    pub fn from_env(component: Component) -> Result<Self, Error> {
        Self::from_lookup(component, |name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup` (for tests,
    /// or settings kept elsewhere).
    ///
    /// # Errors
    ///
    /// As [`from_env`](Self::from_env).
    pub fn from_lookup(
        component: Component,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let lookup: &dyn Fn(&str) -> Option<String> = &lookup;
        let client_id = either(lookup, "CAMUNDA_CLIENT_ID", "ZEEBE_CLIENT_ID")?;
        let client_secret = either(lookup, "CAMUNDA_CLIENT_SECRET", "ZEEBE_CLIENT_SECRET")?;
        let oauth_url = either(
            lookup,
            "CAMUNDA_OAUTH_URL",
            "ZEEBE_AUTHORIZATION_SERVER_URL",
        )?;
        let bearer = read(lookup, "CAMUNDA_OAUTH_TOKEN");
        let cookie_user = read(lookup, "CAMUNDA_COOKIE_AUTH_USERNAME");
        let basic_user = read(lookup, "CAMUNDA_BASIC_AUTH_USERNAME");

        let strategy = match read(lookup, "CAMUNDA_AUTH_STRATEGY") {
            Some(value) => Strategy::parse(&value)?,
            None if bearer.is_some() => Strategy::Bearer,
            None if client_id.is_some() || client_secret.is_some() => Strategy::OAuth,
            None if cookie_user.is_some() => Strategy::Cookie,
            None if basic_user.is_some() => Strategy::Basic,
            None => Strategy::None,
        };

        let allow_insecure_http = flag(lookup, "CAMUNDA_AUTH_ALLOW_INSECURE_HTTP")?;
        let root_cert = read(lookup, "CAMUNDA_CUSTOM_ROOT_CERT_PATH").map(PathBuf::from);
        let cert_chain = read(lookup, "CAMUNDA_CUSTOM_CERT_CHAIN_PATH").map(PathBuf::from);
        let private_key = read(lookup, "CAMUNDA_CUSTOM_PRIVATE_KEY_PATH").map(PathBuf::from);
        match (&cert_chain, &private_key) {
            (Some(_), None) => {
                return Err(Error::config(
                    Some("CAMUNDA_CUSTOM_PRIVATE_KEY_PATH"),
                    "CAMUNDA_CUSTOM_CERT_CHAIN_PATH is set without its key; set \
                     CAMUNDA_CUSTOM_PRIVATE_KEY_PATH too",
                ));
            }
            (None, Some(_)) => {
                return Err(Error::config(
                    Some("CAMUNDA_CUSTOM_CERT_CHAIN_PATH"),
                    "CAMUNDA_CUSTOM_PRIVATE_KEY_PATH is set without its certificate; set \
                     CAMUNDA_CUSTOM_CERT_CHAIN_PATH too",
                ));
            }
            _ => {}
        }

        let credentials = match strategy {
            Strategy::OAuth => {
                let client_id = client_id.ok_or_else(|| {
                    missing(
                        "CAMUNDA_CLIENT_ID",
                        strategy,
                        "a client id (or ZEEBE_CLIENT_ID)",
                    )
                })?;
                let client_secret = client_secret.ok_or_else(|| {
                    missing(
                        "CAMUNDA_CLIENT_SECRET",
                        strategy,
                        "a client secret (or ZEEBE_CLIENT_SECRET)",
                    )
                })?;
                let url = oauth_url.ok_or_else(|| {
                    missing(
                        "CAMUNDA_OAUTH_URL",
                        strategy,
                        "the token endpoint URL (or ZEEBE_AUTHORIZATION_SERVER_URL)",
                    )
                })?;
                let url = parse_http_url(&url, "the OAuth token URL", Some("CAMUNDA_OAUTH_URL"))?;
                let deployment = if url.host_str() == Some("login.cloud.camunda.io") {
                    Deployment::SaaS
                } else {
                    Deployment::SelfManaged
                };
                let audience = read(lookup, component.audience_variable())
                    .or_else(|| read(lookup, "CAMUNDA_TOKEN_AUDIENCE"))
                    .unwrap_or_else(|| component.audience(deployment).to_owned());
                let disk_cache_dir = if flag(lookup, "CAMUNDA_TOKEN_DISK_CACHE_DISABLE")? {
                    None
                } else {
                    read(lookup, "CAMUNDA_TOKEN_CACHE_DIR")
                        .map(PathBuf::from)
                        .or_else(DiskCache::default_dir)
                };
                Credentials::OAuth {
                    url,
                    client_id,
                    client_secret: client_secret.into(),
                    audience,
                    scope: read(lookup, "CAMUNDA_TOKEN_SCOPE"),
                    disk_cache_dir,
                }
            }
            Strategy::Cookie => {
                let url = read(lookup, "CAMUNDA_COOKIE_AUTH_URL")
                    .unwrap_or_else(|| "http://localhost:8080/api/login".to_owned());
                let url = parse_http_url(
                    &url,
                    "the cookie login URL",
                    Some("CAMUNDA_COOKIE_AUTH_URL"),
                )?;
                let user = cookie_user.ok_or_else(|| {
                    missing("CAMUNDA_COOKIE_AUTH_USERNAME", strategy, "a user name")
                })?;
                let password = read(lookup, "CAMUNDA_COOKIE_AUTH_PASSWORD").ok_or_else(|| {
                    missing("CAMUNDA_COOKIE_AUTH_PASSWORD", strategy, "a password")
                })?;
                Credentials::Cookie {
                    login_url: url,
                    username: user,
                    password: password.into(),
                }
            }
            Strategy::Basic => {
                let user = basic_user.ok_or_else(|| {
                    missing("CAMUNDA_BASIC_AUTH_USERNAME", strategy, "a user name")
                })?;
                let password = read(lookup, "CAMUNDA_BASIC_AUTH_PASSWORD").ok_or_else(|| {
                    missing("CAMUNDA_BASIC_AUTH_PASSWORD", strategy, "a password")
                })?;
                Credentials::Basic {
                    username: user,
                    password: password.into(),
                }
            }
            Strategy::Bearer => {
                let token =
                    bearer.ok_or_else(|| missing("CAMUNDA_OAUTH_TOKEN", strategy, "a token"))?;
                Credentials::Bearer(token.into())
            }
            Strategy::None => Credentials::None,
        };
        Ok(AuthConfig {
            credentials,
            root_cert,
            cert_chain,
            private_key,
            allow_insecure_http,
        })
    }

    /// The strategy in force.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component, Strategy};
    /// let config = AuthConfig::from_lookup(Component::Tasklist, |_| None).unwrap();
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
    /// let config = AuthConfig::from_lookup(Component::Tasklist, |_| None).unwrap();
    /// assert_eq!(config.audience(), None);
    /// ```
    pub fn audience(&self) -> Option<&str> {
        match &self.credentials {
            Credentials::OAuth { audience, .. } => Some(audience),
            _ => None,
        }
    }

    /// The disk cache directory, when tokens are cached on disk.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// let config = AuthConfig::from_lookup(Component::Tasklist, |_| None).unwrap();
    /// assert_eq!(config.disk_cache_dir(), None);
    /// ```
    pub fn disk_cache_dir(&self) -> Option<&std::path::Path> {
        match &self.credentials {
            Credentials::OAuth { disk_cache_dir, .. } => disk_cache_dir.as_deref(),
            _ => None,
        }
    }

    /// Applies the TLS settings (extra roots, client certificate) to a transport builder.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// let config = AuthConfig::from_lookup(Component::Tasklist, |_| None).unwrap();
    /// let transport = config
    ///     .apply_tls(tasklist_transport::HttpTransport::builder())
    ///     .build()
    ///     .unwrap();
    /// # let _ = transport;
    /// ```
    #[cfg(feature = "http")]
    pub fn apply_tls(&self, mut builder: HttpTransportBuilder) -> HttpTransportBuilder {
        if let Some(root) = &self.root_cert {
            builder = builder.add_root_certificates_pem_file(root);
        }
        if let (Some(chain), Some(key)) = (&self.cert_chain, &self.private_key) {
            builder = builder.client_identity_pem_files(chain, key);
        }
        builder
    }

    /// Builds the authenticator these settings describe. Token requests and logins go
    /// through `transport`, which should be the plain HTTP transport (with TLS applied by
    /// [`apply_tls`](Self::apply_tls)), not one already signed.
    ///
    /// ```
    /// # use tasklist_auth::{AuthConfig, Component};
    /// # use tasklist_transport::{HttpTransport, TransportExt};
    /// let config = AuthConfig::from_lookup(Component::Tasklist, |_| None).unwrap();
    /// let http = config.apply_tls(HttpTransport::builder()).build().unwrap();
    /// let auth = config.authenticator(http.clone().into_shared()).unwrap();
    /// let api = http.with_authenticator(auth);
    /// # let _ = api;
    /// ```
    ///
    /// # Errors
    ///
    /// As the strategy's own builder ([`Error::Config`], [`Error::InsecureHttp`]).
    pub fn authenticator(
        &self,
        transport: SharedTransport,
    ) -> Result<Arc<dyn Authenticator>, Error> {
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
                Arc::new(cache.build())
            }
            Credentials::Cookie {
                login_url,
                username,
                password,
            } => {
                let base = login_url[..url::Position::BeforePath].to_owned();
                let path = login_url.path().to_owned();
                let login_path = match path.as_str() {
                    "/api/login" => LoginPath::Api,
                    "/login" => LoginPath::Root,
                    "" | "/" => LoginPath::TryBoth,
                    _ => LoginPath::Custom(path),
                };
                Arc::new(
                    CookieAuth::builder(&base)
                        .username(username.clone())
                        .password(password.clone())
                        .login_path(login_path)
                        .allow_insecure_http(self.allow_insecure_http)
                        .build(transport)?,
                )
            }
            Credentials::Basic { username, password } => {
                Arc::new(BasicAuth::new(username.clone(), password.clone())?)
            }
            Credentials::Bearer(token) => Arc::new(BearerToken::new(token.clone())?),
            Credentials::None => Arc::new(NoAuth),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The variable a configuration error names, if it is one.
    fn variable(err: &Error) -> Option<&'static str> {
        match err {
            Error::Config { variable, .. } => *variable,
            _ => None,
        }
    }

    fn config(vars: &[(&str, &str)]) -> Result<AuthConfig, Error> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        AuthConfig::from_lookup(Component::Tasklist, move |name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    const OAUTH: [(&str, &str); 3] = [
        ("CAMUNDA_CLIENT_ID", "id"),
        ("CAMUNDA_CLIENT_SECRET", "very-secret"),
        (
            "CAMUNDA_OAUTH_URL",
            "https://keycloak.example/auth/realms/camunda-platform/protocol/openid-connect/token",
        ),
    ];

    #[test]
    fn strategy_is_inferred_from_what_is_set() {
        assert_eq!(config(&OAUTH).unwrap().strategy(), Strategy::OAuth);
        assert_eq!(
            config(&[("CAMUNDA_OAUTH_TOKEN", "t")]).unwrap().strategy(),
            Strategy::Bearer
        );
        let basic = config(&[
            ("CAMUNDA_BASIC_AUTH_USERNAME", "u"),
            ("CAMUNDA_BASIC_AUTH_PASSWORD", "p"),
        ]);
        assert_eq!(basic.unwrap().strategy(), Strategy::Basic);
        let cookie = config(&[
            ("CAMUNDA_COOKIE_AUTH_USERNAME", "demo"),
            ("CAMUNDA_COOKIE_AUTH_PASSWORD", "demo"),
        ]);
        assert_eq!(cookie.unwrap().strategy(), Strategy::Cookie);
        assert_eq!(config(&[]).unwrap().strategy(), Strategy::None);
    }

    #[test]
    fn audience_follows_component_deployment_and_overrides() {
        let self_managed = config(&OAUTH).unwrap();
        assert_eq!(self_managed.audience(), Some("tasklist-api"));
        let mut saas = OAUTH.to_vec();
        saas[2] = ("CAMUNDA_OAUTH_URL", SAAS_TOKEN_URL);
        assert_eq!(
            config(&saas).unwrap().audience(),
            Some("tasklist.camunda.io")
        );
        let mut generic = OAUTH.to_vec();
        generic.push(("CAMUNDA_TOKEN_AUDIENCE", "generic"));
        assert_eq!(config(&generic).unwrap().audience(), Some("generic"));
        generic.push(("CAMUNDA_TASKLIST_OAUTH_AUDIENCE", "specific"));
        assert_eq!(config(&generic).unwrap().audience(), Some("specific"));
        let operate = AuthConfig::from_lookup(Component::Operate, |name| {
            OAUTH
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
        .unwrap();
        assert_eq!(operate.audience(), Some("operate-api"));
    }

    #[test]
    fn zeebe_aliases_work_and_contradictions_are_named() {
        let aliases = config(&[
            ("ZEEBE_CLIENT_ID", "id"),
            ("ZEEBE_CLIENT_SECRET", "s"),
            (
                "ZEEBE_AUTHORIZATION_SERVER_URL",
                "https://login.example/token",
            ),
        ])
        .unwrap();
        assert_eq!(aliases.strategy(), Strategy::OAuth);
        let mut both = OAUTH.to_vec();
        both.push(("ZEEBE_CLIENT_SECRET", "other-secret"));
        let err = config(&both).unwrap_err();
        assert_eq!(variable(&err), Some("CAMUNDA_CLIENT_SECRET"), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("ZEEBE_CLIENT_SECRET"), "{text}");
        assert!(
            !text.contains("very-secret") && !text.contains("other-secret"),
            "{text}"
        );
    }

    #[test]
    fn missing_settings_name_their_variable() {
        let err = config(&[
            ("CAMUNDA_AUTH_STRATEGY", "OAUTH"),
            ("CAMUNDA_CLIENT_ID", "id"),
        ])
        .unwrap_err();
        assert_eq!(variable(&err), Some("CAMUNDA_CLIENT_SECRET"), "{err:?}");
        let err =
            config(&[("CAMUNDA_CLIENT_ID", "id"), ("CAMUNDA_CLIENT_SECRET", "s")]).unwrap_err();
        assert!(err.to_string().contains("CAMUNDA_OAUTH_URL"), "{err}");
        let err = config(&[("CAMUNDA_AUTH_STRATEGY", "BASIC")]).unwrap_err();
        assert_eq!(
            variable(&err),
            Some("CAMUNDA_BASIC_AUTH_USERNAME"),
            "{err:?}"
        );
        let err = config(&[("CAMUNDA_AUTH_STRATEGY", "magic")]).unwrap_err();
        assert!(
            err.to_string()
                .contains("OAUTH, COOKIE, BASIC, BEARER, NONE")
        );
        let err = config(&[("CAMUNDA_CUSTOM_CERT_CHAIN_PATH", "/c.pem")]).unwrap_err();
        assert_eq!(
            variable(&err),
            Some("CAMUNDA_CUSTOM_PRIVATE_KEY_PATH"),
            "{err:?}"
        );
        let mut bad_url = OAUTH.to_vec();
        bad_url[2] = ("CAMUNDA_OAUTH_URL", "keycloak:8080/token");
        assert!(
            config(&bad_url)
                .unwrap_err()
                .to_string()
                .contains("CAMUNDA_OAUTH_URL")
        );
        let mut bad_flag = OAUTH.to_vec();
        bad_flag.push(("CAMUNDA_TOKEN_DISK_CACHE_DISABLE", "maybe"));
        assert!(
            config(&bad_flag)
                .unwrap_err()
                .to_string()
                .contains("true or false")
        );
    }

    #[test]
    fn disk_cache_is_on_unless_disabled() {
        let mut vars = OAUTH.to_vec();
        vars.push(("CAMUNDA_TOKEN_CACHE_DIR", "/tmp/tokens"));
        assert_eq!(
            config(&vars).unwrap().disk_cache_dir(),
            Some(std::path::Path::new("/tmp/tokens"))
        );
        vars.push(("CAMUNDA_TOKEN_DISK_CACHE_DISABLE", "true"));
        assert_eq!(config(&vars).unwrap().disk_cache_dir(), None);
    }

    #[test]
    fn debug_shows_no_secret() {
        let shown = format!("{:?}", config(&OAUTH).unwrap());
        assert!(!shown.contains("very-secret"), "{shown}");
        assert!(shown.contains("tasklist-api"), "{shown}");
        let cookie = config(&[
            ("CAMUNDA_COOKIE_AUTH_USERNAME", "demo"),
            ("CAMUNDA_COOKIE_AUTH_PASSWORD", "pa55word"),
        ])
        .unwrap();
        assert!(!format!("{cookie:?}").contains("pa55word"));
    }

    #[test]
    fn remote_plain_http_token_url_is_refused_unless_opted_in() {
        let mut vars = OAUTH.to_vec();
        vars[2] = (
            "CAMUNDA_OAUTH_URL",
            "http://keycloak:18080/auth/realms/camunda-platform/protocol/openid-connect/token",
        );
        let transport = tasklist_transport::TransportExt::into_shared(
            tasklist_transport::HttpTransport::builder()
                .build()
                .unwrap(),
        );
        let err = config(&vars)
            .unwrap()
            .authenticator(transport.clone())
            .unwrap_err();
        assert!(matches!(err, Error::InsecureHttp { .. }), "{err:?}");
        vars.push(("CAMUNDA_AUTH_ALLOW_INSECURE_HTTP", "true"));
        vars.push(("CAMUNDA_TOKEN_DISK_CACHE_DISABLE", "true"));
        config(&vars).unwrap().authenticator(transport).unwrap();
    }
}
