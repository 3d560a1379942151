//! The [`ServerHandle`] that controls and inspects a running server: URLs, counters, faults,
//! latency, token and session invalidation, the store.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use super::error::Error;
use crate::config::Config;
use crate::faults::{CommandKind, Fault, Route};
use crate::state::AppState;
use crate::store::Store;

/// Controls and inspects a running [`TestServer`](crate::TestServer): counters, faults, latency, token and session
/// invalidation, the store. Cheap to clone.
///
/// ```
/// use std::time::Duration;
/// use tasklist_testkit::{Fault, Route, TestServer};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), tasklist_testkit::Error> {
/// let server = TestServer::builder().start().await?;
/// let handle = server.handle();
/// handle.fail_next(
///     Route::Token,
///     2,
///     Fault::Unavailable { retry_after: Some(Duration::from_secs(1)) },
/// );
/// handle.set_latency(Duration::from_millis(5));
/// handle.expire_tokens();
/// handle.revoke_sessions();
/// assert_eq!(handle.token_requests(), 0);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct ServerHandle {
    state: AppState,
    base_url: String,
    addr: SocketAddr,
}

impl fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerHandle")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl ServerHandle {
    /// The handle of a server listening on `addr` with this state.
    pub(super) fn new(state: AppState, addr: SocketAddr) -> Self {
        ServerHandle {
            state,
            base_url: format!("http://{addr}"),
            addr,
        }
    }

    /// The server's base URL, `http://127.0.0.1:<port>` (no trailing slash).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert!(server.base_url().starts_with("http://127.0.0.1:"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The token endpoint, `<base_url>/oauth/token`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert!(server.token_url().ends_with("/oauth/token"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn token_url(&self) -> String {
        format!("{}{}", self.base_url, crate::auth::TOKEN_PATH)
    }

    /// The profile's login endpoint (`/api/login` for 8.7, `/login` for 8.8).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert!(server.login_url().ends_with("/api/login"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn login_url(&self) -> String {
        format!(
            "{}{}{}",
            self.base_url,
            self.config().base_path,
            self.config().profile.login_path()
        )
    }

    /// The URL API clients are configured with: the base URL followed by the configured
    /// [`base_path`](crate::TestServerBuilder::base_path) (no trailing slash); the v2 API lives at
    /// `<v2_url>/v2/...`, v1 at `<v2_url>/v1/...`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder()
    ///     .base_path("/physical-tenants/abc")
    ///     .start()
    ///     .await?;
    /// assert_eq!(
    ///     server.v2_url(),
    ///     format!("{}/physical-tenants/abc", server.base_url())
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub fn v2_url(&self) -> String {
        format!("{}{}", self.base_url, self.config().base_path)
    }

    /// The socket address listened on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert!(server.addr().ip().is_loopback());
    /// # Ok(())
    /// # }
    /// ```
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The configuration the server runs with.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert_eq!(server.config().truncation_threshold, 8191);
    /// # Ok(())
    /// # }
    /// ```
    pub fn config(&self) -> &Config {
        self.state.config()
    }

    /// The in-memory store: inspect or change tasks, variables and forms directly.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().tasks(3).start().await?;
    /// assert_eq!(server.store().tasks().len(), 3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn store(&self) -> &Store {
        self.state.store()
    }

    // ----- counters -----

    /// Requests received for `route`, including those answered by an injected fault or refused
    /// by authentication.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert_eq!(server.requests(tasklist_testkit::Route::GetTask), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn requests(&self, route: Route) -> u64 {
        self.state.faults().requests(route)
    }

    /// Requests received by the token endpoint (`requests(Route::Token)`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert_eq!(server.token_requests(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn token_requests(&self) -> u64 {
        self.requests(Route::Token)
    }

    /// Login requests received, successful or not (`requests(Route::Login)`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert_eq!(server.logins(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn logins(&self) -> u64 {
        self.requests(Route::Login)
    }

    /// Logins that created a session.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert_eq!(server.successful_logins(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn successful_logins(&self) -> u64 {
        self.state.auth().successful_logins()
    }

    /// Access tokens issued by the token endpoint or [`mint_token`](Self::mint_token).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert_eq!(server.tokens_issued(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn tokens_issued(&self) -> u64 {
        self.state.auth().tokens_issued()
    }

    /// All requests received, on every route.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert_eq!(server.total_requests(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn total_requests(&self) -> u64 {
        self.state.faults().total()
    }

    /// Sets the request counters back to zero (not the token or login tallies).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// server.reset_counters();
    /// assert_eq!(server.total_requests(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn reset_counters(&self) {
        self.state.faults().reset_counters();
        self.state.v2().reset_commands();
    }

    /// Task commands of `kind` that arrived for task `key` (v1 or v2), whatever their answer:
    /// also those answered by an injected fault or refused. A test can prove with it that a
    /// client did not re-send a completion after a `504`.
    ///
    /// ```
    /// use tasklist_testkit::CommandKind;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert_eq!(server.command_count("2251799813685251", CommandKind::Complete), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn command_count(&self, key: &str, kind: CommandKind) -> usize {
        self.state.v2().command_count(key, kind)
    }

    /// Sets the consistency lag of v2 reads (see
    /// [`TestServerBuilder::consistency_lag`](crate::TestServerBuilder::consistency_lag)); commands sent before keep the lag they had.
    ///
    /// ```
    /// use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// server.set_consistency_lag(Duration::from_millis(200));
    /// assert_eq!(server.consistency_lag(), Duration::from_millis(200));
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_consistency_lag(&self, lag: Duration) {
        self.state.v2().set_lag(lag);
    }

    /// The consistency lag of v2 reads.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert!(server.consistency_lag().is_zero());
    /// # Ok(())
    /// # }
    /// ```
    pub fn consistency_lag(&self) -> Duration {
        self.state.v2().lag()
    }

    // ----- faults -----

    /// Makes the next `times` requests to `route` misbehave as `fault` describes (after the
    /// faults queued before for the route are used up).
    ///
    /// ```
    /// use tasklist_testkit::{Fault, Route};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// server.fail_next(Route::GetTask, 3, Fault::TruncatedJson);
    /// assert_eq!(server.pending_faults(Route::GetTask), 3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn fail_next(&self, route: Route, times: u32, fault: Fault) {
        self.state.faults().push(route, times, fault);
    }

    /// Injections still pending for `route`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert_eq!(server.pending_faults(tasklist_testkit::Route::Token), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn pending_faults(&self, route: Route) -> u64 {
        self.state.faults().pending(route)
    }

    /// Drops every pending fault.
    ///
    /// ```
    /// use tasklist_testkit::{Fault, Route};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// server.fail_next(Route::GetTask, 1, Fault::Internal500);
    /// server.clear_faults();
    /// assert_eq!(server.pending_faults(Route::GetTask), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn clear_faults(&self) {
        self.state.faults().clear();
    }

    /// Delays every request by `latency` before it is handled (`Duration::ZERO` turns it off).
    ///
    /// ```
    /// use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// server.set_latency(Duration::from_millis(20));
    /// assert_eq!(server.latency(), Duration::from_millis(20));
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_latency(&self, latency: Duration) {
        self.state.faults().set_latency(latency);
    }

    /// The latency added to every request.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert!(server.latency().is_zero());
    /// # Ok(())
    /// # }
    /// ```
    pub fn latency(&self) -> Duration {
        self.state.faults().latency()
    }

    // ----- credentials -----

    /// Makes every token issued so far expired: the API answers `401` with Spring's
    /// `Jwt expired at ...` message. Tokens issued afterwards are valid.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// server.expire_tokens();
    /// # Ok(())
    /// # }
    /// ```
    pub fn expire_tokens(&self) {
        self.state.auth().expire_tokens();
    }

    /// Revokes every token issued so far by rotating the signing key: the API answers `401`
    /// with Spring's `Signed JWT rejected: Invalid signature` message.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// server.revoke_tokens();
    /// # Ok(())
    /// # }
    /// ```
    pub fn revoke_tokens(&self) {
        self.state.auth().revoke_tokens();
    }

    /// Times out every session: requests with it get `401`, as after the server's session
    /// timeout.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// server.expire_sessions();
    /// assert_eq!(server.active_sessions(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn expire_sessions(&self) {
        self.state.auth().expire_sessions();
    }

    /// Forgets every session, as a server restart without persistent sessions does: requests
    /// with one get `401`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// server.revoke_sessions();
    /// # Ok(())
    /// # }
    /// ```
    pub fn revoke_sessions(&self) {
        self.state.auth().revoke_sessions();
    }

    /// Sessions that would be accepted now.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// assert_eq!(server.active_sessions(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn active_sessions(&self) -> usize {
        self.state.auth().active_sessions(self.config())
    }

    /// Signs an access token as the token endpoint would, with any subject, audience and
    /// lifetime (`Duration::ZERO` gives a token that is expired once the current second ends).
    /// Counts in [`tokens_issued`](Self::tokens_issued), not in
    /// [`token_requests`](Self::token_requests).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the token cannot be signed (not expected with HS256).
    ///
    /// ```
    /// use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = tasklist_testkit::TestServer::builder().start().await?;
    /// let token = server.mint_token("tasklist", "zeebe-api", Duration::from_secs(60))?;
    /// assert_eq!(token.split('.').count(), 3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn mint_token(
        &self,
        subject: &str,
        audience: &str,
        lifetime: Duration,
    ) -> Result<String, Error> {
        self.state
            .auth()
            .mint(self.config(), subject, audience, lifetime)
            .map_err(|e| Error::Config(format!("cannot sign a token: {e}")))
    }
}
