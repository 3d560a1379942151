//! From settings to a client: the transport stack `tasklist-auth` builds (HTTP, tracing, the
//! authenticator, retries), and the `tasklist-api` client on top, speaking the task
//! API the settings pin or the server speaks ([`Connection::api`]).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use secrecy::SecretString;
use tasklist_api::{Api, ApiVersion, Client, DetectedApi};
use tasklist_auth::{
    AuthConfig, AuthConfigBuilder, Authentication, Component, CookieAuth, Error as AuthError,
    HttpTransport, RetryPolicy, Stack, Strategy, TokenCache, env,
};
use tasklist_transport::is_loopback_host;

use crate::api_cache::ApiCache;
use crate::config::{Secret, Setting, Settings, Source};
use crate::error::{CliError, HintContext};
use crate::exit::Exit;

/// What the connection is for: cookie sessions differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// An API call: a kept session is used, else a login with the password.
    Call,
    /// `auth login`: the password is needed.
    Login,
    /// `auth logout`: no password is needed.
    Logout,
}

/// The authenticator in use, for the commands that look at it (`auth …`).
pub(crate) enum AuthHandle {
    /// OAuth client credentials.
    OAuth {
        /// The token cache.
        cache: TokenCache,
        /// The token endpoint.
        token_url: String,
        /// The client id.
        client_id: String,
        /// The audience asked for.
        audience: Option<String>,
        /// The disk cache directory, when tokens are cached on disk.
        disk_cache: Option<PathBuf>,
    },
    /// A cookie session.
    Cookie {
        /// The session.
        auth: CookieAuth,
        /// Where the session is kept.
        session_file: Option<PathBuf>,
        /// Whether a kept session was loaded from the file.
        restored: bool,
    },
    /// HTTP Basic.
    Basic {
        /// The user name.
        username: String,
    },
    /// A static bearer token.
    Bearer {
        /// The token.
        token: SecretString,
    },
    /// No authentication.
    None,
}

/// A client and its authenticator.
pub(crate) struct Connection {
    /// The API client.
    pub(crate) client: Client,
    /// The authenticator.
    pub(crate) auth: AuthHandle,
    /// How the task API is chosen.
    api: ApiChoice,
}

/// What decides the task API of a connection.
struct ApiChoice {
    /// The `--api` setting.
    setting: Setting<ApiVersion>,
    /// The detection cache entry, with `auto` and a token disk cache.
    cache: Option<ApiCache>,
    /// What the cache held when the connection was made (the client is pinned to it).
    cached: Option<DetectedApi>,
    /// For the error of a failed detection.
    hints: HintContext,
    /// The answer, once known.
    chosen: OnceLock<ChosenApi>,
}

/// The task API a connection uses and how it was chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ChosenApi {
    /// The API, and the version the server reported when it was asked (now or earlier).
    pub(crate) detected: DetectedApi,
    /// Where the choice came from.
    pub(crate) origin: ApiOrigin,
}

/// Where a [`ChosenApi`] came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ApiOrigin {
    /// Pinned by `--api`, `TASKLIST_API` or the profile's `api`.
    Setting(Source),
    /// The detection cache file, written by an earlier command.
    Cache(PathBuf),
    /// Asked the server now (`GET /v2/topology`).
    Server,
}

impl fmt::Display for ApiOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiOrigin::Setting(source) => write!(f, "{source}"),
            ApiOrigin::Cache(file) => write!(f, "cache {}", file.display()),
            ApiOrigin::Server => f.write_str("server (GET /v2/topology)"),
        }
    }
}

impl Connection {
    /// The task API to use: the one `--api` pins; else the one the detection cache holds;
    /// else the server is asked (once per connection) and the answer is kept in the cache.
    /// A cache that cannot be written is no failure: the next command asks again.
    ///
    /// # Errors
    ///
    /// The server could not be asked (authentication, network, a `5xx`), with the exit code
    /// and hints of any failed API call.
    pub(crate) async fn api(&self) -> Result<ChosenApi, CliError> {
        let choice = &self.api;
        if let Some(chosen) = choice.chosen.get() {
            return Ok(chosen.clone());
        }
        let chosen = if let Some(api) = choice.setting.value.pinned() {
            ChosenApi {
                detected: DetectedApi::pinned(api),
                origin: ApiOrigin::Setting(choice.setting.source.clone()),
            }
        } else if let (Some(cached), Some(cache)) = (&choice.cached, &choice.cache) {
            ChosenApi {
                detected: cached.clone(),
                origin: ApiOrigin::Cache(cache.path().to_path_buf()),
            }
        } else {
            let detected = self.client.api().await.map_err(|e| {
                CliError::api(
                    "cannot find out which task API the server speaks",
                    e,
                    &choice.hints,
                )
            })?;
            if let Some(cache) = &choice.cache {
                // Best effort, as the token cache: a read-only directory only costs a request.
                let _ = cache.write(&detected);
            }
            ChosenApi {
                detected,
                origin: ApiOrigin::Server,
            }
        };
        Ok(choice.chosen.get_or_init(|| chosen).clone())
    }
}

