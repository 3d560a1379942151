//! The v2 user-task client against the testkit's Camunda 8.8, 8.9 and 8.10 over real HTTP on
//! loopback, through the recommended stack (HTTP → tracing → authenticator → retries) in
//! each authentication mode: OAuth client credentials, a cookie session with CSRF, HTTP Basic.
//!
//! Each test checks what the client returns and what the server saw: its store after the
//! call, its request counters and its per-task command counts (so a command sent twice, or a
//! retry that should not have happened, shows up).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use tasklist_api::v2::models::{
    AuditLogOperationType, IntegerFilter, StringFilter, UserTaskSortField, UserTaskState,
};
use tasklist_api::{Client, Error, Variables};
use tasklist_auth::{AuthConfig, Component, CookieAuth, LoginPath};
use tasklist_testkit::store::{
    Form as StoredForm, Task as StoredTask, TaskImplementation, TaskState as StoredState,
};
use tasklist_testkit::{AuthMode, CommandKind, Fault, Profile, Route, TestServer};
use tasklist_transport::{HttpTransport, RetryPolicy, TransportExt};

const PROFILES: [Profile; 3] = [Profile::V8_8, Profile::V8_9, Profile::V8_10];

#[derive(Clone, Copy, Debug)]
enum Mode {
    OAuth,
    Cookie,
    Basic,
}

const MODES: [Mode; 3] = [Mode::OAuth, Mode::Cookie, Mode::Basic];

/// A server imitating `profile` for `mode`, its API below `base_path` (empty for none).
async fn server(profile: Profile, mode: Mode, base_path: &str) -> TestServer {
    let auth = match mode {
        Mode::OAuth => AuthMode::OAuth,
        Mode::Cookie => AuthMode::Cookie { csrf: true },
        Mode::Basic => AuthMode::Basic,
    };
    let mut builder = TestServer::builder()
        .profile(profile)
        .auth(auth)
        .truncation_threshold(32);
    if !base_path.is_empty() {
        builder = builder.base_path(base_path);
    }
    builder.start().await.unwrap()
}

/// The client of the recommended stack for `mode`, at the server's API URL (base path
/// included).
fn client(server: &TestServer, mode: Mode) -> Client {
    let builder = AuthConfig::builder(Component::Tasklist);
    let config = match mode {
        Mode::OAuth => builder
            .oauth(server.token_url(), "tasklist", "tasklist-secret".into())
            .audience("tasklist-api"),
        Mode::Cookie => builder
            .cookie(server.v2_url(), "demo", Some("demo".into()))
            .login_path(LoginPath::Root),
        Mode::Basic => builder.basic("demo", "demo".into()),
    }
    .build()
    .unwrap();
    let retry = RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(10));
    let transport = config
        .stack(HttpTransport::builder().no_proxy())
        .retry(retry)
        .build()
        .unwrap()
        .into_transport();
    Client::new(&server.v2_url(), transport).unwrap()
}

const TASK: &str = "2251799813790001";
const OTHER: &str = "2251799813790002";
const PROCESS: &str = "2251799813685999";
const SCHEMA: &str = r#"{"components":[{"key":"approved","type":"checkbox"}],"type":"default"}"#;

