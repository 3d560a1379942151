//! What users run, against the limit: a task search through the whole client stack, side by
//! side with a bare `reqwest` + `serde_json` client, in interleaved rounds.
//!
//! ```text
//! cargo xtask bench stack                  # = cargo bench -p tasklist-e2e --bench stack
//! cargo xtask bench stack -- --rounds 21 --requests 3000
//! cargo xtask bench stack -- --api v2      # the v2 user-task search instead of v1's
//! ```
//!
//! A loopback HTTP/1.1 server (axum, on its own thread and one-worker runtime) answers
//! `POST /v1/tasks/search` from memory with a 50-task page of 38 KB,
//! `POST /v2/user-tasks/search` with a 50-task v2 page (`{items, page}`, 8.9's shape) of 40 KB,
//! and `POST /oauth/token` with a token. `--api` picks the search every client makes. Three clients, each on its own connection pool, all on one
//! current-thread runtime (so this thread's CPU time is the client's):
//!
//! - `bare`: `reqwest::Client` posting the search with a fixed `Authorization` header, reading
//!   the body with `.bytes()` and decoding it with `serde_json` into plain structs;
//! - `typed`: `tasklist_api::Client` on `HttpTransport` alone: `client.tasks().search()`
//!   (v1) or `client.user_tasks().search()` (v2), decoded into the generated models;
//! - `human`: `tasklist_api::Client` on `HttpTransport` alone, through the common task
//!   interface (`client.human_tasks().search()`, the API pinned), against `typed` for its
//!   cost;
//! - `stack`: the recommended stack, `HttpTransport` → `with_tracing` → `with_authenticator`
//!   (a `TokenCache` over OAuth client credentials, its token cached) → `with_retry`, under the
//!   same `client.tasks().search()`.
//!
//! Throughput: every round runs each client for `--requests` searches with `--concurrency` in
//! flight (64), in an order that turns by one place each round; each client's wall time, this
//! thread's CPU time (`/proc/thread-self/schedstat`, so Linux only) and the allocations counted
//! by the global allocator are taken within the round, and the ratios to `bare` within the
//! round. Latency: every round also runs each client for `--latency-requests` searches one at
//! a time and takes the median latency of each. The medians over the rounds are printed.
//!
//! No `tracing` subscriber is installed, as in a service that records nothing at `debug`.
//! Results are recorded in `docs/benchmarks.md`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    missing_docs
)]

use std::alloc::System;
use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde::Deserialize;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use tasklist_api::{ApiVersion, Client};
use tasklist_auth::{ClientCredentials, TokenCache};
use tasklist_transport::{Bytes, HttpTransport, RetryPolicy, TransportExt, http};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// One task as Tasklist's search returns it, every field set as a real one would be (about 770
/// bytes).
const TASK: &str = r#"{"id":"2251799813685249","name":"Review the invoice","taskDefinitionId":"Activity_review_invoice","processName":"Invoice approval","creationDate":"2026-11-28T10:15:30.123+0000","completionDate":null,"assignee":"demo","taskState":"CREATED","sortValues":["1701166530123","2251799813685249"],"isFirst":false,"formKey":"camunda-forms:bpmn:userTaskForm_review","formId":null,"formVersion":null,"isFormEmbedded":true,"processDefinitionKey":"2251799813685240","processInstanceKey":"2251799813685245","tenantId":"<default>","dueDate":"2026-12-05T17:00:00.000+0000","followUpDate":"2026-12-03T09:00:00.000+0000","candidateGroups":["accounting","finance-approvers"],"candidateUsers":["anna","ben"],"variables":[],"context":null,"implementation":"ZEEBE_USER_TASK","priority":50}"#;

/// A search page of 50 tasks.
fn page() -> Bytes {
    Bytes::from(format!("[{}]", vec![TASK; 50].join(",")))
}

/// One user task as the v2 search returns it (Camunda 8.9), every field set (about 800
/// bytes).
const USER_TASK: &str = r#"{"name":"Review the invoice","state":"CREATED","assignee":"demo","elementId":"Activity_review_invoice","candidateGroups":["accounting","finance-approvers"],"candidateUsers":["anna","ben"],"processDefinitionId":"invoice_approval","creationDate":"2026-11-28T10:15:30.123Z","completionDate":null,"followUpDate":"2026-12-03T09:00:00.000Z","dueDate":"2026-12-05T17:00:00.000Z","tenantId":"<default>","externalFormReference":null,"processDefinitionVersion":3,"customHeaders":{"department":"finance"},"priority":50,"userTaskKey":"2251799813685249","elementInstanceKey":"2251799813685247","processName":"Invoice approval","processDefinitionKey":"2251799813685240","processInstanceKey":"2251799813685245","rootProcessInstanceKey":"2251799813685245","formKey":"2251799813685230","tags":["invoice","q4"]}"#;

