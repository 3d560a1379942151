//! Fetches a URL through the recommended transport stack and prints what happened.
//!
//! ```text
//! cargo run -p tasklist-transport --example fetch                 # against a demo server
//! cargo run -p tasklist-transport --example fetch -- http://localhost:8080/actuator/health
//! RUST_LOG=debug cargo run -p tasklist-transport --example fetch  # with the request spans
//! ```
//!
//! Without a URL it starts a small server on loopback that is "busy" (503 with
//! `Retry-After: 1`) for the first request, so the retry policy can be seen at work.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::response::IntoResponse;
use tasklist_transport::{Bytes, HttpTransport, RetryPolicy, Transport, TransportExt};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();

    let url = match std::env::args().nth(1) {
        Some(url) => url,
        None => match demo_server().await {
            Ok(url) => url,
            Err(error) => {
                eprintln!("could not start the demo server on loopback: {error}");
                return ExitCode::FAILURE;
            }
        },
    };

    let transport = match HttpTransport::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(20))
        .build()
    {
        Ok(http) => http
            .with_tracing()
            .with_retry(RetryPolicy::default())
            .into_shared(),
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };

    let request = match http::Request::get(url.as_str()).body(Bytes::new()) {
        Ok(request) => request,
        Err(error) => {
            eprintln!("`{url}` is not a usable URL: {error}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    match transport.send(request).await {
        Ok(response) => {
            println!("GET {url}");
            println!(
                "-> {} in {:.0?}, {} bytes",
                response.status(),
                started.elapsed(),
                response.body().len()
            );
            println!("{}", String::from_utf8_lossy(response.body()));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("GET {url} failed: {error}");
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::FAILURE
        }
    }
}

/// Serves `/v1/tasks/demo` on loopback: 503 with `Retry-After: 1` once, then a task.
async fn demo_server() -> std::io::Result<String> {
    let hits = Arc::new(AtomicU32::new(0));
    let app = axum::Router::new().route(
        "/v1/tasks/demo",
        axum::routing::get(move || {
            let hits = hits.clone();
            async move {
                if hits.fetch_add(1, Ordering::SeqCst) == 0 {
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        [("retry-after", "1")],
                        "busy",
                    )
                        .into_response()
                } else {
                    (
                        [("content-type", "application/json")],
                        r#"{"id":"demo","name":"Review invoice","taskState":"CREATED"}"#,
                    )
                        .into_response()
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    println!("demo server on http://{addr} (busy for the first request)");
    Ok(format!("http://{addr}/v1/tasks/demo"))
}