/// Two Zeebe user tasks: `TASK` (priority 70, in group `accounting`, a linked form, three
/// variables, one longer than the truncation threshold) and `OTHER` (no form, no group).
fn seed(server: &TestServer) {
    let store = server.store();
    let mut task = StoredTask::new(TASK, "Review contract");
    task.implementation = TaskImplementation::ZeebeUserTask;
    task.process_definition_key = PROCESS.to_owned();
    task.candidate_groups = Some(vec!["accounting".to_owned()]);
    task.priority = Some(70);
    task.form_id = Some("contractForm".to_owned());
    task.form_version = Some(2);
    task.is_form_embedded = Some(false);
    store.insert_task(task);
    store.insert_form(StoredForm::deployed("contractForm", 2, PROCESS, SCHEMA));
    store.insert_variable(TASK, "amount", "1200.5").unwrap();
    store
        .insert_variable(
            TASK,
            "customer",
            r#"{"name":"Zoë's Café","vip":true,"notes":"a long text"}"#,
        )
        .unwrap();
    store.insert_variable(TASK, "region", r#""EMEA""#).unwrap();
    let mut other = StoredTask::new(OTHER, "File receipt");
    other.implementation = TaskImplementation::ZeebeUserTask;
    other.priority = Some(10);
    store.insert_task(other);
}

/// Every endpoint, in order, on one server: what the client returns and what the server holds.
async fn tour(profile: Profile, mode: Mode, base_path: &str) {
    let what = format!("{profile:?} {mode:?} {base_path:?}");
    let server = server(profile, mode, base_path).await;
    seed(&server);
    let client = client(&server, mode);
    let tasks = client.user_tasks();

    let topology = client.topology().await.unwrap();
    assert_eq!(
        topology.gateway_version.as_deref(),
        Some(profile.version()),
        "{what}"
    );

    // Search with a filter, a sort and a page; the key and fields come back typed.
    let page = tasks
        .search()
        .state(UserTaskState::Created)
        .candidate_group("accounting")
        .priority(IntegerFilter::gte(50))
        .sort_desc(UserTaskSortField::Priority)
        .limit(10)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1, "{what}");
    assert_eq!(page.page.total_items, Some(1), "{what}");
    let found = &page.items[0];
    assert_eq!(
        found.user_task_key.as_ref().unwrap().as_str(),
        TASK,
        "{what}"
    );
    assert_eq!(found.priority, Some(70), "{what}");
    let everything: Vec<_> = tasks
        .search()
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(everything.len(), 2, "{what}");

    let task = tasks.get(TASK).await.unwrap();
    assert_eq!(task.name.as_deref(), Some("Review contract"), "{what}");
    assert!(task.is_open(), "{what}");
    assert!(
        tasks.get("404404404").await.unwrap_err().is_not_found(),
        "{what}"
    );

    // The form: linked for TASK, none for OTHER (the server's 204).
    let form = tasks.form(TASK).await.unwrap().expect("a linked form");
    assert_eq!(form.form_id.as_deref(), Some("contractForm"), "{what}");
    assert_eq!(form.schema.as_deref(), Some(SCHEMA), "{what}");
    assert_eq!(tasks.form(OTHER).await.unwrap(), None, "{what}");

    // Variables: a long value is cut unless asked for whole, and a cut value does not decode.
    let variables = tasks.variables(TASK).name("customer").await.unwrap();
    assert_eq!(variables.items.len(), 1, "{what}");
    assert!(
        matches!(
            variables.items[0].decode::<serde_json::Value>(),
            Err(Error::VariableTruncated { .. })
        ),
        "{what}"
    );
    let whole = tasks
        .variables(TASK)
        .name("customer")
        .truncate_values(false)
        .await
        .unwrap();
    let customer: serde_json::Value = whole.items[0].decode().unwrap();
    assert_eq!(customer["name"], "Zoë's Café", "{what}");
    let effective: Vec<_> = tasks
        .effective_variables(TASK)
        .offset(0, 2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let mut names: Vec<_> = effective.iter().map(|v| v.name.clone().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["amount", "customer", "region"], "{what}");
    let amount = effective
        .iter()
        .find(|v| v.name.as_deref() == Some("amount"))
        .unwrap();
    assert_eq!(amount.decode::<f64>().unwrap(), 1200.5, "{what}");

    // Commands, each seen once by the server.
    tasks
        .assign(TASK, "demo")
        .allow_override(false)
        .await
        .unwrap();
    assert_eq!(
        server.store().task(TASK).unwrap().assignee.as_deref(),
        Some("demo"),
        "{what}"
    );
    let refused = tasks
        .assign(TASK, "jane")
        .allow_override(false)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, Error::InvalidState(_)),
        "{what}: {refused:?}"
    );
    let due: tasklist_api::Timestamp = "2026-12-24T12:00:00Z".parse().unwrap();
    tasks.update(TASK).priority(90).due_date(due).await.unwrap();
    let stored = server.store().task(TASK).unwrap();
    assert_eq!(stored.priority, Some(90), "{what}");
    assert!(stored.due_date.is_some(), "{what}");
    tasks.unassign(TASK).await.unwrap();
    assert_eq!(server.store().task(TASK).unwrap().assignee, None, "{what}");
    tasks.assign(TASK, "demo").await.unwrap();
    let variables = Variables::new()
        .with("approved", &true)
        .unwrap()
        .with("big", &u64::MAX)
        .unwrap();
    tasks.complete(TASK).variables(variables).await.unwrap();
    let stored = server.store().task(TASK).unwrap();
    assert_eq!(stored.state, StoredState::Completed, "{what}");
    let completed = server.store().completed_variables(TASK).unwrap();
    let big = completed.iter().find(|v| v.name == "big").unwrap();
    assert_eq!(big.value, "18446744073709551615", "{what}");
    for kind in [
        CommandKind::Assign,
        CommandKind::Unassign,
        CommandKind::Update,
        CommandKind::Complete,
    ] {
        let expected = if matches!(kind, CommandKind::Assign) {
            3
        } else {
            1
        };
        assert_eq!(
            server.command_count(TASK, kind),
            expected,
            "{what} {kind:?}"
        );
    }
    let done = tasks
        .wait_for(TASK)
        .state(UserTaskState::Completed)
        .await
        .unwrap();
    assert!(done.is_finished(), "{what}");

    // The audit log: 8.9 and later.
    let log = tasks
        .audit_logs(TASK)
        .into_stream()
        .try_collect::<Vec<_>>()
        .await;
    match profile {
        Profile::V8_8 => assert!(log.unwrap_err().is_not_found(), "{what}"),
        _ => {
            let log = log.unwrap();
            let operations: Vec<_> = log
                .iter()
                .filter_map(|e| e.operation_type.clone())
                .collect();
            assert!(
                operations.contains(&AuditLogOperationType::Assign),
                "{what}: {operations:?}"
            );
            assert!(
                operations.contains(&AuditLogOperationType::Complete),
                "{what}: {operations:?}"
            );
        }
    }

    // A completed task is gone for commands.
    let again = tasks.complete(TASK).await.unwrap_err();
    assert!(again.is_not_found(), "{what}: {again:?}");

    if matches!(mode, Mode::Cookie) {
        // One login served every call, the searches (POSTs with the CSRF header) included.
        assert_eq!(server.successful_logins(), 1, "{what}");
    }
}

