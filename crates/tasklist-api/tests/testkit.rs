//! The client against a faithful Tasklist: `tasklist_api::Client` over the real HTTP transport
//! and the matching `tasklist-auth` authenticator (OAuth client credentials with a token cache,
//! a cookie session with CSRF on 8.7 and 8.8, HTTP Basic on 8.8), talking to the in-process
//! server of `tasklist-testkit` on loopback.
//!
//! Each test checks what the client returns *and* what the server saw: its store after the call,
//! and its request counters (so a hidden retry, a missing renewal or a request that should never
//! have been sent shows up as a wrong count).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use serde_json::{Value, json};
use tasklist_api::models::{
    Implementation, SortOrder, TaskSearchResult, TaskSortField, TaskState, VariablesSearchRequest,
};
use tasklist_api::{ApiError, BodyFormat, Client, Cursor, Error, ValueState, Variables};
use tasklist_auth::{BasicAuth, ClientCredentials, CookieAuth, LoginPath, TokenCache};
use tasklist_testkit::store::{
    Form as StoredForm, Task as StoredTask, TaskImplementation as StoredImplementation,
    TaskState as StoredState,
};
use tasklist_testkit::{AuthMode, Fault, Profile, Route, TestServer};
use tasklist_transport::{
    Authenticator, HttpTransport, HttpTransportBuilder, RetryPolicy, TransportExt,
};

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

/// The authenticator of `mode`; its token requests and logins go through `http` directly.
fn authenticator(server: &TestServer, mode: &Mode, http: &HttpTransport) -> Arc<dyn Authenticator> {
    let plain = http.clone().into_shared();
    match mode {
        Mode::OAuth => {
            let credentials = ClientCredentials::builder(
                server.token_url(),
                "tasklist",
                "tasklist-secret".into(),
            )
            .audience("tasklist-api")
            .build(plain)
            .unwrap();
            Arc::new(TokenCache::builder(Arc::new(credentials)).build())
        }
        Mode::Cookie(path) => Arc::new(
            CookieAuth::builder(server.base_url())
                .username(USER)
                .password(PASSWORD.into())
                .login_path(path.clone())
                .build(plain)
                .unwrap(),
        ),
        Mode::Basic => Arc::new(BasicAuth::new(USER, PASSWORD.into()).unwrap()),
    }
}

