//! The transport over real HTTP on loopback: timeouts, retries, redirects, body limits and
//! proxies, each against a server the test starts.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response as AxumResponse};
use axum::routing::{any, get};
use bytes::Bytes;
use tasklist_transport::{
    Error, Idempotency, Request, Response, RetryPolicy, Transport, TransportExt,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

use support::{builder, closed_port, request, serve};

/// Counts the attempts that reach it, between [`tasklist_transport::Retry`] and the network.
struct Counting<T> {
    inner: T,
    calls: Arc<AtomicU32>,
}

#[tasklist_transport::async_trait]
impl<T: Transport> Transport for Counting<T> {
    async fn send(&self, request: Request) -> Result<Response, Error> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.send(request).await
    }
}

fn counting<T>(inner: T) -> (Counting<T>, Arc<AtomicU32>) {
    let calls = Arc::new(AtomicU32::new(0));
    (
        Counting {
            inner,
            calls: calls.clone(),
        },
        calls,
    )
}

// ---------------------------------------------------------------------------------------------
// Timeouts

#[tokio::test]
async fn connect_timeout_fires_when_the_server_never_completes_the_handshake() {
    // A listener with a backlog of 0 that never accepts: once its queue is full, the kernel
    // drops further SYNs, so a new connection hangs in the handshake.
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..4 {
        if let Ok(Ok(stream)) =
            tokio::time::timeout(Duration::from_millis(200), TcpStream::connect(addr)).await
        {
            fillers.push(stream);
        }
    }

    let transport = builder()
        .connect_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = transport
        .send(request("GET", &format!("http://{addr}/")))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(err.is_connect() && err.is_timeout(), "{err:?}");
    assert!(
        matches!(err, Error::ConnectTimeout { after, .. } if after == Duration::from_millis(300))
    );
    assert!(!err.was_possibly_sent());
    assert!(elapsed >= Duration::from_millis(250), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    drop((listener, fillers));
}

#[tokio::test]
async fn total_timeout_fires_when_the_server_is_slow() {
    let app = Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "late"
        }),
    );
    let addr = serve(app).await;
    let transport = builder()
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = transport
        .send(request("GET", &format!("http://{addr}/slow?secret=1")))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(err.is_timeout() && !err.is_connect(), "{err:?}");
    assert!(err.was_possibly_sent());
    assert!(elapsed >= Duration::from_millis(350), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    let text = err.to_string();
    assert!(text.contains("/slow") && !text.contains("secret"), "{text}");
}

#[tokio::test]
async fn total_timeout_covers_a_body_that_trickles() {
    let app = Router::new().route(
        "/trickle",
        get(|| async {
            let stream = futures::stream::unfold(0u32, |n| async move {
                tokio::time::sleep(Duration::from_millis(100)).await;
                Some((Ok::<_, Infallible>(Bytes::from_static(b"x")), n + 1))
            });
            Body::from_stream(stream)
        }),
    );
    let addr = serve(app).await;
    let transport = builder()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let err = transport
        .send(request("GET", &format!("http://{addr}/trickle")))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Retries

#[derive(Clone, Default)]
struct Arrivals(Arc<std::sync::Mutex<Vec<Instant>>>);

impl Arrivals {
    fn record(&self) -> usize {
        let mut v = self.0.lock().unwrap();
        v.push(Instant::now());
        v.len()
    }
    fn all(&self) -> Vec<Instant> {
        self.0.lock().unwrap().clone()
    }
}

/// Answers 503 with `Retry-After: 1` to the first request, 200 afterwards.
async fn unavailable_once(State(arrivals): State<Arrivals>) -> AxumResponse {
    if arrivals.record() == 1 {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [("retry-after", "1")],
            "busy",
        )
            .into_response()
    } else {
        (StatusCode::OK, "done").into_response()
    }
}

