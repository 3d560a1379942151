//! The v2 user-task API over real HTTP: every endpoint, paging, filters, sorting, problems,
//! forms, truncation, audit logs by version, auth (CSRF 401), the base path, the consistency
//! lag, the task-listener faults and the command counters, and one variable by its key.

#![allow(clippy::unwrap_used, clippy::expect_used)]
mod access;
#[path = "../api_support/mod.rs"]
mod api_support;
mod commands;
mod endpoints;
mod problems;
mod search;
mod variables;

use api_support::Reply;
use tasklist_testkit::store::{Task, TaskImplementation};
use tasklist_testkit::{AuthMode, Profile, TestServer};

/// A `CREATED` Zeebe user task with key `key`, created at 2024-01-01T00:00:00Z + `minutes`.
fn zeebe(key: u64, minutes: i64) -> Task {
    let mut task = api_support::task(&key.to_string(), minutes);
    task.implementation = TaskImplementation::ZeebeUserTask;
    task.process_instance_key = (key + 1_000_000).to_string();
    task
}

async fn server(profile: Profile, tasks: impl IntoIterator<Item = Task>) -> TestServer {
    let server = TestServer::builder()
        .profile(profile)
        .auth(AuthMode::None)
        .start()
        .await
        .unwrap();
    for task in tasks {
        server.store().insert_task(task);
    }
    server
}

fn keys(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["userTaskKey"].as_str().unwrap().to_owned())
        .collect()
}

fn assert_problem(reply: &Reply, status: u16, title: &str) {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert!(
        reply.content_type.starts_with("application/problem+json"),
        "{}",
        reply.content_type
    );
    let body = reply.json();
    assert_eq!(body["status"], status, "{}", reply.text);
    assert_eq!(body["title"], title, "{}", reply.text);
    assert_eq!(body["type"], "about:blank");
    assert!(body["detail"].is_string());
    assert!(body["instance"].as_str().unwrap().starts_with('/'));
}
