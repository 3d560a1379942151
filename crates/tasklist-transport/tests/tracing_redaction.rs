//! Captures everything logged at TRACE level, by this crate and by every library below it,
//! while a request carrying every kind of credential goes through the whole stack, and checks
//! that no credential value appears.
//!
//! This file holds a single test because it installs the process-wide subscriber.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::post;
use tasklist_transport::{
    Authenticator, Error, Rejection, Request, Response, RetryPolicy, Transport, TransportExt,
    async_trait,
};

use support::{builder, request, serve};

const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.SECRET-ACCESS-TOKEN.sig";
const SESSION: &str = "SECRET-SESSION-ID-5f2a";
const CSRF: &str = "SECRET-CSRF-9c1e";
const SET_COOKIE: &str = "SECRET-SET-COOKIE-77aa";
const RESPONSE_SESSION: &str = "SECRET-RENEWED-SESSION-0b0b";
const BODY_SECRET: &str = "SECRET-CLIENT-SECRET-IN-BODY";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Signs with a bearer token; the first attempt is rejected so the renewal path runs too.
#[derive(Debug)]
struct Bearer;

#[async_trait]
impl Authenticator for Bearer {
    async fn sign(&self, request: &mut Request) -> Result<(), Error> {
        request.headers_mut().insert(
            "authorization",
            http::HeaderValue::from_str(&format!("Bearer {TOKEN}")).unwrap(),
        );
        Ok(())
    }
    async fn rejected(&self, _: &Request, _: &Response) -> Result<Rejection, Error> {
        Ok(Rejection::RetryOnce)
    }
}

#[tokio::test]
async fn no_credential_value_reaches_any_trace_output() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .try_init()
        .unwrap();

    let calls = Arc::new(Mutex::new(0u32));
    let app = Router::new().route(
        "/oauth/token",
        post(move |headers: HeaderMap| {
            let calls = calls.clone();
            async move {
                let mut n = calls.lock().unwrap();
                *n += 1;
                let status = if *n == 1 { 401 } else { 200 };
                assert!(headers.contains_key("authorization"));
                (
                    axum::http::StatusCode::from_u16(status).unwrap(),
                    [
                        ("set-cookie", format!("TASKLIST-SESSION={RESPONSE_SESSION}")),
                        ("x-csrf-token", CSRF.to_owned()),
                    ],
                    "{}",
                )
            }
        }),
    );
    let addr = serve(app).await;

    let transport = builder()
        .build()
        .unwrap()
        .with_tracing()
        .with_authenticator(Arc::new(Bearer))
        .with_retry(RetryPolicy::default());

    let mut req = request("POST", &format!("http://{addr}/oauth/token"));
    *req.body_mut() = format!("grant_type=client_credentials&client_secret={BODY_SECRET}").into();
    for (name, value) in [
        ("cookie", format!("TASKLIST-SESSION={SESSION}")),
        ("x-csrf-token", CSRF.to_owned()),
        ("set-cookie", format!("a={SET_COOKIE}")),
        (
            "content-type",
            "application/x-www-form-urlencoded".to_owned(),
        ),
    ] {
        req.headers_mut()
            .insert(name, http::HeaderValue::from_str(&value).unwrap());
    }
    let response = transport.send(req).await.unwrap();
    assert_eq!(response.status(), 200);

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    if std::env::var_os("SHOW_TRACE").is_some() {
        eprintln!("{output}");
    }
    // The capture really saw the exchange, headers included (so the check below means
    // something): two attempts' spans, the status, and redacted header entries.
    assert!(output.contains("http.request"), "{output}");
    assert!(output.contains("status=401"), "{output}");
    assert!(output.contains("status=200"), "{output}");
    assert!(output.contains("<redacted>"), "{output}");
    assert!(
        output.contains("application/x-www-form-urlencoded"),
        "{output}"
    );
    for secret in [
        TOKEN,
        SESSION,
        CSRF,
        SET_COOKIE,
        RESPONSE_SESSION,
        BODY_SECRET,
    ] {
        assert!(!output.contains(secret), "{secret} leaked into:\n{output}");
    }
}
