//! Server configuration: the version profile, the authentication mode, users, OAuth clients and
//! the seed data. A [`Config`] is built through [`TestServer::builder`](crate::TestServer::builder).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// Tasklist's default limit, in characters, above which a variable value is truncated in search
/// results (`camunda.tasklist.variableSizeThreshold` / `TasklistProperties`, default 8191).
pub const DEFAULT_TRUNCATION_THRESHOLD: usize = 8191;

/// The default lifetime of issued access tokens (5 minutes, as Identity's default).
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(300);

/// The default audience expected at the token endpoint.
pub const DEFAULT_AUDIENCE: &str = "tasklist-api";

/// The server version whose wire behaviour is imitated.
///
/// ```
/// use tasklist_testkit::config::Profile;
///
/// assert_eq!(Profile::default(), Profile::V8_7);
/// assert_eq!(Profile::V8_8.login_path(), "/login");
/// assert_eq!("8.8".parse::<Profile>().ok(), Some(Profile::V8_8));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// Tasklist 8.7: v1 error bodies `{status,message,instance}`, cookie login at `/api/login`,
    /// session cookie `TASKLIST-SESSION`.
    #[default]
    V8_7,
    /// Camunda 8.8: RFC 9457 `application/problem+json` errors, cookie login at `/login`, session
    /// cookie `camunda-session`, HTTP Basic; v1 next to the v2 user-task API (9 operations).
    V8_8,
    /// Camunda 8.9: as 8.8 for login, cookie, errors and Basic; the v2 API adds
    /// `audit-logs/search`, `page.hasMoreTotalItems`, and every `UserTaskResult` property
    /// (nullable ones as `null`), `rootProcessInstanceKey` and `tags` (origin: FACTS §2, §3.2).
    V8_9,
    /// Camunda 8.10: as 8.9, plus `businessId` on user tasks; Tasklist v1 is gone, so every
    /// `/v1/...` path answers a `404` problem (origin: FACTS §7.4, camunda-docs PR #8836).
    V8_10,
}

