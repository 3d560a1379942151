//! A ready client of the server, and the credentials it was made with: what the tests of an
//! application need to reach the server as the application would. The server itself does not
//! use the client crates; these helpers only build on them.

use std::fmt;

use tasklist_api::Client;
use tasklist_auth::{AuthConfig, Component, HttpTransport, LoginPath, env};

use super::error::Error;
use super::handle::ServerHandle;
use crate::config::{AuthMode, Profile};

/// The settings that reach a [`TestServer`](crate::TestServer): its URLs and the credentials
/// of its first OAuth client and first user. `Debug` leaves the secret and password out.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), tasklist_testkit::Error> {
/// let server = tasklist_testkit::TestServer::builder().start().await?;
/// let credentials = server.credentials();
/// assert_eq!(credentials.client_id.as_deref(), Some("tasklist"));
/// assert_eq!(credentials.audience.as_deref(), Some("tasklist-api"));
/// assert_eq!(credentials.username.as_deref(), Some("demo"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Credentials {
    /// The URL API clients are configured with ([`ServerHandle::v2_url`]).
    pub base_url: String,
    /// The OAuth token endpoint.
    pub token_url: String,
    /// The cookie login endpoint of the server's profile.
    pub login_url: String,
    /// The first OAuth client's id.
    pub client_id: Option<String>,
    /// The first OAuth client's secret.
    pub client_secret: Option<String>,
    /// The first OAuth client's audience.
    pub audience: Option<String>,
    /// The first user's name.
    pub username: Option<String>,
    /// The first user's password.
    pub password: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("base_url", &self.base_url)
            .field("token_url", &self.token_url)
            .field("login_url", &self.login_url)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("audience", &self.audience)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl ServerHandle {
    /// The server's URLs and the credentials of its first OAuth client and first user.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert_eq!(server.credentials().token_url, server.token_url());
    /// # Ok(())
    /// # }
    /// ```
    pub fn credentials(&self) -> Credentials {
        let config = self.config();
        let client = config.clients.first();
        let user = config.users.first();
        Credentials {
            base_url: self.v2_url(),
            token_url: self.token_url(),
            login_url: self.login_url(),
            client_id: client.map(|c| c.client_id.clone()),
            client_secret: client.map(|c| c.client_secret.clone()),
            audience: client.map(|c| c.audience.clone()),
            username: user.map(|u| u.username.clone()),
            password: user.map(|u| u.password.clone()),
        }
    }

    /// The authentication settings of [`credentials`](Self::credentials) for the server's
    /// [`AuthMode`]: OAuth with the first client, a cookie session or HTTP Basic as the first
    /// user, or none. Plain `http://` to loopback needs no opt-in.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// let config = server.auth_config()?;
    /// assert_eq!(config.strategy(), tasklist_auth::Strategy::OAuth);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the mode needs an OAuth client or a user and the server has none.
    pub fn auth_config(&self) -> Result<AuthConfig, Error> {
        let credentials = self.credentials();
        let builder = AuthConfig::builder(Component::Tasklist);
        let missing =
            |what: &str| Error::Config(format!("the server has no {what} to sign in with"));
        let user = || match (&credentials.username, &credentials.password) {
            (Some(user), Some(password)) => Ok((user.clone(), password.clone())),
            _ => Err(missing("user")),
        };
        let builder = match self.config().auth {
            AuthMode::OAuth => {
                let (Some(id), Some(secret), Some(audience)) = (
                    &credentials.client_id,
                    &credentials.client_secret,
                    &credentials.audience,
                ) else {
                    return Err(missing("OAuth client"));
                };
                builder
                    .oauth(
                        credentials.token_url.clone(),
                        id.clone(),
                        secret.clone().into(),
                    )
                    .audience(audience.clone())
            }
            AuthMode::Cookie { .. } => {
                let (user, password) = user()?;
                let path = match self.config().profile {
                    Profile::V8_7 => LoginPath::Api,
                    _ => LoginPath::Root,
                };
                builder
                    .cookie(credentials.base_url.clone(), user, Some(password.into()))
                    .login_path(path)
            }
            AuthMode::Basic => {
                let (user, password) = user()?;
                builder.basic(user, password.into())
            }
            AuthMode::None => builder,
        };
        builder.build().map_err(|e| Error::Config(e.to_string()))
    }

    /// The variables Camunda's SDKs read that point a client at the server, for its mode:
    /// the base URL and the strategy with its credentials. The `tasklist-testkit` binary
    /// prints these as [`export_lines`](Self::export_lines).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// let vars = server.environment();
    /// assert!(vars.contains(&("CAMUNDA_AUTH_STRATEGY", "OAUTH".to_owned())));
    /// # Ok(())
    /// # }
    /// ```
    pub fn environment(&self) -> Vec<(&'static str, String)> {
        let c = self.credentials();
        let mut vars = vec![(env::TASKLIST_BASE_URL, c.base_url.clone())];
        // A credential the server lacks is left out, not printed empty.
        let mut set = |name: &'static str, value: &Option<String>| {
            if let Some(value) = value {
                vars.push((name, value.clone()));
            }
        };
        match self.config().auth {
            AuthMode::OAuth => {
                set(env::AUTH_STRATEGY, &Some("OAUTH".to_owned()));
                set(env::OAUTH_URL, &Some(c.token_url.clone()));
                set(env::CLIENT_ID, &c.client_id);
                set(env::CLIENT_SECRET, &c.client_secret);
                set(env::TASKLIST_OAUTH_AUDIENCE, &c.audience);
            }
            AuthMode::Cookie { .. } => {
                set(env::AUTH_STRATEGY, &Some("COOKIE".to_owned()));
                set(env::COOKIE_AUTH_URL, &Some(c.login_url.clone()));
                set(env::COOKIE_AUTH_USERNAME, &c.username);
                set(env::COOKIE_AUTH_PASSWORD, &c.password);
            }
            AuthMode::Basic => {
                set(env::AUTH_STRATEGY, &Some("BASIC".to_owned()));
                set(env::BASIC_AUTH_USERNAME, &c.username);
                set(env::BASIC_AUTH_PASSWORD, &c.password);
            }
            AuthMode::None => set(env::AUTH_STRATEGY, &Some("NONE".to_owned())),
        }
        vars
    }

    /// The variables of [`environment`](Self::environment) as `export NAME=value` lines for a
    /// POSIX shell, in the same order: what the `tasklist-testkit` binary prints, and
    /// `tasklist sandbox serve` too. A value the shell would change (white space, quotes, `$`,
    /// `~`, an empty value, ...) is put in single quotes, so `eval` of the lines sets every
    /// variable to exactly the value of `environment`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// use tasklist_testkit::{OAuthClient, TestServer};
    ///
    /// let server = TestServer::builder()
    ///     .clients([OAuthClient::new("tasklist", "it's $secret", "tasklist-api")])
    ///     .start()
    ///     .await?;
    /// let base_url = server.base_url();
    /// assert_eq!(
    ///     server.export_lines(),
    ///     [
    ///         format!("export CAMUNDA_TASKLIST_BASE_URL={base_url}"),
    ///         "export CAMUNDA_AUTH_STRATEGY=OAUTH".to_owned(),
    ///         format!("export CAMUNDA_OAUTH_URL={base_url}/oauth/token"),
    ///         "export CAMUNDA_CLIENT_ID=tasklist".to_owned(),
    ///         r#"export CAMUNDA_CLIENT_SECRET='it'\''s $secret'"#.to_owned(),
    ///         "export CAMUNDA_TASKLIST_OAUTH_AUDIENCE=tasklist-api".to_owned(),
    ///     ]
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub fn export_lines(&self) -> Vec<String> {
        self.environment()
            .into_iter()
            .map(|(name, value)| format!("export {name}={}", shell_word(&value)))
            .collect()
    }

    /// A client of the server's task API, signed in as [`auth_config`](Self::auth_config)
    /// says, over the recommended stack (HTTP → tracing → authentication → retries; no proxy,
    /// the server is on loopback). Nothing is sent until the first call.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = tasklist_testkit::TestServer::builder().tasks(2).start().await?;
    /// let client = server.client()?;
    /// assert_eq!(client.human_tasks().search().send().await?.len(), 2);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`auth_config`](Self::auth_config), and [`Error::Client`] when the client cannot be
    /// built.
    pub fn client(&self) -> Result<Client, Error> {
        let transport = self
            .auth_config()?
            .transport(HttpTransport::builder().no_proxy())
            .map_err(|e| Error::Client(e.to_string()))?;
        Client::new(&self.v2_url(), transport).map_err(|e| Error::Client(e.to_string()))
    }
}

