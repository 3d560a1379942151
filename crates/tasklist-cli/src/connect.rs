//! From settings to a client: the transport stack of `tasklist-transport` with the
//! authenticator of `tasklist-auth`, and the `tasklist-api` client on top, speaking the task
//! API the settings pin or the server speaks ([`Connection::api`]).

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use secrecy::SecretString;
use tasklist_api::{Api, ApiVersion, Client, DetectedApi};
use tasklist_auth::{
    AuthConfig, ClientAuthMethod, ClientCredentials, Component, CookieAuth, LoginPath, Strategy,
    TokenCache,
};
use tasklist_transport::{
    Authenticator, HttpTransport, RetryPolicy, SharedTransport, TransportExt as _, is_loopback_host,
};

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

/// The hint context of `settings`.
pub(crate) fn hint_context(settings: &Settings) -> HintContext {
    HintContext {
        strategy: Some(settings.strategy.value),
        base_url: Some(settings.base_url.value.clone()),
        sandbox: settings.sandbox,
    }
}

/// The error for an incomplete or contradictory authentication setting.
fn config_error(error: tasklist_auth::Error, settings: &Settings) -> CliError {
    CliError::auth(
        format!(
            "the {} authentication settings cannot be used",
            settings.strategy.value.name()
        ),
        error,
        &hint_context(settings),
    )
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
    .hint(
        "use an https URL; the opt-in for a trusted network is --allow-insecure-http (or \
         CAMUNDA_AUTH_ALLOW_INSECURE_HTTP=true)",
    ))
}

