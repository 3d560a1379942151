//! One test per semantic rule of the v1 endpoints, over real HTTP against a started server,
//! asserting the status and message the real Tasklist server answers with (the origin of each
//! fact is named in `src/api/` and `src/store/`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../api_support/mod.rs"]
mod api_support;
mod bodies;
mod commands;
mod forms;
mod search;
mod variables;

use api_support::{task, task_error};
use tasklist_testkit::seed::SeedSpec;
use tasklist_testkit::store::Task;
use tasklist_testkit::{AuthMode, Profile, TestServer};

const V87: Profile = Profile::V8_7;

async fn server(auth: AuthMode) -> TestServer {
    TestServer::builder()
        .auth(auth)
        .user("john", "john")
        .start()
        .await
        .expect("server")
}

async fn seeded(tasks: usize) -> TestServer {
    let server = server(AuthMode::None).await;
    server.store().seed(&SeedSpec::new(tasks, 11));
    server
}

fn not_active() -> String {
    task_error("TASK_IS_NOT_ACTIVE", "Task is not active")
}

fn not_assigned() -> String {
    task_error("TASK_NOT_ASSIGNED", "Task is not assigned")
}

fn already_assigned() -> String {
    task_error("TASK_ALREADY_ASSIGNED", "Task is already assigned")
}

/// A `CREATED` task (see [`task`]) assigned to `assignee`.
fn assigned(id: &str, assignee: &str) -> Task {
    let mut task = task(id, 0);
    task.assignee = Some(assignee.to_owned());
    task
}