impl Profile {
    /// The preferred cookie login path (`/api/login` for 8.7, `/login` for 8.8).
    ///
    /// ```
    /// use tasklist_testkit::config::Profile;
    /// assert_eq!(Profile::V8_7.login_path(), "/api/login");
    /// ```
    pub fn login_path(self) -> &'static str {
        match self {
            Profile::V8_7 => "/api/login",
            Profile::V8_8 | Profile::V8_9 | Profile::V8_10 => "/login",
        }
    }

    /// The preferred logout path (`/api/logout` for 8.7, `/logout` for 8.8).
    ///
    /// ```
    /// use tasklist_testkit::config::Profile;
    /// assert_eq!(Profile::V8_8.logout_path(), "/logout");
    /// ```
    pub fn logout_path(self) -> &'static str {
        match self {
            Profile::V8_7 => "/api/logout",
            Profile::V8_8 | Profile::V8_9 | Profile::V8_10 => "/logout",
        }
    }

    /// The session cookie's name (`TASKLIST-SESSION` for 8.7, `camunda-session` for 8.8).
    ///
    /// ```
    /// use tasklist_testkit::config::Profile;
    /// assert_eq!(Profile::V8_7.session_cookie(), "TASKLIST-SESSION");
    /// assert_eq!(Profile::V8_8.session_cookie(), "camunda-session");
    /// ```
    pub fn session_cookie(self) -> &'static str {
        match self {
            Profile::V8_7 => "TASKLIST-SESSION",
            Profile::V8_8 | Profile::V8_9 | Profile::V8_10 => "camunda-session",
        }
    }

    /// The version as written on the command line: `"8.7"`, `"8.8"`, `"8.9"` or `"8.10"`.
    ///
    /// ```
    /// use tasklist_testkit::config::Profile;
    /// assert_eq!(Profile::V8_7.as_str(), "8.7");
    /// assert_eq!(Profile::V8_10.as_str(), "8.10");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::V8_7 => "8.7",
            Profile::V8_8 => "8.8",
            Profile::V8_9 => "8.9",
            Profile::V8_10 => "8.10",
        }
    }

    /// The full version the server reports, as `gatewayVersion` of `GET /v2/topology` (the probe
    /// clients use for version detection; origin: FACTS §8): `"8.7.0"`, `"8.8.0"`, `"8.9.0"` or
    /// `"8.10.0"`.
    ///
    /// ```
    /// use tasklist_testkit::config::Profile;
    /// assert_eq!(Profile::V8_9.version(), "8.9.0");
    /// ```
    pub fn version(self) -> &'static str {
        match self {
            Profile::V8_7 => "8.7.0",
            Profile::V8_8 => "8.8.0",
            Profile::V8_9 => "8.9.0",
            Profile::V8_10 => "8.10.0",
        }
    }

    /// Whether the Tasklist v1 API (`/v1/...`) is served: up to 8.9; 8.10 removed it and
    /// answers every `/v1/...` path with a `404` problem (origin: FACTS §7.4).
    ///
    /// ```
    /// use tasklist_testkit::config::Profile;
    /// assert!(Profile::V8_9.serves_v1());
    /// assert!(!Profile::V8_10.serves_v1());
    /// ```
    pub fn serves_v1(self) -> bool {
        !matches!(self, Profile::V8_10)
    }

    /// Whether the v2 user-task API (`/v2/user-tasks/...`, `/v2/topology`) is served: from 8.8
    /// on (origin: FACTS §2).
    ///
    /// ```
    /// use tasklist_testkit::config::Profile;
    /// assert!(!Profile::V8_7.serves_v2());
    /// assert!(Profile::V8_8.serves_v2());
    /// ```
    pub fn serves_v2(self) -> bool {
        !matches!(self, Profile::V8_7)
    }

    /// Whether the legacy GraphQL endpoint (`POST /graphql`) is served: up to 8.7; Camunda 8.8
    /// removed it, and later profiles answer `404` there.
    ///
    /// ```
    /// use tasklist_testkit::config::Profile;
    /// assert!(Profile::V8_7.serves_graphql());
    /// assert!(!Profile::V8_8.serves_graphql());
    /// ```
    pub fn serves_graphql(self) -> bool {
        matches!(self, Profile::V8_7)
    }

    /// Every profile, oldest first.
    ///
    /// ```
    /// use tasklist_testkit::config::Profile;
    /// assert_eq!(Profile::ALL.len(), 4);
    /// ```
    pub const ALL: [Profile; 4] = [Profile::V8_7, Profile::V8_8, Profile::V8_9, Profile::V8_10];
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`Profile`] or an [`AuthMode`] from text.
///
/// ```
/// use tasklist_testkit::config::Profile;
/// let err = "9.9".parse::<Profile>().unwrap_err();
/// assert!(err.to_string().contains("9.9"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{value}` (expected one of: {expected})")]
pub struct ParseError {
    what: &'static str,
    value: String,
    expected: &'static str,
}

impl FromStr for Profile {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "8.7" | "v8.7" | "8_7" => Ok(Profile::V8_7),
            "8.8" | "v8.8" | "8_8" => Ok(Profile::V8_8),
            "8.9" | "v8.9" | "8_9" => Ok(Profile::V8_9),
            "8.10" | "v8.10" | "8_10" => Ok(Profile::V8_10),
            other => Err(ParseError {
                what: "profile",
                value: other.to_owned(),
                expected: "8.7, 8.8, 8.9, 8.10",
            }),
        }
    }
}

