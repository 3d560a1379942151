//! Where a redirected request may go, over real HTTP on loopback servers on two ports (and two
//! names of one port): a body is never sent again to another origin, a request marked
//! `Confidential` never leaves its origin nor goes over plain http to a remote host, and a
//! redirected response says where it came from.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::routing::any;
use bytes::Bytes;
use tasklist_transport::{Confidential, CrossOriginBody, Error, Redirected, Request, Transport};

use support::{builder, request, serve};

/// What reached a recording server.
#[derive(Clone, Debug)]
struct Seen {
    method: Method,
    path: String,
    headers: HeaderMap,
    body: Bytes,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// A server that records every request and answers 200 `landed`.
async fn recorder() -> (SocketAddr, Log) {
    let log: Log = Arc::default();
    let kept = log.clone();
    let app = Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let log = kept.clone();
            async move {
                log.lock().unwrap().push(Seen {
                    method,
                    path: uri.path().to_owned(),
                    headers,
                    body,
                });
                "landed"
            }
        },
    );
    (serve(app).await, log)
}

/// A server whose every path answers `status` with `Location: location`, and whose
/// `/same/...` paths are served by the recorder behind it (for same-origin hops).
async fn redirector(status: StatusCode, location: String) -> SocketAddr {
    let app = Router::new()
        .route(
            "/same/landing",
            any(|body: Bytes| async move { format!("same {}", String::from_utf8_lossy(&body)) }),
        )
        .fallback(move || {
            let location = location.clone();
            async move { (status, [("location", location)]) }
        });
    serve(app).await
}

/// A POST with a secret in its form body and a bearer token.
fn secret_post(url: &str) -> Request {
    let mut post = request("POST", url);
    *post.body_mut() = Bytes::from_static(b"grant_type=client_credentials&client_secret=s3cr3t");
    let headers = post.headers_mut();
    headers.insert(
        "content-type",
        http::HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    headers.insert(
        "authorization",
        http::HeaderValue::from_static("Bearer tok-123"),
    );
    post
}

#[tokio::test]
async fn a_307_or_308_to_another_port_never_receives_the_body() {
    let (other, log) = recorder().await;
    for status in [
        StatusCode::TEMPORARY_REDIRECT,
        StatusCode::PERMANENT_REDIRECT,
    ] {
        let from = redirector(status, format!("http://{other}/token")).await;
        let err = builder()
            .build()
            .unwrap()
            .send(secret_post(&format!("http://{from}/token")))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains(&format!("http://{other}")), "{text}");
        assert!(text.contains("CrossOriginBody::Drop"), "{text}");
    }
    assert!(
        log.lock().unwrap().is_empty(),
        "the other origin was contacted"
    );
}

