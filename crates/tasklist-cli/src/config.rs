//! Settings: flags, then the environment, then the profile of the config file, then defaults,
//! each value remembering where it came from.
//!
//! The config file (`<config dir>/tasklist/config.toml`, or `--config`/`TASKLIST_CONFIG`):
//!
//! ```toml
//! default_profile = "dev"
//!
//! [profiles.dev]
//! base_url = "https://dev.example.com/tasklist"
//! auth = "oauth"
//! client_id = "tasklist-cli"
//! client_secret_file = "~/.config/tasklist/dev-secret"
//! oauth_url = "https://login.example.com/realms/camunda-platform/protocol/openid-connect/token"
//! api = "auto"
//! ```
//!
//! Secrets themselves are never read from the config file, only the paths of files holding
//! them (`client_secret_file`, `password_file`, `token_file`).

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret as _, SecretString};
use serde::Deserialize;
use sha2::{Digest as _, Sha256};
use tasklist_api::ApiVersion;
use tasklist_auth::{AuthConfig, Component, Strategy};

use crate::cli::{AuthArg, Format, GlobalArgs};
use crate::error::CliError;

/// The base URL when none is set.
pub(crate) const DEFAULT_BASE_URL: &str = "http://localhost:8080";

/// Where a setting's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// A command-line flag; for secrets, the file it named.
    Flag {
        /// The flag, e.g. `--base-url`.
        flag: &'static str,
        /// The file the secret was read from.
        file: Option<PathBuf>,
    },
    /// An environment variable.
    Env(&'static str),
    /// A profile of the config file; for secrets, the file its key named.
    Profile {
        /// The profile's name.
        name: String,
        /// The config file.
        config: PathBuf,
        /// The file the secret was read from.
        file: Option<PathBuf>,
    },
    /// The default, with what it was derived from.
    Default(Option<String>),
    /// Inferred from other settings.
    Inferred(String),
    /// The built-in sandbox.
    Sandbox,
    /// Typed at a prompt.
    Prompt,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag { flag, file } => {
                write!(f, "flag {flag}")?;
                if let Some(file) = file {
                    write!(f, " (file {})", file.display())?;
                }
                Ok(())
            }
            Source::Env(var) => write!(f, "env {var}"),
            Source::Profile { name, config, file } => {
                write!(f, "profile {name} in {}", config.display())?;
                if let Some(file) = file {
                    write!(f, " (file {})", file.display())?;
                }
                Ok(())
            }
            Source::Default(None) => f.write_str("default"),
            Source::Default(Some(why)) => write!(f, "default ({why})"),
            Source::Inferred(why) => write!(f, "inferred from {why}"),
            Source::Sandbox => f.write_str("sandbox"),
            Source::Prompt => f.write_str("prompt"),
        }
    }
}

/// A value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Setting<T> {
    /// The value.
    pub(crate) value: T,
    /// Where it came from.
    pub(crate) source: Source,
}

impl<T> Setting<T> {
    fn new(value: T, source: Source) -> Self {
        Setting { value, source }
    }
}

/// A secret and where it came from. `Debug` never shows the secret.
#[derive(Clone)]
pub(crate) struct Secret {
    /// The secret.
    pub(crate) value: SecretString,
    /// Where it came from.
    pub(crate) source: Source,
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secret")
            .field("value", &"<redacted>")
            .field("source", &self.source)
            .finish()
    }
}

/// The connection the built-in sandbox offers.
#[derive(Clone, Debug)]
pub(crate) struct SandboxSettings {
    /// The sandbox's base URL.
    pub(crate) base_url: String,
    /// Its token endpoint.
    pub(crate) token_url: String,
    /// The OAuth client id.
    pub(crate) client_id: String,
    /// The OAuth client secret (a demo value).
    pub(crate) client_secret: String,
    /// The audience.
    pub(crate) audience: String,
    /// The temporary token cache directory, if any.
    pub(crate) token_cache_dir: Option<PathBuf>,
}

/// One profile of the config file. No `Debug`: it may hold a secret written inline by
/// mistake (`client_secret`, `password`, `token`), which is refused, never shown.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    base_url: Option<String>,
    auth: Option<String>,
    client_id: Option<String>,
    client_secret_file: Option<PathBuf>,
    oauth_url: Option<String>,
    audience: Option<String>,
    scope: Option<String>,
    token_cache_dir: Option<PathBuf>,
    token_cache: Option<bool>,
    username: Option<String>,
    password_file: Option<PathBuf>,
    login_url: Option<String>,
    session_file: Option<PathBuf>,
    token_file: Option<PathBuf>,
    ca_cert: Option<PathBuf>,
    client_cert: Option<PathBuf>,
    client_key: Option<PathBuf>,
    allow_insecure_http: Option<bool>,
    output: Option<String>,
    api: Option<String>,
    // Accepted only to refuse them with a clear message.
    client_secret: Option<toml::Value>,
    password: Option<toml::Value>,
    token: Option<toml::Value>,
}

/// The config file (no `Debug`, as [`Profile`]).
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    default_profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// The config file and the profile found in it.
struct LoadedProfile {
    config_file: Option<Setting<PathBuf>>,
    config_file_read: bool,
    requested: Option<Setting<String>>,
    active: Option<ActiveProfile>,
}

/// The profile in use, with its file.
struct ActiveProfile {
    name: String,
    config: PathBuf,
    profile: Profile,
}

/// Every setting of the tool, resolved.
#[derive(Debug)]
pub(crate) struct Settings {
    /// The config file, whether or not it exists.
    pub(crate) config_file: Option<Setting<PathBuf>>,
    /// Whether the config file was read.
    pub(crate) config_file_read: bool,
    /// The profile in use.
    pub(crate) profile: Option<Setting<String>>,
    /// The Tasklist base URL.
    pub(crate) base_url: Setting<String>,
    /// The authentication strategy.
    pub(crate) strategy: Setting<Strategy>,
    /// OAuth client id.
    pub(crate) client_id: Option<Setting<String>>,
    /// OAuth client secret.
    pub(crate) client_secret: Option<Secret>,
    /// OAuth token URL.
    pub(crate) oauth_url: Option<Setting<String>>,
    /// OAuth audience, when set (else the auth crate's default).
    pub(crate) audience: Option<Setting<String>>,
    /// OAuth scope.
    pub(crate) scope: Option<Setting<String>>,
    /// The token cache directory, when set.
    pub(crate) token_cache_dir: Option<Setting<PathBuf>>,
    /// Whether tokens are cached on disk.
    pub(crate) token_cache: Setting<bool>,
    /// User name (cookie or Basic).
    pub(crate) username: Option<Setting<String>>,
    /// Password (cookie or Basic).
    pub(crate) password: Option<Secret>,
    /// Cookie login URL, when set.
    pub(crate) login_url: Option<Setting<String>>,
    /// The session file, when set.
    pub(crate) session_file: Option<Setting<PathBuf>>,
    /// A static bearer token.
    pub(crate) token: Option<Secret>,
    /// Extra root certificates.
    pub(crate) ca_cert: Option<Setting<PathBuf>>,
    /// Client certificate chain.
    pub(crate) client_cert: Option<Setting<PathBuf>>,
    /// Client key.
    pub(crate) client_key: Option<Setting<PathBuf>>,
    /// Whether secrets may go over plain http to remote hosts.
    pub(crate) allow_insecure_http: Setting<bool>,
    /// The output format, when set.
    pub(crate) output: Option<Setting<Format>>,
    /// The task API: pinned, or `auto` to ask the server.
    pub(crate) api: Setting<ApiVersion>,
    /// Whether the built-in sandbox is in use.
    pub(crate) sandbox: bool,
}