#[tokio::test]
async fn a_503_with_retry_after_is_retried_after_about_a_second_when_idempotent() {
    let arrivals = Arrivals::default();
    let app = Router::new()
        .route("/v1/tasks/search", any(unavailable_once))
        .with_state(arrivals.clone());
    let addr = serve(app).await;
    let transport = builder()
        .build()
        .unwrap()
        .with_retry(RetryPolicy::default());

    let mut search = request("POST", &format!("http://{addr}/v1/tasks/search"));
    Idempotency::Idempotent.mark(&mut search);
    let response = transport.send(search).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().as_ref(), b"done");

    let times = arrivals.all();
    assert_eq!(times.len(), 2);
    let gap = times[1] - times[0];
    assert!(
        gap >= Duration::from_millis(950) && gap < Duration::from_millis(1800),
        "{gap:?}"
    );
}

#[tokio::test]
async fn a_503_is_not_retried_for_a_non_idempotent_request() {
    let arrivals = Arrivals::default();
    let app = Router::new()
        .route("/v1/tasks/1/complete", any(unavailable_once))
        .with_state(arrivals.clone());
    let addr = serve(app).await;
    let transport = builder()
        .build()
        .unwrap()
        .with_retry(RetryPolicy::default());

    let complete = request("PATCH", &format!("http://{addr}/v1/tasks/1/complete"));
    let response = transport.send(complete).await.unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.body().as_ref(), b"busy");
    assert_eq!(arrivals.all().len(), 1);
}

#[tokio::test]
async fn a_429_is_retried_for_get() {
    let arrivals = Arrivals::default();
    let app = Router::new()
        .route(
            "/",
            get(|State(a): State<Arrivals>| async move {
                if a.record() < 3 {
                    (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "0")], "").into_response()
                } else {
                    "ok".into_response()
                }
            }),
        )
        .with_state(arrivals.clone());
    let addr = serve(app).await;
    let transport = builder()
        .build()
        .unwrap()
        .with_retry(RetryPolicy::default().max_attempts(5));
    let response = transport
        .send(request("GET", &format!("http://{addr}/")))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(arrivals.all().len(), 3);
}

/// Binds `addr` after `delay`, then answers every request with 200.
fn listen_later(addr: std::net::SocketAddr, delay: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let listener = TcpListener::bind(addr).await.unwrap();
        let app = Router::new().fallback(|| async { "up now" });
        axum::serve(listener, app).await.unwrap();
    })
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_idempotent_and_non_idempotent_requests() {
    for method in ["GET", "PATCH", "POST"] {
        let addr = closed_port().await;
        let server = listen_later(addr, Duration::from_millis(300));
        let (http, calls) = counting(builder().build().unwrap());
        let transport = http.with_retry(
            RetryPolicy::default()
                .max_attempts(20)
                .initial_backoff(Duration::from_millis(100))
                .max_backoff(Duration::from_millis(200)),
        );
        let response = transport
            .send(request(
                method,
                &format!("http://{addr}/v1/tasks/1/complete"),
            ))
            .await
            .unwrap_or_else(|e| panic!("{method}: {e:?}"));
        assert_eq!(response.status(), 200, "{method}");
        assert_eq!(response.body().as_ref(), b"up now");
        assert!(calls.load(Ordering::SeqCst) >= 2, "{method}: no retry seen");
        server.abort();
    }
}

#[tokio::test]
async fn attempts_stop_at_the_configured_bound() {
    // Always 503: an idempotent request is tried exactly `max_attempts` times.
    let arrivals = Arrivals::default();
    let app = Router::new()
        .route(
            "/",
            get(|State(a): State<Arrivals>| async move {
                a.record();
                (StatusCode::SERVICE_UNAVAILABLE, "still busy")
            }),
        )
        .with_state(arrivals.clone());
    let addr = serve(app).await;
    let policy = RetryPolicy::default()
        .max_attempts(4)
        .initial_backoff(Duration::from_millis(10));
    let transport = builder().build().unwrap().with_retry(policy.clone());
    let response = transport
        .send(request("GET", &format!("http://{addr}/")))
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(arrivals.all().len(), 4);

    // Refused every time: the connection error comes back after exactly 4 attempts.
    let (http, calls) = counting(builder().build().unwrap());
    let err = http
        .with_retry(policy)
        .send(request("POST", &format!("http://{}/", closed_port().await)))
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 4);
}

