//! [`AuthConfig::from_env`]: the settings from the variables Camunda's SDKs use.

use std::path::PathBuf;

use secrecy::SecretString;

use crate::config::{AuthConfig, Component, Strategy};
use crate::cookie::LoginPath;
use crate::error::Error;
use crate::secure::parse_http_url;
use crate::{DiskCache, env};

/// The cookie login URL when `CAMUNDA_COOKIE_AUTH_URL` is unset.
const DEFAULT_COOKIE_LOGIN_URL: &str = "http://localhost:8080/api/login";

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

/// A cookie login URL as the base URL the login path goes below, and that path.
pub(crate) fn split_login_url(login_url: &str) -> Result<(String, LoginPath), Error> {
    let url = parse_http_url(
        login_url,
        "the cookie login URL",
        Some(env::COOKIE_AUTH_URL),
    )?;
    Ok(LoginPath::split_login_url(&url))
}

impl AuthConfig {
    /// Reads the settings for `component` from the process environment, with the variables
    /// Camunda's SDKs use (their names are the constants of [`env`](crate::env)).
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
    /// Unlike [`AuthConfig::builder`], OAuth tokens are also cached on disk unless
    /// `CAMUNDA_TOKEN_DISK_CACHE_DISABLE` says otherwise, as Camunda's SDKs do.
    ///
    /// ```no_run
    /// use tasklist_auth::{AuthConfig, Component};
    /// let config = AuthConfig::from_env(Component::Tasklist)?;
    /// println!("{:?}", config.strategy());
    /// # Ok::<(), tasklist_auth::Error>(())
    /// ```
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
    /// ```
    /// use tasklist_auth::{AuthConfig, Component, Strategy, env};
    ///
    /// let vars = [
    ///     (env::CLIENT_ID, "worker"),
    ///     (env::CLIENT_SECRET, "s3cret"),
    ///     (env::OAUTH_URL, "https://login.cloud.camunda.io/oauth/token"),
    ///     (env::TOKEN_DISK_CACHE_DISABLE, "true"),
    /// ];
    /// let config = AuthConfig::from_lookup(Component::Tasklist, |name| {
    ///     vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    /// })
    /// .unwrap();
    /// assert_eq!(config.strategy(), Strategy::OAuth);
    /// assert_eq!(config.audience(), Some("tasklist.camunda.io"));
    /// ```
    ///
    /// # Errors
    ///
    /// As [`from_env`](Self::from_env).
    pub fn from_lookup(
        component: Component,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let lookup: &dyn Fn(&str) -> Option<String> = &lookup;
        let client_id = either(lookup, env::CLIENT_ID, env::ZEEBE_CLIENT_ID)?;
        let client_secret = either(lookup, env::CLIENT_SECRET, env::ZEEBE_CLIENT_SECRET)?;
        let oauth_url = either(lookup, env::OAUTH_URL, env::ZEEBE_AUTHORIZATION_SERVER_URL)?;
        let bearer = read(lookup, env::OAUTH_TOKEN);
        let cookie_user = read(lookup, env::COOKIE_AUTH_USERNAME);
        let basic_user = read(lookup, env::BASIC_AUTH_USERNAME);

        let strategy = match read(lookup, env::AUTH_STRATEGY) {
            Some(value) => Strategy::parse(&value)?,
            None if bearer.is_some() => Strategy::Bearer,
            None if client_id.is_some() || client_secret.is_some() => Strategy::OAuth,
            None if cookie_user.is_some() => Strategy::Cookie,
            None if basic_user.is_some() => Strategy::Basic,
            None => Strategy::None,
        };

        let mut builder = AuthConfig::builder(component)
            .allow_insecure_http(flag(lookup, env::AUTH_ALLOW_INSECURE_HTTP)?);
        if let Some(root) = read(lookup, env::CUSTOM_ROOT_CERT_PATH) {
            builder = builder.root_cert(root);
        }
        let cert_chain = read(lookup, env::CUSTOM_CERT_CHAIN_PATH);
        let private_key = read(lookup, env::CUSTOM_PRIVATE_KEY_PATH);
        match (cert_chain, private_key) {
            (Some(chain), Some(key)) => builder = builder.client_identity(chain, key),
            (Some(_), None) => {
                return Err(Error::config(
                    Some(env::CUSTOM_PRIVATE_KEY_PATH),
                    format!(
                        "{} is set without its key; set {} too",
                        env::CUSTOM_CERT_CHAIN_PATH,
                        env::CUSTOM_PRIVATE_KEY_PATH
                    ),
                ));
            }
            (None, Some(_)) => {
                return Err(Error::config(
                    Some(env::CUSTOM_CERT_CHAIN_PATH),
                    format!(
                        "{} is set without its certificate; set {} too",
                        env::CUSTOM_PRIVATE_KEY_PATH,
                        env::CUSTOM_CERT_CHAIN_PATH
                    ),
                ));
            }
            (None, None) => {}
        }

        let builder = match strategy {
            Strategy::OAuth => {
                let client_id = client_id.ok_or_else(|| {
                    missing(env::CLIENT_ID, strategy, "a client id (or ZEEBE_CLIENT_ID)")
                })?;
                let client_secret = client_secret.ok_or_else(|| {
                    missing(
                        env::CLIENT_SECRET,
                        strategy,
                        "a client secret (or ZEEBE_CLIENT_SECRET)",
                    )
                })?;
                let url = oauth_url.ok_or_else(|| {
                    missing(
                        env::OAUTH_URL,
                        strategy,
                        "the token endpoint URL (or ZEEBE_AUTHORIZATION_SERVER_URL)",
                    )
                })?;
                let mut builder = builder.oauth(url, client_id, SecretString::from(client_secret));
                if let Some(audience) = read(lookup, component.audience_variable())
                    .or_else(|| read(lookup, env::TOKEN_AUDIENCE))
                {
                    builder = builder.audience(audience);
                }
                if let Some(scope) = read(lookup, env::TOKEN_SCOPE) {
                    builder = builder.scope(scope);
                }
                let disk_cache_dir = if flag(lookup, env::TOKEN_DISK_CACHE_DISABLE)? {
                    None
                } else {
                    read(lookup, env::TOKEN_CACHE_DIR)
                        .map(PathBuf::from)
                        .or_else(DiskCache::default_dir)
                };
                match disk_cache_dir {
                    Some(dir) => builder.token_cache_dir(dir),
                    None => builder,
                }
            }
            Strategy::Cookie => {
                let url = read(lookup, env::COOKIE_AUTH_URL)
                    .unwrap_or_else(|| DEFAULT_COOKIE_LOGIN_URL.to_owned());
                let (base, login_path) = split_login_url(&url)?;
                let user = cookie_user
                    .ok_or_else(|| missing(env::COOKIE_AUTH_USERNAME, strategy, "a user name"))?;
                let password = read(lookup, env::COOKIE_AUTH_PASSWORD)
                    .ok_or_else(|| missing(env::COOKIE_AUTH_PASSWORD, strategy, "a password"))?;
                builder
                    .cookie(base, user, Some(password.into()))
                    .login_path(login_path)
            }
            Strategy::Basic => {
                let user = basic_user
                    .ok_or_else(|| missing(env::BASIC_AUTH_USERNAME, strategy, "a user name"))?;
                let password = read(lookup, env::BASIC_AUTH_PASSWORD)
                    .ok_or_else(|| missing(env::BASIC_AUTH_PASSWORD, strategy, "a password"))?;
                builder.basic(user, password.into())
            }
            Strategy::Bearer => {
                let token = bearer.ok_or_else(|| missing(env::OAUTH_TOKEN, strategy, "a token"))?;
                builder.bearer(token.into())
            }
            Strategy::None => builder,
        };
        builder.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SAAS_TOKEN_URL;

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
