//! Processes that start at once share one token request through the disk cache.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use axum::Router;
use axum::routing::post;

/// A token endpoint that counts requests and answers slowly enough for the processes to
/// overlap.
async fn token_endpoint(count: Arc<AtomicU32>) -> std::net::SocketAddr {
    let app = Router::new().route(
        "/token",
        post(move || {
            let count = count.clone();
            async move {
                let n = count.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(300)).await;
                (
                    [("content-type", "application/json")],
                    format!(
                        r#"{{"access_token":"process-token-{n}","token_type":"Bearer","expires_in":3600}}"#
                    ),
                )
            }
        }),
    );
    tasklist_e2e::serve(app).await.unwrap()
}

fn probe(addr: std::net::SocketAddr, dir: &std::path::Path) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_token-probe"))
        .arg(format!("http://{addr}/token"))
        .arg(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_processes_started_at_once_make_one_token_request() {
    let count = Arc::new(AtomicU32::new(0));
    let addr = token_endpoint(count.clone()).await;
    let dir = tempfile::tempdir().unwrap();

    let children: Vec<_> = (0..8).map(|_| probe(addr, dir.path())).collect();
    let mut expiries = Vec::new();
    for child in children {
        let output = child.wait_with_output().await.unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(!stdout.contains("process-token"), "the token was printed");
        expiries.push(stdout.trim().to_owned());
    }
    assert_eq!(
        count.load(Ordering::SeqCst),
        1,
        "token requests across 8 processes"
    );
    // They all hold the same token (same expiry, written once).
    expiries.dedup();
    assert_eq!(expiries.len(), 1, "{expiries:?}");

    // A second round finds the token on disk: no request at all.
    let children: Vec<_> = (0..8).map(|_| probe(addr, dir.path())).collect();
    for child in children {
        assert!(child.wait_with_output().await.unwrap().status.success());
    }
    assert_eq!(
        count.load(Ordering::SeqCst),
        1,
        "token requests in the second round"
    );
}
