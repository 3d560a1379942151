//! Authentication for Camunda 8 components: Tasklist, Operate, Optimize, Zeebe and the
//! Orchestration Cluster REST API.
//!
//! Every strategy is an [`Authenticator`] that plugs into the transport stack of
//! [`tasklist_transport`] through [`TransportExt::with_authenticator`]; the crate knows
//! Camunda's ways to authenticate, not any component's endpoints.
//!
//! [`Authenticator`]: tasklist_transport::Authenticator
//! [`TransportExt::with_authenticator`]: tasklist_transport::TransportExt::with_authenticator
//!
//! # Features
//!
//! - `http` (default): [`AuthConfig::apply_tls`], which configures the transport's
//!   `HttpTransportBuilder` (and brings in `tasklist-transport`'s `http` feature).
//! - `fuzzing`: entry points for the repository's fuzz targets; not a stable API.
//!
//! # Dependencies
//!
//! - `tasklist-transport`: the HTTP layer (token requests and logins share its TLS, proxy and
//!   timeouts) and its signing hook.
//! - `oauth2`: builds client-credentials token requests and parses RFC 6749 responses.
//! - `cookie_store`: the cookie jar of cookie sessions (domain and path matching, expiry).
//! - `secrecy`: keeps secrets out of `Debug` output and zeroes them on drop.
//! - `serde`, `serde_json`, `base64`: token responses, JWT claims, the disk cache format.
//! - `sha2`, `hex`: disk cache keys that change when any credential changes.
//! - `tokio` (sync, rt): the login lock, fetch tasks, blocking file locks. `futures`: shared
//!   fetches. `arc-swap`: the lock-free read of the cached token. `humantime`: expiry in `Debug`.
//! - `dirs`: the default disk cache directory. `fastrand`: jitter. `tracing`: logs without
//!   secrets. `thiserror`: [`Error`]. `url`, `http`, `bytes`, `async-trait`: the transport's
//!   types.

mod cache;
mod clock;
mod config;
mod cookie;
mod disk;
mod error;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod oauth;
mod private_file;
mod secure;
mod simple;
mod token;

pub use crate::cache::{TokenCache, TokenCacheBuilder};
pub use crate::clock::{Clock, ManualClock, SystemClock};
pub use crate::config::{AuthConfig, Component, Deployment, SAAS_TOKEN_URL, Strategy};
pub use crate::cookie::{CookieAuth, CookieAuthBuilder, LoginPath};
pub use crate::disk::DiskCache;
pub use crate::error::Error;
pub use crate::oauth::{
    ClientAuthMethod, ClientCredentials, ClientCredentialsBuilder, FetchedToken, TokenSource,
};
pub use crate::simple::{BasicAuth, BearerToken, NoAuth};
pub use crate::token::AccessToken;
pub use secrecy::SecretString;