/// A v2 search page of 50 user tasks.
fn user_task_page() -> Bytes {
    Bytes::from(format!(
        r#"{{"items":[{}],"page":{{"totalItems":1234,"hasMoreTotalItems":false,"startCursor":"WyIxNzAxMTY2NTMwMTIzIiwiMjI1MTc5OTgxMzY4NTI0OSJd","endCursor":"WyIxNzAxMTY2NTMwOTk5IiwiMjI1MTc5OTgxMzY4NTI5OSJd"}}}}"#,
        vec![USER_TASK; 50].join(",")
    ))
}

/// The bare client's model of a v2 user task: plain fields, no newtypes.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct PlainUserTask {
    name: Option<String>,
    state: Option<String>,
    assignee: Option<String>,
    element_id: Option<String>,
    candidate_groups: Option<Vec<String>>,
    candidate_users: Option<Vec<String>>,
    process_definition_id: Option<String>,
    creation_date: Option<String>,
    completion_date: Option<String>,
    follow_up_date: Option<String>,
    due_date: Option<String>,
    tenant_id: Option<String>,
    external_form_reference: Option<String>,
    process_definition_version: Option<i32>,
    custom_headers: Option<std::collections::BTreeMap<String, String>>,
    priority: Option<i32>,
    user_task_key: Option<String>,
    element_instance_key: Option<String>,
    process_name: Option<String>,
    process_definition_key: Option<String>,
    process_instance_key: Option<String>,
    root_process_instance_key: Option<String>,
    form_key: Option<String>,
    tags: Option<Vec<String>>,
}

/// The bare client's model of a v2 page.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct PlainUserTaskPage {
    items: Vec<PlainUserTask>,
    page: PlainPageInfo,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct PlainPageInfo {
    total_items: Option<i64>,
    has_more_total_items: Option<bool>,
    start_cursor: Option<String>,
    end_cursor: Option<String>,
}

/// Which search the clients make.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Api {
    V1,
    V2,
}

/// The bare client's model: plain fields, no newtypes, no lazy anything.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct PlainTask {
    id: Option<String>,
    name: Option<String>,
    task_definition_id: Option<String>,
    process_name: Option<String>,
    creation_date: Option<String>,
    completion_date: Option<String>,
    assignee: Option<String>,
    task_state: Option<String>,
    sort_values: Option<Vec<String>>,
    is_first: Option<bool>,
    form_key: Option<String>,
    form_id: Option<String>,
    form_version: Option<i64>,
    is_form_embedded: Option<bool>,
    process_definition_key: Option<String>,
    process_instance_key: Option<String>,
    tenant_id: Option<String>,
    due_date: Option<String>,
    follow_up_date: Option<String>,
    candidate_groups: Option<Vec<String>>,
    candidate_users: Option<Vec<String>>,
    variables: Option<Vec<serde_json::Value>>,
    context: Option<String>,
    implementation: Option<String>,
    priority: Option<i32>,
}

const TOKEN: &str =
    "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDAsImF1ZCI6InRhc2tsaXN0LWFwaSJ9.c2lnbmF0dXJl";

/// Starts the loopback server on its own thread and one-worker runtime; returns its address.
fn start_server(page: Bytes, user_task_page: Bytes) -> SocketAddr {
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
                let search = move || {
                    let page = page.clone();
                    async move { ([(http::header::CONTENT_TYPE, "application/json")], page) }
                };
                let search_v2 = move || {
                    let page = user_task_page.clone();
                    async move { ([(http::header::CONTENT_TYPE, "application/json")], page) }
                };
                let token = || async {
                    (
                        [(http::header::CONTENT_TYPE, "application/json")],
                        format!(
                            r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":3600}}"#
                        ),
                    )
                };
                let app = axum::Router::new()
                    .route("/v1/tasks/search", axum::routing::post(search))
                    .route("/v2/user-tasks/search", axum::routing::post(search_v2))
                    .route("/oauth/token", axum::routing::post(token));
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
        })
        .unwrap();
    rx.recv().unwrap()
}

/// The clients, by name; `bare` first (every ratio is taken against it).
struct Clients {
    api: Api,
    bare: reqwest::Client,
    bare_url: String,
    bare_authorization: http::HeaderValue,
    typed: Client,
    stack: Client,
    human: Client,
}

