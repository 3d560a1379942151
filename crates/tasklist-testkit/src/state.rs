//! The state shared by every handler and middleware of one server.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::auth::AuthState;
use crate::config::Config;
use crate::faults::FaultState;
use crate::store::Store;
use crate::v2::V2State;

/// Locks `mutex`, recovering the data if a panicking thread poisoned it: the server's mutexes
/// (auth sessions, fault queues and counters, v2 history and audit log) stay consistent under
/// every single update.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The server's shared state: cheap to clone (one `Arc`), handed to every handler through axum's
/// `State` extractor and kept by [`ServerHandle`](crate::ServerHandle).
#[derive(Clone)]
pub(crate) struct AppState(Arc<Shared>);

/// What [`AppState`] points to.
struct Shared {
    config: Config,
    store: Store,
    auth: AuthState,
    faults: FaultState,
    v2: V2State,
}

impl AppState {
    /// State for a server with this configuration and store.
    pub(crate) fn new(config: Config, store: Store) -> Self {
        let auth = AuthState::new();
        let v2 = V2State::new(config.consistency_lag);
        AppState(Arc::new(Shared {
            config,
            store,
            auth,
            faults: FaultState::default(),
            v2,
        }))
    }

    /// The configuration the server was started with.
    pub(crate) fn config(&self) -> &Config {
        &self.0.config
    }

    /// The in-memory task store.
    pub(crate) fn store(&self) -> &Store {
        &self.0.store
    }

    /// Issued tokens, sessions and the signing key.
    pub(crate) fn auth(&self) -> &AuthState {
        &self.0.auth
    }

    /// Pending faults, latency and counters.
    pub(crate) fn faults(&self) -> &FaultState {
        &self.0.faults
    }

    /// The v2 API's consistency lag, command counters and audit log.
    pub(crate) fn v2(&self) -> &V2State {
        &self.0.v2
    }
}