/// The version that pins `api`.
fn pin(api: Api) -> ApiVersion {
    match api {
        Api::V1 => ApiVersion::V1,
        Api::V2 => ApiVersion::V2,
        _ => ApiVersion::Auto,
    }
}

/// The detection cache entry for `settings` reached through `handle`: only with `auto` and
/// OAuth tokens cached on disk, in that directory, keyed by the base URL and the identity the
/// token cache uses.
fn api_cache(settings: &Settings, handle: &AuthHandle) -> Option<ApiCache> {
    if settings.api.value != ApiVersion::Auto {
        return None;
    }
    if let AuthHandle::Cookie {
        session_file: Some(file),
        ..
    } = handle
    {
        // Beside the kept session, keyed by the base URL and the user.
        let username = settings.username.as_ref().map_or("", |u| u.value.as_str());
        let dir = file.parent()?;
        return Some(ApiCache::new(
            dir,
            &settings.base_url.value,
            &["cookie", username],
        ));
    }
    let AuthHandle::OAuth {
        token_url,
        client_id,
        audience,
        disk_cache: Some(dir),
        ..
    } = handle
    else {
        return None;
    };
    let scope = settings.scope.as_ref().map_or("", |s| s.value.as_str());
    Some(ApiCache::new(
        dir,
        &settings.base_url.value,
        &[
            "oauth",
            token_url,
            client_id,
            audience.as_deref().unwrap_or(""),
            scope,
        ],
    ))
}

/// Refuses to send credentials to a Tasklist at a plain `http://` URL on a host that is not
/// loopback, unless the user opted in: the token, the session or the password would cross the
/// network readable by anyone on the path.
fn check_base_url_security(settings: &Settings) -> Result<(), CliError> {
    if settings.strategy.value == Strategy::None || settings.allow_insecure_http.value {
        return Ok(());
    }
    let Ok(url) = url::Url::parse(&settings.base_url.value) else {
        // Client::new reports an unusable URL with its own words.
        return Ok(());
    };
    let host = url.host_str().unwrap_or_default();
    if url.scheme() != "http" || is_loopback_host(host) {
        return Ok(());
    }
    Err(CliError::usage(format!(
        "refusing to send the {} credentials over plain http to {host} ({}, {}); nothing was sent",
        settings.strategy.value.name(),
        settings.base_url.value,
        settings.base_url.source
    ))
    .hint(format!(
        "use an https URL; the opt-in for a trusted network is --allow-insecure-http (or \
         {}=true)",
        env::AUTH_ALLOW_INSECURE_HTTP
    )))
}

/// The user agent of every request.
const USER_AGENT: &str = concat!("tasklist-cli/", env!("CARGO_PKG_VERSION"));

/// The transport stack of `config`: HTTP with the TLS settings, tracing, the authenticator,
/// retries.
fn stack(settings: &Settings, config: &AuthConfig) -> Result<Stack, CliError> {
    config
        .stack(HttpTransport::builder().user_agent(USER_AGENT))
        .retry(RetryPolicy::default())
        .build()
        .map_err(|error| match error {
            AuthError::HttpSetup { source } => CliError::transport("cannot set up HTTP", source),
            error => {
                let what = match settings.strategy.value {
                    Strategy::OAuth => "cannot set up OAuth",
                    Strategy::Cookie => "cannot set up the cookie session",
                    _ => "cannot set up authentication",
                };
                CliError::auth(what, error, &settings.hints())
            }
        })
}