impl Clients {
    async fn search(&self, which: usize) -> usize {
        match (which, self.api) {
            (0, Api::V2) => {
                let response = self
                    .bare
                    .post(&self.bare_url)
                    .header(http::header::AUTHORIZATION, self.bare_authorization.clone())
                    .header(http::header::CONTENT_TYPE, "application/json")
                    .header(http::header::ACCEPT, "application/json")
                    .body(r#"{"page":{"limit":50}}"#)
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success());
                let body = response.bytes().await.unwrap();
                let page: PlainUserTaskPage = serde_json::from_slice(&body).unwrap();
                page.items.len()
            }
            (0, Api::V1) => {
                let response = self
                    .bare
                    .post(&self.bare_url)
                    .header(http::header::AUTHORIZATION, self.bare_authorization.clone())
                    .header(http::header::CONTENT_TYPE, "application/json")
                    .header(http::header::ACCEPT, "application/json")
                    .body(r#"{"pageSize":50}"#)
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success());
                let body = response.bytes().await.unwrap();
                let tasks: Vec<PlainTask> = serde_json::from_slice(&body).unwrap();
                tasks.len()
            }
            (3, _) => {
                let tasks = self.human.human_tasks().search().page_size(50).send();
                tasks.await.unwrap().len()
            }
            (typed_or_stack, api) => {
                let client = if typed_or_stack == 1 {
                    &self.typed
                } else {
                    &self.stack
                };
                match api {
                    Api::V1 => client.tasks().search().page_size(50).await.unwrap().len(),
                    Api::V2 => {
                        let page = client.user_tasks().search().limit(50).await.unwrap();
                        page.items.len()
                    }
                }
            }
        }
    }
}

const NAMES: [&str; 4] = ["bare", "typed", "stack", "human"];

/// One client's cost in one round.
#[derive(Clone, Copy, Default)]
struct Cost {
    wall: Duration,
    cpu: Duration,
    allocations: usize,
}

/// This thread's time on a CPU so far.
fn thread_cpu() -> Duration {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat")
        .expect("/proc/thread-self/schedstat (Linux) gives the thread's CPU time");
    let nanos: u64 = text
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("schedstat starts with nanoseconds on a CPU");
    Duration::from_nanos(nanos)
}

struct Options {
    api: Api,
    /// Only this client, once, for a profiler.
    only: Option<usize>,
    rounds: usize,
    requests: usize,
    concurrency: usize,
    latency_requests: usize,
}

