//! The settings as `tasklist-auth` takes them: an [`AuthConfig`] built with
//! [`AuthConfig::builder`] from the resolved values, with the tool's own rules (tokens cached
//! on disk unless `--no-token-cache`, the cookie login URL, the session file).

use tasklist_auth::{
    AuthConfig, AuthConfigBuilder, Component, DiskCache, Error as AuthError, LoginPath, Strategy,
    env,
};

use super::{Secret, Settings};
use crate::error::CliError;

impl Settings {
    /// What every strategy shares: the TLS settings and the opt-in to plain http.
    ///
    /// # Errors
    ///
    /// A client certificate without its key, or a key without its certificate.
    pub(crate) fn auth_base(&self) -> Result<AuthConfigBuilder, CliError> {
        let mut builder = AuthConfig::builder(Component::Tasklist)
            .allow_insecure_http(self.allow_insecure_http.value);
        if let Some(root) = &self.ca_cert {
            builder = builder.root_cert(root.value.clone());
        }
        let half = |variable: &'static str, message: String| {
            let error = AuthError::Config {
                variable: Some(variable),
                message: message.clone(),
            };
            CliError::usage(message).source(error)
        };
        match (&self.client_cert, &self.client_key) {
            (Some(chain), Some(key)) => {
                builder = builder.client_identity(chain.value.clone(), key.value.clone());
            }
            (Some(_), None) => {
                return Err(half(
                    env::CUSTOM_PRIVATE_KEY_PATH,
                    format!(
                        "{} is set without its key; set {} too",
                        env::CUSTOM_CERT_CHAIN_PATH,
                        env::CUSTOM_PRIVATE_KEY_PATH
                    ),
                ));
            }
            (None, Some(_)) => {
                return Err(half(
                    env::CUSTOM_CERT_CHAIN_PATH,
                    format!(
                        "{} is set without its certificate; set {} too",
                        env::CUSTOM_PRIVATE_KEY_PATH,
                        env::CUSTOM_CERT_CHAIN_PATH
                    ),
                ));
            }
            (None, None) => {}
        }
        Ok(builder)
    }

    /// The authentication settings on top of `base` ([`auth_base`](Self::auth_base)), with
    /// `prompted` as the strategy's secret (client secret, password or token) where the
    /// settings lack one. A cookie session without a password only reuses the kept session.
    ///
    /// # Errors
    ///
    /// A missing or unusable setting, naming its variable and flag.
    pub(crate) fn auth_config(
        &self,
        base: AuthConfigBuilder,
        prompted: Option<&Secret>,
    ) -> Result<AuthConfig, CliError> {
        let strategy = self.strategy.value;
        let builder = match strategy {
            Strategy::OAuth => self.oauth(base, prompted)?,
            Strategy::Cookie => self.cookie(base, prompted)?,
            Strategy::Basic => {
                let username = self.username.as_ref().ok_or_else(|| {
                    self.missing(env::BASIC_AUTH_USERNAME, "a user name".to_owned())
                })?;
                let password = prompted.or(self.password.as_ref()).ok_or_else(|| {
                    self.missing(env::BASIC_AUTH_PASSWORD, "a password".to_owned())
                })?;
                base.basic(username.value.clone(), password.value.clone())
            }
            Strategy::Bearer => {
                let token = prompted
                    .or(self.token.as_ref())
                    .ok_or_else(|| self.missing(env::OAUTH_TOKEN, "a token".to_owned()))?;
                base.bearer(token.value.clone())
            }
            _ => base.no_auth(),
        };
        builder.build().map_err(|e| match strategy {
            Strategy::Cookie => {
                CliError::auth("cannot set up the cookie session", e, &self.hints())
            }
            _ => self.config_error(e),
        })
    }

    /// OAuth client credentials; tokens are cached on disk (in the directory set, else the one
    /// Camunda's SDKs share) unless the token cache is off.
    fn oauth(
        &self,
        base: AuthConfigBuilder,
        prompted: Option<&Secret>,
    ) -> Result<AuthConfigBuilder, CliError> {
        let client_id = self.client_id.as_ref().ok_or_else(|| {
            self.missing(
                env::CLIENT_ID,
                format!("a client id (or {})", env::ZEEBE_CLIENT_ID),
            )
        })?;
        let client_secret = prompted.or(self.client_secret.as_ref()).ok_or_else(|| {
            self.missing(
                env::CLIENT_SECRET,
                format!("a client secret (or {})", env::ZEEBE_CLIENT_SECRET),
            )
        })?;
        let token_url = self.oauth_url.as_ref().ok_or_else(|| {
            self.missing(
                env::OAUTH_URL,
                format!(
                    "the token endpoint URL (or {})",
                    env::ZEEBE_AUTHORIZATION_SERVER_URL
                ),
            )
        })?;
        let mut builder = base.oauth(
            token_url.value.clone(),
            client_id.value.clone(),
            client_secret.value.clone(),
        );
        if let Some(audience) = &self.audience {
            builder = builder.audience(audience.value.clone());
        }
        if let Some(scope) = &self.scope {
            builder = builder.scope(scope.value.clone());
        }
        if self.token_cache.value
            && let Some(dir) = self
                .token_cache_dir
                .as_ref()
                .map(|dir| dir.value.clone())
                .or_else(DiskCache::default_dir)
        {
            builder = builder.token_cache_dir(dir);
        }
        Ok(builder)
    }

    /// A cookie session, kept in the session file.
    fn cookie(
        &self,
        base: AuthConfigBuilder,
        prompted: Option<&Secret>,
    ) -> Result<AuthConfigBuilder, CliError> {
        let Some(username) = &self.username else {
            return Err(
                CliError::usage("cookie authentication needs a user name").hint(format!(
                    "set {} or use --username",
                    env::COOKIE_AUTH_USERNAME
                )),
            );
        };
        let (base_url, login_path) = self.login_target()?;
        let password = prompted
            .or(self.password.as_ref())
            .map(|secret| secret.value.clone());
        let mut builder = base
            .cookie(base_url, username.value.clone(), password)
            .login_path(login_path);
        if let Some(file) = self.session_file() {
            builder = builder.session_file(file.value);
        }
        Ok(builder)
    }

    /// Where to log in: the login URL's origin and path, or the base URL trying both paths.
    fn login_target(&self) -> Result<(String, LoginPath), CliError> {
        let Some(login) = &self.login_url else {
            return Ok((self.base_url.value.clone(), LoginPath::TryBoth));
        };
        let url = url::Url::parse(&login.value).map_err(|e| {
            CliError::usage(format!(
                "the login URL `{}` ({}) is not a URL: {e}",
                login.value, login.source
            ))
            .hint(format!(
                "set an absolute http(s) URL with --login-url or {}",
                env::COOKIE_AUTH_URL
            ))
        })?;
        Ok(LoginPath::split_login_url(&url))
    }

    /// The error for a setting the strategy needs and that is not set: `what` names it,
    /// `variable` sets it (the hint adds its flag).
    fn missing(&self, variable: &'static str, what: String) -> CliError {
        self.config_error(AuthError::Config {
            variable: Some(variable),
            message: format!(
                "{} authentication needs {what}; set {variable}",
                self.strategy.value.name()
            ),
        })
    }

    /// The error for an incomplete or contradictory authentication setting.
    fn config_error(&self, error: AuthError) -> CliError {
        CliError::auth(
            format!(
                "the {} authentication settings cannot be used",
                self.strategy.value.name()
            ),
            error,
            &self.hints(),
        )
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret as _;
    use tasklist_auth::{Strategy, env};

    use super::super::test_support::resolve;
    use crate::cli::GlobalArgs;

    #[test]
    fn the_auth_crate_sees_the_layered_settings() {
        let s = resolve(
            &GlobalArgs {
                client_id: Some("flag-id".into()),
                oauth_url: Some("http://127.0.0.1:9/token".into()),
                ..GlobalArgs::default()
            },
            &[(env::CLIENT_ID, "env-id"), (env::ZEEBE_CLIENT_SECRET, "s")],
        )
        .unwrap();
        let config = s.auth_config(s.auth_base().unwrap(), None).unwrap();
        assert_eq!(config.strategy(), Strategy::OAuth);
        assert_eq!(config.identity(), Some("flag-id"));
        assert_eq!(config.audience(), Some("tasklist-api"));
        assert_eq!(
            config.token_url().map(url::Url::as_str),
            Some("http://127.0.0.1:9/token")
        );
        // The tool caches tokens on disk unless told not to.
        assert!(config.disk_cache_dir().is_some());
        let s = resolve(
            &GlobalArgs {
                no_token_cache: true,
                ..GlobalArgs::default()
            },
            &[
                (env::CLIENT_ID, "id"),
                (env::CLIENT_SECRET, "s"),
                (env::OAUTH_URL, "http://127.0.0.1:9/token"),
            ],
        )
        .unwrap();
        let config = s.auth_config(s.auth_base().unwrap(), None).unwrap();
        assert_eq!(config.disk_cache_dir(), None);
    }

    #[test]
    fn a_prompted_secret_goes_straight_into_the_config() {
        let s = resolve(
            &GlobalArgs {
                client_id: Some("id".into()),
                oauth_url: Some("http://127.0.0.1:9/token".into()),
                ..GlobalArgs::default()
            },
            &[],
        )
        .unwrap();
        let err = s.auth_config(s.auth_base().unwrap(), None).unwrap_err();
        assert_eq!(err.exit(), crate::exit::Exit::Usage);
        assert_eq!(
            err.line(),
            format!(
                "the OAUTH authentication settings cannot be used: OAUTH authentication needs \
                 a client secret (or {}); set {}; or use --client-secret-file",
                env::ZEEBE_CLIENT_SECRET,
                env::CLIENT_SECRET
            )
        );
        let typed = super::Secret {
            value: "typed-secret".to_owned().into(),
            source: super::super::Source::Prompt,
        };
        let config = s.auth_config(s.auth_base().unwrap(), Some(&typed)).unwrap();
        assert_eq!(config.strategy(), Strategy::OAuth);
        assert!(!format!("{config:?}").contains(typed.value.expose_secret()));
    }

    #[test]
    fn cookie_sessions_log_in_where_the_login_url_says() {
        let s = resolve(
            &GlobalArgs {
                username: Some("demo".into()),
                login_url: Some("http://127.0.0.1:9/tasklist/login".into()),
                ..GlobalArgs::default()
            },
            &[],
        )
        .unwrap();
        assert_eq!(s.strategy.value, Strategy::Cookie);
        let (base, path) = s.login_target().unwrap();
        assert_eq!(base, "http://127.0.0.1:9");
        assert_eq!(
            path,
            tasklist_auth::LoginPath::Custom("/tasklist/login".into())
        );
        // Without a password: a session that can only be reused.
        let config = s.auth_config(s.auth_base().unwrap(), None).unwrap();
        assert_eq!(config.strategy(), Strategy::Cookie);
        assert_eq!(config.identity(), Some("demo"));

        let half = resolve(
            &GlobalArgs {
                client_cert: Some("/x/cert.pem".into()),
                ..GlobalArgs::default()
            },
            &[],
        )
        .unwrap();
        let err = half.auth_base().unwrap_err();
        assert!(
            err.line().contains(env::CUSTOM_PRIVATE_KEY_PATH),
            "{}",
            err.line()
        );
    }
}