/// Reads environment variables; empty values count as unset.
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

fn env_var(env: Env<'_>, name: &str) -> Option<String> {
    env(name)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The first of two alias variables that is set; both set to different values is an error.
fn env_alias(
    env: Env<'_>,
    first: &'static str,
    second: &'static str,
) -> Result<Option<(String, &'static str)>, CliError> {
    match (env_var(env, first), env_var(env, second)) {
        (Some(a), Some(b)) if a != b => Err(CliError::usage(format!(
            "{first} and {second} are both set, to different values"
        ))
        .hint("unset one of them, or override both with a flag")),
        (Some(a), _) => Ok(Some((a, first))),
        (None, Some(b)) => Ok(Some((b, second))),
        (None, None) => Ok(None),
    }
}

fn parse_bool(text: &str, what: &str) -> Result<bool, CliError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => Err(CliError::usage(format!(
            "{what} is `{other}`; expected true or false"
        ))),
    }
}

fn parse_strategy(text: &str, what: &str) -> Result<Strategy, CliError> {
    Strategy::parse(text).map_err(|_| {
        CliError::usage(format!(
            "{what} is `{text}`; expected one of oauth, cookie, basic, bearer, none"
        ))
    })
}

fn strategy_of(arg: AuthArg) -> Strategy {
    match arg {
        AuthArg::Oauth => Strategy::OAuth,
        AuthArg::Cookie => Strategy::Cookie,
        AuthArg::Basic => Strategy::Basic,
        AuthArg::Bearer => Strategy::Bearer,
        AuthArg::None => Strategy::None,
    }
}

/// `path` with a leading `~/` expanded and, when relative, taken from `base`'s directory.
fn expand(path: &Path, base: Option<&Path>) -> PathBuf {
    if let Ok(rest) = path.strip_prefix("~")
        && let Some(home) = dirs::home_dir()
    {
        return home.join(rest);
    }
    match base.and_then(Path::parent) {
        Some(dir) if path.is_relative() => dir.join(path),
        _ => path.to_path_buf(),
    }
}

/// Reads a secret from `path`: the whole file without its trailing line break.
fn read_secret_file(path: &Path, what: &str, via: &str) -> Result<SecretString, CliError> {
    let text = fs::read_to_string(path).map_err(|e| {
        CliError::usage(format!(
            "cannot read the {what} from {} ({via}): {e}",
            path.display()
        ))
    })?;
    let trimmed = text.trim_end_matches(['\n', '\r']);
    if trimmed.is_empty() {
        return Err(CliError::usage(format!(
            "the {what} file {} ({via}) is empty",
            path.display()
        )));
    }
    Ok(SecretString::from(trimmed.to_owned()))
}

/// The default config file.
pub(crate) fn default_config_file() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("tasklist").join("config.toml"))
}

impl Settings {
    /// Resolves every setting from `flags`, the environment `env`, and the config file; with
    /// `sandbox`, the connection comes from the sandbox and neither the config file nor the
    /// connection variables are read.
    pub(crate) fn resolve(
        flags: &GlobalArgs,
        env: Env<'_>,
        sandbox: Option<&SandboxSettings>,
    ) -> Result<Settings, CliError> {
        let output = resolve_output(flags, env, None)?;
        if let Some(sandbox) = sandbox {
            // The sandbox replaces the connection, but a profile asked for must still exist:
            // a mistyped name (or a version meant for --sandbox-version) is not ignored.
            if flags.profile.is_some() || env_var(env, "TASKLIST_PROFILE").is_some() {
                Settings::load_profile(flags, env, true)?;
            }
            let api = resolve_api(flags, env, None)?;
            return Ok(Settings::of_sandbox(sandbox, output, api));
        }
        let loaded = Settings::load_profile(flags, env, false)?;
        let resolver = Resolver {
            flags,
            env,
            profile: loaded.active.as_ref(),
        };
        resolver.settings(
            loaded.config_file,
            loaded.config_file_read,
            loaded.requested,
            output,
        )
    }

    /// Finds the config file and reads the profile in use from it: the one asked for (an
    /// error when the file lacks it), else the file's `default_profile`. `sandbox`: the
    /// profile is only checked, and a missing one named like a Camunda version gets a hint
    /// at `--sandbox-version`.
    fn load_profile(
        flags: &GlobalArgs,
        env: Env<'_>,
        sandbox: bool,
    ) -> Result<LoadedProfile, CliError> {
        // The config file and profile.
        let (config_file, explicit) = match (&flags.config, env_var(env, "TASKLIST_CONFIG")) {
            (Some(path), _) => (
                Some(Setting::new(
                    path.clone(),
                    Source::Flag {
                        flag: "--config",
                        file: None,
                    },
                )),
                true,
            ),
            (None, Some(path)) => (
                Some(Setting::new(
                    PathBuf::from(path),
                    Source::Env("TASKLIST_CONFIG"),
                )),
                true,
            ),
            (None, None) => (
                default_config_file().map(|p| Setting::new(p, Source::Default(None))),
                false,
            ),
        };
        let file = match &config_file {
            Some(path) => read_config_file(&path.value, explicit)?,
            None => None,
        };
        let config_file_read = file.is_some();
        let requested = match (&flags.profile, env_var(env, "TASKLIST_PROFILE")) {
            (Some(name), _) => Some(Setting::new(
                name.clone(),
                Source::Flag {
                    flag: "--profile",
                    file: None,
                },
            )),
            (None, Some(name)) => Some(Setting::new(name, Source::Env("TASKLIST_PROFILE"))),
            (None, None) => match (&file, &config_file) {
                (Some(file), Some(path)) => file.default_profile.clone().map(|name| {
                    Setting::new(
                        name,
                        Source::Default(Some(format!(
                            "default_profile in {}",
                            path.value.display()
                        ))),
                    )
                }),
                _ => None,
            },
        };
        let mut active = None;
        if let Some(requested) = &requested {
            // What a sandbox user who meant a version should read.
            let version_hint = |hint: String| {
                let name = &requested.value;
                if sandbox
                    && <crate::cli::SandboxVersion as clap::ValueEnum>::from_str(name, true).is_ok()
                {
                    format!(
                        "{hint}; --profile names a profile of the config file: to run the \
                         sandbox as Camunda {name}, use --sandbox-version {name}"
                    )
                } else {
                    hint
                }
            };
            let path = config_file.as_ref().map(|c| c.value.clone());
            let Some((mut file, path)) = file.zip(path.clone()) else {
                return Err(CliError::usage(format!(
                    "profile `{}` ({}) is requested but there is no config file{}",
                    requested.value,
                    requested.source,
                    path.map(|p| format!(" at {}", p.display()))
                        .unwrap_or_default()
                ))
                .hint(version_hint(format!(
                    "create it with a [profiles.{}] table, or name another file with --config",
                    requested.value
                ))));
            };
            let Some(profile) = file.profiles.remove(&requested.value) else {
                let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
                return Err(CliError::usage(format!(
                    "there is no profile `{}` in {} ({})",
                    requested.value,
                    path.display(),
                    requested.source
                ))
                .hint(version_hint(if known.is_empty() {
                    "the file defines no [profiles.NAME] table".to_owned()
                } else {
                    format!("the profiles there are: {}", known.join(", "))
                })));
            };
            check_no_inline_secrets(&profile, &requested.value, &path)?;
            active = Some(ActiveProfile {
                name: requested.value.clone(),
                config: path,
                profile,
            });
        }
        Ok(LoadedProfile {
            config_file,
            config_file_read,
            requested,
            active,
        })
    }