#[tokio::test]
async fn every_endpoint_on_every_version_in_every_mode() {
    for profile in PROFILES {
        for mode in MODES {
            tour(profile, mode, "").await;
        }
    }
}

/// A JSON string with quotes and a backslash inside, as JSON text.
const QUOTED: &str = r#""she said \"hi\" \\ left""#;

#[tokio::test]
async fn a_variable_is_read_whole_by_its_key_on_every_version_in_every_mode() {
    for profile in PROFILES {
        for mode in MODES {
            let what = format!("{profile:?} {mode:?}");
            let server = server(profile, mode, "").await;
            seed(&server);
            let store = server.store();
            store
                .insert_variable(TASK, "big", "18446744073709551615")
                .unwrap();
            store.insert_variable(TASK, "quoted", QUOTED).unwrap();
            let client = client(&server, mode);
            let found = client
                .user_tasks()
                .variables(TASK)
                .into_stream()
                .try_collect::<Vec<_>>()
                .await
                .unwrap();
            let key_of = |name: &str| {
                found
                    .iter()
                    .find(|v| v.name.as_deref() == Some(name))
                    .and_then(|v| v.variable_key.clone())
                    .unwrap()
            };
            let variables = client.v2_variables();

            // Exact name and value, whatever the key's form; the search cut `customer`.
            let big = variables.get(key_of("big")).await.unwrap();
            assert_eq!(big.name.as_deref(), Some("big"), "{what}");
            assert_eq!(big.value.as_deref(), Some("18446744073709551615"), "{what}");
            assert_eq!(big.decode::<u64>().unwrap(), u64::MAX, "{what}");
            assert_eq!(big.variable_key, Some(key_of("big")), "{what}");
            let quoted_key = key_of("quoted");
            let quoted = variables.get(quoted_key.as_str()).await.unwrap();
            assert_eq!(quoted.value.as_deref(), Some(QUOTED), "{what}");
            assert_eq!(
                quoted.decode::<String>().unwrap(),
                r#"she said "hi" \ left"#,
                "{what}"
            );
            let customer_key = key_of("customer");
            let cut = found
                .iter()
                .find(|v| v.name.as_deref() == Some("customer"))
                .unwrap();
            assert_eq!(cut.is_truncated, Some(true), "{what}");
            let number: i64 = customer_key.as_str().parse().unwrap();
            let customer = variables.get(number).await.unwrap();
            let customer: serde_json::Value = customer.decode().unwrap();
            assert_eq!(customer["notes"], "a long text", "{what}");
            assert_eq!(
                variables
                    .get(customer_key.as_str().to_owned())
                    .await
                    .unwrap()
                    .root_process_instance_key
                    .is_some(),
                profile != Profile::V8_8,
                "{what}"
            );
            assert_eq!(server.requests(Route::GetVariableByKey), 4, "{what}");

            // Unknown: NotFound; not a key: InvalidArgument, and nothing reaches the server.
            let unknown = variables.get("404404404").await.unwrap_err();
            assert!(unknown.is_not_found(), "{what}: {unknown:?}");
            server.reset_counters();
            for bad in ["2251799813685251-amount", "", "../admin"] {
                let error = variables.get(bad).await.unwrap_err();
                assert!(
                    matches!(error, Error::InvalidArgument(_)),
                    "{what} {bad:?}: {error:?}"
                );
            }
            assert_eq!(server.requests(Route::GetVariableByKey), 0, "{what}");
            assert_eq!(server.total_requests(), 0, "{what}");
        }
    }
}

