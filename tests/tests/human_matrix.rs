//! The common task interface (`client.human_tasks()`) on every version and in every
//! authentication mode: Camunda 8.7 (v1), 8.8 and 8.9 (both; v2 by default), 8.10 (v2 only)
//! × OAuth, a cookie session with CSRF, HTTP Basic × the testkit's consistency lag off and on.
//! Each case does the same work and must see the same results: the same task found, the same
//! decoded variables (also read one by one, by each API's own id) and form, the same state
//! after completing, and `Unsupported` for what its API lacks.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use tasklist_api::human::{SortField, TaskState};
use tasklist_api::{Api, Client, Error, Variables};
use tasklist_auth::{BasicAuth, ClientCredentials, CookieAuth, LoginPath, TokenCache};
use tasklist_testkit::store::{Form, Task, TaskImplementation, TaskState as StoredState};
use tasklist_testkit::{AuthMode, Profile, TestServer};
use tasklist_transport::{Authenticator, HttpTransport, TransportExt};

#[derive(Clone, Copy, Debug)]
enum Mode {
    OAuth,
    Cookie,
    Basic,
}

const TASK: &str = "2251799813790001";
const OTHER: &str = "2251799813790002";
const PROCESS: &str = "2251799813685999";
const SCHEMA: &str = r#"{"components":[{"key":"approved","type":"checkbox"}],"type":"default"}"#;
const CUSTOMER: &str = r#"{"name":"Zoë's Café","notes":"a value longer than the threshold"}"#;
const QUOTED: &str = r#""she said \"hi\" and left""#;

async fn server(profile: Profile, mode: Mode, lag: Duration) -> TestServer {
    let auth = match mode {
        Mode::OAuth => AuthMode::OAuth,
        Mode::Cookie => AuthMode::Cookie { csrf: true },
        Mode::Basic => AuthMode::Basic,
    };
    let server = TestServer::builder()
        .profile(profile)
        .auth(auth)
        .truncation_threshold(32)
        .consistency_lag(lag)
        .start()
        .await
        .unwrap();
    let store = server.store();
    // 8.7 refuses token callers on Camunda user tasks (v1 is for job-worker tasks there);
    // from 8.8 on the common interface uses v2, which knows Camunda user tasks only.
    let implementation = if profile == Profile::V8_7 {
        TaskImplementation::JobWorker
    } else {
        TaskImplementation::ZeebeUserTask
    };
    let mut task = Task::new(TASK, "Review contract");
    task.implementation = implementation;
    task.process_definition_key = PROCESS.to_owned();
    task.task_definition_id = "review_contract".to_owned();
    task.candidate_groups = Some(vec!["accounting".to_owned()]);
    task.priority = Some(70);
    task.form_id = Some("contractForm".to_owned());
    task.form_version = Some(2);
    task.is_form_embedded = Some(false);
    store.insert_task(task);
    store.insert_form(Form::deployed("contractForm", 2, PROCESS, SCHEMA));
    store.insert_variable(TASK, "amount", "1200.5").unwrap();
    store.insert_variable(TASK, "customer", CUSTOMER).unwrap();
    let mut other = Task::new(OTHER, "File receipt");
    other.implementation = implementation;
    other.process_definition_key = PROCESS.to_owned();
    other.priority = Some(10);
    store.insert_task(other);
    server
}

fn client(server: &TestServer, profile: Profile, mode: Mode) -> Client {
    let http = HttpTransport::builder().no_proxy().build().unwrap();
    let plain = http.clone().into_shared();
    let auth: Arc<dyn Authenticator> = match mode {
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
        Mode::Cookie => Arc::new(
            CookieAuth::builder(server.base_url())
                .username("demo")
                .password("demo".into())
                .login_path(if profile == Profile::V8_7 {
                    LoginPath::Api
                } else {
                    LoginPath::Root
                })
                .build(plain)
                .unwrap(),
        ),
        Mode::Basic => Arc::new(BasicAuth::new("demo", "demo".into()).unwrap()),
    };
    Client::new(
        server.base_url(),
        http.with_authenticator(auth).into_shared(),
    )
    .unwrap()
}