    fn of_sandbox(
        sandbox: &SandboxSettings,
        output: Option<Setting<Format>>,
        api: Setting<ApiVersion>,
    ) -> Settings {
        let s = |value: &str| Some(Setting::new(value.to_owned(), Source::Sandbox));
        Settings {
            config_file: None,
            config_file_read: false,
            profile: None,
            base_url: Setting::new(sandbox.base_url.clone(), Source::Sandbox),
            strategy: Setting::new(Strategy::OAuth, Source::Sandbox),
            client_id: s(&sandbox.client_id),
            client_secret: Some(Secret {
                value: SecretString::from(sandbox.client_secret.clone()),
                source: Source::Sandbox,
            }),
            oauth_url: s(&sandbox.token_url),
            audience: s(&sandbox.audience),
            scope: None,
            token_cache_dir: sandbox
                .token_cache_dir
                .clone()
                .map(|dir| Setting::new(dir, Source::Sandbox)),
            token_cache: Setting::new(sandbox.token_cache_dir.is_some(), Source::Sandbox),
            username: None,
            password: None,
            login_url: None,
            session_file: None,
            token: None,
            ca_cert: None,
            client_cert: None,
            client_key: None,
            allow_insecure_http: Setting::new(false, Source::Sandbox),
            output,
            api,
            sandbox: true,
        }
    }

    /// The variables `tasklist-auth` reads, as these settings set them. `password` stands in
    /// for the password when the caller has one that the settings lack (a prompt).
    pub(crate) fn auth_lookup(&self) -> impl Fn(&str) -> Option<String> + '_ {
        move |name: &str| -> Option<String> {
            let text = |s: &Option<Setting<String>>| s.as_ref().map(|s| s.value.clone());
            let path = |s: &Option<Setting<PathBuf>>| {
                s.as_ref().map(|s| s.value.to_string_lossy().into_owned())
            };
            let secret =
                |s: &Option<Secret>| s.as_ref().map(|s| s.value.expose_secret().to_owned());
            let strategy = self.strategy.value;
            match name {
                "CAMUNDA_AUTH_STRATEGY" => Some(strategy.name().to_owned()),
                "CAMUNDA_CLIENT_ID" => text(&self.client_id),
                "CAMUNDA_CLIENT_SECRET" => secret(&self.client_secret),
                "CAMUNDA_OAUTH_URL" => text(&self.oauth_url),
                "CAMUNDA_TASKLIST_OAUTH_AUDIENCE" => text(&self.audience),
                "CAMUNDA_TOKEN_SCOPE" => text(&self.scope),
                "CAMUNDA_TOKEN_CACHE_DIR" => path(&self.token_cache_dir),
                "CAMUNDA_TOKEN_DISK_CACHE_DISABLE" => Some((!self.token_cache.value).to_string()),
                "CAMUNDA_OAUTH_TOKEN" => secret(&self.token),
                "CAMUNDA_COOKIE_AUTH_URL" => Some(self.login_url_or_base()),
                "CAMUNDA_COOKIE_AUTH_USERNAME" if strategy == Strategy::Cookie => {
                    text(&self.username)
                }
                "CAMUNDA_COOKIE_AUTH_PASSWORD" if strategy == Strategy::Cookie => {
                    secret(&self.password)
                }
                "CAMUNDA_BASIC_AUTH_USERNAME" if strategy == Strategy::Basic => {
                    text(&self.username)
                }
                "CAMUNDA_BASIC_AUTH_PASSWORD" if strategy == Strategy::Basic => {
                    secret(&self.password)
                }
                "CAMUNDA_CUSTOM_ROOT_CERT_PATH" => path(&self.ca_cert),
                "CAMUNDA_CUSTOM_CERT_CHAIN_PATH" => path(&self.client_cert),
                "CAMUNDA_CUSTOM_PRIVATE_KEY_PATH" => path(&self.client_key),
                "CAMUNDA_AUTH_ALLOW_INSECURE_HTTP" => {
                    Some(self.allow_insecure_http.value.to_string())
                }
                _ => None,
            }
        }
    }

    /// The TLS part of the settings alone (no credentials), for building the transport.
    pub(crate) fn tls_config(&self) -> Result<AuthConfig, CliError> {
        let all = self.auth_lookup();
        AuthConfig::from_lookup(Component::Tasklist, |name| match name {
            "CAMUNDA_CUSTOM_ROOT_CERT_PATH"
            | "CAMUNDA_CUSTOM_CERT_CHAIN_PATH"
            | "CAMUNDA_CUSTOM_PRIVATE_KEY_PATH" => all(name),
            "CAMUNDA_AUTH_STRATEGY" => Some("NONE".to_owned()),
            _ => None,
        })
        .map_err(|e| {
            let message = e.to_string();
            CliError::usage(message).source(e)
        })
    }

    /// The cookie login URL, or the base URL when none is set.
    pub(crate) fn login_url_or_base(&self) -> String {
        self.login_url
            .as_ref()
            .map_or_else(|| self.base_url.value.clone(), |s| s.value.clone())
    }

    /// The session file for the cookie session of `username`: the one set, or one per
    /// server and user under the state (or cache) directory.
    pub(crate) fn session_file(&self) -> Option<Setting<PathBuf>> {
        if let Some(set) = &self.session_file {
            return Some(set.clone());
        }
        let username = self.username.as_ref()?;
        let dir = dirs::state_dir().or_else(dirs::cache_dir)?;
        let mut hash = Sha256::new();
        hash.update(self.login_url_or_base().trim_end_matches('/').as_bytes());
        hash.update(b"\n");
        hash.update(username.value.as_bytes());
        let digest = hex::encode(hash.finalize());
        let name = format!("session-{}.json", &digest[..16]);
        Some(Setting::new(
            dir.join("tasklist").join("sessions").join(name),
            Source::Default(Some("one per server and user".to_owned())),
        ))
    }

    /// The output format: the one set, else a table on a terminal and JSON otherwise.
    pub(crate) fn output_format(&self) -> Setting<Format> {
        match &self.output {
            Some(set) => set.clone(),
            None if std::io::stdout().is_terminal() => Setting::new(
                Format::Table,
                Source::Default(Some("stdout is a terminal".to_owned())),
            ),
            None => Setting::new(
                Format::Json,
                Source::Default(Some("stdout is not a terminal".to_owned())),
            ),
        }
    }

    /// The settings as rows for `config show`, secrets redacted.
    pub(crate) fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        let mut add = |key: &'static str, value: Option<String>, source: Option<String>| {
            rows.push(Row { key, value, source });
        };
        let shown = |s: &Option<Setting<String>>| {
            (
                s.as_ref().map(|s| s.value.clone()),
                s.as_ref().map(|s| s.source.to_string()),
            )
        };
        let shown_path = |s: &Option<Setting<PathBuf>>| {
            (
                s.as_ref().map(|s| s.value.display().to_string()),
                s.as_ref().map(|s| s.source.to_string()),
            )
        };
        let redacted = |s: &Option<Secret>| {
            (
                s.as_ref().map(|s| format!("<set, from {}>", s.source)),
                s.as_ref().map(|s| s.source.to_string()),
            )
        };
        let (value, source) = shown_path(&self.config_file);
        let value = value.map(|v| {
            if self.config_file_read {
                v
            } else {
                format!("{v} (not found)")
            }
        });
        add("configFile", value, source);
        let (value, source) = shown(&self.profile);
        add("profile", value, source);
        add(
            "baseUrl",
            Some(self.base_url.value.clone()),
            Some(self.base_url.source.to_string()),
        );
        add(
            "api",
            Some(self.api.value.to_string()),
            Some(self.api.source.to_string()),
        );
        add(
            "auth",
            Some(self.strategy.value.name().to_owned()),
            Some(self.strategy.source.to_string()),
        );
        let (value, source) = shown(&self.client_id);
        add("clientId", value, source);
        let (value, source) = redacted(&self.client_secret);
        add("clientSecret", value, source);
        let (value, source) = shown(&self.oauth_url);
        add("oauthUrl", value, source);
        let (value, source) = match &self.audience {
            Some(set) => (Some(set.value.clone()), Some(set.source.to_string())),
            None => match self
                .effective_auth()
                .as_ref()
                .and_then(AuthConfig::audience)
            {
                Some(audience) => (
                    Some(audience.to_owned()),
                    Some(Source::Default(Some("from the token URL".to_owned())).to_string()),
                ),
                None => (None, None),
            },
        };
        add("audience", value, source);
        let (value, source) = shown(&self.scope);
        add("scope", value, source);
        let (value, source) = match &self.token_cache_dir {
            Some(set) => (
                Some(set.value.display().to_string()),
                Some(set.source.to_string()),
            ),
            None => (
                tasklist_auth::DiskCache::default_dir().map(|d| d.display().to_string()),
                Some(Source::Default(None).to_string()),
            ),
        };
        add("tokenCacheDir", value, source);
        add(
            "tokenCache",
            Some(self.token_cache.value.to_string()),
            Some(self.token_cache.source.to_string()),
        );
        let (value, source) = shown(&self.username);
        add("username", value, source);
        let (value, source) = redacted(&self.password);
        add("password", value, source);
        let (value, source) = match &self.login_url {
            Some(set) => (Some(set.value.clone()), Some(set.source.to_string())),
            None if self.strategy.value == Strategy::Cookie => (
                Some(format!(
                    "{}/api/login, then {}/login",
                    self.base_url.value.trim_end_matches('/'),
                    self.base_url.value.trim_end_matches('/')
                )),
                Some(Source::Default(Some("from the base URL".to_owned())).to_string()),
            ),
            None => (None, None),
        };
        add("loginUrl", value, source);
        let session_file = match self.strategy.value {
            Strategy::Cookie => self.session_file(),
            _ => self.session_file.clone(),
        };
        let (value, source) = shown_path(&session_file);
        add("sessionFile", value, source);
        let (value, source) = redacted(&self.token);
        add("token", value, source);
        let (value, source) = shown_path(&self.ca_cert);
        add("caCert", value, source);
        let (value, source) = shown_path(&self.client_cert);
        add("clientCert", value, source);
        let (value, source) = shown_path(&self.client_key);
        add("clientKey", value, source);
        add(
            "allowInsecureHttp",
            Some(self.allow_insecure_http.value.to_string()),
            Some(self.allow_insecure_http.source.to_string()),
        );
        let output = self.output_format();
        add(
            "output",
            Some(output.value.name().to_owned()),
            Some(output.source.to_string()),
        );
        rows
    }

    /// The auth crate's view of these settings, when they are complete.
    fn effective_auth(&self) -> Option<AuthConfig> {
        AuthConfig::from_lookup(Component::Tasklist, self.auth_lookup()).ok()
    }

    /// Asks for a secret at the terminal, when stdin is one.
    pub(crate) fn prompt(what: &str) -> Result<Option<Secret>, CliError> {
        if !std::io::stdin().is_terminal() {
            return Ok(None);
        }
        let text = rpassword::prompt_password(format!("{what}: "))
            .map_err(|e| CliError::usage(format!("cannot read the {what}: {e}")))?;
        let text = text.trim_end_matches(['\n', '\r']).to_owned();
        if text.is_empty() {
            return Ok(None);
        }
        Ok(Some(Secret {
            value: SecretString::from(text),
            source: Source::Prompt,
        }))
    }
}