/// `value` as one word of a POSIX shell that stands for `value` itself: as it is when every
/// character is one the shell leaves alone in an assignment, else in single quotes (which keep
/// everything but `'`, written `'\''`: end the quotes, an escaped quote, quote again).
fn shell_word(value: &str) -> std::borrow::Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-.,/:@+".contains(c);
    if !value.is_empty() && value.chars().all(plain) {
        std::borrow::Cow::Borrowed(value)
    } else {
        std::borrow::Cow::Owned(format!("'{}'", value.replace('\'', r"'\''")))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_word;
    use crate::config::{AuthMode, Profile};
    use crate::{Route, TestServer};

    #[test]
    fn shell_words_are_quoted_only_when_the_shell_would_change_them() {
        for plain in [
            "OAUTH",
            "http://127.0.0.1:8080/oauth/token",
            "a-b_c.d,e@f+g",
        ] {
            assert_eq!(shell_word(plain), plain);
        }
        for (value, word) in [
            ("", "''"),
            ("two words", "'two words'"),
            ("it's", r"'it'\''s'"),
            ("$HOME", "'$HOME'"),
            ("~", "'~'"),
            ("=ls", "'=ls'"),
            ("a=b&c=%20", "'a=b&c=%20'"),
            ("a\"b\\c`d`", "'a\"b\\c`d`'"),
            ("line\nbreak", "'line\nbreak'"),
            ("*;|&<>(){}[]!?#", "'*;|&<>(){}[]!?#'"),
            ("grüße", "'grüße'"),
        ] {
            assert_eq!(shell_word(value), word, "{value:?}");
        }
    }

    #[tokio::test]
    async fn the_client_signs_in_as_each_mode_needs() {
        for (profile, auth) in [
            (Profile::V8_7, AuthMode::OAuth),
            (Profile::V8_7, AuthMode::Cookie { csrf: true }),
            (Profile::V8_8, AuthMode::Cookie { csrf: true }),
            (Profile::V8_10, AuthMode::Basic),
            (Profile::V8_9, AuthMode::None),
        ] {
            let server = TestServer::builder()
                .profile(profile)
                .auth(auth)
                .tasks(4)
                .start()
                .await
                .unwrap();
            let found = server.client().unwrap().human_tasks().search().send().await;
            let found = found.unwrap_or_else(|e| panic!("{profile:?} {auth:?}: {e}"));
            assert!(!found.is_empty(), "{profile:?} {auth:?}");
            let logins = server.successful_logins();
            let expected = u64::from(matches!(auth, AuthMode::Cookie { .. }));
            assert_eq!(logins, expected, "{profile:?} {auth:?}");
            if auth == AuthMode::OAuth {
                assert_eq!(server.token_requests(), 1);
                assert_eq!(server.requests(Route::SearchTasks), 1);
            }
            server.shutdown().await;
        }
    }

    #[tokio::test]
    async fn the_environment_names_the_mode_and_its_credentials() {
        let server = TestServer::builder()
            .profile(Profile::V8_8)
            .auth(AuthMode::Cookie { csrf: true })
            .users([crate::User::new("ann", "ann-pw")])
            .start()
            .await
            .unwrap();
        let vars = server.environment();
        let get = |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(get("CAMUNDA_AUTH_STRATEGY").as_deref(), Some("COOKIE"));
        assert_eq!(get("CAMUNDA_COOKIE_AUTH_USERNAME").as_deref(), Some("ann"));
        assert_eq!(get("CAMUNDA_COOKIE_AUTH_URL"), Some(server.login_url()));
        assert!(get("CAMUNDA_CLIENT_SECRET").is_none());
        // What the variables say is what `from_env` builds.
        let config =
            tasklist_auth::AuthConfig::from_lookup(tasklist_auth::Component::Tasklist, get)
                .unwrap();
        assert_eq!(config.strategy(), tasklist_auth::Strategy::Cookie);
        assert!(!format!("{:?}", server.credentials()).contains("ann-pw"));
    }
}
