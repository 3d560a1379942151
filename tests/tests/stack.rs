//! The recommended transport stack (HTTP, tracing, an authenticator, retries) working as one,
//! against a loopback server.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::any;
use bytes::Bytes;
use tasklist_transport::{
    Authenticator, Error, HttpTransport, Idempotency, Rejection, Request, Response, RetryPolicy,
    Transport, TransportExt, async_trait,
};

/// Signs with `Bearer t<generation>`; a rejection renews to the next generation.
#[derive(Debug, Default)]
struct Rotating {
    generation: AtomicU32,
}

#[derive(Clone, Copy)]
struct SignedWith(u32);

#[async_trait]
impl Authenticator for Rotating {
    async fn sign(&self, request: &mut Request) -> Result<(), Error> {
        let g = self.generation.load(Ordering::SeqCst);
        request.extensions_mut().insert(SignedWith(g));
        request.headers_mut().insert(
            "authorization",
            http::HeaderValue::from_str(&format!("Bearer t{g}")).unwrap(),
        );
        Ok(())
    }

    async fn rejected(&self, request: &Request, _: &Response) -> Result<Rejection, Error> {
        let failed = request.extensions().get::<SignedWith>().unwrap().0;
        let _ = self.generation.compare_exchange(
            failed,
            failed + 1,
            Ordering::SeqCst,
            Ordering::SeqCst,
        );
        Ok(Rejection::RetryOnce)
    }
}

/// What the server saw: the `Authorization` header of every request, in order.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<String>>>);

/// Rejects `t0`, answers 503 to the first request signed with `t1`, then 200.
async fn api(State(seen): State<Seen>, headers: HeaderMap) -> impl IntoResponse {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let mut log = seen.0.lock().unwrap();
    log.push(auth.clone());
    let t1_count = log.iter().filter(|a| *a == "Bearer t1").count();
    match auth.as_str() {
        "Bearer t0" => (
            StatusCode::UNAUTHORIZED,
            [("retry-after", "0")],
            "expired token",
        ),
        "Bearer t1" if t1_count == 1 => (
            StatusCode::SERVICE_UNAVAILABLE,
            [("retry-after", "0")],
            "busy",
        ),
        "Bearer t1" => (StatusCode::OK, [("retry-after", "0")], "tasks"),
        _ => (StatusCode::FORBIDDEN, [("retry-after", "0")], "who are you"),
    }
}

fn stack(auth: Arc<Rotating>) -> impl Transport {
    HttpTransport::builder()
        .no_proxy()
        .build()
        .unwrap()
        .with_tracing()
        .with_authenticator(auth)
        .with_retry(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(10)),
        )
}

#[tokio::test]
async fn renewal_and_retry_compose_and_every_attempt_is_signed_afresh() {
    let seen = Seen::default();
    let app = Router::new()
        .route("/v1/tasks/search", any(api))
        .with_state(seen.clone());
    let addr = tasklist_e2e::serve(app).await.unwrap();
    let auth = Arc::new(Rotating::default());
    let transport = stack(auth.clone());

    let mut search = http::Request::post(format!("http://{addr}/v1/tasks/search"))
        .body(Bytes::from_static(b"{}"))
        .unwrap();
    Idempotency::Idempotent.mark(&mut search);
    let response = transport.send(search).await.unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.body().as_ref(), b"tasks");
    // 401 with t0 -> renewed to t1 -> 503 -> retried, signed again with t1 -> 200.
    assert_eq!(
        *seen.0.lock().unwrap(),
        vec!["Bearer t0", "Bearer t1", "Bearer t1"]
    );
    assert_eq!(auth.generation.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_non_idempotent_call_is_renewed_once_but_never_retried_on_503() {
    let seen = Seen::default();
    let app = Router::new()
        .route("/v1/tasks/1/complete", any(api))
        .with_state(seen.clone());
    let addr = tasklist_e2e::serve(app).await.unwrap();
    let transport = stack(Arc::new(Rotating::default()));

    let complete = http::Request::patch(format!("http://{addr}/v1/tasks/1/complete"))
        .body(Bytes::from_static(b"{\"variables\":[]}"))
        .unwrap();
    let response = transport.send(complete).await.unwrap();
    // The 401 was never processed, so re-sending after renewal is safe; the 503 may have been.
    assert_eq!(response.status(), 503);
    assert_eq!(*seen.0.lock().unwrap(), vec!["Bearer t0", "Bearer t1"]);
}
