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
//!
//! The parts: this module holds the types; `file` reads the config file and its profile,
//! `resolve` layers flags, variables, profile and defaults, `auth` turns the settings into
//! `tasklist-auth`'s [`AuthConfig`](tasklist_auth::AuthConfig), `rows` shows them for
//! `config show`, and `sandbox` gives the built-in sandbox's connection.

mod auth;
mod file;
mod resolve;
mod rows;
#[cfg(feature = "sandbox")]
mod sandbox;
#[cfg(test)]
mod test_support;

use std::fmt;
use std::io::IsTerminal as _;
use std::path::PathBuf;

use secrecy::SecretString;
use sha2::{Digest as _, Sha256};
use tasklist_api::ApiVersion;
use tasklist_auth::Strategy;

use crate::cli::Format;
use crate::error::{CliError, HintContext};

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
    #[cfg(feature = "sandbox")]
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
            #[cfg(feature = "sandbox")]
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

/// The connection the built-in sandbox offers.
#[cfg(feature = "sandbox")]
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

impl Settings {
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

    /// What the hints of an error may refer to.
    pub(crate) fn hints(&self) -> HintContext {
        HintContext {
            strategy: Some(self.strategy.value),
            base_url: Some(self.base_url.value.clone()),
            sandbox: self.sandbox,
        }
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
