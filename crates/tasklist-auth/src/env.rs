//! The names of the environment variables [`AuthConfig::from_env`] reads: the ones Camunda's
//! own SDKs use, so one set of variables configures every client of a deployment.
//!
//! Tools that resolve settings themselves (a command-line tool with flags and a config file,
//! say) read the same variables through these constants, and can name them in their messages.
//!
//! ```
//! use tasklist_auth::env;
//!
//! assert_eq!(env::CLIENT_ID, "CAMUNDA_CLIENT_ID");
//! // Every variable, for a tool that lists what it reads.
//! assert!(env::ALL.contains(&env::OAUTH_URL));
//! ```
//!
//! [`AuthConfig::from_env`]: crate::AuthConfig::from_env

/// The strategy: `OAUTH`, `COOKIE`, `BASIC`, `BEARER` or `NONE`.
pub const AUTH_STRATEGY: &str = "CAMUNDA_AUTH_STRATEGY";
/// The OAuth client id.
pub const CLIENT_ID: &str = "CAMUNDA_CLIENT_ID";
/// The OAuth client id, under the name of the Zeebe clients.
pub const ZEEBE_CLIENT_ID: &str = "ZEEBE_CLIENT_ID";
/// The OAuth client secret.
pub const CLIENT_SECRET: &str = "CAMUNDA_CLIENT_SECRET";
/// The OAuth client secret, under the name of the Zeebe clients.
pub const ZEEBE_CLIENT_SECRET: &str = "ZEEBE_CLIENT_SECRET";
/// The OAuth token endpoint.
pub const OAUTH_URL: &str = "CAMUNDA_OAUTH_URL";
/// The OAuth token endpoint, under the name of the Zeebe clients.
pub const ZEEBE_AUTHORIZATION_SERVER_URL: &str = "ZEEBE_AUTHORIZATION_SERVER_URL";
/// The audience of every component, when its own variable is unset.
pub const TOKEN_AUDIENCE: &str = "CAMUNDA_TOKEN_AUDIENCE";
/// Tasklist's audience.
pub const TASKLIST_OAUTH_AUDIENCE: &str = "CAMUNDA_TASKLIST_OAUTH_AUDIENCE";
/// Operate's audience.
pub const OPERATE_OAUTH_AUDIENCE: &str = "CAMUNDA_OPERATE_OAUTH_AUDIENCE";
/// Optimize's audience.
pub const OPTIMIZE_OAUTH_AUDIENCE: &str = "CAMUNDA_OPTIMIZE_OAUTH_AUDIENCE";
/// Zeebe's (and the Orchestration Cluster REST API's) audience.
pub const ZEEBE_OAUTH_AUDIENCE: &str = "CAMUNDA_ZEEBE_OAUTH_AUDIENCE";
/// The OAuth scope.
pub const TOKEN_SCOPE: &str = "CAMUNDA_TOKEN_SCOPE";
/// The directory of the token disk cache (default `~/.camunda`).
pub const TOKEN_CACHE_DIR: &str = "CAMUNDA_TOKEN_CACHE_DIR";
/// `true` keeps tokens in memory only.
pub const TOKEN_DISK_CACHE_DISABLE: &str = "CAMUNDA_TOKEN_DISK_CACHE_DISABLE";
/// A static bearer token.
pub const OAUTH_TOKEN: &str = "CAMUNDA_OAUTH_TOKEN";
/// The cookie login URL.
pub const COOKIE_AUTH_URL: &str = "CAMUNDA_COOKIE_AUTH_URL";
/// The cookie login's user name.
pub const COOKIE_AUTH_USERNAME: &str = "CAMUNDA_COOKIE_AUTH_USERNAME";
/// The cookie login's password.
pub const COOKIE_AUTH_PASSWORD: &str = "CAMUNDA_COOKIE_AUTH_PASSWORD";
/// The HTTP Basic user name.
pub const BASIC_AUTH_USERNAME: &str = "CAMUNDA_BASIC_AUTH_USERNAME";
/// The HTTP Basic password.
pub const BASIC_AUTH_PASSWORD: &str = "CAMUNDA_BASIC_AUTH_PASSWORD";
/// Extra root certificates (PEM).
pub const CUSTOM_ROOT_CERT_PATH: &str = "CAMUNDA_CUSTOM_ROOT_CERT_PATH";
/// The client certificate chain for mutual TLS (PEM).
pub const CUSTOM_CERT_CHAIN_PATH: &str = "CAMUNDA_CUSTOM_CERT_CHAIN_PATH";
/// The client certificate's private key for mutual TLS (PEM).
pub const CUSTOM_PRIVATE_KEY_PATH: &str = "CAMUNDA_CUSTOM_PRIVATE_KEY_PATH";
/// `true` allows secrets over plain http to hosts that are not loopback.
pub const AUTH_ALLOW_INSECURE_HTTP: &str = "CAMUNDA_AUTH_ALLOW_INSECURE_HTTP";
/// Tasklist's base URL. Not read by this crate, which knows no endpoint; named here so that
/// every client reads the one Camunda's SDKs use.
pub const TASKLIST_BASE_URL: &str = "CAMUNDA_TASKLIST_BASE_URL";
/// Operate's base URL (not read by this crate).
pub const OPERATE_BASE_URL: &str = "CAMUNDA_OPERATE_BASE_URL";
/// Optimize's base URL (not read by this crate).
pub const OPTIMIZE_BASE_URL: &str = "CAMUNDA_OPTIMIZE_BASE_URL";
/// The Orchestration Cluster REST API's address (not read by this crate).
pub const ZEEBE_REST_ADDRESS: &str = "ZEEBE_REST_ADDRESS";

/// Every variable of this module, in the order above.
pub const ALL: &[&str] = &[
    AUTH_STRATEGY,
    CLIENT_ID,
    ZEEBE_CLIENT_ID,
    CLIENT_SECRET,
    ZEEBE_CLIENT_SECRET,
    OAUTH_URL,
    ZEEBE_AUTHORIZATION_SERVER_URL,
    TOKEN_AUDIENCE,
    TASKLIST_OAUTH_AUDIENCE,
    OPERATE_OAUTH_AUDIENCE,
    OPTIMIZE_OAUTH_AUDIENCE,
    ZEEBE_OAUTH_AUDIENCE,
    TOKEN_SCOPE,
    TOKEN_CACHE_DIR,
    TOKEN_DISK_CACHE_DISABLE,
    OAUTH_TOKEN,
    COOKIE_AUTH_URL,
    COOKIE_AUTH_USERNAME,
    COOKIE_AUTH_PASSWORD,
    BASIC_AUTH_USERNAME,
    BASIC_AUTH_PASSWORD,
    CUSTOM_ROOT_CERT_PATH,
    CUSTOM_CERT_CHAIN_PATH,
    CUSTOM_PRIVATE_KEY_PATH,
    AUTH_ALLOW_INSECURE_HTTP,
    TASKLIST_BASE_URL,
    OPERATE_BASE_URL,
    OPTIMIZE_BASE_URL,
    ZEEBE_REST_ADDRESS,
];

/// Whether `name` holds a secret: its value is never shown.
///
/// ```
/// use tasklist_auth::env;
/// assert!(env::is_secret(env::CLIENT_SECRET));
/// assert!(!env::is_secret(env::CLIENT_ID));
/// ```
pub fn is_secret(name: &str) -> bool {
    matches!(
        name,
        CLIENT_SECRET
            | ZEEBE_CLIENT_SECRET
            | OAUTH_TOKEN
            | COOKIE_AUTH_PASSWORD
            | BASIC_AUTH_PASSWORD
    )
}
