//! Throughput cost of `tasklist-transport` over a bare `reqwest` client.
//!
//! Run it with
//!
//! ```text
//! cargo bench -p tasklist-transport --bench overhead
//! # shorter, as recorded in docs/benchmarks.md:
//! cargo bench -p tasklist-transport --bench overhead -- --warm-up-time 2 --measurement-time 5
//! ```
//!
//! A loopback HTTP/1.1 server (axum, on its own multi-thread tokio runtime with one worker)
//! answers every `GET` from memory with a JSON body: a ~200 byte object (`get_200b`), or a
//! ~20 KB array of 50 tasks, the size of one Tasklist search page (`get_20kb`). Each criterion
//! iteration sends a batch of 64 `GET`s, at most 16 in flight, from a current-thread client
//! runtime and reads every body whole; throughput is reported in requests (elements) per
//! second. Three clients are compared, each with its own connection pool:
//!
//! - `reqwest`: a bare `reqwest::Client` (`no_proxy()` only), reading with `.bytes()`;
//! - `transport`: [`HttpTransport`] alone (`no_proxy()`, every other option at its default);
//! - `stack`: the recommended stack
//!   `HttpTransport.with_tracing().with_retry(RetryPolicy::default())`, erased into a
//!   `SharedTransport`.
//!
//! After the criterion groups, an interleaved comparison (see the end of `overhead`) adds
//! `reqwest` configured like the transport, with and without a `tokio` timeout around each
//! exchange, and prints the median throughput ratio of each client to bare `reqwest`.
//!
//! No `tracing` subscriber is installed, so `Traced` only finds that nothing would be recorded
//! and hands back the inner transport's future; with a subscriber that records `debug` spans
//! the stack costs more. Results are recorded in `docs/benchmarks.md`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures::StreamExt;
use tasklist_transport::{HttpTransport, RetryPolicy, SharedTransport, Transport, TransportExt};

/// Requests per criterion iteration.
const BATCH: usize = 64;
/// Requests in flight at once within a batch.
const CONCURRENCY: usize = 16;

/// One task as the Tasklist search endpoint returns it (about 400 bytes).
const TASK: &str = r#"{"id":"2251799813685249","name":"Review the invoice","taskDefinitionId":"review","processName":"Invoice approval","creationDate":"2026-11-28T10:15:30.000+0000","assignee":null,"taskState":"CREATED","sortValues":["1701166530000"],"formKey":"camunda-forms:bpmn:userTaskForm_1","processDefinitionKey":"2251799813685240","processInstanceKey":"2251799813685245","candidateGroups":["accounting"],"priority":50}"#;

/// A small answer (about 200 bytes), e.g. one task variable.
const SMALL: &str = r#"{"id":"2251799813685249-amount","name":"amount","value":"1250.75","isValueTruncated":false,"previewValue":"1250.75","draft":null,"scopeKey":"2251799813685245","tenantId":"<default>","type":"number"}"#;

/// A search page of `tasks` tasks.
fn search_page(tasks: usize) -> Bytes {
    Bytes::from(format!("[{}]", vec![TASK; tasks].join(",")))
}

/// Starts the loopback server on its own thread and one-worker runtime; returns its address.
fn start_server(small: Bytes, large: Bytes) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("bench-server".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let json = |body: Bytes| {
                    move || {
                        let body = body.clone();
                        async move { ([(http::header::CONTENT_TYPE, "application/json")], body) }
                    }
                };
                let app = axum::Router::new()
                    .route("/small", axum::routing::get(json(small)))
                    .route("/large", axum::routing::get(json(large)));
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
        })
        .unwrap();
    rx.recv().unwrap()
}

/// One batch through a bare `reqwest::Client`; returns the bytes read.
async fn batch_reqwest(client: &reqwest::Client, url: &str) -> usize {
    futures::stream::iter(0..BATCH)
        .map(|_| async {
            let response = client.get(url).send().await.unwrap();
            assert!(response.status().is_success());
            response.bytes().await.unwrap().len()
        })
        .buffer_unordered(CONCURRENCY)
        .fold(0, |total, n| async move { total + n })
        .await
}

/// One batch through a bare `reqwest::Client`, each exchange under one `tokio` timeout as the
/// transport bounds it; returns the bytes read.
async fn batch_reqwest_timed(client: &reqwest::Client, url: &str) -> usize {
    futures::stream::iter(0..BATCH)
        .map(|_| async {
            tokio::time::timeout(std::time::Duration::from_secs(30), async {
                let response = client.get(url).send().await.unwrap();
                assert!(response.status().is_success());
                response.bytes().await.unwrap().len()
            })
            .await
            .unwrap()
        })
        .buffer_unordered(CONCURRENCY)
        .fold(0, |total, n| async move { total + n })
        .await
}

/// One batch through a [`SharedTransport`]; returns the bytes read.
async fn batch_transport(transport: &SharedTransport, url: &str) -> usize {
    futures::stream::iter(0..BATCH)
        .map(|_| async {
            let request = http::Request::get(url).body(Bytes::new()).unwrap();
            let response = transport.send(request).await.unwrap();
            assert!(response.status().is_success());
            response.into_body().len()
        })
        .buffer_unordered(CONCURRENCY)
        .fold(0, |total, n| async move { total + n })
        .await
}