/// One line of `config show`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Row {
    /// The setting's name (camelCase, as in JSON output).
    pub(crate) key: &'static str,
    /// The value; secrets as `<set, from …>`.
    pub(crate) value: Option<String>,
    /// Where it came from.
    pub(crate) source: Option<String>,
}

fn read_config_file(path: &Path, explicit: bool) -> Result<Option<FileConfig>, CliError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => return Ok(None),
        Err(e) => {
            return Err(CliError::usage(format!(
                "cannot read the config file {}: {e}",
                path.display()
            ))
            .hint("fix the path given with --config or TASKLIST_CONFIG"));
        }
    };
    toml::from_str(&text).map(Some).map_err(|e| {
        CliError::usage(format!(
            "the config file {} is not valid: {}",
            path.display(),
            crate::error::one_line(e.message())
        ))
        .hint(
            "see `tasklist config show`; a profile is a [profiles.NAME] table of settings \
             such as base_url, auth, client_id, client_secret_file",
        )
        .source(e)
    })
}

fn check_no_inline_secrets(profile: &Profile, name: &str, path: &Path) -> Result<(), CliError> {
    for (key, set) in [
        ("client_secret", profile.client_secret.is_some()),
        ("password", profile.password.is_some()),
        ("token", profile.token.is_some()),
    ] {
        if set {
            return Err(CliError::usage(format!(
                "profile `{name}` in {} sets `{key}`; secrets are not read from the config file",
                path.display()
            ))
            .hint(format!(
                "put it in a file of its own (mode 0600) and set `{key}_file` to its path, or \
                 use the environment variable"
            )));
        }
    }
    Ok(())
}

fn resolve_output(
    flags: &GlobalArgs,
    env: Env<'_>,
    profile: Option<&ActiveProfile>,
) -> Result<Option<Setting<Format>>, CliError> {
    if let Some(format) = flags.output {
        return Ok(Some(Setting::new(
            format,
            Source::Flag {
                flag: "--output",
                file: None,
            },
        )));
    }
    let parse = |text: &str, what: &str| {
        Format::parse(text).ok_or_else(|| {
            CliError::usage(format!("{what} is `{text}`; expected table, json or jsonl"))
        })
    };
    if let Some(text) = env_var(env, "TASKLIST_OUTPUT") {
        return Ok(Some(Setting::new(
            parse(&text, "TASKLIST_OUTPUT")?,
            Source::Env("TASKLIST_OUTPUT"),
        )));
    }
    if let Some(active) = profile
        && let Some(text) = &active.profile.output
    {
        let what = format!("`output` of profile {}", active.name);
        return Ok(Some(Setting::new(parse(text, &what)?, active.source(None))));
    }
    Ok(None)
}