/// A client over the recommended stack: HTTP → tracing → authenticator → retries.
fn client_with(
    server: &TestServer,
    mode: &Mode,
    http: HttpTransportBuilder,
    retry: RetryPolicy,
) -> Client {
    let http = http.build().unwrap();
    let auth = authenticator(server, mode, &http);
    let transport = http
        .with_tracing()
        .with_authenticator(auth)
        .with_retry(retry)
        .into_shared();
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

// ---------------------------------------------------------------------------------------------
// Every call, in every authentication mode.
// ---------------------------------------------------------------------------------------------

/// Makes each of the nine calls once against the contract task (assigning twice) as a caller of
/// `mode`, and checks each answer, the store after it, and that each call was one request.
async fn nine_calls(server: &TestServer, client: &Client, mode: &Mode) {
    insert_contract_task(server);
    let before = api_counts(server);

    // 1. Search, with one variable included.
    let found = client
        .tasks()
        .search()
        .process_instance_key(INSTANCE)
        .include_variable("amount")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    let hit = &found[0];
    assert_eq!(id_of(hit), TASK);
    assert_eq!(hit.name.as_deref(), Some("Review contract"));
    assert_eq!(hit.task_state, Some(TaskState::Created));
    assert_eq!(hit.is_first, Some(true));
    let included = hit.variables.as_deref().unwrap();
    assert_eq!(
        included.len(),
        1,
        "only the included variable: {included:?}"
    );
    assert_eq!(included[0].name.as_deref(), Some("amount"));
    assert_eq!(included[0].decode::<f64>().unwrap(), 1200.5);

    // 2. Get.
    let task = client.tasks().get(TASK).await.unwrap();
    assert_eq!(task.process_definition_key.unwrap().as_str(), PROCESS);
    assert_eq!(task.assignee, None);
    assert_eq!(
        task.form_key.as_deref(),
        Some("camunda-forms:bpmn:contractForm")
    );
    assert_eq!(task.implementation, Some(Implementation::JobWorker));

    // 3. Assign: a JWT has no user, so it names the assignee; a user assigns to themself.
    let assign = |client: &Client| {
        let call = client.tasks().assign(TASK);
        if mode.is_jwt() {
            call.assignee(USER)
        } else {
            call
        }
    };
    let assigned = assign(client).await.unwrap();
    assert_eq!(assigned.assignee.as_deref(), Some(USER));
    assert_eq!(stored(server, TASK).assignee.as_deref(), Some(USER));

    // 4. Unassign.
    let unassigned = client.tasks().unassign(TASK).await.unwrap();
    assert_eq!(unassigned.assignee, None);
    assert_eq!(stored(server, TASK).assignee, None);
    // A user may complete only a task assigned to them.
    assign(client).await.unwrap();

    // 5. Save drafts: one for an existing variable, one for a new one.
    let drafts = Variables::new()
        .with("note", "draft note")
        .unwrap()
        .with("extra", &42)
        .unwrap();
    client
        .tasks()
        .save_draft_variables(TASK, drafts)
        .await
        .unwrap();
    let saved: Vec<(String, String)> = server
        .store()
        .draft_variables(TASK)
        .unwrap()
        .into_iter()
        .map(|d| (d.name, d.value))
        .collect();
    assert_eq!(
        saved,
        [
            ("note".to_owned(), r#""draft note""#.to_owned()),
            ("extra".to_owned(), "42".to_owned())
        ]
    );

    // 6. The task's variables: sorted by name, drafts alongside, a draft-only one without value.
    let variables = client.tasks().variables(TASK).search().await.unwrap();
    let names: Vec<&str> = variables
        .iter()
        .map(|v| v.name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["amount", "customer", "extra", "note"]);
    let customer: Value = variables[1].decode().unwrap();
    assert_eq!(customer, json!({"name": "Zoë's Café", "vip": true}));
    assert_eq!(variables[2].value_state(), ValueState::Absent);
    assert_eq!(variables[2].decode_draft::<i64>().unwrap(), Some(42));
    assert_eq!(variables[3].decode::<String>().unwrap(), "first");
    assert_eq!(
        variables[3].decode_draft::<String>().unwrap().as_deref(),
        Some("draft note")
    );

    // 7. One variable by id, with its draft.
    let note = client
        .variables()
        .get(format!("{INSTANCE}-note"))
        .await
        .unwrap();
    assert_eq!(note.decode::<String>().unwrap(), "first");
    assert_eq!(
        note.decode_draft::<String>().unwrap().as_deref(),
        Some("draft note")
    );

    // 8. The task's embedded form.
    let form = client.forms().get(FORM, PROCESS).await.unwrap();
    assert_eq!(form.id.unwrap().as_str(), FORM);
    assert_eq!(form.schema.as_deref(), Some(SCHEMA));
    assert_eq!(form.version, None);
    assert_eq!(form.is_deleted, Some(false));

    // 9. Complete with a variable: the drafts and the request's variables make the snapshot.
    let done = client
        .tasks()
        .complete(TASK)
        .variables(Variables::new().with("approved", &true).unwrap())
        .await
        .unwrap();
    assert_eq!(done.task_state, Some(TaskState::Completed));
    assert!(done.completion_date.is_some());
    let task = stored(server, TASK);
    assert_eq!(task.state, StoredState::Completed);
    assert_eq!(task.assignee.as_deref(), Some(USER));
    let snapshot: Vec<(String, String)> = server
        .store()
        .completed_variables(TASK)
        .unwrap()
        .into_iter()
        .map(|v| (v.name, v.value))
        .collect();
    assert_eq!(
        snapshot,
        [
            ("amount", "1200.5"),
            ("approved", "true"),
            ("customer", r#"{"name":"Zoë's Café","vip":true}"#),
            ("extra", "42"),
            ("note", r#""draft note""#),
        ]
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
    );
    assert_eq!(server.store().draft_variables(TASK), Some(vec![]));

    // One request per call, two assigns.
    let after = api_counts(server);
    let made: Vec<u64> = after.iter().zip(before).map(|(a, b)| a - b).collect();
    assert_eq!(made, [1, 1, 2, 1, 1, 1, 1, 1, 1], "requests per endpoint");
}

#[tokio::test]
async fn oauth_client_credentials_make_every_call_on_8_7() {
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 0).await;
    nine_calls(&server, &client(&server, &mode), &mode).await;
    assert_eq!(server.token_requests(), 1, "one token for ten calls");
    assert_eq!(server.logins(), 0);
}

#[tokio::test]
async fn oauth_client_credentials_make_every_call_on_8_8() {
    let mode = Mode::OAuth;
    let server = server(Profile::V8_8, &mode, 0).await;
    nine_calls(&server, &client(&server, &mode), &mode).await;
    assert_eq!(server.token_requests(), 1);
}

#[tokio::test]
async fn a_cookie_session_with_csrf_makes_every_call_on_8_7() {
    let mode = Mode::Cookie(LoginPath::Api);
    let server = server(Profile::V8_7, &mode, 0).await;
    nine_calls(&server, &client(&server, &mode), &mode).await;
    assert_eq!(server.logins(), 1, "one login for ten calls");
    assert_eq!(server.successful_logins(), 1);
    assert_eq!(server.token_requests(), 0);
}

#[tokio::test]
async fn a_cookie_session_with_csrf_makes_every_call_on_8_8() {
    let mode = Mode::Cookie(LoginPath::Root);
    let server = server(Profile::V8_8, &mode, 0).await;
    nine_calls(&server, &client(&server, &mode), &mode).await;
    assert_eq!(server.logins(), 1);
    assert_eq!(server.successful_logins(), 1);
}

#[tokio::test]
async fn try_both_login_paths_finds_the_8_8_login_and_keeps_it() {
    let mode = Mode::Cookie(LoginPath::TryBoth);
    let server = server(Profile::V8_8, &mode, 0).await;
    let client = client(&server, &mode);
    nine_calls(&server, &client, &mode).await;
    // `/api/login` answered 401 (a protected path on 8.8), then `/login` worked.
    assert_eq!(server.logins(), 2);
    assert_eq!(server.successful_logins(), 1);

    // After the session is gone, the login that worked is tried first, and alone.
    server.revoke_sessions();
    client.tasks().get(TASK).await.unwrap();
    assert_eq!(server.logins(), 3);
    assert_eq!(server.successful_logins(), 2);
}

#[tokio::test]
async fn try_both_login_paths_logs_in_at_once_on_8_7() {
    let mode = Mode::Cookie(LoginPath::TryBoth);
    let server = server(Profile::V8_7, &mode, 0).await;
    nine_calls(&server, &client(&server, &mode), &mode).await;
    assert_eq!(server.logins(), 1);
}

#[tokio::test]
async fn http_basic_makes_every_call_on_8_8() {
    let mode = Mode::Basic;
    let server = server(Profile::V8_8, &mode, 0).await;
    nine_calls(&server, &client(&server, &mode), &mode).await;
    assert_eq!(server.logins(), 0);
    assert_eq!(server.token_requests(), 0);
}

// ---------------------------------------------------------------------------------------------
// The server's rules and messages, as the client reports them.
// ---------------------------------------------------------------------------------------------

/// The `ApiError` of an `Error::InvalidRequest` (400).
fn refused(result: Result<impl std::fmt::Debug, Error>) -> ApiError {
    match result {
        Err(Error::InvalidRequest(api)) => {
            assert_eq!(api.status(), 400);
            api
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

/// Checks a task validation failure. Tasklist sends the rule's code and text as a JSON object
/// inside the error's message: the text is the detail and the code the title, on 8.7
/// (`{status, message}`) as on 8.8 (a problem whose own title is the status' reason).
fn assert_task_rule(api: &ApiError, code: &str, detail: &str) {
    assert_eq!(api.detail(), detail, "{api:?}");
    assert!(api.to_string().contains(detail), "{api}");
    match api.format() {
        BodyFormat::TasklistV1 => assert_eq!(api.title(), Some(code), "{api:?}"),
        BodyFormat::ProblemDetails => {
            assert_eq!(api.title(), Some(code), "{api:?}");
            let inner: Value = serde_json::from_str(api.message()).unwrap();
            assert_eq!(inner["title"], code, "{api:?}");
        }
        other => panic!("unexpected body format {other:?}: {api:?}"),
    }
}

/// A user breaks each rule of `TaskValidator` once; nothing changes on the server.
async fn user_rules(profile: Profile, mode: Mode) {
    let server = server(profile, &mode, 0).await;
    let client = client(&server, &mode);
    let (open, johns, done) = ("3001", "3002", "3003");
    insert_task(&server, open, "4001", |_| {});
    insert_task(&server, johns, "4002", |t| {
        t.assignee = Some("john".to_owned())
    });
    insert_task(&server, done, "4003", |t| {
        t.assignee = Some(USER.to_owned());
        t.state = StoredState::Completed;
    });

    let api = refused(client.tasks().complete(open).await);
    assert_task_rule(&api, "TASK_NOT_ASSIGNED", "Task is not assigned");
    let api = refused(client.tasks().unassign(open).await);
    assert_task_rule(&api, "TASK_NOT_ASSIGNED", "Task is not assigned");
    let api = refused(client.tasks().assign(johns).await);
    assert_task_rule(&api, "TASK_ALREADY_ASSIGNED", "Task is already assigned");
    let api = refused(client.tasks().complete(johns).await);
    assert_task_rule(
        &api,
        "TASK_NOT_ASSIGNED_TO_CURRENT_USER",
        "Task is not assigned to demo",
    );
    let api = refused(
        client
            .tasks()
            .save_draft_variables(johns, Variables::new().with("a", &1).unwrap())
            .await,
    );
    assert_task_rule(
        &api,
        "TASK_NOT_ASSIGNED_TO_CURRENT_USER",
        "Task is not assigned to demo",
    );
    let api = refused(client.tasks().complete(done).await);
    assert_task_rule(&api, "TASK_IS_NOT_ACTIVE", "Task is not active");
    let api = refused(client.tasks().assign(done).await);
    assert_task_rule(&api, "TASK_IS_NOT_ACTIVE", "Task is not active");

    // A user may not assign someone else: 403, not a CSRF failure.
    match client.tasks().assign(open).assignee("john").await {
        Err(Error::Forbidden(api)) => assert_eq!(
            api.detail(),
            "User doesn't have the permission to assign another user to this task"
        ),
        other => panic!("{other:?}"),
    }

    // Nothing changed, and no refusal was retried.
    assert_eq!(stored(&server, open).assignee, None);
    assert_eq!(stored(&server, johns).assignee.as_deref(), Some("john"));
    assert_eq!(stored(&server, johns).state, StoredState::Created);
    assert_eq!(server.store().draft_variables(johns), Some(vec![]));
    assert_eq!(stored(&server, done).state, StoredState::Completed);
    assert_eq!(api_counts(&server), [0, 0, 3, 1, 3, 1, 0, 0, 0]);
}

#[tokio::test]
async fn a_users_broken_task_rules_read_as_the_servers_code_and_text_on_8_7() {
    user_rules(Profile::V8_7, Mode::Cookie(LoginPath::Api)).await;
}

#[tokio::test]
async fn a_users_broken_task_rules_read_as_the_servers_code_and_text_on_8_8() {
    user_rules(Profile::V8_8, Mode::Basic).await;
}

#[tokio::test]
async fn an_api_client_must_name_the_assignee_and_may_override() {
    for profile in [Profile::V8_7, Profile::V8_8] {
        let mode = Mode::OAuth;
        let server = server(profile, &mode, 0).await;
        let client = client(&server, &mode);
        insert_task(&server, "3001", "4001", |t| {
            t.assignee = Some("john".to_owned())
        });

        let api = refused(client.tasks().assign("3001").await);
        assert_eq!(api.detail(), "Assignee must be specified", "{profile}");
        let api = refused(
            client
                .tasks()
                .assign("3001")
                .assignee(USER)
                .allow_override(false)
                .await,
        );
        assert_task_rule(&api, "TASK_ALREADY_ASSIGNED", "Task is already assigned");
        assert_eq!(stored(&server, "3001").assignee.as_deref(), Some("john"));

        // An API client may reassign and complete a task assigned to someone else.
        let task = client.tasks().assign("3001").assignee(USER).await.unwrap();
        assert_eq!(task.assignee.as_deref(), Some(USER));
        client.tasks().unassign("3001").await.unwrap();
        let done = client.tasks().complete("3001").await.unwrap();
        assert_eq!(done.task_state, Some(TaskState::Completed), "{profile}");
    }
}

#[tokio::test]
async fn an_api_client_may_not_change_a_zeebe_user_task_through_v1_on_8_8() {
    let mode = Mode::OAuth;
    let server = server(Profile::V8_8, &mode, 0).await;
    let client = client(&server, &mode);
    insert_task(&server, "3001", "4001", |t| {
        t.implementation = StoredImplementation::ZeebeUserTask;
        t.priority = Some(80);
    });
    let api = refused(client.tasks().assign("3001").assignee(USER).await);
    assert!(
        api.detail()
            .starts_with("This operation is not supported using Tasklist V1 API."),
        "{api:?}"
    );
    assert_eq!(stored(&server, "3001").assignee, None);
    // Reading it is fine.
    let task = client.tasks().get("3001").await.unwrap();
    assert_eq!(task.implementation, Some(Implementation::ZeebeUserTask));
    assert_eq!(task.priority, Some(80));
}

/// Checks an `Error::NotFound` and its message.
fn assert_not_found(result: Result<impl std::fmt::Debug, Error>, message: &str, profile: Profile) {
    let error = result.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
    assert_eq!(error.server_message(), Some(message));
    let api = error.api_error().unwrap();
    match profile {
        Profile::V8_7 => assert_eq!(api.format(), BodyFormat::TasklistV1),
        _ => {
            assert_eq!(api.format(), BodyFormat::ProblemDetails);
            assert_eq!(api.title(), Some("Not Found"));
        }
    }
    assert!(api.instance().is_some(), "{api:?}");
}

#[tokio::test]
async fn unknown_ids_are_not_found_with_the_servers_messages() {
    for profile in [Profile::V8_7, Profile::V8_8] {
        let mode = Mode::OAuth;
        let server = server(profile, &mode, 0).await;
        let client = client(&server, &mode);
        insert_contract_task(&server);
        let task_message = format!("task with id {MISSING} was not found");

        assert_not_found(client.tasks().get(MISSING).await, &task_message, profile);
        assert_not_found(
            client.tasks().assign(MISSING).assignee(USER).await,
            &task_message,
            profile,
        );
        assert_not_found(
            client.tasks().unassign(MISSING).await,
            &task_message,
            profile,
        );
        assert_not_found(
            client.tasks().complete(MISSING).await,
            &task_message,
            profile,
        );
        assert_not_found(
            client
                .tasks()
                .save_draft_variables(MISSING, Variables::new())
                .await,
            &task_message,
            profile,
        );
        assert_not_found(
            client.tasks().variables(MISSING).search().await,
            &task_message,
            profile,
        );
        assert_not_found(
            client.variables().get("1-nothing").await,
            "Variable with id 1-nothing not found.",
            profile,
        );
        assert_not_found(
            client.forms().get("noForm", PROCESS).await,
            "form with id noForm was not found",
            profile,
        );
        // The embedded form exists, but not for another process.
        assert_not_found(
            client.forms().get(FORM, "1").await,
            "form with id contractForm was not found",
            profile,
        );
        // An id with a slash stays one path segment: still a task id, still not found.
        assert_not_found(
            client.tasks().get(format!("{TASK}/assign")).await,
            &format!("task with id {TASK}/assign was not found"),
            profile,
        );
        assert_eq!(
            api_counts(&server),
            [0, 2, 1, 1, 1, 1, 1, 1, 2],
            "{profile}"
        );
    }
}

#[tokio::test]
async fn rules_the_client_checks_itself_send_nothing() {
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 0).await;
    let client = client(&server, &mode);
    insert_contract_task(&server);

    // variableNames and includeVariables together: refused by the builder...
    let error = client
        .tasks()
        .variables(TASK)
        .search()
        .name("amount")
        .include("note")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidArgument(m) if m.contains("variableNames")),
        "{error:?}"
    );
    // ...and in a request built elsewhere.
    let mut request = VariablesSearchRequest::default();
    request.variable_names = Some(vec!["amount".to_owned()]);
    request.include_variables = Some(Vec::new());
    // An empty include list is no selector: this one is sent.
    let only_amount = client
        .tasks()
        .variables(TASK)
        .search_with(request.clone())
        .await
        .unwrap();
    assert_eq!(only_amount.len(), 1);
    request.include_variables = client
        .tasks()
        .variables(TASK)
        .search()
        .include("note")
        .request()
        .include_variables
        .clone();
    let error = client
        .tasks()
        .variables(TASK)
        .search_with(request)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");

    // Other documented rules.
    let error = client.tasks().search().page_size(0).await.unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    let error = client.tasks().search().priority_eq(101).await.unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    let error = client.tasks().get("..").await.unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");

    // Only the one valid search reached the server.
    assert_eq!(api_counts(&server), [0, 0, 0, 0, 0, 0, 1, 0, 0]);
    assert_eq!(server.token_requests(), 1);
}

// ---------------------------------------------------------------------------------------------
// Paging.
// ---------------------------------------------------------------------------------------------

/// Walks a stream to its end, checking it never holds more than a page.
async fn walk(mut stream: tasklist_api::TaskStream, page: usize) -> Vec<TaskSearchResult> {
    let mut tasks = Vec::new();
    while let Some(task) = stream.try_next().await.unwrap() {
        assert!(stream.buffered_len() < page);
        tasks.push(task);
    }
    tasks
}

fn ids(tasks: &[TaskSearchResult]) -> Vec<String> {
    tasks.iter().map(|t| id_of(t).to_owned()).collect()
}

fn key(id: &str) -> u64 {
    id.parse().unwrap()
}

#[tokio::test]
async fn into_stream_walks_over_a_thousand_tasks_forward_and_backward_each_once() {
    const PAGE: u32 = 100;
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 1150).await;
    let client = client(&server, &mode);

    // What Tasklist returns without a state filter: every task but the canceled ones, newest
    // first, ties broken by the key.
    let mut expected: Vec<StoredTask> = server
        .store()
        .tasks()
        .into_iter()
        .filter(|t| t.state != StoredState::Canceled)
        .collect();
    expected.sort_by(|a, b| {
        b.creation_date
            .cmp(&a.creation_date)
            .then_with(|| key(&a.id).cmp(&key(&b.id)))
    });
    let expected: Vec<String> = expected.into_iter().map(|t| t.id).collect();
    assert!(expected.len() >= 1000, "{}", expected.len());
    // The seed gives some tasks the same creation date, so the key has to break ties.
    assert!(
        server
            .store()
            .tasks()
            .windows(2)
            .any(|w| w[0].creation_date == w[1].creation_date)
    );

    // Forward from the start.
    let stream = client.tasks().search().page_size(PAGE).into_stream();
    assert!(!stream.is_backward());
    let forward = walk(stream, PAGE as usize).await;
    assert_eq!(ids(&forward), expected);
    let pages = expected.len() / PAGE as usize + 1;
    assert_eq!(server.requests(Route::SearchTasks), pages as u64);

    // Backward from the last task, itself included: the same tasks, reversed.
    let last = forward.last().unwrap();
    let stream = client
        .tasks()
        .search()
        .page_size(PAGE)
        .cursor(Cursor::before_or_equal(last).unwrap())
        .into_stream();
    assert!(stream.is_backward());
    let backward = walk(stream, PAGE as usize).await;
    let mut reversed = expected.clone();
    reversed.reverse();
    assert_eq!(ids(&backward), reversed);

    // From the middle, each way, the middle task excluded.
    let middle = &forward[500];
    let before = walk(
        client
            .tasks()
            .search()
            .page_size(PAGE)
            .cursor(Cursor::before(middle).unwrap())
            .into_stream(),
        PAGE as usize,
    )
    .await;
    let mut head = expected[..500].to_vec();
    head.reverse();
    assert_eq!(ids(&before), head);
    let after = walk(
        client
            .tasks()
            .search()
            .page_size(PAGE)
            .cursor(Cursor::after(middle).unwrap())
            .into_stream(),
        PAGE as usize,
    )
    .await;
    assert_eq!(ids(&after), expected[501..]);
    assert_eq!(server.token_requests(), 1);
}

#[tokio::test]
async fn into_stream_follows_a_requested_sort_and_a_filter_each_way() {
    const PAGE: u32 = 64;
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 1000).await;
    let client = client(&server, &mode);
    let created: Vec<StoredTask> = server
        .store()
        .tasks()
        .into_iter()
        .filter(|t| t.state == StoredState::Created)
        .collect();

    // Highest priority first (no priority counts as 50), then the key.
    let search = || {
        client
            .tasks()
            .search()
            .state(TaskState::Created)
            .sort(TaskSortField::Priority, SortOrder::Desc)
            .page_size(PAGE)
    };
    let forward = walk(search().into_stream(), PAGE as usize).await;
    let mut expected = created.clone();
    expected.sort_by(|a, b| {
        b.priority
            .unwrap_or(50)
            .cmp(&a.priority.unwrap_or(50))
            .then_with(|| key(&a.id).cmp(&key(&b.id)))
    });
    let expected: Vec<String> = expected.into_iter().map(|t| t.id).collect();
    assert_eq!(ids(&forward), expected);
    // The priority's sort value is a double, as Elasticsearch reports it.
    assert!(forward[0].sort_values.as_ref().unwrap()[0].ends_with(".0"));

    let backward = walk(
        search()
            .cursor(Cursor::before_or_equal(forward.last().unwrap()).unwrap())
            .into_stream(),
        PAGE as usize,
    )
    .await;
    let mut reversed = expected;
    reversed.reverse();
    assert_eq!(ids(&backward), reversed);
}

// ---------------------------------------------------------------------------------------------
// Variables: truncation, full values, drafts.
// ---------------------------------------------------------------------------------------------

/// A text of `chars` characters, with multi-byte ones, as a JSON string literal and as text.
fn long_text(chars: usize) -> (String, String) {
    let text: String = "Vertrag §1 — naïve ✓ 🎉 "
        .chars()
        .cycle()
        .take(chars)
        .collect();
    (serde_json::to_string(&text).unwrap(), text)
}

#[tokio::test]
async fn truncated_values_are_reported_and_their_full_value_fetched() {
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 0).await;
    let client = client(&server, &mode);
    insert_contract_task(&server);
    let (json_text, text) = long_text(10_000);
    server
        .store()
        .insert_variable(TASK, "document", &json_text)
        .unwrap();
    let threshold = server.config().truncation_threshold;

    // The task's variables: the long one comes as a preview of `threshold` characters.
    let variables = client.tasks().variables(TASK).search().await.unwrap();
    let document = variables
        .iter()
        .find(|v| v.name.as_deref() == Some("document"))
        .unwrap();
    let ValueState::Truncated { preview } = document.value_state() else {
        panic!("{document:?}");
    };
    assert_eq!(preview.chars().count(), threshold);
    assert!(json_text.starts_with(preview));
    match document.decode::<String>() {
        Err(Error::VariableTruncated { name }) => assert_eq!(name, "document"),
        other => panic!("{other:?}"),
    }
    // The short ones are whole.
    let amount = variables
        .iter()
        .find(|v| v.name.as_deref() == Some("amount"))
        .unwrap();
    assert_eq!(amount.value_state(), ValueState::Full("1200.5"));

    // The whole value, by the variable's id.
    let full = client.variables().full_value(document).await.unwrap();
    assert_eq!(full.decode::<String>().unwrap(), text);
    assert_eq!(server.requests(Route::GetVariable), 1);

    // Or asked for in the search.
    let variables = client
        .tasks()
        .variables(TASK)
        .search()
        .include_full_value("document")
        .include("amount")
        .await
        .unwrap();
    assert_eq!(variables.len(), 2);
    let document = &variables[1];
    assert_eq!(document.value_state(), ValueState::Full(json_text.as_str()));
    assert_eq!(document.decode::<String>().unwrap(), text);

    // The same in task search results.
    let hits = client
        .tasks()
        .search()
        .process_instance_key(INSTANCE)
        .include_variable("document")
        .await
        .unwrap();
    let included = hits[0].variables.as_deref().unwrap();
    assert!(included[0].value_state().is_truncated());
    let hits = client
        .tasks()
        .search()
        .process_instance_key(INSTANCE)
        .include_variable_full_value("document")
        .await
        .unwrap();
    let included = hits[0].variables.as_deref().unwrap();
    assert_eq!(included[0].decode::<String>().unwrap(), text);
}