fn overhead(c: &mut Criterion) {
    let small = Bytes::from_static(SMALL.as_bytes());
    let large = search_page(50);
    let addr = start_server(small.clone(), large.clone());

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // reqwest's connector and timers need a runtime context when the clients are built.
    let _context = runtime.enter();
    let bare = reqwest::Client::builder().no_proxy().build().unwrap();
    let transport = HttpTransport::builder()
        .no_proxy()
        .build()
        .unwrap()
        .into_shared();
    let stack = HttpTransport::builder()
        .no_proxy()
        .build()
        .unwrap()
        .with_tracing()
        .with_retry(RetryPolicy::default())
        .into_shared();

    for (group_name, path, body) in [("get_200b", "small", &small), ("get_20kb", "large", &large)] {
        let url = format!("http://{addr}/{path}");
        let expected = BATCH * body.len();
        // Every client must read every body whole, or the comparison means nothing.
        assert_eq!(runtime.block_on(batch_reqwest(&bare, &url)), expected);
        assert_eq!(
            runtime.block_on(batch_transport(&transport, &url)),
            expected
        );
        assert_eq!(runtime.block_on(batch_transport(&stack, &url)), expected);

        let mut group = c.benchmark_group(group_name);
        group.throughput(Throughput::Elements(BATCH as u64));
        group.bench_function("reqwest", |b| {
            b.to_async(&runtime)
                .iter(|| async { black_box(batch_reqwest(&bare, &url).await) });
        });
        group.bench_function("transport", |b| {
            b.to_async(&runtime)
                .iter(|| async { black_box(batch_transport(&transport, &url).await) });
        });
        group.bench_function("stack", |b| {
            b.to_async(&runtime)
                .iter(|| async { black_box(batch_transport(&stack, &url).await) });
        });
        group.finish();
    }

    // A bare client with the transport's settings (user agent, connect timeout, no automatic
    // redirects): what these settings cost on their own.
    let configured = reqwest::Client::builder()
        .no_proxy()
        .connect_timeout(std::time::Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .user_agent(http::HeaderValue::from_static(concat!(
            "tasklist-rs/",
            env!("CARGO_PKG_VERSION")
        )))
        .build()
        .unwrap();

    // Interleaved comparison: criterion runs one case after another, so a neighbour's load
    // lands on whichever case is running. Here every round runs each client once, and the ratio
    // is taken within the round; the median ratio over the rounds is quoted. The order of the
    // clients turns by one place each round, so none always runs first or after the same one.
    for (name, path) in [("get_200b", "small"), ("get_20kb", "large")] {
        let url = format!("http://{addr}/{path}");
        // Bare reqwest first: every ratio is taken against it.
        let clients: [(&str, &dyn Fn() -> usize); 5] = [
            ("bare", &|| runtime.block_on(batch_reqwest(&bare, &url))),
            ("transport", &|| {
                runtime.block_on(batch_transport(&transport, &url))
            }),
            ("stack", &|| runtime.block_on(batch_transport(&stack, &url))),
            ("reqwest configured as the transport", &|| {
                runtime.block_on(batch_reqwest(&configured, &url))
            }),
            ("the same under a tokio timeout", &|| {
                runtime.block_on(batch_reqwest_timed(&configured, &url))
            }),
        ];
        // ratios[i]: throughput of clients[i] relative to bare reqwest, one per round.
        let mut ratios = vec![Vec::with_capacity(ROUNDS); clients.len()];
        for round in 0..ROUNDS {
            let mut seconds = clients.map(|_| 0.0f64);
            for turn in 0..clients.len() {
                let client = (round + turn) % clients.len();
                let started = Instant::now();
                for _ in 0..BATCHES_PER_ROUND {
                    black_box(clients[client].1());
                }
                seconds[client] = started.elapsed().as_secs_f64();
            }
            // Throughput relative to reqwest: time(reqwest) / time(client).
            for (client, ratio) in ratios.iter_mut().enumerate() {
                ratio.push(seconds[0] / seconds[client]);
            }
        }
        let shown: Vec<String> = clients
            .iter()
            .zip(&mut ratios)
            .skip(1)
            .map(|((client, _), ratio)| format!("{client} {}", summary(ratio)))
            .collect();
        eprintln!(
            "{name}: throughput relative to bare reqwest, median of {ROUNDS} interleaved rounds \
             (min..max): {}",
            shown.join(", ")
        );
    }
}

/// Rounds of the interleaved comparison, and batches of each client in a round.
const ROUNDS: usize = 61;
const BATCHES_PER_ROUND: usize = 100;

/// `median (min..max)` as percentages.
fn summary(values: &mut [f64]) -> String {
    values.sort_by(f64::total_cmp);
    format!(
        "{:.1}% ({:.1}%..{:.1}%)",
        values[values.len() / 2] * 100.0,
        values[0] * 100.0,
        values[values.len() - 1] * 100.0
    )
}

criterion_group!(benches, overhead);
criterion_main!(benches);
