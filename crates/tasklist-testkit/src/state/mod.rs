//! The state shared by every handler and middleware of one server: the configuration, the
//! store, and what authentication, fault injection and the v2 API keep.

use std::sync::Arc;

use crate::config::Config;
use crate::store::Store;

mod auth;
mod faults;
mod lock;
mod v2;

use self::auth::AuthState;
use self::faults::FaultState;
pub(crate) use self::v2::AuditEntry;
use self::v2::V2State;

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
