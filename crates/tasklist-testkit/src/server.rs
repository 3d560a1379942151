//! The server: its builder, the running [`TestServer`] and the [`ServerHandle`] that controls
//! and inspects it.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::ops::Deref;
use std::time::Duration;

use axum::Router;
use axum::extract::OriginalUri;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use axum::routing::any;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::{AuthMode, Config, OAuthClient, Profile, User};
use crate::faults::{Fault, Route};
use crate::seed::SeedSpec;
use crate::state::AppState;
use crate::store::Store;

/// The errors of starting a server.
///
/// ```
/// use tasklist_testkit::{Error, TestServer};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// // Port 1 needs privileges (or is taken): the bind fails with a typed error.
/// if let Err(e) = TestServer::builder().port(1).start().await {
///     assert!(matches!(e, Error::Bind { .. }));
///     assert!(e.to_string().contains("127.0.0.1:1"));
/// }
/// # }
/// ```
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address tried.
        addr: SocketAddr,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },
    /// The configuration cannot work (for example cookie login without any user).
    #[error("invalid test server configuration: {0}")]
    Config(String),
}

/// Builds a [`TestServer`]; get one from [`TestServer::builder`].
///
/// Defaults: profile 8.7, OAuth, user `demo`/`demo`, client `tasklist`/`tasklist-secret` with
/// audience `tasklist-api`, tokens valid 5 minutes, no seeded tasks, truncation above 8191
/// characters, an ephemeral port on 127.0.0.1.
///
/// ```
/// use std::time::Duration;
/// use tasklist_testkit::{AuthMode, Profile, TestServer};
///
/// let builder = TestServer::builder()
///     .profile(Profile::V8_8)
///     .auth(AuthMode::Cookie { csrf: false })
///     .csrf(true)
///     .user("ann", "secret")
///     .client("worker", "s3cret", "tasklist-api")
///     .token_lifetime(Duration::from_secs(30))
///     .tasks(50)
///     .truncation_threshold(100);
/// assert_eq!(builder.config().auth, AuthMode::Cookie { csrf: true });
/// assert_eq!(builder.config().users.len(), 2);
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct TestServerBuilder {
    config: Config,
    port: u16,
}

impl TestServerBuilder {
    /// The server version to imitate (default 8.7).
    ///
    /// ```
    /// use tasklist_testkit::{Profile, TestServer};
    /// let b = TestServer::builder().profile(Profile::V8_8);
    /// assert_eq!(b.config().profile, Profile::V8_8);
    /// ```
    pub fn profile(mut self, profile: Profile) -> Self {
        self.config.profile = profile;
        self
    }

    /// The credentials the API accepts (default OAuth).
    ///
    /// ```
    /// use tasklist_testkit::{AuthMode, TestServer};
    /// let b = TestServer::builder().auth(AuthMode::Basic);
    /// assert_eq!(b.config().auth, AuthMode::Basic);
    /// ```
    pub fn auth(mut self, auth: AuthMode) -> Self {
        self.config.auth = auth;
        self
    }

    /// Turns CSRF protection on or off; switches the auth mode to cookie sessions if it is not
    /// already.
    ///
    /// ```
    /// use tasklist_testkit::{AuthMode, TestServer};
    /// let b = TestServer::builder().csrf(true);
    /// assert_eq!(b.config().auth, AuthMode::Cookie { csrf: true });
    /// ```
    pub fn csrf(mut self, on: bool) -> Self {
        self.config.auth = AuthMode::Cookie { csrf: on };
        self
    }

    /// Adds a user for cookie login and HTTP Basic (to `demo`/`demo` and any added before).
    ///
    /// ```
    /// use tasklist_testkit::TestServer;
    /// let b = TestServer::builder().user("ann", "pw");
    /// assert!(b.config().user("ann", "pw").is_some());
    /// ```
    pub fn user(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.config.users.push(User::new(username, password));
        self
    }

