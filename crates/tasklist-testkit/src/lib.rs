#![doc = include_str!("../README.md")]
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
//! | `OAuth` (default) | `Authorization: Bearer <jwt>` from `POST /oauth/token` (also served at Keycloak's `/auth/realms/camunda-platform/protocol/openid-connect/token`), `aud` = [`Config::api_audience`] | `401` |
//! | `Cookie { csrf }` | the session cookie from the profile's login; with `csrf`, non-GET requests also need `X-CSRF-TOKEN` (or Spring's `_csrf` query or form parameter) | `401`; `403` for CSRF |
//! | `Basic` | `Authorization: Basic` of a configured [`User`] | `401` |
//! | `None` | anything | — |
//!
//! The token endpoint takes `client_credentials` as a form or a JSON object (any other content
//! type is a `400 invalid_request`), with the client
//! authenticated in the body or by HTTP Basic, and answers RFC 6749 errors: `invalid_client`
//! (401), `invalid_request`, `unsupported_grant_type`, and RFC 8707's `invalid_target` (400)
//! for an `audience` (or `resource`) the client may not use. Tokens are HS256 JWTs with `iss`,
//! `sub`, `aud`, `iat`, `exp` and `jti`.
//!
//! | | 8.7 | 8.8, 8.9, 8.10 |
//! |---|---|---|
//! | login (`username`, `password` as form or query parameters) | `POST /api/login` | `POST /login` |
//! | CSRF token after login | `X-CSRF-TOKEN` header and HttpOnly cookie | `X-CSRF-TOKEN` header and cookie |
//! | logout | `POST /api/logout` | `POST /logout` |
//! | session cookie | `TASKLIST-SESSION` | `camunda-session` |
//! | 401 body | `{"message": ""}` (`application/json`) | problem `{type,title,status,detail,instance}` |
//! | CSRF failure | 403 `{"error": "Access denied due to invalid CSRF token."}` | **401** problem naming the CSRF token |
//! | API errors | `{status,message,instance}` | problem `{type,title,status,detail,instance}` |
//!
//! With a cookie session and CSRF on, every non-GET API call needs `X-CSRF-TOKEN`, v2 searches
//! (`POST .../search`) included; bearer and Basic callers never need it.
//!
//! # Versions and APIs
//!
//! | [`Profile`] | v1 `/v1/...` | v2 `/v2/...` | GraphQL `/graphql` | `gatewayVersion` | v2 differences |
//! |---|---|---|---|---|---|
//! | `V8_7` | ✓ | – (404) | ✓ | – | |
//! | `V8_8` | ✓ | ✓ | – (404) | `8.8.0` | no `audit-logs/search` (404); unset task fields left out; no `hasMoreTotalItems` |
//! | `V8_9` | ✓ | ✓ | – (404) | `8.9.0` | audit logs; every task field present (`null` when unset), `rootProcessInstanceKey`, `tags`; `hasMoreTotalItems` |
//! | `V8_10` | 404 problem | ✓ | – (404) | `8.10.0` | as 8.9, plus `businessId` and the 8.10 filters |
//!
//! The v2 API (operations, paging, filters, problems) is described in the `v2` module docs,
//! summarised here:
//!
//! - `POST /v2/user-tasks/search`: `filter` with `$eq $neq $exists $in $notIn $like $gt $gte
//!   $lt $lte` where the spec allows them, `sort: [{field, order}]`, `page` as `{limit}`,
//!   `{from, limit}`, `{after, limit}` or `{before, limit}` (limit 1..=10000, default 100);
//!   the answer is `{items, page: {totalItems, startCursor, endCursor}}`. Cursors are opaque
//!   base64; a malformed one is a 400.
//! - `GET`/`PATCH /v2/user-tasks/{userTaskKey}`, `POST .../assignment`, `DELETE .../assignee`,
//!   `POST .../completion` (commands answer 204), `GET .../form` (204 without a linked form),
//!   `POST .../variables/search` and `.../effective-variables/search` (`?truncateValues=`),
//!   `POST .../audit-logs/search` (8.9+), `GET /v2/variables/{variableKey}` (a variable's
//!   whole value by the `variableKey` the variable searches give), `GET /v2/topology`.
//! - Errors are `application/problem+json` with the codes as titles: `INVALID_ARGUMENT`,
//!   `NOT_FOUND`, `INVALID_STATE`, `DEADLINE_EXCEEDED`; `Bad Request` for unreadable JSON.
//! - [`TestServerBuilder::base_path`] serves every API route and the login under a prefix
//!   (`/physical-tenants/abc`); [`ServerHandle::v2_url`] is the URL to configure clients with.
//! - [`TestServerBuilder::consistency_lag`] / [`ServerHandle::set_consistency_lag`]: commands
//!   apply at once, v2 reads show the old task until the lag has passed.
//!
//! Next to Tasklist's v1 API, up to 8.9, the server answers Operate's v1
//! `POST /v1/process-definitions/search` (`{filter, size, searchAfter, sort}` →
//! `{items, sortValues, total}`, Operate's error bodies) over the processes of its tasks, behind
//! the same authentication; [`Route::SearchProcessDefinitions`] counts it.
//!
//! v1 request bodies are read the way Jackson reads them into Tasklist's Java classes: a
//! malformed or mistyped body is a `400` with Jackson's own message (`JSON parse error:
//! Unexpected character ('}' (code 125)): expected a value`, `JSON parse error: Cannot
//! deserialize value of type ...`), and a JSON number sent for a variable `value` is stored as
//! the exact text sent (`1.50` stays `1.50`). On every profile a bearer-token caller gets `400`
//! for assigning, unassigning or completing a Zeebe user task through v1.
//!
//! Each fact names its origin in Camunda's source in the module that implements it.
//!
//! # GraphQL (8.7)
//!
//! `POST /graphql` takes `{"query", "variables", "operationName"}` (or a batch, or an
//! `application/graphql` body) behind the same authentication and CSRF checks as REST, and
//! serves the part of Tasklist's published schema ([`graphql_sdl`]; the vendored
//! `spec/tasklist.graphqls`) that the store can answer: the queries `tasks(query: TaskQuery!)`,
//! `task(id)`, `variables(taskId, variableNames)`, `variable(id)` and `form(id,
//! processDefinitionId)`, and the mutations `claimTask`, `unclaimTask` and `completeTask`. They
//! follow the v1 rules (the search and its `sortValues` paging, who may claim or complete what)
//! through the same code, and refuse Zeebe user tasks as Tasklist's GraphQL did. Errors go into
//! the `errors` array with the server's message under `200`; a body that is not a GraphQL
//! request, or an introspection query (off by default in Tasklist), is a `400`. Its requests
//! count as [`Route::Graphql`]. Later profiles answer `404`.
//!
//! ```
//! use tasklist_testkit::store::Task;
//! use tasklist_testkit::{AuthMode, Route, TestServer};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = TestServer::builder().auth(AuthMode::None).start().await?;
//! server.store().insert_task(Task::new("1", "Check invoice"));
//! let response = reqwest::Client::builder()
//!     .no_proxy()
//!     .build()?
//!     .post(format!("{}/graphql", server.base_url()))
//!     .header("Content-Type", "application/json")
//!     .body(r#"{"query": "{tasks(query:{}){name}}"}"#)
//!     .send()
//!     .await?;
//! assert_eq!(response.status(), 200);
//! assert_eq!(response.text().await?, r#"{"data":{"tasks":[{"name":"Check invoice"}]}}"#);
//! assert_eq!(server.requests(Route::Graphql), 1);
//! # Ok(())
//! # }
//! ```
//!
//! # Faults and counters
//!
//! [`ServerHandle::fail_next`] queues a [`Fault`] for the next requests of a [`Route`] (v1 and
//! v2 routes alike): 401, CSRF 403, 429 or 503 with `Retry-After`, 500, latency, a connection
//! closed mid-body, or a truncated, malformed, oversized or wrong-type JSON body; for the v2
//! commands also the task-listener faults ([`Fault::ListenerTimeout`] → 504
//! `DEADLINE_EXCEEDED` with or without the command applied, [`Fault::ListenerDenied`] → 409
//! `INVALID_STATE`, [`Fault::ListenerHold`]) and a proxy's HTML 504 ([`Fault::ProxyHtml504`]);
//! [`ServerHandle::command_count`] counts the commands that arrived per task key and
//! [`CommandKind`], so a test can prove a completion was never re-sent after a 504;
//! [`ServerHandle::set_latency`] delays
//! every request; [`ServerHandle::expire_tokens`], [`ServerHandle::revoke_tokens`],
//! [`ServerHandle::expire_sessions`] and [`ServerHandle::revoke_sessions`] invalidate
//! credentials now. [`ServerHandle::requests`], [`ServerHandle::token_requests`] and
//! [`ServerHandle::logins`] count what arrived.
//!
//! # The binary
//!
//! `tasklist-testkit --port 8080 [--profile 8.7|8.8|8.9|8.10] [--base-path /PREFIX]
//! [--auth oauth|cookie|cookie-csrf|basic|none]
//! [--tasks 50] [--client-id tasklist] [--client-secret tasklist-secret]` serves the same server
//! on `127.0.0.1` until Ctrl-C and prints the base URL, the token URL (on 8.7 the GraphQL URL)
//! and the environment variables of [`ServerHandle::environment`] that point a client at it,
//! as the `export NAME=value` lines of [`ServerHandle::export_lines`] (the lines
//! `tasklist sandbox serve` prints too).

mod api;
mod auth;
pub mod config;
mod errors;
mod faults;
mod graphql;
mod inject;
mod jackson;
mod operate;
pub mod seed;
mod server;
mod state;
pub mod store;
mod v2;

pub use crate::auth::{Caller, CallerKind};
pub use crate::config::{AuthMode, Config, OAuthClient, Profile, User};
pub use crate::faults::{CommandKind, Fault, Route};
pub use crate::graphql::graphql_sdl;
pub use crate::server::{Credentials, Error, ServerHandle, TestServer, TestServerBuilder};
pub use crate::store::Store;

// The guide to testing with this crate, its examples compiled (and, where they have a `main`,
// run) as doc tests so that it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/testing.md")]
struct TestingGuide;
