#![doc = include_str!("../README.md")]

mod builder;
mod cache;
mod clock;
mod config;
mod cookie;
mod disk;
pub mod env;
mod error;
mod from_env;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod oauth;
mod private_file;
mod secure;
mod simple;
mod stack;
mod token;

pub use crate::builder::AuthConfigBuilder;
pub use crate::cache::{TokenCache, TokenCacheBuilder};
pub use crate::clock::{Clock, ManualClock, SystemClock};
pub use crate::config::{AuthConfig, Component, Deployment, SAAS_TOKEN_URL, Strategy};
pub use crate::cookie::{CookieAuth, CookieAuthBuilder, CookieJar, LoginPath};
pub use crate::disk::DiskCache;
pub use crate::error::Error;
pub use crate::oauth::{
    ClientAuthMethod, ClientCredentials, ClientCredentialsBuilder, FetchedToken, TokenSource,
};
pub use crate::simple::{BasicAuth, BearerToken, NoAuth};
pub use crate::stack::Authentication;
#[cfg(feature = "http")]
pub use crate::stack::{Stack, StackBuilder};
pub use crate::token::AccessToken;

// What a user of this crate needs to call it, so that it can be used alone: the secret type
// its constructors take (and the trait that reads one), and the transport types.
pub use secrecy::{ExposeSecret, SecretString};
pub use tasklist_transport::{
    self as transport, Authenticator, Bytes, Idempotency, Request, Response, RetryPolicy,
    SharedTransport, Transport, TransportExt, http,
};
#[cfg(feature = "http")]
pub use tasklist_transport::{HttpTransport, HttpTransportBuilder};
pub use url::Url;
