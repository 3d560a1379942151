//! The global flags and their values.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use tasklist_auth::{Component, Deployment, env};

use crate::environment;

/// The global flags.
///
/// Secrets are never flags: only paths of files holding them. The help of a flag that has a
/// variable is built by its `help` attribute, which names the variable through its constant;
/// the doc comments are for the reader.
#[derive(Debug, Default, Args)]
pub(crate) struct GlobalArgs {
    /// Tasklist base URL.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help_heading = "Connection",
        help = format!(
            "Tasklist base URL [env: {}] [default: http://localhost:8080]",
            Component::Tasklist.base_url_variable()
        )
    )]
    pub(crate) base_url: Option<String>,

    /// Authentication strategy.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "STRATEGY",
        help_heading = "Connection",
        help = format!(
            "Authentication strategy [env: {}] [default: inferred from the credentials set]",
            env::AUTH_STRATEGY
        )
    )]
    pub(crate) auth: Option<AuthArg>,

    /// OAuth client id.
    #[arg(
        long,
        global = true,
        value_name = "ID",
        help_heading = "OAuth",
        help = format!("OAuth client id [env: {}]", env::CLIENT_ID)
    )]
    pub(crate) client_id: Option<String>,

    /// File holding the OAuth client secret.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "OAuth",
        help = format!(
            "File holding the OAuth client secret [env: {} holds the secret]",
            env::CLIENT_SECRET
        )
    )]
    pub(crate) client_secret_file: Option<PathBuf>,

    /// OAuth token endpoint URL.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help_heading = "OAuth",
        help = format!("OAuth token endpoint URL [env: {}]", env::OAUTH_URL)
    )]
    pub(crate) oauth_url: Option<String>,

    /// OAuth audience.
    #[arg(
        long,
        global = true,
        value_name = "AUDIENCE",
        help_heading = "OAuth",
        help = format!(
            "OAuth audience [env: {}, {}] [default: {}, or {} on SaaS]",
            Component::Tasklist.audience_variable(),
            env::TOKEN_AUDIENCE,
            Component::Tasklist.audience(Deployment::SelfManaged),
            Component::Tasklist.audience(Deployment::SaaS)
        )
    )]
    pub(crate) audience: Option<String>,

    /// OAuth scope.
    #[arg(
        long,
        global = true,
        value_name = "SCOPE",
        help_heading = "OAuth",
        help = format!("OAuth scope [env: {}]", env::TOKEN_SCOPE)
    )]
    pub(crate) scope: Option<String>,

    /// Directory of the shared token cache.
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        help_heading = "OAuth",
        help = format!(
            "Directory of the shared token cache [env: {}] [default: ~/.camunda]",
            env::TOKEN_CACHE_DIR
        )
    )]
    pub(crate) token_cache_dir: Option<PathBuf>,

    /// Keep OAuth tokens in memory only.
    #[arg(
        long,
        global = true,
        help_heading = "OAuth",
        help = format!(
            "Keep OAuth tokens in memory only [env: {}=true]",
            env::TOKEN_DISK_CACHE_DISABLE
        )
    )]
    pub(crate) no_token_cache: bool,

    /// User name for cookie or Basic authentication.
    #[arg(
        long,
        global = true,
        value_name = "NAME",
        help_heading = "Cookie and Basic",
        help = format!(
            "User name for cookie or Basic authentication [env: {}, {}]",
            env::COOKIE_AUTH_USERNAME,
            env::BASIC_AUTH_USERNAME
        )
    )]
    pub(crate) username: Option<String>,

    /// File holding the password.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "Cookie and Basic",
        help = format!(
            "File holding the password [env: {}, {} hold the password]",
            env::COOKIE_AUTH_PASSWORD,
            env::BASIC_AUTH_PASSWORD
        )
    )]
    pub(crate) password_file: Option<PathBuf>,

    /// Cookie login URL.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help_heading = "Cookie and Basic",
        help = format!(
            "Cookie login URL [env: {}] [default: the base URL's /api/login, then /login]",
            env::COOKIE_AUTH_URL
        )
    )]
    pub(crate) login_url: Option<String>,

    /// Where `auth login` keeps the cookie session.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "Cookie and Basic",
        help = format!(
            "Where `auth login` keeps the cookie session (a 0600 file) [env: {}] [default: one \
             file per server and user in tasklist/sessions of the state directory]",
            environment::SESSION_FILE
        )
    )]
    pub(crate) session_file: Option<PathBuf>,

    /// File holding a bearer token.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "Connection",
        help = format!(
            "File holding a bearer token [env: {} holds the token]",
            env::OAUTH_TOKEN
        )
    )]
    pub(crate) token_file: Option<PathBuf>,

    /// Extra root certificates, PEM.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "TLS",
        help = format!(
            "Extra root certificates, PEM [env: {}]",
            env::CUSTOM_ROOT_CERT_PATH
        )
    )]
    pub(crate) ca_cert: Option<PathBuf>,

    /// Client certificate chain for mutual TLS, PEM.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "TLS",
        help = format!(
            "Client certificate chain for mutual TLS, PEM [env: {}]",
            env::CUSTOM_CERT_CHAIN_PATH
        )
    )]
    pub(crate) client_cert: Option<PathBuf>,

    /// Client private key for mutual TLS, PEM.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "TLS",
        help = format!(
            "Client private key for mutual TLS, PEM [env: {}]",
            env::CUSTOM_PRIVATE_KEY_PATH
        )
    )]
    pub(crate) client_key: Option<PathBuf>,

    /// Allow sending secrets over plain http to hosts that are not loopback.
    #[arg(
        long,
        global = true,
        help_heading = "TLS",
        help = format!(
            "Allow sending secrets over plain http to hosts that are not loopback [env: {}=true]",
            env::AUTH_ALLOW_INSECURE_HTTP
        )
    )]
    pub(crate) allow_insecure_http: bool,

    /// Config file.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "Profiles",
        help = format!(
            "Config file [env: {}] [default: tasklist/config.toml in the config directory]",
            environment::CONFIG
        )
    )]
    pub(crate) config: Option<PathBuf>,

    /// Profile of the config file to use.
    #[arg(
        long,
        global = true,
        value_name = "NAME",
        help_heading = "Profiles",
        help = format!(
            "Profile of the config file to use [env: {}] [default: the file's default_profile]",
            environment::PROFILE
        )
    )]
    pub(crate) profile: Option<String>,

    /// Task API: auto asks the server, v1 or v2 pin one.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "API",
        help_heading = "Connection",
        help = format!(
            "Task API: auto asks the server (v2 from Camunda 8.8 on, v1 before) and remembers \
             the answer for 10 minutes beside the token cache [env: {}] [default: auto]",
            environment::API
        )
    )]
    pub(crate) api: Option<ApiArg>,

    /// Run against a built-in demo Tasklist with seeded tasks (OAuth client credentials;
    /// nothing to configure)
    #[arg(
        long,
        global = true,
        help_heading = "Connection",
        conflicts_with_all = [
            "base_url", "auth", "client_id", "client_secret_file", "oauth_url", "audience",
            "scope", "username", "password_file", "login_url", "token_file",
        ]
    )]
    pub(crate) sandbox: bool,

    /// The Camunda version the sandbox (--sandbox, `sandbox serve`) behaves as [default: 8.7]
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "VERSION",
        help_heading = "Connection"
    )]
    pub(crate) sandbox_version: Option<SandboxVersion>,

    /// Output format.
    #[arg(
        long,
        short = 'o',
        global = true,
        value_enum,
        value_name = "FORMAT",
        help_heading = "Output",
        help = format!(
            "Output format [env: {}] [default: table on a terminal, else json]",
            environment::OUTPUT
        )
    )]
    pub(crate) output: Option<Format>,

    /// On failure, also print the cause chain
    #[arg(long, short = 'v', global = true, help_heading = "Output")]
    pub(crate) verbose: bool,
}

