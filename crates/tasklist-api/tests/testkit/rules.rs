//! The server's rules and messages, as the client reports them, and the rules the client
//! checks itself before sending.

use super::*;

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