/// The task API: `--api`, else `TASKLIST_API`, else the profile's `api`, else `auto`.
fn resolve_api(
    flags: &GlobalArgs,
    env: Env<'_>,
    profile: Option<&ActiveProfile>,
) -> Result<Setting<ApiVersion>, CliError> {
    if let Some(arg) = flags.api {
        return Ok(Setting::new(
            arg.into(),
            Source::Flag {
                flag: "--api",
                file: None,
            },
        ));
    }
    let parse = |text: &str, what: &str| {
        text.parse::<ApiVersion>().map_err(|_| {
            CliError::usage(format!("{what} is `{text}`; expected auto, v1 or v2"))
                .hint("auto asks the server; v1 is Tasklist's API (8.7 and before), v2 the user-task API (8.8 on)")
        })
    };
    if let Some(text) = env_var(env, "TASKLIST_API") {
        return Ok(Setting::new(
            parse(&text, "TASKLIST_API")?,
            Source::Env("TASKLIST_API"),
        ));
    }
    if let Some(active) = profile
        && let Some(text) = active
            .profile
            .api
            .as_deref()
            .filter(|t| !t.trim().is_empty())
    {
        let what = format!("`api` of profile {}", active.name);
        return Ok(Setting::new(parse(text, &what)?, active.source(None)));
    }
    Ok(Setting::new(ApiVersion::Auto, Source::Default(None)))
}

impl ActiveProfile {
    fn source(&self, file: Option<PathBuf>) -> Source {
        Source::Profile {
            name: self.name.clone(),
            config: self.config.clone(),
            file,
        }
    }
}

/// Resolves settings in order: flag, environment, profile.
struct Resolver<'a> {
    flags: &'a GlobalArgs,
    env: Env<'a>,
    profile: Option<&'a ActiveProfile>,
}