#[tokio::test]
async fn drafts_replace_each_other_and_completion_applies_them() {
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 0).await;
    let client = client(&server, &mode);
    insert_contract_task(&server);
    let drafts = |server: &TestServer| -> Vec<(String, String)> {
        server
            .store()
            .draft_variables(TASK)
            .unwrap()
            .into_iter()
            .map(|d| (d.name, d.value))
            .collect()
    };
    let save = |variables: Variables| client.tasks().save_draft_variables(TASK, variables);

    save(
        Variables::new()
            .with("note", "v1")
            .unwrap()
            .with("extra", &1)
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(drafts(&server).len(), 2);
    // A save replaces every earlier draft; a draft equal to the current value is left out.
    let (long_json, long) = long_text(9_000);
    save(
        Variables::new()
            .with("note", "v2")
            .unwrap()
            .with("amount", &1200.5)
            .unwrap()
            .with("memo", &long)
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        drafts(&server),
        [
            ("note".to_owned(), r#""v2""#.to_owned()),
            ("memo".to_owned(), long_json.clone())
        ]
    );

    // A long draft is truncated in the search and whole by id.
    let variables = client.tasks().variables(TASK).search().await.unwrap();
    let memo = variables
        .iter()
        .find(|v| v.name.as_deref() == Some("memo"))
        .unwrap();
    assert!(memo.draft_state().unwrap().is_truncated());
    assert!(matches!(
        memo.decode_draft::<String>(),
        Err(Error::VariableTruncated { .. })
    ));
    let by_id = client
        .variables()
        .get(memo.id.clone().unwrap())
        .await
        .unwrap();
    assert_eq!(by_id.value, None);
    assert_eq!(by_id.decode_draft::<String>().unwrap(), Some(long.clone()));

    // Completion takes the drafts into the snapshot and drops them.
    client.tasks().complete(TASK).await.unwrap();
    assert_eq!(drafts(&server), []);
    let after = client.tasks().variables(TASK).search().await.unwrap();
    let value = |name: &str| {
        after
            .iter()
            .find(|v| v.name.as_deref() == Some(name))
            .map(|v| v.value.clone())
    };
    assert_eq!(value("note"), Some(Some(r#""v2""#.to_owned())));
    assert_eq!(value("extra"), None);
    assert!(after.iter().all(|v| v.draft.is_none()));
    let memo = after
        .iter()
        .find(|v| v.name.as_deref() == Some("memo"))
        .unwrap();
    assert!(memo.value_state().is_truncated());
    assert_eq!(
        client
            .variables()
            .full_value(memo)
            .await
            .unwrap()
            .decode::<String>()
            .unwrap(),
        long
    );
}

// ---------------------------------------------------------------------------------------------
// Forms.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn embedded_and_deployed_forms_by_version() {
    let mode = Mode::Cookie(LoginPath::Root);
    let server = server(Profile::V8_8, &mode, 0).await;
    let client = client(&server, &mode);
    insert_contract_task(&server);
    let schema = |v: i64| format!(r#"{{"id":"invoice","schemaVersion":{v},"components":[]}}"#);
    for version in 1..=3 {
        let mut form = StoredForm::deployed("invoice", version, PROCESS, schema(version));
        form.is_deleted = version == 3;
        server.store().insert_form(form);
    }

    let embedded = client.forms().get(FORM, PROCESS).await.unwrap();
    assert_eq!(embedded.schema.as_deref(), Some(SCHEMA));
    assert_eq!(embedded.version, None);

    // Without a version: the highest one not deleted.
    let latest = client.forms().get("invoice", PROCESS).await.unwrap();
    assert_eq!(latest.version, Some(2));
    assert_eq!(latest.schema, Some(schema(2)));
    assert_eq!(latest.process_definition_key.unwrap().as_str(), PROCESS);
    let first = client
        .forms()
        .get("invoice", PROCESS)
        .version(1)
        .await
        .unwrap();
    assert_eq!(first.schema, Some(schema(1)));
    let deleted = client
        .forms()
        .get("invoice", PROCESS)
        .version(3)
        .await
        .unwrap();
    assert_eq!(deleted.is_deleted, Some(true));
    let error = client
        .forms()
        .get("invoice", PROCESS)
        .version(4)
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(server.requests(Route::GetForm), 5);
}

// ---------------------------------------------------------------------------------------------
// Faults, as the client sees them.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_401_and_expired_or_revoked_tokens_are_renewed_transparently() {
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 3).await;
    let client = client(&server, &mode);
    client.tasks().search().await.unwrap();
    assert_eq!(server.token_requests(), 1);

    // An injected 401: a new token, the search sent again, and the caller sees nothing.
    server.fail_next(Route::SearchTasks, 1, Fault::Status401);
    assert_eq!(
        client.tasks().search().await.unwrap().len(),
        visible(&server)
    );
    assert_eq!(server.token_requests(), 2);
    assert_eq!(server.requests(Route::SearchTasks), 3);

    // The server's own 401s: an expired token, then a revoked one.
    server.expire_tokens();
    assert_eq!(
        client.tasks().search().await.unwrap().len(),
        visible(&server)
    );
    assert_eq!(server.token_requests(), 3);
    server.revoke_tokens();
    assert_eq!(
        client.tasks().search().await.unwrap().len(),
        visible(&server)
    );
    assert_eq!(server.token_requests(), 4);
    assert_eq!(server.requests(Route::SearchTasks), 7);

    // A 401 for a call that changes something is renewed too: it was never processed.
    insert_contract_task(&server);
    server.fail_next(Route::AssignTask, 1, Fault::Status401);
    client.tasks().assign(TASK).assignee(USER).await.unwrap();
    assert_eq!(server.requests(Route::AssignTask), 2);
    assert_eq!(server.token_requests(), 5);
    assert_eq!(stored(&server, TASK).assignee.as_deref(), Some(USER));

    // Two 401s in a row: renewed once, then the server's answer is the caller's.
    server.fail_next(Route::GetTask, 2, Fault::Status401);
    let error = client.tasks().get(TASK).await.unwrap_err();
    assert!(
        matches!(error, Error::Unauthorized(_)) && error.is_auth(),
        "{error:?}"
    );
    assert_eq!(server.requests(Route::GetTask), 2);
    assert_eq!(server.token_requests(), 6);
}

#[tokio::test]
async fn a_401_without_renewable_credentials_is_unauthorized_with_the_servers_detail() {
    let mode = Mode::Basic;
    let server = server(Profile::V8_8, &mode, 1).await;
    let client = client(&server, &mode);
    server.fail_next(Route::SearchTasks, 1, Fault::Status401);
    match client.tasks().search().await {
        Err(Error::Unauthorized(api)) => {
            assert_eq!(api.format(), BodyFormat::ProblemDetails);
            assert_eq!(
                api.detail(),
                "Full authentication is required to access this resource"
            );
            assert_eq!(api.instance(), Some("/v1/tasks/search"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests(Route::SearchTasks), 1);
    // The credentials themselves are fine.
    assert_eq!(
        client.tasks().search().await.unwrap().len(),
        visible(&server)
    );
}

/// A CSRF 403 makes the cookie session log in again and the call go through once more.
async fn csrf_rejection(profile: Profile, path: LoginPath, csrf_message: &str) {
    let mode = Mode::Cookie(path);
    let server = server(profile, &mode, 0).await;
    let client = client(&server, &mode);
    insert_contract_task(&server);
    client.tasks().get(TASK).await.unwrap();
    assert_eq!(server.logins(), 1);

    server.fail_next(Route::AssignTask, 1, Fault::Csrf403);
    let task = client.tasks().assign(TASK).await.unwrap();
    assert_eq!(task.assignee.as_deref(), Some(USER));
    assert_eq!(server.requests(Route::AssignTask), 2);
    assert_eq!(server.logins(), 2);

    // A second rejection right after the new login is the caller's, as a CSRF error.
    server.fail_next(Route::UnassignTask, 2, Fault::Csrf403);
    let error = client.tasks().unassign(TASK).await.unwrap_err();
    assert!(error.is_csrf() && error.is_auth(), "{error:?}");
    assert_eq!(error.status(), Some(http::StatusCode::FORBIDDEN));
    assert!(
        error.server_message().unwrap().contains(csrf_message),
        "{error:?}"
    );
    assert_eq!(server.requests(Route::UnassignTask), 2);
    assert_eq!(server.logins(), 3);
    assert_eq!(stored(&server, TASK).assignee.as_deref(), Some(USER));

    // Sessions the server dropped or timed out: logged in again, transparently.
    server.revoke_sessions();
    client.tasks().unassign(TASK).await.unwrap();
    server.expire_sessions();
    client.tasks().assign(TASK).await.unwrap();
    assert_eq!(server.logins(), 5);
    assert_eq!(server.successful_logins(), 5);
}

#[tokio::test]
async fn a_csrf_403_makes_the_session_log_in_again_on_8_7() {
    csrf_rejection(
        Profile::V8_7,
        LoginPath::Api,
        "Access denied due to invalid CSRF token.",
    )
    .await;
}

#[tokio::test]
async fn a_csrf_403_makes_the_session_log_in_again_on_8_8() {
    csrf_rejection(Profile::V8_8, LoginPath::Root, "Invalid CSRF Token").await;
}

#[tokio::test]
async fn throttling_is_retried_for_searches_and_never_for_completion() {
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 2).await;
    let client = client(&server, &mode);
    insert_contract_task(&server);

    // A search waits as long as Retry-After says, then is sent again.
    server.fail_next(
        Route::SearchTasks,
        1,
        Fault::Unavailable {
            retry_after: Some(Duration::from_secs(1)),
        },
    );
    let started = Instant::now();
    assert_eq!(
        client.tasks().search().await.unwrap().len(),
        visible(&server)
    );
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests(Route::SearchTasks), 2);
    server.fail_next(
        Route::SearchTasks,
        1,
        Fault::TooManyRequests {
            retry_after: Some(Duration::ZERO),
        },
    );
    assert_eq!(
        client.tasks().search().await.unwrap().len(),
        visible(&server)
    );
    assert_eq!(server.requests(Route::SearchTasks), 4);
    // The variables search and GETs are idempotent too.
    server.fail_next(
        Route::SearchTaskVariables,
        2,
        Fault::TooManyRequests {
            retry_after: Some(Duration::ZERO),
        },
    );
    assert_eq!(
        client.tasks().variables(TASK).search().await.unwrap().len(),
        3
    );
    assert_eq!(server.requests(Route::SearchTaskVariables), 3);

    // Completion may have happened: never repeated, the status is the caller's.
    server.fail_next(
        Route::CompleteTask,
        1,
        Fault::Unavailable {
            retry_after: Some(Duration::ZERO),
        },
    );
    match client.tasks().complete(TASK).await {
        Err(Error::Server(api)) => {
            assert_eq!(api.status(), 503);
            assert_eq!(api.message(), "Service Unavailable");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests(Route::CompleteTask), 1);
    server.fail_next(
        Route::CompleteTask,
        1,
        Fault::TooManyRequests {
            retry_after: Some(Duration::ZERO),
        },
    );
    match client.tasks().complete(TASK).await {
        Err(Error::UnexpectedStatus(api)) => {
            assert_eq!(api.status(), 429);
            assert_eq!(api.message(), "Too Many Requests");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests(Route::CompleteTask), 2);
    assert_eq!(stored(&server, TASK).state, StoredState::Created);
    // The task is still there to complete.
    client.tasks().complete(TASK).await.unwrap();
    assert_eq!(stored(&server, TASK).state, StoredState::Completed);
    assert_eq!(server.requests(Route::CompleteTask), 3);
}

#[tokio::test]
async fn throttling_that_outlasts_the_policy_reaches_the_caller() {
    let mode = Mode::OAuth;
    let server = server(Profile::V8_8, &mode, 1).await;
    let client = client_with(
        &server,
        &mode,
        http(),
        quick_retries().max_retry_after(Duration::from_secs(5)),
    );
    // More 503s than attempts.
    server.fail_next(
        Route::SearchTasks,
        3,
        Fault::Unavailable {
            retry_after: Some(Duration::ZERO),
        },
    );
    let error = client.tasks().search().await.unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(error.server_message(), Some("Service Unavailable"));
    assert_eq!(server.requests(Route::SearchTasks), 3);
    // A wait longer than the policy allows is not waited for.
    server.fail_next(
        Route::SearchTasks,
        1,
        Fault::TooManyRequests {
            retry_after: Some(Duration::from_secs(60)),
        },
    );
    let error = client.tasks().search().await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(server.requests(Route::SearchTasks), 4);
}

#[tokio::test]
async fn a_500_is_a_server_error_with_the_servers_message_and_not_retried() {
    for (profile, format) in [
        (Profile::V8_7, BodyFormat::TasklistV1),
        (Profile::V8_8, BodyFormat::ProblemDetails),
    ] {
        let mode = Mode::OAuth;
        let server = server(profile, &mode, 0).await;
        let client = client(&server, &mode);
        insert_contract_task(&server);
        server.fail_next(Route::GetTask, 1, Fault::Internal500);
        match client.tasks().get(TASK).await {
            Err(Error::Server(api)) => {
                assert_eq!(api.status(), 500);
                assert_eq!(api.message(), "Unexpected server error occurred.");
                assert_eq!(api.format(), format);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(server.requests(Route::GetTask), 1, "{profile}");
    }
}

#[tokio::test]
async fn latency_beyond_the_transport_timeout_is_a_timeout() {
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 1).await;
    insert_contract_task(&server);
    let timeout = Duration::from_millis(300);
    let strict = client_with(
        &server,
        &mode,
        http().timeout(timeout),
        RetryPolicy::never(),
    );
    strict.tasks().get(TASK).await.unwrap();

    server.fail_next(Route::GetTask, 1, Fault::Latency(Duration::from_secs(3)));
    let started = Instant::now();
    match strict.tasks().get(TASK).await {
        Err(Error::Transport(e)) => assert!(e.is_timeout(), "{e:?}"),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.requests(Route::GetTask), 2);

    // The latency of every request, likewise.
    server.set_latency(Duration::from_secs(3));
    let error = strict.tasks().search().await.unwrap_err();
    assert!(
        matches!(&error, Error::Transport(e) if e.is_timeout()),
        "{error:?}"
    );
    server.set_latency(Duration::ZERO);
    assert_eq!(
        strict.tasks().search().await.unwrap().len(),
        visible(&server)
    );

    // With retries, a GET that timed out is sent again.
    let retrying = client_with(&server, &mode, http().timeout(timeout), quick_retries());
    server.fail_next(Route::GetTask, 1, Fault::Latency(Duration::from_secs(3)));
    retrying.tasks().get(TASK).await.unwrap();
    assert_eq!(server.requests(Route::GetTask), 4);
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_a_network_error_retried_only_when_safe() {
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 0).await;
    insert_contract_task(&server);
    let strict = client_with(&server, &mode, http(), RetryPolicy::never());
    let retrying = client(&server, &mode);

    server.fail_next(Route::GetTask, 1, Fault::CloseMidBody);
    match strict.tasks().get(TASK).await {
        Err(Error::Transport(e)) => assert!(e.is_network() && e.was_possibly_sent(), "{e:?}"),
        other => panic!("{other:?}"),
    }
    server.fail_next(Route::GetTask, 1, Fault::CloseMidBody);
    retrying.tasks().get(TASK).await.unwrap();
    assert_eq!(server.requests(Route::GetTask), 3);

    // The completion was done before the connection broke: the retrying client does not send
    // it again, and the store shows it happened.
    server.fail_next(Route::CompleteTask, 1, Fault::CloseMidBody);
    let error = retrying.tasks().complete(TASK).await.unwrap_err();
    assert!(
        matches!(&error, Error::Transport(e) if e.is_network()),
        "{error:?}"
    );
    assert_eq!(server.requests(Route::CompleteTask), 1);
    assert_eq!(stored(&server, TASK).state, StoredState::Completed);
}

/// The parts of an `Error::Decode`.
fn decode_error(error: Error) -> (http::StatusCode, String, serde_json::error::Category) {
    match error {
        Error::Decode {
            status,
            excerpt,
            source,
        } => (status, excerpt, source.classify()),
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn truncated_malformed_and_wrong_type_bodies_are_decode_errors_with_an_excerpt() {
    use serde_json::error::Category;
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 40).await;
    insert_contract_task(&server);
    let client = client(&server, &mode);

    server.fail_next(Route::GetTask, 1, Fault::TruncatedJson);
    let (status, excerpt, category) = decode_error(client.tasks().get(TASK).await.unwrap_err());
    assert_eq!(status, http::StatusCode::OK);
    assert_eq!(category, Category::Eof);
    assert!(
        excerpt.starts_with(&format!(r#"{{"id":"{TASK}""#)),
        "{excerpt}"
    );

    server.fail_next(Route::GetTask, 1, Fault::MalformedJson);
    let (_, excerpt, category) = decode_error(client.tasks().get(TASK).await.unwrap_err());
    assert_eq!(category, Category::Syntax);
    assert_eq!(excerpt, r#"{"id": "1", "name": oops}"#);

    // An object where the page (an array) belongs.
    server.fail_next(Route::SearchTasks, 1, Fault::WrongTypeJson);
    let (_, excerpt, category) = decode_error(client.tasks().search().await.unwrap_err());
    assert_eq!(category, Category::Data);
    assert_eq!(excerpt, r#"{"unexpected": "object"}"#);

    // A long page cut in half: the excerpt is bounded.
    server.fail_next(Route::SearchTasks, 1, Fault::TruncatedJson);
    let (_, excerpt, category) =
        decode_error(client.tasks().search().page_size(40).await.unwrap_err());
    assert_eq!(category, Category::Eof);
    assert!(excerpt.starts_with(r#"[{"id":"#) && excerpt.len() <= tasklist_api::MAX_EXCERPT_BYTES);

    // A bad body is not a reason to send the request again.
    assert_eq!(server.requests(Route::GetTask), 2);
    assert_eq!(server.requests(Route::SearchTasks), 2);
    // The stream yields the error once, then ends.
    server.fail_next(Route::SearchTasks, 1, Fault::MalformedJson);
    let mut stream = client.tasks().search().into_stream();
    assert!(matches!(stream.try_next().await, Err(Error::Decode { .. })));
    assert!(matches!(stream.try_next().await, Ok(None)));
}

/// An array where one object belongs (the wrong-type fault on the endpoints that answer one
/// object) is a `Decode` error, as `docs/api.md` promises for a 2xx body that is not what the
/// spec says. (`serde` alone would read a struct from a JSON array, field by field, so
/// `["unexpected", "array"]` would decode as a task with id `unexpected`: the client checks the
/// body's shape first.)
#[tokio::test]
async fn an_array_where_an_object_belongs_is_a_decode_error() {
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 0).await;
    insert_contract_task(&server);
    let client = client(&server, &mode);

    server.fail_next(Route::GetTask, 1, Fault::WrongTypeJson);
    let result = client.tasks().get(TASK).await;
    assert!(matches!(result, Err(Error::Decode { .. })), "{result:?}");
    server.fail_next(Route::AssignTask, 1, Fault::WrongTypeJson);
    let result = client.tasks().assign(TASK).assignee(USER).await;
    assert!(matches!(result, Err(Error::Decode { .. })), "{result:?}");
    server.fail_next(Route::GetVariable, 1, Fault::WrongTypeJson);
    let result = client.variables().get(format!("{INSTANCE}-note")).await;
    assert!(matches!(result, Err(Error::Decode { .. })), "{result:?}");
    server.fail_next(Route::GetForm, 1, Fault::WrongTypeJson);
    let result = client.forms().get(FORM, PROCESS).await;
    assert!(matches!(result, Err(Error::Decode { .. })), "{result:?}");
}

#[tokio::test]
async fn an_oversized_body_is_refused_by_the_transport_limit() {
    let mode = Mode::OAuth;
    let server = server(Profile::V8_7, &mode, 0).await;
    insert_contract_task(&server);
    let limit = 64 * 1024;
    let client = client_with(
        &server,
        &mode,
        http().max_response_body_bytes(limit),
        quick_retries(),
    );
    server.fail_next(Route::GetTask, 1, Fault::Oversized(4 * 1024 * 1024));
    match client.tasks().get(TASK).await {
        Err(Error::Transport(e)) => {
            assert!(e.is_body_too_large(), "{e:?}");
            assert!(e.to_string().contains(&limit.to_string()), "{e}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests(Route::GetTask), 1);
    // Padding within the limit is only whitespace: the task decodes.
    server.fail_next(Route::GetTask, 1, Fault::Oversized(limit / 2));
    let task = client.tasks().get(TASK).await.unwrap();
    assert_eq!(task.name.as_deref(), Some("Review contract"));
}

// ---------------------------------------------------------------------------------------------
// The legacy GraphQL endpoint (8.7).
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn graphql_queries_and_claims_on_8_7_with_a_token_and_a_cookie_session() {
    for mode in [Mode::OAuth, Mode::Cookie(LoginPath::Api)] {
        let server = server(Profile::V8_7, &mode, 0).await;
        insert_contract_task(&server);
        let client = client(&server, &mode);

        // The guide's query.
        let data = client.graphql("{tasks(query:{}){name}}").await.unwrap();
        assert_eq!(data, json!({"tasks": [{"name": "Review contract"}]}));

        // A mutation with variables and an operation name: an API client names the assignee,
        // a user claims for themself (the CSRF token goes along with the session).
        let (assignee, expected) = if mode.is_jwt() {
            (json!("carol"), "carol")
        } else {
            (Value::Null, USER)
        };
        let data = client
            .graphql(
                "query Other { task(id: \"1\") { id } } \
                 mutation Claim($id: String!, $who: String) { \
                   claimTask(taskId: $id, assignee: $who) { id assignee variables { name } } }",
            )
            .variables(json!({"id": TASK, "who": assignee}))
            .operation_name("Claim")
            .await
            .unwrap();
        assert_eq!(
            data,
            json!({"claimTask": {"id": TASK, "assignee": expected, "variables": [
                {"name": "amount"}, {"name": "customer"}, {"name": "note"},
            ]}})
        );
        assert_eq!(stored(&server, TASK).assignee.as_deref(), Some(expected));

        // The server's message in `errors`.
        match client
            .graphql(format!(
                "mutation {{ unclaimTask(taskId: \"{MISSING}\") {{ id }} }}"
            ))
            .await
        {
            Err(Error::GraphQl { errors, data }) => {
                assert_eq!(
                    errors[0].message,
                    format!("task with id {MISSING} was not found")
                );
                assert_eq!(errors[0].path, [json!("unclaimTask")]);
                assert_eq!(data, None);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(server.requests(Route::Graphql), 3, "{mode:?}");
    }

    // Camunda 8.8 removed the endpoint.
    let mode = Mode::OAuth;
    let server = server(Profile::V8_8, &mode, 0).await;
    let error = client(&server, &mode)
        .graphql("{tasks(query:{}){name}}")
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
}
