//! The errors of starting a server ([`Error`]).

use std::net::SocketAddr;

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
    /// A client of the server could not be built ([`ServerHandle::client`]).
    ///
    /// [`ServerHandle::client`]: crate::ServerHandle::client
    #[error("cannot build a client of the test server: {0}")]
    Client(String),
}
