//! A cursor stream over 100,000 user tasks, through the whole client stack (tracing, a bearer
//! credential, retries), holds one page at a time: the live heap of the process (client and
//! loopback server together, counted by a counting global allocator)
//! stays within a small multiple of one page while the stream decodes a hundred times that.
//!
//! The server is a loopback HTTP server on its own thread that makes each page of 1,000 tasks
//! when it is asked for (its cursor is the index of the last task sent), so that nothing but
//! the pages in flight is held on either side.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stderr,
    missing_docs
)]

use std::alloc::System;
use std::net::SocketAddr;

use axum::response::IntoResponse;
use futures::TryStreamExt;
use serde_json::{Value, json};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use tasklist_api::Client;
use tasklist_auth::BearerToken;
use tasklist_transport::{HttpTransport, RetryPolicy, TransportExt, http};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const TOTAL: u64 = 100_000;
const PAGE: u64 = 1_000;

/// One user task as the v2 search returns it, numbered `n`.
fn task(n: u64) -> Value {
    json!({
        "name": format!("Review invoice {n}"),
        "state": "CREATED",
        "assignee": null,
        "elementId": "Activity_review_invoice",
        "candidateGroups": ["accounting", "finance-approvers"],
        "candidateUsers": [],
        "processDefinitionId": "invoice_approval",
        "creationDate": "2026-11-28T10:15:30.123Z",
        "dueDate": "2026-12-05T17:00:00.000Z",
        "tenantId": "<default>",
        "processDefinitionVersion": 3,
        "customHeaders": {"department": "finance"},
        "priority": 50,
        "userTaskKey": (4_503_599_627_370_496 + n).to_string(),
        "elementInstanceKey": (4_503_599_627_370_496 + TOTAL + n).to_string(),
        "processName": "Invoice approval",
        "processDefinitionKey": "2251799813685240",
        "processInstanceKey": (2_251_799_813_685_248 + n).to_string(),
        "tags": []
    })
}

/// Answers `POST /v2/user-tasks/search` with the page after the cursor `c<index>`.
async fn search(body: axum::body::Bytes) -> axum::response::Response {
    let request: Value = serde_json::from_slice(&body).unwrap();
    let limit = request["page"]["limit"].as_u64().unwrap();
    let from = request["page"]["after"]
        .as_str()
        .map_or(0, |c| c.trim_start_matches('c').parse::<u64>().unwrap());
    let last = (from + limit).min(TOTAL);
    let items: Vec<Value> = (from + 1..=last).map(task).collect();
    let page = json!({
        "items": items,
        "page": {
            "totalItems": TOTAL,
            "hasMoreTotalItems": false,
            "startCursor": (from < last).then(|| format!("c{}", from + 1)),
            "endCursor": (from < last).then(|| format!("c{last}")),
        }
    });
    (
        [(http::header::CONTENT_TYPE, "application/json")],
        serde_json::to_vec(&page).unwrap(),
    )
        .into_response()
}

fn start_server() -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let app =
                axum::Router::new().route("/v2/user-tasks/search", axum::routing::post(search));
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

/// The bytes allocated and not yet freed since `region` began.
fn live(region: &Region<'_, System>) -> i64 {
    let change = region.change();
    change.bytes_allocated as i64 - change.bytes_deallocated as i64
}

#[tokio::test(flavor = "current_thread")]
async fn a_100k_task_cursor_stream_holds_one_page_at_a_time() {
    let addr = start_server();
    // The stack users run: tracing, a credential, retries.
    let transport = HttpTransport::builder()
        .no_proxy()
        .build()
        .unwrap()
        .with_tracing()
        .with_authenticator(std::sync::Arc::new(
            BearerToken::new("a-static-token".into()).unwrap(),
        ))
        .with_retry(RetryPolicy::default());
    let client = Client::new(&format!("http://{addr}"), transport.into_shared()).unwrap();

    // One page, decoded and held: the unit the stream's memory is measured in. A first search
    // opens the connection, so that the unit is the page and not the connection's buffers.
    let warm = client.user_tasks().search().limit(1).await.unwrap();
    assert_eq!(warm.items.len(), 1);
    drop(warm);
    let region = Region::new(GLOBAL);
    let one_page = client
        .user_tasks()
        .search()
        .limit(PAGE as u32)
        .await
        .unwrap();
    let page_bytes = live(&region);
    assert_eq!(one_page.items.len(), PAGE as usize);
    drop(one_page);

    let region = Region::new(GLOBAL);
    let mut stream = client
        .user_tasks()
        .search()
        .limit(PAGE as u32)
        .into_stream();
    let mut seen = 0u64;
    let mut last_key = 0u64;
    let mut peak = 0i64;
    while let Some(task) = stream.try_next().await.unwrap() {
        let key: u64 = task.user_task_key.unwrap().as_str().parse().unwrap();
        assert!(key > last_key, "in order, each once");
        last_key = key;
        seen += 1;
        peak = peak.max(live(&region));
    }
    let allocated = region.change().bytes_allocated as i64;
    assert_eq!(seen, TOTAL);
    assert_eq!(stream.pages_fetched(), (TOTAL / PAGE + 1) as usize);
    eprintln!(
        "100,000 tasks in {} pages: one decoded page holds {:.2} MB; the stream's live heap \
         peaked at {:.2} MB ({:.2} pages) while it allocated {:.1} MB in all",
        stream.pages_fetched(),
        page_bytes as f64 / 1e6,
        peak as f64 / 1e6,
        peak as f64 / page_bytes as f64,
        allocated as f64 / 1e6
    );
    // One page held while the next is read and decoded, plus the server's page in flight:
    // a few pages at most, against the hundred the stream went through.
    assert!(
        peak < 4 * page_bytes,
        "peak {peak} bytes against a page of {page_bytes}"
    );
    assert!(
        allocated > 50 * peak,
        "the stream decoded far more than it held"
    );
}