fn options() -> Options {
    let mut options = Options {
        api: Api::V1,
        only: None,
        rounds: 15,
        requests: 2000,
        concurrency: 64,
        latency_requests: 500,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("{arg} takes a whole number"))
        };
        match arg.as_str() {
            "--rounds" => options.rounds = value(),
            "--requests" => options.requests = value(),
            "--concurrency" => options.concurrency = value().max(1),
            "--latency-requests" => options.latency_requests = value(),
            "--api" => {
                options.api = match args.next().as_deref() {
                    Some("v1") => Api::V1,
                    Some("v2") => Api::V2,
                    _ => panic!("--api takes v1 or v2"),
                };
            }
            "--only" => {
                let name = args.next().unwrap_or_default();
                options.only = Some(
                    NAMES
                        .iter()
                        .position(|n| *n == name)
                        .unwrap_or_else(|| panic!("--only takes one of {NAMES:?}")),
                );
            }
            // `cargo bench` passes `--bench`.
            _ => {}
        }
    }
    options
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let options = options();
    let addr = start_server(page(), user_task_page());
    let base = format!("http://{addr}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _context = runtime.enter();

    let http = || HttpTransport::builder().no_proxy().build().unwrap();
    let credentials = ClientCredentials::builder(
        format!("{base}/oauth/token"),
        "bench-client",
        "bench-secret".into(),
    )
    .audience("tasklist-api")
    .build(http().into_shared())
    .unwrap();
    let tokens = TokenCache::builder(Arc::new(credentials)).build();
    let stack = http()
        .with_tracing()
        .with_authenticator(Arc::new(tokens))
        .with_retry(RetryPolicy::default())
        .into_shared();
    let clients = Clients {
        api: options.api,
        bare: reqwest::Client::builder().no_proxy().build().unwrap(),
        bare_url: match options.api {
            Api::V1 => format!("{base}/v1/tasks/search"),
            Api::V2 => format!("{base}/v2/user-tasks/search"),
        },
        bare_authorization: http::HeaderValue::from_str(&format!("Bearer {TOKEN}")).unwrap(),
        typed: Client::new(&base, http().into_shared()).unwrap(),
        stack: Client::new(&base, stack).unwrap(),
        human: Client::builder(&base)
            .transport(http().into_shared())
            .api_version(match options.api {
                Api::V1 => ApiVersion::V1,
                Api::V2 => ApiVersion::V2,
            })
            .build()
            .unwrap(),
    };
    // Every client reads the whole page, and warms its pool (and the token cache).
    for which in 0..NAMES.len() {
        for _ in 0..options.concurrency {
            assert_eq!(runtime.block_on(clients.search(which)), 50);
        }
    }

    let run = |which: usize, requests: usize, concurrency: usize| -> Cost {
        let region = Region::new(GLOBAL);
        let cpu = thread_cpu();
        let started = Instant::now();
        let found = runtime.block_on(
            futures::stream::iter(0..requests)
                .map(|_| clients.search(which))
                .buffer_unordered(concurrency)
                .fold(0, |total, n| async move { total + n }),
        );
        let cost = Cost {
            wall: started.elapsed(),
            cpu: thread_cpu().saturating_sub(cpu),
            allocations: region.change().allocations,
        };
        assert_eq!(black_box(found), requests * 50);
        cost
    };

    if let Some(which) = options.only {
        let cost = run(which, options.requests, options.concurrency);
        println!(
            "{}: {} searches in {:.3} s, {:.1} µs CPU and {:.1} allocations each",
            NAMES[which],
            options.requests,
            cost.wall.as_secs_f64(),
            cost.cpu.as_secs_f64() * 1e6 / options.requests as f64,
            cost.allocations as f64 / options.requests as f64
        );
        return;
    }

    let n = NAMES.len();
    let mut throughput = vec![Vec::new(); n];
    let mut cpu = vec![Vec::new(); n];
    let mut allocations = vec![Vec::new(); n];
    let mut cpu_per_request = vec![Vec::new(); n];
    let mut latency = vec![Vec::new(); n];
    let mut latency_ratio = vec![Vec::new(); n];
    // The common interface against the typed client of the same API, within each round.
    let (mut human_throughput, mut human_cpu) = (Vec::new(), Vec::new());
    for round in 0..options.rounds {
        let mut costs = [Cost::default(); NAMES.len()];
        let mut p50 = [0.0f64; NAMES.len()];
        for turn in 0..n {
            let which = (round + turn) % n;
            costs[which] = run(which, options.requests, options.concurrency);
            // One at a time: the latency of each search.
            let mut each: Vec<f64> = (0..options.latency_requests)
                .map(|_| {
                    let started = Instant::now();
                    assert_eq!(runtime.block_on(clients.search(which)), 50);
                    started.elapsed().as_secs_f64() * 1e6
                })
                .collect();
            p50[which] = median(&mut each);
        }
        for which in 0..n {
            let cost = costs[which];
            throughput[which].push(costs[0].wall.as_secs_f64() / cost.wall.as_secs_f64());
            cpu[which].push(cost.cpu.as_secs_f64() / costs[0].cpu.as_secs_f64());
            allocations[which].push(cost.allocations as f64 / options.requests as f64);
            cpu_per_request[which].push(cost.cpu.as_secs_f64() * 1e6 / options.requests as f64);
            latency[which].push(p50[which]);
            latency_ratio[which].push(p50[which] / p50[0]);
        }
        human_throughput.push(costs[1].wall.as_secs_f64() / costs[3].wall.as_secs_f64());
        human_cpu.push(costs[3].cpu.as_secs_f64() / costs[1].cpu.as_secs_f64());
    }

    println!(
        "stack bench ({}): {} rounds of {} searches at concurrency {}, and {} one at a time; \
         medians over the rounds",
        match options.api {
            Api::V1 => "v1 task search",
            Api::V2 => "v2 user-task search",
        },
        options.rounds,
        options.requests,
        options.concurrency,
        options.latency_requests
    );
    println!(
        "{:<6} {:>12} {:>10} {:>12} {:>14} {:>12} {:>10}",
        "client", "throughput", "CPU", "CPU/req µs", "allocs/req", "p50 µs (c=1)", "p50 ratio"
    );
    for which in 0..n {
        println!(
            "{:<6} {:>11.3}× {:>9.3}× {:>12.1} {:>14.1} {:>12.1} {:>9.3}×",
            NAMES[which],
            median(&mut throughput[which]),
            median(&mut cpu[which]),
            median(&mut cpu_per_request[which]),
            median(&mut allocations[which]),
            median(&mut latency[which]),
            median(&mut latency_ratio[which]),
        );
    }
    println!(
        "human against typed: throughput {:.3}×, CPU {:.3}×",
        median(&mut human_throughput),
        median(&mut human_cpu)
    );
}
