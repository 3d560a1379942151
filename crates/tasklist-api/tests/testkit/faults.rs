//! Faults, as the client sees them: renewed and refused credentials, CSRF rejections,
//! throttling, server errors, latency, cut connections, malformed and oversized bodies.

use super::*;

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
