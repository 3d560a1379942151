//! Every call, in every authentication mode: the nine v1 calls as an OAuth client, a cookie
//! session with CSRF and an HTTP Basic user, on 8.7 and 8.8, and the login paths of a session.

use super::*;

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