#[tokio::test]
async fn another_name_for_the_same_port_is_another_origin() {
    // One server: it redirects /start to itself under the name `localhost`.
    let log: Log = Arc::default();
    let kept = log.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let target = format!("http://localhost:{}/landing", addr.port());
    let app = Router::new()
        .route(
            "/start",
            any(move || {
                let target = target.clone();
                async move { (StatusCode::TEMPORARY_REDIRECT, [("location", target)]) }
            }),
        )
        .route(
            "/landing",
            any(move |body: Bytes| {
                let log = kept.clone();
                async move {
                    log.lock().unwrap().push(Seen {
                        method: Method::POST,
                        path: "/landing".into(),
                        headers: HeaderMap::new(),
                        body,
                    });
                    "landed"
                }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let err = builder()
        .build()
        .unwrap()
        .send(secret_post(&format!(
            "http://127.0.0.1:{}/start",
            addr.port()
        )))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
    assert!(
        log.lock().unwrap().is_empty(),
        "localhost received the body"
    );
}

#[tokio::test]
async fn with_the_opt_in_the_hop_goes_without_body_and_credentials_and_says_where_it_landed() {
    let (other, log) = recorder().await;
    let from = redirector(
        StatusCode::TEMPORARY_REDIRECT,
        format!("http://{other}/landing"),
    )
    .await;
    let response = builder()
        .cross_origin_body(CrossOriginBody::Drop)
        .build()
        .unwrap()
        .send(secret_post(&format!("http://{from}/token")))
        .await
        .unwrap();
    assert_eq!(response.body().as_ref(), b"landed");
    let redirected = Redirected::of(&response).expect("a redirected response says so");
    assert_eq!(redirected.hops, 1);
    assert_eq!(
        redirected.final_uri.to_string(),
        format!("http://{other}/landing")
    );
    let seen = log.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, Method::POST);
    assert_eq!(seen[0].path, "/landing");
    assert!(seen[0].body.is_empty(), "{:?}", seen[0].body);
    assert!(!seen[0].headers.contains_key("authorization"));
    assert!(!seen[0].headers.contains_key("content-type"));
}

#[tokio::test]
async fn a_confidential_request_never_follows_any_redirect_to_another_origin() {
    let (other, log) = recorder().await;
    for status in [
        StatusCode::MOVED_PERMANENTLY,
        StatusCode::FOUND,
        StatusCode::SEE_OTHER,
        StatusCode::TEMPORARY_REDIRECT,
        StatusCode::PERMANENT_REDIRECT,
    ] {
        let from = redirector(status, format!("http://{other}/token")).await;
        let mut post = secret_post(&format!("http://{from}/token"));
        Confidential::new().mark(&mut post);
        let err = builder()
            .cross_origin_body(CrossOriginBody::Drop)
            .build()
            .unwrap()
            .send(post)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Redirect { .. }), "{status}: {err:?}");
        assert!(err.to_string().contains("carries a secret"), "{err}");
        assert!(!err.to_string().contains("s3cr3t"), "{err}");
    }
    assert!(
        log.lock().unwrap().is_empty(),
        "the other origin was contacted"
    );
}

#[tokio::test]
async fn a_confidential_request_follows_a_redirect_within_its_origin_body_and_all() {
    let from = redirector(StatusCode::TEMPORARY_REDIRECT, "/same/landing".into()).await;
    let mut post = secret_post(&format!("http://{from}/token"));
    Confidential::new().mark(&mut post);
    let response = builder().build().unwrap().send(post).await.unwrap();
    assert_eq!(
        response.body().as_ref(),
        b"same grant_type=client_credentials&client_secret=s3cr3t"
    );
    assert_eq!(Redirected::of(&response).map(|r| r.hops), Some(1));

    // A response that was not redirected has no such extension.
    let (plain, _) = recorder().await;
    let response = builder()
        .build()
        .unwrap()
        .send(request("GET", &format!("http://{plain}/x")))
        .await
        .unwrap();
    assert!(Redirected::of(&response).is_none());
}

#[tokio::test]
async fn a_confidential_request_never_goes_over_plain_http_to_a_remote_host() {
    // The proxy stands in for the network: whatever reaches it would have left the machine.
    let (proxy, log) = recorder().await;
    let transport = builder().proxy(format!("http://{proxy}")).build().unwrap();

    let mut post = secret_post("http://keycloak.invalid/realms/camunda-platform/token");
    Confidential::new().mark(&mut post);
    let err = transport.send(post).await.unwrap_err();
    assert!(matches!(err, Error::InsecureHttp { .. }), "{err:?}");
    assert!(!err.was_possibly_sent());
    assert!(
        err.to_string()
            .contains("http://keycloak.invalid/realms/camunda-platform/token"),
        "{err}"
    );
    assert!(
        log.lock().unwrap().is_empty(),
        "the secret left the machine"
    );

    // The user's explicit opt-in lets it through.
    let mut post = secret_post("http://keycloak.invalid/token");
    Confidential::new()
        .allow_insecure_http(true)
        .mark(&mut post);
    let response = transport.send(post).await.unwrap();
    assert_eq!(response.body().as_ref(), b"landed");
    assert_eq!(log.lock().unwrap().len(), 1);

    // Unmarked requests are not the transport's to judge.
    let response = transport
        .send(request("GET", "http://tasklist.invalid/v1/forms/1"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}