/// Builds the client `settings` describe.
pub(crate) fn connect(settings: &Settings, purpose: Purpose) -> Result<Connection, CliError> {
    check_base_url_security(settings)?;
    let tls = settings.tls_config()?;
    let user_agent = concat!("tasklist-cli/", env!("CARGO_PKG_VERSION"));
    let http = tls
        .apply_tls(HttpTransport::builder().user_agent(user_agent))
        .build()
        .map_err(|e| CliError::transport("cannot set up HTTP", e))?;
    let plain: SharedTransport = http.clone().into_shared();
    let context = hint_context(settings);

    let (authenticator, handle): (Arc<dyn Authenticator>, AuthHandle) = match settings
        .strategy
        .value
    {
        Strategy::OAuth => oauth(settings, plain)?,
        Strategy::Cookie => cookie(settings, plain, purpose)?,
        strategy => {
            let secret = match strategy {
                Strategy::Basic if settings.password.is_none() => Settings::prompt("Password")?,
                Strategy::Bearer if settings.token.is_none() => Settings::prompt("Bearer token")?,
                _ => None,
            };
            let base = settings.auth_lookup();
            let lookup = |name: &str| match (&secret, name) {
                (Some(s), "CAMUNDA_BASIC_AUTH_PASSWORD" | "CAMUNDA_OAUTH_TOKEN") => {
                    Some(secrecy::ExposeSecret::expose_secret(&s.value).to_owned())
                }
                _ => base(name),
            };
            let config = AuthConfig::from_lookup(Component::Tasklist, lookup)
                .map_err(|e| config_error(e, settings))?;
            let authenticator = config
                .authenticator(plain)
                .map_err(|e| CliError::auth("cannot set up authentication", e, &context))?;
            let handle = match strategy {
                Strategy::Basic => AuthHandle::Basic {
                    username: settings
                        .username
                        .as_ref()
                        .map(|u| u.value.clone())
                        .unwrap_or_default(),
                },
                Strategy::Bearer => AuthHandle::Bearer {
                    token: secret
                        .or_else(|| settings.token.clone())
                        .map(|s| s.value)
                        .unwrap_or_else(|| SecretString::from(String::new())),
                },
                _ => AuthHandle::None,
            };
            (authenticator, handle)
        }
    };

    let transport = http
        .with_tracing()
        .with_authenticator(authenticator)
        .with_retry(RetryPolicy::default())
        .into_shared();
    let cache = api_cache(settings, &handle);
    let cached = cache.as_ref().and_then(ApiCache::read);
    let version = cached
        .as_ref()
        .map_or(settings.api.value, |cached| pin(cached.api));
    let client = Client::builder(&settings.base_url.value)
        .transport(transport)
        .api_version(version)
        .build()
        .map_err(|e| {
            CliError::usage(format!(
                "the base URL `{}` ({}) cannot be used: {e}",
                settings.base_url.value, settings.base_url.source
            ))
            .hint("set an absolute http(s) URL with --base-url or CAMUNDA_TASKLIST_BASE_URL")
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

/// OAuth client credentials with the shared token cache.
fn oauth(
    settings: &Settings,
    plain: SharedTransport,
) -> Result<(Arc<dyn Authenticator>, AuthHandle), CliError> {
    let prompted = match (&settings.client_secret, &settings.client_id) {
        (None, Some(id)) => Settings::prompt(&format!("Client secret for {}", id.value))?,
        _ => None,
    };
    let secret: Option<&Secret> = prompted.as_ref().or(settings.client_secret.as_ref());
    let base = settings.auth_lookup();
    let lookup = |name: &str| match (secret, name) {
        (Some(s), "CAMUNDA_CLIENT_SECRET") => {
            Some(secrecy::ExposeSecret::expose_secret(&s.value).to_owned())
        }
        _ => base(name),
    };
    // The auth crate checks the settings and derives the audience and cache directory.
    let config = AuthConfig::from_lookup(Component::Tasklist, lookup)
        .map_err(|e| config_error(e, settings))?;
    let (Some(secret), Some(client_id), Some(token_url)) =
        (secret, &settings.client_id, &settings.oauth_url)
    else {
        return Err(
            CliError::usage("OAuth needs a client id, a client secret and a token URL")
                .hint("see `tasklist config show`"),
        );
    };
    let mut credentials = ClientCredentials::builder(
        token_url.value.clone(),
        client_id.value.clone(),
        secret.value.clone(),
    )
    .client_auth(ClientAuthMethod::RequestBody)
    .allow_insecure_http(settings.allow_insecure_http.value);
    if let Some(audience) = config.audience() {
        credentials = credentials.audience(audience);
    }
    if let Some(scope) = &settings.scope {
        credentials = credentials.scope(scope.value.clone());
    }
    let credentials = credentials
        .build(plain)
        .map_err(|e| CliError::auth("cannot set up OAuth", e, &hint_context(settings)))?;
    let mut cache = TokenCache::builder(Arc::new(credentials));
    if let Some(dir) = config.disk_cache_dir() {
        cache = cache.disk_cache_dir(dir);
    }
    let cache = cache.build();
    let handle = AuthHandle::OAuth {
        cache: cache.clone(),
        token_url: token_url.value.clone(),
        client_id: client_id.value.clone(),
        audience: config.audience().map(str::to_owned),
        disk_cache: config.disk_cache_dir().map(std::path::Path::to_path_buf),
    };
    Ok((Arc::new(cache), handle))
}

/// Where to log in: the login URL's origin and path, or the base URL trying both paths.
fn login_target(settings: &Settings) -> Result<(String, LoginPath), CliError> {
    let Some(login) = &settings.login_url else {
        return Ok((settings.base_url.value.clone(), LoginPath::TryBoth));
    };
    let url = url::Url::parse(&login.value).map_err(|e| {
        CliError::usage(format!(
            "the login URL `{}` ({}) is not a URL: {e}",
            login.value, login.source
        ))
        .hint("set an absolute http(s) URL with --login-url or CAMUNDA_COOKIE_AUTH_URL")
    })?;
    let base = url[..url::Position::BeforePath].to_owned();
    let path = match url.path() {
        "/api/login" => LoginPath::Api,
        "/login" => LoginPath::Root,
        "" | "/" => LoginPath::TryBoth,
        other => LoginPath::Custom(other.to_owned()),
    };
    Ok((base, path))
}

/// A cookie session kept in the session file.
fn cookie(
    settings: &Settings,
    plain: SharedTransport,
    purpose: Purpose,
) -> Result<(Arc<dyn Authenticator>, AuthHandle), CliError> {
    let context = hint_context(settings);
    let Some(username) = &settings.username else {
        return Err(CliError::usage("cookie authentication needs a user name")
            .hint("set CAMUNDA_COOKIE_AUTH_USERNAME or use --username"));
    };
    let (base, login_path) = login_target(settings)?;
    let session_file = settings.session_file().map(|s| s.value);
    // Without a password (and with a session file) the authenticator only reuses the kept
    // session and never logs in.
    let build = |password: Option<SecretString>| {
        let mut builder = CookieAuth::builder(&base)
            .username(username.value.clone())
            .login_path(login_path.clone())
            .allow_insecure_http(settings.allow_insecure_http.value);
        if let Some(password) = password {
            builder = builder.password(password);
        }
        if let Some(file) = &session_file {
            builder = builder.persist_to(file.clone());
        }
        builder
            .build(plain.clone())
            .map_err(|e| CliError::auth("cannot set up the cookie session", e, &context))
    };
    let missing_password = || {
        CliError::usage("cookie authentication needs a password").hint(
            "set CAMUNDA_COOKIE_AUTH_PASSWORD, use --password-file, or run in a terminal to be \
             asked",
        )
    };
    // The authenticator, and the handle that tells whether the session came from the file.
    let connected = |auth: CookieAuth| -> (Arc<dyn Authenticator>, AuthHandle) {
        let restored = auth.is_logged_in();
        let handle = AuthHandle::Cookie {
            auth: auth.clone(),
            session_file: session_file.clone(),
            restored,
        };
        (Arc::new(auth), handle)
    };

    if let Some(password) = &settings.password {
        return Ok(connected(build(Some(password.value.clone()))?));
    }
    if purpose != Purpose::Login {
        // Without a password, a kept session may do; logging out needs no more.
        let auth = build(None)?;
        if purpose == Purpose::Logout || auth.is_logged_in() {
            return Ok(connected(auth));
        }
    }
    match Settings::prompt(&format!("Password for {}", username.value))? {
        Some(password) => Ok(connected(build(Some(password.value))?)),
        None if purpose == Purpose::Call => Err(CliError::new(
            Exit::Auth,
            "not logged in: there is no kept cookie session and no password",
        )
        .hint("run `tasklist auth login`, or set CAMUNDA_COOKIE_AUTH_PASSWORD or --password-file")),
        None => Err(missing_password()),
    }
}
