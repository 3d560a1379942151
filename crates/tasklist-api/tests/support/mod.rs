//! Helpers shared by the integration tests: a loopback HTTP server, a client over the real
//! transport, and the generator of response fixtures from the server-generated specs.

// Every test binary compiles this module, and none uses all of it.
#![allow(dead_code, unreachable_pub)]

pub mod fixtures;

use tasklist_api::Client;
use tasklist_transport::{HttpTransport, SharedTransport, TransportExt};
use tokio::sync::oneshot;

/// The real HTTP transport, without proxies (the tests talk to loopback servers).
pub fn http_transport() -> SharedTransport {
    HttpTransport::builder()
        .no_proxy()
        .build()
        .unwrap()
        .into_shared()
}

/// A client over the real HTTP transport for `base`.
pub fn client(base: &str) -> Client {
    Client::new(base, http_transport()).unwrap()
}

/// An axum server on an ephemeral loopback port; it stops when dropped.
pub struct Loopback {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Drop for Loopback {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// Serves `router` on `127.0.0.1:0`. The socket is listening when this returns, so requests
/// may be sent at once.
pub async fn serve(router: axum::Router) -> Loopback {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (shutdown, stop) = oneshot::channel::<()>();
    tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = stop.await;
            })
            .await
            .unwrap();
    });
    Loopback {
        base: format!("http://{address}"),
        shutdown: Some(shutdown),
    }
}

/// One request a [`Scripted`] server received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: http::Method,
    /// The path as sent (still percent-encoded).
    pub path: String,
    pub query: Option<String>,
    pub headers: http::HeaderMap,
    pub body: bytes::Bytes,
}

impl Received {
    /// The body as JSON (`Value::Null` when empty).
    pub fn json(&self) -> serde_json::Value {
        if self.body.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&self.body).unwrap()
        }
    }
}

/// A canned answer: status, `Content-Type` (none when `None`) and body.
struct Reply {
    status: u16,
    content_type: Option<String>,
    body: String,
}

#[derive(Default)]
struct Script {
    replies: std::collections::VecDeque<Reply>,
    received: Vec<Received>,
}

/// A loopback server that answers every request with the next queued reply (or 599 when none is
/// queued) and records what it received.
pub struct Scripted {
    pub server: Loopback,
    script: std::sync::Arc<std::sync::Mutex<Script>>,
}

impl Scripted {
    pub async fn start() -> Scripted {
        let script = std::sync::Arc::new(std::sync::Mutex::new(Script::default()));
        let state = script.clone();
        let router = axum::Router::new().fallback(move |request: axum::extract::Request| {
            let state = state.clone();
            async move {
                let (parts, body) = request.into_parts();
                let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
                let mut script = state.lock().unwrap();
                script.received.push(Received {
                    method: parts.method,
                    path: parts.uri.path().to_owned(),
                    query: parts.uri.query().map(str::to_owned),
                    headers: parts.headers,
                    body,
                });
                let reply = script.replies.pop_front().unwrap_or(Reply {
                    status: 599,
                    content_type: Some("text/plain".into()),
                    body: "no reply was queued for this request".into(),
                });
                let mut response = http::Response::builder().status(reply.status);
                if let Some(content_type) = reply.content_type {
                    response = response.header(http::header::CONTENT_TYPE, content_type);
                }
                response.body(axum::body::Body::from(reply.body)).unwrap()
            }
        });
        Scripted {
            server: serve(router).await,
            script,
        }
    }

    pub fn base(&self) -> &str {
        &self.server.base
    }

    /// Queues the answer to the next request.
    pub fn reply(&self, status: u16, content_type: Option<&str>, body: impl Into<String>) {
        self.script.lock().unwrap().replies.push_back(Reply {
            status,
            content_type: content_type.map(str::to_owned),
            body: body.into(),
        });
    }

    /// Queues a JSON answer.
    pub fn reply_json(&self, status: u16, body: &serde_json::Value) {
        self.reply(status, Some("application/json"), body.to_string());
    }

    /// Takes what was received since the last call.
    pub fn received(&self) -> Vec<Received> {
        std::mem::take(&mut self.script.lock().unwrap().received)
    }

    /// Takes the one request received since the last call.
    pub fn received_one(&self) -> Received {
        let mut received = self.received();
        assert_eq!(
            received.len(),
            1,
            "expected exactly one request: {received:#?}"
        );
        received.remove(0)
    }
}