    /// Replaces all users.
    ///
    /// ```
    /// use tasklist_testkit::{TestServer, User};
    /// let b = TestServer::builder().users([User::new("bob", "pw")]);
    /// assert!(b.config().user("demo", "demo").is_none());
    /// ```
    pub fn users(mut self, users: impl IntoIterator<Item = User>) -> Self {
        self.config.users = users.into_iter().collect();
        self
    }

    /// Adds an OAuth client (to `tasklist`/`tasklist-secret` and any added before).
    ///
    /// ```
    /// use tasklist_testkit::TestServer;
    /// let b = TestServer::builder().client("worker", "s3cret", "tasklist-api");
    /// assert!(b.config().client("worker").is_some());
    /// ```
    pub fn client(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        audience: impl Into<String>,
    ) -> Self {
        self.config
            .clients
            .push(OAuthClient::new(client_id, client_secret, audience));
        self
    }

    /// Replaces all OAuth clients.
    ///
    /// ```
    /// use tasklist_testkit::{OAuthClient, TestServer};
    /// let b = TestServer::builder().clients([OAuthClient::new("a", "b", "c")]);
    /// assert!(b.config().client("tasklist").is_none());
    /// ```
    pub fn clients(mut self, clients: impl IntoIterator<Item = OAuthClient>) -> Self {
        self.config.clients = clients.into_iter().collect();
        self
    }

    /// The audience bearer tokens must carry to be accepted by the API (default
    /// `tasklist-api`).
    ///
    /// ```
    /// use tasklist_testkit::TestServer;
    /// let b = TestServer::builder().api_audience("my-api");
    /// assert_eq!(b.config().api_audience, "my-api");
    /// ```
    pub fn api_audience(mut self, audience: impl Into<String>) -> Self {
        self.config.api_audience = audience.into();
        self
    }

