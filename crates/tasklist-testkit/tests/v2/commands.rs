//! Commands: the consistency lag of reads, task-listener faults and command counters.

use std::time::Duration;

use tasklist_testkit::store::TaskState;
use tasklist_testkit::{AuthMode, CommandKind, Fault, Profile, Route, TestServer};

use crate::api_support::Client;
use crate::{assert_problem, keys, server, zeebe};

#[tokio::test]
async fn reads_lag_behind_commands() {
    let server = TestServer::builder()
        .profile(Profile::V8_9)
        .auth(AuthMode::None)
        .consistency_lag(Duration::from_millis(400))
        .start()
        .await
        .unwrap();
    server.store().insert_task(zeebe(1, 0));
    let api = Client::anonymous(&server);
    let assign = api
        .post("/v2/user-tasks/1/assignment", r#"{"assignee":"demo"}"#)
        .await;
    assert_eq!(assign.status, 204);
    // Applied at once in the store, not yet visible to reads.
    assert_eq!(
        server.store().task("1").unwrap().assignee.as_deref(),
        Some("demo")
    );
    assert!(api.get("/v2/user-tasks/1").await.json()["assignee"].is_null());
    let stale = api
        .post("/v2/user-tasks/search", r#"{"filter":{"assignee":"demo"}}"#)
        .await;
    assert!(keys(&stale).is_empty());
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(api.get("/v2/user-tasks/1").await.json()["assignee"], "demo");
    // Off at runtime.
    server.set_consistency_lag(Duration::ZERO);
    api.post("/v2/user-tasks/1/completion", "{}").await;
    assert_eq!(
        api.get("/v2/user-tasks/1").await.json()["state"],
        "COMPLETED"
    );
}

#[tokio::test]
async fn listener_faults_and_command_counts() {
    let server = server(Profile::V8_9, [zeebe(1, 0), zeebe(2, 1), zeebe(3, 2)]).await;
    let api = Client::anonymous(&server);

    // A 504 after the command took effect: the task is completed anyway.
    server.fail_next(
        Route::CompleteUserTask,
        1,
        Fault::ListenerTimeout { applied: true },
    );
    let reply = api.post("/v2/user-tasks/1/completion", "{}").await;
    assert_problem(&reply, 504, "DEADLINE_EXCEEDED");
    assert_eq!(
        server.store().task("1").unwrap().state,
        TaskState::Completed
    );
    assert_eq!(server.command_count("1", CommandKind::Complete), 1);

    // A 504 without effect.
    server.fail_next(
        Route::AssignUserTask,
        1,
        Fault::ListenerTimeout { applied: false },
    );
    let reply = api
        .post("/v2/user-tasks/2/assignment", r#"{"assignee":"ann"}"#)
        .await;
    assert_problem(&reply, 504, "DEADLINE_EXCEEDED");
    assert!(server.store().task("2").unwrap().assignee.is_none());

    // A listener denies: 409 without effect.
    server.fail_next(Route::UpdateUserTask, 1, Fault::ListenerDenied);
    let reply = api
        .patch("/v2/user-tasks/2", Some(r#"{"changeset":{"priority":1}}"#))
        .await;
    assert_problem(&reply, 409, "INVALID_STATE");
    assert!(server.store().task("2").unwrap().priority.is_none());
    assert_eq!(server.command_count("2", CommandKind::Update), 1);

    // A proxy's HTML 504.
    server.fail_next(Route::UnassignUserTask, 1, Fault::ProxyHtml504);
    let reply = api.delete("/v2/user-tasks/3/assignee").await;
    assert_eq!(reply.status, 504);
    assert!(reply.content_type.starts_with("text/html"));
    assert!(reply.text.contains("504 Gateway Time-out"));

    // A held listener delays, then the command goes through.
    server.fail_next(
        Route::CompleteUserTask,
        1,
        Fault::ListenerHold(Duration::from_millis(50)),
    );
    let started = std::time::Instant::now();
    assert_eq!(
        api.post("/v2/user-tasks/3/completion", "{}").await.status,
        204
    );
    assert!(started.elapsed() >= Duration::from_millis(50));

    assert_eq!(server.command_count("2", CommandKind::Assign), 1);
    assert_eq!(server.command_count("3", CommandKind::Unassign), 1);
    assert_eq!(server.command_count("3", CommandKind::Complete), 1);
    assert_eq!(server.command_count("1", CommandKind::Assign), 0);
    // v1 commands count too.
    api.patch("/v1/tasks/2/assign", Some(r#"{"assignee":"x"}"#))
        .await;
    assert_eq!(server.command_count("2", CommandKind::Assign), 2);
    server.reset_counters();
    assert_eq!(server.command_count("2", CommandKind::Assign), 0);
}
