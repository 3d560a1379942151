//! A load generator: task searches (or task fetches) through the full client stack, for
//! side-by-side comparisons with other Tasklist clients on the same server.
//!
//! ```text
//! cargo build --release -p tasklist-testkit -p tasklist-api --examples --bins
//! target/release/tasklist-testkit --port 18088 &
//! export CAMUNDA_TASKLIST_BASE_URL=http://127.0.0.1:18088
//! export CAMUNDA_OAUTH_URL=http://127.0.0.1:18088/oauth/token
//! export CAMUNDA_CLIENT_ID=tasklist CAMUNDA_CLIENT_SECRET=tasklist-secret
//! export CAMUNDA_TASKLIST_OAUTH_AUDIENCE=tasklist-api CAMUNDA_TOKEN_DISK_CACHE_DISABLE=true
//! target/release/examples/load [--requests 5000] [--concurrency 64] [--op search|get] [--task-id ID] [--page-size 50]
//! ```
//!
//! Authentication comes from the `CAMUNDA_*` variables, as for any program built on the SDK.
//! It prints one JSON line: the operation, requests, concurrency, wall seconds, requests per
//! second, errors (and the first one), and the process's CPU seconds and peak resident memory
//! (from `/proc/self/status`, on Linux).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use tasklist_api::Client;
use tasklist_api::models::TaskId;
use tasklist_auth::{AuthConfig, Component, HttpTransport, env};

struct Options {
    requests: usize,
    concurrency: usize,
    op: String,
    task_id: Option<String>,
    page_size: u32,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        requests: 5000,
        concurrency: 64,
        op: "search".to_owned(),
        task_id: None,
        page_size: 50,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value"))?;
        let number = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("`{flag}` takes a whole number, not `{value}`"))
        };
        match flag.as_str() {
            "--requests" => options.requests = number()?,
            "--concurrency" => options.concurrency = number()?.max(1),
            "--page-size" => {
                options.page_size = u32::try_from(number()?).map_err(|e| e.to_string())?;
            }
            "--op" if value == "search" || value == "get" => options.op = value,
            "--op" => return Err(format!("`--op` is `search` or `get`, not `{value}`")),
            "--task-id" => options.task_id = Some(value),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let options = options()?;
    let base = std::env::var(env::TASKLIST_BASE_URL)
        .unwrap_or_else(|_| "http://localhost:8080".to_owned());
    let config = AuthConfig::from_env(Component::Tasklist)?;
    let transport = config.transport(HttpTransport::builder())?;
    let client = Client::new(&base, transport)?;

    let task_id = match (&options.op[..], &options.task_id) {
        ("get", Some(id)) => Some(TaskId::new(id.clone())),
        ("get", None) => {
            let first = client.tasks().search().page_size(1).await?;
            Some(
                first
                    .into_iter()
                    .find_map(|t| t.id)
                    .ok_or("the server has no task to get; pass --task-id")?,
            )
        }
        _ => None,
    };

    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let first_error = Arc::new(std::sync::Mutex::new(None::<String>));
    let started = Instant::now();
    let workers: Vec<_> = (0..options.concurrency)
        .map(|_| {
            let (client, next, errors, first_error, task_id) = (
                client.clone(),
                next.clone(),
                errors.clone(),
                first_error.clone(),
                task_id.clone(),
            );
            let (requests, page_size) = (options.requests, options.page_size);
            tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < requests {
                    let outcome = match &task_id {
                        Some(id) => client.tasks().get(id).await.map(|_| ()),
                        None => client
                            .tasks()
                            .search()
                            .page_size(page_size)
                            .await
                            .map(|_| ()),
                    };
                    if let Err(error) = outcome {
                        errors.fetch_add(1, Ordering::Relaxed);
                        if let Ok(mut first) = first_error.lock() {
                            first.get_or_insert_with(|| error.to_string());
                        }
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await?;
    }
    let wall = started.elapsed().as_secs_f64();
    let first_error = first_error.lock().ok().and_then(|f| f.clone());
    println!(
        "{}",
        serde_json::json!({
            "sdk": "tasklist-rs",
            "op": options.op,
            "requests": options.requests,
            "concurrency": options.concurrency,
            "wall_s": (wall * 1000.0).round() / 1000.0,
            "req_per_s": ((options.requests as f64 / wall) * 10.0).round() / 10.0,
            "errors": errors.load(Ordering::Relaxed),
            "first_error": first_error,
            "cpu_s": cpu_seconds(),
            "peak_rss_mb": peak_rss_mb(),
        })
    );
    Ok(())
}

/// User plus system CPU seconds of this process, from `/proc/self/stat` (Linux).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // The kernel's USER_HZ is 100 on every Linux this runs on.
    Some((ticks / 100.0 * 1000.0).round() / 1000.0)
}

/// The peak resident set size in MiB, from `/proc/self/status` (Linux).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse::<f64>()
        .ok()?;
    Some((kib / 1024.0 * 10.0).round() / 10.0)
}
