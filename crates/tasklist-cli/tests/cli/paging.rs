//! `tasks search --all` against servers whose paging never ends: one that answers every search
//! with the same full page, and one with endless tasks that `--max-pages` cuts short. Both are
//! stubs of `POST /v1/tasks/search` on the kit's runtime, reached with `--auth none`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Json;
use axum::routing::post;
use serde_json::{Value, json};

use crate::common::{Kit, Mode, Run};

/// Serves `POST /v1/tasks/search` with `answer(body)`; returns the base URL and the number of
/// searches received.
fn stub(kit: &Kit, answer: fn(&Value) -> Value) -> (String, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    let app = axum::Router::new().route(
        "/v1/tasks/search",
        post(move |Json(body): Json<Value>| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                Json(answer(&body))
            }
        }),
    );
    let url = kit.serve(app);
    (url, count)
}

/// A task as the search returns it, sorted by its number.
pub(crate) fn task(n: u64) -> Value {
    json!({"id": n.to_string(), "name": format!("Task {n}"), "taskState": "CREATED",
           "sortValues": [n.to_string()]})
}

/// The requested page size.
pub(crate) fn page_size(body: &Value) -> u64 {
    body["pageSize"].as_u64().unwrap_or(50)
}

/// Runs `tasklist --base-url URL --auth none ARGS` with a time limit well below the harness's.
fn search(kit: &Kit, url: &str, args: &[&str]) -> Run {
    let mut cmd = kit.bare();
    cmd.args(["--base-url", url, "--auth", "none", "tasks", "search"])
        .args(args)
        .timeout(Duration::from_secs(20));
    kit.finish(&mut cmd)
}

#[test]
fn a_server_that_repeats_its_page_ends_all_with_one_error_line() {
    let kit = Kit::start(Mode::OAuth);
    let (url, count) = stub(&kit, |body| {
        Value::Array((1..=page_size(body)).map(task).collect())
    });

    // Table output: nothing on stdout, one error line, exit 1, after two requests.
    let run = search(&kit, &url, &["--all", "--page-size", "3", "-o", "table"]);
    assert_ne!(
        run.code, -1,
        "the process was killed: the paging did not end"
    );
    let line = run.fails(1);
    assert_eq!(
        line,
        "error: cannot search tasks: the server returned the same page again: the cursor did \
         not move after page 2, so the search stopped; the server does not honour the search's \
         cursor; sort by a field that tells every task apart (--sort), or report it to the \
         server's operator"
    );
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        [
            line.as_str(),
            "help: https://github.com/tasklist-rs/tasklist-rs/blob/main/docs/troubleshooting.md\
             #exit-code-1-other-failures"
        ],
        "the error line and the troubleshooting section of its exit code"
    );
    assert_eq!(count.load(Ordering::SeqCst), 2);

    // JSON lines: the page's tasks once, streamed before the error.
    let run = search(&kit, &url, &["--all", "--page-size", "3", "-o", "jsonl"]);
    run.code(1);
    let ids: Vec<String> = run
        .jsonl()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["1", "2", "3"]);
    assert!(
        run.stderr
            .starts_with("error: cannot search tasks: the server returned the same page again"),
        "{}",
        run.stderr
    );
    assert_eq!(count.load(Ordering::SeqCst), 4);
}

#[test]
fn max_pages_bounds_all_and_says_where_to_go_on() {
    let kit = Kit::start(Mode::OAuth);
    // Endless tasks: every page is full and follows searchAfter.
    let (url, count) = stub(&kit, |body| {
        let after = body["searchAfter"][0]
            .as_str()
            .map_or(0, |s| s.parse::<u64>().unwrap());
        Value::Array((after + 1..=after + page_size(body)).map(task).collect())
    });

    let run = search(
        &kit,
        &url,
        &[
            "--all",
            "--page-size",
            "2",
            "--max-pages",
            "3",
            "-o",
            "jsonl",
        ],
    );
    run.code(1);
    assert_eq!(run.jsonl().len(), 6, "three pages of two tasks");
    let errors: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        errors,
        [
            "error: cannot search tasks: stopped after 3 pages, the limit, with more to come; \
          raise the limit with --max-pages N (0: no limit), narrow the search, or go on from \
          where it stopped with --search-after 6",
            "help: https://github.com/tasklist-rs/tasklist-rs/blob/main/docs/troubleshooting.md\
             #exit-code-1-other-failures"
        ]
    );
    assert_eq!(count.load(Ordering::SeqCst), 3);

    // Going on from there.
    let run = search(
        &kit,
        &url,
        &[
            "--all",
            "--page-size",
            "2",
            "--max-pages",
            "1",
            "--search-after",
            "6",
            "-o",
            "jsonl",
        ],
    );
    run.code(1);
    assert_eq!(run.jsonl()[0]["id"], "7");
    assert_eq!(count.load(Ordering::SeqCst), 4);

    // --max-pages belongs to --all.
    let run = search(&kit, &url, &["--max-pages", "3"]);
    run.code(2);
    assert!(run.stderr.contains("--all"), "{}", run.stderr);
    assert_eq!(count.load(Ordering::SeqCst), 4);
}