/// One case: the same work, the same results.
async fn case(profile: Profile, mode: Mode, lag: Duration) {
    let what = format!("{profile:?} {mode:?} lag {lag:?}");
    let server = server(profile, mode, lag).await;
    let client = client(&server, profile, mode);
    let expected_api = if profile == Profile::V8_7 {
        Api::V1
    } else {
        Api::V2
    };
    assert_eq!(client.api().await.unwrap().api, expected_api, "{what}");
    let tasks = client.human_tasks();
    let wait = Duration::from_secs(5);

    // Search: the same task, the same fields, an included variable decoded.
    let found = tasks
        .search()
        .state(TaskState::Created)
        .candidate_group("accounting")
        .priority(50..)
        .include_variable("amount")
        .send()
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "{what}");
    let task = &found[0];
    assert_eq!(task.key(), TASK, "{what}");
    assert_eq!(task.name(), Some("Review contract"), "{what}");
    assert_eq!(task.state(), TaskState::Created, "{what}");
    assert_eq!(task.priority(), Some(70), "{what}");
    assert_eq!(task.candidate_groups(), ["accounting"], "{what}");
    assert_eq!(task.process_definition_key(), Some(PROCESS), "{what}");
    assert_eq!(task.task_definition_id(), Some("review_contract"), "{what}");
    assert_eq!(task.variables.len(), 1, "{what}");
    assert_eq!(task.variables[0].decode::<f64>().unwrap(), 1200.5, "{what}");
    let all: Vec<_> = tasks
        .search()
        .sort_desc(SortField::Priority)
        .page_size(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let keys: Vec<_> = all.iter().map(|t| t.key()).collect();
    assert_eq!(keys, [TASK, OTHER], "{what}");

    // Get, variables (whole, though longer than the server's threshold), form.
    let got = tasks.get(TASK).await.unwrap();
    assert_eq!(
        (got.key(), got.state()),
        (TASK, TaskState::Created),
        "{what}"
    );
    let mut variables = tasks.variables(TASK).await.unwrap();
    variables.sort_by(|a, b| a.name.cmp(&b.name));
    let names: Vec<_> = variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["amount", "customer"], "{what}");
    let customer: serde_json::Value = variables[1].decode().unwrap();
    assert_eq!(
        customer,
        serde_json::from_str::<serde_json::Value>(CUSTOMER).unwrap(),
        "{what}"
    );
    // One variable by its API's own id (v1: the variable id, v2: the variable key, as each
    // API's variable search gives it): the same name and exact value, never cut.
    let store = server.store();
    store
        .insert_variable(TASK, "big", "18446744073709551615")
        .unwrap();
    store.insert_variable(TASK, "quoted", QUOTED).unwrap();
    let ids: Vec<(String, String)> = if expected_api == Api::V1 {
        let found = client.tasks().variables(TASK).search().await.unwrap();
        found
            .iter()
            .map(|v| {
                let id = v.id.as_ref().unwrap().as_str().to_owned();
                (v.name.clone().unwrap(), id)
            })
            .collect()
    } else {
        let found: Vec<_> = client
            .user_tasks()
            .variables(TASK)
            .into_stream()
            .try_collect()
            .await
            .unwrap();
        found
            .iter()
            .map(|v| {
                let key = v.variable_key.as_ref().unwrap().as_str().to_owned();
                (v.name.clone().unwrap(), key)
            })
            .collect()
    };
    for (name, value) in [
        ("big", "18446744073709551615"),
        ("quoted", QUOTED),
        ("customer", CUSTOMER),
    ] {
        let (_, id) = ids.iter().find(|(n, _)| n == name).unwrap();
        let variable = tasks.variable(id).await.unwrap();
        assert_eq!(variable.name, name, "{what}");
        assert_eq!(variable.value, value, "{what} {name}");
    }
    let big = ids.iter().find(|(n, _)| n == "big").unwrap();
    assert_eq!(
        tasks
            .variable(&big.1)
            .await
            .unwrap()
            .decode::<u64>()
            .unwrap(),
        u64::MAX,
        "{what}"
    );
    let unknown = if expected_api == Api::V1 {
        format!("{TASK}-nope")
    } else {
        "404404404".to_owned()
    };
    let missing = tasks.variable(&unknown).await.unwrap_err();
    assert!(missing.is_not_found(), "{what}: {missing:?}");
    // An id the API cannot take (v1: empty; v2: a v1 id) is refused before sending.
    let bad = if expected_api == Api::V1 {
        ""
    } else {
        "2251799813685251-amount"
    };
    let before = server.total_requests();
    let refused = tasks.variable(bad).await.unwrap_err();
    assert!(
        matches!(refused, Error::InvalidArgument(_)),
        "{what}: {refused:?}"
    );
    assert_eq!(server.total_requests(), before, "{what}: nothing sent");

    let form = tasks.form(TASK).await.unwrap().expect("a linked form");
    assert_eq!(form.schema.as_deref(), Some(SCHEMA), "{what}");
    assert_eq!(tasks.form(OTHER).await.unwrap(), None, "{what}");

    // Assign; another assignee is refused without an override, on both APIs.
    tasks.assign(TASK, "demo").wait(wait).send().await.unwrap();
    assert_eq!(
        server.store().task(TASK).unwrap().assignee.as_deref(),
        Some("demo"),
        "{what}"
    );
    assert_eq!(
        tasks
            .get(TASK)
            .await
            .unwrap()
            .assignee()
            .map(str::to_owned)
            .as_deref(),
        Some("demo"),
        "{what}"
    );
    // v1 also refuses a user (not an API client) who assigns someone else: 403.
    let refused = tasks.assign(TASK, "jane").send().await.unwrap_err();
    assert!(
        matches!(
            refused,
            Error::InvalidRequest(_) | Error::InvalidState(_) | Error::Forbidden(_)
        ),
        "{what}: {refused:?}"
    );
    assert_eq!(
        server.store().task(TASK).unwrap().assignee.as_deref(),
        Some("demo"),
        "{what}"
    );

    // What one API lacks is Unsupported, and nothing is sent for it.
    let update = tasks.update(OTHER).priority(90).send().await;
    let history = tasks.history(TASK).await;
    let draft = tasks
        .save_draft_variables(TASK, Variables::new().with("note", "later").unwrap())
        .await;
    match profile {
        Profile::V8_7 => {
            assert!(
                matches!(update, Err(Error::Unsupported { api: Api::V1, .. })),
                "{what}"
            );
            assert!(matches!(history, Err(Error::Unsupported { .. })), "{what}");
            draft.unwrap();
        }
        _ => {
            update.unwrap();
            assert_eq!(
                server.store().task(OTHER).unwrap().priority,
                Some(90),
                "{what}"
            );
            if profile == Profile::V8_8 {
                assert!(matches!(history, Err(Error::Unsupported { .. })), "{what}");
            } else {
                assert!(!history.unwrap().is_empty(), "{what}");
            }
            assert!(
                matches!(draft, Err(Error::Unsupported { api: Api::V2, .. })),
                "{what}"
            );
        }
    }

    // Complete with variables: the same state after, and reads show it.
    let done = Variables::new().with("approved", &true).unwrap();
    tasks
        .complete(TASK)
        .variables(done)
        .wait(wait)
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.store().task(TASK).unwrap().state,
        StoredState::Completed,
        "{what}"
    );
    assert_eq!(
        tasks.get(TASK).await.unwrap().state(),
        TaskState::Completed,
        "{what}"
    );
    let open = tasks
        .search()
        .state(TaskState::Created)
        .send()
        .await
        .unwrap();
    let open: Vec<_> = open.iter().map(|t| t.key()).collect();
    assert_eq!(open, [OTHER], "{what}");
}

#[tokio::test]
async fn the_common_interface_on_every_version_and_mode() {
    let mut cases = 0;
    for profile in [Profile::V8_7, Profile::V8_8, Profile::V8_9, Profile::V8_10] {
        for mode in [Mode::OAuth, Mode::Cookie, Mode::Basic] {
            for lag in [Duration::ZERO, Duration::from_millis(150)] {
                case(profile, mode, lag).await;
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 24);
}