impl Resolver<'_> {
    /// A text setting.
    fn text(
        &self,
        flag: (&'static str, &Option<String>),
        vars: &[&'static str],
        profile: impl Fn(&Profile) -> &Option<String>,
    ) -> Result<Option<Setting<String>>, CliError> {
        if let Some(value) = flag.1.as_ref().filter(|v| !v.trim().is_empty()) {
            return Ok(Some(Setting::new(
                value.trim().to_owned(),
                Source::Flag {
                    flag: flag.0,
                    file: None,
                },
            )));
        }
        if let Some((value, var)) = self.env_first(vars)? {
            return Ok(Some(Setting::new(value, Source::Env(var))));
        }
        Ok(self.profile.and_then(|active| {
            profile(&active.profile)
                .as_ref()
                .filter(|v| !v.trim().is_empty())
                .map(|v| Setting::new(v.trim().to_owned(), active.source(None)))
        }))
    }

    /// A path setting.
    fn path(
        &self,
        flag: (&'static str, &Option<PathBuf>),
        var: &'static str,
        profile: impl Fn(&Profile) -> &Option<PathBuf>,
    ) -> Option<Setting<PathBuf>> {
        if let Some(path) = flag.1 {
            return Some(Setting::new(
                path.clone(),
                Source::Flag {
                    flag: flag.0,
                    file: None,
                },
            ));
        }
        if let Some(value) = env_var(self.env, var) {
            return Some(Setting::new(PathBuf::from(value), Source::Env(var)));
        }
        self.profile.and_then(|active| {
            profile(&active.profile)
                .as_ref()
                .map(|p| Setting::new(expand(p, Some(&active.config)), active.source(None)))
        })
    }

    /// A boolean setting whose flag can only turn it on (`flag_value` is what the flag
    /// means).
    fn boolean(
        &self,
        flag: (&'static str, bool),
        flag_value: bool,
        var: (&'static str, bool),
        profile: Option<bool>,
        default: bool,
    ) -> Result<Setting<bool>, CliError> {
        if flag.1 {
            return Ok(Setting::new(
                flag_value,
                Source::Flag {
                    flag: flag.0,
                    file: None,
                },
            ));
        }
        if let Some(text) = env_var(self.env, var.0) {
            // `var.1`: whether the variable says the opposite of the setting (…_DISABLE).
            let value = parse_bool(&text, var.0)? != var.1;
            return Ok(Setting::new(value, Source::Env(var.0)));
        }
        if let (Some(active), Some(value)) = (self.profile, profile) {
            return Ok(Setting::new(value, active.source(None)));
        }
        Ok(Setting::new(default, Source::Default(None)))
    }

    /// A secret: from the environment, or from the file a flag or the profile names.
    fn secret(
        &self,
        what: &str,
        flag: (&'static str, &Option<PathBuf>),
        vars: &[&'static str],
        profile: impl Fn(&Profile) -> &Option<PathBuf>,
        profile_key: &str,
    ) -> Result<Option<Secret>, CliError> {
        if let Some(path) = flag.1 {
            let value = read_secret_file(path, what, flag.0)?;
            return Ok(Some(Secret {
                value,
                source: Source::Flag {
                    flag: flag.0,
                    file: Some(path.clone()),
                },
            }));
        }
        if let Some((value, var)) = self.env_first(vars)? {
            return Ok(Some(Secret {
                value: SecretString::from(value),
                source: Source::Env(var),
            }));
        }
        if let Some(active) = self.profile
            && let Some(path) = profile(&active.profile)
        {
            let path = expand(path, Some(&active.config));
            let via = format!("`{profile_key}` of profile {}", active.name);
            let value = read_secret_file(&path, what, &via)?;
            return Ok(Some(Secret {
                value,
                source: active.source(Some(path)),
            }));
        }
        Ok(None)
    }

    /// The first of `vars` that is set; the pairs of aliases among them must agree.
    fn env_first(&self, vars: &[&'static str]) -> Result<Option<(String, &'static str)>, CliError> {
        match vars {
            [single] => Ok(env_var(self.env, single).map(|v| (v, *single))),
            [first, second] if is_alias_pair(first, second) => env_alias(self.env, first, second),
            _ => Ok(vars
                .iter()
                .find_map(|var| env_var(self.env, var).map(|v| (v, *var)))),
        }
    }

    fn settings(
        &self,
        config_file: Option<Setting<PathBuf>>,
        config_file_read: bool,
        profile: Option<Setting<String>>,
        output: Option<Setting<Format>>,
    ) -> Result<Settings, CliError> {
        let flags = self.flags;
        let output = match output {
            Some(output) => Some(output),
            None => resolve_output(flags, self.env, self.profile)?,
        };

        // The strategy, when set explicitly.
        let explicit = if let Some(arg) = flags.auth {
            Some(Setting::new(
                strategy_of(arg),
                Source::Flag {
                    flag: "--auth",
                    file: None,
                },
            ))
        } else if let Some(text) = env_var(self.env, "CAMUNDA_AUTH_STRATEGY") {
            Some(Setting::new(
                parse_strategy(&text, "CAMUNDA_AUTH_STRATEGY")?,
                Source::Env("CAMUNDA_AUTH_STRATEGY"),
            ))
        } else if let Some(active) = self.profile
            && let Some(text) = &active.profile.auth
        {
            let what = format!("`auth` of profile {}", active.name);
            Some(Setting::new(
                parse_strategy(text, &what)?,
                active.source(None),
            ))
        } else {
            None
        };

        // User name and password: the variables of the strategy in force, or of either.
        let (user_vars, password_vars): (&[&'static str], &[&'static str]) =
            match explicit.as_ref().map(|s| s.value) {
                Some(Strategy::Basic) => (
                    &["CAMUNDA_BASIC_AUTH_USERNAME"],
                    &["CAMUNDA_BASIC_AUTH_PASSWORD"],
                ),
                Some(Strategy::Cookie) => (
                    &["CAMUNDA_COOKIE_AUTH_USERNAME"],
                    &["CAMUNDA_COOKIE_AUTH_PASSWORD"],
                ),
                _ => (
                    &[
                        "CAMUNDA_COOKIE_AUTH_USERNAME",
                        "CAMUNDA_BASIC_AUTH_USERNAME",
                    ],
                    &[
                        "CAMUNDA_COOKIE_AUTH_PASSWORD",
                        "CAMUNDA_BASIC_AUTH_PASSWORD",
                    ],
                ),
            };
        let username = self.text(("--username", &flags.username), user_vars, |p| &p.username)?;
        let client_id = self.text(
            ("--client-id", &flags.client_id),
            &["CAMUNDA_CLIENT_ID", "ZEEBE_CLIENT_ID"],
            |p| &p.client_id,
        )?;
        let client_secret = self.secret(
            "client secret",
            ("--client-secret-file", &flags.client_secret_file),
            &["CAMUNDA_CLIENT_SECRET", "ZEEBE_CLIENT_SECRET"],
            |p| &p.client_secret_file,
            "client_secret_file",
        )?;
        let token = self.secret(
            "bearer token",
            ("--token-file", &flags.token_file),
            &["CAMUNDA_OAUTH_TOKEN"],
            |p| &p.token_file,
            "token_file",
        )?;

        let strategy = match explicit {
            Some(explicit) => explicit,
            None => infer_strategy(
                token.as_ref(),
                client_id.as_ref(),
                client_secret.as_ref(),
                username.as_ref(),
            ),
        };
        // With the strategy inferred from a user name, read the matching password variable.
        let password_vars: &[&'static str] = match (strategy.value, password_vars.len()) {
            (Strategy::Basic, 2) => &["CAMUNDA_BASIC_AUTH_PASSWORD"],
            (Strategy::Cookie, 2) => &["CAMUNDA_COOKIE_AUTH_PASSWORD"],
            _ => password_vars,
        };
        let password = self.secret(
            "password",
            ("--password-file", &flags.password_file),
            password_vars,
            |p| &p.password_file,
            "password_file",
        )?;

        let base_url = self
            .text(
                ("--base-url", &flags.base_url),
                &["CAMUNDA_TASKLIST_BASE_URL"],
                |p| &p.base_url,
            )?
            .unwrap_or_else(|| Setting::new(DEFAULT_BASE_URL.to_owned(), Source::Default(None)));

        Ok(Settings {
            config_file,
            config_file_read,
            profile,
            base_url,
            strategy,
            client_id,
            client_secret,
            oauth_url: self.text(
                ("--oauth-url", &flags.oauth_url),
                &["CAMUNDA_OAUTH_URL", "ZEEBE_AUTHORIZATION_SERVER_URL"],
                |p| &p.oauth_url,
            )?,
            audience: self.text(
                ("--audience", &flags.audience),
                &["CAMUNDA_TASKLIST_OAUTH_AUDIENCE", "CAMUNDA_TOKEN_AUDIENCE"],
                |p| &p.audience,
            )?,
            scope: self.text(("--scope", &flags.scope), &["CAMUNDA_TOKEN_SCOPE"], |p| {
                &p.scope
            })?,
            token_cache_dir: self.path(
                ("--token-cache-dir", &flags.token_cache_dir),
                "CAMUNDA_TOKEN_CACHE_DIR",
                |p| &p.token_cache_dir,
            ),
            token_cache: self.boolean(
                ("--no-token-cache", flags.no_token_cache),
                false,
                ("CAMUNDA_TOKEN_DISK_CACHE_DISABLE", true),
                self.profile.and_then(|a| a.profile.token_cache),
                true,
            )?,
            username,
            password,
            login_url: self.text(
                ("--login-url", &flags.login_url),
                &["CAMUNDA_COOKIE_AUTH_URL"],
                |p| &p.login_url,
            )?,
            session_file: self.path(
                ("--session-file", &flags.session_file),
                "TASKLIST_SESSION_FILE",
                |p| &p.session_file,
            ),
            token,
            ca_cert: self.path(
                ("--ca-cert", &flags.ca_cert),
                "CAMUNDA_CUSTOM_ROOT_CERT_PATH",
                |p| &p.ca_cert,
            ),
            client_cert: self.path(
                ("--client-cert", &flags.client_cert),
                "CAMUNDA_CUSTOM_CERT_CHAIN_PATH",
                |p| &p.client_cert,
            ),
            client_key: self.path(
                ("--client-key", &flags.client_key),
                "CAMUNDA_CUSTOM_PRIVATE_KEY_PATH",
                |p| &p.client_key,
            ),
            allow_insecure_http: self.boolean(
                ("--allow-insecure-http", flags.allow_insecure_http),
                true,
                ("CAMUNDA_AUTH_ALLOW_INSECURE_HTTP", false),
                self.profile.and_then(|a| a.profile.allow_insecure_http),
                false,
            )?,
            output,
            api: resolve_api(flags, self.env, self.profile)?,
            sandbox: false,
        })
    }
}

/// Whether two variables are aliases of one setting (set both, and they must agree).
fn is_alias_pair(first: &str, second: &str) -> bool {
    matches!(
        (first, second),
        ("CAMUNDA_CLIENT_ID", "ZEEBE_CLIENT_ID")
            | ("CAMUNDA_CLIENT_SECRET", "ZEEBE_CLIENT_SECRET")
            | ("CAMUNDA_OAUTH_URL", "ZEEBE_AUTHORIZATION_SERVER_URL")
    )
}

/// The strategy the credentials that are set imply, as `tasklist-auth` infers it.
fn infer_strategy(
    token: Option<&Secret>,
    client_id: Option<&Setting<String>>,
    client_secret: Option<&Secret>,
    username: Option<&Setting<String>>,
) -> Setting<Strategy> {
    let inferred = |strategy, why: String| Setting::new(strategy, Source::Inferred(why));
    if let Some(token) = token {
        return inferred(
            Strategy::Bearer,
            format!("the bearer token ({})", token.source),
        );
    }
    if let Some(id) = client_id {
        return inferred(Strategy::OAuth, format!("the client id ({})", id.source));
    }
    if let Some(secret) = client_secret {
        return inferred(
            Strategy::OAuth,
            format!("the client secret ({})", secret.source),
        );
    }
    if let Some(user) = username {
        let strategy = match user.source {
            Source::Env("CAMUNDA_BASIC_AUTH_USERNAME") => Strategy::Basic,
            _ => Strategy::Cookie,
        };
        return inferred(strategy, format!("the user name ({})", user.source));
    }
    Setting::new(
        Strategy::None,
        Source::Default(Some("no credentials are set".to_owned())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name: &str| map.get(name).cloned()
    }

    /// Resolves with `vars` as the environment; unless they name a config file, an empty one
    /// stands in, so that the user's own config file never matters here.
    fn resolve(flags: &GlobalArgs, vars: &[(&str, &str)]) -> Result<Settings, CliError> {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.toml");
        fs::write(&empty, "").unwrap();
        let empty = empty.to_string_lossy().into_owned();
        let mut vars = vars.to_vec();
        if !vars.iter().any(|(k, _)| *k == "TASKLIST_CONFIG") {
            vars.push(("TASKLIST_CONFIG", &empty));
        }
        let lookup = env(&vars);
        Settings::resolve(flags, &lookup, None)
    }

    /// A temporary config file with `text`.
    fn config_file(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        fs::write(&path, text).unwrap();
        (dir, path)
    }

    const PROFILES: &str = r#"
default_profile = "dev"

[profiles.dev]
base_url = "https://dev.example"
client_id = "dev-client"
oauth_url = "https://login.example/token"
audience = "dev-audience"
output = "jsonl"

[profiles.prod]
base_url = "https://prod.example"
auth = "basic"
username = "ops"
"#;

    #[test]
    fn flag_beats_env_beats_profile_beats_default() {
        let (_dir, path) = config_file(PROFILES);
        let path_text = path.to_string_lossy().into_owned();

        // Profile only.
        let flags = GlobalArgs::default();
        let s = resolve(&flags, &[("TASKLIST_CONFIG", &path_text)]).unwrap();
        assert_eq!(s.base_url.value, "https://dev.example");
        assert_eq!(
            s.base_url.source.to_string(),
            format!("profile dev in {}", path.display())
        );
        assert_eq!(
            s.profile.as_ref().map(|p| p.source.to_string()),
            Some(format!("default (default_profile in {})", path.display()))
        );
        assert_eq!(s.strategy.value, Strategy::OAuth);
        assert!(
            s.strategy
                .source
                .to_string()
                .starts_with("inferred from the client id"),
            "{}",
            s.strategy.source
        );
        assert_eq!(s.output.as_ref().map(|o| o.value), Some(Format::Jsonl));

        // The environment beats the profile.
        let vars = [
            ("TASKLIST_CONFIG", path_text.as_str()),
            ("CAMUNDA_TASKLIST_BASE_URL", "https://env.example"),
            ("TASKLIST_OUTPUT", "table"),
        ];
        let s = resolve(&flags, &vars).unwrap();
        assert_eq!(s.base_url.value, "https://env.example");
        assert_eq!(s.base_url.source, Source::Env("CAMUNDA_TASKLIST_BASE_URL"));
        assert_eq!(s.output.as_ref().map(|o| o.value), Some(Format::Table));
        // What the environment does not set still comes from the profile.
        assert_eq!(
            s.client_id.as_ref().map(|c| c.value.as_str()),
            Some("dev-client")
        );

        // A flag beats both.
        let flags = GlobalArgs {
            base_url: Some("https://flag.example".into()),
            output: Some(Format::Json),
            ..GlobalArgs::default()
        };
        let s = resolve(&flags, &vars).unwrap();
        assert_eq!(s.base_url.value, "https://flag.example");
        assert_eq!(s.base_url.source.to_string(), "flag --base-url");
        assert_eq!(s.output.as_ref().map(|o| o.value), Some(Format::Json));

        // Nothing at all: the defaults.
        let s = resolve(&GlobalArgs::default(), &[]).unwrap();
        assert_eq!(s.base_url.value, DEFAULT_BASE_URL);
        assert_eq!(s.base_url.source.to_string(), "default");
        assert_eq!(s.strategy.value, Strategy::None);
    }

    #[test]
    fn profile_is_chosen_by_flag_then_env_then_default_profile() {
        let (_dir, path) = config_file(PROFILES);
        let path_text = path.to_string_lossy().into_owned();
        let vars = [
            ("TASKLIST_CONFIG", path_text.as_str()),
            ("TASKLIST_PROFILE", "prod"),
        ];
        let s = resolve(&GlobalArgs::default(), &vars).unwrap();
        assert_eq!(s.base_url.value, "https://prod.example");
        assert_eq!(s.strategy.value, Strategy::Basic);
        assert_eq!(
            s.profile.as_ref().map(|p| &p.source),
            Some(&Source::Env("TASKLIST_PROFILE"))
        );
        // The Basic variables are read for the Basic strategy.
        let vars = [
            ("TASKLIST_CONFIG", path_text.as_str()),
            ("TASKLIST_PROFILE", "prod"),
            ("CAMUNDA_COOKIE_AUTH_PASSWORD", "cookie-pw"),
            ("CAMUNDA_BASIC_AUTH_PASSWORD", "basic-pw"),
        ];
        let s = resolve(&GlobalArgs::default(), &vars).unwrap();
        assert_eq!(
            s.password
                .as_ref()
                .map(|p| p.value.expose_secret().to_owned()),
            Some("basic-pw".to_owned())
        );

        let flags = GlobalArgs {
            profile: Some("dev".into()),
            ..GlobalArgs::default()
        };
        let s = resolve(&flags, &vars).unwrap();
        assert_eq!(s.base_url.value, "https://dev.example");

        let flags = GlobalArgs {
            profile: Some("staging".into()),
            ..GlobalArgs::default()
        };
        let err = resolve(&flags, &vars).unwrap_err();
        assert_eq!(err.exit(), crate::exit::Exit::Usage);
        assert!(
            err.line().contains("no profile `staging`"),
            "{}",
            err.line()
        );
        assert!(err.line().contains("dev, prod"), "{}", err.line());
    }

    #[test]
    fn a_missing_explicit_config_file_is_an_error_but_a_missing_default_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        let flags = GlobalArgs {
            config: Some(missing.clone()),
            ..GlobalArgs::default()
        };
        let err = resolve(&flags, &[]).unwrap_err();
        assert!(err.line().contains("nope.toml"), "{}", err.line());

        let flags = GlobalArgs {
            profile: Some("dev".into()),
            ..GlobalArgs::default()
        };
        let err = resolve(&flags, &[]).unwrap_err();
        assert!(err.line().contains("no profile `dev`"), "{}", err.line());
        assert!(
            err.line().contains("no [profiles.NAME] table"),
            "{}",
            err.line()
        );
    }

    #[test]
    fn secrets_come_from_env_or_files_and_are_redacted() {
        let dir = tempfile::tempdir().unwrap();
        let secret_file = dir.path().join("secret");
        fs::write(&secret_file, "from-file-secret\n").unwrap();
        let config = dir.path().join("config.toml");
        fs::write(
            &config,
            "[profiles.p]\nclient_id = \"id\"\nclient_secret_file = \"secret\"\n",
        )
        .unwrap();
        let config_text = config.to_string_lossy().into_owned();

        // From the profile's file, relative to the config file.
        let vars = [
            ("TASKLIST_CONFIG", config_text.as_str()),
            ("TASKLIST_PROFILE", "p"),
        ];
        let s = resolve(&GlobalArgs::default(), &vars).unwrap();
        let secret = s.client_secret.as_ref().unwrap();
        assert_eq!(secret.value.expose_secret(), "from-file-secret");
        assert_eq!(
            secret.source.to_string(),
            format!(
                "profile p in {} (file {})",
                config.display(),
                secret_file.display()
            )
        );

        // The environment beats the profile's file.
        let vars = [
            ("TASKLIST_CONFIG", config_text.as_str()),
            ("TASKLIST_PROFILE", "p"),
            ("ZEEBE_CLIENT_SECRET", "from-env-secret"),
        ];
        let s = resolve(&GlobalArgs::default(), &vars).unwrap();
        assert_eq!(
            s.client_secret.as_ref().map(|c| c.source.clone()),
            Some(Source::Env("ZEEBE_CLIENT_SECRET"))
        );

        // The flag's file beats the environment.
        let flags = GlobalArgs {
            client_secret_file: Some(secret_file.clone()),
            ..GlobalArgs::default()
        };
        let s = resolve(&flags, &vars).unwrap();
        let rows = s.rows();
        let row = rows.iter().find(|r| r.key == "clientSecret").unwrap();
        assert_eq!(
            row.value.as_deref(),
            Some(
                format!(
                    "<set, from flag --client-secret-file (file {})>",
                    secret_file.display()
                )
                .as_str()
            )
        );

        // No row and no Debug output holds a secret.
        let shown = format!("{s:?} {rows:?}");
        assert!(!shown.contains("from-file-secret"), "{shown}");
        assert!(!shown.contains("from-env-secret"), "{shown}");

        let s = resolve(
            &GlobalArgs::default(),
            &[
                ("CAMUNDA_COOKIE_AUTH_USERNAME", "demo"),
                ("CAMUNDA_COOKIE_AUTH_PASSWORD", "pa55word"),
                ("CAMUNDA_OAUTH_TOKEN", "tok3n"),
            ],
        )
        .unwrap();
        let shown = format!("{s:?} {:?}", s.rows());
        assert!(
            !shown.contains("pa55word") && !shown.contains("tok3n"),
            "{shown}"
        );
        assert!(
            shown.contains("<set, from env CAMUNDA_COOKIE_AUTH_PASSWORD>"),
            "{shown}"
        );
    }

    #[test]
    fn inline_secrets_in_the_config_file_are_refused() {
        let (_dir, path) = config_file("[profiles.p]\nclient_secret = \"oops\"\n");
        let flags = GlobalArgs {
            config: Some(path),
            profile: Some("p".into()),
            ..GlobalArgs::default()
        };
        let err = resolve(&flags, &[]).unwrap_err();
        assert!(err.line().contains("client_secret_file"), "{}", err.line());
        assert!(!err.line().contains("oops"));
    }

    #[test]
    fn unreadable_or_empty_secret_files_are_usage_errors() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty");
        fs::write(&empty, "\n").unwrap();
        for path in [empty, dir.path().join("missing")] {
            let flags = GlobalArgs {
                password_file: Some(path),
                ..GlobalArgs::default()
            };
            let err = resolve(&flags, &[]).unwrap_err();
            assert_eq!(err.exit(), crate::exit::Exit::Usage);
            assert!(err.line().contains("--password-file"), "{}", err.line());
        }
    }

    #[test]
    fn aliases_must_agree_unless_a_flag_overrides_them() {
        let vars = [("CAMUNDA_CLIENT_ID", "a"), ("ZEEBE_CLIENT_ID", "b")];
        let err = resolve(&GlobalArgs::default(), &vars).unwrap_err();
        assert!(err.line().contains("ZEEBE_CLIENT_ID"), "{}", err.line());
        let flags = GlobalArgs {
            client_id: Some("c".into()),
            ..GlobalArgs::default()
        };
        let s = resolve(&flags, &vars).unwrap();
        assert_eq!(s.client_id.map(|c| c.value), Some("c".to_owned()));
    }

    #[test]
    fn strategy_inference_follows_the_auth_crate() {
        let s = resolve(
            &GlobalArgs::default(),
            &[
                ("CAMUNDA_BASIC_AUTH_USERNAME", "u"),
                ("CAMUNDA_BASIC_AUTH_PASSWORD", "p"),
            ],
        )
        .unwrap();
        assert_eq!(s.strategy.value, Strategy::Basic);
        assert!(s.password.is_some());
        let s = resolve(
            &GlobalArgs::default(),
            &[("CAMUNDA_AUTH_STRATEGY", "cookie")],
        )
        .unwrap();
        assert_eq!(s.strategy.value, Strategy::Cookie);
        assert_eq!(s.strategy.source, Source::Env("CAMUNDA_AUTH_STRATEGY"));
        let err = resolve(
            &GlobalArgs::default(),
            &[("CAMUNDA_AUTH_STRATEGY", "kerberos")],
        )
        .unwrap_err();
        assert!(err.line().contains("CAMUNDA_AUTH_STRATEGY"));
    }

    #[test]
    fn booleans_layer_too() {
        let s = resolve(
            &GlobalArgs::default(),
            &[("CAMUNDA_TOKEN_DISK_CACHE_DISABLE", "true")],
        )
        .unwrap();
        assert!(!s.token_cache.value);
        assert_eq!(
            s.token_cache.source,
            Source::Env("CAMUNDA_TOKEN_DISK_CACHE_DISABLE")
        );
        let flags = GlobalArgs {
            no_token_cache: true,
            ..GlobalArgs::default()
        };
        let s = resolve(&flags, &[]).unwrap();
        assert!(!s.token_cache.value);
        assert_eq!(s.token_cache.source.to_string(), "flag --no-token-cache");
        let s = resolve(&GlobalArgs::default(), &[]).unwrap();
        assert!(s.token_cache.value);
        assert_eq!(s.token_cache.source.to_string(), "default");
    }

    #[test]
    fn the_auth_crate_sees_the_layered_settings() {
        let s = resolve(
            &GlobalArgs {
                client_id: Some("flag-id".into()),
                oauth_url: Some("http://127.0.0.1:9/token".into()),
                ..GlobalArgs::default()
            },
            &[
                ("CAMUNDA_CLIENT_ID", "env-id"),
                ("ZEEBE_CLIENT_SECRET", "s"),
            ],
        )
        .unwrap();
        let lookup = s.auth_lookup();
        assert_eq!(lookup("CAMUNDA_CLIENT_ID").as_deref(), Some("flag-id"));
        assert_eq!(lookup("ZEEBE_CLIENT_ID"), None);
        let config = AuthConfig::from_lookup(Component::Tasklist, lookup).unwrap();
        assert_eq!(config.strategy(), Strategy::OAuth);
        assert_eq!(config.audience(), Some("tasklist-api"));
    }

    #[test]
    fn the_sandbox_replaces_the_connection() {
        let sandbox = SandboxSettings {
            base_url: "http://127.0.0.1:1".into(),
            token_url: "http://127.0.0.1:1/oauth/token".into(),
            client_id: "tasklist".into(),
            client_secret: "sandbox-secret".into(),
            audience: "tasklist-api".into(),
            token_cache_dir: Some(PathBuf::from("/tmp/x")),
        };
        let lookup = env(&[("CAMUNDA_TASKLIST_BASE_URL", "http://elsewhere")]);
        let s = Settings::resolve(&GlobalArgs::default(), &lookup, Some(&sandbox)).unwrap();
        assert_eq!(s.base_url.value, "http://127.0.0.1:1");
        assert_eq!(s.base_url.source, Source::Sandbox);
        let rows = format!("{:?}", s.rows());
        assert!(!rows.contains("sandbox-secret"), "{rows}");
    }
}
