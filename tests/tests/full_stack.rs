//! The whole stack as a user assembles it from `docs/api.md`: credentials from the environment
//! (OAuth client credentials), the HTTP transport, tracing, the authenticator, retries, and the
//! typed client, against the in-process Tasklist. Search, assign, complete with variables, and
//! the server's store agrees.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use tasklist_api::models::{SortOrder, TaskSortField, TaskState};
use tasklist_api::{Client, Variables};
use tasklist_auth::{AuthConfig, Component};
use tasklist_testkit::store::TaskState as StoredState;
use tasklist_testkit::{Route, TestServer};
use tasklist_transport::{RetryPolicy, TransportExt};

/// The client of `docs/api.md`, configured by `vars`.
fn client(server: &TestServer, vars: Vec<(&'static str, String)>) -> Client {
    let config = AuthConfig::from_lookup(Component::Tasklist, move |name| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    })
    .unwrap();
    let http = config
        .apply_tls(tasklist_transport::HttpTransport::builder().no_proxy())
        .build()
        .unwrap();
    let transport = http
        .clone()
        .with_tracing()
        .with_authenticator(config.authenticator(http.into_shared()).unwrap())
        .with_retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .into_shared();
    Client::new(server.base_url(), transport).unwrap()
}

#[tokio::test]
async fn oauth_search_assign_complete_with_variables_and_the_store_agrees() {
    let server = TestServer::builder().tasks(60).start().await.unwrap();
    let client = client(
        &server,
        vec![
            ("CAMUNDA_CLIENT_ID", "tasklist".to_owned()),
            ("CAMUNDA_CLIENT_SECRET", "tasklist-secret".to_owned()),
            ("CAMUNDA_OAUTH_URL", server.token_url()),
            ("CAMUNDA_TOKEN_DISK_CACHE_DISABLE", "true".to_owned()),
        ],
    );

    // The oldest open job-worker task nobody has taken (v1 refuses API clients' changes to
    // Camunda user tasks).
    let open = client
        .tasks()
        .search()
        .state(TaskState::Created)
        .assigned(false)
        .implementation(tasklist_api::models::Implementation::JobWorker)
        .sort(TaskSortField::CreationTime, SortOrder::Asc)
        .include_variable("amount")
        .page_size(10)
        .await
        .unwrap();
    assert_eq!(open.len(), 10);
    let task = &open[0];
    let id = task.id.clone().unwrap();
    let before = server.store().task(id.as_str()).unwrap();
    assert_eq!(
        (before.state, before.assignee),
        (StoredState::Created, None)
    );
    let amount: f64 = task.variables.as_deref().unwrap()[0].decode().unwrap();
    let stored_amount = server
        .store()
        .variables(id.as_str())
        .unwrap()
        .into_iter()
        .find(|v| v.name == "amount")
        .unwrap();
    assert_eq!(amount, stored_amount.value.parse::<f64>().unwrap());

    // Assign it (a client-credentials caller names the assignee).
    let assigned = client.tasks().assign(&id).assignee("demo").await.unwrap();
    assert_eq!(assigned.assignee.as_deref(), Some("demo"));
    assert_eq!(
        server
            .store()
            .task(id.as_str())
            .unwrap()
            .assignee
            .as_deref(),
        Some("demo")
    );

    // Complete it with variables of several types; their JSON text reaches the store exactly.
    let variables = Variables::new()
        .with("approved", &(amount < 50_000.0))
        .unwrap()
        .with("reviewer", "Zoë \"QA\" Müller")
        .unwrap()
        .with("limit", &u64::MAX)
        .unwrap()
        .with("lines", &serde_json::json!([{"sku": "A-1", "qty": 2}]))
        .unwrap();
    let done = client
        .tasks()
        .complete(&id)
        .variables(variables)
        .await
        .unwrap();
    assert_eq!(done.task_state, Some(TaskState::Completed));

    let after = server.store().task(id.as_str()).unwrap();
    assert_eq!(after.state, StoredState::Completed);
    assert_eq!(after.assignee.as_deref(), Some("demo"));
    assert!(after.completion_date.is_some());
    let value_of = |name: &str| {
        server
            .store()
            .completed_variables(id.as_str())
            .unwrap()
            .into_iter()
            .find(|v| v.name == name)
            .map(|v| v.value)
    };
    assert_eq!(
        value_of("approved").as_deref(),
        Some(if amount < 50_000.0 { "true" } else { "false" })
    );
    assert_eq!(
        value_of("reviewer").as_deref(),
        Some(r#""Zoë \"QA\" Müller""#)
    );
    assert_eq!(value_of("limit").as_deref(), Some("18446744073709551615"));
    assert_eq!(
        value_of("lines").as_deref(),
        Some(r#"[{"qty":2,"sku":"A-1"}]"#)
    );
    // The task's own variables are kept alongside.
    assert_eq!(value_of("amount"), Some(stored_amount.value));

    // The API reads back what the store holds.
    let read = client.tasks().get(&id).await.unwrap();
    assert_eq!(read.task_state, Some(TaskState::Completed));
    let variables = client
        .tasks()
        .variables(&id)
        .search()
        .names(["limit", "reviewer"])
        .await
        .unwrap();
    assert_eq!(variables[0].decode::<u64>().unwrap(), u64::MAX);
    assert_eq!(
        variables[1].decode::<String>().unwrap(),
        "Zoë \"QA\" Müller"
    );
    let still_open = client
        .tasks()
        .search()
        .state(TaskState::Created)
        .assigned(false)
        .sort(TaskSortField::CreationTime, SortOrder::Asc)
        .page_size(10)
        .await
        .unwrap();
    assert!(still_open.iter().all(|t| t.id.as_ref() != Some(&id)));

    // One token for the whole session; each call one request.
    assert_eq!(server.token_requests(), 1);
    assert_eq!(server.requests(Route::SearchTasks), 2);
    assert_eq!(server.requests(Route::AssignTask), 1);
    assert_eq!(server.requests(Route::CompleteTask), 1);
}