/// A raw server that sends headers promising 1000 bytes, sends 10, and closes.
async fn cut_mid_body_server(hits: Arc<AtomicU32>) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            let hits = hits.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf).await;
                hits.fetch_add(1, Ordering::SeqCst);
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n0123456789")
                    .await;
                let _ = stream.shutdown().await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_a_network_error_retried_only_when_idempotent() {
    let hits = Arc::new(AtomicU32::new(0));
    let addr = cut_mid_body_server(hits.clone()).await;
    let policy = RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(10));
    let transport = builder().build().unwrap().with_retry(policy);

    let err = transport
        .send(request("GET", &format!("http://{addr}/")))
        .await
        .unwrap_err();
    assert!(err.is_network() && err.was_possibly_sent(), "{err:?}");
    // The body's error names the request, although `reqwest` gives it no URL.
    assert!(
        err.to_string().contains(&format!("GET http://{addr}/")),
        "{err}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 3);

    hits.store(0, Ordering::SeqCst);
    let err = transport
        .send(request("PATCH", &format!("http://{addr}/")))
        .await
        .unwrap_err();
    assert!(err.is_network(), "{err:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

// ---------------------------------------------------------------------------------------------
// Redirects

const CREDENTIALS: [(&str, &str); 4] = [
    ("authorization", "Bearer top-secret-token"),
    ("cookie", "TASKLIST-SESSION=top-secret-session"),
    ("x-csrf-token", "top-secret-csrf"),
    ("proxy-authorization", "Basic dG9wOnNlY3JldA=="),
];

/// Echoes the request's headers back as `name: value` lines.
async fn echo_headers(headers: HeaderMap) -> String {
    let mut lines: Vec<String> = headers
        .iter()
        .map(|(n, v)| format!("{}: {}", n, v.to_str().unwrap_or("?")))
        .collect();
    lines.sort();
    lines.join("\n")
}

fn with_credentials(mut request: Request) -> Request {
    for (name, value) in CREDENTIALS {
        request
            .headers_mut()
            .insert(name, http::HeaderValue::from_static(value));
    }
    request
        .headers_mut()
        .insert("x-request-id", http::HeaderValue::from_static("abc-123"));
    request
}

#[tokio::test]
async fn a_cross_origin_redirect_arrives_without_credential_headers() {
    let other = serve(Router::new().route("/landing", any(echo_headers))).await;
    let target = format!("http://{other}/landing");
    let app = Router::new()
        .route(
            "/elsewhere",
            any(move || {
                let target = target.clone();
                async move { (StatusCode::TEMPORARY_REDIRECT, [("location", target)]) }
            }),
        )
        .route(
            "/here",
            any(|| async { (StatusCode::FOUND, [("location", "/landing")]) }),
        )
        .route("/landing", any(echo_headers));
    let addr = serve(app).await;
    let transport = builder().build().unwrap();

    // Another port is another origin: every credential is dropped, other headers stay.
    let response = transport
        .send(with_credentials(request(
            "GET",
            &format!("http://{addr}/elsewhere"),
        )))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let seen = String::from_utf8(response.body().to_vec()).unwrap();
    assert!(seen.contains("x-request-id: abc-123"), "{seen}");
    for (name, value) in CREDENTIALS {
        assert!(!seen.contains(name), "{name} crossed origins:\n{seen}");
        assert!(
            !seen.contains(value),
            "{name} value crossed origins:\n{seen}"
        );
    }

    // Same origin: the credentials are kept.
    let response = transport
        .send(with_credentials(request(
            "GET",
            &format!("http://{addr}/here"),
        )))
        .await
        .unwrap();
    let seen = String::from_utf8(response.body().to_vec()).unwrap();
    for (name, value) in CREDENTIALS {
        assert!(
            seen.contains(&format!("{name}: {value}")),
            "{name} lost:\n{seen}"
        );
    }
}

#[tokio::test]
async fn a_303_turns_a_post_into_a_get_without_body() {
    let app = Router::new()
        .route(
            "/submit",
            any(|| async { (StatusCode::SEE_OTHER, [("location", "/result")]) }),
        )
        .route(
            "/result",
            any(|method: axum::http::Method, body: Bytes| async move {
                format!("{method} {}", body.len())
            }),
        );
    let addr = serve(app).await;
    let mut post = request("POST", &format!("http://{addr}/submit"));
    *post.body_mut() = Bytes::from_static(b"{\"a\":1}");
    post.headers_mut().insert(
        "content-type",
        http::HeaderValue::from_static("application/json"),
    );
    let response = builder().build().unwrap().send(post).await.unwrap();
    assert_eq!(response.body().as_ref(), b"GET 0");
}

#[tokio::test]
async fn a_307_keeps_method_and_body() {
    let app = Router::new()
        .route(
            "/submit",
            any(|| async { (StatusCode::TEMPORARY_REDIRECT, [("location", "/result")]) }),
        )
        .route(
            "/result",
            any(|method: axum::http::Method, body: Bytes| async move {
                format!("{method} {}", String::from_utf8_lossy(&body))
            }),
        );
    let addr = serve(app).await;
    let mut post = request("POST", &format!("http://{addr}/submit"));
    *post.body_mut() = Bytes::from_static(b"payload");
    let response = builder().build().unwrap().send(post).await.unwrap();
    assert_eq!(response.body().as_ref(), b"POST payload");
}

#[tokio::test]
async fn redirect_loops_end_with_a_typed_error_and_zero_disables_following() {
    let app = Router::new().route(
        "/loop",
        any(|| async { (StatusCode::FOUND, [("location", "/loop")]) }),
    );
    let addr = serve(app).await;
    let err = builder()
        .max_redirects(3)
        .build()
        .unwrap()
        .send(request("GET", &format!("http://{addr}/loop")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
    assert!(err.to_string().contains("more than 3 redirects"), "{err}");

    let response = builder()
        .max_redirects(0)
        .build()
        .unwrap()
        .send(request("GET", &format!("http://{addr}/loop")))
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
}

// ---------------------------------------------------------------------------------------------
// Body size limit

/// An endless body of 64 KiB chunks; counts the bytes handed to the server's connection.
fn endless(sent: Arc<AtomicU64>) -> Body {
    let chunk = Bytes::from(vec![b'x'; 64 * 1024]);
    let stream = futures::stream::repeat_with(move || {
        sent.fetch_add(chunk.len() as u64, Ordering::SeqCst);
        Ok::<_, Infallible>(chunk.clone())
    });
    Body::from_stream(stream)
}

#[tokio::test]
async fn an_oversized_streamed_body_is_a_typed_error_read_only_up_to_the_limit() {
    let sent = Arc::new(AtomicU64::new(0));
    let app = Router::new()
        .route(
            "/huge",
            get(|State(s): State<Arc<AtomicU64>>| async move { endless(s) }),
        )
        .with_state(sent.clone());
    let addr = serve(app).await;
    let limit = 1024 * 1024;
    let transport = builder().max_response_body_bytes(limit).build().unwrap();
    let err = transport
        .send(request("GET", &format!("http://{addr}/huge")))
        .await
        .unwrap_err();
    assert!(err.is_body_too_large(), "{err:?}");
    assert!(
        matches!(err, Error::BodyTooLarge { limit: l, declared: None, .. } if l == limit),
        "{err:?}"
    );
    // The server stops producing soon after the client gives up: far less than it would have
    // sent had the client read on (the rest is socket buffers).
    tokio::time::sleep(Duration::from_millis(200)).await;
    let produced = sent.load(Ordering::SeqCst);
    assert!(
        produced < 32 * 1024 * 1024,
        "server produced {produced} bytes"
    );
}

#[tokio::test]
async fn a_declared_oversized_body_fails_before_reading() {
    let sent = Arc::new(AtomicU64::new(0));
    let app = Router::new()
        .route(
            "/declared",
            get(|State(s): State<Arc<AtomicU64>>| async move {
                ([("content-length", "1073741824")], endless(s))
            }),
        )
        .with_state(sent.clone());
    let addr = serve(app).await;
    let err = builder()
        .max_response_body_bytes(1024)
        .build()
        .unwrap()
        .send(request("GET", &format!("http://{addr}/declared")))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::BodyTooLarge {
                limit: 1024,
                declared: Some(1_073_741_824),
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_body_at_the_limit_is_accepted_whole_across_chunks() {
    let app = Router::new().route(
        "/exact",
        get(|| async {
            let chunks = (0..16).map(|i| Ok::<_, Infallible>(Bytes::from(vec![b'a' + i; 1024])));
            Body::from_stream(futures::stream::iter(chunks))
        }),
    );
    let addr = serve(app).await;
    let response = builder()
        .max_response_body_bytes(16 * 1024)
        .build()
        .unwrap()
        .send(request("GET", &format!("http://{addr}/exact")))
        .await
        .unwrap();
    let body = response.body();
    assert_eq!(body.len(), 16 * 1024);
    assert_eq!(body[0], b'a');
    assert_eq!(body[16 * 1024 - 1], b'a' + 15);
}

// ---------------------------------------------------------------------------------------------
// Proxy and user agent

#[tokio::test]
async fn an_explicit_proxy_receives_the_request_in_absolute_form() {
    let proxy = serve(
        Router::new().fallback(|uri: Uri, headers: HeaderMap| async move {
            format!(
                "proxied {uri} host={}",
                headers
                    .get("host")
                    .and_then(|h| h.to_str().ok())
                    .unwrap_or("-")
            )
        }),
    )
    .await;
    let transport = builder().proxy(format!("http://{proxy}")).build().unwrap();
    let response = transport
        .send(request("GET", "http://tasklist.invalid/v1/forms/1"))
        .await
        .unwrap();
    let text = String::from_utf8(response.body().to_vec()).unwrap();
    assert_eq!(
        text,
        "proxied http://tasklist.invalid/v1/forms/1 host=tasklist.invalid"
    );

    // Hosts listed in no_proxy_for bypass it: this one does not exist, so it fails to connect.
    let bypass = builder()
        .proxy(format!("http://{proxy}"))
        .no_proxy_for("tasklist.invalid")
        .build()
        .unwrap();
    let err = bypass
        .send(request("GET", "http://tasklist.invalid/v1/forms/1"))
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err:?}");
}

#[tokio::test]
async fn user_agent_defaults_to_the_sdk_and_can_be_set() {
    let addr = serve(Router::new().fallback(|headers: HeaderMap| async move {
        headers
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }))
    .await;
    let url = format!("http://{addr}/");
    let default = builder()
        .build()
        .unwrap()
        .send(request("GET", &url))
        .await
        .unwrap();
    assert!(
        default.body().starts_with(b"tasklist-rs/"),
        "{:?}",
        default.body()
    );
    let custom = builder()
        .user_agent("my-service/2.0")
        .build()
        .unwrap()
        .send(request("GET", &url))
        .await
        .unwrap();
    assert_eq!(custom.body().as_ref(), b"my-service/2.0");
}

#[tokio::test]
async fn statuses_and_bodies_come_back_unchanged() {
    let addr = serve(Router::new().fallback(|| async {
        (
            StatusCode::NOT_FOUND,
            [("content-type", "application/json")],
            r#"{"status":404,"message":"Task with id 7 was not found","instance":"x"}"#,
        )
    }))
    .await;
    let response = builder()
        .build()
        .unwrap()
        .with_retry(RetryPolicy::default())
        .send(request("GET", &format!("http://{addr}/v1/tasks/7")))
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert!(response.body().starts_with(b"{\"status\":404"));
}

#[tokio::test]
async fn a_finished_exchange_polled_again_is_an_error_not_a_panic() {
    let addr = serve(Router::new().fallback(|| async { "done" })).await;
    let transport = builder().build().unwrap();
    let mut sending = transport.send(request("GET", &format!("http://{addr}/")));
    let response = (&mut sending).await.unwrap();
    assert_eq!(response.body().as_ref(), b"done");
    assert!(response.extensions().is_empty());
    let again = futures::poll!(sending.as_mut());
    match again {
        std::task::Poll::Ready(Err(Error::InvalidRequest { message, .. })) => {
            assert!(message.contains("polled again"), "{message}");
        }
        other => panic!("expected an InvalidRequest error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_uri_without_host_is_an_invalid_request() {
    let err = builder()
        .build()
        .unwrap()
        .send(request("GET", "/relative/only"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
}