    /// The lifetime of issued tokens (default 5 minutes); `expires_in` is rounded up to whole
    /// seconds.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tasklist_testkit::TestServer;
    /// let b = TestServer::builder().token_lifetime(Duration::from_secs(2));
    /// assert_eq!(b.config().token_lifetime, Duration::from_secs(2));
    /// ```
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.config.token_lifetime = lifetime;
        self
    }

    /// How long a cookie session may stay unused before it is refused (default: forever).
    ///
    /// ```
    /// use std::time::Duration;
    /// use tasklist_testkit::TestServer;
    /// let b = TestServer::builder().session_lifetime(Duration::from_secs(60));
    /// assert_eq!(b.config().session_lifetime, Some(Duration::from_secs(60)));
    /// ```
    pub fn session_lifetime(mut self, lifetime: Duration) -> Self {
        self.config.session_lifetime = Some(lifetime);
        self
    }

    /// Seeds the store with `count` generated tasks at start (default 0).
    ///
    /// ```
    /// use tasklist_testkit::TestServer;
    /// assert_eq!(TestServer::builder().tasks(10).config().seed_tasks, 10);
    /// ```
    pub fn tasks(mut self, count: usize) -> Self {
        self.config.seed_tasks = count;
        self
    }

    /// The seed of the task generator (default 1).
    ///
    /// ```
    /// use tasklist_testkit::TestServer;
    /// assert_eq!(TestServer::builder().seed(7).config().seed, 7);
    /// ```
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = seed;
        self
    }

    /// Variable values longer than this many characters are truncated in search results
    /// (default 8191).
    ///
    /// ```
    /// use tasklist_testkit::TestServer;
    /// assert_eq!(TestServer::builder().truncation_threshold(10).config().truncation_threshold, 10);
    /// ```
    pub fn truncation_threshold(mut self, chars: usize) -> Self {
        self.config.truncation_threshold = chars;
        self
    }

    /// The `iss` claim of issued tokens (default `tasklist-testkit`).
    ///
    /// ```
    /// use tasklist_testkit::TestServer;
    /// assert_eq!(TestServer::builder().issuer("me").config().issuer, "me");
    /// ```
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.config.issuer = issuer.into();
        self
    }

    /// Replaces the whole configuration.
    ///
    /// ```
    /// use tasklist_testkit::{Config, TestServer};
    /// let b = TestServer::builder().with_config(Config::default());
    /// assert_eq!(b.config().seed_tasks, 0);
    /// ```
    pub fn with_config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Serves every API route (v1 and v2) and the login and logout endpoints under this path
    /// prefix, for clients configured with one (8.10's physical tenants:
    /// `/physical-tenants/{id}/v2/...`, FACTS §3.4). The token endpoint stays at the root.
    /// A missing leading `/` is added and a trailing one dropped; `""` or `/` serve at the root
    /// (the default).
    ///
    /// ```
    /// use tasklist_testkit::TestServer;
    /// let b = TestServer::builder().base_path("physical-tenants/abc/");
    /// assert_eq!(b.config().base_path, "/physical-tenants/abc");
    /// ```
    pub fn base_path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        let trimmed = path.trim_matches('/');
        self.config.base_path = if trimmed.is_empty() {
            String::new()
        } else {
            format!("/{trimmed}")
        };
        self
    }

    /// How long v2 reads (search, get, form, variables) keep showing a task as it was before a
    /// command (assign, unassign, complete, update) changed it; the command itself applies at
    /// once (FACTS §5: reads come from secondary storage). Default zero. Change it on a
    /// running server with [`ServerHandle::set_consistency_lag`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use tasklist_testkit::TestServer;
    /// let b = TestServer::builder().consistency_lag(Duration::from_millis(300));
    /// assert_eq!(b.config().consistency_lag, Duration::from_millis(300));
    /// ```
    pub fn consistency_lag(mut self, lag: Duration) -> Self {
        self.config.consistency_lag = lag;
        self
    }

    /// The loopback port to listen on (default 0: any free port).
    ///
    /// ```
    /// use tasklist_testkit::TestServer;
    /// let _ = TestServer::builder().port(0);
    /// ```
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The configuration built so far.
    ///
    /// ```
    /// use tasklist_testkit::TestServer;
    /// assert_eq!(TestServer::builder().config().users[0].username, "demo");
    /// ```
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Seeds the store, binds `127.0.0.1:<port>` and starts serving on the current Tokio
    /// runtime.
    ///
    /// # Errors
    ///
    /// [`Error::Bind`] when the port cannot be bound; [`Error::Config`] when the auth mode
    /// needs users or clients and none is configured.
    ///
    /// ```
    /// use tasklist_testkit::TestServer;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = TestServer::builder().tasks(5).start().await?;
    /// assert_eq!(server.store().tasks().len(), 5);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start(self) -> Result<TestServer, Error> {
        let config = self.config;
        match config.auth {
            AuthMode::Cookie { .. } | AuthMode::Basic if config.users.is_empty() => {
                return Err(Error::Config(format!(
                    "auth mode `{}` needs at least one user",
                    config.auth
                )));
            }
            AuthMode::OAuth if config.clients.is_empty() => {
                return Err(Error::Config(
                    "auth mode `oauth` needs at least one OAuth client".to_owned(),
                ));
            }
            _ => {}
        }
        let store = Store::new();
        if config.seed_tasks > 0 {
            store.seed(&SeedSpec::new(config.seed_tasks, config.seed));
        }
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| Error::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| Error::Bind { addr, source })?;
        let state = AppState::new(config, store);
        let app = app(state.clone());
        let (shutdown, on_shutdown) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    // A dropped sender also means: stop.
                    let _ = on_shutdown.await;
                })
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "test server stopped with an error");
            }
        });
        let handle = ServerHandle {
            state,
            base_url: format!("http://{addr}"),
            addr,
        };
        tracing::info!(base_url = %handle.base_url, "test server listening");
        Ok(TestServer {
            handle,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }
}