/// `--auth` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum AuthArg {
    /// OAuth 2.0 client credentials.
    Oauth,
    /// Cookie session (form login).
    Cookie,
    /// HTTP Basic.
    Basic,
    /// A static bearer token.
    Bearer,
    /// No authentication.
    None,
}

/// `--api` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ApiArg {
    /// Ask the server which API it speaks.
    Auto,
    /// Tasklist's REST API v1 (Camunda 8.7 and older; deprecated in 8.8 and 8.9).
    V1,
    /// The user-task API v2 (Camunda 8.8 and later).
    V2,
}

impl From<ApiArg> for tasklist_api::ApiVersion {
    fn from(arg: ApiArg) -> Self {
        match arg {
            ApiArg::Auto => tasklist_api::ApiVersion::Auto,
            ApiArg::V1 => tasklist_api::ApiVersion::V1,
            ApiArg::V2 => tasklist_api::ApiVersion::V2,
        }
    }
}

/// `--sandbox-version` values: the testkit's profiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum SandboxVersion {
    /// Camunda 8.7: Tasklist API v1 only.
    #[value(name = "8.7")]
    V8_7,
    /// Camunda 8.8: v1 and the v2 user-task API.
    #[value(name = "8.8")]
    V8_8,
    /// Camunda 8.9: v1 and v2.
    #[value(name = "8.9")]
    V8_9,
    /// Camunda 8.10: v2 only.
    #[value(name = "8.10")]
    V8_10,
}

#[cfg(feature = "sandbox")]
impl From<SandboxVersion> for tasklist_testkit::Profile {
    fn from(version: SandboxVersion) -> Self {
        match version {
            SandboxVersion::V8_7 => tasklist_testkit::Profile::V8_7,
            SandboxVersion::V8_8 => tasklist_testkit::Profile::V8_8,
            SandboxVersion::V8_9 => tasklist_testkit::Profile::V8_9,
            SandboxVersion::V8_10 => tasklist_testkit::Profile::V8_10,
        }
    }
}

/// `--output` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// A readable table.
    Table,
    /// One JSON document.
    Json,
    /// One JSON object per line (streams with `--all`).
    Jsonl,
}

impl Format {
    /// The value's name, as typed.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
        }
    }

    /// Parses a name, ignoring case.
    pub(crate) fn parse(text: &str) -> Option<Format> {
        match text.trim().to_ascii_lowercase().as_str() {
            "table" => Some(Format::Table),
            "json" => Some(Format::Json),
            "jsonl" => Some(Format::Jsonl),
            _ => None,
        }
    }
}
