//! Starting a server: the [`TestServerBuilder`] and the running [`TestServer`] it starts.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::ops::Deref;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::app::app;
use super::error::Error;
use super::handle::ServerHandle;
use crate::config::{AuthMode, Config, OAuthClient, Profile, User};
use crate::seed::SeedSpec;
use crate::state::AppState;
use crate::store::Store;

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
        let handle = ServerHandle::new(state, addr);
        tracing::info!(base_url = %handle.base_url(), "test server listening");
        Ok(TestServer {
            handle,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }
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
            .field("base_url", &self.handle.base_url())
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