#[tokio::test]
async fn a_base_path_prefix_is_kept_for_the_api_and_the_login() {
    for mode in MODES {
        tour(Profile::V8_10, mode, "/physical-tenants/tenant-a").await;
    }
}

#[tokio::test]
async fn a_csrf_failure_answered_401_is_recovered_with_one_login_and_one_retry() {
    for profile in PROFILES {
        let server = server(profile, Mode::Cookie, "").await;
        seed(&server);
        let client = client(&server, Mode::Cookie);
        let tasks = client.user_tasks();
        tasks.search().await.unwrap();
        assert_eq!(server.logins(), 1);

        // A search (a POST: CSRF-checked) whose token the server no longer takes.
        server.reset_counters();
        server.fail_next(Route::SearchUserTasks, 1, Fault::CsrfRefused);
        let page = tasks.search().await.unwrap();
        assert_eq!(page.items.len(), 2, "{profile:?}");
        assert_eq!(server.logins(), 1, "{profile:?}: one fresh login");
        assert_eq!(
            server.requests(Route::SearchUserTasks),
            2,
            "{profile:?}: one retry"
        );

        // A command too: the refused completion never ran, so it is sent again once.
        server.reset_counters();
        server.fail_next(Route::CompleteUserTask, 1, Fault::CsrfRefused);
        tasks.complete(OTHER).await.unwrap();
        assert_eq!(server.logins(), 1, "{profile:?}");
        assert_eq!(
            server.command_count(OTHER, CommandKind::Complete),
            2,
            "{profile:?}"
        );
        assert_eq!(
            server.store().task(OTHER).unwrap().state,
            StoredState::Completed
        );

        // Refused again after the fresh login: the error, not a loop.
        server.reset_counters();
        server.fail_next(Route::GetUserTask, 5, Fault::CsrfRefused);
        let error = tasks.get(TASK).await.unwrap_err();
        assert!(
            matches!(error, Error::Unauthorized(_)),
            "{profile:?}: {error:?}"
        );
        assert_eq!(server.requests(Route::GetUserTask), 2, "{profile:?}");
    }
}

#[tokio::test]
async fn bearer_and_basic_callers_send_no_csrf_token_and_need_none() {
    for mode in [Mode::OAuth, Mode::Basic] {
        let server = server(Profile::V8_9, mode, "").await;
        seed(&server);
        let client = client(&server, mode);
        client.user_tasks().search().await.unwrap();
        client.user_tasks().assign(OTHER, "demo").await.unwrap();
        assert_eq!(server.logins(), 0, "{mode:?}");
    }
}

