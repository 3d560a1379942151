//! An in-process Camunda Tasklist v1 REST server for tests.
//!
//! [`TestServer`] serves the nine v1 endpoints over an in-memory [`Store`] on an ephemeral
//! loopback port, with the real server's authentication entry points (an OAuth 2.0 token
//! endpoint issuing signed JWTs, cookie login with CSRF, HTTP Basic), version [`Profile`]s for
//! the error bodies and login paths of Tasklist 8.7 and Camunda 8.8, fault injection and request
//! counters. It is an independent oracle: it shares no code with the workspace's client crates.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use tasklist_testkit::{Fault, Route, TestServer};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = TestServer::builder().tasks(3).start().await?;
//! assert!(server.base_url().starts_with("http://127.0.0.1:"));
//! assert_eq!(server.token_url(), format!("{}/oauth/token", server.base_url()));
//!
//! // The next search answers 503 with `Retry-After: 1`, then the server behaves again.
//! server.fail_next(
//!     Route::SearchTasks,
//!     1,
//!     Fault::Unavailable { retry_after: Some(Duration::from_secs(1)) },
//! );
//! assert_eq!(server.requests(Route::SearchTasks), 0);
//! # Ok(())
//! # }
//! ```
//!
//! # Authentication
//!
//! | [`AuthMode`] | the API accepts | otherwise |
//! |---|---|---|
//! | `OAuth` (default) | `Authorization: Bearer <jwt>` from `POST /oauth/token`, `aud` = [`Config::api_audience`] | `401` |
//! | `Cookie { csrf }` | the session cookie from the profile's login; with `csrf`, non-GET requests also need `X-CSRF-TOKEN` | `401`; `403` for CSRF |
//! | `Basic` | `Authorization: Basic` of a configured [`User`] | `401` |
//! | `None` | anything | — |
//!
//! The token endpoint takes `client_credentials` as a form or a JSON object, with the client
//! authenticated in the body or by HTTP Basic, and answers RFC 6749 errors: `invalid_client`
//! (401), `invalid_request`, `unsupported_grant_type`, and RFC 8707's `invalid_target` (400)
//! for an `audience` (or `resource`) the client may not use. Tokens are HS256 JWTs with `iss`,
//! `sub`, `aud`, `iat`, `exp` and `jti`.
//!
//! | | 8.7 | 8.8 |
//! |---|---|---|
//! | login (form `username`, `password`) | `POST /api/login` | `POST /login` |
//! | logout | `POST /api/logout` | `POST /logout` |
//! | session cookie | `TASKLIST-SESSION` | `camunda-session` |
//! | 401 body | `{"message": ""}` (`application/json`) | problem `{type,title,status,detail,instance}` |
//! | CSRF 403 body | `{"error": "Access denied due to invalid CSRF token."}` | problem naming the CSRF token |
//! | API errors | `{status,message,instance}` | problem `{type,title,status,detail,instance}` |
//!
//! Each fact names its origin in Camunda's source in the module that implements it.
//!
//! # Faults and counters
//!
//! [`ServerHandle::fail_next`] queues a [`Fault`] for the next requests of a [`Route`]: 401,
//! CSRF 403, 429 or 503 with `Retry-After`, 500, latency, a connection closed mid-body, or a
//! truncated, malformed, oversized or wrong-type JSON body; [`ServerHandle::set_latency`] delays
//! every request; [`ServerHandle::expire_tokens`], [`ServerHandle::revoke_tokens`],
//! [`ServerHandle::expire_sessions`] and [`ServerHandle::revoke_sessions`] invalidate
//! credentials now. [`ServerHandle::requests`], [`ServerHandle::token_requests`] and
//! [`ServerHandle::logins`] count what arrived.
//!
//! # The binary
//!
//! `tasklist-testkit --port 8080 [--profile 8.7|8.8] [--auth oauth|cookie|cookie-csrf|basic|none]
//! [--tasks 50] [--client-id tasklist] [--client-secret tasklist-secret]` serves the same server
//! on `127.0.0.1` until Ctrl-C and prints the base URL, the token URL and the environment
//! variables (`CAMUNDA_TASKLIST_BASE_URL`, `CAMUNDA_OAUTH_URL`, `ZEEBE_CLIENT_ID`,
//! `ZEEBE_CLIENT_SECRET`, `CAMUNDA_TASKLIST_OAUTH_AUDIENCE`) that point a client at it.
//!
//! # Dependencies
//!
//! - `axum`, `tokio`, `http` (the [`Route::of`] signature), `futures`: the server, its
//!   middleware and the streamed bodies of the faults.
//! - `jsonwebtoken` (with `aws-lc-rs`, already used by the workspace's TLS stack): signs and
//!   checks the HS256 access tokens.
//! - `serde`, `serde_json`, `url` (form bodies), `base64` (HTTP Basic), `jiff` (dates),
//!   `fastrand` (ids, keys and seed data; not a cryptographic generator: this is a test
//!   server), `thiserror`, `tracing`.

mod api;
mod auth;
pub mod config;
mod errors;
mod faults;
pub mod seed;
mod server;
mod state;
pub mod store;
mod v2;

pub use crate::auth::{Caller, CallerKind};
pub use crate::config::{AuthMode, Config, OAuthClient, Profile, User};
pub use crate::faults::{CommandKind, Fault, Route};
pub use crate::server::{Error, ServerHandle, TestServer, TestServerBuilder};
pub use crate::store::Store;