/// The whole application: auth endpoints, the API behind the auth middleware, the faults and
/// counters middleware in front of everything.
fn app(state: AppState) -> Router {
    let profile = state.config().profile;
    let mut api = Router::new();
    if profile.serves_v1() {
        // Operate's v1 API lived and went with Tasklist's (see the `operate` module).
        api = api
            .merge(crate::api::router())
            .merge(crate::operate::router());
    }
    if profile.serves_graphql() {
        api = api.merge(crate::graphql::router());
    }
    if profile.serves_v2() {
        api = api.merge(crate::v2::router(profile));
    }
    let api = api.layer(from_fn_with_state(state.clone(), crate::auth::require));
    let mut scoped = Router::new()
        .merge(crate::auth::session_router())
        .merge(api);
    if !profile.serves_v1() {
        scoped = scoped.route("/v1/{*rest}", any(v1_removed));
    }
    let base = state.config().base_path.trim_end_matches('/').to_owned();
    let scoped = if base.is_empty() {
        scoped
    } else {
        Router::new().nest(&base, scoped)
    };
    Router::new()
        .merge(crate::auth::token_router())
        .merge(scoped)
        .fallback(crate::inject::not_found)
        .layer(from_fn_with_state(state.clone(), crate::inject::middleware))
        .with_state(state)
}

/// Every `/v1/...` path on 8.10, which removed Tasklist v1: a `404` problem (origin: FACTS
/// §7.4; unknown paths get 404 from the deny-all chain, FACTS §7.1).
async fn v1_removed(OriginalUri(uri): OriginalUri) -> Response {
    crate::v2::problems::problem_response(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "The Tasklist V1 API is not available in this version; use the V2 API",
        uri.path(),
    )
}

/// A running in-process Tasklist server, listening on 127.0.0.1.
///
/// Dropping it stops the server gracefully (in-flight requests finish; the listener closes);
/// [`shutdown`](TestServer::shutdown) does the same and waits for it. It dereferences to its
/// [`ServerHandle`], so the handle's counters, faults and store are available directly.
///
/// ```
/// use tasklist_testkit::{Fault, Route, TestServer};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), tasklist_testkit::Error> {
/// let server = TestServer::builder().tasks(2).start().await?;
/// server.fail_next(Route::SearchTasks, 1, Fault::Internal500);
/// assert_eq!(server.pending_faults(Route::SearchTasks), 1);
/// let handle = server.handle(); // cloneable, 'static
/// assert_eq!(handle.base_url(), server.base_url());
/// server.shutdown().await;
/// # Ok(())
/// # }
/// ```
pub struct TestServer {
    handle: ServerHandle,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for TestServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestServer")
            .field("base_url", &self.handle.base_url)
            .finish_non_exhaustive()
    }
}

impl TestServer {
    /// A builder with the defaults listed on [`TestServerBuilder`].
    ///
    /// ```
    /// use tasklist_testkit::{Profile, TestServer};
    /// assert_eq!(TestServer::builder().config().profile, Profile::V8_7);
    /// ```
    pub fn builder() -> TestServerBuilder {
        TestServerBuilder::default()
    }

    /// A cloneable handle to control and inspect the server; it stays usable after the server
    /// stopped (its counters and store remain readable).
    ///
    /// ```
    /// use tasklist_testkit::TestServer;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = TestServer::builder().start().await?;
    /// let handle = server.handle();
    /// assert_eq!(handle.total_requests(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn handle(&self) -> ServerHandle {
        self.handle.clone()
    }

    /// Stops the server gracefully and waits until it has stopped.
    ///
    /// ```
    /// use tasklist_testkit::TestServer;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_testkit::Error> {
    /// let server = TestServer::builder().start().await?;
    /// let addr = server.addr();
    /// server.shutdown().await;
    /// assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Deref for TestServer {
    type Target = ServerHandle;

    fn deref(&self) -> &ServerHandle {
        &self.handle
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// Controls and inspects a running [`TestServer`]: counters, faults, latency, token and session
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
    /// [`base_path`](TestServerBuilder::base_path) (no trailing slash); the v2 API lives at
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
    pub fn command_count(&self, key: &str, kind: crate::faults::CommandKind) -> usize {
        self.state.v2().command_count(key, kind)
    }

    /// Sets the consistency lag of v2 reads (see
    /// [`TestServerBuilder::consistency_lag`]); commands sent before keep the lag they had.
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