/// Which credentials the API endpoints accept. Each mode refuses the others' credentials.
///
/// ```
/// use tasklist_testkit::config::AuthMode;
///
/// assert_eq!("cookie".parse::<AuthMode>().ok(), Some(AuthMode::Cookie { csrf: false }));
/// assert_eq!(AuthMode::default(), AuthMode::OAuth);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AuthMode {
    /// Bearer JWTs issued by the server's own `POST /oauth/token`.
    #[default]
    OAuth,
    /// A session cookie from the profile's login endpoint; with `csrf`, non-GET API requests must
    /// also carry the `X-CSRF-TOKEN` header issued at login.
    Cookie {
        /// Whether the CSRF token is issued and enforced.
        csrf: bool,
    },
    /// HTTP Basic with a configured user's credentials (Camunda 8.8; the real 8.7 Tasklist has
    /// no Basic authentication, but the testkit offers it with either profile).
    Basic,
    /// No authentication at all: every request is anonymous and accepted.
    None,
}

impl AuthMode {
    /// The mode's name on the command line: `oauth`, `cookie`, `cookie-csrf`, `basic`, `none`.
    ///
    /// ```
    /// use tasklist_testkit::config::AuthMode;
    /// assert_eq!(AuthMode::Cookie { csrf: true }.as_str(), "cookie-csrf");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMode::OAuth => "oauth",
            AuthMode::Cookie { csrf: false } => "cookie",
            AuthMode::Cookie { csrf: true } => "cookie-csrf",
            AuthMode::Basic => "basic",
            AuthMode::None => "none",
        }
    }
}

impl fmt::Display for AuthMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AuthMode {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "oauth" | "oauth2" | "jwt" | "bearer" => Ok(AuthMode::OAuth),
            "cookie" => Ok(AuthMode::Cookie { csrf: false }),
            "cookie-csrf" | "csrf" => Ok(AuthMode::Cookie { csrf: true }),
            "basic" => Ok(AuthMode::Basic),
            "none" => Ok(AuthMode::None),
            _ => Err(ParseError {
                what: "auth mode",
                value: s.to_owned(),
                expected: "oauth, cookie, cookie-csrf, basic, none",
            }),
        }
    }
}

/// A user that may log in with a cookie session or HTTP Basic. The password never appears in
/// `Debug` output.
///
/// ```
/// use tasklist_testkit::config::User;
/// let user = User::new("demo", "demo");
/// assert_eq!(user.username, "demo");
/// assert!(!format!("{user:?}").contains("password: \"demo\""));
/// ```
#[non_exhaustive]
#[derive(Clone, PartialEq, Eq)]
pub struct User {
    /// The login name; also the assignee of tasks the user assigns to themself.
    pub username: String,
    /// The password.
    pub password: String,
}

impl User {
    /// A user with these credentials.
    ///
    /// ```
    /// use tasklist_testkit::config::User;
    /// assert_eq!(User::new("ann", "pw").password, "pw");
    /// ```
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        User {
            username: username.into(),
            password: password.into(),
        }
    }
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// An OAuth client allowed to obtain tokens with `client_credentials`. The secret never appears
/// in `Debug` output.
///
/// ```
/// use tasklist_testkit::config::OAuthClient;
/// let client = OAuthClient::new("worker", "s3cret", "tasklist-api");
/// assert_eq!(client.audience, "tasklist-api");
/// assert!(!format!("{client:?}").contains("s3cret"));
/// ```
#[non_exhaustive]
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthClient {
    /// The `client_id`; also the token's `sub`.
    pub client_id: String,
    /// The `client_secret`.
    pub client_secret: String,
    /// The audience the client may ask for (the token's `aud`). A request naming another
    /// audience is refused; a request naming none gets this one.
    pub audience: String,
}

impl OAuthClient {
    /// A client with these credentials and audience.
    ///
    /// ```
    /// use tasklist_testkit::config::OAuthClient;
    /// assert_eq!(OAuthClient::new("id", "secret", "aud").client_id, "id");
    /// ```
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        audience: impl Into<String>,
    ) -> Self {
        OAuthClient {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            audience: audience.into(),
        }
    }
}

impl fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("audience", &self.audience)
            .finish()
    }
}

