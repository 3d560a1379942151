//! Loopback servers for the transport's integration tests.

#![allow(dead_code, unreachable_pub)]

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use tasklist_transport::{HttpTransport, HttpTransportBuilder, Request};
use tokio::net::TcpListener;

/// Serves `router` on an ephemeral loopback port until the test ends.
pub async fn serve(router: axum::Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    addr
}

/// A builder that ignores the machine's proxy variables, with short timeouts.
pub fn builder() -> HttpTransportBuilder {
    HttpTransport::builder()
        .no_proxy()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(10))
}

/// A request with an empty body.
pub fn request(method: &str, url: &str) -> Request {
    http::Request::builder()
        .method(method)
        .uri(url)
        .body(Bytes::new())
        .unwrap()
}

/// A loopback port with nothing listening on it.
pub async fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    addr
}
