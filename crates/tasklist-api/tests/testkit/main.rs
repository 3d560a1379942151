//! The client against a faithful Tasklist: `tasklist_api::Client` over the real HTTP transport
//! and the matching `tasklist-auth` authenticator (OAuth client credentials with a token cache,
//! a cookie session with CSRF on 8.7 and 8.8, HTTP Basic on 8.8), talking to the in-process
//! server of `tasklist-testkit` on loopback.
//!
//! Each test checks what the client returns *and* what the server saw: its store after the call,
//! and its request counters (so a hidden retry, a missing renewal or a request that should never
//! have been sent shows up as a wrong count).
//!
//! This file holds the client stacks and the known data; the tests are in its modules.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod calls;
mod faults;
mod graphql;
mod paging;
mod rules;
mod variables;

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use serde_json::{Value, json};
use tasklist_api::models::{
    Implementation, SortOrder, TaskSearchResult, TaskSortField, TaskState, VariablesSearchRequest,
};
use tasklist_api::{ApiError, BodyFormat, Client, Cursor, Error, ValueState, Variables};
use tasklist_auth::{AuthConfig, Component, LoginPath};
use tasklist_testkit::store::{
    Form as StoredForm, Task as StoredTask, TaskImplementation as StoredImplementation,
    TaskState as StoredState,
};
use tasklist_testkit::{AuthMode, Fault, Profile, Route, TestServer};
use tasklist_transport::{HttpTransport, HttpTransportBuilder, RetryPolicy};

// ---------------------------------------------------------------------------------------------
// The client stacks.
// ---------------------------------------------------------------------------------------------

/// The user of the cookie and Basic modes (the testkit's default user).
const USER: &str = "demo";
const PASSWORD: &str = "demo";

/// How the client authenticates.
#[derive(Clone, Debug)]
enum Mode {
    /// Client credentials through a token cache (the testkit's default client).
    OAuth,
    /// A cookie session with CSRF, logging in at this path.
    Cookie(LoginPath),
    /// HTTP Basic.
    Basic,
}

impl Mode {
    /// Whether the server sees the caller as an API client (a JWT) rather than a user.
    fn is_jwt(&self) -> bool {
        matches!(self, Mode::OAuth)
    }
}

/// A server for `mode` imitating `profile`, seeded with `tasks` generated tasks.
async fn server(profile: Profile, mode: &Mode, tasks: usize) -> TestServer {
    let auth = match mode {
        Mode::OAuth => AuthMode::OAuth,
        Mode::Cookie(_) => AuthMode::Cookie { csrf: true },
        Mode::Basic => AuthMode::Basic,
    };
    TestServer::builder()
        .profile(profile)
        .auth(auth)
        .tasks(tasks)
        .start()
        .await
        .unwrap()
}

/// The HTTP transport builder every stack starts from (the server is on loopback: no proxy).
fn http() -> HttpTransportBuilder {
    HttpTransport::builder().no_proxy()
}

/// Retries as the default policy does, with short back-offs.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(20))
}

/// The authentication settings of `mode`.
fn auth_config(server: &TestServer, mode: &Mode) -> AuthConfig {
    let builder = AuthConfig::builder(Component::Tasklist);
    match mode {
        Mode::OAuth => builder
            .oauth(server.token_url(), "tasklist", "tasklist-secret".into())
            .audience("tasklist-api"),
        Mode::Cookie(path) => builder
            .cookie(server.base_url(), USER, Some(PASSWORD.into()))
            .login_path(path.clone()),
        Mode::Basic => builder.basic(USER, PASSWORD.into()),
    }
    .build()
    .unwrap()
}

/// A client over the recommended stack (`AuthConfig::stack`: HTTP → tracing → authenticator
/// → retries).
fn client_with(
    server: &TestServer,
    mode: &Mode,
    http: HttpTransportBuilder,
    retry: RetryPolicy,
) -> Client {
    let transport = auth_config(server, mode)
        .stack(http)
        .retry(retry)
        .build()
        .unwrap()
        .into_transport();
    Client::new(server.base_url(), transport).unwrap()
}

/// A client over the recommended stack with quick retries.
fn client(server: &TestServer, mode: &Mode) -> Client {
    client_with(server, mode, http(), quick_retries())
}

// ---------------------------------------------------------------------------------------------
// Known data in the store.
// ---------------------------------------------------------------------------------------------

const TASK: &str = "2251799813790001";
const INSTANCE: &str = "2251799813790002";
const PROCESS: &str = "2251799813685999";
const FORM: &str = "contractForm";
const SCHEMA: &str =
    r#"{"components":[{"key":"approved","label":"Approved","type":"checkbox"}],"type":"default"}"#;
/// The id of a task that is not in the store.
const MISSING: &str = "404404404";

/// A `CREATED`, unassigned job-worker task in process `PROCESS`, with three variables and an
/// embedded form.
fn insert_contract_task(server: &TestServer) {
    insert_task(server, TASK, INSTANCE, |_| {});
    let store = server.store();
    store.insert_variable(TASK, "amount", "1200.5").unwrap();
    store
        .insert_variable(TASK, "customer", r#"{"name":"Zoë's Café","vip":true}"#)
        .unwrap();
    store.insert_variable(TASK, "note", r#""first""#).unwrap();
    store.insert_form(StoredForm::embedded(FORM, PROCESS, SCHEMA));
}

/// A `CREATED` unassigned job-worker task `id` of process `PROCESS`, changed by `edit`.
fn insert_task(server: &TestServer, id: &str, instance: &str, edit: impl FnOnce(&mut StoredTask)) {
    let mut task = StoredTask::new(id, "Review contract");
    task.task_definition_id = "review_contract".to_owned();
    task.process_name = "Contracts".to_owned();
    task.process_definition_key = PROCESS.to_owned();
    task.process_instance_key = instance.to_owned();
    task.form_key = Some(format!("camunda-forms:bpmn:{FORM}"));
    task.is_form_embedded = Some(true);
    edit(&mut task);
    server.store().insert_task(task);
}

/// The task as the server holds it.
fn stored(server: &TestServer, id: &str) -> StoredTask {
    server.store().task(id).unwrap()
}

/// The id of a search result.
fn id_of(task: &TaskSearchResult) -> &str {
    task.id.as_ref().unwrap().as_str()
}

/// How many tasks a search without a state filter finds: all but the canceled ones.
fn visible(server: &TestServer) -> usize {
    server
        .store()
        .tasks()
        .iter()
        .filter(|t| t.state != StoredState::Canceled)
        .count()
}

/// The nine endpoints, in the order of the tables of `docs/api.md`.
const API_ROUTES: [Route; 9] = [
    Route::SearchTasks,
    Route::GetTask,
    Route::AssignTask,
    Route::UnassignTask,
    Route::CompleteTask,
    Route::SaveDraftVariables,
    Route::SearchTaskVariables,
    Route::GetVariable,
    Route::GetForm,
];

/// The requests each of the nine endpoints received so far.
fn api_counts(server: &TestServer) -> [u64; 9] {
    API_ROUTES.map(|route| server.requests(route))
}
