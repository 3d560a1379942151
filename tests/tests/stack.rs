//! The recommended transport stack (HTTP, tracing, an authenticator, retries) working as one,
//! against the in-process Tasklist: its own check refuses an expired token, and its fault
//! hooks answer 503 where the test needs one.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tasklist_testkit::store::{Task as StoredTask, TaskState as StoredState};
use tasklist_testkit::{Fault, Route, TestServer};
use tasklist_transport::{
    Authenticator, Bytes, Error, Rejection, Request, Response, RetryPolicy, Transport,
    TransportExt, async_trait, http,
};

/// Signs with the token of the current generation; a rejection renews to the next one. Records
/// the generation of every signature.
#[derive(Debug)]
struct Rotating {
    tokens: Vec<String>,
    generation: AtomicUsize,
    signed: Mutex<Vec<usize>>,
}

#[derive(Clone, Copy)]
struct SignedWith(usize);

impl Rotating {
    /// Generation 0 is a token the server has expired; generation 1 a valid one.
    fn new(server: &TestServer) -> Self {
        let lifetime = Duration::from_secs(300);
        let expired = server
            .mint_token("tasklist", "tasklist-api", lifetime)
            .unwrap();
        server.expire_tokens();
        let valid = server
            .mint_token("tasklist", "tasklist-api", lifetime)
            .unwrap();
        Rotating {
            tokens: vec![expired, valid],
            generation: AtomicUsize::new(0),
            signed: Mutex::new(Vec::new()),
        }
    }

    fn signed(&self) -> Vec<usize> {
        self.signed.lock().unwrap().clone()
    }
}

#[async_trait]
impl Authenticator for Rotating {
    async fn sign(&self, request: &mut Request) -> Result<(), Error> {
        let g = self.generation.load(Ordering::SeqCst);
        self.signed.lock().unwrap().push(g);
        request.extensions_mut().insert(SignedWith(g));
        request.headers_mut().insert(
            "authorization",
            http::HeaderValue::from_str(&format!("Bearer {}", self.tokens[g])).unwrap(),
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

fn stack(auth: Arc<Rotating>) -> impl Transport {
    tasklist_e2e::http_transport()
        .unwrap()
        .with_tracing()
        .with_authenticator(auth)
        .with_retry(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(10)),
        )
}

/// Makes the next request to `route` go through untouched (so the server's own token check
/// answers it) and the one after it answer 503 with `Retry-After: 0`.
fn then_unavailable(server: &TestServer, route: Route) {
    // A zero latency is the real answer, unchanged: it only holds the queue's first place.
    server.fail_next(route, 1, Fault::Latency(Duration::ZERO));
    server.fail_next(
        route,
        1,
        Fault::Unavailable {
            retry_after: Some(Duration::ZERO),
        },
    );
}

#[tokio::test]
async fn renewal_and_retry_compose_and_every_attempt_is_signed_afresh() {
    let server = TestServer::builder().tasks(5).start().await.unwrap();
    let auth = Arc::new(Rotating::new(&server));
    let transport = stack(auth.clone());
    then_unavailable(&server, Route::SearchTasks);

    let search = tasklist_e2e::search_request(server.base_url()).unwrap();
    let response = transport.send(search).await.unwrap();

    assert_eq!(response.status(), 200);
    let tasks: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
    assert!(!tasks.as_array().unwrap().is_empty(), "{tasks}");
    // 401 for the expired token -> renewed -> 503 -> retried, signed again -> 200.
    assert_eq!(auth.signed(), [0, 1, 1]);
    assert_eq!(auth.generation.load(Ordering::SeqCst), 1);
    assert_eq!(server.requests(Route::SearchTasks), 3);
    assert_eq!(server.pending_faults(Route::SearchTasks), 0);
}

#[tokio::test]
async fn a_non_idempotent_call_is_renewed_once_but_never_retried_on_503() {
    let server = TestServer::builder().start().await.unwrap();
    server.store().insert_task(StoredTask::new("77", "Check"));
    let auth = Arc::new(Rotating::new(&server));
    let transport = stack(auth.clone());
    then_unavailable(&server, Route::CompleteTask);

    let complete = http::Request::patch(format!("{}/v1/tasks/77/complete", server.base_url()))
        .header("content-type", "application/json")
        .body(Bytes::from_static(b"{\"variables\":[]}"))
        .unwrap();
    let response = transport.send(complete).await.unwrap();
    // The 401 was never processed, so re-sending after renewal is safe; the 503 may have been.
    assert_eq!(response.status(), 503);
    assert_eq!(auth.signed(), [0, 1]);
    assert_eq!(server.requests(Route::CompleteTask), 2);
    assert_eq!(
        server.store().task("77").unwrap().state,
        StoredState::Created
    );
}