/// Builds the client `settings` describe.
pub(crate) fn connect(settings: &Settings, purpose: Purpose) -> Result<Connection, CliError> {
    check_base_url_security(settings)?;
    let base = settings.auth_base()?;
    let (config, stack, prompted) = match settings.strategy.value {
        Strategy::Cookie => {
            let (config, stack) = cookie(settings, base, purpose)?;
            (config, stack, None)
        }
        strategy => {
            let prompted = match strategy {
                Strategy::OAuth => match (&settings.client_secret, &settings.client_id) {
                    (None, Some(id)) => {
                        Settings::prompt(&format!("Client secret for {}", id.value))?
                    }
                    _ => None,
                },
                Strategy::Basic if settings.password.is_none() => Settings::prompt("Password")?,
                Strategy::Bearer if settings.token.is_none() => Settings::prompt("Bearer token")?,
                _ => None,
            };
            let config = settings.auth_config(base, prompted.as_ref())?;
            let stack = stack(settings, &config)?;
            (config, stack, prompted)
        }
    };
    let handle = handle(settings, &config, &stack, prompted);
    let context = settings.hints();
    let cache = api_cache(settings, &handle);
    let cached = cache.as_ref().and_then(ApiCache::read);
    let version = cached
        .as_ref()
        .map_or(settings.api.value, |cached| pin(cached.api));
    let client = Client::builder(&settings.base_url.value)
        .transport(stack.transport())
        .api_version(version)
        .build()
        .map_err(|e| {
            CliError::usage(format!(
                "the base URL `{}` ({}) cannot be used: {e}",
                settings.base_url.value, settings.base_url.source
            ))
            .hint(format!(
                "set an absolute http(s) URL with --base-url or {}",
                Component::Tasklist.base_url_variable()
            ))
            .source(e)
        })?;
    Ok(Connection {
        client,
        auth: handle,
        api: ApiChoice {
            setting: settings.api.clone(),
            cache,
            cached,
            hints: context,
            chosen: OnceLock::new(),
        },
    })
}

/// The handle of the authenticator inside `stack`, for the commands that look at it.
fn handle(
    settings: &Settings,
    config: &AuthConfig,
    stack: &Stack,
    prompted: Option<Secret>,
) -> AuthHandle {
    let text = |setting: &Option<Setting<String>>| {
        setting
            .as_ref()
            .map(|s| s.value.clone())
            .unwrap_or_default()
    };
    match stack.authentication() {
        Authentication::OAuth(cache) => AuthHandle::OAuth {
            cache: cache.clone(),
            token_url: text(&settings.oauth_url),
            client_id: text(&settings.client_id),
            audience: config.audience().map(str::to_owned),
            disk_cache: config.disk_cache_dir().map(Path::to_path_buf),
        },
        Authentication::Cookie(session) => AuthHandle::Cookie {
            auth: session.clone(),
            session_file: settings.session_file().map(|s| s.value),
            restored: session.is_logged_in(),
        },
        Authentication::Basic(_) => AuthHandle::Basic {
            username: text(&settings.username),
        },
        Authentication::Bearer(_) => AuthHandle::Bearer {
            token: prompted
                .or_else(|| settings.token.clone())
                .map_or_else(|| SecretString::from(String::new()), |s| s.value),
        },
        _ => AuthHandle::None,
    }
}

/// A cookie session kept in the session file: with the password when one is set; else the
/// kept session when there is one (or for a logout, which needs no more); else with a
/// password typed at a prompt.
fn cookie(
    settings: &Settings,
    base: AuthConfigBuilder,
    purpose: Purpose,
) -> Result<(AuthConfig, Stack), CliError> {
    // Without a password (and with a session file) the authenticator only reuses the kept
    // session and never logs in.
    let config = settings.auth_config(base.clone(), None)?;
    if settings.password.is_some() {
        let stack = stack(settings, &config)?;
        return Ok((config, stack));
    }
    if purpose != Purpose::Login {
        let stack = stack(settings, &config)?;
        let kept = matches!(
            stack.authentication(),
            Authentication::Cookie(session) if session.is_logged_in()
        );
        if purpose == Purpose::Logout || kept {
            return Ok((config, stack));
        }
    }
    let username = settings.username.as_ref().map_or("", |u| u.value.as_str());
    match Settings::prompt(&format!("Password for {username}"))? {
        Some(password) => {
            let config = settings.auth_config(base, Some(&password))?;
            let stack = stack(settings, &config)?;
            Ok((config, stack))
        }
        None if purpose == Purpose::Call => Err(CliError::new(
            Exit::Auth,
            "not logged in: there is no kept cookie session and no password",
        )
        .hint(format!(
            "run `tasklist auth login`, or set {} or --password-file",
            env::COOKIE_AUTH_PASSWORD
        ))),
        None => Err(
            CliError::usage("cookie authentication needs a password").hint(format!(
                "set {}, use --password-file, or run in a terminal to be asked",
                env::COOKIE_AUTH_PASSWORD
            )),
        ),
    }
}