#[tokio::test]
async fn a_504_on_a_command_is_outcome_unknown_and_never_sent_again() {
    for (fault, applied) in [
        (Fault::ListenerTimeout { applied: true }, true),
        (Fault::ListenerTimeout { applied: false }, false),
        (Fault::ProxyHtml504, false),
    ] {
        for (route, kind) in [
            (Route::CompleteUserTask, CommandKind::Complete),
            (Route::AssignUserTask, CommandKind::Assign),
            (Route::UnassignUserTask, CommandKind::Unassign),
            (Route::UpdateUserTask, CommandKind::Update),
        ] {
            let what = format!("{fault:?} {route:?}");
            let server = server(Profile::V8_9, Mode::OAuth, "").await;
            seed(&server);
            if matches!(kind, CommandKind::Unassign) {
                server.store().insert_task({
                    let mut task = server.store().task(TASK).unwrap();
                    task.assignee = Some("jane".to_owned());
                    task
                });
            }
            let client = client(&server, Mode::OAuth);
            let tasks = client.user_tasks();
            server.fail_next(route, 1, fault.clone());
            let result = match kind {
                CommandKind::Complete => tasks.complete(TASK).await,
                CommandKind::Assign => tasks.assign(TASK, "demo").await,
                CommandKind::Unassign => tasks.unassign(TASK).await,
                _ => tasks.update(TASK).priority(5).await,
            };
            let error = result.unwrap_err();
            let Error::OutcomeUnknown {
                command,
                task,
                status,
                api,
            } = &error
            else {
                panic!("{what}: {error:?}");
            };
            assert_eq!((task.as_str(), status.as_u16()), (TASK, 504), "{what}");
            assert!(
                ["complete", "assign", "unassign", "update"].contains(command),
                "{what}"
            );
            if matches!(fault, Fault::ProxyHtml504) {
                assert!(
                    api.message().contains("504 Gateway"),
                    "{what}: {}",
                    api.message()
                );
            } else {
                assert_eq!(
                    api.code(),
                    Some(tasklist_api::ProblemCode::DeadlineExceeded),
                    "{what}"
                );
            }
            // Counted at the server: exactly one, although the stack retries what it may.
            assert_eq!(server.command_count(TASK, kind), 1, "{what}");
            let stored = server.store().task(TASK).unwrap();
            let took_effect = match kind {
                CommandKind::Complete => stored.state == StoredState::Completed,
                CommandKind::Assign => stored.assignee.as_deref() == Some("demo"),
                CommandKind::Unassign => stored.assignee.is_none(),
                _ => stored.priority == Some(5),
            };
            assert_eq!(took_effect, applied, "{what}");
        }
    }
}

