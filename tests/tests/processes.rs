//! Processes that start at once share one token request through the disk cache: counted by the
//! token endpoint of the in-process Tasklist, whose API then accepts the shared token from every
//! process.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use tasklist_testkit::{Fault, Route, TestServer};

/// One probe process: a token from the disk-cached token cache, then a search signed with it.
fn probe(server: &TestServer, dir: &std::path::Path) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_token-probe"))
        .arg(server.token_url())
        .arg(dir)
        .arg(server.base_url())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for every probe; returns what each printed (`<expiry> <status>`).
async fn outputs(children: Vec<tokio::process::Child>) -> Vec<String> {
    let mut printed = Vec::new();
    for child in children {
        let output = child.wait_with_output().await.unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8(output.stdout).unwrap();
        // A JWT starts with the base64 of `{"`: it must never be printed.
        assert!(!stdout.contains("eyJ"), "the token was printed: {stdout}");
        printed.push(stdout.trim().to_owned());
    }
    printed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_processes_started_at_once_make_one_token_request() {
    let server = TestServer::builder()
        .client("probe", "probe-secret", "tasklist-api")
        .tasks(3)
        .start()
        .await
        .unwrap();
    // The token endpoint answers slowly enough for the processes to overlap.
    server.fail_next(Route::Token, 8, Fault::Latency(Duration::from_millis(300)));
    let dir = tempfile::tempdir().unwrap();

    let printed = outputs((0..8).map(|_| probe(&server, dir.path())).collect()).await;
    assert_eq!(
        server.token_requests(),
        1,
        "token requests across 8 processes"
    );
    assert_eq!(server.tokens_issued(), 1);
    // They all hold the same token (same expiry, written once), and Tasklist accepted it from
    // each of them.
    let mut distinct = printed.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), 1, "{printed:?}");
    assert!(printed[0].ends_with(" 200"), "{printed:?}");
    assert_eq!(server.requests(Route::SearchTasks), 8);

    // A second round finds the token on disk: no request at all.
    server.clear_faults();
    let again = outputs((0..8).map(|_| probe(&server, dir.path())).collect()).await;
    assert_eq!(again, printed);
    assert_eq!(
        server.token_requests(),
        1,
        "token requests in the second round"
    );
    assert_eq!(server.requests(Route::SearchTasks), 16);
}