/// The whole server configuration. Build it with
/// [`TestServer::builder`](crate::TestServer::builder); read it back with
/// [`ServerHandle::config`](crate::ServerHandle::config).
///
/// ```
/// use tasklist_testkit::config::{AuthMode, Config, Profile};
///
/// let config = Config::default();
/// assert_eq!(config.profile, Profile::V8_7);
/// assert_eq!(config.auth, AuthMode::OAuth);
/// assert_eq!(config.truncation_threshold, 8191);
/// assert_eq!(config.users[0].username, "demo");
/// assert_eq!(config.clients[0].audience, "tasklist-api");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone)]
pub struct Config {
    /// The server version imitated.
    pub profile: Profile,
    /// The credentials the API endpoints accept.
    pub auth: AuthMode,
    /// Variable values longer than this many characters are truncated in search results.
    pub truncation_threshold: usize,
    /// Users for cookie login and HTTP Basic. Default: `demo`/`demo`.
    pub users: Vec<User>,
    /// OAuth clients for the token endpoint. Default: `tasklist`/`tasklist-secret` with audience
    /// `tasklist-api`.
    pub clients: Vec<OAuthClient>,
    /// The lifetime of issued access tokens (`exp - iat`, and `expires_in`).
    pub token_lifetime: Duration,
    /// The lifetime of cookie sessions; `None` keeps them until logout or
    /// [`expire_sessions`](crate::ServerHandle::expire_sessions).
    pub session_lifetime: Option<Duration>,
    /// The `iss` claim of issued tokens.
    pub issuer: String,
    /// The audience the API endpoints require in a bearer token's `aud` claim (the real
    /// server's `camunda.tasklist.client.audience`). Default: `tasklist-api`.
    pub api_audience: String,
    /// How many tasks the deterministic seed generator creates at start (0: an empty store).
    pub seed_tasks: usize,
    /// The seed of the generator: the same seed and count give the same tasks.
    pub seed: u64,
    /// A path prefix (for example `/physical-tenants/abc`) under which every API route (v1, v2)
    /// and the login and logout endpoints are served; empty (the default) serves them at the
    /// root. The token endpoint stays at the root. Origin: FACTS §3.4 (8.10 physical tenants,
    /// `/physical-tenants/{id}/v2/...`).
    pub base_path: String,
    /// How long after a command (assign, unassign, complete, update) the v2 reads (search,
    /// get) still show the task as it was before: Camunda serves reads from secondary storage,
    /// filled by the exporter (origin: FACTS §5). Zero (the default) makes commands visible at
    /// once.
    pub consistency_lag: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            profile: Profile::default(),
            auth: AuthMode::default(),
            truncation_threshold: DEFAULT_TRUNCATION_THRESHOLD,
            users: vec![User::new("demo", "demo")],
            clients: vec![OAuthClient::new(
                "tasklist",
                "tasklist-secret",
                DEFAULT_AUDIENCE,
            )],
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
            session_lifetime: None,
            issuer: "tasklist-testkit".to_owned(),
            api_audience: DEFAULT_AUDIENCE.to_owned(),
            seed_tasks: 0,
            seed: 1,
            base_path: String::new(),
            consistency_lag: Duration::ZERO,
        }
    }
}

impl Config {
    /// The user with this name and password, if configured.
    ///
    /// ```
    /// use tasklist_testkit::config::Config;
    /// let config = Config::default();
    /// assert!(config.user("demo", "demo").is_some());
    /// assert!(config.user("demo", "wrong").is_none());
    /// ```
    pub fn user(&self, username: &str, password: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.username == username && u.password == password)
    }

    /// The OAuth client with this id, if configured.
    ///
    /// ```
    /// use tasklist_testkit::config::Config;
    /// assert!(Config::default().client("tasklist").is_some());
    /// ```
    pub fn client(&self, client_id: &str) -> Option<&OAuthClient> {
        self.clients.iter().find(|c| c.client_id == client_id)
    }
}