#[tokio::test]
async fn after_an_unknown_outcome_wait_for_tells_what_happened() {
    let server = server(Profile::V8_10, Mode::Basic, "").await;
    seed(&server);
    let client = client(&server, Mode::Basic);
    let tasks = client.user_tasks();
    server.fail_next(
        Route::CompleteUserTask,
        1,
        Fault::ListenerTimeout { applied: true },
    );
    assert!(matches!(
        tasks.complete(TASK).await,
        Err(Error::OutcomeUnknown { .. })
    ));
    let task = tasks
        .wait_for(TASK)
        .state(UserTaskState::Completed)
        .timeout(Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(task.state, Some(UserTaskState::Completed));
}

#[tokio::test]
async fn listener_faults_and_server_failures_are_seen_as_they_are() {
    let server = server(Profile::V8_9, Mode::OAuth, "").await;
    seed(&server);
    let client = client(&server, Mode::OAuth);
    let tasks = client.user_tasks();

    // A listener that rejects: 409 INVALID_STATE, nothing changed, not repeated.
    server.fail_next(Route::CompleteUserTask, 1, Fault::ListenerDenied);
    let error = tasks.complete(TASK).await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidState(api) if api.code() == Some(tasklist_api::ProblemCode::InvalidState)),
        "{error:?}"
    );
    assert_eq!(server.command_count(TASK, CommandKind::Complete), 1);
    assert_eq!(
        server.store().task(TASK).unwrap().state,
        StoredState::Created
    );

    // A listener that takes its time: the command waits and succeeds.
    server.fail_next(
        Route::AssignUserTask,
        1,
        Fault::ListenerHold(Duration::from_millis(150)),
    );
    let started = std::time::Instant::now();
    tasks.assign(TASK, "demo").await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(server.command_count(TASK, CommandKind::Assign), 1);

    // A read that meets backpressure is retried (reads are idempotent) and succeeds.
    server.reset_counters();
    server.fail_next(
        Route::SearchUserTasks,
        1,
        Fault::Unavailable { retry_after: None },
    );
    tasks.search().await.unwrap();
    assert_eq!(server.requests(Route::SearchUserTasks), 2);

    // A proxy's HTML 504 on a read is a server error with the page's text, not "outcome
    // unknown".
    server.reset_counters();
    server.fail_next(Route::GetUserTask, 3, Fault::ProxyHtml504);
    let error = tasks.get(TASK).await.unwrap_err();
    assert!(
        matches!(&error, Error::Server(api) if api.message().contains("504")),
        "{error:?}"
    );

    // A problem the server sends for a bad request keeps its message.
    let error = tasks
        .search()
        .filter_with(|f| f.name = Some(StringFilter::like("Review*")))
        .after(tasklist_api::v2::models::Cursor::new("not a cursor!"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(
        error.server_message().is_some_and(|m| !m.is_empty()),
        "{error:?}"
    );
}

#[tokio::test]
async fn reads_lag_behind_commands_and_wait_for_bridges_the_lag() {
    let server = server(Profile::V8_8, Mode::Basic, "").await;
    seed(&server);
    server.set_consistency_lag(Duration::from_millis(400));
    let client = client(&server, Mode::Basic);
    let tasks = client.user_tasks();

    tasks.assign(TASK, "demo").await.unwrap();
    // The command is applied, the read does not show it yet.
    assert_eq!(
        server.store().task(TASK).unwrap().assignee.as_deref(),
        Some("demo")
    );
    assert_eq!(tasks.get(TASK).await.unwrap().assignee, None);

    // Too short a wait names what it saw.
    let error = tasks
        .wait_for(TASK)
        .assignee("demo")
        .timeout(Duration::from_millis(50))
        .backoff(Duration::from_millis(10), Duration::from_millis(20))
        .await
        .unwrap_err();
    let Error::ConsistencyTimeout { task, last, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (task.as_str(), last.as_str()),
        (TASK, "state CREATED, unassigned")
    );

    // A long enough one returns the task as the command left it.
    let task = tasks
        .wait_for(TASK)
        .assignee("demo")
        .timeout(Duration::from_secs(3))
        .await
        .unwrap();
    assert_eq!(task.assignee.as_deref(), Some("demo"));
}

#[tokio::test]
async fn a_cursor_stream_walks_every_task_once_forward_and_backward() {
    let server = server(Profile::V8_10, Mode::OAuth, "").await;
    for n in 0..257u64 {
        let mut task = StoredTask::new((3_000_000_000_000 + n).to_string(), format!("task {n}"));
        task.implementation = TaskImplementation::ZeebeUserTask;
        task.priority = Some((n % 100) as i32);
        server.store().insert_task(task);
    }
    let client = client(&server, Mode::OAuth);
    let mut stream = client
        .user_tasks()
        .search()
        .sort_asc(UserTaskSortField::Priority)
        .limit(50)
        .into_stream();
    let mut keys = Vec::new();
    let mut most_held = 0;
    while let Some(task) = stream.try_next().await.unwrap() {
        most_held = most_held.max(stream.buffered_len() + 1);
        keys.push(task.user_task_key.unwrap().into_string());
    }
    assert_eq!(keys.len(), 257);
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 257, "every task once");
    assert!(most_held <= 50, "{most_held}");
    assert_eq!(server.requests(Route::SearchUserTasks), 6);

    // Backward from the end of the first page: the tasks before it, last first.
    let first = client
        .user_tasks()
        .search()
        .sort_asc(UserTaskSortField::Priority)
        .limit(100)
        .await
        .unwrap();
    let second = client
        .user_tasks()
        .search()
        .sort_asc(UserTaskSortField::Priority)
        .limit(100)
        .after(first.page.end_cursor.clone().unwrap())
        .await
        .unwrap();
    let back: Vec<_> = client
        .user_tasks()
        .search()
        .sort_asc(UserTaskSortField::Priority)
        .before(second.page.start_cursor.clone().unwrap())
        .limit(30)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let back_keys: Vec<_> = back
        .iter()
        .map(|t| t.user_task_key.clone().unwrap())
        .collect();
    let mut expected: Vec<_> = first
        .items
        .iter()
        .map(|t| t.user_task_key.clone().unwrap())
        .collect();
    expected.reverse();
    assert_eq!(back_keys, expected);
}

#[tokio::test]
async fn a_cookie_session_logs_in_at_login_and_out_at_logout_below_a_base_path() {
    for profile in PROFILES {
        let server = TestServer::builder()
            .profile(profile)
            .auth(AuthMode::Cookie { csrf: true })
            .base_path("/physical-tenants/t1")
            .start()
            .await
            .unwrap();
        seed(&server);
        let http = HttpTransport::builder().no_proxy().build().unwrap();
        let session = Arc::new(
            CookieAuth::builder(&server.v2_url())
                .username("demo")
                .password("demo".into())
                .login_path(LoginPath::Root)
                .build(http.clone().into_shared())
                .unwrap(),
        );
        let client = Client::new(
            &server.v2_url(),
            http.with_authenticator(session.clone()).into_shared(),
        )
        .unwrap();
        client.user_tasks().search().await.unwrap();
        assert_eq!(server.successful_logins(), 1, "{profile:?}");
        assert_eq!(server.active_sessions(), 1, "{profile:?}");
        session.logout().await.unwrap();
        assert_eq!(server.active_sessions(), 0, "{profile:?}");
        // The next call logs in again.
        client.user_tasks().get(TASK).await.unwrap();
        assert_eq!(server.successful_logins(), 2, "{profile:?}");
    }
}
