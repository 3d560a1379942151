//! Support for the workspace's end-to-end tests: servers on loopback that the tests start.
//!
//! The tests themselves live in `tests/tests/`; each drives the public API of several crates
//! together over real HTTP.

use std::net::SocketAddr;

use tokio::net::TcpListener;

/// Serves `router` on an ephemeral loopback port in a background task and returns its
/// address. The server lives as long as the test's runtime.
///
/// # Errors
///
/// Binding the loopback port failed.
///
/// # Example
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let app = axum::Router::new().route("/", axum::routing::get(|| async { "hi" }));
/// let addr = tasklist_e2e::serve(app).await.unwrap();
/// assert!(addr.ip().is_loopback());
/// # });
/// ```
pub async fn serve(router: axum::Router) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            panic!("test server failed: {error}");
        }
    });
    Ok(addr)
}
